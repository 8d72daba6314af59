"""``xsrv-kg validate``: the data against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import VALIDATION_ENGINES, Config
from ..progress import terminal_progress
from ..terminal import echo
from .options import REPORT_FORMATS, REPORT_LANGS, project_store, quiet_option, store_options


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(REPORT_LANGS), default="zh", show_default=True,
              help="Language of the report's messages.")
@click.option("--engine", type=click.Choice(VALIDATION_ENGINES), default=None,
              help="store: the shapes as SPARQL in the store (fast at any size); pyshacl: "
                   "the reference engine  [default: store, or XSRV_VALIDATION_ENGINE].")
@click.option("--graph", "graphs", multiple=True, metavar="NAME",
              help="Validate only this data graph (with the ontology), e.g. "
                   "documents/xiushan-plan or a full graph IRI (repeatable).")
@quiet_option
@store_options
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, lang: str,
                     engine: str | None, graphs: tuple[str, ...], quiet: bool) -> None:
    """Check the data against the SHACL shapes.

    PATH is a data file or folder (default: the project's data/), loaded into a memory
    store; with a persistent --store, the store's data is checked. Exits 0 if the data
    conforms, 1 if it does not, 2 on bad input, 3 if the store engine does not support a
    SHACL feature the shapes use (--engine pyshacl does).
    """
    # Imported here so the other commands work without the validation stack.
    from ..validation import validate
    from ..validation.rendering import render

    config: Config = ctx.obj
    names = [g if ":" in g else config.graph_iri(g) for g in graphs]
    with terminal_progress(quiet=quiet) as progress, \
            project_store(config, paths, progress=progress) as store:
        report = validate(store, config, engine=engine or config.validation_engine,
                          graphs=names or None, progress=progress)
        notice = store.conformance.notice(lang) if fmt == "text" else None
    echo(render(report, fmt, lang))
    if notice:
        echo(f"xsrv-kg: {notice}", err=True)
    ctx.exit(0 if report.conforms else 1)
