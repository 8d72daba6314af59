"""``/shacl``: validation reports over HTTP.

``GET /shacl`` validates the store's own data; ``POST /shacl`` validates an RDF payload
(Turtle, N-Triples, JSON-LD, RDF/XML) with the project's ontology — alone, or together with
the store's data when ``?merge=true`` (to check a proposed addition). The report is
negotiated: Turtle, JSON-LD, JSON, HTML or plain text; ``?lang=zh|en`` picks the messages.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ... import formats, validation
from ...errors import BadInput, NotAcceptable
from ...query.negotiation import prefers
from ...validation import Report
from ...validation.rendering import render
from .. import state
from .graph_store import read_rdf_body
from .memo import per_store_version

blueprint = Blueprint("shacl", __name__)

#: Payload media types: one graph, as ``/store`` takes it.
INPUT_FORMATS = formats.body_types(formats.GRAPH_FORMATS)

#: Report media type -> renderer format of :func:`xsrv_kg.validation.rendering.render`.
REPORT_TYPES = {fmt.media_type: renderer for fmt, renderer in (
    (formats.TURTLE, "turtle"), (formats.JSON_LD, "jsonld"), (formats.JSON, "json"),
    (formats.HTML, "html"), (formats.TEXT, "text"))}


def served_report() -> Report:
    """The validation report of the served data, made once per store version (shared by
    ``/shacl`` and the ``/validation`` page) by the configured engine."""
    endpoint = state.endpoint()
    engine = endpoint.config.validation_engine

    def build() -> Report:
        return validation.validate(endpoint.store, endpoint.config, engine=engine)

    return per_store_version("shacl", ("report", engine), build)


def _payload_report() -> Report:
    """The report of the request's RDF, with the ontology (and the data, ``?merge=true``);
    the served store is never changed."""
    endpoint = state.endpoint()
    _, quads = read_rdf_body(INPUT_FORMATS, base_iri="urn:xsrv-kg:payload:",
                             what="this endpoint validates")
    merge = request.args.get("merge", "").lower() in ("1", "true", "yes")
    return validation.validate(endpoint.store, endpoint.config, payload=quads, merge=merge,
                               engine=endpoint.config.validation_engine)


def _lang() -> str:
    lang = request.args.get("lang")
    if lang:
        if lang not in ("zh", "en"):
            raise BadInput(f"lang={lang!r}: use zh or en")
        return lang
    best = request.accept_languages.best_match(["zh", "en"], default="zh")
    return best or "zh"


@blueprint.route("/shacl", methods=["GET", "POST"])
def shacl() -> Response:
    wanted = request.args.get("format")
    if wanted:
        media = next((m for m, f in REPORT_TYPES.items() if f == wanted or m == wanted), None)
        if media is None:
            raise BadInput(f"format={wanted!r}: use one of {', '.join(REPORT_TYPES.values())}")
    else:
        media = prefers(request.headers.get("Accept"), list(REPORT_TYPES))
        if media is None:
            raise NotAcceptable("the report is available as " + ", ".join(REPORT_TYPES))
    lang = _lang()
    report = _payload_report() if request.method == "POST" else served_report()
    fmt = REPORT_TYPES[media]
    if fmt == "jsonld":
        turtle = render(report, "turtle", lang).encode("utf-8")
        body = ox.serialize(list(ox.parse(turtle, format=formats.TURTLE.rdf)),
                            format=formats.JSON_LD.rdf)
    else:
        body = render(report, fmt, lang).encode("utf-8")
    # JSON-LD is sent without a charset here (its media type defines none).
    response = Response(body, 200, content_type=media if fmt == "jsonld"
                        else formats.content_type(media))
    response.headers["Xsrv-Conforms"] = "true" if report.conforms else "false"
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
