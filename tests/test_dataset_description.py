"""The dataset description (VoID/DCAT) at /.well-known/void and beside the dumps of
``xsrv-kg export --dump``: valid RDF, counts equal to COUNT queries, dumps that verify."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from xsrv_kg import __version__
from xsrv_kg.config import Config
from xsrv_kg.server import state
from xsrv_kg.sources.description import DCAT, SPDX, VOID
from xsrv_kg.store import Store

from .conftest import Runner, rows

DATASET = ox.NamedNode(Config().base_iri + "dataset")
TRIPLES = ox.NamedNode(VOID + "triples")
SUBSET = ox.NamedNode(VOID + "subset")


def _objects(graph: ox.Dataset, subject: ox.NamedNode | ox.BlankNode | None, predicate: str
             ) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    return [q.object for q in graph
            if (subject is None or q.subject == subject) and q.predicate.value == predicate]


def _counts(graph: ox.Dataset) -> dict[str, int]:
    """void:triples of each subset, by graph IRI."""
    return {subset.value: int(_objects(graph, subset, VOID + "triples")[0].value)
            for subset in _objects(graph, DATASET, VOID + "subset")}


def _store_counts(store: Store) -> dict[str, int]:
    return {r["g"]: r["n"] for r in rows(store, """
        SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g""")}


@pytest.fixture(scope="module")
def described(client: FlaskClient) -> ox.Dataset:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.content_type == "text/turtle; charset=utf-8"
    return ox.Dataset(ox.parse(response.data, format=ox.RdfFormat.TURTLE))


def test_the_well_known_void_counts_the_triples_of_every_named_graph(
        described: ox.Dataset, app: Flask) -> None:
    served = state.endpoint(app).store  # the inferred graph included
    expected = _store_counts(served)
    assert _counts(described) == expected
    total = rows(served, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]
    assert [int(o.value) for o in _objects(described, DATASET, VOID + "triples")] == [total]


def test_the_well_known_void_describes_the_inferred_graph_in_both_languages(
        described: ox.Dataset) -> None:
    inferred = ox.NamedNode(Config().graph_iri("inferred"))
    assert inferred in _objects(described, DATASET, VOID + "subset")
    descriptions = _objects(described, inferred, "http://purl.org/dc/terms/description")
    assert {d.language for d in descriptions} == {"zh", "en"}


def test_the_description_names_endpoint_version_licence_titles_and_sources(
        described: ox.Dataset, store: Store) -> None:
    types = {o.value for o in _objects(
        described, DATASET, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
    assert {VOID + "Dataset", DCAT + "Dataset"} <= types
    assert [o.value for o in _objects(described, DATASET, VOID + "sparqlEndpoint")] == \
        ["http://localhost/sparql"]
    assert [o.value for o in _objects(described, DATASET, DCAT + "version")] == [__version__]
    assert _objects(described, DATASET, "http://purl.org/dc/terms/license")
    titles = {o.language for o in _objects(described, DATASET, "http://purl.org/dc/terms/title")}
    assert titles == {"zh", "en"}
    documents = {r["d"] for r in rows(store, """SELECT DISTINCT ?d WHERE {
        ?d a xsrv:PolicyDocument ; xsrv:sourceText|xsrv:secondarySourceText ?t }""")}
    assert {o.value for o in _objects(described, DATASET, "http://purl.org/dc/terms/source")} \
        == documents
    assert documents


def test_the_description_comes_as_json_ld_too_and_refuses_non_rdf(
        client: FlaskClient, described: ox.Dataset) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    as_json_ld = ox.Dataset(ox.parse(response.data, format=ox.RdfFormat.JSON_LD))
    assert _counts(as_json_ld) == _counts(described)
    refused = client.get("/.well-known/void",
                         headers={"Accept": "application/sparql-results+json"})
    assert refused.status_code == 406


def test_the_service_description_and_page_footers_link_to_it(client: FlaskClient) -> None:
    service = ox.Dataset(ox.parse(client.get("/sparql").data, format=ox.RdfFormat.TURTLE))
    see_also = [o.value for o in _objects(
        service, None, "http://www.w3.org/2000/01/rdf-schema#seeAlso")]
    assert see_also == ["http://localhost/.well-known/void"]
    for page in ("/", "/overview", "/validation"):
        html = client.get(page).get_data(as_text=True)
        assert 'rel="describedby" type="text/turtle" href="/.well-known/void"' in html, page


def test_export_dump_writes_dumps_that_verify_against_their_sums_and_description(
        runner: Runner, store: Store, tmp_path: Path) -> None:
    result = runner.invoke(args=["export", "--dump", str(tmp_path / "dumps")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "dumps"
    names = {f"xsrv-kg-{__version__}.trig.gz": ox.RdfFormat.TRIG,
             f"xsrv-kg-{__version__}.nq.gz": ox.RdfFormat.N_QUADS}
    assert {p.name for p in folder.iterdir()} == {*names, "SHA256SUMS", "void.ttl"}
    sums = dict(reversed(line.split("  ")) for line in
                (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert set(sums) == set(names)
    expected = ox.Dataset(ox.parse(store.dump(ox.RdfFormat.N_QUADS),
                                   format=ox.RdfFormat.N_QUADS))
    expected.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    for name, fmt in names.items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sums[name]
        dumped = ox.Dataset(ox.parse(gzip.decompress(data), format=fmt))
        dumped.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        assert dumped == expected
    # The description, read where it lies: its dumps resolve to the files beside it.
    base = folder.resolve().as_uri() + "/"
    description = ox.Dataset(ox.parse(path=str(folder / "void.ttl"), base_iri=base))
    assert _counts(description) == _store_counts(store)
    dumps = {o.value for o in _objects(description, DATASET, VOID + "dataDump")}
    assert dumps == {base + name for name in names}
    for distribution in _objects(description, DATASET, DCAT + "distribution"):
        url = _objects(description, distribution, DCAT + "downloadURL")[0].value
        checksum = _objects(description, distribution, SPDX + "checksum")[0]
        value = _objects(description, checksum, SPDX + "checksumValue")[0].value
        assert value == sums[url.removeprefix(base)]
        size = int(_objects(description, distribution, DCAT + "byteSize")[0].value)
        assert size == (folder / url.removeprefix(base)).stat().st_size
    assert str(tmp_path) not in (folder / "void.ttl").read_text(encoding="utf-8")
