"""Linked-data pages: every IRI the project mints dereferences on the running server.

PLACEHOLDER being built (issue 4).
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("linked_data", __name__)
