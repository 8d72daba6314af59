"""A document's draft as the store holds it (``xsrv-kg draft`` wrote it; a review changes
it): its facts, the accepted part, and both as Turtle.

A fact is what the draft marks for review: a resource in the document's namespace (doc:ID
or doc:ID/…) with an ``xsrv:reviewStatus``, with its triples and the blank nodes they hold
(its spans). Its id is its name after ``doc:ID/`` (``assign-3``), ``document`` for doc:ID.

The accepted part is what a reviewer can keep: the accepted facts, and what they need to
stand -- the document itself and its source text always, and every draft resource they
refer to, directly or through another (a place, its parent, a category and its scheme),
unless it was rejected. A triple that points at a rejected fact is left out: it would state
a relation to something the reviewer struck.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import vocab
from ..sparql import rq
from ..store import Store

REVIEW_STATUS = ox.NamedNode(vocab.XSRV + "reviewStatus")
DRAFT_RULE = ox.NamedNode(vocab.XSRV + "draftRule")
SOURCE_SPAN = ox.NamedNode(vocab.XSRV + "sourceSpan")
CHARS = ox.NamedNode(vocab.PREFIXES["cnt"] + "chars")
SOURCE_TEXT = ox.NamedNode(vocab.XSRV + "sourceText")
RDF_TYPE = ox.NamedNode(vocab.PREFIXES["rdf"] + "type")
OA = vocab.PREFIXES["oa"]

#: The review statuses, by the decision that sets them.
STATUSES = {"accept": vocab.XSRV + "review-accepted", "reject": vocab.XSRV + "review-rejected"}
DRAFT = vocab.XSRV + "review-draft"

#: The id of the document itself among its facts (no resource of a draft is named so).
DOCUMENT_FACT = "document"
FACT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

Subject = ox.NamedNode | ox.BlankNode
Triple = tuple[Subject, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


@dataclass
class DraftGraph:
    """The asserted triples of one document's draft, by subject."""

    document: str
    triples: dict[Subject, list[Triple]] = field(default_factory=dict)

    def fact_id(self, iri: str) -> str | None:
        """The fact id of a resource of this draft (None for one a URL cannot name)."""
        if iri == self.document:
            return DOCUMENT_FACT
        rest = iri[len(self.document) + 1:]
        return rest if FACT_ID.fullmatch(rest) else None

    def facts(self) -> dict[str, ox.NamedNode]:
        """Fact id -> resource, the document first, then in the order of the files."""
        found = {}
        for subject, triples in self.triples.items():
            if isinstance(subject, ox.NamedNode) and any(
                    t[1] == REVIEW_STATUS for t in triples):
                key = self.fact_id(subject.value)
                if key is not None:
                    found[key] = subject
        return dict(sorted(found.items(), key=lambda kv: kv[0] != DOCUMENT_FACT))

    def value(self, subject: Subject, predicate: ox.NamedNode) -> ox.Term | None:
        return next((o for _, p, o in self.triples.get(subject, []) if p == predicate), None)

    def status(self, subject: Subject) -> str:
        found = self.value(subject, REVIEW_STATUS)
        return found.value if found is not None else DRAFT

    def closure(self, subject: Subject) -> list[Triple]:
        """The subject's triples and those of the blank nodes it holds."""
        out, todo, seen = [], [subject], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in self.triples.get(node, []):
                out.append(triple)
                if isinstance(triple[2], ox.BlankNode):
                    todo.append(triple[2])
        return out

    def spans(self, subject: Subject) -> list[tuple[int, int, str]]:
        """(start, end, exact) of each span of the resource, in text order."""
        found = []
        for _, p, span in self.triples.get(subject, []):
            if p == SOURCE_SPAN:
                start = self.value(span, ox.NamedNode(OA + "start"))
                end = self.value(span, ox.NamedNode(OA + "end"))
                exact = self.value(span, ox.NamedNode(OA + "exact"))
                if start is not None and end is not None:
                    found.append((int(start.value), int(end.value),
                                  exact.value if exact is not None else ""))
        return sorted(found)

    def text(self) -> str | None:
        """The document's source text (the loader reads it into cnt:chars)."""
        source = self.value(ox.NamedNode(self.document), SOURCE_TEXT)
        chars = self.value(source, CHARS) if source is not None else None
        return chars.value if chars is not None else None


def read(store: Store, document: str, *, leave_out: Iterable[str] = ()) -> DraftGraph:
    """The draft of ``document`` (an IRI) in ``store``, the graphs ``leave_out`` (the
    inferred graph: derived, not drafted) left out."""
    skipped = set(leave_out)
    graph = DraftGraph(document)
    seen: set[Triple] = set()

    def add(triple: Triple) -> None:
        if triple not in seen:
            seen.add(triple)
            graph.triples.setdefault(triple[0], []).append(triple)

    for row in rq.select(store, "draft-graph", values={"doc": document}):
        if row["g"].value in skipped:
            continue
        add((row["s"], row["p"], row["o"]))
        if row["p2"] is not None:
            add((row["o"], row["p2"], row["o2"]))
        if row["p3"] is not None:
            add((row["o2"], row["p3"], row["o3"]))
    return graph


