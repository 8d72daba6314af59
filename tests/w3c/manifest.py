"""The vendored manifests, read with rdflib: their tests by local name, and each protocol
test's ``ht:Request``s in the terms of :class:`~.steps.Step`."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import rdflib
from rdflib import Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

W3C = Path(__file__).parent
PROTOCOL_MANIFEST = W3C / "protocol" / "manifest.ttl"
SD_MANIFEST = W3C / "service-description" / "manifest.jsonld"
# Where upstream publishes the manifest: relative IRIs such as <data1.nt> resolve as there.
PROTOCOL_BASE = "https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph: not our concern."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        yield


def local_name(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1]


def load_manifest(path: Path, fmt: str, base: str | None = None):
    graph = rdflib.Graph()
    with quiet_rdflib():
        graph.parse(path, format=fmt, publicID=base)
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest, any=False)
    entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, {local_name(entry): entry for entry in entries}


PROTOCOL_GRAPH, PROTOCOL_ENTRIES = load_manifest(PROTOCOL_MANIFEST, "turtle", PROTOCOL_BASE)
SD_GRAPH, SD_ENTRIES = load_manifest(SD_MANIFEST, "json-ld")


@dataclass(frozen=True)
class ManifestRequest:
    """What the manifest's ``ht:Request`` says, in the terms of :class:`Step`."""

    method: str
    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes | None
    status: frozenset[int]
    format: str | None
    boolean: bool | None


def manifest_requests(name: str) -> list[ManifestRequest]:
    g, entry = PROTOCOL_GRAPH, PROTOCOL_ENTRIES[name]
    action = g.value(entry, MF.action)
    found = []
    for req in Collection(g, g.value(action, HT.requests)):
        path = urlsplit(str(g.value(req, HT.absolutePath)))
        headers = {}
        if g.value(req, HT.headers) is not None:
            for header in Collection(g, g.value(req, HT.headers)):
                headers[str(g.value(header, HT.fieldName)).lower()] = str(
                    g.value(header, HT.fieldValue))
        body = None
        if (content := g.value(req, HT.body)) is not None:
            encoding = str(g.value(content, CNT.characterEncoding)).lower()
            body = str(g.value(content, CNT.chars)).encode(encoding)
        resp = g.value(req, HT.resp)
        status = frozenset(int(local_name(s)[len("StatusCode")]) for s in
                           g.objects(resp, MF.expectedStatus))
        fmt = g.value(resp, MF.expectedFormat)
        boolean = g.value(resp, MF.expectedBoolean)
        found.append(ManifestRequest(
            method=str(g.value(req, HT.methodName)), path=path.path,
            params=parse_qsl(path.query, keep_blank_values=True), headers=headers, body=body,
            status=status, format=None if fmt is None else str(fmt),
            boolean=None if boolean is None else boolean.toPython()))
    return found


