"""The store interface: what every backend offers to the services above it.

pyoxigraph's term and result classes are the lingua franca: a remote backend parses its
server's answers into the same classes, so services never know which backend they run on.
The interface is :mod:`.protocol`; a new backend is a new module here (importing only
:mod:`.protocol` and the foundation) plus one branch in :func:`open_store`.

Backends: ``memory`` and ``oxigraph:DIR`` (:mod:`.oxigraph`, embedded), ``sparql:URL``
(:mod:`.sparql`, any SPARQL 1.1 server over HTTP).
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import BadInput
from .protocol import QueryResult, Replica, Store, replace_graph_update, triples_text

__all__ = ["STORE_SPECS", "QueryResult", "Replica", "Store", "open_configured", "open_store",
           "replace_graph_update", "triples_text"]

STORE_SPECS = "memory, oxigraph:DIR or sparql:QUERY_URL"


def open_store(spec: str = "memory", *, update_url: str | None = None,
               gsp_url: str | None = None) -> Store:
    """A store from a ``--store`` spec: ``memory``, ``oxigraph:DIR`` or ``sparql:QUERY_URL``.

    ``update_url`` and ``gsp_url`` are for servers that split their endpoints (Oxigraph
    server: ``/query``, ``/update``, ``/store``).
    """
    kind, _, where = spec.partition(":")
    if kind != "sparql" and (update_url or gsp_url):
        raise BadInput("--update-url and --gsp-url go with a sparql:QUERY_URL store")
    if spec == "memory":
        from .oxigraph import OxigraphStore

        return OxigraphStore()
    if kind == "oxigraph" and where:
        from .oxigraph import OxigraphStore

        return OxigraphStore.on_disk(Path(where))
    if kind == "sparql" and where:
        from .sparql import SparqlStore

        return SparqlStore(where, update_url=update_url, gsp_url=gsp_url)
    raise BadInput(f"unknown store {spec!r}: use {STORE_SPECS}")


def open_configured(config: Config) -> Store:
    """The store a :class:`~xsrv_kg.config.Config` names (``store``, ``update_url``…)."""
    return open_store(config.store, update_url=config.update_url, gsp_url=config.gsp_url)
