"""The service's state as the blueprints reach it: the app's one
:class:`~xsrv_kg.query.endpoint.Endpoint` (its store, its config, its limits).

Blueprints ask here rather than reading ``current_app.extensions`` themselves, so where the
state lives is said once.
"""

from __future__ import annotations

from flask import Flask, current_app

from ..config import Config
from ..query.endpoint import Endpoint
from ..store import Store

#: The key of the Endpoint in ``app.extensions``.
KEY = "xsrv"


def install(app: Flask, endpoint: Endpoint) -> None:
    """Make ``endpoint`` the service of ``app``."""
    app.extensions[KEY] = endpoint


def endpoint(app: Flask | None = None) -> Endpoint:
    """The Endpoint of ``app`` (default: the app handling the current request)."""
    return (app or current_app).extensions[KEY]


def store() -> Store:
    """The store the current app serves."""
    return endpoint().store


def config() -> Config:
    """The current app's configuration."""
    return endpoint().config
