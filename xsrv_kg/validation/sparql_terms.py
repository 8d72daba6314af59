"""Terms of a shapes graph written into the in-store engine's SPARQL, and into pySHACL's
generic messages.

IRIs go through ``ox.NamedNode`` (as :func:`xsrv_kg.sparql.rq.bind` does): an IRI that is
not one raises instead of breaking out of the query; literals through rdflib's ``n3()``.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from ..errors import BadInput, UnsupportedShapes
from ..vocab import short_name


def sparql_iri(iri: str) -> str:
    """``<iri>``, checked by pyoxigraph."""
    try:
        return str(ox.NamedNode(str(iri)))
    except ValueError as exc:
        raise BadInput(f"{iri!r} is not an IRI a query can name: {exc}") from None


#: The SHACL class-instance path (``rdf:type/rdfs:subClassOf*``), for "is an instance of".
INSTANCE_PATH = f"{sparql_iri(RDF.type)}/{sparql_iri(RDFS.subClassOf)}*"


def sparql_term(term: Node) -> str:
    """A term of the shapes graph written in SPARQL."""
    if isinstance(term, URIRef):
        return sparql_iri(term)
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShapes(f"the store engine cannot write a blank node ({term.n3()}) into "
                            "a query")


def sparql_string(text: str) -> str:
    """A plain string literal."""
    return Literal(text).n3()


def same_term(x: str, term: Node) -> str:
    """A SPARQL test that ``x`` is ``term`` as rdflib compares them (literals after
    normalisation: by value within their datatype)."""
    if isinstance(term, Literal) and term.datatype is not None \
            and term.datatype not in (XSD.string, RDF.langString):
        return (f"COALESCE(sameTerm(datatype({x}), {sparql_iri(term.datatype)}) && "
                f"{x} = {sparql_term(term)}, false)")
    return f"sameTerm({x}, {sparql_term(term)})"


def distinct_values(x: str, p: str, ys: list[str]) -> str:
    """A pattern: ``x`` has at least ``len(ys)`` distinct values of ``p``."""
    triples = " ".join(f"{x} {p} {y} ." for y in ys)
    pairs = [f"!sameTerm({a}, {b})" for n, a in enumerate(ys) for b in ys[n + 1:]]
    return triples + (f" FILTER({' && '.join(pairs)})" if pairs else "")


def shape_name(shapes: Graph, node: Node) -> str:
    """A shape as the error messages name it."""
    if isinstance(node, BNode):
        owner = shapes.value(None, SH.property, node) or shapes.value(None, SH.sparql, node) \
            or shapes.value(None, SH.qualifiedValueShape, node)
        path = shapes.value(node, SH.path)
        inner = f"a shape on {short_name(path)}" if path is not None \
            else "a blank-node shape"
        return f"{inner} of {shape_name(shapes, owner)}" if owner is not None else inner
    return short_name(node)


#: The prefixes of a graph pySHACL reads (rdflib's defaults), for its generic messages.
_NAMESPACES = Graph().namespace_manager


def show(node: Node | None) -> str:
    """A term as pySHACL writes it in its generic messages (blank nodes by id, where
    pySHACL describes them)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return node.n3(namespace_manager=_NAMESPACES)
        except Exception:  # noqa: BLE001 - pySHACL falls back the same way
            return str(node)
    if isinstance(node, Literal):
        lex = str(node)
        val = "" if node.value is None else str(node.value)
        shown = f'"{lex}" = {val}' if node.value is not None and val != lex else f'"{lex}"'
        lang = f", lang={node.language}" if node.language else ""
        dt = f", datatype={show(node.datatype)}" if node.datatype else ""
        return f"Literal({shown}{lang}{dt})"
    return str(node)
