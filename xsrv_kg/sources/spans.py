"""Spans of a source text: locating a quote when writing one, quoting its sentence when
reading one.

Spans are written by hand in Turtle; offsets are not. ``locate`` finds a quote's offsets
(Unicode code points from 0, end exclusive, as the Web Annotation model counts them) and
refuses to guess when the quote occurs more than once: the author then names a longer
``within`` passage that occurs once and contains the quote once. ``quote_sentence`` goes the
other way, for the pages and the validation reports: the sentence around a span's offsets.

A document's quotes are many (fifty for a short notice), so :func:`read_batch` and
:func:`batch_turtle` place a whole file of them at once and report every quote that cannot be
placed, not just the first. :func:`source_of` names the source a text file is, from the Turtle
beside it, so a span never points at another document's text by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..errors import BadInput
from ..turtle import prefixed, string

#: Characters that end a sentence for the purpose of quoting one.
SENTENCE_ENDS = "。；！？\n"
#: Sentences shorter than this (in characters) are quoted with the one that follows.
SHORT_SENTENCE = 16


def locate(text: str, quote: str, within: str | None = None, *,
           hint: str = "give a longer passage that contains it with --within") -> tuple[int, int]:
    """``(start, end)`` of ``quote`` in ``text``, found inside the unique ``within`` passage.

    ``hint`` ends the message of a quote that occurs more than once (or not at all) when no
    passage was given: what the caller's user writes to name one.
    """
    if not quote:
        raise BadInput("the quote is empty")
    passage = within or quote
    found = text.count(passage)
    if found != 1:
        where = f"passage {passage!r}" if within else f"quote {quote!r}"
        at = ""
        if 1 < found <= 5:  # where it occurs helps choose a passage
            starts, i = [], -1
            while (i := text.find(passage, i + 1)) != -1:
                starts.append(str(i))
            at = f" (at {', '.join(starts)})"
        if within:
            advice = ""
        elif found:
            advice = f"; {hint}"
        else:
            advice = "; copy it from the text as it is written (a line break as \\n)"
        raise BadInput(f"{where} occurs {found} times in the text{at}{advice}")
    if passage.count(quote) != 1:
        raise BadInput(f"quote {quote!r} must occur exactly once in {passage!r}")
    start = text.index(passage) + passage.index(quote)
    return start, start + len(quote)


def span_turtle(source: str, text: str, quote: str, within: str | None = None) -> str:
    """A ready-to-paste ``xsrv:sourceSpan`` object for ``quote``, pointing at ``source``."""
    start, end = locate(text, quote, within)
    return node_turtle(source, start, end, quote)


def node_turtle(source: str, start: int, end: int, exact: str) -> str:
    """The span node as the data writes it, on one line."""
    return f"[ oa:hasSource {source} ; oa:start {start} ; oa:end {end} ; oa:exact {string(exact)} ]"


# --------------------------------------------------------------------------------------------
# Many quotes at once
# --------------------------------------------------------------------------------------------

#: What separates a quote from the passage it is found within, on a line of a batch file.
WITHIN_SEPARATOR = "\t"
BATCH_HINT = "add a tab and a longer passage that contains it once"


@dataclass(frozen=True)
class Quote:
    """One quote of a batch file, with its line number and the passage it lies within."""

    line: int
    quote: str
    within: str | None = None


def read_batch(content: str) -> list[Quote]:
    """The quotes of a batch file: one a line, ``QUOTE<TAB>PASSAGE`` to look for it within
    PASSAGE; ``\\n`` writes a line break; blank lines and lines starting with ``#`` are skipped.

    >>> read_batch("# townships\\n甲镇\\t甲镇。\\n\\n推进\\\\n乡村\\n")
    [Quote(line=2, quote='甲镇', within='甲镇。'), Quote(line=4, quote='推进\\n乡村', within=None)]
    """
    quotes = []
    for number, line in enumerate(content.removeprefix("\ufeff").split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        quote, _, within = line.partition(WITHIN_SEPARATOR)
        quotes.append(Quote(number, quote.replace("\\n", "\n"),
                            within.replace("\\n", "\n") or None))
    return quotes


def batch_turtle(source: str, text: str, quotes: list[Quote],
                 name: str = "") -> tuple[list[str], list[str]]:
    """Every quote placed at once: the span nodes of those found, one line each and keyed by
    a comment with the quote's line, and a message for each quote that was not (``name:LINE:
    …``), so that one run shows everything left to fix."""
    nodes, problems = [], []
    for q in quotes:
        try:
            start, end = locate(text, q.quote, q.within, hint=BATCH_HINT)
        except BadInput as exc:
            problems.append(f"{name}:{q.line}: {exc}")
            continue
        key = f"  # line {q.line}" + (f", within {string(q.within)}" if q.within else "")
        nodes.append(node_turtle(source, start, end, q.quote) + key)
    return nodes, problems


# --------------------------------------------------------------------------------------------
# Which source a text file is
# --------------------------------------------------------------------------------------------

def source_of(text_file: Path) -> str:
    """The resource whose ``xsrv:sourceFile`` is ``text_file``, in a Turtle file beside it (as
    the loader reads it), written with that file's own prefix (``plan:text``, ``xp:text``).

    :class:`BadInput` when no file, or more than one resource, says so: a guessed source
    would point the spans at another document's text.
    """
    found: dict[str, str] = {}
    unparsed = []
    for path in sorted(text_file.parent.glob("*.ttl")):
        try:
            parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            quads = list(parser)
        except (SyntaxError, OSError, ValueError):
            unparsed.append(path.name)
            continue
        for q in quads:
            if (q.predicate.value == vocab.SOURCE_FILE and q.object.value == text_file.name
                    and isinstance(q.subject, ox.NamedNode)):
                found.setdefault(q.subject.value, prefixed(q.subject.value, parser.prefixes))
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        raise BadInput(f"{len(found)} resources have xsrv:sourceFile \"{text_file.name}\" "
                       f"beside {text_file}: {', '.join(sorted(found.values()))}; "
                       "name one with --source")
    why = f" ({', '.join(unparsed)} did not parse)" if unparsed else ""
    raise BadInput(f"cannot tell which document's text {text_file} is: no Turtle file beside "
                   f"it gives xsrv:sourceFile \"{text_file.name}\"{why}; name the source "
                   "with --source (e.g. --source plan:text)")


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
