"""The remote store's side of the SPARQL 1.1 Protocol: the text sent, the answers read.

Wire format, chosen to work on every server:

- SELECT/ASK ask for SPARQL JSON results, CONSTRUCT/DESCRIBE for N-Triples; what the answer
  *is* is decided by its ``Content-Type`` (read by pyoxigraph's ``from_media_type``), not by
  the query text;
- predeclared ``prefixes`` and ``base_iri`` become a ``BASE``/``PREFIX`` prologue written on
  the query's first line, so the server's ``line:column`` positions still point into the
  user's text (columns on line 1 are shifted back);
- a 400 is the client's error (:class:`BadInput`, a syntax error when it reads like one),
  anything else not 2xx the server's (:class:`UpstreamError`).

Query text is read with :mod:`xsrv_kg.sparql.lexer` (the query form outside strings, IRIs
and comments).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlencode

import pyoxigraph as ox

from ..errors import BadInput, UpstreamError
from ..formats import N_TRIPLES, SPARQL_JSON, SPARQL_XML, TURTLE, Format
from ..sparql.errors import syntax_error, unknown_prefixes, user_positions
from ..sparql.lexer import masked_text
from . import virtuoso
from .http_client import Reply
from .protocol import QueryResult
from .virtuoso import VIRTUOSO

#: The longest server message quoted in an error.
MAX_MESSAGE = 2000


def _accept(*weighted: tuple[Format, float]) -> str:
    return ", ".join(f.media_type if q == 1 else f"{f.media_type};q={q:g}"
                     for f, q in weighted)


#: ``Accept`` for SELECT/ASK, for CONSTRUCT/DESCRIBE, and for a query of unknown form.
RESULTS_ACCEPT = _accept((SPARQL_JSON, 1), (SPARQL_XML, 0.9))
GRAPH_ACCEPT = _accept((N_TRIPLES, 1), (TURTLE, 0.9))
ANY_ACCEPT = _accept((SPARQL_JSON, 1), (N_TRIPLES, 0.9), (SPARQL_XML, 0.8), (TURTLE, 0.8))

#: The named graphs. ``GRAPH ?g {}`` lists graphs without reading their triples (Virtuoso's
#: own queries are in :mod:`.virtuoso`).
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
#: Quads in the named graphs; the default graph's triples are added on servers whose
#: default graph is a graph of its own.
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
#: One triple of some named graph, without blank nodes (they cannot be asked about).
PROBE_SAMPLE = ("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                "FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1")
#: Oxigraph server's request parameter for a union default graph (others ignore it).
UNION_REQUEST_PARAMETER = ("union-default-graph", "true")

_FORM = re.compile(r"(?<![\w?$:.-])(?i:(SELECT|ASK|CONSTRUCT|DESCRIBE))(?![\w:-])")
# A prefixed name's prefix: a name right before a colon, not the tail of another name or
# variable. Over-matching (``http`` in an IRI, a word in a string) only declares one more.
_PREFIX_USE = re.compile(r"(?<![\w.\-:?$])([^\W\d_][\w.\-]*)?:")
# A position on line 1 in a message ("error at 1:12", "error at 1:3-1:9").
_LOOKS_LIKE_SYNTAX = re.compile(r"error at \d+:\d+|syntax|parse|lexical", re.I)


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first such keyword outside
    strings, IRIs and comments (``None`` if there is none)."""
    m = _FORM.search(masked_text(text))
    return m[1].upper() if m else None


def accept_for(text: str) -> str:
    """The ``Accept`` header for the query ``text``, by its form."""
    form = query_form(text)
    if form in ("SELECT", "ASK"):
        return RESULTS_ACCEPT
    return GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else ANY_ACCEPT


def prologue(text: str, prefixes: dict[str, str] | None, base_iri: str | None) -> str:
    """``BASE`` and the ``PREFIX`` declarations ``text`` may use, on one line (no newline).

    Only prefixes whose ``name:`` occurs in the text are declared (over-counting is
    harmless). The query's own declarations come later, so they win.
    """
    parts = [f"BASE {ox.NamedNode(base_iri)} "] if base_iri else []
    if prefixes:
        used = set(_PREFIX_USE.findall(text))
        parts += [_declaration(p, iri) for p, iri in prefixes.items() if p in used]
    return "".join(parts)


