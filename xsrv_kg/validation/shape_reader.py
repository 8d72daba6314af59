"""Reading a shapes graph strictly, for the compiler: one value per parameter, the
vocabulary each kind of shape may use, and every other SHACL term refused by name.

A refusal is :class:`UnsupportedShapes` when SHACL allows what the in-store engine does not
run (pySHACL does), :class:`BadInput` when the shapes are not well-formed SHACL.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..errors import BadInput, UnsupportedShapes
from ..vocab import short_name
from .sparql_terms import shape_name

#: Predicates a shape may carry that do not validate anything (pySHACL ignores them too).
ANNOTATIONS = {SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order,
               SH.group, SH.defaultValue}
TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
VALUE_PARAMETERS = {SH["class"], SH.datatype, SH.pattern, SH["in"], SH.languageIn,
                    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive}
NODE_PARAMETERS = ANNOTATIONS | TARGETS | VALUE_PARAMETERS | {
    SH.property, SH.sparql, SH.node, SH.hasValue}
PROPERTY_PARAMETERS = (NODE_PARAMETERS - TARGETS) | {
    SH.path, SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount,
    SH.qualifiedValueShapesDisjoint}


class ShapeReader:
    """The parameters of the shapes in ``shapes``, checked as they are read."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes

    def name(self, shape: Node) -> str:
        return shape_name(self.shapes, shape)

    def one(self, shape: Node, param: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, param))
        if len(values) > 1:
            raise UnsupportedShapes(f"{self.name(shape)}: more than one {short_name(param)} "
                                    "(the store engine supports one)")
        return values[0] if values else None

    def integer(self, shape: Node, param: URIRef) -> int | None:
        value = self.one(shape, param)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.toPython(), int)):
            raise BadInput(f"{self.name(shape)}: {short_name(param)} must be an integer")
        return int(value.toPython())

    def active(self, shape: Node) -> bool:
        flag = self.one(shape, SH.deactivated)
        return not (isinstance(flag, Literal) and flag.toPython() is True)

    def severity(self, shape: Node) -> URIRef:
        severity = self.one(shape, SH.severity)
        if severity is None:
            return SH.Violation
        if severity not in (SH.Violation, SH.Warning, SH.Info):
            raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not support "
                                    f"the severity {short_name(severity)}")
        return severity

    def list_items(self, shape: Node, param: URIRef) -> list[Node]:
        head = self.one(shape, param)
        if head is None:
            return []
        if head != RDF.nil and (head, RDF.first, None) not in self.shapes:
            raise BadInput(f"{self.name(shape)}: {short_name(param)} must be an RDF list")
        return list(Collection(self.shapes, head))

    def check_vocabulary(self, shape: Node, allowed: set[URIRef], kind: str) -> None:
        for p in set(self.shapes.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in allowed:
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        f"support {short_name(p)} on a {kind}")

    def path_of(self, prop: Node) -> URIRef:
        path = self.one(prop, SH.path)
        if path is None:
            raise BadInput(f"{self.name(prop)}: a property shape needs sh:path")
        if not isinstance(path, URIRef):
            kinds = {short_name(p) for p in self.shapes.predicates(path)}
            kind = ", ".join(sorted(kinds)) or "a sequence"
            raise UnsupportedShapes(f"{self.name(prop)}: the store engine supports only IRI "
                                    f"paths, not a complex sh:path ({kind})")
        return path

    def no_severity(self, shape: Node) -> None:
        """pySHACL counts a nested shape's results towards a qualified count only at
        severity Violation; the store engine supports only that case."""
        for node in [shape, *self.shapes.objects(shape, SH.property)]:
            if self.severity(node) != SH.Violation:
                raise UnsupportedShapes(f"{self.name(node)}: the store engine does not "
                                        "support sh:severity in a sh:qualifiedValueShape")
