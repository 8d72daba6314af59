"""``/validation``: the validation report of the served data as a page, with a JSON twin.

PLACEHOLDER being built (issue 4).
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from .pages import page

blueprint = Blueprint("validation_page", __name__)


@blueprint.route("/validation")
def validation() -> Response:
    return page("validation.html", twin=url_for("validation_page.validation_json"))


@blueprint.route("/validation.json")
def validation_json() -> Response:
    raise NotImplementedError
