"""The linked-data pages in a real browser (Debian chromium via Playwright).

The question the pages must answer: how much does 涌洞乡 receive a year, from whom, and
which sentence says so. Screenshots of each step land in tests/artifacts/.
"""

from __future__ import annotations

import pytest

from .live import serve

pytestmark = pytest.mark.browser

YONGDONG = "/id/division/xiushan-yongdong"
RULE = "/id/doc/xiushan-plan/rule-municipal-key-township"
RULE_SENTENCE = "在5年过渡期内，对市级乡村振兴重点帮扶乡镇，市财政每年补助1000万元"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_township_to_category_to_fund_rule_and_its_sentence(page, live_server):
    page.goto(live_server.url + YONGDONG)
    assert page.locator("h1").inner_text() == "涌洞乡"
    funding = page.locator("#funding")
    assert "重点帮扶类" in funding.inner_text()
    assert "1000万元" in funding.inner_text() and "市财政" in funding.inner_text()
    assert funding.locator("mark", has_text=RULE_SENTENCE).is_visible()
    page.shot("township")

    # Click 1: the category.
    funding.locator("a.category, .category a", has_text="重点帮扶类").first.click()
    page.wait_for_url("**/id/doc/xiushan-plan/cat-key-assistance")
    assert page.locator("h1").inner_text() == "重点帮扶类"
    assert "涌洞乡 → 重点帮扶类" in page.locator("#inbound").inner_text()
    page.shot("category")

    # Click 2: the fund rule that names this category (and the municipal tier) as recipients.
    page.locator("#inbound a", has_text="市级乡村振兴重点帮扶乡镇").click()
    page.wait_for_url("**" + RULE)
    mark = page.locator("#source mark")
    assert mark.inner_text() == RULE_SENTENCE
    assert mark.is_visible()
    assert "市财政" in page.locator("#properties").inner_text()
    page.shot("fund-rule")


def test_township_page_links_straight_to_the_rule(page, live_server):
    page.goto(live_server.url + YONGDONG + "?lang=en")
    assert page.locator("h1").inner_text() == "Yongdong Township"
    page.locator("#funding h3 a").click()
    page.wait_for_url("**" + RULE + "?lang=en")
    assert page.locator("#source mark").inner_text() == RULE_SENTENCE
    page.shot("fund-rule-en")


def test_phone_width(page, live_server):
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (("township", YONGDONG), ("fund-rule", RULE),
                       ("ontology", "/ontology#FundRule"),
                       ("graph", "/graph/documents/xiushan-plan")):
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        page.shot(f"phone-{name}")
    page.goto(live_server.url + YONGDONG)
    assert page.locator("#funding mark").first.is_visible()


def test_ontology_anchor(page, live_server):
    page.goto(live_server.url + "/ontology#FundRule")
    term = page.locator("section.term#FundRule")
    assert term.is_visible()
    assert "资金安排规则" in term.locator("h3").inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "FundRule"


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    (folder / "evil.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/xsrv-kg/id/test/evil>\n"
        '  rdfs:label "<script>alert(1)</script>"@zh , "<img src=x onerror=alert(3)>"@en ;\n'
        "  rdfs:seeAlso <javascript:alert(2)> .\n",
        encoding="utf-8")
    with serve(str(folder)) as server:
        yield server


def test_label_with_script_is_text_not_code(page, evil_server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(evil_server.url + "/id/test/evil")
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>"
    assert "<img src=x onerror=alert(3)>" in page.locator(".resource-labels").inner_text()
    # javascript: IRIs are shown, never linked.
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "javascript:alert(2)" in page.locator("#properties").inner_text()
    page.locator("#properties .iri").first.click()
    page.shot("escaped")
    assert dialogs == []
