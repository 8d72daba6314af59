"""``xsrv-kg span``: the span of a quote (or of a file of quotes) in a source text, as Turtle
to paste."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BadInput
from ..terminal import argument_text, echo


@click.command("span")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("quote", required=False)
@click.option("--within", metavar="PASSAGE",
              help="A longer passage that occurs once in the text and contains QUOTE once.")
@click.option("--batch", "batch_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Place every quote of FILE instead of QUOTE: one a line, QUOTE<TAB>PASSAGE "
                   "for a passage to find it within, \\n for a line break, # for a comment. "
                   "Prints one node a line, keyed by its line number; every quote that "
                   "cannot be placed is reported (exit 2).")
@click.option("--source", metavar="IRI",
              help="The source text's IRI or prefixed name, as written in the Turtle  "
                   "[default: the resource a Turtle file beside TEXT_FILE gives as its "
                   "xsrv:sourceFile, e.g. plan:text].")
def span_command(text_file: Path, quote: str | None, within: str | None,
                 batch_file: Path | None, source: str | None) -> None:
    """Print the xsrv:sourceSpan for QUOTE in TEXT_FILE, for pasting into the data.

    Offsets count Unicode code points from 0, end exclusive. Write a line break in QUOTE
    as \\n. With --batch FILE, QUOTE is not given: every quote of FILE is placed at once.
    """
    from ..sources.spans import batch_turtle, read_batch, source_of, span_turtle

    if (quote is None) == (batch_file is None):
        raise BadInput("give either QUOTE or --batch FILE")
    if batch_file is not None and within:
        raise BadInput("--within goes with QUOTE; in a --batch file, write the passage after "
                       "the quote and a tab")
    source = argument_text(source) if source else source_of(text_file)
    text = text_file.read_text(encoding="utf-8")
    if batch_file is None:
        assert quote is not None
        quote = argument_text(quote).replace("\\n", "\n")
        within = argument_text(within).replace("\\n", "\n") if within else None
        echo(span_turtle(source, text, quote, within))
        return
    try:
        quotes = read_batch(batch_file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise BadInput(f"{batch_file} is not UTF-8: {exc}") from None
    if not quotes:
        raise BadInput(f"{batch_file} has no quotes (blank lines and # comments only)")
    nodes, problems = batch_turtle(source, text, quotes, str(batch_file))
    for node in nodes:
        echo(node)
    if problems:
        raise BadInput(f"{len(problems)} of {len(quotes)} quotes not placed:\n"
                       + "\n".join(problems))
