"""Validation: the SHACL shapes checked against the data, and the report a reader can use.

One entry point, :func:`validate`, for the CLI (``xsrv-kg validate``), ``/shacl``,
``/validation`` and the tests. What lives here:

- :mod:`.records`: the :class:`Report` and its :class:`Result` records, built the same way by
  both engines (localized messages, names, source sentences); :mod:`.labels` names nodes;
- :mod:`.pyshacl_engine`: the reference engine, pySHACL over rdflib copies of the graphs;
- the in-store engine: :mod:`.compiler` compiles the shapes to SPARQL (a :mod:`.plan`; with
  :mod:`.shape_reader`, :mod:`.value_tests`, :mod:`.sparql_constraints`,
  :mod:`.sparql_terms`), :mod:`.in_store` runs the plan in the store and
  :mod:`.report_graph` makes its findings a report;
- :mod:`.rendering`: the report as text, JSON, HTML or Turtle.

May import sources/, store/, sparql/ and the foundation; nothing above (no server, no CLI).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..config import VALIDATION_ENGINES, Config
from ..errors import BadInput
from ..progress import Progress
from ..sources.inference import asserted_graphs
from ..store import Store
from . import in_store, pyshacl_engine
from .records import SEVERITIES, Report, Result

__all__ = ["SEVERITIES", "Report", "Result", "validate"]


def validate(store: Store, config: Config, *, engine: str | None = None,
             graphs: Sequence[str] | None = None, focus_graphs: Sequence[str] | None = None,
             payload: Sequence[ox.Quad] | None = None, merge: bool = False,
             progress: Progress | None = None) -> Report:
    """The report of the store's data against its shapes graph (``config.graph_iri("shapes")``).

    ``engine``: ``store`` runs the shapes as SPARQL in the store (any size, any backend; a
    shape it cannot compile raises :class:`~xsrv_kg.errors.UnsupportedShapes`), ``pyshacl``
    copies the graphs into rdflib (the reference; seconds at 10^4 triples, hours at 10^6);
    both give the same results. None: the configured one (``config.validation_engine``).
    On a store whose SPARQL deviates from the standard (Virtuoso) the store engine gives
    way to pySHACL.

    What is validated: every graph but the shapes graph and the inferred graph (derived,
    not asserted: :mod:`xsrv_kg.sources.inference`); or only ``graphs`` (data graph
    IRIs), with the ontology graph; or ``payload`` (quads from a client, graph names
    dropped) with the ontology graph -- and with ``merge``, with all the store's data too
    (to check a proposed addition); the store is never changed. ``focus_graphs`` (store
    engine only) reports only on focus nodes these graphs mention, all the data serving as
    context.

    ``progress`` hears of the store engine's checks (pySHACL runs as one step, unreported).

    Raises :class:`~xsrv_kg.errors.BadInput` for an unknown engine, options that do not go
    together, a graph the store does not have, or shapes that are not well-formed.
    """
    engine = engine or config.validation_engine
    if engine not in VALIDATION_ENGINES:
        raise BadInput(f"unknown validation engine {engine!r}: use one of "
                       f"{', '.join(VALIDATION_ENGINES)}")
    if focus_graphs is not None and engine != "store":
        raise BadInput("focus graphs need the store validation engine (engine='store')")
    if payload is not None:
        if graphs is not None or focus_graphs is not None:
            raise BadInput("a payload is validated with the ontology (and, with merge, all "
                           "the data): it takes no graphs or focus graphs")
        ontology = config.graph_iri("ontology")
        present = store.graphs()
        context = asserted_graphs(store, config) if merge \
            else [g for g in present if g == ontology]
        chosen = in_store if engine == "store" else pyshacl_engine
        return chosen.run_with_payload(store, config, payload, context=context)
    if merge:
        raise BadInput("merge applies to a payload: without one, the store's data is validated")
    if engine == "store" and store.answers_by_the_standard:
        return in_store.run(store, config, graphs=graphs, focus_graphs=focus_graphs,
                            progress=progress)
    if focus_graphs is not None:
        # A server whose SPARQL deviates (Virtuoso) would give the in-store engine's queries
        # other answers; the reference engine copies its graphs instead, and has no focus.
        raise BadInput("focus graphs need the store validation engine, which this store's "
                       "SPARQL cannot run")
    return pyshacl_engine.run(store, config, graphs=graphs)
