"""``xsrv-kg query`` and ``POST /sparql`` are one pipeline: the same bytes, caps and errors."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner, Result

from xsrv_kg.cli import main
from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.errors import Forbidden
from xsrv_kg.query import canned
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.server import state
from xsrv_kg.server.app import create_app
from xsrv_kg.store import open_store

QUERIES = DEFAULT_HOME / "queries"
#: The curated queries that run without a second endpoint (the federated ones call one).
LOCAL = sorted(p.name for p in QUERIES.glob("*.rq")
               if "SERVICE" not in p.read_text(encoding="utf-8"))
MEDIA_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv",
               "tsv": "text/tab-separated-values"}


@pytest.fixture(scope="module")
def client():
    """The app in this process, over the project, queries run inline (as the CLI runs them)."""
    return create_app(Config(), workers=False).test_client()


def cli(*args: str, config: Config | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["query", *args], obj=config or Config(), input=input,
                              catch_exceptions=False)


def test_there_are_curated_queries_to_compare() -> None:
    assert len(LOCAL) >= 15, LOCAL


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_cli_prints_the_bytes_sparql_sends(client, fmt: str) -> None:
    """Every curated query, every W3C results format the CLI offers (SPARQL XML it does
    not: ``--format xml`` is refused, see test_cli.py)."""
    for name in LOCAL:
        text = (QUERIES / name).read_text(encoding="utf-8")
        query = canned.from_text(name, text)
        if query.params:  # the CLI binds their defaults: send /sparql that text
            text = canned.bind(state.endpoint(client.application).store, query, {}).text
        printed = cli("--format", fmt, name)
        assert printed.exit_code == 0, (name, printed.stderr)
        sent = client.post("/sparql", data={"query": text},
                           headers={"Accept": MEDIA_TYPES[fmt]})
        assert sent.status_code == 200, (name, sent.text)
        assert sent.mimetype == MEDIA_TYPES[fmt]
        assert printed.stdout_bytes == sent.data, name
        assert printed.stderr == ""


def test_ask_and_construct_print_what_sparql_sends(client) -> None:
    for query, fmt, accept in [("ASK { ?s a xsrv:TownshipLevelDivision }", "json",
                                "application/sparql-results+json"),
                               ("ASK { ?s a xsrv:Nothing }", "csv", "text/csv"),
                               ("CONSTRUCT WHERE { ?s a xsrv:TownshipLevelDivision }",
                                "turtle", "text/turtle"),
                               ("CONSTRUCT WHERE { ?s a xsrv:TownshipLevelDivision }",
                                "ntriples", "application/n-triples")]:
        printed = cli("--format", fmt, query)
        sent = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert printed.exit_code == 0 and sent.status_code == 200, query
        assert printed.stdout_bytes == sent.data, query


def test_the_row_cap_cuts_both_and_the_cli_says_so(client) -> None:
    query = "SELECT ?t WHERE { ?t a xsrv:TownshipLevelDivision } ORDER BY ?t"
    capped = replace(Config(), max_rows=5)
    printed = cli("--format", "csv", query, config=capped)
    assert printed.exit_code == 0
    assert len(printed.stdout.splitlines()) == 1 + 5
    assert printed.stderr == ("xsrv-kg: the result was cut at max-rows=5, as /sparql cuts it "
                              "(XSRV_MAX_ROWS, XSRV_MAX_RESULT_BYTES; 0 lifts the cap)\n")
    app = create_app(capped, workers=False).test_client()
    sent = app.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert sent.headers["Xsrv-Truncated"] == "max-rows=5"
    assert printed.stdout_bytes == sent.data


def test_the_cli_refuses_what_sparql_refuses(client) -> None:
    """The SERVICE allow-list, the length cap and the nesting cap: one message each."""
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    too_long = "ASK {} #" + "x" * Config().max_query_length
    nested = "ASK { " + "{ " * 300 + "}" * 300 + " }"
    for query, status in [(service, 403), (too_long, 413), (nested, 400),
                          ("SELECT * WHERE { ?s ?p }", 400)]:
        printed = cli("-", input=query)
        sent = client.post("/sparql", data={"query": query},
                           headers={"Accept": "application/json"})
        assert sent.status_code == status, query[:80]
        assert printed.exit_code == 2, query[:80]
        message = sent.get_json()["error"]["message"]
        assert printed.stderr == f"xsrv-kg: error: {message}\n"


def test_a_cli_service_call_needs_the_allow_list_too() -> None:
    store = open_store("memory")
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    from xsrv_kg.query.console import run_query

    with pytest.raises(Forbidden, match="not allowed"):
        run_query(Endpoint(Config(), store, workers=False), query, "table")


# --- the write gate ------------------------------------------------------------------------


def test_writes_have_one_gate() -> None:
    endpoint = Endpoint(Config(), open_store("memory"), workers=False)
    with pytest.raises(Forbidden, match="^SPARQL Update is disabled on this endpoint"):
        endpoint.update("INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises(Forbidden, match="^Graph Store PUT is disabled on this endpoint"), \
            endpoint.writing("Graph Store PUT"):
        pass
    with pytest.raises(Forbidden, match=r"\(start it with --allow-update and XSRV_UPDATE_TOKEN\)"):
        endpoint.require_writes()
    assert len(endpoint.store) == 0
    allowed = Endpoint(replace(Config(), allow_update=True), open_store("memory"),
                       workers=False)
    allowed.update("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                   using=["http://example.org/g"])
    with pytest.raises(Forbidden, match="LOAD is refused"):
        allowed.update("LOAD <http://127.0.0.1:9/x.ttl>")
