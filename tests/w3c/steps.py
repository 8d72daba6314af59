"""One HTTP request of an encoded test (:class:`Step`), a test (:class:`Case`), the
shorthands the table is written in, and the checks of a parsed result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import rdflib
from rdflib import Literal

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

OK = frozenset({2, 3})  # the W3C tests' "2xx or 3xx response"
CLIENT_ERROR = frozenset({4})  # "4xx"
UPDATED = frozenset({200, 204})  # a successful update: no result to send
TRUE = {"format": "boolean", "boolean": True}
READ, WRITE = "live_server", "update_server"  # the fixtures a case runs on


@dataclass(frozen=True)
class Step:
    """One HTTP request of a test and what its response must be."""

    method: str
    params: tuple[tuple[str, str], ...] = ()  # the URL's query string, in order
    body: str | bytes | None = None  # str is sent as UTF-8
    content_type: str | None = None
    status: frozenset[int] = OK  # status classes the W3C test accepts (2 = 2xx …)
    contract: frozenset[int] = frozenset({200})  # exact codes our server promises
    format: str | None = None  # "boolean" | "tabular" | "RDF"
    boolean: bool | None = None
    check: Callable[[object], None] | None = None  # on the parsed result
    auth: bool = False  # carry the update token (our server's requirement)
    verbatim_params: bool = True  # params equal upstream's (after STAND_INS) …
    verbatim_body: bool = True  # … and the body is byte-identical


@dataclass(frozen=True)
class Case:
    server: str  # "live_server" (read-only) or "update_server"
    steps: tuple[Step, ...]
    #: Updates sent (with the token) before the steps; not part of the W3C test.
    setup: tuple[str, ...] = ()


def get(*params: tuple[str, str], **kw) -> Step:
    return Step("GET", params=params, **kw)


def post(body: str | bytes | None, content_type: str | None,
         *params: tuple[str, str], **kw) -> Step:
    return Step("POST", params=params, body=body, content_type=content_type, **kw)


def bad(step: Step, *codes: int) -> Step:
    """``step`` must be refused with a 4xx; our contract names the exact codes."""
    return replace(step, status=CLIENT_ERROR, contract=frozenset(codes))


# --- result checks ----------------------------------------------------------------------------

def value_is_one(table) -> None:
    variables, solutions = table
    assert variables == ["value"], variables
    assert [s["value"][1] for s in solutions] == ["1"], solutions


def one_triple_with_object_one(graph: rdflib.Graph) -> None:
    triples = list(graph)
    assert len(triples) == 1, triples
    s, p, o = triples[0]
    assert o == Literal(1), o
    # <s> and <p> are relative IRIs: the service resolves them against its base IRI.
    assert urlsplit(str(s)).scheme and urlsplit(str(p)).scheme, (s, p)


def o_is_absolute_iri_not_test(table) -> None:
    """update_base_uri: "one result with ?o bound to an IRI that is _not_ <test>"."""
    _, solutions = table
    assert len(solutions) == 1, solutions
    kind, value = solutions[0]["o"]
    assert kind in ("uri", "unknown"), solutions  # CSV cannot tell an IRI from a literal
    assert value != "test" and urlsplit(value).scheme, value


def body_bytes(body: str | bytes | None) -> bytes | None:
    return body.encode("utf-8") if isinstance(body, str) else body
