"""Property-based fuzzing (hypothesis): hostile input never breaks the service or its data.

- ``/sparql``, ``POST /shacl`` and ``/store`` answer random bytes, hostile Unicode, PREFIX
  floods and mutated curated queries and Turtle (GET, form POST, direct POST; random
  Content-Type, Accept, Authorization and parameters) with a status below 500 (or 503 for
  the time limit), never with a traceback, and with a body that parses as the format it
  claims; no request changes the data or reaches the network (SERVICE, LOAD, JSON-LD
  contexts and XML entities name a loopback listener that must stay silent). Most examples
  run on the in-process app (with worker processes and a 1.5 s time limit: a mutated query
  can be slow); fewer run against a live ``xsrv-kg serve --allow-update`` without the token.
- ``xsrv-kg validate`` and ``xsrv-kg load --store oxigraph:DIR`` on random files exit 0/1
  (valid RDF) or 2 with ``xsrv-kg: error: <file>…``, never a traceback, and a failed load
  leaves the store exactly as it was.

Runs are reproducible (``derandomize``). ``XSRV_FUZZ_SCALE=10`` runs ten times as many
examples, ``XSRV_FUZZ_RANDOM=1`` new ones each time, ``XSRV_FUZZ_NO_SHRINK=1`` reports a
failure without minimizing it (minimizing can take minutes when examples are slow).

The ten bugs the fuzzing found (now fixed) are kept, minimized, as regression tests at the
end.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from click.testing import Result
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings

from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.server.app import create_app

from .conftest import Runner
from .fuzz_requests import (
    TOKEN,
    Request,
    shacl_request,
    sparql_request,
    store_request,
    urlencoded,
)
from .fuzz_text import LISTENER, TURTLE, rdf_file
from .live import serve

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

SCALE = float(os.environ.get("XSRV_FUZZ_SCALE", "1"))
SOURCE_TEXT = DEFAULT_HOME / "data" / "documents" / "xiushan-plan" / "source.txt"
TIME_LIMIT = 1.5


def fuzz(examples: int) -> Callable:
    """Hypothesis settings for a bounded, reproducible run of about ``examples`` examples."""
    return settings(max_examples=max(1, round(examples * SCALE)), deadline=None,
                    derandomize=not os.environ.get("XSRV_FUZZ_RANDOM"), database=None,
                    print_blob=False, suppress_health_check=list(HealthCheck),
                    **({"phases": [Phase.explicit, Phase.generate]}
                       if os.environ.get("XSRV_FUZZ_NO_SHRINK") else {}))


# --- what every answer must satisfy ---------------------------------------------------------

TRACEBACK_MARKS = ("Traceback", 'File "')
#: The only 5xx allowed: the time limit (the query stopped, or every worker was still busy).
TIME_LIMIT_MESSAGE = re.compile(r"time limit|stayed busy for")

_RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
              "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/trig": ox.RdfFormat.TRIG,
              "application/n-quads": ox.RdfFormat.N_QUADS}


def check_answer(status: int, headers, body: bytes, request: Request) -> None:
    """Assert what every answer satisfies."""
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    content_type = headers.get("Content-Type", "").split(";")[0].strip()
    text = body.decode("utf-8", "replace")
    assert status < 500 or (status == 503 and TIME_LIMIT_MESSAGE.search(text)), (
        f"{status} for {request}:\n{text[:800]}")
    if status >= 400:
        for mark in TRACEBACK_MARKS:
            assert mark not in text, f"a traceback in the error body for {request}:\n{text}"
    if status == 200 and request.method != "HEAD":
        check_body(content_type, body, request)


def check_body(content_type: str, body: bytes, request: Request) -> None:
    """A 200's body is what its Content-Type says."""
    try:
        text = body.decode("utf-8")
        if content_type.endswith("json") and content_type != "application/ld+json":
            json.loads(text)
        elif content_type == "application/sparql-results+xml":
            ET.fromstring(body)
        elif content_type in _RDF_TYPES:
            list(ox.parse(body, format=_RDF_TYPES[content_type]))
    except (ValueError, SyntaxError, ET.ParseError) as exc:
        raise AssertionError(f"a 200 whose {content_type} body does not parse ({exc}) for "
                             f"{request}:\n{body[:800]!r}") from exc


