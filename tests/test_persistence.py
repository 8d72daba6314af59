"""An on-disk store (``--store oxigraph:DIR``): what is written stays, and nothing is half
written.

- ``xsrv-kg load`` then ``xsrv-kg serve --allow-update``: an update, a Graph Store PUT and
  a DELETE survive a stop and a restart.
- ``kill -9`` of the server and its query workers (the whole process group) while a large
  write is in flight, at several delays after the request was sent: after a restart the
  store holds exactly the quads of before the write or exactly those of after it (computed
  by running the same write on a fresh in-memory store), never a part of it.
- ``xsrv-kg load`` of a file that does not parse leaves the store exactly as it was (the
  whole dataset dumped before and after), exits 2 and names the file and line.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import requests

from benchmarks.support import free_port, wait_until_up
from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.sources import inference
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import open_store

from .live import serve

pytestmark = pytest.mark.slow

TOKEN = "persistence-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "http://example.org/persist/"
CODES = "https://w3id.org/xsrv-kg/graph/reference/division-codes-2020-06-30"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

#: A write of ~200 000 quads from a short text: every subject of the dataset, 200 times.
BIG_GRAPH = EX + "big"
BIG_UPDATE = (f"INSERT {{ GRAPH <{BIG_GRAPH}> {{ ?s <{EX}n> ?n }} }} WHERE {{ "
              "{ SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } } } "
              f"VALUES ?n {{ {' '.join(map(str, range(200)))} }} }}")
#: A Graph Store PUT replacing a small graph with ~150 000 triples.
PUT_GRAPH = EX + "put"
PUT_TRIPLES = 150_000


def xsrv(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xsrv_kg", *args], capture_output=True,
                          text=True, timeout=timeout)


def dump(folder: Path) -> bytes:
    """The whole dataset of the store in ``folder``, default graph included, as N-Quads."""
    store = ox.Store.read_only(str(folder))
    try:
        return store.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del store


def count(server, query: str = COUNT_ALL) -> int:
    response = requests.get(server.sparql, params={"query": query}, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def in_graph(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """The project put into an on-disk store once by ``xsrv-kg load``; tests use copies."""
    folder = tmp_path_factory.mktemp("loaded") / "db"
    done = xsrv("load", "--store", f"oxigraph:{folder}")
    assert done.returncode == 0, done.stderr
    assert "now holds" in done.stdout
    return folder


@pytest.fixture
def db(loaded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "db"
    shutil.copytree(loaded, target)
    return target


@pytest.fixture(scope="module")
def fresh_counts() -> dict[str, int]:
    """Quad counts of the project in a fresh in-memory store, before and after each write,
    with the inferred graph refreshed after each as the server refreshes it (its description
    names every graph it was derived from, so a new graph adds a quad there too)."""
    def fresh(*writes: str, graph: str | None = None) -> int:
        """Quads in all (or in ``graph``) after ``writes``."""
        store = open_store("memory")
        load_project(store, Config())
        inference.refresh(store, Config())
        for write in writes:
            store.update(write, prefixes=vocab.PREFIXES)
            inference.refresh(store, Config())
        if graph is None:
            return len(store)
        found = store.query(in_graph(graph))
        return int(next(iter(found))["n"].value)  # type: ignore[index]

    small = f"INSERT DATA {{ GRAPH <{PUT_GRAPH}> {{ <{EX}a> <{EX}p> 1 , 2 , 3 }} }}"
    big_put = (f"DROP SILENT GRAPH <{PUT_GRAPH}> ; INSERT DATA {{ GRAPH <{PUT_GRAPH}> {{ "
               + " ".join(f'<{EX}s{i}> <{EX}p> "{i}" .' for i in range(PUT_TRIPLES)) + " } }")
    return {"before": fresh(), "update": fresh(BIG_UPDATE),
            "update-graph": fresh(BIG_UPDATE, graph=BIG_GRAPH),
            # The PUT replaces the graph's 3 triples (written before the server is killed).
            "put-before": fresh(small), "put": fresh(small, big_put)}


# --- a write survives a restart ----------------------------------------------------------------

def test_writes_survive_a_restart(db: Path, fresh_counts: dict[str, int]) -> None:
    spec = f"oxigraph:{db}"
    with serve("--store", spec, "--allow-update", token=TOKEN) as server:
        assert count(server) == fresh_counts["before"]
        update = requests.post(server.sparql, headers=AUTH, data={
            "update": f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> '持久' }} }}"})
        assert update.status_code == 204, update.text
        put = requests.put(server.url + "/store", params={"graph": EX + "put"},
                           data=f"<{EX}b> <{EX}p> 1 , 2 .".encode(),
                           headers={**AUTH, "Content-Type": "text/turtle"})
        assert put.status_code == 201, put.text
        dropped = requests.delete(server.url + "/store", params={"graph": CODES}, headers=AUTH)
        assert dropped.status_code == 204
        written = count(server)
    # Stopped (SIGTERM); start again, read-only this time.
    with serve("--store", spec) as server:
        assert count(server) == written
        ask = f"ASK {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> '持久' }} }}"
        assert requests.get(server.sparql, params={"query": ask}).json()["boolean"] is True
        assert count(server, in_graph(EX + "put")) == 2
        assert count(server, in_graph(CODES)) == 0
        assert requests.get(server.url + "/store", params={"graph": CODES}).status_code == 404


# --- kill -9 in the middle of a large write ----------------------------------------------------

def start_in_own_group(spec: str, tmp_path: Path, **env: str) -> tuple[subprocess.Popen, str]:
    """``xsrv-kg serve`` in a process group of its own, so one signal reaches its workers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", spec, "--allow-update"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        # Worker checkpoints go under tmp_path: a killed server cannot clean them up.
        env={**os.environ, "XSRV_UPDATE_TOKEN": TOKEN, "TMPDIR": str(tmp_path), **env})
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/sparql", process)
    return process, url


