"""``xsrv-kg span``: the span of a quote in a source text, as Turtle to paste."""

from __future__ import annotations

from pathlib import Path

import click

from ..terminal import argument_text, echo


@click.command("span")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("quote")
@click.option("--within", metavar="PASSAGE",
              help="A longer passage that occurs once in the text and contains QUOTE once.")
@click.option("--source", default="xp:text", show_default=True,
              help="The source text's IRI or prefixed name, as written in the Turtle.")
def span_command(text_file: Path, quote: str, within: str | None, source: str) -> None:
    """Print the xsrv:sourceSpan for QUOTE in TEXT_FILE, for pasting into the data.

    Offsets count Unicode code points from 0, end exclusive. Write a line break in QUOTE
    as \\n.
    """
    from ..sources.spans import span_turtle

    text = text_file.read_text(encoding="utf-8")
    quote = argument_text(quote).replace("\\n", "\n")
    within = argument_text(within).replace("\\n", "\n") if within else None
    echo(span_turtle(source, text, quote, within))
