"""SPARQL syntax errors as the user reads them: one message form, positions in their own text.

A parser's message says where it stopped (``error at 1:12``, ``line 1, column 12``). Stores
that send a query with something put in front of it on its first line (the remote store's
one-line ``BASE``/``PREFIX`` prologue) would point past the user's text; every store
reports through :func:`syntax_error`, which takes that back off.

>>> str(syntax_error("error at 1:40: expected '}'", shift=30))
"SPARQL syntax error: error at 1:10: expected '}'"
>>> user_positions("Encountered ... at line 1, column 52.", shift=50)
'Encountered ... at line 1, column 2.'
"""

from __future__ import annotations

import re

from ..errors import BadInput

# A position on line 1: Oxigraph's ``error at 1:12`` (or a range ``1:3-1:9``), and the
# ``line 1, column 12`` of JavaCC-based servers (Jena, RDF4J, Blazegraph).
_LINE_ONE = re.compile(r"(?P<lead>error at |-)1:(?P<col>\d+)|(?P<words>line 1, column )(?P<c2>\d+)")


def user_positions(message: str, *, shift: int = 0) -> str:
    """``message`` with columns on line 1 moved back by the ``shift`` characters a store put
    in front of the user's text on that line (never before column 1)."""
    if not shift:
        return message

    def back(m: re.Match[str]) -> str:
        if m["lead"] is not None:
            return f"{m['lead']}1:{max(int(m['col']) - shift, 1)}"
        return f"{m['words']}{max(int(m['c2']) - shift, 1)}"

    return _LINE_ONE.sub(back, message)


def syntax_error(error: SyntaxError | str, *, shift: int = 0) -> BadInput:
    """The :class:`BadInput` for a query or update that does not parse: ``SPARQL syntax
    error: …`` with the parser's message, positions counted in the user's text."""
    message = error.msg if isinstance(error, SyntaxError) and error.msg else str(error)
    return BadInput(f"SPARQL syntax error: {user_positions(message, shift=shift)}")
