"""The pages of a hash namespace (the ontology's ``#FundRule``, the shapes'
``#TownshipShape``), whose terms cannot be dereferenced one by one: every term described on
one page, and the namespace's triples for its RDF twin."""

from __future__ import annotations

import pyoxigraph as ox

from ..sparql import rq
from ..store import Store
from .describe import Description, describe_many, triples_of


def namespace_terms(store: Store, namespace: str, document: str) -> list[tuple[str, list[str]]]:
    """The IRIs in a hash namespace (and the namespace document), each with its type IRIs."""
    terms: dict[str, list[str]] = {}
    for row in rq.select(store, "describe-namespace"):
        iri = row["iri"].value
        if iri == document or iri.startswith(namespace):
            types = terms.setdefault(iri, [])
            if row["type"].value not in types:
                types.append(row["type"].value)
    return list(terms.items())


def describe_namespace(store: Store, namespace: str, document: str,
                       lang: str) -> tuple[Description | None, list[Description]]:
    """The namespace document's description and each term's (hash IRIs), in IRI order."""
    iris = [iri for iri, _ in namespace_terms(store, namespace, document)]
    if not iris:
        return None, []
    described = describe_many(store, iris, lang)
    head = next((d for d in described if d.iri == document), None)
    return head, [d for d in described if d.iri != document]


def namespace_graph(store: Store, namespace: str, document: str) -> list[ox.Triple]:
    """Every triple about the namespace's terms and document, with their blank nodes."""
    iris = [iri for iri, _ in namespace_terms(store, namespace, document)]
    return triples_of(store, iris, inbound_cap=0) if iris else []
