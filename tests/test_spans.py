"""Locating quotes for source spans (``xsrv-kg span``)."""

from __future__ import annotations

import pytest

from xsrv_kg.errors import BadInput
from xsrv_kg.sources.spans import locate

from .conftest import SOURCE, Runner

TEXT = "先行示范类（2个）。隘口镇、洪安镇。\n东西部协作示范村2个：洪安镇贵措村"


def test_unique_quote() -> None:
    start, end = locate(TEXT, "隘口镇")
    assert TEXT[start:end] == "隘口镇" and start == TEXT.index("隘口镇")


def test_repeated_quote_needs_a_passage() -> None:
    with pytest.raises(BadInput, match="occurs 2 times"):
        locate(TEXT, "洪安镇")
    start, end = locate(TEXT, "洪安镇", within="洪安镇贵措村")
    assert (start, end) == (TEXT.index("洪安镇贵措村"), TEXT.index("洪安镇贵措村") + 3)


@pytest.mark.parametrize(("quote", "within", "message"), [
    ("", None, "empty"), ("乡村", None, "occurs 0 times"),
    ("洪安镇", "示范", "passage '示范' occurs 2 times"), ("贵措村", "隘口镇", "exactly once")])
def test_refuses_to_guess(quote: str, within: str | None, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        locate(TEXT, quote, within)


def test_cli_prints_the_span_the_data_uses(runner: Runner) -> None:
    result = runner.invoke(args=["span", str(SOURCE), "隘口镇", "--within", "隘口镇、洪安镇"])
    assert result.exit_code == 0
    span = result.stdout.strip()
    classification = (SOURCE.parent / "classification.ttl").read_text(encoding="utf-8")
    assert "xp:assign-aikou a xsrv:CategoryAssignment" in classification
    assert span in classification


def test_cli_line_break_and_error(runner: Runner) -> None:
    ok = runner.invoke(args=["span", str(SOURCE), "推进\\n乡村振兴实施方案"])
    assert ok.exit_code == 0 and 'oa:exact "推进\\n乡村振兴实施方案"' in ok.stdout
    ambiguous = runner.invoke(args=["span", str(SOURCE), "洪安镇"])
    assert ambiguous.exit_code == 2 and "--within" in ambiguous.stderr