@lru_cache(maxsize=256)
def _declaration(prefix: str, iri: str) -> str:
    return f"PREFIX {prefix}: {ox.NamedNode(iri)} "


def check(reply: Reply, url: str, what: str, *, dialect: str | None, shift: int = 0,
          text: str | None = None, prefixes: dict[str, str] | None = None) -> None:
    """Nothing for a 2xx answer; else the error it stands for (see the module docstring).
    ``shift``: characters the prologue added to line 1, taken back off its positions;
    ``text`` and ``prefixes``: the user's query and the predeclared prefixes, so a 400 for a
    prefix nobody declared names it (:func:`~xsrv_kg.sparql.errors.syntax_error`)."""
    if 200 <= reply.status < 300:
        return
    message = server_message(reply, dialect=dialect) or f"HTTP {reply.status}"
    if reply.status == 400:
        if _LOOKS_LIKE_SYNTAX.search(message) or (
                text is not None and unknown_prefixes(text, prefixes or {})):
            raise syntax_error(message, shift=shift, text=text, prefixes=prefixes)
        raise BadInput(f"the SPARQL server refused the {what}: "
                       f"{user_positions(message, shift=shift)}")
    raise UpstreamError(f"the SPARQL server at {url} failed on the {what} "
                        f"(HTTP {reply.status}): {message}", server_status=reply.status)


def server_message(reply: Reply, *, dialect: str | None) -> str:
    """The server's words in an error answer, on one line and bounded."""
    text = reply.text.strip()
    if dialect == VIRTUOSO:
        text = virtuoso.server_message(text)
    if reply.media_type == "text/html":  # some servers wrap their message in a page
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", text)).strip()
    return text[:MAX_MESSAGE] + ("…" if len(text) > MAX_MESSAGE else "")


def parse_answer(reply: Reply, url: str, *, dialect: str | None) -> QueryResult:
    """A query's answer as the embedded store gives it: solutions, a boolean or triples,
    by the answer's media type."""
    media_type = reply.media_type
    try:
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            body = reply.body
            if dialect == VIRTUOSO and results_format == ox.QueryResultsFormat.JSON:
                body = virtuoso.json_results(body)
            elif dialect == VIRTUOSO and results_format == ox.QueryResultsFormat.XML:
                body = virtuoso.xml_results(body)
            return ox.parse_query_results(body, format=results_format)
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is not None:
            return query_triples(reply.body, rdf_format)
    except (SyntaxError, ValueError) as exc:
        raise UpstreamError(f"the SPARQL server at {url} sent an answer that does not parse "
                            f"as {media_type}: {exc}") from None
    raise UpstreamError(f"the SPARQL server at {url} answered in "
                        f"{media_type or 'no media type'}, which is neither SPARQL results "
                        "nor RDF")


def graph_store_url(base: str, graph: str | None) -> str:
    """The Graph Store URL of one named graph (the default graph for None) on ``base``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}{urlencode({'graph': graph}) if graph else 'default'}"


def graph_content(reply: Reply, url: str, *, dialect: str | None) -> tuple[bytes, ox.RdfFormat]:
    """The triples of a Graph Store GET's answer and their format: none for a 404 (no such
    graph, as in the embedded store)."""
    if reply.status == 404:
        return b"", ox.RdfFormat.N_TRIPLES
    check(reply, url, "Graph Store GET", dialect=dialect)
    rdf_format = ox.RdfFormat.from_media_type(reply.media_type)
    if rdf_format is None:
        raise UpstreamError(f"the Graph Store at {url} answered in "
                            f"{reply.media_type or 'no media type'}, not RDF")
    return reply.body, rdf_format


def query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """A graph the server sent, as the ``QueryTriples`` an embedded CONSTRUCT gives.

    pyoxigraph builds ``QueryTriples`` only from a query, so the triples go through a
    scratch store and a ``CONSTRUCT`` over it (blank nodes keep their labels).
    """
    scratch = ox.Store()
    if data:
        # parse + extend keeps blank node labels (Store.load renames them).
        scratch.extend(ox.parse(data, format=fmt))
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result
