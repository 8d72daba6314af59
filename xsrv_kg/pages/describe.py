"""What the store says about one resource, for its linked-data page and its RDF twin.

Pure functions over a :class:`~xsrv_kg.store.Store` (no HTTP, no Flask):

- :func:`describe` -> :class:`Description`: names (zh, en), types, every outgoing property
  with its values (IRIs named; literals with language or datatype; blank nodes such as spans
  and durations nested), the links pointing in (capped, with the total), the source
  sentences its spans cite with the span marked, and for an administrative unit the sections
  :mod:`.assignments` gives (its categories, the fund rules that include it).
- :func:`description_graph`: the same resource as triples (its RDF twin); :func:`exists` and
  :func:`graph_size`: whether a resource or a named graph has a page.

Terms become the records a page shows in :mod:`.terms`; a hash namespace's page (every term
at once) is :mod:`.namespaces`.

The SPARQL lives in ``xsrv_kg/sparql/describe-*.rq``; values are bound by a trailing
``VALUES`` clause, never pasted into the query text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from .. import vocab
from ..sparql import rq
from ..store import Store
from ..vocab import FALLBACK
from .assignments import Assignment, Funding, assignments_of, funding_of
from .names import local_name
from .standing import Note, standings
from .terms import Inbound, PropertyValues, Quote, Term, TermNames, Value, integer, quote

#: Links into a resource listed on its page; the page says how many there are in all.
INBOUND_CAP = 200

RDF_TYPE = vocab.PREFIXES["rdf"] + "type"
OA = vocab.PREFIXES["oa"]
SOURCE_SPAN = vocab.XSRV + "sourceSpan"
CNT_CHARS = vocab.CNT_CHARS

#: Properties shown first, in this order; the rest follow by name.
PROPERTY_ORDER = tuple(vocab.PREFIXES[p] + local for p, local in (
    ("rdfs", "label"), ("skos", "prefLabel"), ("skos", "altLabel"), ("eli", "title"),
    ("skos", "notation"), ("skos", "definition"), ("rdfs", "comment"),
))

#: (property, object) pairs by subject.
Pairs = dict[str, list[tuple[ox.NamedNode, Term]]]


@dataclass
class Description:
    """Everything one resource's page shows (and its JSON twin holds)."""

    iri: str
    lang: str
    label: str
    #: The resource's names by language (rdfs:label / skos:prefLabel / eli:title).
    labels: dict[str, list[str]]
    types: list[Value]
    properties: list[PropertyValues]
    inbound: list[Inbound] = field(default_factory=list)
    inbound_total: int = 0
    quotes: list[Quote] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    funding: list[Funding] = field(default_factory=list)
    #: "stated", "interpretation" or "ambiguous": what the editorial notes concerning this
    #: resource say of it (:mod:`.standing`), with those notes.
    standing: str = "stated"
    notes: list[Note] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        """The store says something about it (as subject or object)."""
        return bool(self.types or self.properties or self.inbound_total)

    @property
    def fragment(self) -> str:
        """The part after ``#`` (anchors on namespace pages), or ''."""
        return self.iri.partition("#")[2]


def valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


# --- outgoing triples and their blank nodes -------------------------------------------------

def _outgoing(store: Store, iris: Sequence[str]) -> dict[str, list[tuple[ox.NamedNode, Term]]]:
    found: dict[str, list[tuple[ox.NamedNode, Term]]] = {i: [] for i in iris}
    for row in rq.select(store, "describe-outgoing", "iri", iris):
        found[row["iri"].value].append((row["p"], row["o"]))
    return found


def _blank_nodes(store: Store, outgoing: dict[str, list[tuple[ox.NamedNode, Term]]],
                 ) -> dict[str, list[tuple[ox.NamedNode, Term]]]:
    """The triples of blank nodes reachable through blank nodes only from the IRIs of
    ``outgoing`` (their outgoing triples). IRIs with no blank node among their objects are not
    asked about: the closure query is the costly one, and a backend that cannot run it
    (``any-predicate-path``) refuses only the pages that need it."""
    iris = [iri for iri, pairs in outgoing.items()
            if any(isinstance(o, ox.BlankNode) for _, o in pairs)]
    if not iris:
        return {}
    by_subject: dict[str, list[tuple[ox.NamedNode, Term]]] = {}
    for row in rq.select(store, "describe-blank-nodes", "iri", iris):
        by_subject.setdefault(row["s"].value, []).append((row["p"], row["o"]))
    return by_subject


