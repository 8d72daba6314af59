"""The many-documents benchmark (``benchmarks/documents.py``): a tiny run serves plans and
notices, asks every surface that takes a document and prints a row per surface. No timing is
asserted: speed belongs in the benchmark."""

from __future__ import annotations

import pytest

from benchmarks import documents

pytestmark = pytest.mark.slow


def test_a_tiny_run_answers_every_surface_for_every_kind(tmp_path, capsys) -> None:
    assert documents.main(["--documents", "4", "--repeat", "2", "--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| /")]
    surfaces = {row.split(" | ")[0][2:] for row in rows}
    assert {"/documents", "/documents.json", "/overview?doc=…", "/overview.json?doc=…"} \
        <= surfaces
    assert any(s.startswith("/queries/fund-rules.json") for s in surfaces)
    # Every request was answered: the statuses column holds 200 alone.
    assert all(row.split(" | ")[5] == "200" for row in rows), rows
    assert "documents; cold = the first request" in out
