"""``/sparql``: the SPARQL 1.1 Protocol (query and update operations, service description).

Requests become calls on :class:`~xsrv_kg.query.endpoint.Endpoint`; parameters are read from the
raw query string and body so that text that is not UTF-8 is refused rather than silently
repaired, and repeated parameters are refused rather than half-used.
"""

from __future__ import annotations

import codecs
import hmac
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, g, request, url_for

from ... import __version__
from ...errors import BadInput, NotAcceptable, Unauthorized, UnsupportedMediaType
from ...formats import GRAPH_FORMATS, RDF_XML, TURTLE, content_type
from ...query import hints
from ...query.negotiation import negotiate
from ...query.service_description import PREFIXES, describe_service
from .. import http
from ..state import endpoint

blueprint = Blueprint("protocol", __name__)

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
    for field in raw.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
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


def _media_type() -> str:
    return (request.mimetype or "").lower()


def _body_text(what: str) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the {what} must be UTF-8, not {charset}")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"the {what} in the request body is not valid UTF-8 "
                       f"(byte {exc.start})") from None


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    url_params = Params(request.query_string, "query string")
    if request.method in ("GET", "HEAD"):
        if url_params.all("update"):
            raise BadInput("SPARQL Update must be sent with POST, not GET")
        query = url_params.one("query")
        if query is None:
            return service_description(url_params)
        return run_query(query, url_params)

    media = _media_type()
    if media == FORM:
        params = url_params.merged(Params(request.get_data(cache=True), "form body"))
        query, update = params.one("query"), params.one("update")
        if query is not None and update is not None:
            raise BadInput("the request has both 'query' and 'update'; send one operation")
        if query is not None:
            return run_query(query, params)
        if update is not None:
            return run_update(update, params)
        raise BadInput("the form has neither a 'query' nor an 'update' parameter")
    if media == QUERY:
        if url_params.all("query") or url_params.all("update"):
            raise BadInput("a direct POST carries the query in the body, not also in the URL")
        return run_query(_body_text("query"), url_params)
    if media == UPDATE:
        if url_params.all("query") or url_params.all("update"):
            raise BadInput("a direct POST carries the update in the body, not also in the URL")
        return run_update(_body_text("update"), url_params)
    if not media:
        raise UnsupportedMediaType(
            f"the POST has no Content-Type; use {FORM}, {QUERY} or {UPDATE}")
    raise UnsupportedMediaType(f"Content-Type {media} is not a SPARQL request; "
                               f"use {FORM}, {QUERY} or {UPDATE}")


def _format_parameter(params: Params) -> str | None:
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


def run_query(query: str, params: Params) -> Response:
    g.read_only_request = True
    fmt = _format_parameter(params)
    # Nothing acceptable is reported only once the query has parsed: a syntax error is the
    # more useful answer (and a 406 would need the query's form, known only after parsing).
    negotiated = negotiate(request.headers.get("Accept"), fmt)
    default_graphs = params.all("default-graph-uri")
    named_graphs = params.all("named-graph-uri")
    # Either parameter makes the request's dataset exactly the graphs named.
    answer = endpoint().query(query, negotiated, default_graphs=default_graphs or None,
                              named_graphs=named_graphs or None, base_iri=_base_iri())
    written = answer.written
    response = Response(written.body, 200, content_type=content_type(written.media_type))
    http.keep_encodings(response, written.encoded)
    response.headers["Xsrv-Cache"] = "hit" if answer.cached else "miss"
    response.headers["Xsrv-Rows"] = str(written.rows)
    if written.truncated:
        response.headers["Xsrv-Truncated"] = written.truncated_by \
            or f"max-rows={endpoint().config.max_rows}"
    if written.rows == 0:  # a plain string where the data has "…"@zh? (query/hints.py)
        hinted = hints.for_empty_result(endpoint().store, query)
        if hinted:
            response.headers[hints.HEADER] = hints.header(hinted)
    if not fmt:
        response.vary.add("Accept")
    return response


def run_update(update: str, params: Params) -> Response:
    authorize_update("SPARQL Update")
    endpoint().update(update, using=params.all("using-graph-uri"),
                      using_named=params.all("using-named-graph-uri"), base_iri=_base_iri())
    return Response(status=204)


def _base_iri() -> str:
    """Relative IRIs in requests resolve against the endpoint's own URL (SPARQL 1.1 Update
    §2.2 allows it; the W3C protocol tests expect it)."""
    return url_for("protocol.sparql", _external=True)


def authorize_update(operation: str) -> None:
    """Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need ``--allow-update`` (else 403)
    and the bearer token (else 401), checked before the request body is parsed."""
    endpoint().require_writes(operation)
    _check_token(endpoint().config.update_token or "", operation)


def _check_token(expected: str, operation: str) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(f"{operation} needs 'Authorization: Bearer <token>'")
    # Constant-time comparison: the time taken tells nothing about the token.
    if not expected or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthorized("the update token is wrong")


def service_description(params: Params) -> Response:
    fmt = _format_parameter(params)
    negotiated = negotiate(request.headers.get("Accept"), fmt)
    chosen = negotiated.graph
    if chosen is None:
        raise NotAcceptable("the service description is RDF: accept one of "
                            + ", ".join(f.media_type for f in GRAPH_FORMATS))
    if fmt is None and request.headers.get("Accept", "*/*").strip() in ("", "*/*"):
        chosen = GRAPH_FORMATS[0]  # Turtle
    url = url_for("protocol.sparql", _external=True)
    triples = describe_service(url, endpoint().config, endpoint().graphs(),
                               version=__version__,
                               graph_store_url=url_for("graph_store.graph_store",
                                                       _external=True),
                               void_url=url_for("void.void", _external=True),
                               conformance=endpoint().store.conformance)
    body = ox.serialize(triples, format=chosen.rdf,
                        prefixes=PREFIXES if chosen in (TURTLE, RDF_XML) else None)
    response = Response(body, 200, content_type=chosen.content_type)
    response.vary.add("Accept")
    return response
