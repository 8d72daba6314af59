"""Standing marks: every figure, assignment or recipient that an editorial note qualifies is
marked where it is shown (pages, JSON twins, curated queries), and only those.

Expectations are derived from the data files themselves, parsed by rdflib (not by the store or
the product's SPARQL): a note qualifies what its ``xsrv:concerns`` names, an
``xsrv:Interpretation`` makes it "interpretation", an ``xsrv:Ambiguity`` "ambiguous" (the
stronger wins), nothing "stated". The last tests break one such link in a copy of the data and
see the mark go from a page, its JSON twin and a curated query.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import RDF

from xsrv_kg.config import Config
from xsrv_kg.server.app import create_app
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import open_store

from .conftest import shipped_rows
from .standing_data import XSRV, Notes, data_graph, data_notes

ID = "https://w3id.org/xsrv-kg/id/"
XP = ID + "doc/xiushan-plan/"
BADGE = {"zh": {"interpretation": "解读", "ambiguous": "未载明"},
         "en": {"interpretation": "interpretation", "ambiguous": "not stated"}}


@pytest.fixture(scope="module")
def notes(config: Config) -> Notes:
    return data_notes(config.data_dir)


def note_iris(items: Iterable[dict]) -> set[str]:
    return {n["iri"] for n in items}


def test_the_data_has_notes_on_fund_rules_and_units(notes: Notes) -> None:
    """The premise of the tests below: some rules and some units are qualified, so the
    assertions that follow are not about empty lists."""
    assert "interpretation" in {notes.standing(r) for r in notes.rules()}
    assert "ambiguous" in {notes.kind[n] for r in notes.rules() for n in notes.of(r)}
    assert notes.of(ID + "division/xiushan-meijiang-limu")


# --- the overview ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_rules_totals_and_chart_carry_the_notes_of_their_rules(
        client, notes: Notes, lang: str) -> None:
    model = client.get(f"/overview.json?lang={lang}").get_json()
    funding = model["funding"]
    assert {r["iri"] for r in funding["rules"]} == set(notes.rules())
    payer_of = {}
    for rule in funding["rules"]:
        assert rule["standing"] == notes.standing(rule["iri"]), rule["iri"]
        assert note_iris(rule["standingNotes"]) == notes.of(rule["iri"])
        for n in rule["standingNotes"]:
            assert n["kind"] == notes.kind[n["iri"]] and n["text"] == notes.text(n["iri"], lang)
            assert n["href"] == "/" + n["iri"].removeprefix("https://w3id.org/xsrv-kg/")
        payer_of[rule["iri"]] = rule["payer"]["iri"]
    # A payer's totals rest on all its rules; its yearly series on those with a yearly amount.
    for row in funding["byPayer"]:
        mine = [r for r, p in payer_of.items() if p == row["payer"]["iri"]]
        assert note_iris(row["standingNotes"]) == notes.of(*mine)
        assert row["standing"] == notes.standing(*mine)
    yearly = {r["iri"] for r in funding["rules"] if r["perYear"] is not None}
    for series in model["chart"]["series"]:
        mine = [r for r, p in payer_of.items() if p == series["payer"]["iri"] and r in yearly]
        assert note_iris(series["standingNotes"]) == notes.of(*mine)
    for row in funding["byCategory"]:
        mine = [r["iri"] for r in funding["rules"]
                if r["category"]["iri"] == row["category"]["iri"]]
        assert row["standing"] == notes.standing(*mine)

    html = client.get(f"/overview?lang={lang}").get_data(as_text=True)
    for rule in funding["rules"]:
        row = re.search(rf'<tr data-iri="{re.escape(rule["iri"])}".*?</tr>', html, re.S)[0]
        for note in notes.of(rule["iri"]):
            badge = BADGE[lang][notes.kind[note]]
            assert re.search(rf'data-note="{re.escape(note)}" data-kind="{notes.kind[note]}">'
                             rf'\s*<summary><span class="badge[^"]*">{badge}</span>', row)
            assert str(escape(notes.text(note, lang))) in row
    # The chart's legend says it too, for each payer whose series rests on a note.
    legends = re.findall(r'<text [^>]*class="legend">([^<]*)(?:<tspan[^>]*>([^<]*))?', html)
    marked = {s["payer"]["label"] for s in model["chart"]["series"] if s["standing"] != "stated"}
    assert marked and {p for p, mark in legends if mark} == marked


# --- resource pages ----------------------------------------------------------------------------

def units_with_funding_or_notes(notes: Notes) -> list[str]:
    g = notes.graph
    funded = {str(u) for a in g.subjects(XSRV.assignedUnit, None)
              for u in g.objects(a, XSRV.assignedUnit)
              if (u, RDF.type, XSRV.TownshipLevelDivision) in g}
    return sorted(funded | {i for i in notes.concerning if i.startswith(ID + "division/")})


def test_unit_pages_mark_the_unit_its_assignments_and_its_rules(client, notes: Notes) -> None:
    marked = 0
    for unit in units_with_funding_or_notes(notes):
        path = "/" + unit.removeprefix("https://w3id.org/xsrv-kg/")
        page = client.get(path + ".json?lang=en").get_json()
        assert note_iris(page["notes"]) == notes.of(unit) and \
            page["standing"] == notes.standing(unit), unit
        for a in page["assignments"]:
            assert note_iris(a["notes"]) == notes.of(a["assignment"]["value"])
        for f in page["funding"]:
            assert note_iris(f["notes"]) == notes.of(f["rule"]["value"])
            assert f["standing"] == notes.standing(f["rule"]["value"])
        html = client.get(path + "?lang=zh").get_data(as_text=True)
        shown = set(re.findall(r'data-note="([^"]+)"', html))
        wanted = notes.of(unit, *(a["assignment"]["value"] for a in page["assignments"]),
                          *(f["rule"]["value"] for f in page["funding"]))
        assert shown == wanted, unit
        for note in wanted:  # linked to the note's page, with its text
            assert f'href="/{note.removeprefix("https://w3id.org/xsrv-kg/")}?lang=zh"' in html
            assert str(escape(notes.text(note, "zh"))) in html
        marked += bool(wanted)
    assert marked >= 2  # 涌洞乡, 隘口镇, … and the villages the township is read for


def test_fund_rule_pages_carry_their_own_notes(client, notes: Notes) -> None:
    for rule in notes.rules():
        page = client.get("/" + rule.removeprefix("https://w3id.org/xsrv-kg/") + ".json").get_json()
        assert page["standing"] == notes.standing(rule)
        assert [n["kind"] for n in page["notes"]] == sorted(
            (notes.kind[n["iri"]] for n in page["notes"]),
            key=("interpretation", "ambiguous").index)  # the stronger first
        assert note_iris(page["notes"]) == notes.of(rule)


def test_validation_results_carry_the_notes_on_their_focus_node(client, notes: Notes) -> None:
    model = client.get("/validation.json?lang=zh").get_json()
    results = [r for g in model["groups"] for s in g["shapes"] for r in s["results"]]
    assert any(r["standingNotes"] for r in results)
    for r in results:
        assert note_iris(r["standingNotes"]) == notes.of(r["focusIri"]), r["focusIri"]
    html = client.get("/validation?lang=zh").get_data(as_text=True)
    for r in results:
        for n in r["standingNotes"]:
            assert f'data-note="{n["iri"]}"' in html


# --- breaking the link in a copy of the data ----------------------------------------------------

BROKEN_RULE = XP + "rule-county-demo-town"
BROKEN_LINE = "    xsrv:concerns xp:rule-county-demo-town ;\n"


@pytest.fixture(scope="module")
def broken_home(tmp_path_factory, config: Config) -> Path:
    """A home whose data no longer says that the two interpretations of the county
    demonstration towns concern their rule (each note's one ``xsrv:concerns`` line removed)."""
    home = tmp_path_factory.mktemp("broken-home")
    for part in ("ontology", "shapes", "queries", "web", "templates"):
        if (config.home / part).exists():
            (home / part).symlink_to(config.home / part)
    shutil.copytree(config.data_dir, home / "data")
    funding = home / "data" / "documents" / "xiushan-plan" / "funding.ttl"
    text = funding.read_text(encoding="utf-8")
    assert text.count(BROKEN_LINE) == 2
    funding.write_text(text.replace(BROKEN_LINE, ""), encoding="utf-8")
    return home


def test_without_the_concerns_triple_the_mark_goes(broken_home: Path, config: Config,
                                                    notes: Notes) -> None:
    broken = Notes(data_graph(broken_home / "data"))
    gone = notes.of(BROKEN_RULE) - broken.of(BROKEN_RULE)
    assert gone and all(notes.kind[n] == "interpretation" for n in gone)
    assert notes.standing(BROKEN_RULE) == "interpretation"
    left = broken.standing(BROKEN_RULE)
    assert left != "interpretation"  # what remains is the periods' ambiguity, if any

    app = create_app(Config(home=broken_home), workers=False)
    try:
        client = app.test_client()
        # The overview's JSON twin and page.
        rule = next(r for r in client.get("/overview.json").get_json()["funding"]["rules"]
                    if r["iri"] == BROKEN_RULE)
        assert rule["standing"] == left and note_iris(rule["standingNotes"]) == broken.of(BROKEN_RULE)
        html = client.get("/overview").get_data(as_text=True)
        # A township the rule funds: its page and its JSON twin.
        page = client.get("/id/division/xiushan-aikou.json").get_json()
        [funded] = [f for f in page["funding"] if f["rule"]["value"] == BROKEN_RULE]
        assert funded["standing"] == left and not note_iris(funded["notes"]) & gone
        aikou = client.get("/id/division/xiushan-aikou").get_data(as_text=True)
        for note in gone:
            assert f'data-note="{note}"' not in html and f'data-note="{note}"' not in aikou
    finally:
        app.extensions["xsrv"].close()

    # A curated query on a store loaded from the broken copy.
    store = open_store("memory")
    try:
        load_project(store, Config(home=broken_home))
        label = "县级乡村振兴示范镇：县财政连续3年每年分别500万元"
        assert broken.by_label(label, XSRV.FundRule) == BROKEN_RULE
        [row] = [r for r in shipped_rows(store, config, "fund-rules.rq") if r["rule"] == label]
        assert row["standing"] == left
        towns = [r for r in shipped_rows(store, config, "funding-by-unit.rq") if r["rule"] == label]
        assert towns and {r["standing"] for r in towns} == {left}
    finally:
        store.close()
