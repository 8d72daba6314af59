"""What a ``/sparql`` request asks, read from its raw bytes, and the headers of a query's
answer: no Flask here, so the protocol blueprint and the server's front
(:mod:`xsrv_kg.server.front`, which answers plain queries before Flask's routing) read and
answer a request the same way, in one place.

Parameters are read from the raw query string and body so that text that is not UTF-8 is
refused rather than silently repaired, and repeated parameters are refused rather than
half-used.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..errors import BadInput, UnsupportedMediaType
from ..formats import content_type
from ..query import hints
from ..query.endpoint import Endpoint
from ..query.negotiation import negotiate

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


def _unquote(part: bytes) -> str:
    """A form field's name or value, decoded in C: each ``%XX`` becomes ``\\xXX`` for the
    ``unicode_escape`` codec (backslashes escaped first), whose Latin-1 output is the bytes.

    ``urllib``'s ``unquote`` loops in Python over every escape: half a millisecond for a
    query with its PREFIX lines, a third of a small query's time in the server. Raises
    ``ValueError`` (a malformed escape, bytes that are not UTF-8) for the caller to hand
    over to ``parse_qsl``, whose treatment of those is the reference.
    """
    part = part.replace(b"+", b" ")
    if b"%" in part:
        escaped = part.replace(b"\\", b"\\\\").replace(b"%", b"\\x")
        part = codecs.decode(escaped, "unicode_escape").encode("latin-1")
    return part.decode("utf-8")


def _form_pairs(raw: bytes) -> list[tuple[str, str]]:
    """``parse_qsl(raw, keep_blank_values=True)``, with every field decoded by
    :func:`_unquote`."""
    if not raw.isascii():
        raise ValueError("non-ASCII bytes")
    pairs = []
    for pair in raw.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            pairs.append((_unquote(name), _unquote(value)))
    return pairs


class Params:
    """Request parameters from raw bytes: strict UTF-8, repeatable ones kept as lists."""

    def __init__(self, raw: bytes, where: str) -> None:
        try:
            pairs = _form_pairs(raw)
        except ValueError:  # UnicodeDecodeError too: the reference parser says what is wrong
            pairs = []
        if not pairs and raw:
            pairs = self._reference_pairs(raw, where)
        self.values: dict[str, list[str]] = {}
        for key, val in pairs:
            self.values.setdefault(key, []).append(val)

    @staticmethod
    def _reference_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
        try:
            return parse_qsl(raw.decode("ascii"), keep_blank_values=True,
                             encoding="utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise BadInput(f"the {where} is not valid UTF-8 (percent-encoded bytes at "
                           f"{exc.start}–{exc.end} do not decode)") from None
        except ValueError as exc:  # non-ASCII bytes that were not percent-encoded
            raise BadInput(f"the {where} has bytes that are not URL-encoded: {exc}") from None

    def one(self, name: str) -> str | None:
        # The same value twice, or an extra empty one, is fine: SPARQLWrapper sends both.
        found = list(dict.fromkeys(v for v in self.values.get(name, []) if v))
        if not found and name in self.values:
            found = [""]
        if len(found) > 1:
            raise BadInput(f"the parameter {name!r} is given {len(found)} times; give it once")
        return found[0] if found else None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def merged(self, other: Params) -> Params:
        merged = Params(b"", "")
        for source in (self, other):
            for key, vals in source.values.items():
                merged.values.setdefault(key, []).extend(vals)
        return merged


@dataclass(frozen=True)
class Operation:
    """One request's operation: ``query``, ``update`` or ``description`` (no query: the
    service description), its text and the parameters that go with it."""

    kind: str
    text: str
    params: Params


def read_operation(method: str, media_type: str, charset: str, query_string: bytes,
                   body: bytes) -> Operation:
    """The operation of a ``/sparql`` request (SPARQL 1.1 Protocol §2.1, §2.2), or the
    :class:`~xsrv_kg.errors.XsrvError` that says what is wrong with it."""
    url_params = Params(query_string, "query string")
    if method in ("GET", "HEAD"):
        if url_params.all("update"):
            raise BadInput("SPARQL Update must be sent with POST, not GET")
        query = url_params.one("query")
        if query is None:
            return Operation("description", "", url_params)
        return Operation("query", query, url_params)
    if media_type == FORM:
        params = url_params.merged(Params(body, "form body"))
        query, update = params.one("query"), params.one("update")
        if query is not None and update is not None:
            raise BadInput("the request has both 'query' and 'update'; send one operation")
        if query is not None:
            return Operation("query", query, params)
        if update is not None:
            return Operation("update", update, params)
        raise BadInput("the form has neither a 'query' nor an 'update' parameter")
    if media_type in (QUERY, UPDATE):
        kind = "query" if media_type == QUERY else "update"
        if url_params.all("query") or url_params.all("update"):
            raise BadInput(f"a direct POST carries the {kind} in the body, not also in the URL")
        return Operation(kind, _body_text(body, charset, kind), url_params)
    if not media_type:
        raise UnsupportedMediaType(
            f"the POST has no Content-Type; use {FORM}, {QUERY} or {UPDATE}")
    raise UnsupportedMediaType(f"Content-Type {media_type} is not a SPARQL request; "
                               f"use {FORM}, {QUERY} or {UPDATE}")


def _body_text(body: bytes, charset: str, what: str) -> str:
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the {what} must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"the {what} in the request body is not valid UTF-8 "
                       f"(byte {exc.start})") from None


def format_parameter(params: Params) -> str | None:
    """The ``format=`` override, if any. Several spellings of one format are accepted
    (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``)."""
    given = [v for v in dict.fromkeys(params.all("format")) if v]
    resolved = [negotiate(None, v) for v in given]
    for kind in ("solutions", "graph"):
        if len({getattr(n, kind).name for n in resolved if getattr(n, kind)}) > 1:
            raise BadInput(f"the format parameter names different formats: {', '.join(given)}")
    # The value naming the most kinds (``xml``: SPARQL XML and RDF/XML) stands for all.
    ranked = sorted(zip(resolved, given, strict=True),
                    key=lambda pair: -(bool(pair[0].solutions) + bool(pair[0].graph)))
    return ranked[0][1] if ranked else None


@dataclass(frozen=True)
class QueryAnswer:
    """A query's answer as the protocol sends it: the body, its own headers (the rest is
    :mod:`xsrv_kg.server.http`'s), and content codings already made for it."""

    body: bytes
    headers: list[tuple[str, str]]
    #: The answer depends on ``Accept`` (no ``format=`` chose it).
    varies_with_accept: bool
    encoded: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)


