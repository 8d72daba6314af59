"""``xsrv-kg draft``: a document's graph drafted from its text, for a person to review
(:func:`xsrv_kg.draft.draft_file` does the work; this module parses and prints)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from ..config import Config
from ..terminal import argument_text, echo

#: The kinds of fact in the order the summary prints them, with the word it prints.
KINDS = (("title", "title"), ("number", "document number"), ("issuer", "issuer"),
         ("date", "date"), ("status", "status words"), ("basis", "basis documents"),
         ("place", "places"), ("member", "list members"), ("count", "declared counts"),
         ("fund", "fund rules"), ("total", "stated totals"), ("goal", "goals"),
         ("activity", "recurring activities"))


@click.command("draft")
@click.argument("text_file", metavar="TEXT_FILE", type=click.Path(path_type=Path))
@click.option("--id", "doc_id", required=True, metavar="ID",
              help="The document's id (lower case, digits, dashes): doc:ID and its plan: "
                   "namespace.")
@click.option("--area", metavar="NAME_OR_CODE",
              help="The place the document is about, as the text names it (秀山土家族苗族自治县) "
                   "or by its division code where the reference tables hold it (500241).")
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write  [default: data/documents/ID under the project home].")
@click.pass_obj
def draft_command(config: Config, text_file: Path, doc_id: str, area: str | None,
                  out: Path | None) -> None:
    """Draft the graph of TEXT_FILE (UTF-8) into a document folder, every fact marked
    xsrv:review-draft with the rule that found it and its span in the text.

    Writes source.txt and document.ttl, divisions.ttl, classification.ttl, funding.ttl,
    goals.ttl; a folder already holding Turtle is never overwritten (exit 2). Review the
    draft on /documents/ID/draft of `xsrv-kg serve --allow-update`.
    """
    from ..draft import draft_file
    from ..draft.codes import load_tables, resolve_area

    doc_id = argument_text(doc_id)
    given = argument_text(area) if area is not None else None
    name = resolve_area(given, load_tables(config.home)) if given else None
    folder = out or config.data_dir / "documents" / doc_id
    result, written = draft_file(text_file, doc_id=doc_id, folder=folder, area=name,
                                 home=config.home)
    if name and name != given:
        echo(f"area: {given} is {name} (division-code table)")
    counts = Counter(f.kind for f in result.facts)
    echo(f"drafted {len(result.facts)} facts into {folder}: "
         + " ".join(p.name for p in written) + " (and source.txt)")
    for kind, word in KINDS:
        if counts[kind]:
            echo(f"  {counts[kind]:4d} {word}")
    linked = sum(1 for f in result.of("place") if "code" in f.data)
    if counts["place"]:
        echo(f"  {linked} of {counts['place']} places linked to a division code")
    for check in result.checks:
        echo(f"check: {check}")
    if not result.checks:
        echo("check: none (no stated total or declared count disagrees with what the text "
             "lists)")
    echo(f"next: xsrv-kg validate {folder}")
    served = f" {folder}" if out is not None else ""
    echo(f"next: review each fact: XSRV_UPDATE_TOKEN=… xsrv-kg serve --allow-update{served}, "
         f"then open /documents/{doc_id}/draft (accept or reject, then download the "
         "accepted part into the folder: README, Drafting a document)")
