"""The Flask application factory: one :class:`~xsrv_kg.query.endpoint.Endpoint` per app."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from werkzeug.routing import Map

from ..config import Config
from ..query.endpoint import Endpoint
from . import http, state
from .blueprints import (
    canned,
    documents,
    draft_review,
    graph_store,
    linked_data,
    overview,
    protocol,
    search,
    shacl,
    validation_page,
    void,
    workbench,
)
from .front import Front

#: The Jinja templates of the pages and of the validation report (autoescaped).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class _StrictMap(Map):
    """URL rules that do not merge slashes: ``/static//etc/passwd`` or ``/id//x`` is a 404
    like any other path that names nothing, not a redirect to a path that might."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("merge_slashes", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class _App(Flask):
    url_map_class = _StrictMap


def create_app(config: Config | None = None, *, endpoint: Endpoint | None = None,
               workers: bool = True, recycle: Callable[[], None] | None = None) -> Flask:
    """Build the app over ``endpoint`` (default: the project loaded per ``config``).

    ``workers=False`` runs queries in the request thread, without a time limit (for tests
    that need no worker processes). ``recycle`` is how the server replaces this process
    (see :mod:`xsrv_kg.query.threads`).
    """
    config = config or (endpoint.config if endpoint else Config.from_env())
    endpoint = endpoint or Endpoint.open(config, workers=workers, recycle=recycle)
    # Static assets (CSS, scripts, vendored YASGUI) are the project's web/ folder.
    app = _App(__name__, static_folder=str(config.home / "web"), static_url_path="/static",
               template_folder=str(TEMPLATES))
    app.config["MAX_CONTENT_LENGTH"] = config.max_body
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the order services chose
    state.install(app, endpoint)
    app.register_blueprint(protocol.blueprint)
    app.register_blueprint(graph_store.blueprint)
    app.register_blueprint(shacl.blueprint)
    app.register_blueprint(void.blueprint)
    for pages in (workbench, canned, documents, draft_review, overview, validation_page, search,
                  linked_data):
        app.register_blueprint(pages.blueprint)
    http.install(app)
    # Queries are answered in front of Flask's routing (repeated ones from whole responses).
    app.wsgi_app = Front(app.wsgi_app, endpoint=endpoint)  # type: ignore[method-assign]
    # Worker processes and the snapshot folder go when the app does.
    weakref.finalize(app, endpoint.close)
    return app
