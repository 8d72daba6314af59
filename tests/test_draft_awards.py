"""Awards to named units ("西岭区桃源镇双溪村30万元"): an allocation whose recipient is one unit
(xsrv:recipientUnit) rather than a class (a category and a level); the shapes accept either,
never both, and the inferred shortcuts link the unit to the rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import rdflib

from xsrv_kg import vocab
from xsrv_kg.draft import draft, write_draft
from xsrv_kg.sources import inference
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import open_store

from .conftest import validate_files

XSRV = rdflib.Namespace(vocab.XSRV)
AWARDS = Path(__file__).parent / "fixtures" / "draft" / "award-list" / "source.txt"
RECIPIENTS = {"An allocation must have exactly one recipient category",
              "An allocation must have exactly one recipient level",
              "A fund rule must have one payment basis (per year, per recipient per year, or "
              "per recipient once)"}


def drafted(tmp_path: Path) -> Path:
    folder = tmp_path / "awards"
    write_draft(draft(AWARDS.read_text(encoding="utf-8"), doc_id="awards", area="青州市"), folder)
    return folder


def test_an_award_to_a_named_village_names_that_village_as_its_recipient(tmp_path: Path) -> None:
    folder = drafted(tmp_path)
    g = rdflib.Graph().parse(folder / "funding.ttl").parse(folder / "divisions.ttl")
    units = {str(g.value(g.value(rule, XSRV.recipientUnit), rdflib.RDFS.label))
             for rule in g.subjects(XSRV.recipientUnit, None)}
    assert units == {"双溪村", "云台村", "古井村"}
    for rule in g.subjects(XSRV.recipientUnit, None):
        assert g.value(rule, XSRV.recipientCategory) is None
        assert g.value(rule, XSRV.recipientLevel) is None


def test_the_award_lists_rules_have_all_their_recipients(config, tmp_path: Path) -> None:
    """The per-prize rules name their category and the level of its list (一等奖（2个） over
    villages); the per-village ones their village; none lacks recipients or a basis."""
    report = validate_files(config, [drafted(tmp_path)])
    assert not {r.message("en") for r in report.results} & RECIPIENTS


def test_a_rule_with_a_unit_and_a_category_is_a_violation(config, tmp_path: Path) -> None:
    folder = drafted(tmp_path)
    text = (folder / "funding.ttl").read_text(encoding="utf-8")
    both = text.replace("xsrv:recipientUnit plan:place-14 ;",
                        "xsrv:recipientUnit plan:place-14 ; xsrv:recipientCategory plan:cat-1 ;", 1)
    assert both != text
    (folder / "funding.ttl").write_text(both, encoding="utf-8")
    messages = [r.message("en") for r in validate_files(config, [folder]).results
                if r.severity == "Violation"]
    assert ("An allocation names either one recipient unit or a recipient category and level, "
            "not both") in messages


def test_a_rule_naming_no_recipients_still_lacks_a_category_and_a_level(
        config, tmp_path: Path) -> None:
    folder = drafted(tmp_path)
    text = (folder / "funding.ttl").read_text(encoding="utf-8")
    none = text.replace("    xsrv:recipientUnit plan:place-14 ;\n", "", 1)
    assert none != text
    (folder / "funding.ttl").write_text(none, encoding="utf-8")
    messages = {r.message("en") for r in validate_files(config, [folder]).results}
    assert messages >= RECIPIENTS


def test_the_inferred_shortcuts_link_an_awarded_unit_to_its_rule(config, tmp_path: Path) -> None:
    folder = drafted(tmp_path)
    store = open_store("memory")
    try:
        load_project(store, config, [folder])
        inference.refresh(store, config)
        rows = store.query(
            "SELECT ?label WHERE { ?rule xsrv:recipientUnit ?unit . "
            "?unit xsrv:fundedBy ?rule ; rdfs:label ?label }",
            prefixes=vocab.PREFIXES, union_default_graph=True)
        assert sorted(str(r["label"].value) for r in rows) == sorted(["双溪村", "云台村", "古井村"])
    finally:
        store.close()


def test_the_overview_of_an_award_list_lists_each_award_once_and_totals_the_stated_sum(
        config, tmp_path: Path) -> None:
    """Two prize rules (80万元 × 2, 50万元 × 3, once each) and three named awards of 30万元:
    each rule once with its recipients in the text's order, and 400万元 in all, the text's
    own "合计400万元"."""
    from xsrv_kg.pages import overview

    folder = drafted(tmp_path)
    store = open_store("memory")
    try:
        load_project(store, config, [folder])
        model = overview.build(store, "https://w3id.org/xsrv-kg/id/", "zh",
                               document=vocab.PREFIXES["doc"] + "awards")
    finally:
        store.close()
    rules = model["funding"]["rules"]
    assert [([u["label"] for u in r["recipients"]["units"]], r["total"]) for r in rules] == [
        (["红星村", "石门村"], 1600000), (["枫树村", "翠竹社区", "河口村"], 1500000),
        (["双溪村"], 300000), (["云台村"], 300000), (["古井村"], 300000)]
    assert [r["unit"]["label"] for r in rules if r["unit"]] == ["双溪村", "云台村", "古井村"]
    (payer,) = model["funding"]["byPayer"]
    assert (payer["total"], payer["rulesWithoutTotal"]) == (4000000, 0)


def test_an_awarded_villages_page_shows_its_award(config, tmp_path: Path) -> None:
    from xsrv_kg.pages.assignments import funding_of
    from xsrv_kg.pages.terms import TermNames

    folder = drafted(tmp_path)
    store = open_store("memory")
    try:
        load_project(store, config, [folder])
        (village,) = [r["unit"].value for r in store.query(
            'SELECT ?unit WHERE { ?unit rdfs:label "双溪村"@zh }', prefixes=vocab.PREFIXES,
            union_default_graph=True)]
        funding = funding_of(store, TermNames(store, "zh"), village)
    finally:
        store.close()
    assert [(f.amount, f.whole_period, f.recipients) for f in funding] == [("300000", "300000", 1)]


def test_the_curated_fund_queries_reckon_the_awards_as_the_overview_does(
        config, tmp_path: Path) -> None:
    from .conftest import curated_text, rows

    folder = drafted(tmp_path)
    doc = vocab.PREFIXES["doc"] + "awards"
    store = open_store("memory")
    try:
        load_project(store, config, [folder])
        rules = rows(store, curated_text(config, "fund-rules.rq", doc=doc))
        payers = rows(store, curated_text(config, "commitments-by-payer.rq", doc=doc))
    finally:
        store.close()
    assert sorted((r["recipients"], Decimal(str(r["wholePeriod"]))) for r in rules) == [
        (1, 300000), (1, 300000), (1, 300000), (2, 1600000), (3, 1500000)]
    assert [(p["payer"], p["rules"], p["rulesWithoutTotal"], Decimal(str(p["wholePeriod"])))
            for p in payers] == [
        ("市财政", 5, 0, 4000000)]
