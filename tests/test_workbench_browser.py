"""The query workbench in a real browser (Playwright + Debian's chromium; see conftest)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

IRI_QUERY = """SELECT ?township ?code
WHERE {
  ?township a xsrv:TownshipLevelDivision ; xsrv:divisionCode ?code .
}
ORDER BY ?code"""

MALFORMED = "SELECT ?s\nWHERE {\n  ?s ?p }"


@pytest.fixture
def workbench(page, live_server):
    """The workbench loaded, with every request it makes recorded."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    page.requests, page.errors, page.base = requests, errors, live_server.url
    yield page
    assert not page.errors, page.errors
    foreign = [u for u in requests if not u.startswith((live_server.url, "blob:", "data:"))]
    assert not foreign, f"requests to other servers: {foreign}"


def run(page, query: str) -> None:
    """Put ``query`` in the editor and run it with Ctrl+Enter, as a user would."""
    page.evaluate("q => { xsrvWorkbench.getTab().setQuery(q); }", query)
    page.click("#yasgui .CodeMirror")
    page.keyboard.press("Control+Enter")


def table_rows(page):
    page.wait_for_selector(".wb-table tbody tr", timeout=10_000)
    return page.locator(".wb-table tbody tr")


def test_gallery_query_runs_and_iris_get_a_label_column(workbench):
    page = workbench
    page.shot("loaded")
    page.click("a.wb-query[data-name=townships-by-category]")
    rows = table_rows(page)
    assert rows.count() == 27
    assert "涌洞乡" in page.inner_text(".wb-table")
    assert page.inner_text(".wb-about-title") == "各类乡镇（街道）"
    assert "27" in page.inner_text(".wb-summary")
    page.shot("townships-by-category")

    # Township IRIs: linked to their pages on this server, with their Chinese labels beside.
    run(page, IRI_QUERY)
    page.wait_for_selector("th.wb-label", timeout=10_000)
    assert table_rows(page).count() == 27
    headers = page.locator(".wb-table thead th").all_inner_texts()
    assert headers[:3] == ["#", "township", "township · 标签"]
    labels = page.locator(".wb-table tbody td.wb-label").all_inner_texts()
    assert "涌洞乡" in labels and len(labels) == 27
    link = page.locator(".wb-table tbody td.wb-label a", has_text="涌洞乡")
    assert link.get_attribute("href") == "/id/division/xiushan-yongdong"
    iri_cell = page.locator(".wb-table tbody a.wb-iri", has_text="div:xiushan-yongdong").first
    assert iri_cell.get_attribute("href") == "/id/division/xiushan-yongdong"
    page.shot("township-iris-with-labels")


def test_labels_follow_the_page_language(page, live_server):
    page.goto(live_server.url + "/?lang=en")
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    assert page.inner_text("a.wb-query[data-name=townships-by-category]") == "Townships by category"
    run(page, IRI_QUERY)
    page.wait_for_selector("th.wb-label", timeout=10_000)
    labels = page.locator(".wb-table tbody td.wb-label").all_inner_texts()
    assert "Yongdong Township" in labels
    page.shot("english")


def test_malformed_query_shows_the_error_with_its_position(workbench):
    page = workbench
    run(page, MALFORMED)
    page.wait_for_selector(".wb-error", timeout=10_000)
    text = page.inner_text(".wb-error")
    assert "400" in text and "error at 3:" in text
    assert "第 3 行" in page.inner_text(".wb-error-position")
    # The editor puts the cursor on the position.
    assert page.evaluate("xsrvWorkbench.getTab().getYasqe().getCursor().line") == 2
    assert page.locator(".wb-error-mark").count() == 1
    assert page.locator(".wb-download").count() == 0
    page.shot("syntax-error")


def test_downloads_csv_with_bom_and_json(workbench, tmp_path):
    page = workbench
    page.click("a.wb-query[data-name=townships-by-category]")
    table_rows(page)
    with page.expect_download() as info:
        page.click(".wb-download-csv")
    csv_path = tmp_path / "result.csv"
    info.value.save_as(csv_path)
    assert info.value.suggested_filename == "xsrv-kg-townships-by-category.csv"
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").splitlines()
    assert lines[0] == "category,tier,township,kind,code,standing"
    assert len(lines) == 28
    assert any("涌洞乡" in line for line in lines)

    with page.expect_download() as info:
        page.click(".wb-download-json")
    json_path = tmp_path / "result.json"
    info.value.save_as(json_path)
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["head"]["vars"] == ["category", "tier", "township", "kind", "code", "standing"]
    assert len(doc["results"]["bindings"]) == 27
    page.shot("downloaded")


def test_csv_of_iris_carries_labels(workbench, tmp_path):
    page = workbench
    run(page, IRI_QUERY)
    page.wait_for_selector("th.wb-label", timeout=10_000)
    with page.expect_download() as info:
        page.click(".wb-download-csv")
    path = tmp_path / "iris.csv"
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "township,townshipLabel,code"
    assert "https://w3id.org/xsrv-kg/id/division/xiushan-yongdong,涌洞乡,500241211" in lines


def test_permalink_reproduces_the_query(workbench):
    page = workbench
    run(page, IRI_QUERY)
    table_rows(page)
    page.click(".wb-permalink")
    url = page.input_value(".wb-permalink-url")
    parts = urlsplit(url)
    assert url.startswith(page.base + "/?") and parse_qs(parts.query)["query"] == [IRI_QUERY]
    page.shot("permalink")

    # A fresh browser opening the link gets the query in the editor, run.
    fresh = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        other = fresh.new_page()
        other.goto(url)
        other.wait_for_selector("#workbench.wb-ready", timeout=10_000)
        assert other.evaluate("xsrvWorkbench.getTab().getQuery()") == IRI_QUERY
        other.wait_for_selector(".wb-table tbody tr", timeout=10_000)
        assert other.locator(".wb-table tbody tr").count() == 27
    finally:
        fresh.close()


def test_workbench_at_phone_width(workbench):
    page = workbench
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    # On a phone the gallery starts folded, so the editor is in sight.
    assert page.evaluate("document.querySelector('.wb-gallery').open") is False
    page.shot("phone-loaded")
    page.click(".wb-gallery summary")
    page.click("a.wb-query[data-name=villages-by-category]")
    table_rows(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.shot("phone-villages")


@pytest.fixture(scope="module")
def quick_limit_server():
    """A server whose time limit is one second, for the time-limit message."""
    from .live import serve

    with serve("--time-limit", "1", "--cache-mb", "0") as server:
        yield server


def test_time_limit_error_is_shown_inline(page, quick_limit_server):
    page.goto(quick_limit_server.url + "/")
    page.wait_for_selector("#workbench.wb-ready", timeout=10_000)
    run(page, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    page.wait_for_selector(".wb-error", timeout=15_000)
    text = page.inner_text(".wb-error")
    assert "503" in text and "time limit of 1 s" in text
    page.shot("time-limit")
