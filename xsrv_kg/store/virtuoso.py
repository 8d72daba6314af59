"""Virtuoso's dialect: what :class:`~xsrv_kg.store.sparql.SparqlStore` does differently when
its server is OpenLink Virtuoso (the ``Server:`` header starts with ``Virtuoso/``, or the
store was opened with ``dialect="virtuoso"``).

Pure functions and constants only; the store decides when to use them. Each answers one of
Virtuoso's deviations, measured on Virtuoso 07.20.3229 and listed in
``scripts/virtuoso/README.md``:

- **Writes** go through the Graph Store Protocol (``PUT``/``POST`` of N-Triples to
  ``/sparql-graph-crud``), since ``INSERT DATA`` refuses blank nodes, takes ~1 400 triples at
  most and turns ``"10"^^xsd:decimal`` into an integer (:func:`graph_store_url`).
- **Its own graphs** (quad map schema, LDP vocabulary, service description, DAV) are in every
  ``GRAPH ?g`` listing and in its default graph, which is the union of *all* graphs: they are
  left out of the store's graphs and size (:func:`is_system_graph`), and the union default
  graph is emulated by naming the project's graphs.
- **Results**: blank nodes come as ``nodeID://b10000`` and xsd:booleans as ``"1"``/``"0"`` in
  SPARQL JSON (:func:`json_results`, :func:`xml_results`).
- **A trailing VALUES clause** after the query is ignored or refused; the same block inside
  the WHERE group works (:func:`inline_trailing_values`).
- **Error messages** echo the whole query (:func:`server_message`).
"""

from __future__ import annotations

import json
import re

from ..sparql.lexer import masked_text

#: The dialect names :class:`~xsrv_kg.store.sparql.SparqlStore` takes.
VIRTUOSO = "virtuoso"

#: The start of Virtuoso's ``Server:`` response header (``Virtuoso/07.20.3229 (Linux) …``).
SERVER_PREFIX = "Virtuoso/"

#: Where Virtuoso's Graph Store endpoint is, from the server's root.
GRAPH_STORE_PATH = "/sparql-graph-crud"

#: Named graphs, the system graphs among them. The generic ``GRAPH ?g {}`` answers one empty
#: row on Virtuoso, so the graphs are found through their triples.
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
#: Quads per named graph, so the system graphs' can be left out of the size.
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: A graph that does not exist: the dataset of a union of no graphs (an empty dataset would
#: be Virtuoso's default graph, the union of its own graphs).
NO_GRAPH = "urn:x-xsrv:no-graph"

#: Virtuoso's own graphs: its RDF views (quad map) schema, the LDP vocabulary, and the
#: service description and WebDAV graphs, named after the instance's ``[URIQA] DefaultHost``
#: (``http://HOST:PORT/sparql``, ``http://HOST:PORT/DAV/``). A project graph named like one
#: of the last two would be hidden too.
_SYSTEM_GRAPH = re.compile(
    r"http://www\.openlinksw\.com/schemas/virtrdf#|http://www\.w3\.org/ns/ldp#"
    r"|https?://[^/]+/(?:sparql|DAV/)"
)


def is_virtuoso(server_header: str) -> bool:
    """Whether a ``Server:`` response header names Virtuoso."""
    return server_header.startswith(SERVER_PREFIX)


def is_system_graph(iri: str) -> bool:
    """Whether ``iri`` names one of Virtuoso's own graphs (not project data)."""
    return _SYSTEM_GRAPH.fullmatch(iri) is not None


def graph_store_url(query_url: str) -> str:
    """Virtuoso's Graph Store endpoint on the server of ``query_url`` (``/sparql-graph-crud``
    at its root, whatever the query URL's path)."""
    scheme, rest = query_url.split("://", 1)
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}{GRAPH_STORE_PATH}"


# --- results ----------------------------------------------------------------------------------

_NODE_ID = "nodeID://"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"1": "true", "0": "false"}