def send(url: str, method: str, target: str, body: bytes,
         headers: dict[str, str]) -> http.client.HTTPConnection:
    """Send a whole request and return without waiting for the answer."""
    port = int(url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(method, target, body=body, headers=headers)
    return conn


def answered(conn: http.client.HTTPConnection) -> int | None:
    """The status, if the server answered before it was killed."""
    try:
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    # The workers went with it: nobody is left in the group.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("processes of the killed server are still running")


def big_update_request(url: str) -> http.client.HTTPConnection:
    body = urlencode({"update": BIG_UPDATE}).encode()
    return send(url, "POST", "/sparql", body, {
        **AUTH, "Content-Type": "application/x-www-form-urlencoded"})


def big_put_request(url: str) -> http.client.HTTPConnection:
    body = "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(PUT_TRIPLES)).encode()
    return send(url, "PUT", f"/store?graph={PUT_GRAPH}", body,
                {**AUTH, "Content-Type": "application/n-triples"})


@pytest.mark.parametrize(("kind", "delay"), [
    ("update", 0.2), ("update", 1.0), ("update", 3.0), ("update", None),
    ("put", 0.5), ("put", 2.0), ("put", None),
])
def test_kill_9_during_a_large_write_leaves_before_or_after(
        db: Path, tmp_path: Path, fresh_counts: dict[str, int], kind: str,
        delay: float | None) -> None:
    """``delay``: seconds between sending the write and the kill; ``None``: kill as soon as
    the write is answered (a write the client was told of must survive a kill -9)."""
    spec = f"oxigraph:{db}"
    process, url = start_in_own_group(spec, tmp_path, XSRV_MAX_BODY=str(64 << 20))
    try:
        if kind == "put":  # the graph the PUT replaces: 3 triples to begin with
            small = requests.put(url + "/store", params={"graph": PUT_GRAPH},
                                 data=f"<{EX}a> <{EX}p> 1 , 2 , 3 .".encode(),
                                 headers={**AUTH, "Content-Type": "text/turtle"})
            assert small.status_code == 201, small.text
        conn = (big_update_request if kind == "update" else big_put_request)(url)
        if delay is None:
            status = answered(conn)
        else:
            time.sleep(delay)
        kill_group(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
    if delay is not None:
        status = answered(conn)
    if delay == 0.2:  # the write takes seconds: this kill must land while it runs
        assert status is None, "the write finished before the kill: make it larger"
    if delay is None:
        assert status in (201, 204)

    before = fresh_counts["put-before" if kind == "put" else "before"]
    after = fresh_counts[kind]
    target, size = (BIG_GRAPH, fresh_counts["update-graph"]) if kind == "update" \
        else (PUT_GRAPH, PUT_TRIPLES)
    with serve("--store", spec) as server:
        found = count(server)
        in_target = count(server, in_graph(target))
        # The store is usable and whole: the project's own facts are all there.
        assert count(server, "SELECT (COUNT(?t) AS ?n) WHERE "
                             "{ ?t a xsrv:TownshipLevelDivision }") > 0
    assert found in (before, after), (kind, delay, status, found, before, after)
    if status is not None:  # answered, so committed
        assert status in (201, 204) and found == after
    assert in_target == (size if found == after else (3 if kind == "put" else 0))


# --- a file that does not parse changes nothing ------------------------------------------------

def test_load_of_a_malformed_file_leaves_the_store_as_it_was(db: Path, tmp_path: Path) -> None:
    before = dump(db)
    good = tmp_path / "good.ttl"
    good.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n", encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"@prefix ex: <{EX}> .\nex:a ex:p ex:b ;\n  ex:q .\n", encoding="utf-8")
    done = xsrv("load", "--store", f"oxigraph:{db}", str(good), str(bad))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{bad}:3:" in done.stderr
    assert "Traceback" not in done.stderr
    assert dump(db) == before
    # The good file alone loads, and a second load of it changes nothing more.
    assert xsrv("load", "--store", f"oxigraph:{db}", "--part", "data", str(good)).returncode == 0
    once = dump(db)
    assert once != before
    assert xsrv("load", "--store", f"oxigraph:{db}", "--part", "data", str(good)).returncode == 0
    assert dump(db) == once
