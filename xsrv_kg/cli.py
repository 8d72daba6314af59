"""The ``xsrv-kg`` command: a thin shell over the library functions.

Commands parse options, call one service, and print. Every :class:`XsrvError` is turned into
``xsrv-kg: error: …`` and its exit code in one place, :class:`_Group`. Output is written as
UTF-8 bytes, so Chinese text prints whatever the locale (even ``LANG=C``).

Settings come from ``XSRV_*`` environment variables, all of them read (and listed) in one
place, :meth:`Config.from_env <xsrv_kg.config.Config.from_env>`; an option wins over its
variable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .config import VALIDATION_ENGINES, Config
from .errors import BadInput, XsrvError
from .progress import Progress, terminal_progress
from .query import console, hints
from .query.endpoint import Endpoint
from .sources import inference
from .sources.export import EXPORT_FORMATS, EXPORT_PARTS, export
from .sources.loader import PARTS, load_project
from .store import STORE_SPECS, Store, open_configured
from .terminal import argument_text, echo, write_bytes

REPORT_FORMATS = ("text", "turtle", "json", "html")
REPORT_LANGS = ("zh", "en")


class _Group(click.Group):
    """A click group that reports :class:`XsrvError` as ``xsrv-kg: error: …`` + exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except XsrvError as exc:
            echo(f"xsrv-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


_data_option = click.option(
    "--data", "data_paths", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
    help="Data file or folder to load instead of the project's data/ (repeatable).")


def _store_options(command: Callable[..., object]) -> Callable[..., object]:
    """``--store``, ``--update-url``, ``--gsp-url``: which store a command works on.

    They are folded into the command's :class:`Config` (``config.store`` …) before it runs.
    """
    def fold(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            from dataclasses import replace

            ctx.obj = replace(ctx.obj, **{str(param.name): value})

    options = [
        click.option("--store", metavar="SPEC", expose_value=False, callback=fold,
                     help=f"The store: {STORE_SPECS}  [default: memory, or XSRV_STORE]."),
        click.option("--update-url", metavar="URL", expose_value=False, callback=fold,
                     help="A sparql: store's update endpoint, if not the query URL."),
        click.option("--gsp-url", metavar="URL", expose_value=False, callback=fold,
                     help="A sparql: store's Graph Store Protocol endpoint."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _no_inference(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from dataclasses import replace

        ctx.obj = replace(ctx.obj, inference=False)


_inference_option = click.option(
    "--no-inference", is_flag=True, expose_value=False, callback=_no_inference,
    help="No inferred graph (graph/inferred: subclass and subproperty closure, fund rule -> "
         "unit shortcuts): only what the data asserts  [default: on, or XSRV_INFERENCE].")

_quiet_option = click.option(
    "--quiet", "-q", is_flag=True,
    help="No progress bars (they are drawn only on a terminal anyway).")


@contextmanager
def _project_store(config: Config, data_paths: Sequence[Path] | None,
                   parts: Iterable[str] = PARTS, *, infer: bool = False,
                   progress: Progress | None = None) -> Iterator[Store]:
    """The store a command reads, closed afterwards: a memory store is filled from the
    files (the project's, or the data paths given), with the inferred graph when ``infer``;
    a persistent store is used as it is."""
    store = open_configured(config)
    try:
        if not store.persistent:
            load_project(store, config, list(data_paths or ()) or None, parts=parts,
                         progress=progress)
            if infer:
                inference.refresh(store, config)
        elif data_paths:
            raise BadInput(f"give data files or a persistent store ({store.spec}), not both: "
                           "`xsrv-kg load` puts files into a store")
        yield store
    finally:
        store.close()


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="xsrv-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Query, validate, link and export the rural-revitalization knowledge graph.

    Settings come from XSRV_* environment variables (every one is in the README's Settings
    table); a command's option wins over its variable.
    """
    if ctx.obj is None:  # tests may pass their own Config
        ctx.obj = Config.from_env()


@main.command("query")
@click.argument("sparql_or_file", metavar="SPARQL_OR_FILE")
@click.option("--format", "fmt", type=click.Choice(console.FORMATS), default="table",
              show_default=True,
              help="table/csv/tsv/json for SELECT and ASK; table (Turtle)/turtle/ntriples "
                   "for CONSTRUCT and DESCRIBE.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for a parameter the query declares (# param: lines), e.g. "
                   "unit=涌洞乡 (a name, pinyin or IRI); repeatable. Others take their "
                   "defaults, as on /queries/NAME.")
@_data_option
@_inference_option
@_store_options
@click.pass_obj
def query_command(config: Config, sparql_or_file: str, fmt: str, params: tuple[str, ...],
                  data_paths: tuple[Path, ...]) -> None:
    """Run a SPARQL query over the project.

    SPARQL_OR_FILE is query text, a .rq file or a curated query's name (both also looked up
    in queries/), or - for stdin. The project's prefixes (xsrv:, id:, rdfs:, …) are
    predeclared. It runs as /sparql runs it (the same caps, SERVICE allow-list and
    writers): --format json prints what it sends.
    """
    from .query import canned

    if sparql_or_file == "-":
        text = sys.stdin.buffer.read().decode("utf-8")
    else:
        text = argument_text(console.read_query(sparql_or_file, queries_dir=config.queries_dir))
    given = canned.pairs(argument_text(p) for p in params)
    with _project_store(config, data_paths, infer=True) as store:
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


@main.command("search")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="json: what /search.json answers.")
@click.option("--lang", type=click.Choice(REPORT_LANGS), default="zh", show_default=True,
              help="Language of the names shown.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@_data_option
@_store_options
@click.pass_obj
def search_command(config: Config, text: str, fmt: str, lang: str, limit: int,
                   data_paths: tuple[Path, ...]) -> None:
    """Find resources by name (zh or en, whole or part), by the pinyin of their IRI
    (yongdong finds 涌洞乡) or by a prefixed name (div:yong), best match first."""
    import json

    from .pages import search

    with _project_store(config, data_paths) as store:
        found = search.search(search.build_index(store), argument_text(text), lang=lang,
                              limit=limit, base_iri=config.base_iri)
    echo(json.dumps(found, ensure_ascii=False, indent=2) if fmt == "json"
         else search.render_text(found, lang))


@main.command("export")
@click.option("--part", type=click.Choice(EXPORT_PARTS), default="all", show_default=True,
              help="Which graphs: the ontology, the shapes, the data (all other graphs), all of "
                   "them, or the inferred graph (never part of all: loading infers anew).")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="trig",
              show_default=True, help="turtle merges the graphs into one.")
@click.option("--dump", "dump_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Write versioned gzipped TriG and N-Quads dumps, their "
              "SHA256SUMS and the dataset description (void.ttl) into DIR instead.")
@_data_option
@_quiet_option
@_store_options
@click.pass_obj
def export_command(config: Config, part: str, fmt: str, dump_dir: Path | None,
                   data_paths: tuple[Path, ...], quiet: bool) -> None:
    """Write the loaded graphs to stdout (or, with --dump, as files)."""
    with terminal_progress(quiet=quiet) as progress, \
            _project_store(config, data_paths, (part,) if part in PARTS else PARTS,
                           infer=part == "inferred", progress=progress) as store:
        if dump_dir is None:
            write_bytes(export(store, config, part, fmt))
            return
        from .sources.description import write_dumps

        for path in write_dumps(store, config, dump_dir, part=part, version=__version__):
            echo(f"wrote {path}")


@main.command("validate")
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
@_quiet_option
@_store_options
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
    from .validation import validate
    from .validation.rendering import render

    config: Config = ctx.obj
    names = [g if ":" in g else config.graph_iri(g) for g in graphs]
    with terminal_progress(quiet=quiet) as progress, \
            _project_store(config, paths, progress=progress) as store:
        report = validate(store, config, engine=engine or config.validation_engine,
                          graphs=names or None, progress=progress)
        notice = store.conformance.notice(lang) if fmt == "text" else None
    echo(render(report, fmt, lang))
    if notice:
        echo(f"xsrv-kg: {notice}", err=True)
    ctx.exit(0 if report.conforms else 1)


@main.command("link")
@click.option("--report", is_flag=True,
              help="Report where the plan's township names and each code table edition differ.")
@click.option("--write", is_flag=True,
              help="Regenerate data/reference/division-codes/codes.ttl from the CSV, each "
                   "county plan's data/links/<county>-codes/links.ttl from its townships and "
                   "the codes, and data/links/<plan>-chongqing/links.ttl (categories "
                   "closeMatch the municipal ones of the same name) unless aligned by hand.")
@click.option("--check", is_flag=True,
              help="Exit 1 if a generated file differs from a regeneration, is missing, or "
                   "is generated by nothing any more.")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "html")), default="text",
              show_default=True, help="Format of the --report.")
@click.option("--lang", type=click.Choice(REPORT_LANGS), default="zh", show_default=True)
@_data_option
@_store_options
@click.pass_context
def link_command(ctx: click.Context, report: bool, write: bool, check: bool, fmt: str,
                 lang: str, data_paths: tuple[Path, ...]) -> None:
    """Link the plans' townships to statistical division code entries, and align the county
    plans' categories with the municipal plan's.

    Without options: compute the links from the loaded data and print them. The links rest
    on names (the plan gives no codes): the edition chosen is one whose names equal the
    plan's, after normalising 街道办事处 to 街道.
    """
    from .linking import files as link_files
    from .linking import plan_links as linking
    from .linking import report as link_report

    config: Config = ctx.obj
    if sum((report, write, check)) > 1:
        raise BadInput("use one of --report, --write, --check")
    if write:
        done, notes = link_files.write_files(config)
        for path, changed in done:
            echo(f"{'wrote' if changed else 'unchanged'} {path}")
        for note in notes:
            echo(f"skipped: {note}")
        return
    if check:
        stale = link_files.stale_files(config)
        for path in stale:
            echo(f"xsrv-kg: {path} differs from what `xsrv-kg link --write` gives", err=True)
        ctx.exit(1 if stale else 0)
    with _project_store(config, data_paths, ("ontology", "data")) as store:
        if report:
            echo(link_report.render_report(link_report.full_report(store), fmt, lang))
            return
        linkings, skipped = linking.compute_all_links(store)
    for one in linkings:
        echo(link_report.render_links(one, lang))
    for line in skipped:
        echo(f"skipped: {line}")


@main.command("serve")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Stop a query after this long and answer 503  [default: 10].")
@click.option("--max-rows", type=click.IntRange(min=0), metavar="N",
              help="Cut results after N rows, saying so in a header; 0: no cap  "
                   "[default: 100000].")
@click.option("--max-result-mb", type=click.IntRange(min=0), metavar="MB",
              help="Cut results after about this many Mi characters of term text, saying so in a "
                   "header; 0: no cap  [default: 32].")
@click.option("--max-body", type=click.IntRange(min=1), metavar="BYTES",
              help="Refuse larger request bodies with 413  [default: 1 MiB].")
@click.option("--max-query-length", type=click.IntRange(min=1), metavar="CHARS",
              help="Refuse longer query or update texts  [default: 100000].")
@click.option("--max-url-length", type=click.IntRange(min=64), metavar="BYTES",
              help="Refuse longer request targets with 414  [default: 16384].")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Query worker processes  [default: 2].")
@click.option("--threads", type=click.IntRange(min=1), metavar="N",
              help="Concurrent requests per server process  [default: 16].")
@click.option("--processes", type=click.IntRange(min=1), metavar="N",
              help="Server processes; more than one only for a read-only service on the "
                   "in-memory store, whose processes share it  [default: 1].")
@click.option("--cache-mb", type=click.IntRange(min=0), metavar="MB",
              help="Result cache size; 0 switches it off  [default: 64].")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update carrying the bearer token in XSRV_UPDATE_TOKEN.")
@click.option("--validation-engine", type=click.Choice(VALIDATION_ENGINES), default=None,
              help="Engine of /shacl and /validation  [default: store].")
@_inference_option
@_store_options
@click.pass_obj
def serve_command(config: Config, paths: tuple[Path, ...], host: str, port: int,
                  time_limit: float | None, max_rows: int | None,
                  max_result_mb: int | None, max_body: int | None,
                  max_query_length: int | None, max_url_length: int | None,
                  workers: int | None, threads: int | None, processes: int | None,
                  cache_mb: int | None, allow_update: bool,
                  validation_engine: str | None) -> None:
    """Serve the SPARQL endpoint, the web pages and validation over HTTP.

    PATH is a data file or folder to serve instead of the project's data/ (memory store
    only: a persistent store is served as `xsrv-kg load` left it). Options override the
    XSRV_* settings. Stops cleanly on Ctrl+C or SIGTERM.
    """
    from dataclasses import replace

    from .server.serving import serve

    given = {"time_limit": time_limit, "max_rows": max_rows, "max_body": max_body,
             "max_result_bytes": None if max_result_mb is None else max_result_mb << 20,
             "max_query_length": max_query_length, "max_url_length": max_url_length,
             "workers": workers, "threads": threads, "processes": processes,
             "cache_bytes": None if cache_mb is None else cache_mb << 20,
             "validation_engine": validation_engine}
    config = replace(config, **{k: v for k, v in given.items() if v is not None})
    if paths:
        config = replace(config, data_paths=tuple(paths))
    if allow_update:
        if not config.update_token:
            raise BadInput("--allow-update needs the bearer token in XSRV_UPDATE_TOKEN")
        if len(config.update_token) < 12:
            raise BadInput("XSRV_UPDATE_TOKEN is too short: use at least 12 characters")
        config = replace(config, allow_update=True)

    def announce(line: str) -> None:
        echo(f"xsrv-kg: {line}")

    code = serve(config, host, port, announce=announce)
    echo("xsrv-kg: stopped")
    if code:
        raise SystemExit(code)


@main.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--part", "parts", multiple=True, type=click.Choice(PARTS),
              help="Load only these parts (repeatable)  [default: all three].")
@_quiet_option
@_inference_option
@_store_options
@click.pass_obj
def load_command(config: Config, paths: tuple[Path, ...], parts: tuple[str, ...],
                 quiet: bool) -> None:
    """Put the ontology, the shapes and the data into a persistent store.

    PATH is a data file or folder to load instead of the project's data/ (the ontology and
    shapes come too, unless --part says otherwise). Each named graph a file goes to is
    replaced, in one transaction, by the files that go to it, so loading again is
    idempotent. Every file is parsed first: if one does not parse, nothing is written and
    the error names the file and line. The inferred graph is then recomputed (dropped with
    --no-inference).
    """
    from .sources.loader import project_files, push

    sources = project_files(config, list(paths) or None, parts or PARTS)
    store = open_configured(config)
    try:
        if not store.persistent:
            raise BadInput("a memory store is gone when this command ends: load into "
                           "--store oxigraph:DIR or --store sparql:QUERY_URL")
        with terminal_progress(quiet=quiet) as progress:
            pushed = push(store, sources, progress=progress)
        for graph, count, files in pushed:
            echo(f"{graph}: {count} quads from {len(files)} file(s)")
        inference.refresh(store, config)
        if config.inference:
            echo(f"{inference.inferred_graph(config)}: {inference.size(store, config)} quads "
                 "inferred")
        echo(f"xsrv-kg: {store.spec} now holds {len(store)} quads in "
              f"{len(store.graphs())} graphs")
    finally:
        store.close()


@main.command("span")
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
    from .sources.spans import span_turtle

    text = text_file.read_text(encoding="utf-8")
    quote = argument_text(quote).replace("\\n", "\n")
    within = argument_text(within).replace("\\n", "\n") if within else None
    echo(span_turtle(source, text, quote, within))
