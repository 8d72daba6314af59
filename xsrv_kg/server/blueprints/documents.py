"""``/documents``: every policy document of the dataset, with its JSON twin
``/documents.json`` and a link to each one's overview (:mod:`xsrv_kg.pages.documents`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...pages import documents as service
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
from .pages import page

blueprint = Blueprint("documents", __name__)


def _model(lang: str) -> dict[str, Any]:
    root = request.script_root
    return per_store_version("documents", (lang, root), lambda: service.build(
        state.store(), state.config().base_iri, lang, root=root))


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
