"""What a draft is: facts, each with the span of the text that states it.

A fact is deliberately plain (a kind, a dict of values, spans): the extractors, the
Turtle writer and the scorer all read the same record, and the never-invents check
needs only `stated` (the words the fact rests on) and the spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """Code-point offsets into the text (end exclusive) and the exact text between them."""

    start: int
    end: int
    exact: str


@dataclass
class Fact:
    """One drafted fact. `stated` lists the words of the text the fact asserts; every one of
    them occurs (whitespace aside) in the text of the fact's spans. Values taken from the
    caller (the --area) rather than the text are listed in `given`, not in `stated`."""

    kind: str
    key: str
    spans: list[Span]
    data: dict[str, Any]
    stated: tuple[str, ...]
    rule: str
    given: dict[str, str] = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return self.spans[0]


@dataclass
class Draft:
    """The facts drafted from one text, with the checks the text allows (totals, counts)."""

    doc_id: str
    text: str
    area: str | None
    facts: list[Fact]
    checks: list[str]

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]


def span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def unstated(fact: Fact) -> list[str]:
    """The stated words of a fact that its spans do not contain (empty when it invents nothing).

    >>> f = Fact("place", "p", [Span(0, 3, "隘口镇")], {}, ("隘口镇", "镇"), "test")
    >>> unstated(f), unstated(Fact("place", "p", [Span(0, 2, "隘口")], {}, ("隘口镇",), "t"))
    ([], ['隘口镇'])
    """
    quoted = "".join("".join(s.exact.split()) for s in fact.spans)
    return [w for w in fact.stated if "".join(w.split()) not in quoted]
