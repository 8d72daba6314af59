"""The server's front answers /sparql queries as the Flask view would, byte for byte."""

from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug.test import Client

from xsrv_kg.config import Config
from xsrv_kg.server.app import create_app
from xsrv_kg.server.front import Front

SELECT = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"
BIG = "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l"
FORM = "application/x-www-form-urlencoded"

REQUESTS = [
    ("GET", {"query_string": {"query": SELECT}}),
    ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "text/csv"}}),
    ("GET", {"query_string": {"query": SELECT, "format": "tsv"}}),
    ("POST", {"data": {"query": BIG}, "headers": {"Accept-Encoding": "gzip"}}),
    ("POST", {"data": SELECT, "content_type": "application/sparql-query"}),
    ("POST", {"data": "CONSTRUCT WHERE { ?s a xsrv:TownshipLevelDivision }",
              "content_type": "application/sparql-query",
              "headers": {"Accept": "text/turtle"}}),
    ("GET", {"query_string": {"query": "SELECT * WHERE { ?x rdfs:label \"涌洞乡\" }"}}),
    # errors: rendered in the client's format
    ("GET", {"query_string": {"query": "SELEC"}, "headers": {"Accept": "application/json"}}),
    ("GET", {"query_string": {"query": "SELECT * { ?s dvi:x ?o }"}}),
    ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "image/png"}}),
    ("GET", {"query_string": {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"},
             "headers": {"Accept": "text/html"}}),
    ("POST", {"data": SELECT.encode("utf-16"),
              "content_type": "application/sparql-query; charset=utf-16"}),
    # not for the front: Flask answers
    ("GET", {}),
    ("POST", {"data": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}}),
    ("POST", {"data": {"query": SELECT, "update": "CLEAR ALL"}}),
]


@pytest.fixture(scope="module")
def app():
    return create_app(replace(Config.from_env(), cache_bytes=0), workers=False)


def _fetch(wsgi, method: str, options: dict) -> tuple[int, dict, bytes]:
    response = Client(wsgi).open("/sparql", method=method, **options)
    headers = {k: v for k, v in response.headers.items() if k != "Date"}
    return response.status_code, headers, response.get_data()


@pytest.mark.parametrize(("method", "options"), REQUESTS)
def test_the_front_answers_as_flask_does(app, method: str, options: dict) -> None:
    front = app.wsgi_app
    assert isinstance(front, Front)
    assert _fetch(front, method, options) == _fetch(front.app, method, options)


def test_a_repeated_query_is_answered_from_its_whole_response() -> None:
    app = create_app(Config.from_env(), workers=False)
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": SELECT})
    second = client.get("/sparql", query_string={"query": SELECT})
    assert first.headers["Xsrv-Cache"] == "miss" and second.headers["Xsrv-Cache"] == "hit"
    assert first.get_data() == second.get_data()
    assert {k: v for k, v in first.headers.items() if k != "Xsrv-Cache"} == \
        {k: v for k, v in second.headers.items() if k != "Xsrv-Cache"}


@pytest.mark.parametrize("target", ["/sparql?query=ASK%7B%7D", "/overview.json"])
def test_a_process_being_replaced_closes_every_connection(app, monkeypatch, target) -> None:
    """Queries (answered by the front) and pages (by Flask) alike say Connection: close."""
    executor = app.extensions["xsrv"].executor
    assert Client(app.wsgi_app).get(target).headers.get("Connection") is None
    monkeypatch.setattr(type(executor), "retiring", True, raising=False)
    assert Client(app.wsgi_app).get(target).headers["Connection"] == "close"