def located(request: Request, url: str) -> Request:
    """``request`` with the listener placeholder replaced by the listener's real URL."""
    encoded, real = quote(LISTENER, safe=""), quote(url, safe="")
    return Request(
        request.method, request.path,
        request.query_string.replace(LISTENER, url).replace(encoded, real),
        request.body.replace(LISTENER.encode(), url.encode())
        .replace(encoded.encode(), real.encode()),
        request.headers, request.note)


def send_in_process(app: Flask, request: Request):
    """Send through Flask's test client; the query string goes as it is (not re-encoded)."""
    return app.test_client().open(
        request.path, method=request.method, data=request.body, headers=request.headers,
        environ_overrides={"QUERY_STRING": request.query_string})


def send_live(session: requests.Session, base: str, request: Request) -> requests.Response:
    # Over the wire a header is bytes: send the UTF-8 of the text (http.client would refuse
    # what latin-1 cannot encode, and requests refuses leading and trailing whitespace).
    headers = {k: v.strip().encode("utf-8", "surrogatepass") for k, v in request.headers.items()}
    return session.request(request.method, base + request.url_suffix(),
                           data=request.body or None, headers=headers, timeout=60)


def store_fingerprint(app: Flask) -> tuple[int, str]:
    """(quads, SHA-256 of the sorted N-Quads) of the app's store."""
    lines = sorted(app.extensions["xsrv"].store.dump(ox.RdfFormat.N_QUADS).splitlines())
    return len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest()


def http_fingerprint(base: str) -> tuple[int, str]:
    """(quads, SHA-256 of the sorted N-Quads) of the whole dataset, read from ``/store``."""
    response = requests.get(base + "/store", headers={"Accept": "application/n-quads"},
                            timeout=60)
    assert response.status_code == 200, response.text
    lines = sorted(response.content.splitlines())
    return len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest()


# --- the in-process apps --------------------------------------------------------------------

def _app(**settings_: object) -> Iterator[Flask]:
    config = Config(time_limit=TIME_LIMIT, max_rows=10_000, **settings_)
    app = create_app(config, workers=True)
    yield app
    app.extensions["xsrv"].close()


@pytest.fixture(scope="module")
def read_only_app() -> Iterator[Flask]:
    """The project, served without updates, with a short time limit."""
    yield from _app(workers=2)


@pytest.fixture(scope="module")
def update_app() -> Iterator[Flask]:
    """The project, served with updates enabled (the fuzzer never has the token)."""
    yield from _app(workers=1, allow_update=True, update_token=TOKEN)


def _fuzz_app(app: Flask, strategy, examples: int, listener) -> Counter[str]:
    """Send about ``examples`` requests; return how many got each status, which ``pytest -s``
    shows."""
    url, contacted = listener
    seen: Counter[str] = Counter()
    store = app.extensions["xsrv"].store
    before = store_fingerprint(app)
    state = (len(store), store.version)

    @fuzz(examples)
    @given(strategy)
    def run(request: Request) -> None:
        request = located(request, url)
        response = send_in_process(app, request)
        check_answer(response.status_code, response.headers, response.get_data(), request)
        seen[str(response.status_code)] += 1
        assert response.status_code not in (201, 204), f"a write was accepted: {request}"
        assert (len(store), store.version) == state, f"the store changed after {request}"
        assert not contacted, f"a request reached the network: {request}"

    run()
    time.sleep(0.3)  # a late connection would be recorded by now
    assert not contacted, "a request reached the network"
    assert store_fingerprint(app) == before
    print(f"statuses: {dict(sorted(seen.items()))}")
    return seen


@pytest.mark.slow
def test_sparql_survives_hostile_queries(read_only_app: Flask, listener) -> None:
    seen = _fuzz_app(read_only_app, sparql_request(), 300, listener)
    assert seen["200"] and seen["400"]  # some queries ran, some did not parse


@pytest.mark.slow
def test_updates_are_refused_without_allow_update(read_only_app: Flask, listener) -> None:
    _fuzz_app(read_only_app, sparql_request(updates=True), 80, listener)


@pytest.mark.slow
def test_updates_are_refused_without_the_token(update_app: Flask, listener) -> None:
    _fuzz_app(update_app, sparql_request(updates=True), 100, listener)
    # The fingerprint does see a change: the token's holder can still write.
    before = store_fingerprint(update_app)
    response = send_in_process(update_app, Request(
        "POST", "/sparql", "", b"INSERT DATA { <urn:fuzz:s> <urn:fuzz:p> <urn:fuzz:o> }",
        {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}))
    assert response.status_code == 204
    assert store_fingerprint(update_app) != before


