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
