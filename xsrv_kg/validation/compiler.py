"""Where SHACL is compiled: a shapes graph in, a :class:`~.plan.Plan` of SPARQL queries out.

:func:`compile_shapes` is pure (an rdflib graph in, no store); :mod:`.in_store` runs the plan.
Each constraint becomes one :class:`~.plan.Check`, a SELECT finding all its results at once;
:mod:`.value_tests` writes the test of one value, :mod:`.sparql_constraints` prepares a
``sh:select``, :mod:`.shape_reader` reads the parameters and :mod:`.sparql_terms` writes the
terms.

**Supported** is exactly what the project's shapes use; anything else in the shapes graph
raises :class:`~xsrv_kg.errors.UnsupportedShapes` naming the feature (or
:class:`~xsrv_kg.errors.BadInput` for shapes that are not well-formed SHACL), never a
silent pass:

- node shapes with ``sh:targetClass`` (instances of the class or a subclass, through
  ``rdfs:subClassOf*`` in the data, as SHACL says and pySHACL does with inference off),
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; ``sh:deactivated``, ``sh:severity``,
  ``sh:message``;
- ``sh:property`` with an IRI ``sh:path`` (no sequence, inverse or other path), and
  ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype`` (those in
  :data:`~.value_tests.DATATYPES`), ``sh:pattern`` (no ``sh:flags``), ``sh:in``,
  ``sh:hasValue``, ``sh:languageIn``, ``sh:minInclusive``, ``sh:maxInclusive``,
  ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:node`` (with the node shape's own results
  nested as ``sh:detail``), ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``;
- ``sh:sparql`` constraints: ``sh:select``, ``sh:prefixes``/``sh:declare``, ``{?var}`` and
  ``{$this}`` in messages, ``$PATH`` in property shapes. ``$this`` is pre-bound by joining
  the query's WHERE clause with the shape's targets, which is what pre-binding means when
  ``$this`` appears only in the top-level group, a top-level ``OPTIONAL`` or a
  ``FILTER``/``EXISTS`` (:func:`~.sparql_constraints.rewrite_select` refuses the rest, and
  what SHACL forbids).

**pySHACL's ways are kept**, it being the reference: ``sh:severity`` on a
``sh:SPARQLConstraint`` is ignored (severity belongs to the shape: such a result is a
violation), a node shape's SPARQL results repeat the focus node as ``sh:value``, messages are
filled with the raw values (then named per language, as for pySHACL's), literals are
compared as rdflib normalizes them, and shapes without messages get pySHACL's own (blank
nodes named by id where pySHACL describes them). A SPARQL constraint that does not select
``$this`` is refused (pySHACL silently drops its results).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from ..errors import BadInput, UnsupportedShapes
from ..vocab import short_name
from .plan import Check, Plan, Target
from .shape_reader import NODE_PARAMETERS, PROPERTY_PARAMETERS, TARGETS
from .sparql_constraints import prologue, rewrite_select, sparql_prefixes
from .sparql_terms import same_term, show, sparql_iri, sparql_term
from .value_tests import RANGES, ValueTests

#: Names of the constraint components, per parameter.
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


def compile_shapes(shapes: Graph) -> Plan:
    """The checks for a shapes graph. Raises :class:`UnsupportedShapes` for what the engine
    does not support, :class:`BadInput` for what is not well-formed SHACL."""
    return _Compiler(shapes).compile()


class _Compiler(ValueTests):
    """Builds the checks of every shape, the value tests inherited."""

    def compile(self) -> Plan:
        sg = self.shapes
        for component in sg.subjects(RDF.type, SH.ConstraintComponent):
            raise UnsupportedShapes(f"{self.name(component)}: the store engine does not "
                                    "support custom constraint components "
                                    "(sh:ConstraintComponent)")
        for unsupported in (SH.targetNode, SH.target):
            for shape in sg.subjects(unsupported, None):
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        f"support {short_name(unsupported)}")
        plan = Plan()
        node_shapes = set(sg.subjects(RDF.type, SH.NodeShape))
        for target in TARGETS:
            node_shapes |= set(sg.subjects(target, None))
        for shape in sorted(node_shapes, key=str):
            if (shape, SH.path, None) in sg:
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        "support targets on a property shape")
            if {(shape, RDF.type, RDFS.Class), (shape, RDF.type, OWL.Class)} & set(
                    sg.triples((shape, RDF.type, None))):
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        "support implicit class targets (a shape that is "
                                        "also a class)")
            self.check_vocabulary(shape, NODE_PARAMETERS, "node shape")
            target = Target(
                classes=tuple(sorted(str(c) for c in sg.objects(shape, SH.targetClass))),
                subjects_of=tuple(sorted(str(p) for p in sg.objects(shape, SH.targetSubjectsOf))),
                objects_of=tuple(sorted(str(p) for p in sg.objects(shape, SH.targetObjectsOf))))
            if not self.active(shape) or not (target.classes or target.subjects_of
                                              or target.objects_of):
                continue
            plan.checks += self.node_shape_checks(shape, target)
        plan.patterns = tuple(sorted(self.patterns))
        # Every sh:property shape must be understood, even one no target reaches.
        for prop in set(sg.objects(None, SH.property)) | set(
                sg.subjects(RDF.type, SH.PropertyShape)):
            self.check_vocabulary(prop, PROPERTY_PARAMETERS, "property shape")
            self.path_of(prop)
        return plan

    def node_shape_checks(self, shape: Node, target: Target) -> list[Check]:
        checks = self.value_checks(shape, target, path=None)
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            self.check_vocabulary(prop, PROPERTY_PARAMETERS, "property shape")
            if self.active(prop):
                checks += self.property_checks(prop, target)
        for constraint in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            check = self.sparql_check(shape, constraint, target, path=None)
            if check is not None:
                checks.append(check)
        return checks

    def property_checks(self, prop: Node, target: Target) -> list[Check]:
        sg = self.shapes
        path = self.path_of(prop)
        p = sparql_iri(path)
        checks = []
        minimum = self.integer(prop, SH.minCount)
        if minimum is not None and minimum > 0:
            x = self.v()
            if minimum == 1:
                body = f"FILTER NOT EXISTS {{ ?this {p} {x} }}", ""
            else:
                body = (f"OPTIONAL {{ ?this {p} {x} }}",
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) < {minimum})")
            checks.append(self.core(
                prop, SH.minCount, target, path, body,
                generic=f"Less than {minimum} values on {{focus}}->{show(path)}"))
        maximum = self.integer(prop, SH.maxCount)
        if maximum is not None:
            x = self.v()
            checks.append(self.core(
                prop, SH.maxCount, target, path,
                (f"?this {p} {x} .", f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) > {maximum})"),
                generic=f"More than {maximum} values on {{focus}}->{show(path)}"))
        checks += self.value_checks(prop, target, path)
        qualified = self.one(prop, SH.qualifiedValueShape)
        if qualified is not None:
            checks.append(self.qualified_check(prop, qualified, target, path))
        elif (prop, SH.qualifiedMinCount, None) in sg:
            raise BadInput(f"{self.name(prop)}: sh:qualifiedMinCount without "
                           "sh:qualifiedValueShape")
        for constraint in sorted(sg.objects(prop, SH.sparql), key=str):
            check = self.sparql_check(prop, constraint, target, path=path)
            if check is not None:
                checks.append(check)
        return checks

    def core(self, shape: Node, param: URIRef, target: Target, path: URIRef | None,
             body: tuple[str, str], *, value: bool = False, generic: str = "",
             details: tuple[Check, ...] = ()) -> Check:
        where, modifiers = body
        projection = "DISTINCT ?this ?value" if value else "DISTINCT ?this"
        if modifiers:
            projection = "?this"
        return Check(
            shape=shape, component=COMPONENTS[param], severity=self.severity(shape),
            path=path, target=target, prologue="",
            before=f"SELECT {projection} WHERE {{", after=f"{where} }} {modifiers}",
            templates=tuple(self.shapes.objects(shape, SH.message)), generic=generic,
            details=details, valued=value)

    def value_checks(self, shape: Node, target: Target, path: URIRef | None) -> list[Check]:
        """The constraints on each value node (for a node shape: on the focus node)."""
        sg = self.shapes
        checks = []
        for param in (SH["class"], SH.datatype, SH.pattern, SH["in"], SH.languageIn,
                      *RANGES, SH.hasValue, SH.node):
            if (shape, param, None) not in sg:
                continue
            if param == SH.hasValue:
                checks.append(self.has_value_check(shape, target, path))
                continue
            if param == SH.node:
                checks.append(self.node_check(shape, target, path))
                continue
            test, generic = self.violates(shape, param, "?value")
            if path is None:
                body = (f"BIND(?this AS ?value) FILTER({test})", "")
            else:
                body = (f"?this {sparql_iri(path)} ?value . FILTER({test})", "")
            check = self.core(shape, param, target, path, body, value=True, generic=generic)
            checks.append(check)
        return checks

    def has_value_check(self, shape: Node, target: Target, path: URIRef | None) -> Check:
        value = self.one(shape, SH.hasValue)
        shown = [show(value)]
        if path is None:
            body = (f"FILTER(!{same_term('?this', value)})", "")
            generic = f"Node {{focus}} value is not a in the set of values: {shown}"
        else:
            body = (f"FILTER NOT EXISTS {{ ?this {sparql_iri(path)} {sparql_term(value)} }}",
                    "")
            generic = (f"Node {{focus}}->{show(path)} does not contain a value "
                       f"in the set: {shown}")
        return self.core(shape, SH.hasValue, target, path, body, generic=generic)

    def node_check(self, shape: Node, target: Target, path: URIRef | None) -> Check:
        node_shape = self.one(shape, SH.node)
        test = self.violation(node_shape, "?value")
        if path is None:
            body = (f"BIND(?this AS ?value) FILTER EXISTS {{ {test} }}", "")
        else:
            body = (f"?this {sparql_iri(path)} ?value . FILTER EXISTS {{ {test} }}", "")
        values = Target(parent=target, path=str(path) if path is not None else None)
        details = tuple(self.node_shape_checks(node_shape, values)) \
            if self.active(node_shape) else ()
        return self.core(shape, SH.node, target, path, body, value=True, details=details,
                         generic=f"Value does not conform to Shape {show(node_shape)}. "
                                 "See details for more information.")

    def qualified_check(self, prop: Node, qualified: Node, target: Target,
                        path: URIRef) -> Check:
        minimum = self.integer(prop, SH.qualifiedMinCount)
        if minimum is None:
            raise UnsupportedShapes(f"{self.name(prop)}: the store engine supports "
                                    "sh:qualifiedValueShape only with sh:qualifiedMinCount")
        disjoint = self.one(prop, SH.qualifiedValueShapesDisjoint)
        if isinstance(disjoint, Literal) and disjoint.toPython() is True:
            raise UnsupportedShapes(f"{self.name(prop)}: the store engine does not support "
                                    "sh:qualifiedValueShapesDisjoint true")
        self.no_severity(qualified)
        x, p = self.v(), sparql_iri(path)
        conforms = f"FILTER NOT EXISTS {{ {self.violation(qualified, x)} }}"
        if minimum <= 0:
            body = ("FILTER(false)", "")
        elif minimum == 1:
            body = (f"FILTER NOT EXISTS {{ ?this {p} {x} . {conforms} }}", "")
        else:
            body = (f"OPTIONAL {{ ?this {p} {x} . {conforms} }}",
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) < {minimum})")
        return self.core(prop, SH.qualifiedMinCount, target, path, body,
                         generic=f"Focus node does not conform to shape MinCount {minimum}: "
                                 f"{show(qualified)}")

    def sparql_check(self, shape: Node, constraint: Node, target: Target,
                     path: URIRef | None) -> Check | None:
        sg = self.shapes
        where = f"{self.name(shape)}, sh:sparql"
        for p in set(sg.predicates(constraint)):
            if str(p).startswith(str(SH)) and p not in (SH.select, SH.prefixes, SH.message,
                                                          SH.deactivated, SH.severity):
                raise UnsupportedShapes(f"{where}: the store engine does not support "
                                        f"{short_name(p)} in a SPARQL constraint")
        if not self.active(constraint):
            return None
        selects = list(sg.objects(constraint, SH.select))
        if len(selects) != 1 or not isinstance(selects[0], Literal):
            raise BadInput(f"{where}: needs exactly one sh:select")
        select = rewrite_select(str(selects[0]), where, path)
        prefixes = sparql_prefixes(sg, constraint)
        declared = prologue(prefixes) + select.prologue
        # pySHACL reports the shape's own messages too; the record uses the constraint's.
        return Check(
            shape=shape, component=SH.SPARQLConstraintComponent, severity=self.severity(shape),
            path=path, target=target, prologue=declared, before=select.before,
            after=select.after, constraint=constraint, value_is_focus=path is None,
            templates=(*sg.objects(constraint, SH.message), *sg.objects(shape, SH.message)))

