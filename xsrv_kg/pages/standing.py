"""What a figure, assignment or recipient rests on: "stated" by the text, an "interpretation"
the data makes, or "ambiguous" where the text leaves it open, with the editorial notes that say
so (``xsrv_kg/sparql/standing.rq``).

Which resources a note qualifies is the note's own ``xsrv:concerns`` in the data, never a list
here: a page asks for the standing of what it shows, and a note that stops concerning a
resource stops marking it. A figure computed from several resources (a total by payer, a
payer's yearly series) rests on all of them: :func:`combined`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from ..sparql import rq
from ..store import Store
from ..vocab import FALLBACK
from .hrefs import href as href_of

STATED, INTERPRETATION, AMBIGUOUS = "stated", "interpretation", "ambiguous"
#: The stronger mark wins: an interpretation means the data asserts what the text does not
#: state outright; an ambiguity, that the text leaves something about it open.
ORDER = (INTERPRETATION, AMBIGUOUS, STATED)

#: The badges, per language: what a reader sees beside a qualified figure.
BADGES: dict[str, dict[str, str]] = {
    "zh": {INTERPRETATION: "解读", AMBIGUOUS: "未载明", STATED: "原文载明",
           "secondary": "二手来源"},
    "en": {INTERPRETATION: "interpretation", AMBIGUOUS: "not stated", STATED: "stated",
           "secondary": "secondary source"},
}


@dataclass
class Note:
    """An editorial note that qualifies something shown: its IRI, kind, name and text."""

    iri: str
    kind: str            # "interpretation" or "ambiguous"
    label: str
    text: str | None
    href: str | None = None


@dataclass
class Standing:
    """A resource's standing and the notes it comes from (none when "stated")."""

    standing: str = STATED
    notes: list[Note] = field(default_factory=list)


def _pick(texts: dict[str, str], lang: str) -> str | None:
    return next((texts[w] for w in (lang, *FALLBACK, "") if w in texts),
                next(iter(texts.values()), None))


def standings(store: Store, iris: Iterable[str], lang: str, *, base_iri: str = "",
              root: str = "") -> dict[str, Standing]:
    """The standing of each IRI (every IRI asked for gets one; unqualified ones "stated")."""
    wanted = sorted(set(iris))
    found: dict[str, Standing] = {i: Standing() for i in wanted}
    if not wanted:
        return found
    labels: dict[str, dict[str, str]] = {}
    texts: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    concerns: dict[str, list[str]] = {}
    for row in rq.select(store, "standing", "resource", wanted):
        note, resource = row["note"].value, row["resource"].value
        kind = row["kind"].value
        # A note typed both ways counts as the stronger kind.
        kinds[note] = min(kinds.get(note, kind), kind, key=ORDER.index)
        for term, into in ((row["label"], labels), (row["comment"], texts)):
            if isinstance(term, ox.Literal):
                into.setdefault(note, {}).setdefault(term.language or "", term.value)
        if note not in concerns.setdefault(resource, []):
            concerns[resource].append(note)
    for resource, notes in concerns.items():
        records = [Note(iri=n, kind=kinds[n], label=_pick(labels.get(n, {}), lang) or n,
                        text=_pick(texts.get(n, {}), lang),
                        href=href_of(n, base_iri, root=root) if base_iri else None)
                   for n in notes]
        records.sort(key=lambda r: (ORDER.index(r.kind), r.iri))
        found[resource] = Standing(records[0].kind if records else STATED, records)
    return found


def combined(parts: Iterable[Standing]) -> Standing:
    """The standing of a figure that rests on several resources: all their notes, once each,
    and the strongest kind among them."""
    notes: dict[str, Note] = {}
    for part in parts:
        for note in part.notes:
            notes.setdefault(note.iri, note)
    records = sorted(notes.values(), key=lambda r: (ORDER.index(r.kind), r.iri))
    return Standing(records[0].kind if records else STATED, records)


def summary(parts: Iterable[Standing]) -> dict[str, Any]:
    """``{"standing": …, "standingNotes": [{iri, kind, label, text, href}, …]}`` for a JSON
    twin, from the standings a figure rests on (:func:`combined`)."""
    found = combined(parts)
    return {"standing": found.standing, "standingNotes": [asdict(n) for n in found.notes]}
