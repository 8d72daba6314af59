"""Hypothesis strategies for ``tests/test_fuzz.py``: the shapes of SPARQL Protocol, SHACL and
Graph Store requests (random methods, parameters, Content-Type, Accept and Authorization)
carrying the text of :mod:`tests.fuzz_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from .fuzz_text import (
    INJECTIONS,
    LISTENER,
    QUERIES,
    encode,
    hostile_bytes,
    hostile_text,
    jsonld_document,
    mutated_query,
    mutated_turtle,
    nesting_bomb,
    prefix_bomb,
    rdf_file_text,
)

# --- SPARQL Protocol requests ---------------------------------------------------------------

GRAPHS = ("https://w3id.org/xsrv-kg/graph/ontology",
          "https://w3id.org/xsrv-kg/graph/documents/xiushan-plan")

JUNK_IRIS = st.one_of(
    st.sampled_from(["", " ", "not an iri", "<http://example.org/>", "http://exa mple.org/",
                     "urn:x", "http://[::1", "relative", "#", "http://例子.测试/图", "\x00",
                     "http://127.0.0.1:1/x", LISTENER, "file:///etc/passwd", *GRAPHS]),
    hostile_text)

FORMAT_VALUES = st.one_of(
    st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml",
                     "JSON", " csv ", "text/csv", "application/sparql-results+json;q=0",
                     "*/*", "text/*", "", "application/ld+json", "text/html", "html", "nope",
                     "csv,json", "application/json;q=nan"]),
    hostile_text)

ACCEPT = st.one_of(
    st.none(),
    st.sampled_from([
        "*/*", "", "application/sparql-results+json", "application/sparql-results+xml",
        "text/csv", "text/tab-separated-values", "text/turtle", "application/ld+json",
        "application/n-triples", "application/rdf+xml", "text/html", "text/plain",
        "application/json", "image/png", "*/*;q=0", "text/csv;q=nan", "text/csv;q=1e400",
        "text/csv;q=-1", "text/csv;q=", "application/*;q=0.5, */*;q=0", "x", ",,,", ";q=1",
        "*", "*/*;q=0.1, text/csv;q=0, application/sparql-results+json;q=0",
        ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(500)),
    ]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
            max_size=60),
)

CONTENT_TYPES = st.one_of(
    st.sampled_from([
        "application/sparql-query", "application/sparql-update",
        "application/x-www-form-urlencoded", "application/sparql-query; charset=utf-8",
        "application/sparql-query; charset=latin-1", "application/SPARQL-QUERY",
        "application/sparql-update; charset=UTF8", "application/x-www-form-urlencoded; charset=utf-16",
        "multipart/form-data", "multipart/form-data; boundary=x", "text/plain", "text/turtle",
        "application/json", "", ";", "application/sparql-query;;;",
        'application/sparql-query; charset="utf-8', "application/sparql-query; charset=",
        "*/*", "application/sparql-results+json",
    ]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
            max_size=40),
)

#: The update token of the servers under test, and near misses of it.
TOKEN = "fuzz-token-0123456789"
AUTHORIZATION = st.one_of(
    st.none(),
    st.sampled_from(["Bearer", "Bearer ", "Bearer  ", "bearer x", "Basic Zm9vOmJhcg==",
                     f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Bearer {TOKEN.upper()}",
                     f"Bearer {TOKEN}\u200b", f"Token {TOKEN}", f"Bearer\t{TOKEN}", TOKEN,
                     f"Bearer {TOKEN} {TOKEN}", "Bearer \x00", "Bearer " + "a" * 5000]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
            max_size=40).map(lambda t: "Bearer " + t),
)

PARAM_NAMES = ("format", "default-graph-uri", "named-graph-uri", "query", "update",
               "using-graph-uri", "using-named-graph-uri", "timeout", "lang", "")


@st.composite
def extra_params(draw: st.DrawFn) -> list[tuple[str, str]]:
    pairs = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]), label="extra params")):
        name = draw(st.one_of(st.sampled_from(PARAM_NAMES), hostile_text), label="param")
        value = draw(FORMAT_VALUES if name == "format" else
                     JUNK_IRIS if name.endswith("uri") else hostile_text)
        pairs.append((name, value))
    return pairs


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> str:
    """``a=b&c=d``, each part percent-encoded (lone surrogates as their UTF-8-ish bytes)."""
    def q(part: str | bytes) -> str:
        return quote_from_bytes(encode(part), safe="")
    return "&".join(f"{q(k)}={q(v)}" for k, v in pairs)


@dataclass
class Request:
    """One HTTP request, independent of the client that sends it."""

    method: str
    path: str
    query_string: str = ""  # already encoded: ASCII, or raw latin-1 bytes as str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: What the request is meant to do; for messages only.
    note: str = ""

    def __repr__(self) -> str:
        # Short enough to read in a failure report (a PREFIX flood is megabytes).
        def cut(value: str | bytes) -> str:
            shown = repr(value[:600])
            return shown + (f"...({len(value)} in all)" if len(value) > 600 else "")
        return (f"Request({self.method} {self.path} [{self.note}] headers={self.headers!r} "
                f"query_string={cut(self.query_string)} body={cut(self.body)})")

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # hypothesis's failure reports
        printer.text(repr(self))

    def url_suffix(self) -> str:
        return self.path + (f"?{self.query_string}" if self.query_string else "")


#: Queries that run: each curated one, a few more, and one that runs into the time limit.
VALID_QUERIES = (*QUERIES.values(), "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK {}",
                 "CONSTRUCT WHERE { ?s a xsrv:FundRule }", "DESCRIBE <urn:x>",
                 "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }",
                 "SELECT * { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(?o)",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")

operation_text = st.one_of(
    mutated_query(), mutated_query(), mutated_query(), mutated_query(),
    hostile_text, hostile_bytes, prefix_bomb(), nesting_bomb(), st.sampled_from(VALID_QUERIES),
    st.sampled_from([*(f" {i} " for i in INJECTIONS),
                     "SELECT * WHERE { ?s ?p ?o .SERVICE <" + LISTENER + "> { } }"]),
)


@st.composite
def sparql_request(draw: st.DrawFn, *, updates: bool = False,
                   raw_query_strings: bool = True) -> Request:
    """A request to ``/sparql``: a query (or, with ``updates``, mostly an update) sent by
    GET, form POST or direct POST, with odd headers and parameters.

    ``raw_query_strings=False`` keeps the query string ASCII (HTTP clients re-encode
    anything else).
    """
    text = draw(operation_text, label="text")
    transports = ["form-update", "direct-update", "form-update", "direct-update", "get-update",
                  "form", "direct", "get"] if updates else \
        ["get", "get", "get", "form", "form", "direct", "direct", "direct-update",
         "form-update", "raw-post"]
    transport = draw(st.sampled_from(transports), label="transport")
    params = draw(extra_params())
    headers: dict[str, str] = {}
    accept = draw(ACCEPT, label="accept")
    if accept is not None:
        headers["Accept"] = accept
    auth = draw(AUTHORIZATION, label="authorization")
    if auth is not None:
        headers["Authorization"] = auth
    name = "update" if transport.endswith("update") else "query"
    if transport.startswith("get"):
        pairs = [(name, text), *params]
        pairs = draw(st.permutations(pairs))
        if raw_query_strings and draw(st.integers(0, 9)) == 4:  # (hypothesis favours ends)
            # Not percent-encoded at all: raw bytes in the request target.
            raw = b"&".join(encode(k) + b"=" + encode(v) for k, v in pairs)
            query_string = raw.decode("latin-1")
        else:
            query_string = urlencoded(pairs)
        return Request("GET", "/sparql", query_string, b"", headers, transport)
    proper = st.just({"form": "application/x-www-form-urlencoded",
                      "form-update": "application/x-www-form-urlencoded",
                      "direct": "application/sparql-query",
                      "direct-update": "application/sparql-update"}.get(transport, ""))
    content_type = draw(st.one_of(proper, proper, proper, proper, proper, CONTENT_TYPES),
                        label="content type")
    if content_type:
        headers["Content-Type"] = content_type
    if transport.startswith("form"):
        body = urlencoded([(name, text), *params]).encode("ascii")
        query_string = ""
    else:
        body = encode(text)
        query_string = urlencoded(params)
    method = draw(st.sampled_from(
        ["POST"] * 8 + ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] + ["POST"] * 8))
    return Request(method, "/sparql", query_string, body, headers, transport)


SHACL_TYPES = st.one_of(
    st.sampled_from(["text/turtle", "application/x-turtle", "application/n-triples",
                     "application/ld+json", "application/rdf+xml", "text/turtle; charset=latin-1",
                     "TEXT/TURTLE", "application/trig", "application/n-quads", "text/plain",
                     ""]),
    CONTENT_TYPES)


@st.composite
def shacl_request(draw: st.DrawFn) -> Request:
    """A ``POST /shacl`` with a random body, content type and parameters.

    ``merge=true`` (which validates the whole project, seconds) is rare.
    """
    kind = draw(st.sampled_from(["turtle", "turtle", "jsonld", "any"]), label="kind")
    if kind == "turtle":
        body, proper = draw(mutated_turtle(small=True)), "text/turtle"
    elif kind == "jsonld":
        body, proper = draw(jsonld_document()), "application/ld+json"
    else:
        body, proper = draw(rdf_file_text(small=True)), "text/turtle"
    headers = {}
    content_type = draw(st.one_of(st.just(proper), st.just(proper), SHACL_TYPES),
                        label="content type")
    if content_type:
        headers["Content-Type"] = content_type
    accept = draw(ACCEPT, label="accept")
    if accept is not None:
        headers["Accept"] = accept
    params = []
    if draw(st.integers(0, 9)) == 4:
        params.append(("merge", "true"))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        key = draw(st.sampled_from(["lang", "format", "merge", "x"]))
        value = draw(st.one_of(st.sampled_from(["zh", "en", "fr", "turtle", "json", "jsonld",
                                                "html", "text", "false", "0", ""]),
                               hostile_text))
        params.append((key, value))
    return Request("POST", "/shacl", urlencoded(params), encode(body), headers, "shacl")


@st.composite
def store_request(draw: st.DrawFn) -> Request:
    """A Graph Store Protocol request to ``/store``: mostly writes (PUT, POST, DELETE) with a
    random RDF body, target and credentials, some reads."""
    method = draw(st.sampled_from(["PUT", "POST", "DELETE", "POST", "PUT", "GET"]),
                  label="method")
    target = draw(st.sampled_from(["graph", "graph", "default", "dataset", "both", "junk"]),
                  label="target")
    params: list[tuple[str, str]] = {
        "graph": [("graph", draw(st.sampled_from([*GRAPHS, "urn:fuzz:g", LISTENER])))],
        "default": [("default", "")],
        "dataset": [],
        "both": [("graph", GRAPHS[0]), ("default", "")],
        "junk": [(draw(st.sampled_from(["graph", "default", "g"])), draw(JUNK_IRIS))],
    }[target]
    headers = {}
    auth = draw(AUTHORIZATION, label="authorization")
    if auth is not None:
        headers["Authorization"] = auth
    body = b""
    if method in ("PUT", "POST"):
        body = encode(draw(rdf_file_text(small=True), label="body"))
        content_type = draw(st.one_of(
            st.sampled_from(["text/turtle", "application/trig", "application/n-quads",
                             "application/ld+json", "application/n-triples",
                             "application/rdf+xml"]), SHACL_TYPES), label="content type")
        if content_type:
            headers["Content-Type"] = content_type
    else:
        accept = draw(ACCEPT, label="accept")
        if accept is not None:
            headers["Accept"] = accept
    return Request(method, "/store", urlencoded(params), body, headers, "store")
