"""What every request and response of the app shares: the URL length cap, error bodies,
CORS, compression, safety headers.

Errors are rendered once, here, from :class:`~xsrv_kg.errors.XsrvError` and werkzeug's
HTTP exceptions, in the format the client asked for (JSON, HTML or plain text) and never
with a stack trace. Every response, whatever its type (pages, JSON, RDF, static files,
errors), carries the same safety headers.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
from functools import lru_cache
from urllib.parse import quote

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from .. import formats
from ..errors import UriTooLong, XsrvError
from ..query.negotiation import prefers
from . import state

log = logging.getLogger(__name__)

#: Bodies smaller than this are sent as they are: gzip would not pay for itself.
GZIP_MIN_BYTES = 1024

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' "
                           "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                           "font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                           "form-action 'self'")

#: Response headers a browser script may read (CORS).
EXPOSED_HEADERS = "Xsrv-Truncated, Xsrv-Cache, Xsrv-Rows, Xsrv-Hint"

#: Methods a cross-origin script may use, by blueprint: reads only (a POST to /sparql
#: carrying a query is a read; updates need the token, which CORS never lets through).
CORS_METHODS = {"graph_store": "GET, HEAD, OPTIONS"}
CORS_DEFAULT_METHODS = "GET, HEAD, POST, OPTIONS"

#: Error formats, most preferred first; JSON result types count as asking for JSON.
_ERROR_TYPES = formats.media_types((formats.JSON, formats.SPARQL_JSON, formats.JSON_LD,
                                    formats.HTML, formats.TEXT))


def error_response(status: int, message: str, kind: str) -> Response:
    """An error body in the client's preferred of JSON, HTML and plain text."""
    content_type, body = error_body(request.headers.get("Accept"), status, message, kind)
    response = Response(body, status, content_type=content_type)
    response.vary.add("Accept")  # the body's format followed the Accept header
    return response


def error_body(accept: str | None, status: int, message: str, kind: str) -> tuple[str, str]:
    """The content type and body of an error, in the preferred of JSON, HTML and plain text
    of an ``Accept`` header (the response varies with ``Accept``)."""
    wanted = prefers(accept, _ERROR_TYPES) or formats.TEXT.media_type
    if wanted.endswith("json"):
        body = json.dumps({"error": {"status": status, "type": kind, "message": message}},
                          ensure_ascii=False)
        return formats.JSON.content_type, body + "\n"
    if wanted == formats.HTML.media_type:
        text = html.escape(message)
        return formats.HTML.content_type, (
            f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8">'
            f"<title>{status} {html.escape(kind)}</title>"
            f"<h1>{status} {html.escape(kind)}</h1><pre>{text}</pre></html>\n")
    return formats.TEXT.content_type, f"{status} {kind}: {message}\n"


def error_headers(exc: XsrvError) -> list[tuple[str, str]]:
    """What an error's status asks for besides its body: how to authenticate (401), when to
    try again (503)."""
    if exc.http_status == 401:
        return [("WWW-Authenticate", 'Bearer realm="xsrv-kg update"')]
    if exc.http_status == 503:
        return [("Retry-After", "5")]
    return []


def xsrv_error(exc: XsrvError, accept: str | None) -> tuple[int, str, str]:
    """An :class:`XsrvError` as (status, content type, body)."""
    content_type, body = error_body(accept, exc.http_status, str(exc), _kind(exc))
    return exc.http_status, content_type, body


def _kind(exc: XsrvError) -> str:
    """``BadInput`` -> ``bad-input``: a stable, readable error type for clients."""
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def install(app: Flask) -> None:
    """Register the error handlers and the after-request hooks on ``app``."""

    @app.errorhandler(XsrvError)
    def on_xsrv_error(exc: XsrvError) -> Response:
        response = error_response(exc.http_status, str(exc), _kind(exc))
        for name, value in error_headers(exc):
            response.headers[name] = value
        return response

    @app.errorhandler(HTTPException)
    def on_http_error(exc: HTTPException) -> Response:
        message = exc.description or exc.name
        if exc.code == 413:  # werkzeug's own words do not say what the limit is
            message = (f"the request body is larger than this server accepts "
                       f"({current_app.config['MAX_CONTENT_LENGTH']} bytes: --max-body, "
                       "XSRV_MAX_BODY)")
        response = error_response(exc.code or 500, message,
                                  exc.name.lower().replace(" ", "-"))
        if exc.code == 413:
            # The body was not read: the server closes the connection after the answer
            # (granian does past a few dozen KB), so the client must not send on it again.
            response.headers["Connection"] = "close"
        for key, value in exc.get_headers():
            if key.lower() == "allow":
                response.headers[key] = value
        return response

    @app.errorhandler(Exception)
    def on_unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal error; the server log has the details",
                              "internal-error")

    app.before_request(_check_url_length)
    app.after_request(_finish)