def answer_query(endpoint: Endpoint, operation: Operation, *, accept: str | None,
                 base_iri: str) -> QueryAnswer:
    """Run ``operation`` (a query) through the endpoint's one pipeline; the answer's body and
    the headers that describe it (``Xsrv-Cache``, ``Xsrv-Rows``, ``Xsrv-Truncated``,
    ``Xsrv-Hint``)."""
    params = operation.params
    fmt = format_parameter(params)
    # Nothing acceptable is reported only once the query has parsed: a syntax error is the
    # more useful answer (and a 406 would need the query's form, known only after parsing).
    negotiated = negotiate(accept, fmt)
    default_graphs = params.all("default-graph-uri")
    named_graphs = params.all("named-graph-uri")
    # Either parameter makes the request's dataset exactly the graphs named.
    answer = endpoint.query(operation.text, negotiated,
                            default_graphs=default_graphs or None,
                            named_graphs=named_graphs or None, base_iri=base_iri)
    written = answer.written
    headers = [("Content-Type", content_type(written.media_type)),
               ("Xsrv-Cache", "hit" if answer.cached else "miss"),
               ("Xsrv-Rows", str(written.rows))]
    if written.truncated:
        headers.append(("Xsrv-Truncated", written.truncated_by
                        or f"max-rows={endpoint.config.max_rows}"))
    if written.rows == 0:  # a plain string where the data has "…"@zh? (query/hints.py)
        hinted = hints.for_empty_result(endpoint.store, operation.text)
        if hinted:
            headers.append((hints.HEADER, hints.header(hinted)))
    return QueryAnswer(written.body, headers, varies_with_accept=not fmt,
                       encoded=written.encoded)
