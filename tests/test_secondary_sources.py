"""The municipal picture from secondary sources (data/documents/chongqing-plan/secondary.*):
each fact names the page it comes from and cites the stored account of it, its numbers are the
account's, and what the account leaves open is modelled, not filled in.

Expectations come from the reference README's section (a verbatim copy is the stored account)
and from the data files read with rdflib.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF

from xsrv_kg.config import Config

from .conftest import DEFAULT_HOME, validate_files
from .standing_data import XSRV, data_graph

PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SCHEMA = rdflib.Namespace("https://schema.org/")
CP = "https://w3id.org/xsrv-kg/id/doc/chongqing-plan/"
YONGDONG = "https://w3id.org/xsrv-kg/id/division/xiushan-yongdong"
REFERENCE = DEFAULT_HOME.parent / "shared" / "reference" / "README.md"
HEADING = "## More about the municipal picture"


def account(config: Config) -> str:
    return (config.data_dir / "documents" / "chongqing-plan" / "secondary.txt").read_text(
        encoding="utf-8")


def test_the_stored_account_is_the_reference_section_verbatim(config: Config) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is not beside this checkout")
    reference = REFERENCE.read_text(encoding="utf-8")
    assert account(config) == reference[reference.index(HEADING):]


def test_each_secondary_fact_names_its_source_and_cites_the_account(config: Config) -> None:
    g = data_graph(config.data_dir)
    text = account(config)
    secondary = {s for s in g.subjects(XSRV.secondarySource, None)}
    assert len(secondary) >= 4
    for fact in secondary:
        for source in g.objects(fact, XSRV.secondarySource):
            assert (source, RDF.type, PROV.Entity) in g, source
        spans = list(g.objects(fact, XSRV.sourceSpan))
        assert spans, fact
        for span in spans:
            assert (g.value(span, OA.hasSource), RDF.type, XSRV.SecondarySourceText) in g
            start, end = int(g.value(span, OA.start)), int(g.value(span, OA.end))
            assert text[start:end] == str(g.value(span, OA.exact)), fact


def test_the_reported_numbers_are_the_account_s(config: Config) -> None:
    g = data_graph(config.data_dir)
    text = account(config)
    reported = {str(c): int(g.value(c, XSRV.reportedValue))
                for c in g.subjects(RDF.type, XSRV.ReportedCount)}
    assert reported == {
        CP + "count-she-nong-37": int(re.search(r"\*\*(\d+) agriculture-related", text)[1]),
        CP + "count-municipal-key-townships": int(re.search(r"\*\*(\d+) municipal key-ass", text)[1]),
    }
    # "20.9亿元": 1亿 = 10^8 yuan; "39.1%".
    amount = rdflib.URIRef(CP + "subsidy-key-counties-2021")
    yi = Decimal(re.search(r"\((\d+(?:\.\d+)?)亿元\)", text)[1])
    assert Decimal(str(g.value(amount, SCHEMA.value))) == yi * 10**8
    assert Decimal(str(g.value(amount, XSRV.reportedShare))) == \
        Decimal(re.search(r"\*\*(\d+(?:\.\d+)?)%\*\*", text)[1])
    # Who "the key counties" are is left open: no category, tier or unit is linked to it.
    assert all(g.value(amount, p) is None
               for p in (XSRV.recipientCategory, XSRV.recipientTier, XSRV.countedIn))
    assert any((n, XSRV.concerns, amount) in g for n in g.subjects(RDF.type, XSRV.Ambiguity))


def test_yongdong_among_the_17_is_an_interpretation(config: Config, client) -> None:
    g = data_graph(config.data_dir)
    counted = rdflib.URIRef(CP + "count-municipal-key-townships")
    assert set(g.subjects(XSRV.countedIn, counted)) == {rdflib.URIRef(YONGDONG)}
    notes = [n for n in g.subjects(XSRV.concerns, rdflib.URIRef(YONGDONG))
             if (n, RDF.type, XSRV.Interpretation) in g
             and (n, XSRV.concernsProperty, XSRV.countedIn) in g]
    assert len(notes) == 1
    page = client.get("/id/division/xiushan-yongdong.json").get_json()
    assert page["standing"] == "interpretation" and [n["iri"] for n in page["notes"]] == \
        [str(notes[0])]
    html = client.get("/id/division/xiushan-yongdong?lang=en").get_data(as_text=True)
    assert f'data-note="{notes[0]}"' in html


def test_secondary_pages_say_so(config: Config, client) -> None:
    g = data_graph(config.data_dir)
    for fact in set(g.subjects(XSRV.secondarySource, None)):
        path = "/" + str(fact).removeprefix("https://w3id.org/xsrv-kg/")
        html = client.get(path + "?lang=zh").get_data(as_text=True)
        assert '<span class="badge badge-secondary">二手来源</span>' in html, path
        for source in g.objects(fact, XSRV.secondarySource):
            assert f'title="{source}"' in html


def test_the_note_on_the_38_units_concerns_both_counts(config: Config) -> None:
    g = data_graph(config.data_dir)
    note = rdflib.URIRef(CP + "note-she-nong-units")
    assert {str(o) for o in g.objects(note, XSRV.concerns)} >= {
        CP + "count-units", CP + "count-she-nong-37"}
    comment = next(str(c) for c in g.objects(note, rdflib.RDFS.comment) if c.language == "en")
    assert "are not the code table's 38" in comment


def test_more_members_than_reported_is_a_violation(data_copy: Path, config: Config) -> None:
    """Eighteen townships counted in the 17 is inconsistent, not incomplete."""
    g = data_graph(config.data_dir)
    townships = sorted(str(t) for t in g.subjects(RDF.type, XSRV.TownshipLevelDivision)
                       if str(t) != YONGDONG)[:17]
    with open(data_copy / "links" / "xiushan-chongqing" / "links.ttl", "a",
              encoding="utf-8") as f:
        for t in townships:
            f.write(f"\n<{t}> xsrv:countedIn cp:count-municipal-key-townships .\n")
    report = validate_files(config, [data_copy], engine="store")
    violations = [r for r in report.results if r.severity == "Violation"]
    assert [(r.shape, r.focus) for r in violations] == [
        ("xsh:ReportedCountShape", "cp:count-municipal-key-townships")]
    assert "18" in violations[0].message("en") and "17" in violations[0].message("en")
