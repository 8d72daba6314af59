"""``xsrv-kg serve``: the SPARQL endpoint, the pages and validation over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import VALIDATION_ENGINES, Config
from ..errors import BadInput
from ..terminal import echo
from .options import inference_option, store_options


@click.command("serve")
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
@inference_option
@store_options
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

    from ..server.serving import serve

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
