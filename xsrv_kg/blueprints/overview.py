"""``/overview``: the plan at a glance (hierarchy, counts, funding, yearly chart).

PLACEHOLDER being built (issue 4).
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from .pages import page

blueprint = Blueprint("overview", __name__)


@blueprint.route("/overview")
def overview() -> Response:
    return page("overview.html", twin=url_for("overview.overview_json"))


@blueprint.route("/overview.json")
def overview_json() -> Response:
    raise NotImplementedError
