"""Store specs, the embedded on-disk backend, and ``xsrv-kg load`` into it.

The remote ``sparql:`` backend has its own module (test_store_sparql.py); the curated
queries and protocol tests run on every backend through the fixtures in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import Store, open_store

from .conftest import Runner

G = "https://example.org/graph/g"


def quad(s: str, o: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"https://example.org/{s}"),
                   ox.NamedNode("https://example.org/p"), ox.Literal(o), ox.DefaultGraph())


def nquads(spec: str) -> set[str]:
    """The store's content as a set of N-Quads lines (blank node ids aside, it is exact)."""
    store = open_store(spec)
    try:
        return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())
    finally:
        store.close()


# --- specs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["", "disk", "oxigraph:", "sparql:", "mem"])
def test_unknown_store_specs_name_the_accepted_forms(spec: str) -> None:
    with pytest.raises(BadInput, match="memory, oxigraph:DIR or sparql:QUERY_URL"):
        open_store(spec)


def test_update_and_gsp_urls_only_go_with_a_sparql_store() -> None:
    with pytest.raises(BadInput, match="go with a sparql:QUERY_URL store"):
        open_store("memory", update_url="http://127.0.0.1:1/update")


def test_memory_is_not_persistent_and_disk_is(tmp_path: Path) -> None:
    assert not open_store("memory").persistent
    disk = open_store(f"oxigraph:{tmp_path / 'db'}")
    try:
        assert disk.persistent and disk.spec == f"oxigraph:{(tmp_path / 'db').resolve()}"
    finally:
        disk.close()


# --- the embedded store on disk -------------------------------------------------------------


def test_disk_store_keeps_data_across_opens(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'db'}"
    store = open_store(spec)
    store.put(G, [quad("a", "一"), quad("b", "二")])
    store.close()
    again = open_store(spec)
    try:
        assert len(again) == 2 and again.graphs() == [G]
    finally:
        again.close()


def test_disk_store_is_opened_by_one_process_at_a_time(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'db'}"
    first = open_store(spec)
    try:
        with pytest.raises(BadInput, match="one process at a time"):
            open_store(spec)
    finally:
        first.close()


def test_a_file_is_not_a_store_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="not a folder"):
        open_store(f"oxigraph:{tmp_path / 'file'}")


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_put_replaces_one_graph_and_leaves_the_others(tmp_path: Path, kind: str) -> None:
    store = open_store("memory" if kind == "memory" else f"oxigraph:{tmp_path / 'db'}")
    try:
        other = "https://example.org/graph/other"
        store.put(other, [quad("x", "留")])
        store.put(G, [quad("a", "旧"), quad("b", "旧")])
        version = store.version
        # Literals that need escaping survive the trip through the update text.
        store.put(G, [quad("c", 'new "quoted"\nline \\ back')])
        assert store.version > version
        got = {(q.subject.value, q.object.value, q.graph_name.value)
               for q in _quads(store)}
        assert got == {("https://example.org/c", 'new "quoted"\nline \\ back', G),
                       ("https://example.org/x", "留", other)}
    finally:
        store.close()


def _quads(store) -> list[ox.Quad]:
    return list(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))


def test_checkpoint_replica_is_a_read_only_copy_as_of_its_version(tmp_path: Path) -> None:
    store = open_store(f"oxigraph:{tmp_path / 'db'}")
    try:
        store.put(G, [quad("a", "一")])
        replica = store.replica(tmp_path)
        store.put(G, [quad("a", "一"), quad("b", "二")])
        copy = replica.open()
        assert len(copy) == 1 and copy.version == replica.version
        assert len(store.replica(tmp_path).open()) == 2
        replica.release()
        assert not Path(replica.path).exists()
    finally:
        store.close()


# --- xsrv-kg load ---------------------------------------------------------------------------


@pytest.fixture
def loaded(runner: Runner, tmp_path: Path) -> str:
    """An on-disk store holding the project, loaded with ``xsrv-kg load``."""
    spec = f"oxigraph:{tmp_path / 'db'}"
    result = runner.invoke(args=["load", "--store", spec])
    assert result.exit_code == 0, result.output
    return spec


def _memory_with_inference(config: Config) -> Store:
    """The project in a memory store with its inferred graph, as ``load`` and ``serve`` have it."""
    from xsrv_kg.sources import inference

    reference = open_store("memory")
    load_project(reference, config)
    inference.refresh(reference, config)
    return reference


def test_load_puts_the_same_quads_as_the_memory_store(loaded: str, config: Config) -> None:
    on_disk, reference = open_store(loaded), _memory_with_inference(config)
    try:
        assert len(on_disk) == len(reference)
        assert on_disk.graphs() == reference.graphs()
    finally:
        on_disk.close()


