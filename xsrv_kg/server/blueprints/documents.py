"""``/documents``: every policy document of the dataset, with its JSON twin
``/documents.json``, a link to each one's overview (:mod:`xsrv_kg.pages.documents`) and its
validation state: its results in the served report (the one ``/validation`` shows, made once
per store version), by the rule of :mod:`xsrv_kg.validation.by_document`, linked to
``/validation?doc=``.

With thousands of documents the index is paged and filtered (``?page=``, ``?size=`` up to
1,000, ``?q=``); the whole index is made once per store version and each page is a slice of
it, so a page costs the same whatever its number. Both pages link their neighbours
(``Link: rel="next"``, ``rel="prev"``; the twin's ``next`` and ``prev``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...errors import BadInput
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


def _whole(name: str, default: int, most: int) -> int:
    """A whole-number query parameter between 1 and ``most``; a 400 naming it otherwise."""
    given = request.args.get(name)
    if given is None or given == "":
        return default
    if not given.isascii() or not given.isdigit() or not 1 <= int(given) <= most:
        raise BadInput(f"{name} must be a whole number from 1 to {most}, not {given!r}")
    return int(given)


def _chosen(endpoint: str, lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The page of the index the request asks for, and the links to its neighbours."""
    size = _whole("size", service.PAGE_SIZE, service.MAX_PAGE_SIZE)
    number = _whole("page", 1, 10**9)
    q = request.args.get("q", "")
    model = service.select(_model(lang), q=q, page=number, size=size)
    keep = {k: v for k, v in (("q", q), ("size", request.args.get("size"))) if v}
    links = {}
    if number > 1:
        links["prev"] = url_for(endpoint, page=min(number - 1, model["pages"]), lang=lang, **keep)
    if number < model["pages"]:
        links["next"] = url_for(endpoint, page=number + 1, lang=lang, **keep)
    model.update(links)
    return model, links


def _with_links(response: Response, links: dict[str, str]) -> Response:
    for rel, target in links.items():
        response.headers.add("Link", f'<{target}>; rel="{rel}"')
    return response


@blueprint.route("/documents")
def documents() -> Response:
    lang = request_lang()
    model, links = _chosen("documents.documents", lang)
    twin = url_for("documents.documents_json", lang=lang,
                   **{k: v for k, v in request.args.items() if k != "lang"})
    return _with_links(page("documents.html", twin=twin, data=lambda: model, model=model,
                            dw=service.WORDS[lang]), links)


@blueprint.route("/documents.json")
def documents_json() -> Response:
    model, links = _chosen("documents.documents_json", request_lang())
    response = jsonify(model)
    response.vary.add("Accept-Language")
    return _with_links(response, links)
