"""Spans of a source text: locating a quote when writing one, quoting its sentence when
reading one.

Spans are written by hand in Turtle; offsets are not. ``locate`` finds a quote's offsets
(Unicode code points from 0, end exclusive, as the Web Annotation model counts them) and
refuses to guess when the quote occurs more than once: the author then names a longer
``within`` passage that occurs once and contains the quote once. ``quote_sentence`` goes the
other way, for the pages and the validation reports: the sentence around a span's offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadInput
from ..turtle import string

#: Characters that end a sentence for the purpose of quoting one.
SENTENCE_ENDS = "。；！？\n"
#: Sentences shorter than this (in characters) are quoted with the one that follows.
SHORT_SENTENCE = 16


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


@dataclass(frozen=True)
class SourceQuote:
    """A span of source text and the sentence around it."""

    start: int
    end: int
    exact: str
    sentence: str
    #: Offset of ``sentence`` in the text, so a reader can highlight the span inside it.
    sentence_start: int

    def parts(self) -> tuple[str, str, str]:
        """The sentence split as (before the span, the span, after it), clamped to it."""
        lo = max(0, min(self.start - self.sentence_start, len(self.sentence)))
        hi = max(lo, min(self.end - self.sentence_start, len(self.sentence)))
        return self.sentence[:lo], self.sentence[lo:hi], self.sentence[hi:]


def _sentence_end(text: str, start: int) -> int:
    """The offset just after the first sentence end at or after ``start``."""
    ends = [i for i in (text.find(c, start) for c in SENTENCE_ENDS) if i >= 0]
    return min(ends) + 1 if ends else len(text)


def quote_sentence(text: str, start: int, end: int, exact: str = "") -> SourceQuote:
    """The sentence(s) of ``text`` around ``[start, end)``, clamped to the text."""
    lo = max(0, min(start, len(text)))
    hi = max(lo, min(end, len(text)))
    begin = max((text.rfind(c, 0, lo) for c in SENTENCE_ENDS), default=-1) + 1
    finish = _sentence_end(text, max(hi - 1, lo))
    # A heading such as "积极推进类（19个）。" says little alone: add the sentence after it.
    if finish - begin < SHORT_SENTENCE and finish < len(text):
        finish = _sentence_end(text, finish)
    sentence = text[begin:finish]
    # Leading blanks (the text indents some paragraphs) are not part of the sentence.
    stripped = sentence.lstrip()
    begin += len(sentence) - len(stripped)
    return SourceQuote(start, end, exact, stripped.rstrip("\n"), begin)
