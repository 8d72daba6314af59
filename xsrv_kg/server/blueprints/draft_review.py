"""``/documents/<id>/draft``: review a drafted document (:mod:`xsrv_kg.pages.draft_review`),
with its JSON twin ``/documents/<id>/draft.json``, the decision on one fact
(``POST /documents/<id>/draft/<fact>``, update mode only) and the accepted part as Turtle
(``/documents/<id>/accepted.ttl``) with its validation report on the page.

Reading needs nothing; a decision needs what every write needs (:func:`.protocol.authorize_update`:
``--allow-update``, else 403, and the bearer token, else 401) and is one SPARQL Update.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request, url_for

from ... import formats, validation, vocab
from ...errors import BadInput
from ...pages import draft_graph
from ...pages import draft_review as service
from ...sources.inference import inferred_graph
from ...validation import rendering as reporting
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
from .pages import page
from .protocol import authorize_update
from .validation_page import report_model

blueprint = Blueprint("draft_review", __name__)


def _graph(doc_id: str) -> draft_graph.DraftGraph:
    """The draft as the store holds it now, read once per store version."""
    config = state.config()
    return per_store_version("draft-graph", doc_id, lambda: service.load(
        state.store(), doc_id, leave_out=[inferred_graph(config)]))


def _validation(doc_id: str, graph: draft_graph.DraftGraph, lang: str) -> dict[str, Any]:
    """The report of the accepted part (with the ontology and the shapes; the store is not
    changed), and what it holds."""
    endpoint = state.endpoint()
    root = request.script_root

    def build() -> dict[str, Any]:
        triples, roles = draft_graph.accepted_part(graph)
        quads = [ox.Quad(s, p, o) for s, p, o in triples]
        report = validation.validate(endpoint.store, endpoint.config, payload=quads,
                                     engine=endpoint.config.validation_engine)
        model = report_model(report, lang, endpoint.config.base_iri, root)
        facts = graph.facts()
        for result in (r for g in model["groups"] for s in g["shapes"] for r in s["results"]):
            key = graph.fact_id(result["focusIri"] or "")
            result["fact"] = key if key in facts else None  # its card on the page
        return {**model, "included": roles, "triples": len(triples)}

    return per_store_version("draft-validation", (doc_id, lang, root), build)


def _model(doc_id: str, lang: str) -> dict[str, Any]:
    graph = _graph(doc_id)
    root = request.script_root
    config = state.config()
    model = per_store_version("draft-page", (doc_id, lang, root), lambda: service.build(
        graph, state.store(), base_iri=config.base_iri, lang=lang, root=root,
        writable=config.allow_update))
    return {**model, "validation": _validation(doc_id, graph, lang),
            "accepted": url_for("draft_review.accepted", doc_id=doc_id)}


@blueprint.route("/documents/<doc_id>/draft")
def draft(doc_id: str) -> Response:
    lang = request_lang()
    model = _model(doc_id, lang)
    return page("draft.html", twin=url_for("draft_review.draft_json", doc_id=doc_id, lang=lang),
                data=lambda: model, model=model, rw=service.WORDS[lang],
                vw=reporting.WORDS[lang])


@blueprint.route("/documents/<doc_id>/draft.json")
def draft_json(doc_id: str) -> Response:
    response = jsonify(_model(doc_id, request_lang()))
    response.vary.add("Accept-Language")
    return response


@blueprint.route("/documents/<doc_id>/accepted.ttl")
def accepted(doc_id: str) -> Response:
    """The accepted part as Turtle, to save in the document's folder (README: Drafting a
    document). The text itself is not repeated: the folder's source.txt is it."""
    graph = _graph(doc_id)
    triples, roles = draft_graph.accepted_part(graph)
    source = graph.value(ox.NamedNode(graph.document), draft_graph.SOURCE_TEXT)
    has_file = source is not None and graph.value(
        source, ox.NamedNode(vocab.XSRV + "sourceFile")) is not None
    kept = [t for t in triples if not (has_file and t[1] == draft_graph.CHARS)]
    heading = (f"# The accepted part of the draft of doc:{doc_id} (/documents/{doc_id}/draft):\n"
               f"# {len(roles['accepted'])} accepted facts, the document and its text, and "
               f"{len(roles['context'])} draft resources they refer to\n"
               f"# (context, with their own review status); triples pointing at the "
               f"{len(roles['rejected'])} rejected facts are left out.\n\n")
    body = draft_graph.turtle(graph.document, kept, heading=heading)
    response = Response(body, 200, content_type=formats.TURTLE.content_type)
    response.headers["Content-Disposition"] = 'attachment; filename="accepted.ttl"'
    return response


def _decision() -> object:
    """The decision of a form post (decision=accept) or a JSON body ({"decision": …})."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise BadInput('the JSON body must be an object such as {"decision": "accept"}')
        return body.get("decision")
    return request.form.get("decision")


@blueprint.route("/documents/<doc_id>/draft/<fact_id>", methods=["POST"])
def decide(doc_id: str, fact_id: str) -> Response:
    """Set one fact's review status: 403/401 as for any write, 404 for an unknown document
    or fact, 400 for a decision other than accept or reject."""
    authorize_update("a review decision")
    endpoint = state.endpoint()
    resource = service.fact(_graph(doc_id), fact_id)
    status = service.decision_status(_decision())
    with endpoint.writing("a review decision") as store:
        store.update(service.decision_update(resource, status),
                     prefixes=vocab.PREFIXES)
    return jsonify({"fact": fact_id, "iri": resource.value, "status": status,
                    "state": service.STATE[status]})
