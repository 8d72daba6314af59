"""The WSGI layer in front of the Flask app: repeated queries answered before any parsing.

A query answer depends only on the request's bytes (method, query string, body, and the
headers named in :data:`KEY_HEADERS`) and on the store's version. So the complete response
of a successful ``/sparql`` query (status, headers, body, already compressed if it was) is
kept under those bytes, and the same request is answered from it without routing, parsing,
negotiation or the query pipeline. Everything else, and every first time, goes to the Flask
app, which alone decides what a request means: this layer never interprets a request.

It also reads a request body of known, acceptable length in one call and hands the app a
``BytesIO`` of it: Werkzeug would otherwise read it in small pieces through a
``LimitedStream``, which costs more than the rest of a cached answer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..query.cache import ResultCache

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: The request headers a query's response may depend on (negotiation, compression, and the
#: base IRI the endpoint's own URL gives relative IRIs).
KEY_HEADERS = ("CONTENT_TYPE", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_HOST",
               "SCRIPT_NAME", "wsgi.url_scheme")

#: The response header the query route sets on every query answer, and its value once the
#: answer comes from a cache.
CACHE_HEADER = "Xsrv-Cache"


@dataclass(frozen=True)
class CachedResponse:
    """A complete response as the app sent it (``body`` is what the cache's budget counts)."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Front:
    """Wraps the app's WSGI callable; ``version`` gives the store's current version."""

    def __init__(self, app: WsgiApp, *, cache: ResultCache, version: Callable[[], int],
                 max_body: int, path: str = "/sparql") -> None:
        self.app = app
        self.cache = cache
        self.version = version
        self.max_body = max_body
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        body = self._read_body(environ)
        if (not self.cache.enabled or environ.get("PATH_INFO") != self.path
                or environ.get("REQUEST_METHOD") not in ("GET", "POST")):
            return self.app(environ, start_response)
        key = ("response", self.version(), environ["REQUEST_METHOD"],
               environ.get("QUERY_STRING", ""), body,
               *(environ.get(name) for name in KEY_HEADERS))
        found = self.cache.get(key)
        if isinstance(found, CachedResponse):
            start_response(found.status, [(name, "hit" if name == CACHE_HEADER else value)
                                          for name, value in found.headers])
            return [found.body]
        return self._answer_and_keep(environ, start_response, key)

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        """The body, read at once when its length is given and within ``max_body`` (else
        left to the app, which refuses it with its 413)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return b""
        if length <= 0 or length > self.max_body:
            return b""
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input_terminated"] = True
        return body

    def _answer_and_keep(self, environ: dict[str, Any], start_response: StartResponse,
                         key: tuple[object, ...]) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def keep_start(status: str, headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info \
                else start_response(status, headers)

        chunks = self.app(environ, keep_start)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = seen.get("headers", [])
        # Only query answers are kept: the route marks them; errors, the service
        # description and updates carry no such header.
        if seen.get("status", "").startswith("200") and any(
                name == CACHE_HEADER for name, _ in headers):
            self.cache.put(key, CachedResponse(seen["status"], tuple(headers), body))
        return [body]
