"""``/``: the query workbench (YASGUI over our endpoint) and the curated-query gallery.

PLACEHOLDER being built (issue 4): the page below is a stub.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from .pages import page

blueprint = Blueprint("workbench", __name__)


@blueprint.route("/")
def index() -> Response:
    return page("workbench.html", twin=url_for("workbench.queries_json"))


@blueprint.route("/queries.json")
def queries_json() -> Response:
    raise NotImplementedError
