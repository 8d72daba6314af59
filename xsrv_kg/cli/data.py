"""``xsrv-kg load`` and ``xsrv-kg export``: the project's files into a store and out of one."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..config import Config
from ..errors import BadInput
from ..progress import terminal_progress
from ..sources import inference
from ..sources.export import EXPORT_FORMATS, EXPORT_PARTS, export
from ..sources.loader import PARTS
from ..store import open_configured
from ..terminal import echo, write_bytes
from .options import data_option, inference_option, project_store, quiet_option, store_options


@click.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--part", "parts", multiple=True, type=click.Choice(PARTS),
              help="Load only these parts (repeatable)  [default: all three].")
@quiet_option
@inference_option
@store_options
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
    from ..sources.loader import project_files, push

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


@click.command("export")
@click.option("--part", type=click.Choice(EXPORT_PARTS), default="all", show_default=True,
              help="Which graphs: the ontology, the shapes, the data (all other graphs), all of "
                   "them, or the inferred graph (never part of all: loading infers anew).")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="trig",
              show_default=True, help="turtle merges the graphs into one.")
@click.option("--dump", "dump_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Write versioned gzipped TriG and N-Quads dumps, their "
              "SHA256SUMS and the dataset description (void.ttl) into DIR instead.")
@data_option
@quiet_option
@store_options
@click.pass_obj
def export_command(config: Config, part: str, fmt: str, dump_dir: Path | None,
                   data_paths: tuple[Path, ...], quiet: bool) -> None:
    """Write the loaded graphs to stdout (or, with --dump, as files)."""
    with terminal_progress(quiet=quiet) as progress, \
            project_store(config, data_paths, (part,) if part in PARTS else PARTS,
                           infer=part == "inferred", progress=progress) as store:
        if dump_dir is None:
            write_bytes(export(store, config, part, fmt))
            return
        from ..sources.description import write_dumps

        for path in write_dumps(store, config, dump_dir, part=part, version=__version__):
            echo(f"wrote {path}")
