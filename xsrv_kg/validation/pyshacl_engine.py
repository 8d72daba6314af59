"""The reference engine: pySHACL over rdflib copies of the store's graphs.

:func:`validate_graphs` is the engine itself, a pure function like pySHACL's own: data graph
and shapes graph in, :class:`~.records.Report` out. :func:`run` and :func:`run_with_payload`
copy what :func:`xsrv_kg.validation.validate` asked for out of a store first. Seconds at
10^4 triples, hours at 10^6: the in-store engine (:mod:`.in_store`) gives the same results
at any size, for the SHACL features it supports.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..config import Config
from ..errors import BadInput
from ..sources.inference import asserted_graphs
from ..store import Store
from .records import Report, Result, make_report, make_result, set_messages


def validate_graphs(data: Graph, shapes: Graph) -> Report:
    """Validate ``data`` (instance data plus the ontology it uses) against ``shapes``.

    Warnings and infos do not break conformance: only violations do.
    """
    _, report_graph, report_text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False,
        allow_warnings=True, allow_infos=True)
    if not isinstance(report_graph, Graph):  # pySHACL returns its failure instead of raising
        raise BadInput(f"the shapes cannot be used: {report_text or report_graph}")
    found = []
    for node in list(report_graph.subjects(RDF.type, SH.ValidationResult)):
        result = _result(report_graph, shapes, data, node)
        set_messages(report_graph, node, result)
        found.append(result)
    return make_report(found, report_graph)


def run(store: Store, config: Config, *, graphs: Sequence[str] | None = None) -> Report:
    """The store's data against its shapes graph: every graph but the shapes graph and the
    inferred graph, or only ``graphs`` (with the ontology graph, when the store has one)."""
    shapes_iri = config.graph_iri("shapes")
    if graphs is None:
        data = asserted_graphs(store, config)
    else:
        ontology = config.graph_iri("ontology")
        data = list(dict.fromkeys([*graphs, *([ontology] if ontology in store.graphs() else [])]))
    return validate_graphs(rdflib_graph(store, data), rdflib_graph(store, [shapes_iri]))


def run_with_payload(store: Store, config: Config, payload: Sequence[ox.Quad], *,
                     context: Sequence[str]) -> Report:
    """``payload`` (its graph names dropped) with the store's ``context`` graphs, against
    the store's shapes graph. The store is not changed."""
    data = rdflib_graph(store, list(context))
    data.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in payload],
                                 format=ox.RdfFormat.N_TRIPLES), format="nt")
    return validate_graphs(data, rdflib_graph(store, [config.graph_iri("shapes")]))


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a shape's SPARQL once per focus node; without this, rdflib re-parses the
    same text hundreds of times, which was 85% of a validation's time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], object] = {}

    def query(self, query_object, *args, initNs=None, **kwargs):  # type: ignore[override]  # noqa: N803
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted((initNs or {}).items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=initNs or {})
            query_object = self._prepared[key]
        return super().query(query_object, *args, **kwargs)


def rdflib_graph(store: Store, graphs: list[str]) -> Graph:
    """The union of the store's ``graphs`` as one rdflib graph, for pySHACL."""
    graph = _PreparedQueryGraph()
    graph.parse(data=store.dump(ox.RdfFormat.N_TRIPLES, graphs), format="nt")
    return graph


def _result(report: Graph, shapes: Graph, data: Graph, node: Node) -> Result:
    return make_result(
        shapes, data,
        severity=report.value(node, SH.resultSeverity),
        focus=report.value(node, SH.focusNode),
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
        component=report.value(node, SH.sourceConstraintComponent),
        source_shape=report.value(node, SH.sourceShape),
        source_constraint=report.value(node, SH.sourceConstraint),
        produced=[str(m) for m in report.objects(node, SH.resultMessage)])