def request_target(environ: dict | None = None) -> str:
    """The request target as the client sent it (path and query string, percent-encoded)."""
    environ = request.environ if environ is None else environ
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not target:  # a WSGI server that does not pass it on: rebuild it
        path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        target = quote(path.encode("latin-1", "replace"), safe="/;=,@:!$&'()*+~")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
    return target


def _check_url_length() -> None:
    """414 for a request target longer than ``max_url_length`` bytes, before any routing
    result is used (so it applies to every URL, known or not)."""
    limit = state.config().max_url_length
    # WSGI strings are bytes decoded as latin-1: one character is one byte.
    length = len(request_target())
    if length > limit:
        raise UriTooLong(f"the request target is {length} bytes long; this server accepts at "
                         f"most {limit} (--max-url-length, XSRV_MAX_URL_LENGTH): send a long "
                         "query in a POST body instead")


#: On every response, not pages alone: JSON, RDF, SVG or an error body opened in a browser
#: may load nothing from elsewhere and run no script either.
SAFETY_HEADERS = (("X-Content-Type-Options", "nosniff"),
                  ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                  ("Referrer-Policy", "same-origin"))

#: What a read (GET, HEAD, OPTIONS, or a POST carrying a query) lets a cross-origin script do.
READ_CORS_HEADERS = (("Access-Control-Allow-Origin", "*"),
                     ("Access-Control-Expose-Headers", EXPOSED_HEADERS))


def _finish(response: Response) -> Response:
    headers = response.headers
    if state.endpoint().executor.retiring:  # this process is being replaced (query/threads)
        headers["Connection"] = "close"
    for name, value in SAFETY_HEADERS:
        headers.setdefault(name, value)
    if request.method in ("GET", "HEAD", "OPTIONS") or g.get("read_only_request"):
        for name, value in READ_CORS_HEADERS:
            headers[name] = value
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = CORS_METHODS.get(request.blueprint or "",
                                                                    CORS_DEFAULT_METHODS)
        # No Authorization: a cross-origin script cannot send the update token.
        headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        headers["Access-Control-Max-Age"] = "86400"
    return _compress(response)


def accepts_gzip(header: str | None = None) -> bool:
    """Whether the request (or an ``Accept-Encoding`` header) allows a gzip-encoded response:
    the most specific of ``gzip`` and ``*`` decides, so ``gzip;q=0, *`` and ``*, gzip;q=0``
    do not (Werkzeug parses the header). No ``Accept-Encoding`` at all gets no gzip either."""
    if header is None:
        return request.accept_encodings.quality("gzip") > 0
    return _gzip_quality(header) > 0


@lru_cache(maxsize=256)
def _gzip_quality(header: str) -> float:
    return parse_accept_header(header).quality("gzip")


def gzipped(body: bytes, kept: dict[str, bytes]) -> bytes | None:
    """``body`` gzipped when that is worth it (``None`` when not), kept in ``kept`` for the
    next time the same body is sent."""
    if len(body) < GZIP_MIN_BYTES:
        return None
    if "gzip" not in kept:
        kept["gzip"] = gzip.compress(body, compresslevel=5)
    return kept["gzip"]


def keep_encodings(response: Response, kept: dict[str, bytes]) -> Response:
    """Let :func:`_compress` keep the compressed body in ``kept`` and take it from there
    next time: for a body sent many times (a cached query answer), compressed once."""
    response.xsrv_encoded = kept  # type: ignore[attr-defined]
    return response


def _compress(response: Response) -> Response:
    """gzip the body when the client accepts it and it is worth it: the one place where a
    response is compressed."""
    response.vary.add("Accept-Encoding")
    if (response.direct_passthrough or response.status_code < 200
            or response.status_code in (204, 304) or "Content-Encoding" in response.headers
            or not accepts_gzip()):
        return response
    compressed = gzipped(response.get_data(), getattr(response, "xsrv_encoded", {}))
    if compressed is None:
        return response
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    return response
