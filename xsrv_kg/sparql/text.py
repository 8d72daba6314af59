"""What a SPARQL request's text asks for, read without evaluating it.

pyoxigraph parses and runs a query in one step and offers no hook on ``SERVICE``, so the
endpoint reads the text itself for the few things it must decide before running it: which
remote endpoints a query would call (outbound requests are a security matter), and whether
the query names its own dataset (``FROM``), in which case the union default graph must not
replace it. Keywords are found only outside comments, strings and IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from ..errors import BadInput
from .lexer import masked_text

# A keyword is not part of a variable (?x, $x), a prefixed name (ex:x) or another word.
_KEYWORD = r"(?<![\w?$:.-])(?i:{})(?![\w:-])"
_UPDATE_KEYWORDS = ("LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                    "INSERT", "DELETE", "WITH", "USING")
# Every keyword that matters, in one pass; SERVICE also captures the token after it. SERVICE
# may follow a '.' directly (``?o .SERVICE <…>``): erring towards seeing it (and refusing
# ``ex:a.service``, a rare prefixed name) is the safe side of the allow-list.
_KEYWORDS = re.compile(
    r"(?<![\w?$:-])(?P<service>(?i:SERVICE)(?![\w:-])\s*(?i:SILENT\s*)?"
    r"(?P<endpoint><[^>\s]*>|[^\s{}]+)?)"
    r"|(?<![\w?$:.-])(?P<keyword>(?i:" + "|".join(("FROM", *_UPDATE_KEYWORDS)) + r"))"
    r"(?![\w:-])"
)
_BRACKETS = re.compile(r"[{}()\[\]]")
_OPENING = frozenset("{([")

#: Deepest nesting of groups, brackets and parentheses accepted. pyoxigraph's parser is
#: recursive: a few thousand levels overflow its stack and kill the process.
MAX_NESTING = 256
_WHERE = re.compile(_KEYWORD.format("WHERE"))
_DELETE_AT_END = re.compile(_KEYWORD.format("DELETE") + r"$")

#: Texts longer than this are scanned every time rather than memoized (bounded memory).
MEMO_MAX_CHARS = 16_384


@dataclass(frozen=True)
class RequestText:
    """The keywords of one query or update that matter before it runs."""

    #: The endpoint of each ``SERVICE`` clause: an IRI, or the raw token (a variable or a
    #: prefixed name) when it is not written as an IRI.
    services: tuple[str, ...]
    #: ``FROM`` / ``FROM NAMED`` appear: the query chooses its own dataset.
    has_dataset_clause: bool
    #: Update operations and clauses named (``LOAD``, ``INSERT``, ``USING``, …), upper case.
    operations: frozenset[str]
    #: The deepest nesting of ``{}``, ``()`` and ``[]`` outside strings, IRIs and comments.
    depth: int = 0

    def check_nesting(self) -> None:
        """Refuse a text nested deeper than :data:`MAX_NESTING` before any parser sees it."""
        if self.depth > MAX_NESTING:
            raise BadInput(f"the text nests groups, brackets or parentheses {self.depth} deep; "
                           f"at most {MAX_NESTING} levels are accepted")


def read_text(text: str) -> RequestText:
    """Scan ``text`` (a query or an update) for SERVICE, FROM and update operations."""
    return _read_short(text) if len(text) <= MEMO_MAX_CHARS else _read(text)


@lru_cache(maxsize=2048)  # pure; researchers and scripts repeat their queries
def _read_short(text: str) -> RequestText:
    return _read(text)


def _read(text: str) -> RequestText:
    masked = masked_text(text)
    services: list[str] = []
    keywords: set[str] = set()
    for m in _KEYWORDS.finditer(masked):
        if m.group("service"):
            token = text[m.start("endpoint"):m.end("endpoint")] if m.group("endpoint") else ""
            services.append(token[1:-1] if token.startswith("<") else token)
        else:
            keywords.add(m.group("keyword").upper())
    depth = deepest = 0
    for m in _BRACKETS.finditer(masked):
        depth += 1 if m.group() in _OPENING else -1
        deepest = max(deepest, depth)
    return RequestText(
        services=tuple(services),
        has_dataset_clause="FROM" in keywords,
        operations=frozenset(keywords & set(_UPDATE_KEYWORDS)),
        depth=deepest,
    )


def with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses added to each ``… WHERE`` operation.

    This is what the Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` parameters
    mean. ``DELETE WHERE`` takes no USING, so it is left alone. The caller refuses requests
    that combine the parameters with USING or WITH in the text. Each IRI is written by
    pyoxigraph, so a value cannot break out of its ``<…>``; one that is not an absolute IRI
    is refused.
    """
    clauses = "".join(f"USING {_iri(iri, 'using-graph-uri')} " for iri in using) + \
        "".join(f"USING NAMED {_iri(iri, 'using-named-graph-uri')} " for iri in using_named)
    masked = masked_text(update)
    out, last = [], 0
    for m in _WHERE.finditer(masked):
        before = masked[:m.start()].rstrip()
        if _DELETE_AT_END.search(before):
            continue
        out += [update[last:m.start()], clauses]
        last = m.start()
    out.append(update[last:])
    return "".join(out)


def _iri(value: str, parameter: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise BadInput(f"{parameter}={value!r} is not an absolute IRI: {exc}") from None
