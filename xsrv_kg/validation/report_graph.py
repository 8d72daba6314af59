"""What the in-store engine's checks find (:class:`Found`), made into the report: the
records (:func:`~.records.make_result`) and a report graph like pySHACL's (``sh:detail``
nesting, blank shapes and blank data nodes copied in, messages as pySHACL writes them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .plan import Check
from .records import Report, Result, make_report, make_result, set_messages
from .sparql_terms import show


@dataclass
class Found:
    """One result as a check finds it."""

    check: Check
    focus: Node
    value: Node | None
    path: Node | None
    bindings: dict[str, Node]
    details: list[Found] = field(default_factory=list)

    def copy(self) -> Found:
        """A copy to nest under one more parent (each parent gets its own details)."""
        return Found(self.check, self.focus, self.value, self.path, self.bindings,
                     [d.copy() for d in self.details])


def walk(found: Iterable[Found]) -> Iterator[Found]:
    """Every finding, nested details included."""
    for f in found:
        yield f
        yield from walk(f.details)


def build_report(found: Sequence[Found], shapes: Graph, context: Graph) -> Report:
    """The report of these findings. ``shapes`` is the shapes graph the plan was compiled
    from; ``context`` holds the names, spans and texts of the nodes involved."""
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    results: list[Result] = []
    for f in found:
        graph.add((report, SH.result, _report_result(graph, shapes, context, f, results)))
    final = make_report(results, graph)
    graph.add((report, SH.conforms, Literal(final.conforms)))
    return final


def _produced(f: Found, context: Graph) -> list[str]:
    """The messages as pySHACL writes them: templates with ``{?var}`` replaced by the raw
    values (SPARQL constraints) or as they are (core constraints); its generic message
    when the shape has none."""
    check = f.check
    if check.constraint is not None:
        bound: dict[str, Node] = dict(f.bindings)
        bound["this"] = f.focus
        if f.value is not None:
            bound["value"] = f.value
        out = []
        for template in check.templates:
            text = str(template)
            for name, node in bound.items():
                text = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, n=node: str(n), text)
            out.append(text)
        return out
    if check.templates:
        return [str(t) for t in check.templates]
    if not check.generic:
        return []
    return [check.generic.replace("{focus}", show(f.focus)).replace("{value}", show(f.value))]


def _clone(source: Graph, target: Graph, node: Node, seen: set[Node] | None = None) -> None:
    """Copy a blank node's description (and its blank objects') as pySHACL does."""
    seen = set() if seen is None else seen
    if not isinstance(node, BNode) or node in seen:
        return
    seen.add(node)
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        _clone(source, target, o, seen)


def _report_result(graph: Graph, shapes: Graph, context: Graph, f: Found,
                   results: list[Result]) -> BNode:
    check = f.check
    result = make_result(
        shapes, context, severity=check.severity, focus=f.focus, path=f.path, value=f.value,
        component=check.component, source_shape=check.shape,
        source_constraint=check.constraint, produced=_produced(f, context))
    results.append(result)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, f.focus))
    if f.path is not None:
        graph.add((node, SH.resultPath, f.path))
    if f.value is not None:
        graph.add((node, SH.value, f.value))
    graph.add((node, SH.sourceShape, check.shape))
    if check.constraint is not None:
        graph.add((node, SH.sourceConstraint, check.constraint))
    graph.add((node, SH.sourceConstraintComponent, check.component))
    graph.add((node, SH.resultSeverity, check.severity))
    set_messages(graph, node, result)
    for term in (check.shape, check.constraint):
        if term is not None:
            _clone(shapes, graph, term)
    for term in (f.focus, f.value):
        if term is not None:
            _clone(context, graph, term)
    for detail in f.details:
        graph.add((node, SH.detail, _report_result(graph, shapes, context, detail, results)))
    return node
