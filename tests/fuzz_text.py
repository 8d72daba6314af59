"""Hypothesis strategies for ``tests/test_fuzz.py``: hostile text, mutated queries and Turtle,
and RDF files (the requests that carry them: :mod:`tests.fuzz_requests`).

Everything is bounded (sizes, number of mutations) so that a fuzz run stays short. Query
texts that would call out (``SERVICE``, ``LOAD``, ``@context``) name :data:`LISTENER`; the
tests replace it with the URL of a loopback listener that records any connection.
"""

from __future__ import annotations

import re

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


@st.composite
def rdf_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content) of a file handed to ``xsrv-kg validate`` or ``load``."""
    suffix = draw(st.sampled_from(RDF_SUFFIXES), label="suffix")
    return suffix, encode(draw(rdf_file_text(), label="content"))
