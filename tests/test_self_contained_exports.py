"""The project's own exports are self-contained: they carry each source text as ``cnt:chars``,
so `validate`, `load` and `serve PATH` take them without the ``source.txt`` files, and a
broken copy is caught with the problem named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.server.app import create_app

from .conftest import Runner

XP = vocab.BASE + "id/doc/xiushan-plan/"
COUNT_TOWNSHIPS = ox.NamedNode(XP + "count-townships")
DECLARED = ox.NamedNode(vocab.XSRV + "declaredValue")
AMOUNT = ox.NamedNode(vocab.XSRV + "amount")
YONGDONG = ox.NamedNode(vocab.BASE + "id/division/xiushan-yongdong")
SOURCE = Config().data_dir / "documents" / "xiushan-plan" / "source.txt"


@pytest.fixture(scope="module")
def exported(runner: Runner) -> dict[str, bytes]:
    """``xsrv-kg export --part data`` in each format."""
    out = {}
    for fmt in ("trig", "nquads", "turtle"):
        result = runner.invoke(args=["export", "--part", "data", "--format", fmt])
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout_bytes
    return out


def _report(runner: Runner, *paths: Path) -> tuple[int, dict]:
    result = runner.invoke(args=["validate", *map(str, paths), "--format", "json",
                                 "--lang", "en"])
    return result.exit_code, json.loads(result.stdout_bytes) if result.stdout_bytes else {}


@pytest.fixture(scope="module")
def project_report(runner: Runner) -> dict:
    code, report = _report(runner)
    assert code == 0
    return report


@pytest.mark.parametrize("fmt", ["trig", "nquads", "turtle"])
def test_an_export_validates_as_the_project_does_without_its_source_files(
        runner: Runner, exported: dict[str, bytes], project_report: dict, tmp_path: Path,
        fmt: str) -> None:
    path = tmp_path / f"export.{ {'trig': 'trig', 'nquads': 'nq', 'turtle': 'ttl'}[fmt] }"
    path.write_bytes(exported[fmt])
    assert not (tmp_path / "source.txt").exists()
    code, report = _report(runner, path)
    assert code == 0
    assert report == project_report


def _declared_townships(quads: list[ox.Quad]) -> int:
    return next(int(q.object.value) for q in quads
                if q.subject == COUNT_TOWNSHIPS and q.predicate == DECLARED)


def _drop_a_township(quads: list[ox.Quad]) -> tuple[list[ox.Quad], str, str, str]:
    declared = _declared_townships(quads)
    kept = [q for q in quads if q.subject != YONGDONG]
    return kept, "xp:count-townships", f"{declared} units declared", f"has {declared - 1}"


def _change_a_declared_count(quads: list[ox.Quad]) -> tuple[list[ox.Quad], str, str, str]:
    declared = _declared_townships(quads)
    changed = [ox.Quad(q.subject, q.predicate,
                       ox.Literal(str(declared - 1), datatype=q.object.datatype), q.graph_name)
               if q.subject == COUNT_TOWNSHIPS and q.predicate == DECLARED else q
               for q in quads]
    return changed, "xp:count-townships", f"{declared - 1} units declared", f"has {declared}"


def _negate_an_amount(quads: list[ox.Quad]) -> tuple[list[ox.Quad], str, str, str]:
    target = next(q for q in quads if q.predicate == AMOUNT)
    negative = ox.Literal("-" + target.object.value, datatype=target.object.datatype)
    changed = [ox.Quad(q.subject, q.predicate, negative, q.graph_name) if q == target else q
               for q in quads]
    focus = "xp:" + target.subject.value.removeprefix(XP)
    return changed, focus, "positive", negative.value


@pytest.mark.parametrize("break_it", [_drop_a_township, _change_a_declared_count,
                                      _negate_an_amount], ids=lambda f: f.__name__[1:])
def test_a_broken_export_fails_validation_naming_the_problem(
        runner: Runner, exported: dict[str, bytes], tmp_path: Path,
        break_it: Callable[[list[ox.Quad]], tuple]) -> None:
    quads = list(ox.parse(exported["trig"], format=ox.RdfFormat.TRIG))
    broken, focus, *words = break_it(quads)
    path = tmp_path / "broken.trig"
    path.write_bytes(ox.serialize(broken, format=ox.RdfFormat.TRIG))
    code, report = _report(runner, path)
    assert code == 1
    assert not report["conforms"]
    named = [r for r in report["results"]
             if r["severity"] == "Violation" and r["focus"] == focus
             and all(word in r["messages"]["en"] for word in words)]
    assert named, [r["messages"]["en"] for r in report["results"]]


def _plan_graph(exported: dict[str, bytes]) -> bytes:
    """The export's graph of the Xiushan plan alone (its text is that source.txt)."""
    graph = ox.NamedNode(Config().graph_iri("documents/xiushan-plan"))
    quads = [q for q in ox.parse(exported["trig"], format=ox.RdfFormat.TRIG)
             if q.graph_name == graph]
    return ox.serialize(quads, format=ox.RdfFormat.TRIG)


