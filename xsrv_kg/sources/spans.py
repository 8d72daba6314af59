"""Locating quotes in a source text: the authoring side of provenance spans.

Spans are written by hand in Turtle; offsets are not. ``locate`` finds a quote's offsets
(Unicode code points from 0, end exclusive, as the Web Annotation model counts them) and
refuses to guess when the quote occurs more than once: the author then names a longer
``within`` passage that occurs once and contains the quote once.
"""

from __future__ import annotations

from ..errors import BadInput
from ..turtle import string


def locate(text: str, quote: str, within: str | None = None) -> tuple[int, int]:
    """``(start, end)`` of ``quote`` in ``text``, found inside the unique ``within`` passage."""
    if not quote:
        raise BadInput("the quote is empty")
    passage = within or quote
    found = text.count(passage)
    if found != 1:
        where = f"passage {passage!r}" if within else f"quote {quote!r}"
        hint = "" if within else "; give a longer passage that contains it with --within"
        raise BadInput(f"{where} occurs {found} times in the text{hint}")
    if passage.count(quote) != 1:
        raise BadInput(f"quote {quote!r} must occur exactly once in {passage!r}")
    start = text.index(passage) + passage.index(quote)
    return start, start + len(quote)


def span_turtle(source: str, text: str, quote: str, within: str | None = None) -> str:
    """A ready-to-paste ``xsrv:sourceSpan`` object for ``quote``, pointing at ``source``."""
    start, end = locate(text, quote, within)
    return f"[ oa:hasSource {source} ; oa:start {start} ; oa:end {end} ; oa:exact {string(quote)} ]"