@pytest.mark.slow
def test_graph_store_writes_are_refused(read_only_app: Flask, update_app: Flask,
                                        listener) -> None:
    _fuzz_app(read_only_app, store_request(), 30, listener)
    _fuzz_app(update_app, store_request(), 30, listener)


@pytest.mark.slow
def test_shacl_survives_hostile_payloads(read_only_app: Flask, listener) -> None:
    _fuzz_app(read_only_app, shacl_request(), 40, listener)


# --- a live server: the time limit, and the same properties over the wire -------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def live_update_server():
    """``xsrv-kg serve --allow-update`` with a 1 s time limit."""
    with serve("--allow-update", "--time-limit", "1", "--workers", "2", "--max-rows", "10000",
               token=TOKEN, env={"XSRV_SERVICE_ALLOW_LIST": ""}) as server:
        yield server


@pytest.mark.slow
def test_live_server_survives_hostile_requests(live_update_server, listener) -> None:
    url, contacted = listener
    base = live_update_server.url
    before = http_fingerprint(base)
    session = requests.Session()
    session.headers.clear()

    slow = session.post(live_update_server.sparql, data={"query": SLOW}, timeout=60)
    assert slow.status_code == 503, slow.text
    assert "time limit" in slow.text and slow.headers["Retry-After"]

    def one(request: Request) -> None:
        request = located(request, url)
        response = send_live(session, base, request)
        headers = dict(response.headers)
        headers.pop("Content-Encoding", None)  # requests has decompressed the body
        check_answer(response.status_code, headers, response.content, request)
        assert response.status_code not in (201, 204), f"a write was accepted: {request}"
        assert not contacted, f"a request reached the network: {request}"

    fuzz(40)(given(sparql_request(raw_query_strings=False))(one))()
    fuzz(10)(given(store_request())(one))()
    fuzz(10)(given(shacl_request())(one))()
    time.sleep(0.3)
    assert not contacted
    assert http_fingerprint(base) == before
    # Still answering, with a worker for every query.
    for _ in range(3):
        ok = session.get(live_update_server.sparql, params={"query": "ASK {}"}, timeout=60)
        assert ok.status_code == 200, ok.text


# --- the command line: validate and load on random files ------------------------------------

def cli(*args: str) -> Result:
    """``xsrv-kg ARGS`` in this process; an exception is kept for :func:`check_cli` to judge."""
    return Runner().invoke(args=list(args), catch_exceptions=True)


def export(store_dir: Path) -> bytes:
    result = cli("export", "--store", f"oxigraph:{store_dir}", "--format", "nquads")
    assert result.exit_code == 0, result.stderr
    return b"\n".join(sorted(result.stdout_bytes.splitlines()))


@pytest.fixture(scope="module")
def pristine_store(tmp_path_factory) -> Path:
    """An on-disk store holding the project, as ``xsrv-kg load --store oxigraph:DIR`` left it."""
    folder = tmp_path_factory.mktemp("pristine") / "store"
    result = cli("load", "--store", f"oxigraph:{folder}")
    assert result.exit_code == 0, result.stderr
    return folder


def check_cli(result: Result, path: Path, ok: tuple[int, ...], what: str) -> None:
    shown = f"{what} {path.name}: exit {result.exit_code}\n{result.stderr}{result.stdout[:400]}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\n{result.exception!r}")
    for mark in TRACEBACK_MARKS:
        assert mark not in result.stderr and mark not in result.stdout, shown
    if result.exit_code in ok:
        return
    assert result.exit_code == 2, shown
    assert result.stderr.startswith("xsrv-kg: error: "), shown
    assert str(path) in result.stderr, f"the message does not name the file: {shown}"
    assert len(result.stderr.splitlines()) <= 3, shown


