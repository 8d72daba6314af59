"""The Python API (xsrv_kg.api): queries with labels and parameters, validation, pandas, and
the README's notebook example, checked against the store and the curated queries."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg import KnowledgeGraph
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, Forbidden
from xsrv_kg.store import Store

from .conftest import Runner, rows, shipped_rows

README = Path(__file__).resolve().parent.parent / "README.md"
KEY = "https://w3id.org/xsrv-kg/id/doc/xiushan-plan/cat-key-assistance"
ASSIGNED_UNITS = """SELECT ?unit WHERE {
  ?a xsrv:assignedCategory ?category ; xsrv:assignedUnit ?unit } ORDER BY ?unit"""


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph(config=Config()) as graph:
        yield graph


def test_a_select_gives_python_values_and_a_label_beside_each_iri_column(
        kg: KnowledgeGraph, store: Store) -> None:
    got = kg.query("""SELECT ?rule ?amount ?years WHERE {
        ?rule a xsrv:FundRule ; xsrv:amount ?amount ;
              time:hasDuration/time:numericDuration ?years } ORDER BY ?rule""")
    assert got.columns == ("rule", "ruleLabel", "amount", "years")
    expected = rows(store, """SELECT ?rule ?label ?amount ?years WHERE {
        ?rule a xsrv:FundRule ; rdfs:label ?label ; xsrv:amount ?amount ;
              time:hasDuration/time:numericDuration ?years FILTER(lang(?label) = "zh")
        } ORDER BY ?rule""")
    assert [(r["rule"], r["ruleLabel"], r["amount"], r["years"]) for r in got] == \
        [(e["rule"], e["label"], Decimal(e["amount"]), e["years"]) for e in expected]
    assert all(isinstance(r["amount"], Decimal) and isinstance(r["years"], int) for r in got)


def test_labels_come_in_the_chosen_language(store: Store) -> None:
    with KnowledgeGraph(config=Config(), lang="en") as english:
        got = english.query(ASSIGNED_UNITS, category=english.iri(KEY))
    expected = rows(store, f"""SELECT ?unit ?label WHERE {{
        ?a xsrv:assignedCategory <{KEY}> ; xsrv:assignedUnit ?unit .
        ?unit rdfs:label ?label FILTER(lang(?label) = "en") }} ORDER BY ?unit""")
    assert [(r["unit"], r["unitLabel"]) for r in got] == \
        [(e["unit"], e["label"]) for e in expected]
    assert expected


def test_a_parameter_binds_before_grouping(kg: KnowledgeGraph) -> None:
    count = """SELECT (COUNT(?unit) AS ?n) WHERE {
        ?a xsrv:assignedCategory ?category ; xsrv:assignedUnit ?unit }"""
    units = kg.query(ASSIGNED_UNITS, category=kg.iri(KEY))
    counted = kg.query(count, category=kg.iri(KEY))
    everything = kg.query(count)
    # A trailing VALUES would join after the grouping and leave the total unchanged.
    assert [r["n"] for r in counted] == [len(units)]
    assert 0 < len(units) < everything[0]["n"]


def test_python_values_bind_as_typed_literals(kg: KnowledgeGraph) -> None:
    amount = Decimal("10000000")
    by_decimal = kg.query("SELECT ?rule WHERE { ?rule xsrv:amount ?amount }", amount=amount)
    by_query = kg.query(f"SELECT ?rule WHERE {{ ?rule xsrv:amount ?a FILTER(?a = {amount}) }}")
    assert [r["rule"] for r in by_decimal] == [r["rule"] for r in by_query] != []
    by_label = kg.query("SELECT ?t WHERE { ?t a xsrv:TownshipLevelDivision ; rdfs:label ?name }",
                        name=ox.Literal("涌洞乡", language="zh"))
    assert [r["tLabel"] for r in by_label] == ["涌洞乡"]
    # A plain str is a plain literal: labels carry a language, so it matches none of them.
    assert len(kg.query("SELECT ?t WHERE { ?t rdfs:label ?name }", name="涌洞乡")) == 0


def test_a_string_parameter_cannot_break_out_of_its_literal(kg: KnowledgeGraph) -> None:
    sneaky = '" } } SELECT * WHERE { ?s ?p ?o } #'
    assert len(kg.query("SELECT ?t WHERE { ?t rdfs:label ?name }", name=sneaky)) == 0


def test_a_parameter_the_query_lacks_or_cannot_bind_is_bad_input(kg: KnowledgeGraph) -> None:
    with pytest.raises(BadInput, match=r"parameter nmae: the query has no \?nmae"):
        kg.query("SELECT ?t WHERE { ?t rdfs:label ?name }", nmae="x")
    with pytest.raises(BadInput, match="parameter name: cannot bind a list"):
        kg.query("SELECT ?t WHERE { ?t rdfs:label ?name }", name=["x"])
    with pytest.raises(BadInput, match="no WHERE group"):
        kg.query("DESCRIBE ?t", t=kg.iri(KEY))


def test_ask_gives_a_bool_and_construct_the_triples(kg: KnowledgeGraph) -> None:
    assert kg.query("ASK { ?r a xsrv:FundRule }") is True
    assert kg.query("ASK { ?r a xsrv:NoSuchClass }") is False
    triples = kg.query("CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l }",
                       c=kg.iri(KEY))
    assert {t.object.value for t in triples} == \
        {r["l"] for r in kg.query("SELECT ?l WHERE { ?c rdfs:label ?l }", c=kg.iri(KEY))}


def test_a_curated_query_runs_by_name_as_in_process(kg: KnowledgeGraph, store: Store,
                                                    config: Config) -> None:
    got = kg.query("townships-by-category.rq")
    expected = shipped_rows(store, config, "townships-by-category.rq")
    assert got.variables == tuple(expected[0])
    assert [{k: None if r[k] is None else str(r[k]) for k in got.variables} for r in got] == \
        [{k: None if v is None else str(v) for k, v in e.items()} for e in expected]


def test_service_outside_the_allow_list_is_forbidden(kg: KnowledgeGraph) -> None:
    with pytest.raises(Forbidden, match="SERVICE http://127.0.0.1:9/sparql is not allowed"):
        kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_validate_returns_the_report_the_command_gives(kg: KnowledgeGraph,
                                                       runner: Runner) -> None:
    import json

    report = kg.validate()
    cli = json.loads(runner.invoke(args=["validate", "--format", "json"]).stdout_bytes)
    assert report.conforms is cli["conforms"]
    assert report.counts() == cli["counts"]
    assert [r.focus for r in report.results] == [r["focus"] for r in cli["results"]]
    one = kg.validate(graphs=["documents/xiushan-plan"])
    cli_one = json.loads(runner.invoke(args=["validate", "--format", "json", "--graph",
                                             "documents/xiushan-plan"]).stdout_bytes)
    assert [r.focus for r in one.results] == [r["focus"] for r in cli_one["results"]]
    assert one.counts() == cli_one["counts"] != cli["counts"]


def test_a_loaded_oxigraph_store_answers_as_memory_does(kg: KnowledgeGraph, runner: Runner,
                                                        tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert runner.invoke(args=["load", "--store", spec]).exit_code == 0
    with KnowledgeGraph(config=Config(), store=spec) as on_disk:
        assert list(on_disk.query(ASSIGNED_UNITS, category=on_disk.iri(KEY))) == \
            list(kg.query(ASSIGNED_UNITS, category=kg.iri(KEY)))
    with pytest.raises(BadInput, match="give data files or a persistent store"):
        KnowledgeGraph(config=Config(), store=spec, data=["data"])


def test_data_files_replace_the_project_data(tmp_path: Path) -> None:
    (tmp_path / "one.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<http://example.org/x> rdfs:label "x"@en .\n', encoding="utf-8")
    with KnowledgeGraph(config=Config(), data=[tmp_path / "one.ttl"]) as small:
        assert small.query("ASK { ?r a xsrv:FundRule }") is False
        assert [r["label"] for r in small.query(
            "SELECT ?label WHERE { <http://example.org/x> rdfs:label ?label }")] == ["x"]


def test_to_pandas_has_the_columns_and_values_of_the_rows(kg: KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    got = kg.query(ASSIGNED_UNITS, category=kg.iri(KEY))
    frame = got.to_pandas()
    assert tuple(frame.columns) == got.columns
    assert frame.to_dict("records") == list(got)


def test_to_pandas_without_pandas_says_which_extra_to_install(
        kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'xsrv-kg\[pandas\]'"):
        kg.query(ASSIGNED_UNITS, category=kg.iri(KEY)).to_pandas()


def _readme_example() -> tuple[str, str]:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- tests/test_api.py runs this block[^\n]*-->\n```python\n(.*?)```"
                      r"\s*```text\n(.*?)```", text, re.S)
    assert found, "the README's notebook example is missing"
    return found.group(1), found.group(2)


def test_the_readme_notebook_example_prints_what_the_readme_shows(
        store: Store, config: Config) -> None:
    pytest.importorskip("pandas")
    code, shown = _readme_example()
    printed = io.StringIO()
    scope: dict[str, object] = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), scope)
    scope["kg"].close()
    assert printed.getvalue() == shown
    # The answer agrees with the curated query that lists the funding of every unit.
    curated = {(r["unit"], Decimal(str(r["perYear"])), r["payer"], r["years"])
               for r in shipped_rows(store, config, "funding-by-unit.rq")
               if r["category"] == "重点帮扶类"}
    table = scope["table"]
    assert set(table.itertuples(index=False, name=None)) == curated
