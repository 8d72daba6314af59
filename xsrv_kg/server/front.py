"""The WSGI layer in front of the Flask app: plain queries answered without Flask's routing.

Most requests to a SPARQL service are queries, and Flask's machinery (request context,
routing, response object, hooks) cost more than a small query's evaluation. So:

- a repeated ``/sparql`` request is answered from its whole cached response, before anything
  is parsed: the answer depends only on the request's bytes (method, query string, body, the
  headers named in :data:`KEY_HEADERS`) and on the store's version;
- a ``/sparql`` query is answered here by the same functions the protocol blueprint calls
  (:mod:`xsrv_kg.server.sparql_request` reads it and writes its headers, :mod:`.http` adds the
  safety, CORS and compression headers and renders errors), so the two cannot drift apart;
- everything else goes to Flask: updates, the service description, anything this layer would
  have to interpret (an over-long URL, a body of unknown length), a request it cannot read
  (Flask reads it again and says what is wrong, nothing having run yet).

It also reads a request body of known, acceptable length in one call and hands the app a
``BytesIO`` of it: Werkzeug would otherwise read it in small pieces through a
``LimitedStream``, which costs more than the rest of a cached answer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from werkzeug.http import parse_options_header
from werkzeug.wsgi import get_current_url

from ..errors import XsrvError
from ..query.endpoint import Endpoint
from . import http
from .sparql_request import answer_query, read_operation

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: The request headers a query's response may depend on (negotiation, compression, and the
#: base IRI the endpoint's own URL gives relative IRIs).
KEY_HEADERS = ("CONTENT_TYPE", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_HOST",
               "SCRIPT_NAME", "wsgi.url_scheme")

#: The response header of every query answer, and its value once the answer is a cached one.
CACHE_HEADER = "Xsrv-Cache"

STATUS_LINES = {200: "200 OK"}


@dataclass(frozen=True)
class CachedResponse:
    """A complete response (``body`` is what the cache's budget counts)."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Front:
    """Wraps the app's WSGI callable for ``endpoint`` (its cache, its store's version)."""

    def __init__(self, app: WsgiApp, *, endpoint: Endpoint, path: str = "/sparql") -> None:
        self.app = app
        self.endpoint = endpoint
        self.cache = endpoint.cache
        self.max_body = endpoint.config.max_body
        self.max_url = endpoint.config.max_url_length
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        body = self._read_body(environ)
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != self.path or method not in ("GET", "POST") \
                or (body is None and method == "POST"):
            return self.app(environ, start_response)
        key = ("response", self.endpoint.store.version, method,
               environ.get("QUERY_STRING", ""), body,
               *(environ.get(name) for name in KEY_HEADERS))
        # A process being replaced (query/threads.py): no client keeps a connection to it.
        closing = [("Connection", "close")] if self.endpoint.executor.retiring else []
        found = self.cache.get(key) if self.cache.enabled else None
        if isinstance(found, CachedResponse):
            start_response(found.status, [(name, "hit" if name == CACHE_HEADER else value)
                                          for name, value in found.headers] + closing)
            return [found.body]
        answered = self._answer(environ, body or b"")
        if answered is None:
            return self.app(environ, start_response)
        status, headers, content = answered
        if status == 200 and self.cache.enabled:  # answers only, never errors
            self.cache.put(key, CachedResponse(STATUS_LINES[200], tuple(headers), content))
        start_response(STATUS_LINES.get(status) or f"{status} {_reason(status)}",
                       headers + closing)
        return [content]

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        """The body, read at once when its length is known and within ``max_body`` (else
        ``None``, and the app reads it, or refuses it with its 413)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0:
            return b"" if "CONTENT_LENGTH" in environ or environ.get(
                "REQUEST_METHOD") == "GET" else None
        if length > self.max_body:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input_terminated"] = True
        return body

    def _answer(self, environ: dict[str, Any], body: bytes
                ) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """A query's (status, headers, body), or ``None`` for Flask to answer."""
        if len(http.request_target(environ)) > self.max_url:
            return None  # Flask's 414 names the limit
        media_type, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
        try:
            operation = read_operation(
                environ["REQUEST_METHOD"], media_type.lower(),
                options.get("charset", "utf-8").lower(),
                environ.get("QUERY_STRING", "").encode("latin-1"), body)
        except XsrvError:
            return None
        if operation.kind != "query":
            return None
        accept = environ.get("HTTP_ACCEPT")
        base_iri = get_current_url(environ, root_only=True) + self.path.lstrip("/")
        try:
            answer = answer_query(self.endpoint, operation, accept=accept, base_iri=base_iri)
        except XsrvError as exc:
            status, content_type, text = http.xsrv_error(exc, accept)
            headers = [("Content-Type", content_type), *http.error_headers(exc)]
            return status, *_finish(environ, headers, text.encode("utf-8"), {}, ["Accept"])
        return 200, *_finish(environ, list(answer.headers), answer.body, answer.encoded,
                             ["Accept"] if answer.varies_with_accept else [])


def _finish(environ: dict[str, Any], headers: list[tuple[str, str]], body: bytes,
            encoded: dict[str, bytes], vary: list[str]
            ) -> tuple[list[tuple[str, str]], bytes]:
    """The headers every response of the app carries (:mod:`.http`: safety, CORS for a read,
    which a query is whatever its method), and the body compressed when worth it."""
    if http.accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING") or ""):
        compressed = http.gzipped(body, encoded)
        if compressed is not None:
            body = compressed
            headers.append(("Content-Encoding", "gzip"))
    return [*headers, ("Content-Length", str(len(body))),
            ("Vary", ", ".join([*vary, "Accept-Encoding"])),
            *http.SAFETY_HEADERS, *http.READ_CORS_HEADERS], body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