def json_results(body: bytes) -> bytes:
    """Virtuoso's SPARQL JSON results as SPARQL 1.1 has them: blank node ids without their
    ``nodeID://`` prefix (``b10000``: Virtuoso's ids are stable, and the same as in its
    N-Triples), and xsd:boolean values ``"1"``/``"0"`` as ``"true"``/``"false"``.

    The JSON is parsed and rewritten (not patched as text), and only when it holds either;
    anything that is not JSON results is returned as it is, for the parser to report.
    """
    if _NODE_ID.encode() not in body and _XSD_BOOLEAN.encode() not in body:
        return body
    try:
        doc = json.loads(body)
        bindings = doc["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return body
    changed = False
    for row in bindings if isinstance(bindings, list) else ():
        for term in row.values() if isinstance(row, dict) else ():
            if not isinstance(term, dict) or not isinstance(term.get("value"), str):
                continue
            value = term["value"]
            if term.get("type") == "bnode" and value.startswith(_NODE_ID):
                term["value"] = value[len(_NODE_ID):]
                changed = True
            elif term.get("datatype") == _XSD_BOOLEAN and value in _BOOLEANS:
                term["value"] = _BOOLEANS[value]
                changed = True
    return json.dumps(doc, ensure_ascii=False).encode() if changed else body


def xml_results(body: bytes) -> bytes:
    """Virtuoso's SPARQL XML results with blank node ids without ``nodeID://`` (its XML writes
    booleans as ``true``/``false`` already). ``<bnode>`` is markup, never text, in XML."""
    return body.replace(b"<bnode>" + _NODE_ID.encode(), b"<bnode>")


def server_message(text: str) -> str:
    """A Virtuoso error message without the query it echoes (``\\n\\nSPARQL query:`` and the
    whole text after it), and a Graph Store error page reduced to its error code and text."""
    text = text.split("\n\nSPARQL query:", 1)[0]
    page = re.search(r"<h3>(.*?)</h3>\s*<xmp>(.*?)</xmp>", text, re.S)
    if page:
        text = f"{page[1].strip()}: {page[2].strip()}"
    return text.strip()


# --- a trailing VALUES clause -----------------------------------------------------------------

# Braces, parentheses and the VALUES keyword (not part of a variable, prefixed name or word).
_TOKENS = re.compile(r"[{}()]|(?<![\w?$:.-])(?i:VALUES)(?![\w:-])")
# What comes between VALUES and its block: one variable, or a parenthesized list of them.
_VALUES_VARIABLES = re.compile(r"\s*(?:[?$]\w+|\(\s*(?:[?$]\w+\s*)*\))\s*")


def inline_trailing_values(query: str) -> str:
    """``query`` with a trailing top-level ``VALUES`` clause moved inside its outermost WHERE
    group, right before the group's last ``}``; any other text as it is.

    Virtuoso ignores a trailing VALUES in some queries (every row comes back), refuses it in
    others (``SQ200: No column …`` when the variable is inside a subquery, a syntax error after
    ``ASK``), and honours the same block inside the group. Moved in, the values are joined with
    the group's pattern before grouping and projection rather than after: the same answers
    when, as in the queries that :func:`xsrv_kg.sparql.rq.bind` binds, each VALUES variable is bound
    by the WHERE pattern and, in an aggregate query, is a GROUP BY key.

    Read outside strings, IRIs and comments (they are masked first). The block is inserted on
    the line of the group's ``}`` with no newline added, so the lines the server's messages
    name still point into the text as written. A query without a trailing VALUES, or one this
    reading cannot follow (unbalanced braces, no WHERE group before the VALUES), is returned
    unchanged for the server to judge.
    """
    if "values" not in query.lower():
        return query
    masked = masked_text(query)
    braces = parens = 0
    group_open = where = values_at = values_block = None
    for m in _TOKENS.finditer(masked):
        token = m[0]
        top = braces == 0 and parens == 0
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token == "{":
            if top:
                group_open = m.start()
            braces += 1
        elif token == "}":
            braces -= 1
            if braces == 0 and parens == 0 and group_open is not None:
                if values_at is None:
                    where = (group_open, m.start())
                elif values_block is None:
                    values_block = (group_open, m.end())
                else:
                    return query  # a second group after VALUES: not a trailing clause
        elif top:  # VALUES at the top level
            if values_at is not None:
                return query
            values_at = m.start()
        if braces < 0 or parens < 0:
            return query
    if braces or parens or where is None or values_at is None or values_block is None:
        return query
    start, end = values_block
    if _VALUES_VARIABLES.fullmatch(masked, values_at + len("VALUES"), start) is None \
            or masked[end:].strip():
        return query
    close = where[1]
    block = query[values_at:end]
    return f"{query[:close]} {block} {query[close:values_at]}{query[end:]}"