def test_load_reports_each_graph(runner: Runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["load", "--store", f"oxigraph:{tmp_path / 'db'}"])
    assert "graph/shapes: " in result.output and "quads from 3 file(s)" in result.output
    assert "now holds" in result.output


def test_loading_again_is_idempotent(runner: Runner, loaded: str) -> None:
    before = nquads(loaded)
    assert runner.invoke(args=["load", "--store", loaded]).exit_code == 0
    after = nquads(loaded)
    # Blank nodes get fresh ids per load; everything else is the same set of quads.
    assert len(after) == len(before)
    assert {q for q in after if "_:" not in q} == {q for q in before if "_:" not in q}


def test_a_malformed_file_is_rejected_whole_and_leaves_the_store_as_it_was(
        runner: Runner, loaded: str, tmp_path: Path) -> None:
    folder = tmp_path / "incoming" / "documents" / "new-plan"
    folder.mkdir(parents=True)
    (folder / "a.ttl").write_text(
        '<https://example.org/ok> <https://example.org/p> "fine" .\n')
    (folder / "b.ttl").write_text(
        '<https://example.org/s> <https://example.org/p> "one" .\n'
        '<https://example.org/s> <https://example.org/p> .\n')
    before = nquads(loaded)
    result = runner.invoke(args=["load", "--store", loaded, str(tmp_path / "incoming")])
    assert result.exit_code == 2
    assert f"{folder / 'b.ttl'}:2:" in result.output
    assert "Traceback" not in result.output
    # Neither the good file beside it nor the ontology and shapes were written.
    assert nquads(loaded) == before


def test_load_part_and_paths(runner: Runner, tmp_path: Path, config: Config) -> None:
    spec = f"oxigraph:{tmp_path / 'db'}"
    # A folder given maps its subfolders to graphs, as `serve PATH` does.
    data = config.data_dir / "documents"
    # (Without the inferred graph, which load adds unless told not to: see test_inference.)
    loaded = runner.invoke(args=["load", "--store", spec, "--part", "data", "--no-inference",
                                 str(data)])
    assert loaded.exit_code == 0
    store = open_store(spec)
    try:
        assert store.graphs() == [config.graph_iri("chongqing-plan"),
                                  config.graph_iri("xiushan-plan")]
    finally:
        store.close()


def test_load_into_memory_is_refused(runner: Runner) -> None:
    result = runner.invoke(args=["load"])
    assert result.exit_code == 2 and "memory store is gone" in result.output


def test_commands_read_a_loaded_store(runner: Runner, loaded: str) -> None:
    result = runner.invoke(args=["query", "--store", loaded, "--format", "csv",
                                 "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }"])
    assert result.output.split() == ["n", "9"]  # eight graphs loaded, and the inferred one
    shapes = runner.invoke(args=["export", "--store", loaded, "--part", "shapes", "--format",
                                 "nquads"])
    assert shapes.exit_code == 0 and "<http://www.w3.org/ns/shacl#" in shapes.output
    assert "/graph/ontology>" not in shapes.output


def test_data_files_and_a_persistent_store_do_not_mix(runner: Runner, loaded: str,
                                                      config: Config) -> None:
    result = runner.invoke(args=["query", "--store", loaded, "--data", str(config.data_dir),
                                 "ASK {}"])
    assert result.exit_code == 2 and "not both" in result.output
    from dataclasses import replace

    with pytest.raises(BadInput, match="xsrv-kg load"):
        Endpoint.open(replace(config, store=loaded, data_paths=(config.data_dir,)),
                      workers=False)


def test_an_endpoint_serves_a_persistent_store_as_it_is(loaded: str, config: Config) -> None:
    from dataclasses import replace

    endpoint = Endpoint.open(replace(config, store=loaded), workers=False)
    try:
        reference = _memory_with_inference(config)
        assert len(endpoint.store) == len(reference)
    finally:
        endpoint.close()


@pytest.mark.parametrize("command", ["validate", "load"])
def test_a_remote_json_ld_context_is_never_fetched(runner: Runner, command: str,
                                                   tmp_path: Path, listener) -> None:
    url, contacted = listener
    doc = tmp_path / "remote.jsonld"
    doc.write_text(f'{{"@context": "{url}", "@id": "https://example.org/a", "name": "x"}}')
    args = [command, str(doc)] + (["--store", f"oxigraph:{tmp_path / 'db'}"]
                                  if command == "load" else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert "JSON-LD remote contexts are not fetched" in result.output
    assert not contacted
