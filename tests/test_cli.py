"""The ``xsrv-kg`` command, run through click's test runner on a tiny project in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result

from xsrv_kg.cli import main
from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.errors import BadInput, UnsupportedShapes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

PREFIXES = """\
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix id: <https://w3id.org/xsrv-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
"""

TOWNS_RQ = "SELECT ?town ?label WHERE { ?town a xsrv:Town ; rdfs:label ?label } ORDER BY ?town\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A project with one ontology, shapes and data file each, and one shipped query."""
    files = {
        "ontology/xsrv.ttl": PREFIXES + 'xsrv:Town a owl:Class ; rdfs:label "乡镇"@zh .\n',
        "shapes/towns.ttl": PREFIXES + "[] a sh:NodeShape ; sh:targetClass xsrv:Town .\n",
        "data/documents/test/towns.ttl": PREFIXES + (
            'id:aikou a xsrv:Town ; rdfs:label "隘口镇"@zh .\n'
            'id:zhongling a xsrv:Town ; rdfs:label "钟灵镇"@zh .\n'),
        "queries/towns.rq": TOWNS_RQ,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def run(home: Path | None, *args: str, input: str | None = None) -> Result:
    config = Config() if home is None else Config(home=home)
    return CliRunner().invoke(main, list(args), obj=config, input=input, catch_exceptions=False)


# --- query ----------------------------------------------------------------------------------


def test_query_prints_a_table(home: Path) -> None:
    result = run(home, "query", TOWNS_RQ)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["town", "label"]
    assert [c.strip() for c in lines[2].split("|")] == ["id:aikou", "隘口镇"]
    assert lines[-1] == "(2 rows)"
    assert result.stderr == ""


def test_query_json(home: Path) -> None:
    result = run(home, "query", TOWNS_RQ, "--format", "json")
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["隘口镇", "钟灵镇"]


def test_query_from_shipped_file_path_and_stdin(home: Path) -> None:
    by_name = run(home, "query", "towns.rq", "--format", "csv")
    by_path = run(home, "query", str(home / "queries" / "towns.rq"), "--format", "csv")
    by_stdin = run(home, "query", "-", "--format", "csv", input=TOWNS_RQ)
    for result in (by_name, by_path, by_stdin):
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[1:] == [
            "https://w3id.org/xsrv-kg/id/aikou,隘口镇",
            "https://w3id.org/xsrv-kg/id/zhongling,钟灵镇",
        ]


def test_query_sees_ontology_and_shapes_too(home: Path) -> None:
    result = run(home, "query", "ASK { xsrv:Town a owl:Class . ?s sh:targetClass xsrv:Town }")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "true\n"


def test_query_data_option_replaces_project_data(home: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("other") / "one.ttl"
    other.write_text(PREFIXES + 'id:x a xsrv:Town ; rdfs:label "清溪场镇"@zh .\n',
                     encoding="utf-8")
    result = run(home, "query", TOWNS_RQ, "--data", str(other), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["https://w3id.org/xsrv-kg/id/x,清溪场镇"]


def test_query_syntax_error_exits_2_and_names_the_problem(home: Path) -> None:
    result = run(home, "query", "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("xsrv-kg: error: SPARQL syntax error: error at 1:")


def test_query_unknown_format_exits_2(home: Path) -> None:
    result = run(home, "query", TOWNS_RQ, "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_query_format_that_does_not_fit_the_result_exits_2(home: Path) -> None:
    result = run(home, "query", "CONSTRUCT WHERE { ?s a xsrv:Town }", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("xsrv-kg: error: format 'csv' does not apply")


def test_query_missing_file_exits_2(home: Path) -> None:
    result = run(home, "query", "nope.rq")
    assert result.exit_code == 2
    assert result.stderr == "xsrv-kg: error: nope.rq: no such query file\n"


def test_missing_data_path_exits_2(home: Path) -> None:
    result = run(home, "query", TOWNS_RQ, "--data", str(home / "missing"))
    assert result.exit_code == 2
    assert "missing: no such file or directory" in result.stderr


def test_broken_data_file_exits_2_with_file_and_line(home: Path) -> None:
    broken = home / "data" / "documents" / "test" / "towns.ttl"
    broken.write_text(PREFIXES + "id:aikou a .\n", encoding="utf-8")
    result = run(home, "query", TOWNS_RQ)
    assert result.exit_code == 2
    assert f"xsrv-kg: error: {broken}:6:" in result.stderr


# --- export ---------------------------------------------------------------------------------


def quads(data: bytes, fmt: str) -> list[tuple]:
    return list(rdflib.Dataset().parse(data=data, format=fmt).quads())


def test_export_part_picks_graphs(home: Path) -> None:
    base = Config(home=home)
    expected = {
        "ontology": {base.graph_iri("ontology")},
        "shapes": {base.graph_iri("shapes")},
        "data": {base.graph_iri("documents/test")},
    }
    expected["all"] = set().union(*expected.values())
    for part, graphs in expected.items():
        result = run(home, "export", "--part", part, "--format", "nquads")
        assert result.exit_code == 0, result.stderr
        assert {str(q[3]) for q in quads(result.stdout_bytes, "nquads")} == graphs, part


def test_export_defaults_to_trig_of_everything_and_reads_xsrv_home(home: Path) -> None:
    result = CliRunner().invoke(main, ["export"], env={"XSRV_HOME": str(home)})
    assert result.exit_code == 0, result.stderr
    assert len(quads(result.stdout_bytes, "trig")) == 2 + 2 + 4


def test_export_turtle_merges(home: Path) -> None:
    result = run(home, "export", "--format", "turtle")
    assert result.exit_code == 0, result.stderr
    assert len(rdflib.Graph().parse(data=result.stdout_bytes, format="turtle")) == 2 + 2 + 4


def test_export_unknown_part_exits_2(home: Path) -> None:
    result = run(home, "export", "--part", "everything")
    assert result.exit_code == 2
    assert "Invalid value for '--part'" in result.stderr


def test_export_real_project_data_round_trips() -> None:
    """Uses the project's own data/: holds for any data that loads."""
    trig = run(None, "export", "--part", "data", "--format", "trig")
    assert trig.exit_code == 0, trig.stderr
    assert trig.stdout_bytes.strip()
    nquads = run(None, "export", "--part", "data", "--format", "nquads")
    assert nquads.exit_code == 0, nquads.stderr
    lines = [line for line in nquads.stdout_bytes.splitlines() if line.strip()]
    assert len(quads(trig.stdout_bytes, "trig")) == len(lines)


# --- validate (the validation and reporting modules are stand-ins here) ---------------------


@pytest.fixture
def fake_validation(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Replace xsrv_kg.validation and its rendering so only the command's wiring is under test."""
    calls: dict = {"conforms": True, "error": None}

    def validate(store, config: Config, *, engine: str, graphs: list[str] | None,
                 progress: object = None) -> object:
        calls["args"] = (config, sorted(store.graphs()), engine, graphs)
        if calls["error"]:
            raise calls["error"]
        return types.SimpleNamespace(conforms=calls["conforms"])

    def render(report: object, fmt: str, lang: str) -> str:
        return f"报告 conforms={report.conforms} fmt={fmt} lang={lang}"

    monkeypatch.setitem(sys.modules, "xsrv_kg.validation",
                        types.SimpleNamespace(validate=validate))
    monkeypatch.setitem(sys.modules, "xsrv_kg.validation.rendering", types.SimpleNamespace(render=render))
    return calls


def test_validate_conforming_exits_0(home: Path, fake_validation: dict) -> None:
    result = run(home, "validate")
    assert result.exit_code == 0
    assert result.stdout == "报告 conforms=True fmt=text lang=zh\n"
    config, graphs, engine, only = fake_validation["args"]
    assert config.home == home and engine == "store" and only is None
    assert graphs == [config.graph_iri(g) for g in ("documents/test", "ontology", "shapes")]


def test_validate_not_conforming_exits_1(home: Path, fake_validation: dict) -> None:
    fake_validation["conforms"] = False
    towns = home / "data" / "documents" / "test" / "towns.ttl"
    result = run(home, "validate", str(towns), "--format", "json", "--lang", "en",
                 "--engine", "pyshacl", "--graph", "towns", "--graph", "urn:x:g")
    assert result.exit_code == 1
    assert result.stdout == "报告 conforms=False fmt=json lang=en\n"
    config, graphs, engine, only = fake_validation["args"]
    assert config.graph_iri("towns") in graphs and engine == "pyshacl"
    assert only == [config.graph_iri("towns"), "urn:x:g"]


def test_validate_bad_input_exits_2(home: Path, fake_validation: dict) -> None:
    fake_validation["error"] = BadInput("x.ttl: 坏了")
    result = run(home, "validate")
    assert result.exit_code == 2
    assert result.stderr == "xsrv-kg: error: x.ttl: 坏了\n"


def test_validate_unsupported_shapes_exits_3(home: Path, fake_validation: dict) -> None:
    fake_validation["error"] = UnsupportedShapes("ex:S: the store engine does not support sh:or")
    result = run(home, "validate")
    assert result.exit_code == 3
    assert result.stderr == "xsrv-kg: error: ex:S: the store engine does not support sh:or\n"


def test_validate_with_shapes_the_store_engine_cannot_run_exits_3(home: Path) -> None:
    """The real stack: a shape with sh:or is refused by name by the store engine (exit 3,
    nothing on stdout); pySHACL runs it."""
    (home / "shapes" / "towns.ttl").write_text(PREFIXES + (
        "xsrv:TownShape a sh:NodeShape ; sh:targetClass xsrv:Town ;\n"
        "  sh:or ( [ sh:path rdfs:label ; sh:minCount 1 ] [ sh:path rdfs:comment ; sh:minCount 1 ] ) .\n"),
        encoding="utf-8")
    refused = run(home, "validate", "--engine", "store")
    assert refused.exit_code == 3
    assert refused.stdout == ""
    assert refused.stderr.startswith("xsrv-kg: error: xsrv:TownShape: the store engine does not "
                                     "support sh:or"), refused.stderr
    assert run(home, "validate", "--engine", "pyshacl").exit_code == 0


def test_validate_missing_path_exits_2(home: Path) -> None:
    result = run(home, "validate", "nowhere.ttl")
    assert result.exit_code == 2 and "nowhere.ttl: no such file" in result.stderr


# --- encoding -------------------------------------------------------------------------------


def test_chinese_output_under_c_locale(home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON"))}
    env.update(LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii", PYTHONUTF8="0",
               XSRV_HOME=str(home), PYTHONPATH=str(DEFAULT_HOME))

    def xsrv_kg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "xsrv_kg", *args], env=env,
                              capture_output=True, timeout=60)

    ok = xsrv_kg("query", TOWNS_RQ)
    assert ok.returncode == 0, ok.stderr.decode("utf-8")
    assert "隘口镇" in ok.stdout.decode("utf-8")
    chinese_query = xsrv_kg("query", 'SELECT ?t WHERE { ?t rdfs:label "钟灵镇"@zh }')
    assert chinese_query.returncode == 0, chinese_query.stderr.decode("utf-8")
    assert chinese_query.stdout.decode("utf-8").splitlines()[2].strip() == "id:zhongling"
    failed = xsrv_kg("query", "不存在.rq")
    assert failed.returncode == 2
    assert failed.stderr.decode("utf-8") == "xsrv-kg: error: 不存在.rq: no such query file\n"
