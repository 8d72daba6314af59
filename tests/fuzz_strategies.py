"""Hypothesis strategies for ``tests/test_fuzz.py``: hostile text, mutated queries and RDF
files, and the shapes of SPARQL Protocol requests.

Everything is bounded (sizes, number of mutations) so that a fuzz run stays short. Query
texts that would call out (``SERVICE``, ``LOAD``, ``@context``) name :data:`LISTENER`; the
tests replace it with the URL of a loopback listener that records any connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from xsrv_kg.config import DEFAULT_HOME

#: Stands for the loopback listener's URL in generated text (the tests put the real one).
LISTENER = "http://listener.invalid/sparql"
#: A port nothing may listen on; pyoxigraph's HTTP client refuses it outright.
PORT_ONE = "http://127.0.0.1:1/x"

FEDERATED_ENDPOINT = "http://127.0.0.1:8001/sparql"

#: The curated queries; the federated ones call the listener instead of port 8001.
QUERIES: dict[str, str] = {
    p.name: p.read_text(encoding="utf-8").replace(FEDERATED_ENDPOINT, LISTENER)
    for p in sorted((DEFAULT_HOME / "queries").glob("*.rq"))
}

#: The county plan's Turtle files, the RDF the CLI and ``/shacl`` fuzzing start from.
TURTLE: dict[str, str] = {
    p.name: p.read_text(encoding="utf-8")
    for p in sorted((DEFAULT_HOME / "data" / "documents" / "xiushan-plan").glob("*.ttl"))
}

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf")


def encode(text: str | bytes) -> bytes:
    """UTF-8, lone surrogates included (as the three bytes a careless encoder writes)."""
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


# --- hostile text ---------------------------------------------------------------------------

SPECIAL_CHARS = (
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\t", "\r", "\n", "\r\n", "\u2028", "\u2029",
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",  # direction marks, RLO
    "\ufeff", "\u200b", "\u200d", "\u0301", "\ufffd", "\uffff", "\U0010ffff", "\U0001f600",
    "\ud800", "\udfff", "\udc80",  # lone surrogates: not encodable, sent as bytes
    "涌洞乡", "ſ", "K", "İ", "%", "%00", "%ZZ", "+", "&", "=", ";", "\\", "\\u0000",
    "\\U0010FFFF", "\\ud800",
)

hostile_text = st.lists(st.one_of(st.characters(), st.sampled_from(SPECIAL_CHARS)),
                        max_size=60).map("".join)

#: Byte strings that are not UTF-8 in interesting ways: surrogates, overlong forms, cuts.
BAD_UTF8 = (b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"\xc0\xaf", b"\xe0\x80\xaf",
            b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf", b"\xe6\xb6",
            b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00")

hostile_bytes = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(st.sampled_from(BAD_UTF8), st.binary(max_size=8),
                       st.sampled_from([b"SELECT * WHERE { ", b"?s ?p ?o", b" }", b"ASK {}",
                                        "涌洞".encode()])),
             max_size=12).map(b"".join),
)


@st.composite
def prefix_bomb(draw: st.DrawFn) -> str:
    """Many PREFIX lines (or one prefix declared many times), then a short tail."""
    count = draw(st.sampled_from([1, 200, 2_000, 3_000, 20_000]))
    same = draw(st.booleans())
    lines = "".join(f"PREFIX p{0 if same else i}: <http://example.org/{i}#>\n"
                    for i in range(count))
    tail = draw(st.sampled_from(["SELECT * WHERE { ?s ?p ?o } LIMIT 1", "ASK {}", "",
                                 "SELECT", "p0:x", "ASK { p1999:a p0:b ?o }",
                                 "BASE <relative> ASK {}"]))
    return lines + tail


@st.composite
def nesting_bomb(draw: st.DrawFn) -> str:
    """A query nested ``depth`` deep (groups, brackets, EXISTS, paths, negations)."""
    depth = draw(st.sampled_from([10, 100, 250, 2_000, 6_000]))
    return draw(st.sampled_from([
        "SELECT * WHERE " + "{" * depth + "}" * depth,
        "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "ASK { " + "FILTER EXISTS { " * depth + "}" * depth + " }",
        "ASK { ?s " + "(" * depth + "rdfs:label" + ")" * depth + " ?o }",
        "ASK { FILTER(" + "!" * depth + "true) }",
        "ASK { " + "OPTIONAL { " * depth + "}" * depth + " }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * depth + "?o" + " ]" * depth + " }",
    ]))


# --- mutated text (queries and Turtle) ------------------------------------------------------

_TOKEN = re.compile(
    r"""\s+|<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*|[\w?$:@.\-]+|.""",
    re.S)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


SPARQL_TOKENS = (
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION",
    "MINUS", "GRAPH", "BIND", "AS", "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT",
    "OFFSET", "DISTINCT", "REDUCED", "FROM", "FROM NAMED", "NOT EXISTS", "EXISTS", "SILENT",
    "BASE", "PREFIX", "a", "*", "?x", "$x", "?s ?p ?o", "xsrv:Nope", "undeclared:x", "<>",
    "<#x>", "<relative>", "<http://[::1>", '"str"', '"x"@zh', '"x"@en--ltr', '"1"^^xsd:integer',
    "1e999", "-0", "99999999999999999999999999", "0.0", "COUNT(*)", "SUM(?x)", "GROUP_CONCAT(?x)",
    'REGEX(?x, "(")', 'REPLACE(?x, "a*", "$9")', "STRDT(?x, ?x)", "BNODE()", "UUID()", "NOW()",
    "1/0", "xsd:integer(?x)", "(", ")", "{", "}", "[", "]", ".", ";", ",", "|", "/", "^", "!",
    "&&", "||", "=", "!=", "<", ">", "@", "$", "~", "{|", "|}", "<<", ">>", "<<(", ")>>",
    "TRIPLE(?s, ?p, ?o)", "\\u0053ERVICE", "#", "'''", '"""',
)

