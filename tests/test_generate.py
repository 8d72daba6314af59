"""The synthetic generator, ``benchmarks/generate.py``.

Benchmarks at national scale rest on it, so it must do what it says: the same arguments give
the same bytes; the output conforms to the shipped shapes as the real plan does (the same
four kinds of *Info*, nothing else); every injected error is reported by SHACL exactly as
the manifest says, and nothing else is; ``--triples`` gets near its target and the count it
prints is the store's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from benchmarks import generate as gen
from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import open_store
from xsrv_kg.vocab import short_name

from .conftest import validate_files

pytestmark = pytest.mark.slow

OA = vocab.PREFIXES["oa"]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _short(iri: str | None) -> str | None:
    return short_name(URIRef(iri)) if iri else None


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        gen.generate(tmp_path / name, 2, seed=seed, errors=3)
    a, b, c = (_files(tmp_path / n) for n in "abc")
    assert set(a) == {
        "errors.json", "reference/synthetic-municipalities/municipalities.ttl",
        *(f"documents/synthetic-county-000{i}/{f}" for i in (1, 2)
          for f in ("plan.ttl", "divisions.ttl", "source.txt"))}
    assert a == b
    assert a.keys() == c.keys() and a != c
    assert a["documents/synthetic-county-0001/source.txt"] != \
        c["documents/synthetic-county-0001/source.txt"]


def test_spans_quote_their_text_at_code_point_offsets(tmp_path: Path) -> None:
    """Checked here without SHACL, so a change to the shapes cannot hide a miscount."""
    gen.generate(tmp_path, 1, seed=3)
    folder = tmp_path / "documents" / "synthetic-county-0001"
    text = (folder / "source.txt").read_text(encoding="utf-8")
    spans: dict[ox.BlankNode, dict[str, str]] = {}
    for quad in ox.parse(path=str(folder / "plan.ttl"), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value.startswith(OA) and isinstance(quad.subject, ox.BlankNode):
            spans.setdefault(quad.subject, {})[quad.predicate.value[len(OA):]] = \
                quad.object.value
    assert len(spans) > 100
    for span in spans.values():
        assert text[int(span["start"]):int(span["end"])] == span["exact"]


def test_two_counties_conform_like_the_real_plan(tmp_path: Path) -> None:
    summary = gen.generate(tmp_path, 2)
    assert (summary.counties, summary.townships, summary.errors) == (2, 54, 0)
    report = validate_files(Config(), [tmp_path])
    assert report.conforms
    assert report.counts() == {"Violation": 0, "Warning": 0, "Info": 8}
    # The four incomplete village counts per county, as the real plan has.
    assert Counter(r.shape for r in report.results) == {
        "xsh:IncompleteAssignmentCountShape": 8}
    assert {r.focus.rsplit("/", 1)[1] for r in report.results} == {
        "count-villages-pilot", "count-villages-pilot-county",
        "count-villages-pilot-township-applied", "count-villages-active"}


def test_notices_conform_with_no_warning_and_count_in_their_own_words(tmp_path: Path) -> None:
    summary = gen.generate(tmp_path, documents=4)  # one county plan, three notices
    assert (summary.counties, summary.notices) == (1, 3)
    report = validate_files(Config(), [tmp_path])
    assert report.conforms
    # Only the county plan's four incomplete village counts: a notice lists what it counts.
    assert report.counts() == {"Violation": 0, "Warning": 0, "Info": 4}
    folder = tmp_path / "documents" / "synthetic-notice-0001"
    text = (folder / "source.txt").read_text(encoding="utf-8")
    exacts = [q.object.value for q in ox.parse(path=str(folder / "notice.ttl"),
                                                format=ox.RdfFormat.TURTLE)
              if q.predicate.value == OA + "exact"]
    assert all(e in text for e in exacts) and len(exacts) > 30
    # Counts are written in Arabic or Chinese numerals, both kinds across the notices.
    heads = "".join((tmp_path / "documents" / f"synthetic-notice-000{i}" / "source.txt")
                    .read_text(encoding="utf-8") for i in (1, 2, 3))
    assert re.search("（[一二三四五六七八九十]+个）", heads) and re.search(r"（\d+个）", heads)


def test_injected_errors_are_exactly_the_violations(tmp_path: Path) -> None:
    # Small counties keep pySHACL quick; every kind of error once.
    k = len(gen.ERROR_KINDS)
    gen.generate(tmp_path, 2, seed=5, errors=k, townships=9, villages=5)
    manifest = json.loads((tmp_path / "errors.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in manifest["errors"]] == list(range(1, k + 1))
    assert {e["kind"] for e in manifest["errors"]} == set(gen.ERROR_KINDS)
    assert {e["county"] for e in manifest["errors"]} == {
        "synthetic-county-0001", "synthetic-county-0002"}
    expected = Counter(
        (_short(x["focus"]), _short(x["shape"]), x["component"].rsplit("#", 1)[1],
         _short(x["path"]))
        for e in manifest["errors"] for x in e["expected"])
    report = validate_files(Config(), [tmp_path])
    found = Counter((r.focus, r.shape, r.component, r.path)
                    for r in report.results if r.severity == "Violation")
    assert found == expected
    assert sum(expected.values()) == k + 3  # three kinds yield two results each
    assert report.counts()["Warning"] == 0


def test_triples_lands_near_the_target_and_counts_the_store(tmp_path: Path) -> None:
    target = 30_000
    summary = gen.generate(tmp_path, triples=target, seed=2)
    assert abs(summary.triples - target) <= target // 10
    store = open_store("memory")
    sources = load_project(store, Config(), [tmp_path])
    assert len(store) == summary.triples
    graphs = {s.graph for s in sources if s.part == "data"}
    assert Config().graph_iri("documents/synthetic-county-0001") in graphs
    assert Config().graph_iri("reference/synthetic-municipalities") in graphs
    assert len(graphs) == summary.counties + 1


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert gen.main(["--counties", "1", "--errors", "2", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("counties=1 townships=27 villages=") and "errors=2" in line
    # A folder with earlier output is replaced only when asked.
    assert gen.main(["--counties", "1", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert gen.main(["--counties", "1", "--out", str(out), "--force"]) == 0
    manifest = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert manifest["errors"] == []
    assert gen.main(["--counties", "1", "--errors", "13", "--out", str(out), "--force"]) == 2
