"""The dataset described as linked-data publishers expect (VoID and DCAT), and versioned dumps.

The description says what the dataset is (titles in zh and en, licence, version, the
documents it comes from), how big (triples per named graph, counted in the store when asked,
so it is never stale), where to query it (the SPARQL endpoint) and where to download it (the
dumps with their SHA-256 sums). ``/.well-known/void`` serves it; ``xsrv-kg export --dump DIR``
writes it beside the dumps.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import formats, vocab
from ..config import Config
from ..sparql import rq
from ..store import Store
from .export import part_graphs
from .inference import description_triples, inferred_graph

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
DCTERMS = vocab.PREFIXES["dcterms"]
XSD = vocab.PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(vocab.PREFIXES["rdf"] + "type")
#: The project's licence (the LICENSE file).
LICENSE = "https://spdx.org/licenses/MIT"
GZIP = "http://www.iana.org/assignments/media-types/application/gzip"

PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "spdx": SPDX, "xsd": XSD,
            "owl": vocab.PREFIXES["owl"], "doc": vocab.ID + "doc/"}

#: The dumps ``export --dump`` writes: name suffix -> format.
DUMP_FORMATS = {"trig": formats.TRIG, "nq": formats.N_QUADS}


@dataclass(frozen=True)
class Dump:
    """One file written by :func:`write_dumps`."""

    path: Path
    media_type: str
    sha256: str


def dataset_iri(config: Config) -> ox.NamedNode:
    return ox.NamedNode(f"{config.base_iri}dataset")


def graph_counts(store: Store, graphs: Sequence[str] | None = None) -> dict[str, int]:
    """Triples per named graph (all of them, or those given), counted in the store."""
    counts = {row["graph"].value: int(row["triples"].value)
              for row in rq.select(store, "void-graph-counts")}
    return counts if graphs is None else {g: counts.get(g, 0) for g in graphs}


def describe_dataset(store: Store, config: Config, *, version: str,
                     endpoint_url: str | None = None, graphs: Sequence[str] | None = None,
                     dumps: Sequence[tuple[ox.NamedNode, Dump]] = ()) -> list[ox.Triple]:
    """The VoID/DCAT triples of the dataset: the store's named graphs (or ``graphs``), the
    endpoint that serves them and the dumps (their IRIs and files) made of them."""
    dataset = dataset_iri(config)

    def t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
          ) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    counts = graph_counts(store, graphs)
    triples = [
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset")),
        t(dataset, DCTERMS + "title", ox.Literal("乡村振兴政策知识图谱", language="zh")),
        t(dataset, DCTERMS + "title",
          ox.Literal("Rural-revitalization policy knowledge graph", language="en")),
        t(dataset, DCTERMS + "description", ox.Literal(
            "中国乡村振兴政策文件的知识图谱：每条事实都可追溯到原文的字符位置，"
            "并由 SHACL 约束检验。",
            language="zh")),
        t(dataset, DCTERMS + "description", ox.Literal(
            "Chinese rural-revitalization policy documents as RDF: every fact tied to the "
            "characters of the text it comes from, and checked by SHACL shapes.",
            language="en")),
        t(dataset, DCTERMS + "license", ox.NamedNode(LICENSE)),
        t(dataset, DCTERMS + "rights", ox.Literal(
            "代码与数据模型：MIT。原文为公开的政府文件；统计用区划代码来自国家统计局"
            "（经 modood/Administrative-divisions-of-China，WTFPL）。", language="zh")),
        t(dataset, DCTERMS + "rights", ox.Literal(
            "Code and data model: MIT. The source texts are public government documents; "
            "the division codes come from the National Bureau of Statistics via "
            "modood/Administrative-divisions-of-China (WTFPL).", language="en")),
        t(dataset, vocab.PREFIXES["owl"] + "versionInfo", ox.Literal(version)),
        t(dataset, DCAT + "version", ox.Literal(version)),
        t(dataset, VOID + "uriSpace", ox.Literal(vocab.ID)),
        t(dataset, VOID + "vocabulary", ox.NamedNode(vocab.XSRV)),
        # Quads: a triple stated in two graphs counts twice, as in the graphs' own counts.
        t(dataset, VOID + "triples", integer(sum(counts.values()))),
    ]
    for row in rq.select(store, "void-documents"):
        triples.append(t(dataset, DCTERMS + "source", row["document"]))
        triples.append(t(dataset, VOID + "exampleResource", row["document"]))
    if endpoint_url:
        triples.append(t(dataset, VOID + "sparqlEndpoint", ox.NamedNode(endpoint_url)))
    for graph, count in sorted(counts.items()):
        subset = ox.NamedNode(graph)
        triples += [t(dataset, VOID + "subset", subset),
                    ox.Triple(subset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
                    t(subset, VOID + "triples", integer(count))]
        if graph == inferred_graph(config):
            triples += description_triples(subset, DCTERMS + "description")
    for number, (iri, dump) in enumerate(dumps):
        checksum = ox.BlankNode(f"sha256-{number}")
        distribution = ox.BlankNode(f"dump-{number}")
        triples += [
            t(dataset, VOID + "dataDump", iri),
            t(dataset, DCAT + "distribution", distribution),
            ox.Triple(distribution, RDF_TYPE, ox.NamedNode(DCAT + "Distribution")),
            t(distribution, DCAT + "downloadURL", iri),
            t(distribution, DCAT + "mediaType", ox.NamedNode(
                f"http://www.iana.org/assignments/media-types/{dump.media_type}")),
            t(distribution, DCAT + "compressFormat", ox.NamedNode(GZIP)),
            t(distribution, DCAT + "byteSize", integer(dump.path.stat().st_size)),
            t(distribution, SPDX + "checksum", checksum),
            ox.Triple(checksum, RDF_TYPE, ox.NamedNode(SPDX + "Checksum")),
            t(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256")),
            t(checksum, SPDX + "checksumValue",
              ox.Literal(dump.sha256, datatype=ox.NamedNode(XSD + "hexBinary"))),
        ]
    # Grouped by subject, the dataset first, so the Turtle reads as one block per resource.
    subjects = list(dict.fromkeys(triple.subject for triple in triples))
    return sorted(triples, key=lambda triple: subjects.index(triple.subject))


def write_dumps(store: Store, config: Config, folder: Path, *, part: str,
                version: str) -> list[Path]:
    """Write ``xsrv-kg-VERSION.trig.gz`` and ``.nq.gz`` (the graphs of ``part``),
    ``SHA256SUMS`` (as ``sha256sum -c`` reads it) and ``void.ttl`` (the description, the
    dumps named relative to it) into ``folder``; returns the files written.

    The gzip headers carry no time; blank node labels still differ from one load to the
    next, so dumps of the same data differ in bytes (compare them as RDF, not by sums).
    """
    folder.mkdir(parents=True, exist_ok=True)
    graphs = part_graphs(store, config, part)
    dumps = []
    for suffix, fmt in DUMP_FORMATS.items():
        path = folder / f"xsrv-kg-{version}.{suffix}.gz"
        data = gzip.compress(store.dump(fmt.rdf, graphs=graphs, prefixes=vocab.PREFIXES),
                             mtime=0)
        path.write_bytes(data)
        dumps.append(Dump(path, fmt.media_type, hashlib.sha256(data).hexdigest()))
    sums = folder / "SHA256SUMS"
    sums.write_text("".join(f"{d.sha256}  {d.path.name}\n" for d in dumps), encoding="utf-8")
    base = folder.resolve().as_uri() + "/"
    described = [(ox.NamedNode(base + d.path.name), d) for d in dumps]
    triples = describe_dataset(store, config, version=version, graphs=graphs, dumps=described)
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES, base_iri=base)
    # Without the @base line the dumps' relative IRIs resolve against wherever the folder
    # is published, not this machine's path.
    body = body.replace(f"@base <{base}> .\n".encode(), b"", 1)
    description = folder / "void.ttl"
    description.write_bytes(b"# The dataset and its dumps (VoID, DCAT); written by "
                            b"`xsrv-kg export --dump`.\n" + body)
    return [*(d.path for d in dumps), sums, description]