@pytest.mark.slow
def test_validate_and_load_refuse_broken_files(tmp_path: Path, pristine_store: Path,
                                               listener) -> None:
    url, contacted = listener
    work = tmp_path / "store"
    shutil.copytree(pristine_store, work)
    before = export(work)
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SOURCE_TEXT, files / "source.txt")  # for xsrv:sourceFile "source.txt"
    dirty = []

    @fuzz(25)
    @given(rdf_file())
    def run(file: tuple[str, bytes]) -> None:
        suffix, content = file
        if dirty:  # the last example loaded a valid file: start again from the project
            shutil.rmtree(work)
            shutil.copytree(pristine_store, work)
            dirty.clear()
        path = files / f"fuzz{suffix}"
        path.write_bytes(content.replace(LISTENER.encode(), url.encode()))
        validated = cli("validate", str(path))
        check_cli(validated, path, (0, 1), "validate")
        loaded = cli("load", str(path), "--store", f"oxigraph:{work}")
        check_cli(loaded, path, (0,), "load")
        if loaded.exit_code == 0:
            dirty.append(path)
        else:
            assert export(work) == before, f"a failed load changed the store: {path.name}"
        # Both read the file the same way: it parses for both or for neither.
        assert (validated.exit_code == 2) == (loaded.exit_code == 2), (
            f"validate exit {validated.exit_code}, load exit {loaded.exit_code}: "
            f"{validated.stderr}{loaded.stderr}")
        assert not contacted, f"reading {path.name} reached the network"

    run()


@pytest.mark.slow
def test_cli_in_a_subprocess(tmp_path: Path, pristine_store: Path, listener) -> None:
    """A few broken files through the real ``xsrv-kg`` process (its own stderr, exit code)."""
    url, contacted = listener
    work = tmp_path / "store"
    shutil.copytree(pristine_store, work)
    before = export(work)
    store = ["--store", f"oxigraph:{work}"]
    remote = f'{{"@context": "{url}", "@id": "urn:a", "name": "x"}}'.encode()
    runs = [
        ("junk.ttl", b"\x00\xff\xfe garbage \xed\xa0\x80 .", ["validate"]),
        ("cut.trig", TURTLE["funding.ttl"][:5000].encode(), ["load", *store]),
        ("remote.jsonld", remote, ["validate"]),
        ("remote.jsonld", remote, ["load", *store]),
    ]
    for name, content, (command, *options) in runs:
        path = tmp_path / name
        path.write_bytes(content)
        done = subprocess.run([sys.executable, "-m", "xsrv_kg", command, str(path), *options],
                              capture_output=True, timeout=120, cwd=tmp_path)
        stderr = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 2, stderr
        assert stderr.startswith(f"xsrv-kg: error: {path}"), stderr
        assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr, stderr
    assert export(work) == before
    assert not contacted


# --- the bugs the fuzzing found, minimized (fixed; kept as regression tests) ------------------
# Each asserts the exact status or exit code its name gives, and that the message names the
# problem (the README: 400 for a malformed request, 406 for nothing acceptable, 502 for a
# failing remote endpoint; exit 2 for bad input, naming the file).

def _get(app: Flask, query: str, accept: str = "*/*"):
    return send_in_process(app, Request("GET", "/sparql", urlencoded([("query", query)]), b"",
                                        {"Accept": accept}))


def error_of(response) -> dict[str, object]:
    """The JSON error body: ``{"status": …, "type": …, "message": …}``."""
    assert response.mimetype == "application/json", response.get_data()[:300]
    return response.get_json()["error"]


def test_service_right_after_a_dot_is_still_checked(read_only_app: Flask, listener) -> None:
    url, contacted = listener
    response = _get(read_only_app, f"ASK {{ ?s ?p ?o .SERVICE <{url}> {{ ?a ?b ?c }} }}")
    time.sleep(0.3)
    assert (response.status_code, bool(contacted)) == (403, False), response.get_data()[:300]


@pytest.mark.parametrize(("query", "depth"), [
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, 5000),  # 10 KB
    ("ASK { " + "FILTER EXISTS { " * 1000 + "}" * 1000 + " }", 1001),  # 17 KB
], ids=["5000-groups", "1000-exists"])
def test_deeply_nested_query_is_a_400_before_parsing(read_only_app: Flask, query: str,
                                                     depth: int) -> None:
    response = send_in_process(read_only_app, Request(
        "POST", "/sparql", "", query.encode(), {"Content-Type": "application/sparql-query"}))
    assert response.status_code == 400, response.get_data()[:300]
    error = error_of(response)
    assert error["type"] == "bad-input"
    assert f"nests groups, brackets or parentheses {depth} deep" in error["message"]
    assert "at most 256 levels" in error["message"]


def test_allowed_service_that_fails_is_a_502() -> None:
    # With the endpoint on the allow-list, as an operator would configure it.
    config = Config(service_allow_list=("http://127.0.0.1:1/x",))
    app = create_app(config, workers=False)
    try:
        for query in ("ASK { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
                      "SELECT * { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }"):
            response = _get(app, query)
            assert response.status_code == 502, response.get_data()[:300]
            error = error_of(response)
            assert error["type"] == "upstream-error"
            assert "a SERVICE endpoint of the query failed" in error["message"]
    finally:
        app.extensions["xsrv"].close()


