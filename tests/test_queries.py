"""The queries shipped in ``queries/`` return the answers read off the seed text by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

XIUSHAN = "https://w3id.org/xsrv-kg/id/doc/xiushan-plan"


def test_fund_rules_and_totals(run_curated) -> None:
    found = {(r["payer"], r["basis"], r["years"], r["recipients"],
              r["perYear"] and Decimal(r["perYear"]), r["wholePeriod"] and Decimal(r["wholePeriod"]))
             for r in run_curated("fund-rules.rq", doc=XIUSHAN)}
    # 三（四）, amounts in yuan:
    assert found == {
        # 市级示范村: 500万 a year for 3 years, one village (东林居委会) -> 1500万
        ("市财政", "每年", 3, 1, Decimal(5_000_000), Decimal(15_000_000)),
        # 县级示范镇: 500万 each a year for 3 years, read as 隘口镇 and 洪安镇 -> 1000万/yr, 3000万
        ("县财政", "每个每年", 3, 2, Decimal(10_000_000), Decimal(30_000_000)),
        # 乡镇申报的县级示范村: 200万 each, once; the villages are not named -> no total
        ("县财政", "每个一次", None, 0, None, None),
        # 市级重点帮扶乡镇 涌洞乡: 1000万 a year for the 5-year transition period -> 5000万
        ("市财政", "每年", 5, 1, Decimal(10_000_000), Decimal(50_000_000)),
        # 县级重点帮扶乡镇, five townships: 200万 each a year for 5 years -> 1000万/yr, 5000万
        ("县财政", "每个每年", 5, 5, Decimal(10_000_000), Decimal(50_000_000)),
    }


def test_incomplete_counts(run_curated) -> None:
    found = {(r["declared"], r["named"]) for r in run_curated("incomplete-counts.rq", doc=XIUSHAN)}
    # 二（二）: 13 pilot villages with 8 named (1 + 2 + 5); 10 county villages with 5 named;
    # 5 township-applied and 250 other villages, none named.
    assert found == {(13, 8), (10, 5), (5, 0), (250, 0)}


@pytest.mark.parametrize(("category", "tiers"), [
    ("先行示范类", {"": 2}), ("重点帮扶类", {"市级": 1, "县级": 5}), ("积极推进类", {"": 19})])
def test_townships_by_category(run_curated, category: str, tiers: dict) -> None:
    found = [r for r in run_curated("townships-by-category.rq", doc=XIUSHAN) if r["category"] == category]
    counted: dict[str, int] = {}
    for r in found:
        counted[r["tier"] or ""] = counted.get(r["tier"] or "", 0) + 1
        assert str(r["code"]).startswith("500241")
    assert counted == tiers


def test_editorial_notes(run_curated) -> None:
    kinds = [r["kind"] for r in run_curated("editorial-notes.rq", doc=XIUSHAN)]
    # A row per note and quote. Interpretations: the 7 of the plan's first edition, and 3 that
    # mark readings the data made without a note: the township-applied award read as once per
    # village (1 quote), the selection's yearly rhythm and body (2 quotes: "原则上实行一年一创",
    # "县委农办制定评审细则进行评审择优确定"), the notice's title with 《…》 for <…> (1 quote).
    # Ambiguities: 6 notes, the one on the periods quoting "连续3年" twice and "5年过渡期" (+2).
    assert kinds.count("解读") == 7 + 1 + 2 + 1 and kinds.count("存疑") == 6 + 2
