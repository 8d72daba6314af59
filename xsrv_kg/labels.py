"""Human names for graph nodes, in the reader's language: the one place that knows which
properties carry names (reports now, web pages later)."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from . import vocab

XSRV = Namespace(vocab.XSRV)
ELI = Namespace(vocab.PREFIXES["eli"])
OA = Namespace(vocab.PREFIXES["oa"])

NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, ELI.title)
#: Languages tried after the one asked for: Chinese is the documents' own language.
FALLBACK = ("zh", "en")


def _pick(literals: list[Literal], lang: str) -> str | None:
    for wanted in (lang, *FALLBACK):
        for lit in literals:
            if lit.language == wanted:
                return str(lit)
    return str(literals[0]) if literals else None


#: Local names shown after a prefix: a display form, more lenient than Turtle's.
_LOCAL_NAME = re.compile(r"[\w-]([\w.:/%-]*[\w-])?")


def shorten_iri(iri: str) -> str:
    """``xsrv:Town`` for a known namespace (the longest that fits), otherwise ``<iri>``.

    For display only: ``id:doc/xiushan-plan/s4-5`` reads better than Turtle's escaped form.
    """
    fits = [(len(ns), prefix) for prefix, ns in vocab.PREFIXES.items()
            if iri.startswith(ns) and (iri == ns or _LOCAL_NAME.fullmatch(iri[len(ns):]))]
    if not fits:
        return f"<{iri}>"
    length, prefix = max(fits)
    return f"{prefix}:{iri[length:]}"


def short_name(node: Node) -> str:
    """A prefixed name (``xp:count-townships``) or the bare IRI, for reports."""
    text = shorten_iri(str(node))
    return text[1:-1] if text.startswith("<") else text


def label(graph: Graph, node: Node | None, lang: str = "zh") -> str:
    """The node's name in ``lang`` (falling back zh -> en -> any), composed where a node
    has no name of its own (assignments, spans), else its short name."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    for prop in NAME_PROPERTIES:
        found = _pick(list(graph.objects(node, prop)), lang)
        if found:
            return found
    unit = graph.value(node, XSRV.assignedUnit)
    category = graph.value(node, XSRV.assignedCategory)
    if unit is not None and category is not None:
        return f"{label(graph, unit, lang)} → {label(graph, category, lang)}"
    exact = graph.value(node, OA.exact)
    if exact is not None:
        start, end = graph.value(node, OA.start), graph.value(node, OA.end)
        return f"“{exact}” [{start}, {end})"
    if isinstance(node, BNode):
        return f"_:{node}"
    return short_name(URIRef(node))
