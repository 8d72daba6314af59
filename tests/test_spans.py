"""Locating quotes for source spans (``xsrv-kg span``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xsrv_kg.errors import BadInput
from xsrv_kg.sources.spans import Quote, locate, read_batch, source_of

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


# --------------------------------------------------------------------------------------------
# The default source: the document whose folder the text is in
# --------------------------------------------------------------------------------------------

def test_the_default_source_is_the_one_the_folder_declares(runner: Runner) -> None:
    chongqing = SOURCE.parent.parent / "chongqing-plan"
    assert source_of(SOURCE) == "xp:text"
    assert source_of(chongqing / "source.txt") == "cp:summary-text"
    # Two texts in one folder: each is its own source.
    secondary = chongqing / "secondary.txt"
    assert source_of(secondary) == "cp:secondary-text"
    quote = secondary.read_text(encoding="utf-8").splitlines()[0]
    start, end = locate(secondary.read_text(encoding="utf-8"), quote)
    result = runner.invoke(args=["span", str(secondary), quote])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"[ oa:hasSource cp:secondary-text ; oa:start {start} ; oa:end {end} ;")


def test_a_text_outside_a_document_folder_needs_source(runner: Runner, tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text(TEXT, encoding="utf-8")
    refused = runner.invoke(args=["span", str(text), "隘口镇"])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "cannot tell which document's text" in refused.stderr
    assert "--source" in refused.stderr
    given = runner.invoke(args=["span", str(text), "隘口镇", "--source", "xp:text"])
    assert given.exit_code == 0
    assert given.stdout.strip() == f'[ oa:hasSource xp:text ; oa:start {TEXT.index("隘口镇")} ' \
        f'; oa:end {TEXT.index("隘口镇") + 3} ; oa:exact "隘口镇" ]'


def test_the_default_source_refuses_two_candidates_and_names_a_broken_file(
        tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text(TEXT, encoding="utf-8")
    (tmp_path / "broken.ttl").write_text("@prefix a: <http://a/> .\na:x a:y", encoding="utf-8")
    with pytest.raises(BadInput, match=r"\(broken.ttl did not parse\)"):
        source_of(text)
    (tmp_path / "one.ttl").write_text(
        '@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .\n@prefix p: <http://p/> .\n'
        'p:text xsrv:sourceFile "source.txt" .\np:other xsrv:sourceFile "source.txt" .\n',
        encoding="utf-8")
    with pytest.raises(BadInput, match="2 resources have xsrv:sourceFile.*p:other, p:text"):
        source_of(text)


# --------------------------------------------------------------------------------------------
# --batch: a file of quotes
# --------------------------------------------------------------------------------------------

def test_read_batch_syntax() -> None:
    content = "\ufeff# a comment\r\n隘口镇\r\n\r\n洪安镇\t洪安镇贵措村\n推进\\n乡村\n  \n"
    assert read_batch(content) == [Quote(2, "隘口镇"), Quote(4, "洪安镇", "洪安镇贵措村"),
                                   Quote(5, "推进\n乡村")]


def test_batch_places_every_quote_as_the_data_writes_it(runner: Runner,
                                                         tmp_path: Path) -> None:
    """Quotes whose spans the Xiushan data already holds: each printed node is in the data."""
    batch = tmp_path / "quotes.txt"
    batch.write_text("# townships\n隘口镇\t隘口镇、洪安镇\n推进\\n乡村振兴实施方案\n",
                     encoding="utf-8")
    result = runner.invoke(args=["span", "--batch", str(batch), str(SOURCE)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    node, key = lines[0].split("  # ")
    assert key == 'line 2, within "隘口镇、洪安镇"'
    classification = (SOURCE.parent / "classification.ttl").read_text(encoding="utf-8")
    assert node in classification and node.startswith("[ oa:hasSource xp:text ;")
    node, key = lines[1].split("  # ")
    assert key == "line 3"
    start, end = locate(SOURCE.read_text(encoding="utf-8"), "推进\n乡村振兴实施方案")
    assert node == (f"[ oa:hasSource xp:text ; oa:start {start} ; oa:end {end} ; "
                    'oa:exact "推进\\n乡村振兴实施方案" ]')


def test_batch_reports_every_quote_it_cannot_place(runner: Runner, tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text(TEXT, encoding="utf-8")
    batch = tmp_path / "quotes.txt"
    batch.write_text("隘口镇\n洪安镇\n# skipped\n不在文中\n贵措村\t示范\n贵措村\t洪安镇贵措村\n",
                     encoding="utf-8")
    result = runner.invoke(args=["span", "--batch", str(batch), str(text), "--source", "p:t"])
    assert result.exit_code == 2
    # The quotes that were placed are printed all the same.
    assert [line.split("  # ")[1] for line in result.stdout.splitlines()] == [
        "line 1", 'line 6, within "洪安镇贵措村"']
    errors = result.stderr.splitlines()
    assert errors[0] == "xsrv-kg: error: 3 of 5 quotes not placed:"
    first, second = TEXT.index("洪安镇"), TEXT.index("洪安镇", TEXT.index("洪安镇") + 1)
    assert errors[1:] == [
        f"{batch}:2: quote '洪安镇' occurs 2 times in the text (at {first}, {second}); "
        "add a tab and a longer passage that contains it once",
        f"{batch}:4: quote '不在文中' occurs 0 times in the text; copy it from the text as it "
        "is written (a line break as \\n)",
        f"{batch}:5: passage '示范' occurs 2 times in the text (at {TEXT.index('示范')}, "
        f"{TEXT.index('示范', TEXT.index('示范') + 1)})"]


@pytest.mark.parametrize(("args", "message"), [
    (["QUOTE", "--batch", "BATCH"], "give either QUOTE or --batch FILE"),
    ([], "give either QUOTE or --batch FILE"),
    (["--batch", "BATCH", "--within", "x"], "--within goes with QUOTE"),
    (["--batch", "EMPTY"], "has no quotes"),
    (["--batch", "LATIN1"], "is not UTF-8")])
def test_span_refuses_unclear_requests(runner: Runner, tmp_path: Path, args: list[str],
                                       message: str) -> None:
    files = {"BATCH": "隘口镇\n", "EMPTY": "# nothing\n\n", "LATIN1": None}
    for name, content in files.items():
        path = tmp_path / name
        if content is None:
            path.write_bytes("隘口镇".encode("gb18030"))
        else:
            path.write_text(content, encoding="utf-8")
    args = [str(tmp_path / a) if a in files else a for a in args]
    result = runner.invoke(args=["span", str(SOURCE), *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr
