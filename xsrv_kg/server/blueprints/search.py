"""``/search?q=``: find resources by name, part of a name, or the pinyin of their IRI, with
its JSON twin ``/search.json?q=`` (the matching and ranking: :mod:`xsrv_kg.pages.search`).

The index is read once per store version; a search is then Python over it. The workbench's
editor completes entity IRIs from the JSON twin.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...errors import BadInput
from ...pages import search as service
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
from .pages import page

blueprint = Blueprint("search", __name__)


def _limit() -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return service.DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= service.MAX_LIMIT:
        raise BadInput(f"limit={raw!r}: give a whole number from 1 to {service.MAX_LIMIT}")
    return int(raw)


def _results(lang: str) -> dict[str, Any]:
    index = per_store_version("search", "index", lambda: service.build_index(state.store()))
    return service.search(index, request.args.get("q", ""), lang=lang, limit=_limit(),
                          base_iri=state.config().base_iri, root=request.script_root)


@blueprint.route("/search")
def search() -> Response:
    lang = request_lang()
    model = _results(lang)
    twin = url_for("search.search_json", q=model["query"], lang=lang)
    return page("search.html", twin=twin, data=lambda: model, model=model,
                sw=service.WORDS[lang])


@blueprint.route("/search.json")
def search_json() -> Response:
    response = jsonify(_results(request_lang()))
    response.vary.add("Accept-Language")
    return response
