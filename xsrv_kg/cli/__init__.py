"""The ``xsrv-kg`` command: a thin shell over the library functions.

Commands parse options, call one service, and print. Every :class:`XsrvError` is turned into
``xsrv-kg: error: …`` and its exit code in one place, :class:`_Group`. Output is written as
UTF-8 bytes, so Chinese text prints whatever the locale (even ``LANG=C``).

Settings come from ``XSRV_*`` environment variables, all of them read (and listed) in one
place, :meth:`Config.from_env <xsrv_kg.config.Config.from_env>`; an option wins over its
variable.

The commands live one module per verb (or pair of verbs), each a thin shell over a library
function; this module is the group, :mod:`.options` what several commands share.
"""

from __future__ import annotations

import click

from .. import __version__
from ..config import Config
from ..errors import XsrvError
from ..terminal import echo
from .data import export_command, load_command
from .documents import new_document_command
from .draft import draft_command
from .link import link_command
from .query import query_command, search_command
from .serve import serve_command
from .spans import span_command
from .validate import validate_command


class _Group(click.Group):
    """A click group that reports :class:`XsrvError` as ``xsrv-kg: error: …`` + exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except XsrvError as exc:
            echo(f"xsrv-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


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


for _command in (query_command, search_command, export_command, validate_command,
                 link_command, serve_command, load_command, span_command,
                 new_document_command, draft_command):
    main.add_command(_command)