def _closure(first: Iterable[Term], bnodes: Pairs) -> list[str]:
    """Ids of the blank nodes reachable from ``first`` through blank nodes."""
    seen: list[str] = []
    todo = [t.value for t in first if isinstance(t, ox.BlankNode)]
    while todo:
        node = todo.pop()
        if node in seen or node not in bnodes:
            continue
        seen.append(node)
        todo += [o.value for _, o in bnodes[node] if isinstance(o, ox.BlankNode)]
    return seen


def _property_rank(iri: str, names: TermNames) -> tuple[int, str]:
    try:
        return PROPERTY_ORDER.index(iri), ""
    except ValueError:
        return len(PROPERTY_ORDER), local_name(iri)


def _properties(pairs: list[tuple[ox.NamedNode, Term]], names: TermNames,
                bnodes: dict[str, list[tuple[ox.NamedNode, Term]]], texts: dict[str, str],
                depth: int = 0, skip_types: bool = True) -> list[PropertyValues]:
    grouped: dict[str, list[Term]] = {}
    for p, o in pairs:
        if skip_types and p.value == RDF_TYPE:
            continue
        grouped.setdefault(p.value, []).append(o)
    out = []
    for prop in sorted(grouped, key=lambda i: _property_rank(i, names)):
        values = [_nested(o, names, bnodes, texts, depth)
                  for o in _sorted_terms(grouped[prop], names)]
        out.append(PropertyValues(names.value(ox.NamedNode(prop)), values))
    return out


def _sorted_terms(terms: list[Term], names: TermNames) -> list[Term]:
    def key(t: Term) -> tuple:
        if isinstance(t, ox.Literal):
            # The reader's language first, then zh, en, others.
            order = (names.lang, *FALLBACK)
            lang = t.language or ""
            return (0, order.index(lang) if lang in order else len(order), t.value)
        if isinstance(t, ox.NamedNode):
            return (1, 0, names.label(t.value))
        return (2, 0, t.value)
    return sorted(terms, key=key)


def _nested(term: Term, names: TermNames, bnodes: dict[str, list[tuple[ox.NamedNode, Term]]],
            texts: dict[str, str], depth: int) -> Value:
    value = names.value(term)
    if not isinstance(term, ox.BlankNode) or depth > 8:
        return value
    pairs = bnodes.get(term.value, [])
    by_prop = {p.value: o for p, o in pairs}
    start, end = integer(by_prop.get(OA + "start")), integer(by_prop.get(OA + "end"))
    src = by_prop.get(OA + "hasSource")
    if start is not None and end is not None and isinstance(src, ox.NamedNode):
        exact = by_prop.get(OA + "exact")
        value.quote = quote(names, src.value, start, end,
                            exact.value if isinstance(exact, ox.Literal) else "",
                            texts.get(src.value))
        value.label = value.quote.exact
    value.properties = _properties(pairs, names, bnodes, texts, depth + 1, skip_types=False)
    return value


def _source_texts(store: Store, bnodes: Pairs) -> dict[str, str]:
    sources = {o.value for pairs in bnodes.values() for p, o in pairs
               if p.value == OA + "hasSource" and isinstance(o, ox.NamedNode)}
    if not sources:
        return {}
    # The spans' texts (cnt:chars) come with describe-spans; a text alone needs its own row.
    texts: dict[str, str] = {}
    for row in rq.select(store, "describe-outgoing", "iri", sorted(sources)):
        if row["p"].value == CNT_CHARS and isinstance(row["o"], ox.Literal):
            texts[row["iri"].value] = row["o"].value
    return texts


def _iris_in(pairs: Iterable[tuple[ox.NamedNode, Term]]) -> set[str]:
    out = set()
    for p, o in pairs:
        out.add(p.value)
        if isinstance(o, ox.NamedNode):
            out.add(o.value)
    return out


# --- the description --------------------------------------------------------------------------