def test_an_export_beside_the_same_source_text_loads_that_text_once(
        runner: Runner, exported: dict[str, bytes], tmp_path: Path) -> None:
    (tmp_path / "plan.trig").write_bytes(_plan_graph(exported))
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    result = runner.invoke(args=["query", "--data", str(tmp_path / "plan.trig"), "--format", "json",
                                 f"SELECT ?t WHERE {{ <{XP}text> cnt:chars ?t }}"])
    bindings = json.loads(result.stdout_bytes)["results"]["bindings"]
    assert [b["t"]["value"] for b in bindings] == [SOURCE.read_text(encoding="utf-8")]


def test_an_export_whose_text_differs_from_the_source_file_beside_it_is_refused(
        runner: Runner, exported: dict[str, bytes], tmp_path: Path) -> None:
    (tmp_path / "export.trig").write_bytes(_plan_graph(exported))
    text = SOURCE.read_text(encoding="utf-8")
    at = text.index("涌洞乡")
    (tmp_path / "source.txt").write_text(text[:at] + "某" + text[at + 1:], encoding="utf-8")
    result = runner.invoke(args=["validate", str(tmp_path / "export.trig")])
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    message = result.stderr
    assert str(tmp_path / "export.trig") in message
    assert f"cnt:chars of <{XP}text> differs from its source text 'source.txt'" in message
    assert f"first difference at character {at}" in message


def test_load_puts_an_export_into_a_store_with_its_texts(
        runner: Runner, exported: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "export.nq"
    path.write_bytes(exported["nquads"])
    spec = f"oxigraph:{tmp_path / 'store'}"
    loaded = runner.invoke(args=["load", str(path), "--store", spec])
    assert loaded.exit_code == 0, loaded.output
    checked = runner.invoke(args=["validate", "--store", spec])
    assert checked.exit_code == 0, checked.output
    texts = runner.invoke(args=["query", "--store", spec, "--format", "json",
                                f"SELECT ?t WHERE {{ <{XP}text> cnt:chars ?t }}"])
    bindings = json.loads(texts.stdout_bytes)["results"]["bindings"]
    assert [b["t"]["value"] for b in bindings] == [SOURCE.read_text(encoding="utf-8")]


def test_serve_path_serves_an_export_that_conforms(
        exported: dict[str, bytes], project_report: dict, tmp_path: Path) -> None:
    path = tmp_path / "export.trig"
    path.write_bytes(exported["trig"])
    app = create_app(Config(data_paths=(path,)), workers=False)
    response = app.test_client().get("/validation.json?lang=en")
    assert response.status_code == 200
    body = response.get_json()
    assert body["conforms"] is True
    assert body["counts"] == project_report["counts"]
