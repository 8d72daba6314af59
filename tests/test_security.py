"""Web safety on a live ``xsrv-kg serve``: what a hostile label, URL or request can do.

- Text from the data (labels in zh and en, literals, validation messages quoting values)
  and from requests (query text, paths, parameters) is shown escaped on every page and
  error body: no markup gets through.
- No 4xx/5xx body carries a stack trace.
- Every response type (pages, JSON, RDF, results, static files, errors, preflights) has
  the safety headers; CORS is open for reads, never for writes.
- Path traversal on static files and entity routes is a 404 that never shows a file.
- The server fetches nothing on a client's behalf: LOAD, SERVICE (also inside updates),
  JSON-LD remote contexts and XML external entities never reach the network (a loopback
  listener records any connection).
- The URL and query-text caps: 414 and 413 in the format the client asked for.
"""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from xsrv_kg.config import Config
from xsrv_kg.server.app import create_app

from .live import serve

pytestmark = pytest.mark.slow

TOKEN = "security-token-123456"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_URL = 2048
MAX_QUERY = 1000
HTML = {"Accept": "text/html"}

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
#: The attack strings as they must appear in HTML: escaped (Jinja's, html.escape's or
#: ElementTree's escaping of quotes may differ, so only the angle brackets are pinned).
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BREAKOUT_ESCAPED = "&gt;&lt;img src=x onerror=alert(1)&gt;"

def q(text: str) -> str:
    """``text`` as a Turtle string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


EVIL = f"""
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix div: <https://w3id.org/xsrv-kg/id/division/> .
@prefix xp: <https://w3id.org/xsrv-kg/id/doc/xiushan-plan/> .
@prefix doc: <https://w3id.org/xsrv-kg/id/doc/> .
@prefix body: <https://w3id.org/xsrv-kg/id/body/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix time: <http://www.w3.org/2006/time#> .

@prefix dcterms: <http://purl.org/dc/terms/> .
doc:xiushan-plan a xsrv:PolicyDocument ; dcterms:spatial div:test-county ;
    rdfs:label {q("测试方案" + SCRIPT)}@zh , {q("Test plan" + BREAKOUT)}@en .
div:test-county a xsrv:CountyLevelDivision ; rdfs:label {q("测试县" + SCRIPT)}@zh ,
    {q("Test county" + BREAKOUT)}@en .
div:test-evil a xsrv:TownshipLevelDivision ;
    rdfs:label {q(SCRIPT)}@zh , {q(BREAKOUT)}@en ;
    rdfs:comment {q(SCRIPT + BREAKOUT)} , {q(BREAKOUT)}@zh ;
    skos:altLabel {q(SCRIPT)}@en ;
    schema:containedInPlace div:test-county .
xp:assign-test-evil a xsrv:CategoryAssignment ; xsrv:assignedUnit div:test-evil ;
    xsrv:assignedCategory xp:cat-pilot ; xsrv:statedBy doc:xiushan-plan .
xp:cat-pilot skos:prefLabel {q("先行示范类" + SCRIPT)}@zh , {q("pilot" + BREAKOUT)}@en ;
    skos:notation "1" .
xp:rule-evil a xsrv:FundRule ; rdfs:label {q(SCRIPT)}@zh , {q(BREAKOUT)}@en ;
    xsrv:statedBy doc:xiushan-plan ; xsrv:payer body:evil-finance ;
    xsrv:amount "1000"^^xsd:decimal ; xsrv:paymentBasis xsrv:basis-per-year ;
    xsrv:recipientCategory xp:cat-pilot ; xsrv:recipientLevel xsrv:TownshipLevelDivision ;
    time:hasDuration [ a time:Duration ; time:numericDuration 3 ; time:unitType time:unitYear ] .
body:evil-finance rdfs:label {q(SCRIPT)}@zh , {q(BREAKOUT)}@en .
# A code table entry whose code and county code the shapes quote in their messages.
<https://w3id.org/xsrv-kg/id/code/test-evil> a xsrv:CodeTableEntry ;
    skos:notation {q(SCRIPT)} ; xsrv:countyCode {q(BREAKOUT)} ; rdfs:label {q(SCRIPT)}@zh .
