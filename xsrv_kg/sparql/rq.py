"""The SPARQL the product runs for itself (pages, linking, validation, the workbench's
defaults), kept as ``.rq`` files beside this module (not strings in code), and run with
values bound (:func:`select`, :func:`rows`).

User-facing curated queries live in the project's ``queries/``; these are the product's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .. import vocab
from ..errors import EngineDeviation
from .lexer import tokens

if TYPE_CHECKING:  # only the protocol; the store package reads SPARQL with .lexer
    from ..store import Store

Term = ox.NamedNode | ox.BlankNode | ox.Literal

SPARQL_DIR = Path(__file__).parent


@cache
def load(name: str) -> str:
    """The text of ``xsrv_kg/sparql/<name>.rq``."""
    return (SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _sparql_term(term: Term | str) -> str:
    return str(ox.NamedNode(term) if isinstance(term, str) else term)


def bind(query: str, variable: str, terms: Iterable[Term | str]) -> str:
    """``query`` with ``VALUES ?variable { … }`` appended (strings are IRIs).

    pyoxigraph takes no initial bindings; a trailing VALUES clause is SPARQL's own way of
    giving them, and each term is written by pyoxigraph (so an IRI cannot break out).
    """
    values = " ".join(_sparql_term(t) for t in terms)
    return f"{query.rstrip()}\nVALUES ?{variable} {{ {values} }}\n"


def substitute(query: str, values: Mapping[str, Term | str]) -> str:
    """``query`` with each ``$name`` variable of ``values`` replaced by its term (strings are
    IRIs), written by pyoxigraph, so a value cannot break out of its place.

    A trailing ``VALUES`` (:func:`bind`) joins with the outermost pattern only; a ``$name``
    is fixed everywhere, subqueries included, so each one is evaluated for that value alone
    (a page about one document does not compute over every document). Only ``$`` variables
    are replaced: in a product query, ``$doc`` marks a parameter and ``?doc`` a variable.

    >>> substitute('SELECT ?r { ?r xsrv:statedBy $doc } # $doc', {"doc": "http://d"})
    'SELECT ?r { ?r xsrv:statedBy <http://d> } # $doc'
    """
    out, last = [], 0
    for token in tokens(query):
        if token.kind == "var" and token.text[0] == "$" and token.text[1:] in values:
            out += [query[last:token.start], _sparql_term(values[token.text[1:]])]
            last = token.end
    return "".join(out) + query[last:]


def select(store: Store, name: str, variable: str | None = None,
           terms: Iterable[Term | str] = (), *,
           values: Mapping[str, Term | str] | None = None) -> ox.QuerySolutions:
    """Run ``xsrv_kg/sparql/<name>.rq`` over the union default graph, with ``?variable``
    bound to ``terms`` when given, and each ``$name`` of ``values`` substituted
    (:func:`substitute`).

    A query whose ``# relies-on:`` line names a deviation of the store's engine is refused by
    the store (:mod:`xsrv_kg.store.conformance`); the refusal is re-raised naming the file, so
    a page that runs it is refused as a whole (HTTP 501), never shown with a wrong figure.
    """
    query = load(name) if not values else substitute(load(name), values)
    if variable is not None:
        query = bind(query, variable, terms)
    try:
        result = store.query(query, union_default_graph=True, prefixes=vocab.PREFIXES)
    except EngineDeviation as exc:
        raise EngineDeviation(f"xsrv_kg/sparql/{name}.rq: {exc}") from exc
    assert isinstance(result, ox.QuerySolutions)
    return result


def rows(store: Store, name: str) -> list[dict[str, str]]:
    """The solutions of ``xsrv_kg/sparql/<name>.rq`` as dicts of lexical values (a variable
    left unbound is left out of its row)."""
    result = select(store, name)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]