def test_triple_term_result_as_jsonld_is_a_406(read_only_app: Flask) -> None:
    response = _get(read_only_app, "CONSTRUCT { <urn:s> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>> "
                    "} WHERE {}", "application/ld+json")
    assert response.status_code == 406, response.get_data()[:300]
    error = error_of(response)
    assert error["type"] == "not-acceptable"
    assert "JSON-LD does not support RDF 1.2" in error["message"]
    assert "ask for Turtle or N-Triples" in error["message"]


@pytest.mark.parametrize(("query", "accept"), [
    ('SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }', "application/sparql-results+xml"),
    ('CONSTRUCT { <urn:s> <urn:p> "a\\u0001b" } WHERE {}', "application/rdf+xml"),
    ('CONSTRUCT { <urn:s> <http://example.org/> "x" } WHERE {}', "application/rdf+xml"),
], ids=["srx-control-char", "rdfxml-control-char", "rdfxml-no-local-name"])
def test_result_xml_cannot_carry_is_a_406(read_only_app: Flask, query: str,
                                          accept: str) -> None:
    response = _get(read_only_app, query, accept)
    # XML 1.0 cannot carry U+0001, and pyoxigraph's RDF/XML cannot split <http://example.org/>:
    # the client is told to ask for another format rather than sent XML that does not parse.
    assert response.status_code == 406, response.get_data()[:300]
    assert b"ask for" in response.get_data()


@pytest.mark.parametrize(("body", "problem"), [
    (b"<urn:s> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>> .", "RDF 1.2 triple terms"),
    (b'<urn:s> <urn:p> "x"@en--ltr .', "RDF 1.2 directional language tags"),
], ids=["triple-term", "direction"])
def test_shacl_rdf12_payload_is_a_400(read_only_app: Flask, body: bytes, problem: str) -> None:
    response = send_in_process(read_only_app, Request("POST", "/shacl", "", body,
                                                      {"Content-Type": "text/turtle"}))
    assert response.status_code == 400, response.get_data()[:300]
    error = error_of(response)
    assert error["type"] == "bad-input"
    assert f"{problem} are not supported" in error["message"]


@pytest.mark.parametrize(("statement", "problem"), [
    ("<urn:s> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>> .", "RDF 1.2 triple terms"),
    ('<urn:s> <urn:p> "x"@en--ltr .', "RDF 1.2 directional language tags"),
], ids=["triple-term", "direction"])
def test_validate_rdf12_file_exits_2(tmp_path: Path, statement: str, problem: str) -> None:
    path = tmp_path / "rdf12.ttl"
    path.write_text(statement + "\n", encoding="utf-8")
    result = cli("validate", str(path))
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert result.stderr.startswith(f"xsrv-kg: error: {path}: {problem} are not supported"), \
        result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_load_triple_term_error_names_the_file(tmp_path: Path, pristine_store: Path) -> None:
    work = tmp_path / "store"
    shutil.copytree(pristine_store, work)
    path = tmp_path / "rdf12.ttl"
    path.write_text("<urn:s> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>> .\n", encoding="utf-8")
    result = cli("load", str(path), "--store", f"oxigraph:{work}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"xsrv-kg: error: {path}: RDF 1.2 triple terms "
                                    "are not supported"), result.stderr


def test_refused_load_writes_no_graph(tmp_path: Path, pristine_store: Path) -> None:
    work = tmp_path / "store"
    shutil.copytree(pristine_store, work)
    before = export(work)
    path = tmp_path / "two.trig"
    path.write_text("<urn:g1> { <urn:a> <urn:b> <urn:c> }\n"
                    "<urn:g2> { <urn:a> <urn:b> <<( <urn:a> <urn:b> <urn:c> )>> }\n",
                    encoding="utf-8")
    result = cli("load", str(path), "--store", f"oxigraph:{work}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"xsrv-kg: error: {path}: RDF 1.2 triple terms"), \
        result.stderr
    assert export(work) == before  # not even <urn:g1>, which parsed before the error


def test_rdfxml_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "turtle.rdf"
    path.write_text(TURTLE["funding.ttl"], encoding="utf-8")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
