"""Values bound to a query's variables, as SPARQL text: a ``VALUES`` row at the start of
its ``WHERE`` group.

One mechanism for every backend: pyoxigraph's ``substitutions`` exist only in the embedded
store, and a remote server (Oxigraph server, Virtuoso, Fuseki) takes no initial bindings over
the SPARQL Protocol; ``VALUES`` is SPARQL 1.1's own way to give them, and every term is
written by pyoxigraph, so a value cannot break out of its place in the text. Used by the
Python API (:mod:`xsrv_kg.api`) and the curated queries' parameters
(:mod:`xsrv_kg.query.canned`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

import pyoxigraph as ox

from ..errors import BadInput
from .lexer import Token, tokens

XSD = "http://www.w3.org/2001/XMLSchema#"
_VARIABLE_NAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w\u00B7-\uFFFF]*")


def sparql_term(name: str, value: object) -> str:
    """A parameter's value in SPARQL syntax (written by pyoxigraph, so it cannot break out)."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        term = value
    elif isinstance(value, bool):
        term = ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    elif isinstance(value, int):
        term = ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    elif isinstance(value, Decimal):
        term = ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    elif isinstance(value, float):
        term = ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        term = ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    elif isinstance(value, str):
        term = ox.Literal(value)
    else:
        raise BadInput(f"parameter {name}: cannot bind a {type(value).__name__} (use an IRI, "
                       "a pyoxigraph Literal, str, int, Decimal, float, bool or date)")
    return str(term)


def bind_parameters(text: str, params: Mapping[str, object]) -> str:
    """``text`` with each parameter bound: a variable written ``?name`` by one ``VALUES`` row
    at the start of the query's ``WHERE`` group (before any grouping, so it constrains the
    pattern as written there); one written ``$name`` by its term in each place it stands,
    subqueries included, so that each part of the query is evaluated for that value alone (a
    query about one document binds it first, not after computing over every document).

    >>> bind_parameters("SELECT ?n WHERE { ?t rdfs:label ?n }", {"t": ox.NamedNode("http://e/t")})
    'SELECT ?n WHERE { VALUES (?t) { (<http://e/t>) } ?t rdfs:label ?n }'
    >>> bind_parameters("SELECT ?n { { SELECT ?n { ?s ?p $d } } }", {"d": ox.NamedNode("http://d")})
    'SELECT ?n { { SELECT ?n { ?s ?p <http://d> } } }'
    >>> bind_parameters("ASK { ?s ?p ?o }", {"x": 1})
    Traceback (most recent call last):
    ...
    xsrv_kg.errors.BadInput: parameter x: the query has no ?x
    """
    if not params:
        return text
    found = tokens(text)
    present = {t.text[1:] for t in found if t.kind == "var"}
    for name in params:
        if not _VARIABLE_NAME.fullmatch(name):
            raise BadInput(f"parameter {name!r} is not a SPARQL variable name")
        if name not in present:
            raise BadInput(f"parameter {name}: the query has no ?{name}")
    dollar = {t.text[1:] for t in found if t.kind == "var" and t.text[0] == "$"} & set(params)
    rows = {name: value for name, value in params.items() if name not in dollar}
    if rows:
        group = _where_group(found)
        if group is None:
            raise BadInput("the query has no WHERE group to bind parameters in")
        names = " ".join(f"?{name}" for name in rows)
        values = " ".join(sparql_term(name, value) for name, value in rows.items())
        text = f"{text[:group]} VALUES ({names}) {{ ({values}) }}{text[group:]}"
    if dollar:
        out, last = [], 0
        for token in tokens(text):
            if token.kind == "var" and token.text[0] == "$" and token.text[1:] in dollar:
                name = token.text[1:]
                out += [text[last:token.start], sparql_term(name, params[name])]
                last = token.end
        text = "".join(out) + text[last:]
    return text


def _where_group(found: list[Token]) -> int | None:
    """Where the text of the query's top-level ``WHERE`` group starts (just after its
    ``{``): after the ``WHERE`` keyword, or the first top-level ``{`` of a SELECT or ASK
    that leaves the keyword out."""
    depth, after_where, first = 0, False, None
    for token in found:
        if token.text == "{":
            if depth == 0:
                if after_where:
                    return token.end
                first = token.end if first is None else first
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.upper == "WHERE":
            after_where = True
    form = next((t.upper for t in found if t.kind == "word"
                 and t.upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "")
    return first if form in ("SELECT", "ASK") else None