def describe_many(store: Store, iris: Sequence[str], lang: str,
                  names: TermNames | None = None) -> list[Description]:
    """Names, types, properties (blank nodes nested) and spans of each IRI; no inbound links."""
    names = names or TermNames(store, lang)
    outgoing = _outgoing(store, iris)
    bnodes = _blank_nodes(store, outgoing)
    texts = _source_texts(store, bnodes)
    names.fetch({*iris, *(x for pairs in outgoing.values() for x in _iris_in(pairs)),
                 *(x for pairs in bnodes.values() for x in _iris_in(pairs))})
    out = []
    for iri in iris:
        pairs = outgoing[iri]
        types = [names.value(o) for p, o in pairs if p.value == RDF_TYPE]
        out.append(Description(
            iri=iri, lang=lang, label=names.label(iri), labels=names.by_lang(iri),
            types=sorted(types, key=lambda v: v.label),
            properties=_properties(pairs, names, bnodes, texts),
            quotes=[]))
        described = out[-1]
        described.quotes = sorted(
            (v.quote for pv in described.properties if pv.property.value == SOURCE_SPAN
             for v in pv.values if v.quote is not None), key=lambda q: (q.start, q.end))
    return out


def describe(store: Store, iri: str, lang: str = "zh", *,
             inbound_cap: int = INBOUND_CAP) -> Description:
    """Everything the page of ``iri`` shows (see the module docstring)."""
    names = TermNames(store, lang)
    [found] = describe_many(store, [iri], lang, names)
    rows = rq.select(store, "describe-inbound", "iri", [iri])
    kept = list(islice(rows, inbound_cap))
    found.inbound_total = len(kept) + sum(1 for _ in rows)
    names.fetch({t.value for row in kept for t in (row["s"], row["p"], row["via"])
                 if isinstance(t, ox.NamedNode)})
    found.inbound = [Inbound(names.value(row["s"]), names.value(row["p"]),
                             names.value(row["via"]) if row["via"] is not None else None)
                     for row in kept]
    found.assignments = assignments_of(store, names, iri)
    found.funding = funding_of(store, names, iri)
    _mark(store, found, lang)
    return found


def _mark(store: Store, found: Description, lang: str) -> None:
    """The standing of the resource, of its assignments and of the rules funding it: one
    query for all of them."""
    marked = [found, *found.assignments, *found.funding]
    keys = [found.iri, *(a.assignment.value for a in found.assignments),
            *(f.rule.value for f in found.funding)]
    by_iri = standings(store, keys, lang)
    for item, key in zip(marked, keys, strict=True):
        item.standing, item.notes = by_iri[key].standing, by_iri[key].notes


# --- triples for the RDF twins ----------------------------------------------------------------

def description_graph(store: Store, iri: str, *, inbound_cap: int = INBOUND_CAP) -> list[ox.Triple]:
    """The resource's outgoing triples, those of its blank nodes (spans, durations), and the
    triples linking into it from other IRIs (at most ``inbound_cap``)."""
    return triples_of(store, [iri], inbound_cap=inbound_cap)


def triples_of(store: Store, iris: Sequence[str], *, inbound_cap: int) -> list[ox.Triple]:
    """The IRIs' outgoing triples, those of their blank nodes, and at most ``inbound_cap``
    triples linking into each from other IRIs."""
    outgoing = _outgoing(store, iris)
    bnodes = _blank_nodes(store, outgoing)
    triples: list[ox.Triple] = []
    for iri in iris:
        subject = ox.NamedNode(iri)
        triples += [ox.Triple(subject, p, o) for p, o in outgoing[iri]]
    firsts = [o for pairs in outgoing.values() for _, o in pairs]
    for node in _closure(firsts, bnodes):
        subject = ox.BlankNode(node)
        triples += [ox.Triple(subject, p, o) for p, o in bnodes[node]]
    if inbound_cap:
        for iri in iris:
            rows = rq.select(store, "describe-inbound", "iri", [iri])
            direct = (r for r in rows if r["via"] is None)
            triples += [ox.Triple(r["s"], r["p"], ox.NamedNode(iri))
                        for r in islice(direct, inbound_cap)]
    return triples


def graph_size(store: Store, graph: str) -> tuple[int, int] | None:
    """(triples, distinct subjects) of a named graph, or None if the store has no such graph."""
    if graph not in store.graphs():
        return None
    rows = list(rq.select(store, "describe-graph", "g", [graph]))
    if not rows:
        return 0, 0
    [row] = rows
    return int(row["triples"].value), int(row["subjects"].value)


def exists(store: Store, iri: str) -> bool:
    """The store has a triple with ``iri`` as subject or object."""
    if not valid_iri(iri):
        return False
    result = store.query(rq.bind(rq.load("describe-exists"), "iri", [iri]),
                         union_default_graph=True, prefixes=vocab.PREFIXES)
    return bool(result)