"""


@pytest.fixture(scope="module")
def evil_data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("evil")
    (folder / "evil.ttl").write_text(EVIL, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(evil_data: Path):
    """The hostile data, served with updates on, a short time limit and small caps."""
    with serve(str(evil_data), "--allow-update", "--time-limit", "1", "--max-body", "20000",
               token=TOKEN, env={"XSRV_MAX_URL_LENGTH": str(MAX_URL),
                                 "XSRV_MAX_QUERY_LENGTH": str(MAX_QUERY)}) as server:
        yield server


def raw(server, target: str, method: str = "GET",
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A request with exactly this request target (no client-side normalising of ``..``)."""
    port = urlsplit(server.url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --- hostile text is shown as text --------------------------------------------------------------

OWN_SCRIPT = re.compile(r'<script src="/static/[^"<>]+"></script>')
EVENT_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)


def assert_escaped(html: str, *, expect: tuple[str, ...] = ()) -> None:
    """No markup from the data or the request in ``html``: the only scripts are our own
    files, no tag has an event handler, and the attack strings appear escaped."""
    assert "<script" not in OWN_SCRIPT.sub("", html).lower()
    assert "<img" not in html.lower()
    assert not EVENT_ATTRIBUTE.search(html), EVENT_ATTRIBUTE.search(html)
    assert 'href="javascript:' not in html.lower()
    for shown in expect:
        assert shown in html, shown


@pytest.mark.parametrize(("lang", "expect"), [("zh", (SCRIPT_ESCAPED,)),
                                              ("en", (BREAKOUT_ESCAPED,))])
def test_resource_page_shows_labels_and_literals_as_text(site, lang: str,
                                                         expect: tuple[str, ...]) -> None:
    response = requests.get(site.url + "/id/division/test-evil", params={"lang": lang},
                            headers=HTML)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    # The comments (no language, and zh) are shown on both pages.
    assert_escaped(response.text, expect=(*expect, SCRIPT_ESCAPED, BREAKOUT_ESCAPED))


