"""Names of nodes in an rdflib graph, in the reader's language, for validation reports.

Reports work on rdflib graphs (pySHACL's world); pages name IRIs from the store with
:mod:`xsrv_kg.pages.names`. Both fall back zh -> en -> the short name of :mod:`xsrv_kg.vocab`."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from .. import vocab
from ..vocab import FALLBACK, short_name

XSRV = Namespace(vocab.XSRV)
ELI = Namespace(vocab.PREFIXES["eli"])
OA = Namespace(vocab.PREFIXES["oa"])

NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, ELI.title)


def _pick(literals: list[Literal], lang: str) -> str | None:
    for wanted in (lang, *FALLBACK):
        for lit in literals:
            if lit.language == wanted:
                return str(lit)
    return str(literals[0]) if literals else None


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
