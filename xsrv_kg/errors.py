"""One exception hierarchy, mapped once to CLI exit codes and HTTP statuses.

Exit codes: 0 ok, 1 validation failed (the data does not conform), 2 bad input (and every
other error), 3 shapes the in-store validation engine does not support.
"""

from __future__ import annotations


class XsrvError(Exception):
    """Base of every error the service reports to a user."""

    exit_code = 2
    http_status = 500


class BadInput(XsrvError):
    """The user's input (a file, a query, an option) cannot be used as given."""

    exit_code = 2
    http_status = 400


class NotFound(BadInput):
    """A path, graph or resource the user named does not exist."""

    http_status = 404


class UpstreamError(XsrvError):
    """The SPARQL server behind a ``sparql:`` store is unreachable, timed out or failed.

    ``server_status`` is the HTTP status the server answered with, when it answered at all
    (None: unreachable, timed out, or an answer that does not parse)."""

    exit_code = 2
    http_status = 502

    def __init__(self, message: str, *, server_status: int | None = None) -> None:
        super().__init__(message)
        self.server_status = server_status


class UnsupportedShapes(XsrvError):
    """The shapes use a SHACL feature the in-store validation engine cannot compile to SPARQL
    (``sh:or``, a complex ``sh:path``, ``MINUS`` in a SPARQL constraint, ...): the message
    names it. Never a silent pass. Nothing is wrong with the request: the pySHACL engine
    (``--engine pyshacl``, ``XSRV_VALIDATION_ENGINE=pyshacl``) runs every SHACL Core and
    SPARQL feature, or the shape can be written with the supported ones.

    Exit code 3 (apart from bad input, so a script can fall back to the other engine); HTTP
    501 Not Implemented: the server lacks a function the request needs, and the client can
    do nothing about it (``GET /shacl`` sends nothing, ``POST /shacl`` sends data, not
    shapes), which rules out a 4xx such as 422.
    """

    exit_code = 3
    http_status = 501


class EngineDeviation(XsrvError):
    """The query (or a page's query) relies on a point of SPARQL 1.1 that the backend's engine
    is known, by its conformance probe, to evaluate otherwise (:mod:`xsrv_kg.store.conformance`):
    refused rather than answered with wrong figures. The message names the deviation.

    HTTP 501 Not Implemented, as for :class:`UnsupportedShapes`: the request is valid and the
    client cannot change anything to get an answer (the same query runs on a conforming
    backend); the server lacks what the request needs. Not 422 (nothing is wrong with the
    query) nor 409 (no state of the resource the client could change); not 5xx-retryable 502/503
    (retrying gives the same refusal). Exit code 2 like other errors.
    """

    exit_code = 2
    http_status = 501


class LimitExceeded(XsrvError):
    """A configured limit (time, rows, size) was reached."""

    exit_code = 2
    http_status = 503


class Forbidden(XsrvError):
    """The operation is switched off or needs credentials."""

    exit_code = 2
    http_status = 403


class Unauthorized(Forbidden):
    """The operation needs credentials the request did not carry (or carried wrong)."""

    http_status = 401


class NotAcceptable(BadInput):
    """No representation the client accepts exists for this result."""

    http_status = 406


class NoFormatForResult(NotAcceptable):
    """The query yields a kind of result (solutions or a graph) the request named no format
    for: the CLI says which of its ``--format`` choices fit instead."""


class UnsupportedMediaType(BadInput):
    """The request body is in a media type the operation does not take."""

    http_status = 415


class PayloadTooLarge(BadInput):
    """The request body is larger than the configured cap."""

    http_status = 413


class QueryTooLong(PayloadTooLarge):
    """A query or update text is longer than the configured cap (413, like a body)."""


class UriTooLong(BadInput):
    """The request target (path and query string) is longer than the configured cap."""

    http_status = 414


class QueryTimeout(LimitExceeded):
    """A query ran past the time limit and was stopped."""


class ProcessReplaced(LimitExceeded):
    """The server process running a query was replaced (another query in it ran past the
    time limit) before this one finished: sending it again reaches a fresh process."""
