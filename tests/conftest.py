"""Shared fixtures: the project loaded once into the embedded store, and SPARQL helpers."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from xsrv_kg import vocab
from xsrv_kg.cli import main
from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.server.app import create_app
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import Store, open_store
from xsrv_kg.validation import Report, validate

SEED = DEFAULT_HOME.parent / "shared" / "seed" / "000_c416f54d749dc5ec.txt"
SOURCE = DEFAULT_HOME / "data" / "documents" / "xiushan-plan" / "source.txt"


def value(term: ox.Literal | ox.NamedNode | ox.BlankNode | None) -> object:
    """A SPARQL term as a plain Python value (numbers as int or str of decimal)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt in {"integer", "nonNegativeInteger", "int"}:
            return int(term.value)
        return term.value
    return term.value


def rows(store: Store, query: str) -> list[dict[str, object]]:
    """Run a SELECT (project prefixes pre-declared) and return its rows as dicts."""
    result = store.query(query, prefixes=vocab.PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: value(solution[n]) for n in names} for solution in result]


def column(store: Store, query: str) -> list[object]:
    """The single column of a SELECT, as a list."""
    return [next(iter(r.values())) for r in rows(store, query)]


def solutions(result) -> object:
    """A result as comparable plain data (terms kept; blank nodes as one placeholder)."""
    def term(t):
        return "_:" if isinstance(t, ox.BlankNode) else t

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(ox.Triple(term(t.subject), t.predicate, term(t.object)))
                      if not isinstance(t.subject, ox.BlankNode)
                      and not isinstance(t.object, ox.BlankNode) else "bnode triple"
                      for t in result)
    names = [v.value for v in result.variables]
    return names, [tuple(term(row[v]) for v in names) for row in result]


@pytest.fixture(scope="session")
def config() -> Config:
    return Config()


@pytest.fixture(scope="session")
def store(config: Config) -> Store:
    """The project's ontology, data and shapes in an embedded in-memory store."""
    s = open_store("memory")
    load_project(s, config)
    return s


@pytest.fixture(scope="session")
def inferred_store(config: Config) -> Store:
    """The project with its inferred graph, as ``xsrv-kg load`` and ``serve`` hold it."""
    from xsrv_kg.sources import inference

    s = open_store("memory")
    load_project(s, config)
    inference.refresh(s, config)
    return s


# --- the app, its test client and the command line (as in Flask's tutorial) ----------------

@pytest.fixture(scope="module")
def app(config: Config) -> Iterator[Flask]:
    """The HTTP service over the project, queries run in the request thread (no workers)."""
    app = create_app(config, workers=False)
    yield app
    app.extensions["xsrv"].close()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Runner(CliRunner):
    """Click's test runner for the ``xsrv-kg`` command, as Flask's ``test_cli_runner()`` is
    for ``flask``: ``runner.invoke(args=["load", …])`` runs :func:`xsrv_kg.cli.main` with
    ``obj=Config()`` (the project's defaults, not the ``XSRV_*`` variables) unless ``obj=``
    names another, and lets an unexpected exception through unless ``catch_exceptions=True``
    (a ``SystemExit`` is an exit code either way)."""

    def invoke(self, cli: click.Command | None = None, args: Sequence[str] | None = None,
               **options: Any) -> Result:
        options.setdefault("obj", Config())
        options.setdefault("catch_exceptions", False)
        return super().invoke(cli or main, args, **options)


@pytest.fixture(scope="session")
def runner() -> Runner:
    return Runner()


