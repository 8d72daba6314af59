"""SPARQL syntax errors as the user reads them: one message form, positions in their own text.

A parser's message says where it stopped (``error at 1:12``, ``line 1, column 12``). Stores
that send a query with something put in front of it on its first line (the remote store's
one-line ``BASE``/``PREFIX`` prologue) would point past the user's text; every store
reports through :func:`syntax_error`, which takes that back off.

>>> str(syntax_error("error at 1:40: expected '}'", shift=30))
"SPARQL syntax error: error at 1:10: expected '}'"
>>> user_positions("Encountered ... at line 1, column 52.", shift=50)
'Encountered ... at line 1, column 2.'

A query that uses a prefix nobody declared fails in every parser, each with its own words
(Oxigraph lists the characters it expected). Given the query's text and the prefixes the
store predeclared, :func:`syntax_error` says what went wrong instead: the prefix, its
nearest predeclared one and the whole list.

>>> print(syntax_error("error at 1:23: expected one of …", text="SELECT * { ?x dvi:a ?y }",
...                    prefixes={"div": "https://w3id.org/xsrv-kg/id/division/"}))
... # doctest: +NORMALIZE_WHITESPACE
SPARQL syntax error: error at 1:15: unknown prefix dvi: (in dvi:a).
Did you mean div: <https://w3id.org/xsrv-kg/id/division/>? Predeclared prefixes: div:.
Declare another with PREFIX dvi: <…>.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from ..errors import BadInput
from .lexer import Token, position, tokens

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


def syntax_error(error: SyntaxError | str, *, shift: int = 0, text: str | None = None,
                 prefixes: Mapping[str, str] | None = None) -> BadInput:
    """The :class:`BadInput` for a query or update that does not parse: ``SPARQL syntax
    error: …`` with the parser's message, positions counted in the user's text.

    With the user's ``text`` (and the ``prefixes`` predeclared for it), a prefix that neither
    declares is named instead of the parser's words, when its first use is at or before the
    place the parser stopped (an earlier error is the parser's to report).
    """
    message = error.msg if isinstance(error, SyntaxError) and error.msg else str(error)
    message = user_positions(message, shift=shift)
    if text is not None:
        unknown = unknown_prefixes(text, prefixes or {})
        stopped = _offset(text, message)
        if unknown and (stopped is None or unknown[0].start <= stopped):
            return BadInput(f"SPARQL syntax error: "
                            f"{unknown_prefix_message(text, unknown, prefixes or {})}")
    return BadInput(f"SPARQL syntax error: {message}")


#: Tokens after which a ``name:`` is not a prefixed name: a declaration, a Virtuoso pragma.
_NOT_A_USE = {"PREFIX", "DEFINE"}


def unknown_prefixes(text: str, prefixes: Mapping[str, str]) -> list[Token]:
    """The prefixed names in ``text`` whose prefix neither ``text`` declares (``PREFIX p:``)
    nor ``prefixes`` predeclares, in order (blank node labels ``_:b`` are not prefixed)."""
    found = tokens(text)
    declared = set(prefixes)
    for before, token in zip(found, found[1:], strict=False):
        if before.upper == "PREFIX" and token.text.endswith(":"):
            declared.add(token.text[:-1])
    unknown = []
    for n, token in enumerate(found):
        if token.kind != "word" or ":" not in token.text:
            continue
        if n and found[n - 1].upper in _NOT_A_USE:
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix != "_" and prefix not in declared:
            unknown.append(token)
    return unknown


def unknown_prefix_message(text: str, unknown: list[Token], prefixes: Mapping[str, str]) -> str:
    """``error at L:C: unknown prefix p: …`` with the nearest predeclared prefix and all."""
    first = unknown[0]
    line, col = position(text, first.start)
    names = list(dict.fromkeys(t.text.split(":", 1)[0] for t in unknown))
    said = ", ".join(f"{n}:" for n in names)
    parts = [f"error at {line}:{col}: unknown prefix{'es' if len(names) > 1 else ''} {said} "
             f"(in {first.text})."]
    nearest = _nearest(names[0], prefixes)
    if nearest:
        parts.append(f"Did you mean {nearest}: <{prefixes[nearest]}>?")
    if prefixes:
        parts.append("Predeclared prefixes: " + ", ".join(f"{p}:" for p in prefixes) + ".")
    parts.append(f"Declare {'another' if prefixes else 'it'} with PREFIX {names[0]}: <…>.")
    return " ".join(parts)


def _nearest(name: str, prefixes: Mapping[str, str]) -> str | None:
    """The predeclared prefix closest to ``name`` (case aside), if one is close: by difflib's
    ratio, a transposition (``dvi``, ``rdsf``) first, others only when quite close (``foaf``
    is not ``oa``)."""
    lowered = {p.lower(): p for p in prefixes}
    wanted = name.lower()
    close = difflib.get_close_matches(wanted, list(lowered), n=5, cutoff=0.5)
    swapped = [c for c in close if sorted(c) == sorted(wanted)]
    if swapped:
        return lowered[swapped[0]]
    near = [c for c in close if difflib.SequenceMatcher(None, wanted, c).ratio() >= 0.75]
    return lowered[near[0]] if near else None


_POSITION = re.compile(r"error at (\d+):(\d+)|line (\d+), column (\d+)", re.I)


def _offset(text: str, message: str) -> int | None:
    """The character offset in ``text`` of the first position ``message`` gives, if any."""
    m = _POSITION.search(message)
    if not m:
        return None
    line, col = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    if line > len(starts):
        return len(text)
    return starts[line - 1] + col - 1