#: Injected whole: services, updates and a cross product that hits the time limit.
INJECTIONS = (
    f"SERVICE <{PORT_ONE}> {{ ?s ?p ?o }}",
    f"SERVICE SILENT <{LISTENER}> {{ ?s ?p ?o }}",
    f"SERVICE <{LISTENER}> {{ ?fuzz ?p ?o }}",
    f"sErViCe <{LISTENER}> {{ }}",
    "SERVICE ?svc { ?s ?p ?o }",
    "SERVICE xsrv:x { }",
    f"LOAD <{PORT_ONE}>",
    f"LOAD SILENT <{LISTENER}> INTO GRAPH <urn:fuzz:g>",
    "INSERT DATA { <urn:fuzz:s> <urn:fuzz:p> <urn:fuzz:o> }",
    "INSERT DATA { GRAPH <https://w3id.org/xsrv-kg/graph/ontology> { <urn:fuzz:s> a <urn:fuzz:o> } }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE DATA { <urn:fuzz:s> <urn:fuzz:p> <urn:fuzz:o> }",
    "CLEAR ALL", "CLEAR SILENT DEFAULT", "DROP ALL", "; DROP ALL", "; CLEAR ALL ;",
    "DROP GRAPH <https://w3id.org/xsrv-kg/graph/documents/xiushan-plan>",
    "WITH <urn:fuzz:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CREATE GRAPH <urn:fuzz:g>", "COPY DEFAULT TO <urn:fuzz:g>", "MOVE SILENT ALL TO DEFAULT",
    "ADD <urn:a> TO <urn:b>",
    "{ ?fa ?fb ?fc . ?fd ?fe ?ff . ?fg ?fh ?fi }",
)

TURTLE_TOKENS = (
    "@prefix", "@base", "PREFIX", "a", ".", ";", ",", "[", "]", "(", ")", "_:b0", "<>",
    "<relative>", "<http://[::1>", '"x"@zh', '"x"@en--ltr', '"1"^^xsd:integer', "1e999",
    "true", "xsrv:Nope", "undeclared:x", "<< <urn:a> <urn:b> <urn:c> >>",
    "<<( <urn:a> <urn:b> <urn:c> )>>", "{| <urn:d> <urn:e> |}", "~ _:r", "GRAPH", "{", "}",
    '"""', "'''", "#", "\\u0000", '"\\uD800"', "xsrv:sourceFile", '"../../../etc/passwd"',
    '"source.txt"', "\x00", "\u202e",
)

#: Whole statements that parse (RDF 1.2 triple terms and reifiers, directions, odd terms).
TURTLE_STATEMENTS = (
    "<urn:fuzz:s> <urn:fuzz:p> <<( <urn:a> <urn:b> <urn:c> )>> .",
    "<< <urn:a> <urn:b> <urn:c> >> <urn:fuzz:p> <urn:fuzz:o> .",
    "<urn:a> <urn:b> <urn:c> {| <urn:d> <urn:e> |} .",
    '<urn:fuzz:s> <urn:fuzz:p> "x"@en--ltr .',
    '<urn:fuzz:s> <urn:fuzz:p> "\\u0000\\u202e" .',
    "<urn:fuzz:s> <urn:fuzz:p> _:b0 . _:b0 <urn:fuzz:p> _:b0 .",
    '<urn:fuzz:s> <urn:fuzz:p> "1"^^<urn:fuzz:dt> .',
    "<urn:fuzz:s> xsrv:sourceFile \"source.txt\" .",
    "<urn:fuzz:s> xsrv:sourceFile \"../source.txt\" .",
    "<urn:fuzz:s> a xsrv:TownshipLevelDivision .",
)