@pytest.fixture
def data_copy(tmp_path: Path, config: Config) -> Path:
    """A private copy of ``data/`` that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(config.data_dir, target)
    return target


def validate_files(config: Config, paths: list[Path] | None = None, *,
                   engine: str = "pyshacl") -> Report:
    """Validate files on disk (default: the project's ``data/``) with the ontology and the
    shapes, as ``xsrv-kg validate PATH`` does: loaded into a memory store, then validated."""
    store = open_store("memory")
    try:
        load_project(store, config, paths)
        return validate(store, config, engine=engine)
    finally:
        store.close()


def shipped_rows(store: Store, config: Config, name: str) -> list[dict[str, object]]:
    """The rows of the shipped query ``queries/<name>`` run in-process."""
    from xsrv_kg.query.console import read_query

    return rows(store, read_query(name, queries_dir=config.queries_dir))


INTEGER_TYPES = {"integer", "nonNegativeInteger", "int"}


def json_value(cell: dict[str, str] | None) -> object:
    """A SPARQL JSON results cell as the plain value :func:`value` gives for the same term."""
    if cell is None:
        return None
    if cell["type"] == "literal" and cell.get("datatype", "").rsplit("#", 1)[-1] in INTEGER_TYPES:
        return int(cell["value"])
    return cell["value"]


def http_rows(endpoint_url: str, query: str, **params: str) -> list[dict[str, object]]:
    """Run a SELECT over HTTP (POST, JSON results) and return its rows as plain values."""
    import requests

    response = requests.post(endpoint_url, data={"query": query, **params},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    doc = response.json()
    names = doc["head"]["vars"]
    return [{n: json_value(b.get(n)) for n in names} for b in doc["results"]["bindings"]]


#: The store backends the curated queries and the protocol tests run on: the embedded store
#: in memory, the embedded store on disk (``oxigraph:DIR``, loaded by ``xsrv-kg load``), and
#: ``sparql:`` over a live ``oxigraph serve`` (loaded by ``xsrv-kg load`` too).
BACKENDS = ("memory", "oxigraph", "sparql")


#: A second SPARQL engine as referee: rdflib's own (not Oxigraph), over the project's files
#: parsed by rdflib (:func:`tests.backends.rdflib_dataset`), so no curated answer rests on one
#: engine's reading of SPARQL.
REFEREE = ("in-process", "rdflib")


def curated_text(config: Config, name: str, **params: str) -> str:
    """The text of ``queries/<name>`` with each ``params`` value (an IRI) bound as the
    curated-query pages bind it (:func:`xsrv_kg.sparql.bindings.bind_parameters`); a
    parameter not given stays as the file has it (``$doc`` free: every document)."""
    from xsrv_kg.query.console import read_query
    from xsrv_kg.sparql.bindings import bind_parameters

    text = read_query(name, queries_dir=config.queries_dir)
    return bind_parameters(text, {k: ox.NamedNode(v) for k, v in params.items()})


@pytest.fixture(scope="session",
                params=[pytest.param((way, backend), id=f"{way}-{backend}",
                                     marks=() if (way, backend) in {("in-process", "memory"),
                                                                    REFEREE}
                                     else pytest.mark.slow)
                        for way, backend in [*((way, backend) for way in ("in-process", "http")
                                               for backend in BACKENDS), REFEREE]])
def run_curated(request, config: Config):
    """``run_curated(name, doc=IRI)`` -> the rows of ``queries/<name>`` as plain values, with
    the parameters given bound (:func:`curated_text`).

    Each expectation runs seven times: in-process on each backend's store, over HTTP on a
    live ``xsrv-kg serve`` on each backend (the query text sent as a researcher would), and
    on rdflib's engine (:data:`REFEREE`). All but the in-process memory store and rdflib are
    marked ``slow``: they load a store or start servers.
    """
    way, backend = request.param
    if backend == "rdflib":
        from .backends import rdflib_rows

        dataset = request.getfixturevalue("rdflib_project")
        return lambda name, **params: rdflib_rows(dataset, curated_text(config, name, **params))
    if way == "in-process":
        store = request.getfixturevalue(BACKEND_STORES[backend])
        return lambda name, **params: rows(store, curated_text(config, name, **params))
    server = request.getfixturevalue(BACKEND_SERVERS[backend])
    return lambda name, **params: http_rows(server.sparql, curated_text(config, name, **params))


@pytest.fixture(scope="session")
def rdflib_project(config: Config):
    """The project in an rdflib Dataset (union default graph), for rdflib's SPARQL engine."""
    from .backends import rdflib_dataset

    return rdflib_dataset(config)


@pytest.fixture(scope="session")
def live_server():
    """``xsrv-kg serve`` over the project, read-only, on a free loopback port."""
    from .live import serve

    with serve() as server:
        yield server


# --- the other backends ----------------------------------------------------------------------

BACKEND_STORES = {"memory": "store", "oxigraph": "disk_store", "sparql": "sparql_store"}
BACKEND_SERVERS = {"memory": "live_server", "oxigraph": "disk_server",
                   "sparql": "sparql_server"}


def xsrv_load(*store_args: str) -> None:
    """``xsrv-kg load`` the project into the store the arguments name (in this process)."""
    result = Runner().invoke(args=["load", *store_args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def oxigraph_project():
    """``oxigraph serve`` (in memory, default graph not the union) holding the project,
    loaded through the ``sparql:`` store by ``xsrv-kg load``. Tests only read it."""
    from .backends import oxigraph_available, oxigraph_server

    if not oxigraph_available():
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    with oxigraph_server() as server:
        xsrv_load(*server.store_args())
        yield server


@pytest.fixture(scope="session")
def sparql_store(oxigraph_project) -> Store:
    """The project through a ``sparql:`` store on :func:`oxigraph_project`."""
    s = oxigraph_project.open()
    yield s
    s.close()


@pytest.fixture(scope="session")
def sparql_server(oxigraph_project):
    """``xsrv-kg serve --store sparql:…`` in front of :func:`oxigraph_project`."""
    from .live import serve

    with serve(*oxigraph_project.store_args()) as server:
        yield server


@pytest.fixture(scope="session")
def disk_store(tmp_path_factory) -> Store:
    """The project in an on-disk embedded store (``oxigraph:DIR``), loaded by ``xsrv-kg load``."""
    spec = f"oxigraph:{tmp_path_factory.mktemp('disk-store') / 'db'}"
    xsrv_load("--store", spec)
    s = open_store(spec)
    yield s
    s.close()


@pytest.fixture(scope="session")
def disk_server(tmp_path_factory):
    """``xsrv-kg serve --store oxigraph:DIR`` after ``xsrv-kg load`` into DIR (its own DIR:
    an on-disk store is opened by one process at a time)."""
    from .live import serve

    spec = f"oxigraph:{tmp_path_factory.mktemp('disk-server') / 'db'}"
    xsrv_load("--store", spec)
    with serve("--store", spec) as server:
        yield server


@pytest.fixture(scope="session", params=BACKENDS)
def backend_server(request):
    """A live read-only ``xsrv-kg serve`` on each backend in turn."""
    return request.getfixturevalue(BACKEND_SERVERS[request.param])


@pytest.fixture(scope="module")
def update_server():
    """A fresh ``xsrv-kg serve --allow-update`` (token in ``.token``) for tests that write."""
    from .live import serve

    with serve("--allow-update", token="test-token-1234") as server:
        yield server


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, headless; skips with the reason if absent.

    ``.ci/run`` installs chromium (and fonts-wqy-microhei), so CI always runs these tests.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    executable = next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh 1280x800 page; ``page.shot(name)`` keeps a screenshot in tests/artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    tab = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    test_name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")

    def shot(name: str) -> Path:
        path = ARTIFACTS / f"{test_name}-{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    tab.shot = shot  # type: ignore[attr-defined]
    yield tab
    context.close()


@pytest.fixture
def listener():
    """A loopback TCP listener that records whether anyone connected."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    contacted: list[bool] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                contacted.append(True)
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", contacted
    stop.set()
    thread.join()
    sock.close()
