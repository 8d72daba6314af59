"""``/overview``: the plan at a glance (hierarchy, counts, funding, yearly chart), with its
JSON twin ``/overview.json``. The numbers are SPARQL results (:mod:`xsrv_kg.pages.overview`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from markupsafe import Markup

from ... import vocab
from ...errors import NotFound
from ...pages import overview as service
from ...pages.chart import chart_svg
from ...pages.documents import document_iri, is_document
from ...pages.standing import BADGES
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
from .pages import page
from .workbench import curated_queries

blueprint = Blueprint("overview", __name__)


def overview_model(lang: str) -> dict[str, Any]:
    """The overview of the document ``?doc=`` (an id under ``doc:`` or an IRI; default: the
    configured one), made once per store version, document, language and script root."""
    endpoint = state.endpoint()
    root = request.script_root
    document = document_iri(request.args.get("doc") or endpoint.config.document)

    def build() -> dict[str, Any]:
        if not is_document(endpoint.store, document):
            raise NotFound(f"there is no policy document {document} in this dataset")
        return service.build(endpoint.store, endpoint.config.base_iri, lang, root=root,
                             document=document)

    model = per_store_version("overview", (lang, root, document), build)
    return {**model, "queries": _document_queries(endpoint.config.queries_dir, document, lang)}


def _document_queries(folder, document: str, lang: str) -> list[dict[str, Any]]:
    """The curated queries that take a document, each linked with this one chosen (the
    document in context: ``/queries/NAME?doc=ID``)."""
    prefix = vocab.PREFIXES["doc"]
    given = document[len(prefix):] if document.startswith(prefix) else document
    return [{"name": q["name"], "title": q["title"].get(lang) or q["title"].get("zh"),
             "href": url_for("canned.query_page", name=q["name"], doc=given, lang=lang)}
            for q in curated_queries(folder)
            if any(p["type"] == "document" for p in q["params"])]  # type: ignore[union-attr]


@blueprint.route("/overview")
def overview() -> Response:
    lang = request_lang()
    model = overview_model(lang)
    twin = url_for("overview.overview_json", lang=lang, doc=request.args.get("doc"))
    return page("overview.html", twin=twin,
                data=lambda: model, model=model, ow=service.WORDS[lang],
                yuan=lambda v: service.yuan(v, lang), sw=BADGES[lang],
                chart=Markup(chart_svg(model["chart"], lang)))


@blueprint.route("/overview.json")
def overview_json() -> Response:
    response = jsonify(overview_model(request_lang()))
    response.vary.add("Accept-Language")
    return response


@blueprint.route("/documents/<name>/overview")
def document_overview(name: str) -> Response:
    """``/documents/<id>/overview``: the overview of the document ``doc:<id>``, at its one
    address ``/overview?doc=<id>`` (the language and other arguments kept)."""
    return redirect(url_for("overview.overview", **{**request.args, "doc": name}), code=302)
