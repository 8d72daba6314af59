"""``/documents``: every policy document of the dataset, with its JSON twin
``/documents.json``, a link to each one's overview (:mod:`xsrv_kg.pages.documents`) and its
validation state: its results in the served report (the one ``/validation`` shows, made once
per store version), by the rule of :mod:`xsrv_kg.validation.by_document`, linked to
``/validation?doc=``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...pages import documents as service
from ...validation import by_document
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
from .pages import page
from .shacl import served_report

blueprint = Blueprint("documents", __name__)


def _model(lang: str) -> dict[str, Any]:
    root = request.script_root

    def build() -> dict[str, Any]:
        model = service.build(state.store(), state.config().base_iri, lang, root=root)
        docs = model["documents"]
        found = by_document.states(state.store(), served_report(), [d["iri"] for d in docs])
        for doc in docs:
            doc["validation"] = {**found[doc["iri"]], "href": url_for(
                "validation_page.validation", doc=doc["iri"], lang=lang)}
        return model

    return per_store_version("documents", (lang, root), build)


@blueprint.route("/documents")
def documents() -> Response:
    lang = request_lang()
    model = _model(lang)
    return page("documents.html", twin=url_for("documents.documents_json", lang=lang),
                data=lambda: model, model=model, dw=service.WORDS[lang])


@blueprint.route("/documents.json")
def documents_json() -> Response:
    response = jsonify(_model(request_lang()))
    response.vary.add("Accept-Language")
    return response
