"""Search and the teaching errors in a real browser (Playwright + Debian's chromium): the
editor completes entity IRIs, the search box finds 涌洞乡, the workbench shows an unknown
prefix's message and an empty result's hint."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def workbench(page, live_server):
    """The workbench loaded; no page errors, no request to another server."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    page.requests, page.errors, page.base = requests, errors, live_server.url
    yield page
    assert not errors, errors
    foreign = [u for u in requests if not u.startswith((live_server.url, "blob:", "data:"))]
    assert not foreign, f"requests to other servers: {foreign}"


def run(page, query: str) -> None:
    page.evaluate("q => { xsrvWorkbench.getTab().setQuery(q); }", query)
    page.click("#yasgui .CodeMirror")
    page.keyboard.press("Control+Enter")


def test_typing_div_yong_offers_div_iris(workbench):
    page = workbench
    page.evaluate("""() => {
        const yasqe = xsrvWorkbench.getTab().getYasqe();
        yasqe.setValue("SELECT ?p ?o WHERE {\\n  \\n}");
        yasqe.focus();
        yasqe.getDoc().setCursor({line: 1, ch: 2});
    }""")
    page.keyboard.type("div:yong", delay=40)
    hints = page.locator(".CodeMirror-hints .CodeMirror-hint")
    hints.first.wait_for(timeout=10_000)
    offered = hints.all_inner_texts()
    assert offered and all(text.startswith("div:") for text in offered)
    assert any(t.startswith("div:xiushan-yongdong") and "涌洞乡" in t for t in offered)
    assert any("/search.json?q=div%3Ayong" in u or "/search.json?q=div:yong" in u
               for u in page.requests)
    page.shot("completion")
    page.locator(".CodeMirror-hints .CodeMirror-hint", has_text="div:xiushan-yongdong").click()
    line = page.evaluate("xsrvWorkbench.getTab().getYasqe().getDoc().getLine(1)")
    assert line.strip() == "div:xiushan-yongdong"


def test_an_unknown_prefix_is_explained_in_the_workbench(workbench):
    page = workbench
    run(page, "SELECT ?l WHERE { dvi:xiushan-yongdong rdfs:label ?l }")
    page.wait_for_selector(".wb-error", timeout=10_000)
    text = page.inner_text(".wb-error")
    assert "400" in text and "unknown prefix dvi:" in text and "Did you mean div:" in text
    assert page.locator(".wb-error-mark").count() == 1
    page.shot("unknown-prefix")


@pytest.mark.parametrize(("lang", "words"), [("zh", "在数据中只以"), ("en", "The data has")])
def test_an_empty_result_shows_the_tagged_form(page, live_server, lang, words):
    page.goto(f"{live_server.url}/?lang={lang}")
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    run(page, 'SELECT ?x WHERE { ?x rdfs:label "涌洞乡" }')
    note = page.locator(".wb-hint-notice")
    note.first.wait_for(timeout=10_000)
    assert words in note.first.inner_text()
    assert page.inner_text(".wb-hint-notice .wb-hint-data") == '"涌洞乡"@zh'
    assert page.inner_text(".wb-hint-notice .wb-hint-query") == '"涌洞乡"'
    page.shot(f"hint-{lang}")


def test_the_search_box_finds_yongdong_from_any_page(page, live_server):
    page.goto(live_server.url + "/overview?lang=en")
    box = page.locator("header.site .site-search input[name=q]")
    box.fill("yongdong")
    box.press("Enter")
    page.wait_for_selector(".search-result", timeout=10_000)
    assert "/search?q=yongdong&lang=en" in page.url
    first = page.locator(".search-result").first
    assert first.get_attribute("data-iri") == "https://w3id.org/xsrv-kg/id/division/xiushan-yongdong"
    assert "Yongdong Township" in first.inner_text()
    page.shot("search-yongdong")
    first.locator("a.search-name").click()
    page.wait_for_load_state()
    assert page.url.endswith("/id/division/xiushan-yongdong?lang=en")
