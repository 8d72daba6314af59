"""What several commands share: the --data, --store, --no-inference and --quiet options,
and the store a command reads (:func:`project_store`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from ..config import Config
from ..errors import BadInput
from ..progress import Progress
from ..sources import inference
from ..sources.loader import PARTS, load_project
from ..store import STORE_SPECS, Store, open_configured

REPORT_FORMATS = ("text", "turtle", "json", "html")
REPORT_LANGS = ("zh", "en")


data_option = click.option(
    "--data", "data_paths", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
    help="Data file or folder to load instead of the project's data/ (repeatable).")


def store_options(command: Callable[..., object]) -> Callable[..., object]:
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


def no_inference(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from dataclasses import replace

        ctx.obj = replace(ctx.obj, inference=False)


inference_option = click.option(
    "--no-inference", is_flag=True, expose_value=False, callback=no_inference,
    help="No inferred graph (graph/inferred: subclass and subproperty closure, fund rule -> "
         "unit shortcuts): only what the data asserts  [default: on, or XSRV_INFERENCE].")

quiet_option = click.option(
    "--quiet", "-q", is_flag=True,
    help="No progress bars (they are drawn only on a terminal anyway).")


@contextmanager
def project_store(config: Config, data_paths: Sequence[Path] | None,
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
