"""Start ``oxigraph serve`` (the Rust server of the ``oxigraph`` PyPI package) for a test.

The ``sparql:`` store is tested against it: in memory or on disk (``--location``), with or
without ``--union-default-graph``, on a free loopback port. The binary is found by
:func:`benchmarks.support.oxigraph_executable` (beside this interpreter, then on PATH).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.support import launched, oxigraph_executable

NOT_INSTALLED = "the oxigraph server is not installed (pip install -e '.[test]')"


@dataclass(frozen=True)
class OxigraphServer:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    union_default_graph: bool

    @property
    def query(self) -> str:
        return self.url + "/query"

    @property
    def update(self) -> str:
        return self.url + "/update"

    @property
    def gsp(self) -> str:
        return self.url + "/store"

    @property
    def spec(self) -> str:
        """The ``--store`` spec for it."""
        return "sparql:" + self.query

    def store_args(self) -> list[str]:
        """``--store … --update-url … --gsp-url …`` for an ``xsrv-kg`` command."""
        return ["--store", self.spec, "--update-url", self.update, "--gsp-url", self.gsp]

    def open(self, *, gsp: bool = True, **options: object):
        """A :class:`~xsrv_kg.store.sparql.SparqlStore` on it (update URL set; the GSP URL
        unless ``gsp=False``)."""
        from xsrv_kg.store.sparql import SparqlStore

        return SparqlStore(self.query, update_url=self.update,
                           gsp_url=self.gsp if gsp else None, **options)


def oxigraph_available() -> bool:
    return oxigraph_executable() is not None


@contextmanager
def oxigraph_server(location: Path | None = None, *, union_default_graph: bool = False,
                    timeout_s: float | None = None,
                    port: int | None = None) -> Iterator[OxigraphServer]:
    """``oxigraph serve`` until the block ends (in memory unless ``location`` is given), on
    ``port`` or a free one."""
    exe = oxigraph_executable()
    if exe is None:
        raise RuntimeError(NOT_INSTALLED)
    cmd = [exe, "serve", "--bind", "127.0.0.1:{port}"]
    if location is not None:
        cmd += ["--location", str(location)]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if timeout_s is not None:
        cmd += ["--timeout-s", str(int(timeout_s))]
    # GET /query without a query: the service description.
    with launched(cmd, probe="/query", port=port, stop_timeout=10, timeout=30) as server:
        yield OxigraphServer(server.url, server.process, union_default_graph)


# --- rdflib's own SPARQL engine, a referee independent of Oxigraph ---------------------------

def rdflib_dataset(config):
    """The project's files parsed by rdflib (not pyoxigraph) into an rdflib ``Dataset`` whose
    default graph is the union of its named graphs, as the project's stores query it: each
    file into the graph :func:`xsrv_kg.sources.loader.project_files` names for it, and the
    ``cnt:chars`` of each ``xsrv:sourceFile`` as the loader adds them."""
    import rdflib

    from xsrv_kg import vocab
    from xsrv_kg.sources.loader import project_files

    dataset = rdflib.Dataset(default_union=True)
    source_file, chars = rdflib.URIRef(vocab.SOURCE_FILE), rdflib.URIRef(vocab.CNT_CHARS)
    for source in project_files(config):
        graph = dataset.graph(rdflib.URIRef(source.graph))
        part = rdflib.Graph()  # fresh blank nodes per file, as the loader's
        part.parse(source.path, format="turtle", publicID=source.path.resolve().as_uri())
        for s, p, o in part:
            graph.add((s, p, o))
            if p == source_file:
                text = (source.path.parent / str(o)).read_text(encoding="utf-8")
                graph.add((s, chars, rdflib.Literal(text)))
    return dataset


INTEGER_TYPES = {"integer", "nonNegativeInteger", "int"}


def rdflib_rows(dataset, query: str) -> list[dict[str, object]]:
    """Run a SELECT on rdflib's engine (project prefixes pre-declared) and return its rows as
    the plain values ``conftest.value`` gives for the same terms."""
    import rdflib

    from xsrv_kg import vocab

    def value(term):
        if term is None:
            return None
        if isinstance(term, rdflib.Literal) and term.datatype is not None \
                and str(term.datatype).rsplit("#", 1)[-1] in INTEGER_TYPES:
            return int(term)
        return str(term)

    result = dataset.query(query, initNs=vocab.PREFIXES)
    names = [str(v) for v in result.vars]
    return [{n: value(row[n]) for n in names} for row in result]
