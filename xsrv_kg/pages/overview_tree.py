"""The overview's hierarchy: whatever containment the document's places have, as stated.

Above the document's area (``dcterms:spatial``), the places it lies in (province >
prefecture > …, by ``schema:containedInPlace``); below it, the units the document names
(assigns a category, tier or designation), grouped by the unit directly in the area they lie
in. Units directly in the area are grouped by the category the document gives them; those it
gives none (a district that only groups a list's villages) are listed as places, never as
"uncategorised". Containment and labels only: no list of levels or kinds, so a province-level
city's districts, a prefecture's counties and a county's townships all draw alike.

The JSON keeps the shape of the county plan's overview: ``hierarchy`` is a list of top
nodes, each with ``path`` (the places from the top down to the area's parent; the top node is
the first of them) and ``counties`` (the areas), each with ``groups`` of ``townships`` (the
units directly in the area) with their ``villages`` (the named units within each).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from .. import vocab
from ..sparql import rq
from ..store import Store
from .overview_words import WORDS

TOWNSHIP = vocab.XSRV + "TownshipLevelDivision"
VILLAGE = vocab.XSRV + "VillageLevelDivision"


def _iri(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _paths(store: Store, doc: str) -> dict[str, list[str]]:
    """Per area of the document: the places above it, from the top down."""
    parent: dict[str, dict[str, str | None]] = {}
    for row in rq.select(store, "overview-area", values={"doc": doc}):
        area = _iri(row["area"])
        if area is None:
            continue
        parents = parent.setdefault(area, {})
        place, up = _iri(row["place"]), _iri(row["parent"])
        if place is not None and (parents.get(place) is None):
            parents[place] = up
    paths = {}
    for area, parents in parent.items():
        chain, at = [], parents.get(area)
        while at is not None and at not in chain and at != area:
            chain.append(at)
            at = parents.get(at)
        paths[area] = chain[::-1]
    return paths


def hierarchy(store: Store, lang: str, node: Callable, category: Callable,
              counts: list[dict[str, Any]], *, doc: str) -> list[dict[str, Any]]:
    """The hierarchy of the document ``doc`` (see the module's docstring)."""
    areas: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rq.select(store, "overview-places", values={"doc": doc}):
        area, child, unit = _iri(row["area"]), _iri(row["child"]), _iri(row["unit"])
        if area is None or child is None or unit is None:
            continue
        entry = areas.setdefault(area, {}).setdefault(child, {
            "assigned": None, "named": {}, "first": len(areas[area])})
        found = {"category": row["category"], "tier": row["tier"], "code": row["code"],
                 "pos": row["pos"], "order": row["order"]}
        if unit == child:
            if entry["assigned"] is None:  # a second assignment: the first (by category) wins
                entry["assigned"] = found
        else:
            entry["named"].setdefault(unit, found)
    top: dict[str | None, dict[str, Any]] = {}
    for area, path in _paths(store, doc).items():
        if area not in areas:
            continue
        head = path[0] if path else None
        entry = top.setdefault(head, {**(node(head) or {"iri": None, "label": None,
                                                         "href": None}),
                                      "path": [node(p) for p in path], "counties": []})
        entry["counties"].append({**node(area), "groups": _groups(
            lang, node, category, counts, areas[area]),
            "counts": [c for c in counts if c["within"] == area]})
    return list(top.values())


def _groups(lang: str, node: Callable, category: Callable, counts: list[dict[str, Any]],
            children: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The units directly in one area, grouped by category (in the categories' order), then
    those the document gives no category (as places)."""
    def rank(item: tuple[str, dict[str, Any]]) -> tuple:
        iri_, entry = item
        given = entry["assigned"]
        if given is None:
            return (1, "", "", iri_)
        order = given["order"].value if isinstance(given["order"], ox.Literal) else ""
        code = given["code"].value if isinstance(given["code"], ox.Literal) else ""
        return (0, order.zfill(8), code, iri_)

    groups: list[dict[str, Any]] = []
    for iri_, entry in sorted(children.items(), key=rank):
        given = entry["assigned"]
        cat = category(given["category"]) if given else None
        cat_iri = cat["iri"] if cat else None
        group = next((g for g in groups if (g["category"] or {}).get("iri") == cat_iri), None)
        if group is None:
            group = {"category": cat,
                     "label": cat["label"] if cat else WORDS[lang]["places"],
                     "townshipCount": _count(counts, cat_iri, TOWNSHIP),
                     "villageCount": _count(counts, cat_iri, VILLAGE),
                     "unitCount": _count(counts, cat_iri, None),
                     "townships": []}
            groups.append(group)
        named = sorted(entry["named"].items(), key=lambda kv: (
            int(kv[1]["pos"].value) if isinstance(kv[1]["pos"], ox.Literal) else 1 << 60,
            kv[0]))
        group["townships"].append({
            **node(iri_), "tier": node(given["tier"]) if given else None,
            "code": given["code"].value if given and isinstance(given["code"], ox.Literal)
            else None,
            "villages": [{**node(v), "category": category(f["category"]),
                          "tier": node(f["tier"])} for v, f in named]})
    return groups


def _count(counts: list[dict[str, Any]], category_iri: str | None,
           level: str | None) -> dict[str, Any] | None:
    """The count the text declares for a whole category (no tier) at ``level``; with no
    level, at a level other than township or village (a municipal plan's districts)."""
    if category_iri is None:
        return None
    for c in counts:
        if not (c["category"] and c["category"]["iri"] == category_iri and c["tier"] is None):
            continue
        at = c["level"]["iri"] if c["level"] else None
        if (level is not None and at == level) or (level is None and at is not None
                                                   and at not in (TOWNSHIP, VILLAGE)):
            return c
    return None
