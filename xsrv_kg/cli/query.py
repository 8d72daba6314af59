"""``xsrv-kg query`` and ``xsrv-kg search``: SPARQL and names over the project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import Config
from ..query import console, hints
from ..query.endpoint import Endpoint
from ..terminal import argument_text, echo, write_bytes
from .options import REPORT_LANGS, data_option, inference_option, project_store, store_options


@click.command("query")
@click.argument("sparql_or_file", metavar="SPARQL_OR_FILE")
@click.option("--format", "fmt", type=click.Choice(console.FORMATS), default="table",
              show_default=True,
              help="table/csv/tsv/json for SELECT and ASK; table (Turtle)/turtle/ntriples "
                   "for CONSTRUCT and DESCRIBE.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for a parameter the query declares (# param: lines), e.g. "
                   "unit=涌洞乡 (a name, pinyin or IRI); repeatable. Others take their "
                   "defaults, as on /queries/NAME.")
@data_option
@inference_option
@store_options
@click.pass_obj
def query_command(config: Config, sparql_or_file: str, fmt: str, params: tuple[str, ...],
                  data_paths: tuple[Path, ...]) -> None:
    """Run a SPARQL query over the project.

    SPARQL_OR_FILE is query text, a .rq file or a curated query's name (both also looked up
    in queries/), or - for stdin. The project's prefixes (xsrv:, id:, rdfs:, …) are
    predeclared. It runs as /sparql runs it (the same caps, SERVICE allow-list and
    writers): --format json prints what it sends.
    """
    from ..query import canned

    if sparql_or_file == "-":
        text = sys.stdin.buffer.read().decode("utf-8")
    else:
        text = argument_text(console.read_query(sparql_or_file, queries_dir=config.queries_dir))
    given = canned.pairs(argument_text(p) for p in params)
    with project_store(config, data_paths, infer=True) as store:
        query = canned.from_text(Path(sparql_or_file).stem, text)
        if query.params or given:
            text = canned.bind(store, query, given).text
        written = console.run_query(Endpoint(config, store, workers=False), text, fmt)
        hinted = hints.for_empty_result(store, text) if written.rows == 0 else []
    write_bytes(console.render(written, fmt))
    if hinted:
        echo(f"xsrv-kg: hint: {hints.message(hinted)}", err=True)
    if written.truncated:
        echo(f"xsrv-kg: {console.cut_note(written)}", err=True)


@click.command("search")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="json: what /search.json answers.")
@click.option("--lang", type=click.Choice(REPORT_LANGS), default="zh", show_default=True,
              help="Language of the names shown.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@data_option
@store_options
@click.pass_obj
def search_command(config: Config, text: str, fmt: str, lang: str, limit: int,
                   data_paths: tuple[Path, ...]) -> None:
    """Find resources by name (zh or en, whole or part), by the pinyin of their IRI
    (yongdong finds 涌洞乡) or by a prefixed name (div:yong), best match first."""
    import json

    from ..pages import search

    with project_store(config, data_paths) as store:
        found = search.search(search.build_index(store), argument_text(text), lang=lang,
                              limit=limit, base_iri=config.base_iri)
    echo(json.dumps(found, ensure_ascii=False, indent=2) if fmt == "json"
         else search.render_text(found, lang))
