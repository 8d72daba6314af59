"""``/overview``: the plan at a glance (hierarchy, counts, funding, yearly chart), with its
JSON twin ``/overview.json``. The numbers are SPARQL results (:mod:`xsrv_kg.overview`)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from markupsafe import Markup

from .. import overview as service
from ..i18n import request_lang
from .pages import page

blueprint = Blueprint("overview", __name__)


class _ModelCache:
    """The overview per (store version, language, script root): a dozen queries each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.models: dict[tuple[int, str, str], dict[str, Any]] = {}


def overview_model(lang: str) -> dict[str, Any]:
    endpoint = current_app.extensions["xsrv"]
    cache = current_app.extensions.setdefault("xsrv.overview", _ModelCache())
    key = (endpoint.store.version, lang, request.script_root)
    with cache.lock:
        if key not in cache.models:
            if any(k[0] != key[0] for k in cache.models):
                cache.models.clear()  # the store changed: older versions are stale
            cache.models[key] = service.build(endpoint.store, endpoint.config.base_iri, lang,
                                              root=request.script_root)
        return cache.models[key]


@blueprint.route("/overview")
def overview() -> Response:
    lang = request_lang()
    model = overview_model(lang)
    return page("overview.html", twin=url_for("overview.overview_json", lang=lang),
                data=lambda: model, model=model, ow=service.WORDS[lang],
                yuan=lambda v: service.yuan(v, lang),
                chart=Markup(service.chart_svg(model["chart"], lang)))


@blueprint.route("/overview.json")
def overview_json() -> Response:
    response = jsonify(overview_model(request_lang()))
    response.vary.add("Accept-Language")
    return response
