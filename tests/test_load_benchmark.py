"""The load benchmark (``benchmarks/load.py``) at a small scale: its invariants hold."""

from __future__ import annotations

import pytest

from benchmarks import load

pytestmark = pytest.mark.slow


def test_the_plan_is_seeded_and_keeps_its_proportions():
    queries = load.curated_queries()
    assert queries and not any(name.startswith("federated-") for name in queries)
    malformed = load.malformed_specs(1 << 20)
    pages = load.page_specs(["https://w3id.org/xsrv-kg/id/a", "https://w3id.org/xsrv-kg/id/b"],
                            "https://w3id.org/xsrv-kg/")
    counts = load.plan_counts(5000, load.slow_cap(2.0, 1))
    assert counts == {"curated": 4138, "malformed": 600, "slow": 12, "page": 250}

    def plan(seed):
        return load.build_plan(counts, seed, queries, malformed, load.slow_specs(), pages)

    first = plan(7)
    assert first == plan(7)
    assert first != plan(8)
    assert {c: sum(s.cls == c for s in first) for c in load.CLASSES} == counts
    # Every kind of malformed request is in the mix, each expecting its own 4xx.
    assert {s.variant for s in first if s.cls == "malformed"} == {s.variant for s in malformed}
    assert all(400 <= s.expect < 500 for s in malformed)
    assert any(len(s.body or b"") > 1 << 20 for s in malformed)
    # The slow queries are spread out, not bunched.
    slow_at = [i for i, s in enumerate(first) if s.cls == "slow"]
    assert min(b - a for a, b in zip(slow_at, slow_at[1:], strict=False)) > 200


def test_a_small_run_keeps_every_invariant(capsys):
    # Two slow queries, not the 3 % (4): each costs the time limit and a worker restart,
    # one after another, and this test must stay short.
    result = load.main(["--requests", "150", "--clients", "8", "--time-limit", "2",
                        "--slow", "2", "--seed", "3", "--quiet"])
    failed = [f"{c.name}: {c.detail}" for c in result.checks if not c.passed]
    assert result.passed, "\n".join(failed + result.problems)
    assert result.total.requests == 150
    assert result.plan == {"curated": 122, "malformed": 18, "slow": 2, "page": 8}
    assert result.classes["curated"].statuses == {200: 122}
    assert result.classes["slow"].statuses == {503: 2}
    assert all(400 <= s < 500 for s in result.classes["malformed"].statuses)
    assert result.classes["page"].statuses == {200: 8}
    assert 0 < result.rss_start_mb <= result.rss_peak_mb <= result.rss_bound_mb
    assert result.throughput > 0 and result.wall_s < 120
    out = capsys.readouterr().out
    assert "| **total** | 150 |" in out and "FAIL" not in out