def accepted_part(graph: DraftGraph) -> tuple[list[Triple], dict[str, list[str]]]:
    """The accepted part's triples, and what it holds: fact ids by role (``accepted``,
    ``context``: needed draft resources, ``rejected``: left out, with the triples pointing
    at them)."""
    facts = graph.facts()
    by_iri = {iri: key for key, iri in facts.items()}
    status = {key: graph.status(iri) for key, iri in facts.items()}
    rejected = {iri for key, iri in facts.items() if status[key] == STATUSES["reject"]}
    doc = ox.NamedNode(graph.document)
    text = graph.value(doc, SOURCE_TEXT)
    start = [iri for key, iri in facts.items() if status[key] == STATUSES["accept"]]
    todo: list[Subject] = [*start, doc, *([text] if isinstance(text, ox.NamedNode) else [])]
    kept: list[Subject] = []
    while todo:
        node = todo.pop(0)
        if node in kept or node in rejected:
            continue
        kept.append(node)
        for _, _, o in graph.closure(node):
            if isinstance(o, ox.NamedNode) and o in by_iri:
                todo.append(o)
    triples = [t for node in kept for t in graph.closure(node) if t[2] not in rejected]
    roles = {"accepted": [by_iri[n] for n in kept if n in by_iri and n in start],
             "context": [graph.fact_id(n.value) or n.value for n in kept if n not in start],
             "rejected": [by_iri[n] for n in rejected]}
    return triples, roles


# --- Turtle ---------------------------------------------------------------------------------

def _prefixes(document: str) -> dict[str, str]:
    names = ("xsrv", "doc", "rdf", "rdfs", "xsd", "skos", "dcterms", "eli", "org", "time",
             "schema", "oa", "freq")
    return {"plan": document + "/", **{n: vocab.PREFIXES[n] for n in names}}


def _term(term: ox.Term, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        if term.value == RDF_TYPE.value:
            return "a"
        for name, ns in prefixes.items():
            rest = term.value[len(ns):]
            if term.value.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_][\w.-]*", rest) \
                    and not rest.endswith("."):
                return f"{name}:{rest}"
    if isinstance(term, ox.Literal) and term.datatype.value in (
            vocab.PREFIXES["xsd"] + "integer", vocab.PREFIXES["xsd"] + "boolean"):
        return term.value
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(vocab.PREFIXES["xsd"]) \
            and term.datatype.value != vocab.PREFIXES["xsd"] + "string" and not term.language:
        return f"{ox.Literal(term.value)}^^{_term(term.datatype, prefixes)}"
    return str(term)


#: Predicates written first (what the resource is) and last (the review record, the spans).
FIRST = (RDF_TYPE.value, vocab.PREFIXES["rdfs"] + "label", vocab.PREFIXES["skos"] + "prefLabel",
         OA + "hasSource", OA + "start", OA + "end", OA + "exact")
LAST = (REVIEW_STATUS.value, DRAFT_RULE.value, vocab.XSRV + "statedBy",
        vocab.XSRV + "givenValue", SOURCE_SPAN.value)


def _order(predicate: ox.NamedNode) -> tuple[int, int, str]:
    iri = predicate.value
    if iri in FIRST:
        return (0, FIRST.index(iri), "")
    if iri in LAST:
        return (2, LAST.index(iri), "")
    return (1, 0, iri)


def _block(graph_triples: dict[Subject, list[Triple]], subject: Subject,
           prefixes: dict[str, str], *, inline: bool = False) -> str:
    """The predicate-object list of ``subject``, its blank nodes written inline on one line
    (a span reads as ``[ oa:hasSource plan:text ; oa:start 3 ; oa:end 6 ; oa:exact "…" ]``)."""
    by_predicate: dict[ox.NamedNode, list[str]] = {}
    for _, p, o in graph_triples.get(subject, []):
        if isinstance(o, ox.BlankNode):
            inner = _block(graph_triples, o, prefixes, inline=True)
            written = f"[ {inner} ]" if inner else "[]"
        else:
            written = _term(o, prefixes)
        by_predicate.setdefault(p, []).append(written)
    parts = [f"{_term(p, prefixes)} " + (" , " if inline else " ,\n        ").join(objects)
             for p, objects in sorted(by_predicate.items(), key=lambda kv: _order(kv[0]))]
    return (" ; " if inline else " ;\n    ").join(parts)


def turtle(document: str, triples: list[Triple], *, heading: str = "",
           with_prefixes: bool = True) -> str:
    """The triples as Turtle: one block per named subject, blank nodes inline (the draft's
    blank nodes are spans and durations, each held by one subject)."""
    prefixes = _prefixes(document)
    by_subject: dict[Subject, list[Triple]] = {}
    for t in triples:
        by_subject.setdefault(t[0], []).append(t)
    blocks = [f"{_term(s, prefixes)} {_block(by_subject, s, prefixes)} ."
              for s in by_subject if isinstance(s, ox.NamedNode)]
    head = "".join(f"@prefix {n}: <{ns}> .\n" for n, ns in prefixes.items()) + "\n" \
        if with_prefixes else ""
    return heading + head + "\n\n".join(blocks) + ("\n" if blocks else "")
