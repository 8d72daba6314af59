"""``xsrv-kg new-document``: a new document's folder under data/documents/, from the template."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Config
from ..terminal import argument_text, echo


@click.command("new-document")
@click.argument("doc_id", metavar="ID")
@click.option("--title", help="The title exactly as the text writes it (its span is computed "
                               "when --text holds it once).")
@click.option("--issuer", help="The issuing body as the text names it (eli:passed_by).")
@click.option("--area", metavar="SLUG",
              help="The division the document covers (dcterms:spatial div:SLUG), e.g. "
                   "example-county.")
@click.option("--date", metavar="YYYY-MM-DD", help="The date of the document "
                                                    "(eli:date_document).")
@click.option("--kind", type=click.Choice(("plan", "notice", "list")), default="plan",
              show_default=True,
              help="plan: the four Turtle files; notice or list: no funding.ttl.")
@click.option("--text", "text_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The document's text (UTF-8), copied byte for byte to source.txt.")
@click.pass_obj
def new_document_command(config: Config, doc_id: str, title: str | None, issuer: str | None,
                         area: str | None, date: str | None, kind: str,
                         text_file: Path | None) -> None:
    """Scaffold data/documents/ID/ from templates/document/.

    ID is the document's slug (pinyin, lower case, dashes): its IRI is doc:ID, its own
    namespace plan: and its text plan:text, which `xsrv-kg span` then uses by default. What
    is given is filled in; every other placeholder stays in CAPITALS, and `xsrv-kg validate`
    lists them. An existing folder is never overwritten (exit 2).
    """
    from ..sources.scaffold import new_document

    done = new_document(config, argument_text(doc_id),
                        title=argument_text(title) if title is not None else None,
                        issuer=argument_text(issuer) if issuer is not None else None,
                        area=area, date=date, kind=kind, text_file=text_file)
    echo(f"created {done.folder}: {' '.join(done.files)}")
    source = done.folder / "source.txt"
    if text_file is None:
        echo(f"next: put the document's text (UTF-8) in {source}")
    for note in done.notes:
        echo(f"note: {note}")
    echo(f"next: fill the words in CAPITALS; place quotes with "
         f"xsrv-kg span --batch QUOTES {source}; check with xsrv-kg validate {done.folder}")