def _mutate(draw: st.DrawFn, text: str, pool: tuple[str, ...],
            injections: tuple[str, ...]) -> str:
    toks = tokens(text)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 2, 3, 4]), label="mutations")):
        op = draw(st.sampled_from(("delete", "insert", "duplicate", "swap", "truncate",
                                   "punctuation", "flip", "glue", "inject", "unicode")),
                  label="op")
        if not toks:
            toks = [""]
        i = draw(st.integers(0, len(toks) - 1), label="at")
        if op == "delete":
            del toks[i]
        elif op == "insert":
            toks.insert(i, draw(st.sampled_from([" {} ", "{}"])).format(
                draw(st.sampled_from(pool))))
        elif op == "duplicate":
            toks.insert(i, toks[i])
        elif op == "swap":
            j = draw(st.integers(0, len(toks) - 1), label="with")
            toks[i], toks[j] = toks[j], toks[i]
        elif op in ("truncate", "punctuation", "unicode"):
            joined = "".join(toks)
            cut = draw(st.integers(0, len(joined)), label="char")
            if op == "truncate":
                joined = joined[:cut]
            else:
                extra = draw(st.sampled_from("{}()[]<>.;,?$:#\"'\\@^|!&=*+-/~`")
                             if op == "punctuation" else hostile_text)
                joined = joined[:cut] + extra + joined[cut:]
            toks = tokens(joined)
        elif op == "flip":
            brackets = [k for k, t in enumerate(toks) if t in "{}()[]<>" and t]
            if brackets:
                k = draw(st.sampled_from(brackets))
                toks[k] = {"{": "}", "}": "{", "(": ")", ")": "(", "[": "]", "]": "[",
                           "<": ">", ">": "<"}[toks[k]]
        elif op == "glue":
            spaces = [k for k, t in enumerate(toks) if t.isspace()]
            if spaces:
                del toks[draw(st.sampled_from(spaces))]
        elif op == "inject" and injections:
            toks.insert(i, f" {draw(st.sampled_from(injections))} ")
    return "".join(toks)


@st.composite
def mutated_query(draw: st.DrawFn) -> str:
    """A curated query with one to four token-level mutations."""
    name = draw(st.sampled_from(sorted(QUERIES)), label="query")
    return _mutate(draw, QUERIES[name], SPARQL_TOKENS, INJECTIONS)


@st.composite
def mutated_turtle(draw: st.DrawFn, *, small: bool = False) -> str:
    """Turtle of the county plan with cuts and insertions.

    ``small``: the prefixes and a few statements only (validating a whole file takes
    seconds, a few statements a fraction of one).
    """
    text = TURTLE[draw(st.sampled_from(sorted(TURTLE)), label="file")]
    if small:
        lines = text.splitlines(keepends=True)
        head = "".join(ln for ln in lines if ln.startswith(("@prefix", "@base")))
        body = "".join(ln for ln in lines if not ln.startswith(("@prefix", "@base", "#")))
        statements = body.split(" .\n")
        start = draw(st.integers(0, max(len(statements) - 1, 0)))
        text = head + "\n\n" + " .\n".join(statements[start:start + draw(st.integers(1, 3))])
        text += " .\n"
    if draw(st.integers(0, 4)) == 2:
        text += "\n" + draw(st.sampled_from(TURTLE_STATEMENTS)) + "\n"
    return _mutate(draw, text, TURTLE_TOKENS + TURTLE_STATEMENTS, ())


def jsonld_document() -> st.SearchStrategy[str]:
    """JSON-LD, some with a remote ``@context`` (which must never be fetched)."""
    context = st.sampled_from([
        f'"{LISTENER}"', f'["{LISTENER}"]', f'{{"@import": "{LISTENER}"}}',
        '{"name": "http://schema.org/name"}', '{"@vocab": "urn:fuzz:"}', "null", "1", '"'])
    body = st.sampled_from(['"@id": "urn:fuzz:s", "name": "x"', '"@graph": []',
                            '"@id": "urn:fuzz:s", "@type": "urn:fuzz:T"', '"@included": 1',
                            '"name": {"@value": "x", "@direction": "rtl", "@language": "ar"}'])
    return st.builds(lambda c, b: f'{{"@context": {c}, {b}}}', context, body)


def rdf_file_text(*, small: bool = False) -> st.SearchStrategy[str | bytes]:
    """The content of an RDF file a user might hand to ``validate``, ``load`` or ``/shacl``."""
    return st.one_of(
        mutated_turtle(small=small),
        mutated_turtle(small=small),
        hostile_text,
        hostile_bytes,
        jsonld_document(),
        st.sampled_from(TURTLE_STATEMENTS),
        st.sampled_from([
            "", "<urn:a> <urn:b> <urn:c> .\n", "<urn:a> <urn:b> <urn:c> <urn:g> .\n",
            "<urn:g> { <urn:a> <urn:b> <urn:c> }\n",
            "<urn:g> { <urn:a> <urn:b> <urn:c> } <urn:h> { <urn:a> <urn:b> <<( <urn:a> "
            "<urn:b> <urn:c> )>> }\n",
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
            '-ns#"><rdf:Description rdf:about="urn:a"/></rdf:RDF>',
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "' + LISTENER + '">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
            '&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>',
        ]),
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


@st.composite
def rdf_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content) of a file handed to ``xsrv-kg validate`` or ``load``."""
    suffix = draw(st.sampled_from(RDF_SUFFIXES), label="suffix")
    return suffix, encode(draw(rdf_file_text(), label="content"))