@pytest.mark.parametrize("path", ["/id/division/test-county", "/id/body/evil-finance",
                                  "/id/doc/xiushan-plan/rule-evil",
                                  "/id/doc/xiushan-plan/cat-pilot", "/id/code/test-evil"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_of_related_resources_escape_too(site, path: str, lang: str) -> None:
    response = requests.get(site.url + path, params={"lang": lang}, headers=HTML)
    assert response.status_code == 200, path
    assert_escaped(response.text)


@pytest.mark.parametrize(("lang", "shown"), [("zh", SCRIPT_ESCAPED), ("en", BREAKOUT_ESCAPED)])
def test_overview_escapes_labels_in_the_tree_the_table_and_the_chart(site, lang: str,
                                                                     shown: str) -> None:
    response = requests.get(site.url + "/overview", params={"lang": lang}, headers=HTML)
    assert response.status_code == 200
    assert_escaped(response.text, expect=(shown,))
    # The payer's label is in the chart (an inline SVG): escaped there as well.
    svg = response.text[response.text.index("<svg"):response.text.index("</svg>")]
    assert shown in svg


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validation_page_escapes_values_the_messages_quote(site, lang: str) -> None:
    response = requests.get(site.url + "/validation", params={"lang": lang}, headers=HTML)
    assert response.status_code == 200
    # The shapes quote the bad code ({$value}) in their messages: the value is shown escaped.
    assert_escaped(response.text, expect=(SCRIPT_ESCAPED, BREAKOUT_ESCAPED))
    report = requests.get(site.url + "/shacl", params={"lang": lang},
                          headers={"Accept": "application/json"}).json()
    assert any(SCRIPT in r["message"] for r in report["results"])  # the value is quoted


def test_shacl_html_report_escapes(site) -> None:
    response = requests.get(site.url + "/shacl", params={"format": "html"})
    assert response.status_code == 200
    assert_escaped(response.text, expect=(SCRIPT_ESCAPED,))
    posted = requests.post(site.url + "/shacl", params={"format": "html"},
                           data=(f'<http://example.org/x> a <https://w3id.org/xsrv-kg/ontology#'
                                 f'CodeTableEntry> ; <http://www.w3.org/2004/02/skos/core#'
                                 f'notation> "{SCRIPT}" .').encode(),
                           headers={"Content-Type": "text/turtle"})
    assert posted.status_code == 200
    assert_escaped(posted.text, expect=(SCRIPT_ESCAPED,))


@pytest.mark.parametrize("path", ["/", "/overview", "/validation", "/ontology", "/shapes",
                                  "/graph/evil"])
def test_every_other_page_has_only_our_scripts(site, path: str) -> None:
    response = requests.get(site.url + path, headers=HTML)
    assert response.status_code == 200, path
    assert_escaped(response.text)


ECHOES = [
    # (method, path, request arguments, whether the message repeats the hostile input)
    ("GET", "/sparql", {"params": {"query": f"SELECT * WHERE {{ {SCRIPT} }}"}}, False),
    ("GET", "/sparql", {"params": {"query": f'SELECT * WHERE {{ ?s ?p "{BREAKOUT}" . !!! }}'}},
     False),
    ("GET", "/sparql", {"params": {"query": "ASK {}", "format": SCRIPT}}, True),
    ("GET", "/sparql", {"params": {"query": f"SELECT * WHERE {{ SERVICE <http://x/{SCRIPT}> "
                                            "{ ?s ?p ?o } }"}}, False),
    ("GET", f"/id/division/{SCRIPT}", {}, True),
    ("GET", f"/graph/{BREAKOUT}", {}, True),
    ("GET", f"/static/{SCRIPT}", {}, False),
    ("GET", "/shacl", {"params": {"lang": SCRIPT}}, True),
    ("GET", "/shacl", {"params": {"format": BREAKOUT}}, True),
    ("POST", "/shacl", {"data": f"<a> <b> {SCRIPT} .".encode(),
                        "headers": {"Content-Type": "text/turtle"}}, False),
    ("POST", "/shacl", {"data": b"x", "headers": {"Content-Type": "text/<script>"}}, True),
    ("GET", "/store", {"params": {"graph": SCRIPT}}, True),
    ("PUT", "/store", {"params": {"graph": "http://example.org/g"},
                       "data": f"<a> <b> {BREAKOUT} .".encode(),
                       "headers": {**AUTH, "Content-Type": "text/turtle"}}, False),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "echoes"), ECHOES,
                         ids=[f"{e[0]}-{e[1]}-{i}" for i, e in enumerate(ECHOES)])
def test_error_pages_echo_input_escaped(site, method: str, path: str, kwargs: dict,
                                        echoes: bool) -> None:
    kwargs = dict(kwargs)
    headers = {**HTML, **kwargs.pop("headers", {})}
    response = requests.request(method, site.url + path, headers=headers, **kwargs)
    assert 400 <= response.status_code < 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert_escaped(response.text)
    if echoes:
        assert "&lt;" in response.text, response.text  # the input is there, as text


# --- no stack traces ---------------------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

#: Requests that fail, one per status the server gives.
FAILING = [
    (400, "GET", "/sparql", {"params": {"query": "SELECT nonsense"}}),
    (400, "GET", "/sparql", {"params": {"query": "ASK {}", "format": "yaml"}}),
    (400, "GET", "/sparql", {"params": {"query": "SELECT * { ?s ?p ?o }",
                                        "default-graph-uri": "not an iri"}}),
    (400, "POST", "/sparql", {"data": b"query=%FF", "headers": {
        "Content-Type": "application/x-www-form-urlencoded"}}),
    (401, "POST", "/sparql", {"data": {"update": "CLEAR ALL"}}),
    (403, "GET", "/sparql", {"params": {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"}}),
    (404, "GET", "/id/division/nowhere", {}),
    (404, "GET", "/no/such/page", {}),
    (404, "GET", "/static/nothing.js", {}),
    (404, "GET", "/store", {"params": {"graph": "http://example.org/none"}}),
    (405, "DELETE", "/sparql", {}),
    (405, "PUT", "/overview", {}),
    (406, "GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}),
    (413, "POST", "/sparql", {"data": b"#" + b"x" * 30_000, "headers": {
        "Content-Type": "application/sparql-query"}}),
    (413, "POST", "/sparql", {"data": {"query": "ASK {} #" + "x" * MAX_QUERY}}),
    (414, "GET", "/sparql", {"params": {"query": "ASK {} #" + "x" * MAX_URL}}),
    (415, "POST", "/sparql", {"data": b"ASK {}", "headers": {"Content-Type": "text/csv"}}),
    (415, "PUT", "/store", {"params": {"default": ""}, "data": b"x",
                            "headers": {**AUTH, "Content-Type": "text/csv"}}),
    (503, "GET", "/sparql", {"params": {"query": RUNAWAY}}),
]


@pytest.mark.parametrize(("status", "method", "path", "kwargs"), FAILING,
                         ids=[f"{f[0]}-{f[1]}-{f[2]}" for f in FAILING])
@pytest.mark.parametrize("accept", ["application/json", "text/html", "text/plain"])
def test_error_bodies_carry_no_stack_trace(site, status: int, method: str, path: str,
                                           kwargs: dict, accept: str) -> None:
    kwargs = dict(kwargs)
    headers = {"Accept": accept, **kwargs.pop("headers", {})}
    response = requests.request(method, site.url + path, headers=headers, timeout=30, **kwargs)
    assert response.status_code == status, response.text
    body = response.text
    # Parser messages say "line 1" legitimately; a trace would name a .py file and a line.
    assert "Traceback" not in body and 'File "/' not in body and "site-packages" not in body
    assert not re.search(r"\w+\.py\b", body), body
    if status != 406:  # asked for image/png: plain text
        assert response.headers["Content-Type"].startswith(accept)
    assert_security_headers(response.headers)


def test_an_unexpected_error_is_a_plain_500(tmp_path: Path, evil_data: Path, caplog) -> None:
    app = create_app(Config(data_paths=(evil_data,)), workers=False)

    @app.route("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/xsrv/config.py line 7")

    client = app.test_client()
    for accept in ("application/json", "text/html", "text/plain"):
        response = client.get("/boom", headers={"Accept": accept})
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "internal error" in body
        assert "secret detail" not in body and "Traceback" not in body
        assert_security_headers(response.headers)
    # The details go to the server log instead.
    assert "secret detail" in caplog.text


# --- safety headers on every response type ----------------------------------------------------

def assert_security_headers(headers) -> None:
    csp = headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no other origin
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    for sources in directives.values():
        assert not any(s in ("*", "http:", "https:") or "://" in s for s in sources), csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer",
                                          "strict-origin-when-cross-origin")


@pytest.mark.parametrize(("method", "path", "kwargs", "media"), [
    ("GET", "/", {"headers": HTML}, "text/html"),
    ("GET", "/overview", {"headers": HTML}, "text/html"),
    ("GET", "/id/division/test-evil", {"headers": HTML}, "text/html"),
    ("GET", "/overview.json", {}, "application/json"),
    ("GET", "/queries.json", {}, "application/json"),
    ("GET", "/id/division/test-evil.ttl", {}, "text/turtle"),
    ("GET", "/id/division/test-evil", {"headers": {"Accept": "application/ld+json"}},
     "application/ld+json"),
    ("GET", "/sparql", {"params": {"query": "SELECT * { ?s ?p ?o } LIMIT 1"}},
     "application/sparql-results+json"),
    ("GET", "/sparql", {"params": {"query": "SELECT * { ?s ?p ?o } LIMIT 1", "format": "csv"}},
     "text/csv"),
    ("GET", "/sparql", {}, "text/turtle"),
    ("GET", "/shacl", {"headers": {"Accept": "text/plain"}}, "text/plain"),
    ("GET", "/store", {"params": {"graph": "https://w3id.org/xsrv-kg/graph/evil"}},
     "text/turtle"),
    ("GET", "/static/xsrv.css", {}, "text/css"),
    ("GET", "/static/workbench.js", {}, None),
    ("HEAD", "/overview", {"headers": HTML}, "text/html"),
    ("OPTIONS", "/sparql", {}, None),
    ("OPTIONS", "/store", {}, None),
    ("GET", "/nowhere", {"headers": HTML}, "text/html"),
    ("GET", "/nowhere", {"headers": {"Accept": "application/json"}}, "application/json"),
    ("POST", "/sparql", {"data": {"update": "CLEAR SILENT GRAPH <http://example.org/none>"},
                         "headers": AUTH}, None),
])
def test_every_response_type_has_the_safety_headers(site, method: str, path: str,
                                                    kwargs: dict, media: str | None) -> None:
    response = requests.request(method, site.url + path, **kwargs)
    assert response.status_code < 500, response.text
    if media:
        assert response.headers["Content-Type"].split(";")[0] == media
    assert_security_headers(response.headers)


# --- CORS: reads yes, writes no -----------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("GET", "/sparql", {"params": {"query": "ASK {}"}}),
    ("HEAD", "/sparql", {"params": {"query": "ASK {}"}}),
    ("POST", "/sparql", {"data": {"query": "ASK {}"}}),
    ("GET", "/store", {"params": {"graph": "https://w3id.org/xsrv-kg/graph/evil"}}),
    ("HEAD", "/store", {}),
    ("GET", "/id/division/test-evil.jsonld", {}),
    ("GET", "/shacl", {"params": {"format": "json"}}),
    ("OPTIONS", "/sparql", {}),
    ("OPTIONS", "/store", {}),
])
def test_reads_are_open_to_other_origins(site, method: str, path: str, kwargs: dict) -> None:
    response = requests.request(method, site.url + path,
                                headers={"Origin": "https://elsewhere.example"}, **kwargs)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


WRITES = [
    ("POST", "/sparql", {"data": {"update": "CLEAR SILENT GRAPH <http://example.org/none>"}}),
    ("POST", "/sparql", {"data": b"CLEAR SILENT GRAPH <http://example.org/none>",
                         "headers": {"Content-Type": "application/sparql-update"}}),
    ("PUT", "/store", {"params": {"graph": "http://example.org/cors"},
                       "data": b"<http://example.org/a> <http://example.org/b> 1 .",
                       "headers": {"Content-Type": "text/turtle"}}),
    ("POST", "/store", {"params": {"graph": "http://example.org/cors"},
                        "data": b"<http://example.org/a> <http://example.org/b> 2 .",
                        "headers": {"Content-Type": "text/turtle"}}),
    ("DELETE", "/store", {"params": {"graph": "http://example.org/cors"}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES,
                         ids=[f"{w[0]}-{w[1]}-{i}" for i, w in enumerate(WRITES)])
@pytest.mark.parametrize("authorized", [True, False])
def test_writes_are_closed_to_other_origins(site, method: str, path: str, kwargs: dict,
                                            authorized: bool) -> None:
    kwargs = dict(kwargs)
    headers = {"Origin": "https://elsewhere.example", **kwargs.pop("headers", {})}
    if authorized:
        headers.update(AUTH)
    response = requests.request(method, site.url + path, headers=headers, **kwargs)
    assert response.status_code in ((201, 204) if authorized else (401,)), response.text
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("path", ["/sparql", "/store"])
def test_preflight_never_lets_the_token_through(site, path: str) -> None:
    response = requests.options(site.url + path, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type"})
    allowed_headers = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" not in allowed_headers
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert not methods & {"PUT", "DELETE", "PATCH"}
    if path == "/store":
        assert "POST" not in methods  # a POST to /store is always a write


# --- path traversal ----------------------------------------------------------------------------

STATIC_TRAVERSALS = [
    "/static/../xsrv_kg/config.py",
    "/static/%2e%2e/xsrv_kg/config.py",
    "/static/%2e%2e%2fxsrv_kg%2fconfig.py",
    "/static/..%2fxsrv_kg%2fconfig.py",
    "/static/%252e%252e%252fxsrv_kg%252fconfig.py",
    "/static/..\\xsrv_kg\\config.py",
    "/static/..%5cxsrv_kg%5cconfig.py",
    "/static/vendor/../../xsrv_kg/config.py",
    "/static/vendor/yasgui-4.6.2/../../../xsrv_kg/config.py",
    "/static/%c0%ae%c0%ae/xsrv_kg/config.py",
    "/static/..%00/xsrv_kg/config.py",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/C:\\Windows\\win.ini",
    "/static/file:///etc/passwd",
    "/../xsrv_kg/config.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd",
]
ENTITY_TRAVERSALS = [
    "/id/../../etc/passwd",
    "/id/%2e%2e/%2e%2e/etc/passwd",
    "/id/..%2f..%2fetc%2fpasswd",
    "/id/%252e%252e%252fetc%252fpasswd",
    "/id/..\\..\\etc\\passwd",
    "/id/..%5c..%5cetc%5cpasswd",
    "/id//etc/passwd",
    "/id/%2fetc%2fpasswd",
    "/id/division/../../../xsrv_kg/config.py",
    "/id/division/..",
    "/id/division/%00",
    "/graph/../../etc/passwd",
    "/graph/%2e%2e/%2e%2e/xsrv_kg/config.py",
    "/ontology/../../etc/passwd",
    "/ontology/%2e%2e%2f%2e%2e%2fxsrv_kg%2fconfig.py",
    "/shapes/../../xsrv_kg/config.py",
]
LEAKS = (b"root:", b"class Config", b"XSRV_", b"[fonts]", b"import ")


@pytest.mark.parametrize("target", STATIC_TRAVERSALS + ENTITY_TRAVERSALS)
def test_path_traversal_is_404_and_never_a_file(site, target: str) -> None:
    for accept in ("text/html", "*/*", "text/turtle"):
        status, headers, body = raw(site, target, headers={"Accept": accept})
        assert status == 404, (target, status, headers.get("Location"))
        assert not any(leak in body for leak in LEAKS), body[:200]
    assert raw(site, "/static/xsrv.css")[0] == 200  # the static route itself works


# --- the server fetches nothing on a client's behalf --------------------------------------------

def test_load_never_contacts_the_source(site, listener) -> None:
    url, contacted = listener
    for update in (f"LOAD <{url}>",
                   f"LOAD SILENT <{url}>",
                   f"LOAD <{url}> INTO GRAPH <http://example.org/loaded>",
                   f"INSERT DATA {{ <http://example.org/a> <http://example.org/b> 1 }} ;\n"
                   f"load <{url}>"):
        for send in ({"data": {"update": update}},
                     {"data": update.encode(),
                      "headers": {"Content-Type": "application/sparql-update"}}):
            send = dict(send)
            headers = {**AUTH, **send.pop("headers", {})}
            response = requests.post(site.sparql, headers=headers, timeout=30, **send)
            assert response.status_code == 403, update
            assert "LOAD is refused" in response.text
    assert contacted == []
    # The update with an INSERT before its LOAD was refused whole.
    ask = requests.get(site.sparql, params={"query": "ASK { <http://example.org/a> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_service_inside_an_update_never_contacts_the_endpoint(site, listener) -> None:
    url, contacted = listener
    update = (f"INSERT {{ GRAPH <http://example.org/s> {{ ?s ?p ?o }} }} "
              f"WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    response = requests.post(site.sparql, data={"update": update}, headers=AUTH, timeout=30)
    assert response.status_code == 403
    assert f"SERVICE {url} is not allowed" in response.text
    assert contacted == []


def remote_context_documents(url: str) -> list[object]:
    """JSON-LD documents that need a remote context, in each way one can be named."""
    return [
        {"@context": url, "@id": "http://example.org/a", "name": "x"},
        {"@context": [url, {"ex": "http://example.org/"}], "@id": "ex:a"},
        {"@context": {"@import": url}, "@id": "http://example.org/a"},
        # A scoped context, deep inside.
        {"@context": {"ex": "http://example.org/"},
         "@graph": [{"@id": "ex:a", "ex:p": {"@context": url, "@id": "ex:b"}}]},
    ]


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_graph_store_never_fetches_a_json_ld_remote_context(site, listener,
                                                            method: str) -> None:
    url, contacted = listener
    graph = "http://example.org/remote-context"
    for doc in remote_context_documents(url):
        response = requests.request(method, site.url + "/store", params={"graph": graph},
                                    data=json.dumps(doc).encode(),
                                    headers={**AUTH, "Content-Type": "application/ld+json",
                                             "Accept": "application/json"}, timeout=30)
        assert response.status_code == 400, doc
        message = response.json()["error"]["message"]
        assert "remote contexts are not fetched" in message and url in message
    # To the dataset (no ?graph) as well.
    response = requests.post(site.url + "/store", data=json.dumps(
        remote_context_documents(url)[0]).encode(),
        headers={**AUTH, "Content-Type": "application/ld+json"}, timeout=30)
    assert response.status_code == 400 and "remote contexts are not fetched" in response.text
    assert requests.get(site.url + "/store", params={"graph": graph}).status_code == 404
    assert contacted == []


def test_shacl_never_fetches_a_json_ld_remote_context(site, listener) -> None:
    url, contacted = listener
    for doc in remote_context_documents(url):
        response = requests.post(site.url + "/shacl", data=json.dumps(doc).encode(),
                                 headers={"Content-Type": "application/ld+json",
                                          "Accept": "application/json"}, timeout=30)
        assert response.status_code == 400, doc
        assert "remote contexts are not fetched" in response.json()["error"]["message"]
    assert contacted == []


def test_xml_external_entities_are_never_fetched(site, listener) -> None:
    url, contacted = listener
    for entity in (f'<!ENTITY x SYSTEM "{url}">', f'<!ENTITY % x SYSTEM "{url}"> %x;'):
        xml = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{entity}]>\n'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
               'xmlns:ex="http://example.org/">\n'
               '<rdf:Description rdf:about="http://example.org/a"><ex:p>&x;</ex:p>'
               "</rdf:Description></rdf:RDF>\n").encode()
        for path, params, headers in (
                ("/store", {"graph": "http://example.org/xxe"}, AUTH),
                ("/shacl", {}, {})):
            response = requests.post(site.url + path, params=params, data=xml, timeout=30,
                                     headers={**headers, "Content-Type": "application/rdf+xml"})
            assert response.status_code == 400, (path, response.text)
    assert contacted == []


# --- the URL and query-text caps ---------------------------------------------------------------

@pytest.mark.parametrize(("accept", "media"), [
    ("application/json", "application/json"),
    ("application/sparql-results+json", "application/json"),
    ("text/html", "text/html"),
    ("text/plain", "text/plain"),
    ("text/csv", "text/plain"),
])
def test_a_url_over_the_cap_is_414_in_the_format_asked_for(site, accept: str,
                                                           media: str) -> None:
    query = "ASK {} #" + "x" * MAX_URL
    response = requests.get(site.sparql, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 414
    assert response.headers["Content-Type"].split(";")[0] == media
    assert f"at most {MAX_URL}" in response.text and "--max-url-length" in response.text
    if media == "application/json":
        assert response.json()["error"]["type"] == "uri-too-long"


@pytest.mark.parametrize("path", ["/id/division/", "/static/", "/no/such/", "/store?graph="])
def test_the_url_cap_applies_to_every_path(site, path: str) -> None:
    target = path + "a" * MAX_URL
    status, _, body = raw(site, target, headers={"Accept": "text/plain"})
    assert status == 414 and f"at most {MAX_URL}" in body.decode()


def test_a_url_at_the_cap_is_served(site) -> None:
    prefix = "/sparql?query=ASK%20%7B%7D&padding="
    target = prefix + "x" * (MAX_URL - len(prefix))
    assert len(target) == MAX_URL
    status, _, body = raw(site, target, headers={"Accept": "application/json"})
    assert status == 200, body
    assert raw(site, target + "x", headers={"Accept": "application/json"})[0] == 414


@pytest.mark.parametrize("how", ["form", "direct"])
def test_a_query_over_the_length_cap_is_413(site, how: str) -> None:
    at_cap = "ASK {} #" + "x" * (MAX_QUERY - 8)
    assert len(at_cap) == MAX_QUERY
    for text, status in ((at_cap, 200), (at_cap + "x", 413)):
        if how == "form":
            response = requests.post(site.sparql, data={"query": text},
                                     headers={"Accept": "application/json"})
        else:
            response = requests.post(site.sparql, data=text.encode(), headers={
                "Content-Type": "application/sparql-query", "Accept": "application/json"})
        assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == "query-too-long"
    assert error["message"] == (f"the query is {MAX_QUERY + 1} characters long; this endpoint "
                                f"accepts at most {MAX_QUERY} (--max-query-length, "
                                "XSRV_MAX_QUERY_LENGTH)")


def test_an_update_over_the_length_cap_is_413_but_only_once_authorized(site) -> None:
    update = "CLEAR SILENT GRAPH <http://example.org/none> #" + "x" * MAX_QUERY
    assert requests.post(site.sparql, data={"update": update}).status_code == 401
    response = requests.post(site.sparql, data={"update": update}, headers=AUTH)
    assert response.status_code == 413 and "the update is" in response.text


def test_the_caps_are_in_the_service_description(site) -> None:
    text = requests.get(site.sparql, headers={"Accept": "text/turtle"}).text
    assert f"xsrv:maxQueryLength {MAX_QUERY}" in text
    assert f"xsrv:maxUrlLength {MAX_URL}" in text
    assert "xsrv:maxRequestBytes 20000" in text
    assert 'xsrv:queryTimeLimit "1"^^xsd:decimal' in text
