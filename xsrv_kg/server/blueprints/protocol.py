"""``/sparql``: the SPARQL 1.1 Protocol (query and update operations, service description).

Requests become calls on :class:`~xsrv_kg.query.endpoint.Endpoint`; what a request asks is
read by :mod:`xsrv_kg.server.sparql_request`, which the server's front uses too.
"""

from __future__ import annotations

import hmac

import pyoxigraph as ox
from flask import Blueprint, Response, g, request, url_for

from ... import __version__
from ...errors import NotAcceptable, Unauthorized
from ...formats import GRAPH_FORMATS, RDF_XML, TURTLE
from ...query.negotiation import negotiate
from ...query.service_description import PREFIXES, describe_service
from .. import http
from ..sparql_request import Params, answer_query, format_parameter, read_operation
from ..state import endpoint

blueprint = Blueprint("protocol", __name__)



@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    operation = read_operation(request.method, (request.mimetype or "").lower(),
                               request.mimetype_params.get("charset", "utf-8").lower(),
                               request.query_string, request.get_data(cache=True))
    if operation.kind == "description":
        return service_description(operation.params)
    if operation.kind == "update":
        return run_update(operation.text, operation.params)
    g.read_only_request = True
    answer = answer_query(endpoint(), operation, accept=request.headers.get("Accept"),
                          base_iri=_base_iri())
    response = Response(answer.body, 200)
    for name, value in answer.headers:
        response.headers[name] = value
    http.keep_encodings(response, answer.encoded)
    if answer.varies_with_accept:
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
    fmt = format_parameter(params)
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
