"""/overview and /validation in a real browser (Playwright + Debian chromium), on a live
``xsrv-kg serve``. Screenshots go to tests/artifacts/.

The funding numbers are derived by hand in tests/test_overview.py's docstring:
市财政 5M x 3 + 10M x 5 = 6500万元, 县财政 2 x 5M x 3 + 5 x 2M x 5 = 8000万元, and the
township-applied villages' 200万元 awards have no computable total.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .live import serve
from .test_overview import write_evil

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def no_page_scroll(page) -> bool:
    """The page itself does not scroll sideways (wide tables scroll inside .table-wrap)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_overview_funding_totals(page, live_server) -> None:
    page.goto(live_server.url + "/overview")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    payers = page.locator("table.by-payer tbody tr")
    assert payers.count() == 2
    # Keyed by the payer's link (the cell also holds the standing badges of its rules).
    rows = {payers.nth(i).locator("td").first.locator("a").first.inner_text():
            payers.nth(i).inner_text() for i in range(2)}
    assert "6500万元" in rows["市财政"] and "1500万元" in rows["市财政"]
    assert "8000万元" in rows["县财政"] and "2000万元" in rows["县财政"]
    unnamed = page.locator("table.rules tr.not-computable")
    assert unnamed.count() == 1
    assert "无法计算" in unnamed.inner_text() and "未列名" in unnamed.inner_text()
    categories = page.locator("table.by-category").inner_text()
    assert "4500万元" in categories and "1亿元" in categories
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    assert chart.locator("g.series").count() == 2
    assert "第5年" in chart.inner_html() and "原文未载明公历年份" in chart.inner_html()
    page.shot("zh")


def test_language_switch_to_english(page, live_server) -> None:
    page.goto(live_server.url + "/overview")
    page.locator("header.site a.lang").click()
    page.wait_for_url("**/overview?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Totals by payer").is_visible()
    assert page.locator("ul.tree").get_by_text("Yongdong Township").is_visible()
    assert "80 million yuan" in page.locator("table.by-payer").inner_text()
    assert "Year 1" in page.locator("svg.chart").inner_html()
    assert "not computable" in page.locator("table.rules tr.not-computable").inner_text()
    # Links keep the language.
    assert page.locator("ul.tree a", has_text="Yongdong Township").get_attribute("href") == \
        "/id/division/xiushan-yongdong?lang=en"
    page.shot("en")


def test_validation_page_shows_the_ten_infos(page, live_server) -> None:
    page.goto(live_server.url + "/validation")
    assert page.locator(".summary").get_attribute("data-conforms") == "true"
    infos = page.locator("section[data-severity=Info] article.result")
    # Four of the county plan (二（二）), four of the municipal plan's account, two of the
    # secondary reports on the municipal picture (37 涉农区县, 17 municipal key townships).
    assert infos.count() == 10
    marks = [infos.nth(i).locator("blockquote mark").inner_text() for i in range(10)]
    assert {"先行示范类（13个）", "县级示范村10个", "乡镇（街道）申报创建示范村（5个）",
            "其余250个行政村", "积极推进类 the other 18 (47%)"} <= set(marks)
    # The whole sentence is quoted around the highlighted span.
    assert any("除先行示范类、重点帮扶类外，其余250个行政村按积极推进类分步骤有序推进" in
               infos.nth(i).locator("blockquote").inner_text() for i in range(10))
    assert page.locator("section[data-severity=Violation]").count() == 0
    page.shot("zh")
    page.locator("header.site a.lang").click()
    page.wait_for_url("**/validation?lang=en")
    assert "Declared 250, named 0" in page.locator("main").inner_text()
    page.shot("en")


def test_label_with_markup_is_shown_as_text(page, tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(str(write_evil(tmp_path / "data"))) as server:
        page.goto(server.url + "/overview")
        label = page.get_by_text("<script>alert(1)</script>", exact=True)
        assert label.is_visible()
        assert page.locator("main script").count() == 0
        page.wait_for_timeout(300)
        page.shot("escaped")
    assert dialogs == []


@pytest.mark.parametrize("path", ["/overview", "/overview?lang=en", "/validation"],
                         ids=["overview-zh", "overview-en", "validation"])
def test_pages_at_phone_width(page, live_server, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + path)
    assert no_page_scroll(page)
    for i in range(page.locator("main table").count()):
        table = page.locator("main table").nth(i)
        # Every table is inside a .table-wrap that scrolls on its own.
        assert table.evaluate("t => t.parentElement.classList.contains('table-wrap')")
    if path.startswith("/overview"):
        assert page.locator("svg.chart").is_visible()
        assert page.locator("table.by-payer").is_visible()
    page.shot("phone")


def test_standing_badges_are_visible_and_open_to_the_note(page, live_server) -> None:
    """The county demonstration towns' rule rests on interpretations (tests/test_standing.py
    derives which from the data): its row shows a 解读 badge, a click shows the note's text,
    and the note's name links to its page."""
    page.goto(live_server.url + "/overview")
    row = page.locator('table.rules tr[data-iri$="/rule-county-demo-town"]')
    note = row.locator('details.standing-note[data-kind="interpretation"]').first
    badge = note.locator(".badge")
    assert badge.is_visible() and badge.inner_text() == "解读"
    text = note.locator(".note-text")
    assert not text.is_visible()
    badge.click()  # on the badge: the note's name beside it is a link
    assert text.is_visible() and len(text.inner_text()) > 20
    link = note.locator("summary a")
    assert link.get_attribute("href").startswith("/id/doc/xiushan-plan/interp-")
    page.shot("standing-zh")
    page.goto(live_server.url + "/id/division/xiushan-aikou?lang=en")
    assert page.locator(".fund-rule .badge-interpretation").first.inner_text() == "interpretation"
    assert no_page_scroll(page)
