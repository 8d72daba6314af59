"""Writer: what the Turtle files of a draft share (write.py and write_document.py): the
subjects minted for facts, bodies and concepts, and spans and review marks as Turtle."""

from __future__ import annotations

from collections.abc import Iterable

from xsrv_kg.draft.model import Draft, Fact, Span
from xsrv_kg.turtle import string


class Writer:
    """The state of one draft's writing: IRIs minted so far, by fact key, name or label."""

    def __init__(self, draft: Draft, terms: set[str]) -> None:
        self.d, self.terms = draft, terms
        self.ids: dict[str, str] = {}
        self.bodies: dict[str, str] = {}
        self.concepts: dict[tuple[str, str], str] = {}
        self.concept_spans: dict[tuple[str, str], Span] = {}
        self.broader: dict[str, str] = {}

    def sid(self, fact: Fact, stem: str) -> str:
        if fact.key not in self.ids:
            taken = sum(1 for v in self.ids.values() if v.startswith(f"plan:{stem}-"))
            self.ids[fact.key] = f"plan:{stem}-{taken + 1}"
        return self.ids[fact.key]

    def spans(self, spans: Iterable[Span]) -> str:
        return " ,\n        ".join(
            f"[ oa:hasSource plan:text ; oa:start {s.start} ; oa:end {s.end} ; "
            f"oa:exact {string(s.exact)} ]"
            for s in spans
        )

    def draft_tail(self, fact: Fact) -> list[str]:
        lines = [
            f"xsrv:reviewStatus xsrv:review-draft ; xsrv:draftRule {string(fact.rule)}",
            f"xsrv:statedBy doc:{self.d.doc_id}",
        ]
        for what, value in fact.given.items():
            lines.append(f"xsrv:givenValue {string(f'{what}: {value}')}")
        lines.append(f"xsrv:sourceSpan {self.spans(fact.spans)}")
        return lines

    def block(self, subject: str, types: str, props: list[str], fact: Fact | None) -> str:
        props = [p for p in props if p]
        if fact is not None:
            props += self.draft_tail(fact)
        return f"{subject} a {types} ;\n    " + " ;\n    ".join(props) + " .\n"

    def term(self, name: str | None, fallback: str = "") -> str:
        return f"xsrv:{name}" if name and name in self.terms else fallback

    def body(self, name: str) -> str:
        if name not in self.bodies:
            self.bodies[name] = f"plan:body-{len(self.bodies) + 1}"
        return self.bodies[name]

    def concept(self, scheme: str, label: str, where: Span | None = None) -> str:
        key = (scheme, label)
        if where is not None and where.exact == label:
            self.concept_spans.setdefault(key, where)
        if key not in self.concepts:
            self.concepts[key] = (
                f"plan:{scheme}-{sum(1 for k in self.concepts if k[0] == scheme) + 1}"
            )
        return self.concepts[key]

    def place_named_once(self, name: str) -> str | None:
        """The place of this name, where the draft holds exactly one (two of one name are left
        for the reviewer to tell apart)."""
        named = [f for f in self.d.of("place") if f.data["name"] == name]
        return self.sid(named[0], "place") if len(named) == 1 else None

    def place_iri(self, name: str | None) -> str | None:
        if not name:
            return None
        if name == self.d.area:
            return "plan:area"
        for fact in self.d.of("place"):
            if fact.data["name"] == name:
                return self.sid(fact, "place")
        return None
