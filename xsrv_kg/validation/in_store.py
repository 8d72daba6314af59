"""Validation inside the store: the SHACL shapes compiled to SPARQL.

pySHACL (:func:`xsrv_kg.validation.validate`) copies the data into rdflib and checks one
focus node at a time: 12 s at 10^4 triples, unusable at 10^6. This engine reads the shapes
from the store's shapes graph, compiles them once into a :class:`Plan` -- one SPARQL SELECT
per constraint, each finding *all* the results of that constraint at once -- and runs it
through the :class:`~xsrv_kg.store.Store` interface only, so it works on every backend, a
remote SPARQL server included (about 15 s for 10^6 triples on the embedded store, 2 cores).

It gives the same results as pySHACL (``tests/test_store_validation.py`` compares them): the
same :class:`~xsrv_kg.validation.Report` records, built by the same code
(:func:`~.pyshacl_engine.make_result`), and an equivalent report graph (``sh:detail``
nesting, blank shapes and blank data nodes copied in, as pySHACL does). The names, spans and
texts the records need are fetched afterwards for the nodes of the results only.

**Supported** is exactly what the project's shapes use; anything else in the shapes graph
raises :class:`~xsrv_kg.errors.BadInput` naming the feature, never a silent pass:

- node shapes with ``sh:targetClass`` (instances of the class or a subclass, through
  ``rdfs:subClassOf*`` in the data, as SHACL says and pySHACL does with inference off),
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; ``sh:deactivated``, ``sh:severity``,
  ``sh:message``;
- ``sh:property`` with an IRI ``sh:path`` (no sequence, inverse or other path), and
  ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype`` (those in
  :data:`DATATYPES`), ``sh:pattern`` (no ``sh:flags``), ``sh:in``, ``sh:hasValue``,
  ``sh:languageIn``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
  ``sh:maxExclusive``, ``sh:node`` (with the node shape's own results nested as
  ``sh:detail``), ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``;
- ``sh:sparql`` constraints: ``sh:select``, ``sh:prefixes``/``sh:declare``, ``{?var}`` and
  ``{$this}`` in messages, ``$PATH`` in property shapes. ``$this`` is pre-bound by joining
  the query's WHERE clause with the shape's targets, which is what pre-binding means when
  ``$this`` appears only in the top-level group, a top-level ``OPTIONAL`` or a
  ``FILTER``/``EXISTS`` (:func:`rewrite_select` refuses the rest, and what SHACL forbids).

**pySHACL's ways are kept**, it being the reference: ``sh:severity`` on a
``sh:SPARQLConstraint`` is ignored (severity belongs to the shape: such a result is a
violation), a node shape's SPARQL results repeat the focus node as ``sh:value``, messages are
filled with the raw values (then named per language, as for pySHACL's), literals are
compared as rdflib normalizes them, and shapes without messages get pySHACL's own (blank
nodes named by id where pySHACL describes them). A SPARQL constraint that does not select
``$this`` is refused (pySHACL silently drops its results).

**Which data.** By default every graph but the shapes graph, as pySHACL gets it from
:func:`~.pyshacl_engine.graphs_for_validation`. The queries run on the union default graph
(an explicit list of graphs is 35 times slower in Oxigraph with 335 graphs), which includes
the shapes graph; :func:`_shapes_stay_apart` checks that this cannot change a result, and
otherwise the queries name the data graphs. ``graphs=`` validates only the graphs named, with
the ontology graph always added (class targets and ``sh:class`` need its
``rdfs:subClassOf``), just as pySHACL would see them alone: a shape that looks into another
graph (a link to another document, a code table) sees only what the graphs named hold.
``focus_graphs=`` keeps all the data as context and reports only on focus nodes those graphs
mention: the check of what an update touched (a count stated elsewhere whose members the
update changed is not re-checked unless its graph is named too).

**Blank nodes** cannot be named in a query: the names and spans of a blank focus or value
node are fetched by running its check again as a subquery. That needs blank node identity
across queries, which Oxigraph (embedded or server) gives; elsewhere such a node is named by
its id and quoted without source sentence.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ..config import Config
from ..errors import BadInput
from ..sparql import rq
from ..sparql.lexer import Token, tokens
from ..store import Store
from ..vocab import short_name
from .pyshacl_engine import Report, Result, make_report, make_result, set_messages

#: sh:datatype values the engine checks, and how pySHACL (rdflib) decides that a literal of
#: that datatype is well formed: ``None`` for no check beyond the datatype IRI.
DATATYPES: dict[str, str | None] = {
    str(XSD.string): None,
    str(RDF.langString): None,
    str(XSD.gYear): None,  # rdflib does not parse gYear: any lexical form passes
    # rdflib parses these with Python's int / Decimal (leading blanks and + allowed).
    str(XSD.integer): r"^\s*[+-]?[0-9]+\s*$",
    str(XSD.decimal): r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$",
    str(XSD.boolean): r"^(true|false|1|0)$",
    # Checked by casting (the SPARQL cast and rdflib's parser agree on these).
    str(XSD.date): "cast",
    str(XSD.dateTime): "cast",
}

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
RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
          SH.maxExclusive: "<"}
#: IRIs ending a query's FILTER for "not an instance of": the SHACL class-instance path.
INSTANCE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
#: Prefixes pySHACL declares for every SPARQL constraint.
BASE_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
#: Focus or value nodes per context query.
CHUNK = 1000
#: Checks run side by side (threads: pyoxigraph releases the GIL while it evaluates).
WORKERS = max(1, min(4, os.cpu_count() or 1))


def _n(term: Node) -> str:
    """A term of the shapes graph written in SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise BadInput(f"a blank node ({term.n3()}) cannot be written into a query")


def _name(shapes: Graph, node: Node) -> str:
    """A shape as the error messages name it."""
    if isinstance(node, BNode):
        owner = shapes.value(None, SH.property, node) or shapes.value(None, SH.sparql, node) \
            or shapes.value(None, SH.qualifiedValueShape, node)
        path = shapes.value(node, SH.path)
        inner = f"a shape on {short_name(path)}" if path is not None \
            else "a blank-node shape"
        return f"{inner} of {_name(shapes, owner)}" if owner is not None else inner
    return short_name(node)


# --------------------------------------------------------------------------------------
# SPARQL constraints: tokens enough to pre-bind $this by a join.
# --------------------------------------------------------------------------------------

AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
#: Refused anywhere in a SPARQL constraint, with the reason.
REFUSED = {
    "MINUS": "MINUS (SHACL forbids it in SPARQL constraints)",
    "VALUES": "VALUES (SHACL forbids it in SPARQL constraints)",
    "SERVICE": "SERVICE (SHACL forbids it in SPARQL constraints)",
    "LIMIT": "LIMIT (it would apply to all focus nodes at once, not to each)",
    "OFFSET": "OFFSET (it would apply to all focus nodes at once, not to each)",
    "GRAPH": "GRAPH (the data graph has no named graphs in SHACL)",
    "FROM": "FROM (the dataset is the data graph)",
}


@dataclass(frozen=True)
class Select:
    """A SPARQL constraint's query, ready to run for all focus nodes at once."""

    prologue: str  #: the query's own PREFIX/BASE declarations
    before: str    #: the query up to and including the ``{`` of its WHERE clause
    after: str     #: the rest; the target pattern goes between the two
    variables: tuple[str, ...]  #: projected variables (empty for ``SELECT *``)


def rewrite_select(text: str, where: str, path: URIRef | None) -> Select:
    """Prepare a SPARQL constraint's ``sh:select`` so that joining its WHERE clause with a
    pattern binding ``?this`` gives, for every focus node at once, what pre-binding
    ``$this`` to each would. Raises :class:`BadInput` for what cannot be run that way.

    Joining equals pre-binding where ``$this`` is bound whenever it is used: in the
    top-level group, in a top-level ``OPTIONAL`` (its left side holds the targets), in any
    ``FILTER``/``EXISTS`` (evaluated with the solution's bindings), and in a top-level
    subquery that selects ``$this`` (following the same rules inside). Grouping and
    aggregates get ``$this`` added to their GROUP BY: pre-bound, it is one value per query.
    """
    toks = tokens(text)
    # The prologue: PREFIX and BASE declarations before SELECT.
    i = 0
    while i < len(toks) and toks[i].upper in ("PREFIX", "BASE"):
        i += 3 if toks[i].upper == "PREFIX" else 2
    if i >= len(toks) or toks[i].upper != "SELECT":
        raise BadInput(f"{where}: sh:select must be a SELECT query")
    reader = _SelectReader(toks, where, path)
    end, opening, variables = reader.select(i, nested=False)
    if end != len(toks):
        raise BadInput(f"{where}: sh:select has text after its query")
    edits = [*reader.edits, (toks[opening].end, toks[opening].end, "\x00")]
    prologue_end = toks[i].start
    out = text
    for start, stop, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[stop:]
    before, after = out[prologue_end:].split("\x00")
    return Select(text[:prologue_end], before, after, tuple(variables))


class _SelectReader:
    """Reads a SELECT query's tokens, checking where ``$this`` appears and noting the
    edits (``$PATH``, GROUP BY ``?this``) as (start, end, replacement)."""

    def __init__(self, toks: list[Token], where: str, path: URIRef | None) -> None:
        self.toks, self.where, self.path = toks, where, path
        self.edits: list[tuple[int, int, str]] = []

    def refuse(self, why: str) -> BadInput:
        return BadInput(f"{self.where}: the store engine does not support {why}")

    def select(self, i: int, nested: bool) -> tuple[int, int, list[str]]:
        """Read the SELECT at ``toks[i]``: (the index after it, the index of its WHERE
        clause's ``{``, its projected variables). A nested one ends before the ``}`` of
        the group around it."""
        toks = self.toks
        variables: list[str] = []
        star = False
        depth = 0
        j = i + 1
        while j < len(toks) and not (depth == 0 and toks[j].text == "{"):
            tok = toks[j]
            if tok.upper in REFUSED:
                raise self.refuse(REFUSED[tok.upper])
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif tok.text == "*" and depth == 0:
                star = True
            elif tok.kind == "var" and (depth == 0 or toks[j - 1].upper == "AS"):
                variables.append(tok.text[1:])
            j += 1
        if j >= len(toks):
            raise BadInput(f"{self.where}: sh:select has no WHERE clause")
        projection = toks[i + 1:j]
        if "this" not in variables and (nested or not star):
            raise self.refuse("a subquery that does not select $this" if nested else
                              "a query that does not select $this (pySHACL would drop its "
                              "results)")
        if "failure" in variables and not nested:
            raise self.refuse("?failure")
        top_end = self.where_clause(j)
        # The solution modifiers, up to the end (or the subquery's closing brace).
        k = top_end + 1
        while k < len(toks) and not (nested and toks[k].text == "}"):
            if toks[k].upper in REFUSED:
                raise self.refuse(REFUSED[toks[k].upper])
            k += 1
        rest = toks[top_end + 1:k]
        uppers = [t.upper for t in rest]
        having = rest[uppers.index("HAVING"):] if "HAVING" in uppers else []
        aggregated = any(t.upper in AGGREGATES for t in [*projection, *having])
        if "GROUP" in uppers:
            g = uppers.index("GROUP")
            grouped = []
            for tok in rest[g + 2:]:
                if tok.upper in ("HAVING", "ORDER"):
                    break
                grouped.append(tok)
            if not any(t.kind == "var" and t.text[1:] == "this" for t in grouped):
                self.edits.append((rest[g + 1].end, rest[g + 1].end, " ?this"))
        elif aggregated:
            self.edits.append((toks[top_end].end, toks[top_end].end, "\nGROUP BY ?this"))
        return k, j, variables

    def where_clause(self, j: int) -> int:
        """Read the group opening at ``toks[j]``; the index of its closing brace."""
        toks = self.toks
        stack: list[str] = []
        k = j
        while k < len(toks):
            tok = toks[k]
            prev = toks[k - 1].upper if k > 0 else ""
            if tok.upper in REFUSED:
                raise self.refuse(REFUSED[tok.upper])
            if tok.upper == "SELECT":
                raise self.refuse("a subquery below the top-level group")
            if tok.text == "{":
                if stack and k + 1 < len(toks) and toks[k + 1].upper == "SELECT":
                    if stack != ["top"]:
                        raise self.refuse("a subquery below the top-level group")
                    k, _, _ = self.select(k + 1, nested=True)  # k: the group's "}"
                    k += 1
                    continue
                kind = "top" if not stack else {"OPTIONAL": "optional",
                                                "EXISTS": "exists"}.get(prev, "group")
                stack.append(kind)
            elif tok.text == "}":
                stack.pop()
                if not stack:
                    return k
            elif tok.kind == "var":
                self.variable(tok, prev, stack)
            k += 1
        raise BadInput(f"{self.where}: sh:select has an unbalanced WHERE clause")

    def variable(self, tok: Token, prev: str, stack: list[str]) -> None:
        name = tok.text[1:]
        if name in ("currentShape", "shapesGraph"):
            raise self.refuse(f"${name}")
        if name == "PATH":
            if self.path is None:
                raise BadInput(f"{self.where}: $PATH in the query of a node shape")
            self.edits.append((tok.start, tok.end, f"<{self.path}>"))
        if name == "this":
            if prev == "AS":
                raise self.refuse("binding $this with AS")
            scope = stack[:stack.index("exists")] if "exists" in stack else stack
            if scope not in (["top"], ["top", "optional"]):
                raise self.refuse(
                    "$this inside a UNION branch, a nested group or a nested OPTIONAL (only "
                    "the top-level group, a top-level OPTIONAL or subquery, and "
                    "FILTER/EXISTS can be joined with the targets)")


def sparql_prefixes(shapes: Graph, constraint: Node) -> dict[str, str]:
    """The prefixes pySHACL declares for a SPARQL constraint: rdf, rdfs, owl, then those
    of its ``sh:prefixes`` (and, as pySHACL does, of every owl:Ontology in the shapes)."""
    prefixes = dict(BASE_PREFIXES)
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    global_declares = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for holder in shapes.objects(constraint, SH.prefixes):
        own = set(shapes.objects(holder, SH.declare))
        declares = own if own and holder in ontologies else own | global_declares
        found: dict[str, str] = {}
        for dec in declares:
            prefix, namespace = shapes.value(dec, SH.prefix), shapes.value(dec, SH.namespace)
            if prefix is None or namespace is None:
                raise BadInput(f"{_name(shapes, holder)}: sh:declare needs sh:prefix and "
                               "sh:namespace")
            if found.get(str(prefix), str(namespace)) != str(namespace):
                raise BadInput(f"{_name(shapes, holder)}: prefix {prefix!s} is declared "
                               f"with two namespaces")
            found[str(prefix)] = str(namespace)
        prefixes.update(found)
    return prefixes


# --------------------------------------------------------------------------------------
# The plan: shapes -> checks.
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """What binds a check's ``?this``: the targets of a shape, or the values of a path
    from another target's nodes (the value nodes a ``sh:node`` constraint checks)."""

    classes: tuple[str, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    parent: Target | None = None
    path: str | None = None  #: from the parent's nodes (None: the parent's nodes themselves)

    def pattern(self, var: str = "?this", focus_filter: str = "") -> str:
        """A group pattern binding ``var`` to each node once; ``focus_filter`` (a FILTER on
        ``?xsrvF``) keeps only some (only applied to a shape's own targets)."""
        if self.parent is not None:
            if self.path is None:
                return self.parent.pattern(var, focus_filter)
            outer = self.parent.pattern("?xsrvO", focus_filter)
            return (f"{{ SELECT DISTINCT (?xsrvV AS {var}) WHERE {{ {outer} "
                    f"?xsrvO <{self.path}> ?xsrvV }} }}")
        parts = [f"{{ ?xsrvF {INSTANCE_PATH} <{c}> }}" for c in self.classes]
        parts += [f"{{ ?xsrvF <{p}> ?xsrvA }}" for p in self.subjects_of]
        parts += [f"{{ ?xsrvA <{p}> ?xsrvF }}" for p in self.objects_of]
        union = " UNION ".join(parts)
        return (f"{{ SELECT DISTINCT (?xsrvF AS {var}) WHERE {{ {union} {focus_filter} }} }}")


@dataclass
class Check:
    """One constraint of one shape, as a query that finds all its results.

    The query selects ``?this`` (the focus node), ``?value`` when results have a value,
    ``?path`` when a SPARQL constraint gives one, and the variables its messages use.
    """

    shape: Node
    component: URIRef
    severity: URIRef
    path: URIRef | None  #: the property shape's path (the result path)
    target: Target
    prologue: str
    before: str  #: query text up to where the target pattern goes
    after: str
    constraint: Node | None = None  #: the sh:sparql node of a SPARQL constraint
    #: results have a value (the value node a core constraint rejects)
    valued: bool = False
    #: sh:value defaults to the focus node (the results of a node shape's SPARQL constraint)
    value_is_focus: bool = False
    templates: tuple[Literal, ...] = ()  #: the messages of the shape (and constraint)
    generic: str = ""  #: pySHACL's own message when the shape has none (with {focus}/{value})
    #: sh:node: the node shape's checks, run on the values when this check finds a result
    details: tuple[Check, ...] = ()

    def query(self, focus_filter: str = "") -> str:
        return self.prologue + self.body(focus_filter)

    def body(self, focus_filter: str = "") -> str:
        """The query without its prologue (to nest as a subquery)."""
        return f"{self.before} {self.target.pattern('?this', focus_filter)} {self.after}"


@dataclass
class Plan:
    """The shapes graph compiled: the checks of every active shape that has targets."""

    checks: list[Check] = field(default_factory=list)
    #: the sh:pattern regexes (the store must accept them: a regex SPARQL cannot compile is
    #: an error in the expression, which would let every value pass)
    patterns: tuple[str, ...] = ()


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.fresh = count()
        self.nesting: list[Node] = []
        self.patterns: set[str] = set()

    # -- helpers --------------------------------------------------------------------------

    def v(self, stem: str = "v") -> str:
        return f"?xsrv{stem}{next(self.fresh)}"

    def one(self, shape: Node, param: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, param))
        if len(values) > 1:
            raise BadInput(f"{_name(self.shapes, shape)}: more than one {short_name(param)} "
                           "(the store engine supports one)")
        return values[0] if values else None

    def integer(self, shape: Node, param: URIRef) -> int | None:
        value = self.one(shape, param)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.toPython(), int)):
            raise BadInput(f"{_name(self.shapes, shape)}: {short_name(param)} must be an integer")
        return int(value.toPython())

    def active(self, shape: Node) -> bool:
        flag = self.one(shape, SH.deactivated)
        return not (isinstance(flag, Literal) and flag.toPython() is True)

    def severity(self, shape: Node) -> URIRef:
        severity = self.one(shape, SH.severity)
        if severity is None:
            return SH.Violation
        if severity not in (SH.Violation, SH.Warning, SH.Info):
            raise BadInput(f"{_name(self.shapes, shape)}: the store engine does not support "
                           f"the severity {short_name(severity)}")
        return severity

    def list_items(self, shape: Node, param: URIRef) -> list[Node]:
        head = self.one(shape, param)
        if head is None:
            return []
        if head != RDF.nil and (head, RDF.first, None) not in self.shapes:
            raise BadInput(f"{_name(self.shapes, shape)}: {short_name(param)} must be an RDF list")
        return list(Collection(self.shapes, head))

    def check_vocabulary(self, shape: Node, allowed: set[URIRef], kind: str) -> None:
        for p in set(self.shapes.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in allowed:
                what = short_name(p)
                raise BadInput(f"{_name(self.shapes, shape)}: the store engine does not "
                               f"support {what} on a {kind}")

    # -- shapes ---------------------------------------------------------------------------

    def compile(self) -> Plan:
        sg = self.shapes
        for component in sg.subjects(RDF.type, SH.ConstraintComponent):
            raise BadInput(f"{_name(sg, component)}: the store engine does not support "
                           "custom constraint components (sh:ConstraintComponent)")
        for unsupported in (SH.targetNode, SH.target):
            for shape in sg.subjects(unsupported, None):
                raise BadInput(f"{_name(sg, shape)}: the store engine does not support "
                               f"{short_name(unsupported)}")
        plan = Plan()
        node_shapes = set(sg.subjects(RDF.type, SH.NodeShape))
        for target in TARGETS:
            node_shapes |= set(sg.subjects(target, None))
        for shape in sorted(node_shapes, key=str):
            if (shape, SH.path, None) in sg:
                raise BadInput(f"{_name(sg, shape)}: the store engine does not support "
                               "targets on a property shape")
            if {(shape, RDF.type, RDFS.Class), (shape, RDF.type, OWL.Class)} & set(
                    sg.triples((shape, RDF.type, None))):
                raise BadInput(f"{_name(sg, shape)}: the store engine does not support "
                               "implicit class targets (a shape that is also a class)")
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

    def path_of(self, prop: Node) -> URIRef:
        path = self.one(prop, SH.path)
        if path is None:
            raise BadInput(f"{_name(self.shapes, prop)}: a property shape needs sh:path")
        if not isinstance(path, URIRef):
            kinds = {short_name(p) for p in self.shapes.predicates(path)}
            kind = ", ".join(sorted(kinds)) or "a sequence"
            raise BadInput(f"{_name(self.shapes, prop)}: the store engine supports only IRI "
                           f"paths, not a complex sh:path ({kind})")
        return path

    def property_checks(self, prop: Node, target: Target) -> list[Check]:
        sg = self.shapes
        path = self.path_of(prop)
        p = f"<{path}>"
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
                generic=f"Less than {minimum} values on {{focus}}->{_show(path)}"))
        maximum = self.integer(prop, SH.maxCount)
        if maximum is not None:
            x = self.v()
            checks.append(self.core(
                prop, SH.maxCount, target, path,
                (f"?this {p} {x} .", f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) > {maximum})"),
                generic=f"More than {maximum} values on {{focus}}->{_show(path)}"))
        checks += self.value_checks(prop, target, path)
        qualified = self.one(prop, SH.qualifiedValueShape)
        if qualified is not None:
            checks.append(self.qualified_check(prop, qualified, target, path))
        elif (prop, SH.qualifiedMinCount, None) in sg:
            raise BadInput(f"{_name(sg, prop)}: sh:qualifiedMinCount without "
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
                body = (f"?this <{path}> ?value . FILTER({test})", "")
            check = self.core(shape, param, target, path, body, value=True, generic=generic)
            checks.append(check)
        return checks

    def violates(self, shape: Node, param: URIRef, x: str) -> tuple[str, str]:
        """A SPARQL expression true when value ``x`` violates the shape's ``param``, and
        pySHACL's generic message for it."""
        sg = self.shapes
        value = self.one(shape, param)
        if param == SH["class"]:
            return (f"NOT EXISTS {{ {x} {INSTANCE_PATH} {_n(value)} }}",
                    f"Value does not have class {_show(value)}")
        if param == SH.datatype:
            dt = str(value)
            if dt not in DATATYPES:
                raise BadInput(f"{_name(sg, shape)}: the store engine does not support "
                               f"sh:datatype {_show(value)} (supported: "
                               f"{', '.join(sorted(_show(URIRef(d)) for d in DATATYPES))})")
            check = DATATYPES[dt]
            if dt == str(RDF.langString):
                ok = f"isLiteral({x}) && lang({x}) != \"\""
            else:
                ok = f"isLiteral({x}) && sameTerm(datatype({x}), <{dt}>)"
            if check == "cast":
                ok += f" && COALESCE(sameTerm(datatype(<{dt}>(STR({x}))), <{dt}>), false)"
            elif check:
                ok += f" && REGEX(STR({x}), {_string(check)})"
            return f"!({ok})", f"Value is not Literal with datatype {_show(value)}"
        if param == SH.pattern:
            if (shape, SH.flags, None) in sg:
                raise BadInput(f"{_name(sg, shape)}: the store engine does not support sh:flags")
            try:
                re.compile(str(value))
            except re.error as exc:
                raise BadInput(f"{_name(sg, shape)}: sh:pattern {str(value)!r} is not a "
                               f"regular expression: {exc}") from None
            self.patterns.add(str(value))
            return (f"isBlank({x}) || !REGEX(STR({x}), {_string(str(value))})",
                    f"Value does not match pattern '{value}'")
        if param == SH["in"]:
            items = self.list_items(shape, SH["in"])
            tests = [_same(x, item) for item in items] or ["false"]
            shown = [_show(i) for i in items]
            return f"!({' || '.join(tests)})", f"Value {{value}} not in list {shown}"
        if param == SH.languageIn:
            wanted = [str(i).lower() for i in self.list_items(shape, SH.languageIn)]
            if "*" in wanted:
                ok = f"lang({x}) != \"\""
            else:
                listed = ", ".join(_string(w) for w in wanted) or '""'
                ok = (f"lang({x}) != \"\" && (LCASE(lang({x})) IN ({listed}) || "
                      f"LCASE(STRBEFORE(CONCAT(lang({x}), \"-\"), \"-\")) IN ({listed}))")
            return (f"!(isLiteral({x}) && {ok})",
                    f"String language is not in {_show(self.one(shape, SH.languageIn))}")
        if param in RANGES:
            op = RANGES[param]
            if not isinstance(value, Literal):
                raise BadInput(f"{_name(sg, shape)}: {short_name(param)} must be a literal")
            # rdflib reads " 7"^^xsd:integer as 7; Oxigraph finds it ill-formed and cannot
            # compare it: compare the trimmed form again.
            trimmed = f'STRDT(REPLACE(STR({x}), "^\\\\s+|\\\\s+$", ""), datatype({x}))'
            return (f"!COALESCE(isLiteral({x}) && COALESCE({x} {op} {_n(value)}, "
                    f"{trimmed} {op} {_n(value)}), false)",
                    f"Value is not {op} {_show(value)}")
        raise AssertionError(param)

    def has_value_check(self, shape: Node, target: Target, path: URIRef | None) -> Check:
        value = self.one(shape, SH.hasValue)
        shown = [_show(value)]
        if path is None:
            body = (f"FILTER(!{_same('?this', value)})", "")
            generic = f"Node {{focus}} value is not a in the set of values: {shown}"
        else:
            body = (f"FILTER NOT EXISTS {{ ?this <{path}> {_n(value)} }}", "")
            generic = (f"Node {{focus}}->{_show(path)} does not contain a value "
                       f"in the set: {shown}")
        return self.core(shape, SH.hasValue, target, path, body, generic=generic)

    def node_check(self, shape: Node, target: Target, path: URIRef | None) -> Check:
        node_shape = self.one(shape, SH.node)
        test = self.violation(node_shape, "?value")
        if path is None:
            body = (f"BIND(?this AS ?value) FILTER EXISTS {{ {test} }}", "")
        else:
            body = (f"?this <{path}> ?value . FILTER EXISTS {{ {test} }}", "")
        values = Target(parent=target, path=str(path) if path is not None else None)
        details = tuple(self.node_shape_checks(node_shape, values)) \
            if self.active(node_shape) else ()
        return self.core(shape, SH.node, target, path, body, value=True, details=details,
                         generic=f"Value does not conform to Shape {_show(node_shape)}. "
                                 "See details for more information.")

    def qualified_check(self, prop: Node, qualified: Node, target: Target,
                        path: URIRef) -> Check:
        sg = self.shapes
        minimum = self.integer(prop, SH.qualifiedMinCount)
        if minimum is None:
            raise BadInput(f"{_name(sg, prop)}: the store engine supports "
                           "sh:qualifiedValueShape only with sh:qualifiedMinCount")
        disjoint = self.one(prop, SH.qualifiedValueShapesDisjoint)
        if isinstance(disjoint, Literal) and disjoint.toPython() is True:
            raise BadInput(f"{_name(sg, prop)}: the store engine does not support "
                           "sh:qualifiedValueShapesDisjoint true")
        self.no_severity(qualified)
        x = self.v()
        conforms = f"FILTER NOT EXISTS {{ {self.violation(qualified, x)} }}"
        if minimum <= 0:
            body = ("FILTER(false)", "")
        elif minimum == 1:
            body = (f"FILTER NOT EXISTS {{ ?this <{path}> {x} . {conforms} }}", "")
        else:
            body = (f"OPTIONAL {{ ?this <{path}> {x} . {conforms} }}",
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT {x}) < {minimum})")
        return self.core(prop, SH.qualifiedMinCount, target, path, body,
                         generic=f"Focus node does not conform to shape MinCount {minimum}: "
                                 f"{_show(qualified)}")

    def no_severity(self, shape: Node) -> None:
        """pySHACL counts a nested shape's results towards a qualified count only at
        severity Violation; the store engine supports only that case."""
        for node in [shape, *self.shapes.objects(shape, SH.property)]:
            if self.severity(node) != SH.Violation:
                raise BadInput(f"{_name(self.shapes, node)}: the store engine does not support "
                               "sh:severity in a sh:qualifiedValueShape")

    # -- nested shapes: a group pattern with a solution when a node violates the shape ------

    def violation(self, shape: Node, x: str) -> str:
        sg = self.shapes
        if shape in self.nesting:
            raise BadInput(f"{_name(sg, shape)}: the store engine does not support recursive "
                           "shapes")
        if (shape, SH.path, None) in sg:
            raise BadInput(f"{_name(sg, shape)}: sh:node and sh:qualifiedValueShape must name "
                           "a node shape")
        self.check_vocabulary(shape, NODE_PARAMETERS, "node shape")
        if not self.active(shape):
            return "FILTER(false)"
        self.nesting.append(shape)
        try:
            groups = self.shape_violations(shape, x, None)
            for prop in sorted(sg.objects(shape, SH.property), key=str):
                self.check_vocabulary(prop, PROPERTY_PARAMETERS, "property shape")
                if self.active(prop):
                    groups += self.shape_violations(prop, x, self.path_of(prop))
        finally:
            self.nesting.pop()
        return " UNION ".join(f"{{ {g} }}" for g in groups) or "FILTER(false)"

    def shape_violations(self, shape: Node, x: str, path: URIRef | None) -> list[str]:
        sg = self.shapes
        if (shape, SH.sparql, None) in sg:
            raise BadInput(f"{_name(sg, shape)}: the store engine does not support "
                           "sh:sparql in a shape used by sh:node or sh:qualifiedValueShape")
        groups = []
        p = f"<{path}>" if path is not None else None
        minimum = self.integer(shape, SH.minCount) if path is not None else None
        if minimum:
            ys = [self.v() for _ in range(minimum)]
            groups.append(f"FILTER NOT EXISTS {{ {_distinct_values(x, p, ys)} }}")
        maximum = self.integer(shape, SH.maxCount) if path is not None else None
        if maximum is not None:
            ys = [self.v() for _ in range(maximum + 1)]
            groups.append(_distinct_values(x, p, ys))
        for param in (SH["class"], SH.datatype, SH.pattern, SH["in"], SH.languageIn, *RANGES):
            if (shape, param, None) in sg:
                if path is None:
                    groups.append(f"FILTER({self.violates(shape, param, x)[0]})")
                else:
                    y = self.v()
                    groups.append(f"{x} {p} {y} . FILTER({self.violates(shape, param, y)[0]})")
        value = self.one(shape, SH.hasValue)
        if value is not None:
            groups.append(f"FILTER(!{_same(x, value)})" if path is None
                          else f"FILTER NOT EXISTS {{ {x} {p} {_n(value)} }}")
        inner = self.one(shape, SH.node)
        if inner is not None:
            if path is None:
                groups.append(f"FILTER EXISTS {{ {self.violation(inner, x)} }}")
            else:
                y = self.v()
                groups.append(f"{x} {p} {y} . FILTER EXISTS {{ {self.violation(inner, y)} }}")
        qualified = self.one(shape, SH.qualifiedValueShape)
        if qualified is not None and path is not None:
            qmin = self.integer(shape, SH.qualifiedMinCount) or 0
            self.no_severity(qualified)
            if qmin > 0:
                ys = [self.v() for _ in range(qmin)]
                conform = " ".join(f"FILTER NOT EXISTS {{ {self.violation(qualified, y)} }}"
                                   for y in ys)
                groups.append(f"FILTER NOT EXISTS {{ {_distinct_values(x, p, ys)} {conform} }}")
        return groups

    # -- SPARQL constraints ---------------------------------------------------------------

    def sparql_check(self, shape: Node, constraint: Node, target: Target,
                     path: URIRef | None) -> Check | None:
        sg = self.shapes
        where = f"{_name(sg, shape)}, sh:sparql"
        for p in set(sg.predicates(constraint)):
            if str(p).startswith(str(SH)) and p not in (SH.select, SH.prefixes, SH.message,
                                                          SH.deactivated, SH.severity):
                raise BadInput(f"{where}: the store engine does not support "
                               f"{short_name(p)} in a SPARQL constraint")
        if not self.active(constraint):
            return None
        selects = list(sg.objects(constraint, SH.select))
        if len(selects) != 1 or not isinstance(selects[0], Literal):
            raise BadInput(f"{where}: needs exactly one sh:select")
        select = rewrite_select(str(selects[0]), where, path)
        prefixes = sparql_prefixes(sg, constraint)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) \
            + select.prologue
        # pySHACL reports the shape's own messages too; the record uses the constraint's.
        return Check(
            shape=shape, component=SH.SPARQLConstraintComponent, severity=self.severity(shape),
            path=path, target=target, prologue=prologue, before=select.before,
            after=select.after, constraint=constraint, value_is_focus=path is None,
            templates=(*sg.objects(constraint, SH.message), *sg.objects(shape, SH.message)))


def _distinct_values(x: str, p: str, ys: list[str]) -> str:
    """``x`` has at least ``len(ys)`` distinct values of ``p``."""
    triples = " ".join(f"{x} {p} {y} ." for y in ys)
    pairs = [f"!sameTerm({a}, {b})" for n, a in enumerate(ys) for b in ys[n + 1:]]
    return triples + (f" FILTER({' && '.join(pairs)})" if pairs else "")


def _same(x: str, term: Node) -> str:
    """``x`` is ``term`` as rdflib compares them (literals after normalisation: by value
    within their datatype)."""
    if isinstance(term, Literal) and term.datatype is not None \
            and term.datatype not in (XSD.string, RDF.langString):
        return f"COALESCE(sameTerm(datatype({x}), <{term.datatype}>) && {x} = {_n(term)}, false)"
    return f"sameTerm({x}, {_n(term)})"


def _string(text: str) -> str:
    return Literal(text).n3()


#: The prefixes of a graph pySHACL reads (rdflib's defaults), for its generic messages.
_NAMESPACES = Graph().namespace_manager


def _show(node: Node | None) -> str:
    """A term as pySHACL writes it in its generic messages (blank nodes by id, where
    pySHACL describes them)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return node.n3(namespace_manager=_NAMESPACES)
        except Exception:  # noqa: BLE001 - pySHACL falls back the same way
            return str(node)
    if isinstance(node, Literal):
        lex = str(node)
        val = "" if node.value is None else str(node.value)
        shown = f'"{lex}" = {val}' if node.value is not None and val != lex else f'"{lex}"'
        lang = f", lang={node.language}" if node.language else ""
        dt = f", datatype={_show(node.datatype)}" if node.datatype else ""
        return f"Literal({shown}{lang}{dt})"
    return str(node)


_PLANS: dict[str, tuple[Graph, Plan]] = {}
_PLANS_LOCK = threading.Lock()


def compile_shapes(shapes: Graph) -> Plan:
    """The checks for a shapes graph; :class:`BadInput` for what the engine does not support."""
    return _Compiler(shapes).compile()


# --------------------------------------------------------------------------------------
# Running a plan.
# --------------------------------------------------------------------------------------

def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """A pyoxigraph term as rdflib reads it from N-Triples (plain strings untyped)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@dataclass
class _Found:
    """One result as a check finds it."""

    check: Check
    focus: Node
    value: Node | None
    path: Node | None
    bindings: dict[str, Node]
    details: list[_Found] = field(default_factory=list)


@dataclass
class _Run:
    store: Store
    dataset: dict[str, object]
    focus_filter: str
    found: list[_Found] = field(default_factory=list)
    #: checks whose results hold blank nodes (their context is fetched by re-running them)
    blank_checks: list[Check] = field(default_factory=list)

    def select(self, query: str) -> ox.QuerySolutions:
        result = self.store.query(query, **self.dataset)
        assert isinstance(result, ox.QuerySolutions)
        return result

    def rows(self, query: str) -> tuple[list[str], list[list]]:
        """A SELECT's answer as plain pyoxigraph terms. The answer object must not outlive
        this call: it may only be dropped by the thread that made it, and a traceback
        kept by a logger (rdflib logs ill-typed literals) would keep it alive."""
        solutions = self.select(query)
        names = [v.value for v in solutions.variables]
        return names, [[solution[n] for n in names] for solution in solutions]

    def run(self, check: Check, focus_filter: str) -> list[_Found]:
        names, terms = self.rows(check.query(focus_filter))
        seen: set[tuple] = set()
        found = []
        blank = False
        for values in terms:
            row = {n: to_rdflib(t) for n, t in zip(names, values, strict=True)}
            key = tuple(sorted((k, v) for k, v in row.items() if v is not None))
            if key in seen:
                continue
            seen.add(key)
            focus = row.pop("this")
            # As pySHACL: a bound ?path is the result path (else the shape's), a bound ?value
            # the value (else, for a node shape, the focus node); the rest fill messages.
            path = row.pop("path", None) if check.constraint is not None else None
            value = row.pop("value", None) if check.constraint is not None or check.valued \
                else None
            bindings = {k: v for k, v in row.items() if v is not None}
            if path is not None:
                bindings["path"] = path
            if value is None and check.value_is_focus:
                value = focus
            blank = blank or isinstance(focus, BNode) or isinstance(value, BNode)
            found.append(_Found(check, focus, value, path if path is not None else check.path,
                                bindings))
        if blank:
            self.blank_checks.append(check)
        for detail in check.details if found else ():
            nested = self.run(detail, focus_filter)
            for parent in found:
                parent.details += [_copy(d) for d in nested if d.focus == parent.value]
        return found


def _copy(found: _Found) -> _Found:
    return _Found(found.check, found.focus, found.value, found.path, found.bindings,
                  [_copy(d) for d in found.details])


def _walk(found: Iterable[_Found]) -> Iterator[_Found]:
    for f in found:
        yield f
        yield from _walk(f.details)


def _context(run: _Run, found: list[_Found]) -> Graph:
    """The names and source spans of the nodes the results involve, as a small rdflib
    graph (what :func:`~.pyshacl_engine.make_result` reads). SELECT, not CONSTRUCT: a
    remote store's SELECT answers keep the server's blank node labels."""
    graph = Graph()

    def add(s: object, p: object, o: object) -> None:
        if s is not None and p is not None and o is not None:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))

    unit, span = URIRef(XSRV + "assignedUnit"), URIRef(XSRV + "sourceSpan")
    for check in run.blank_checks:
        # A blank node cannot be named in a query: find the check's ones again with its
        # query, then follow one pattern from them (joined with a UNION instead, Oxigraph
        # would evaluate each branch over the whole store).
        nodes = (f"{{ SELECT DISTINCT ?n WHERE {{ {{ {check.body(run.focus_filter)} }} "
                 "VALUES ?xsrvWhich { 1 2 } "
                 "BIND(IF(?xsrvWhich = 1, ?this, ?value) AS ?n) FILTER(isBlank(?n)) } }")
        names, rows = run.rows(check.prologue + rq.load("validate-blank-context")
                               .replace("#NODES#", nodes))
        for n, p, o, p2, o2 in rows:
            add(n, p, o)
            add(o, p2, o2)
        names, rows = run.rows(check.prologue + rq.load("validate-blank-assignments")
                               .replace("#NODES#", nodes))
        for a, n, s, p, o in rows:
            graph.add((to_rdflib(a), unit, to_rdflib(n)))
            graph.add((to_rdflib(a), span, to_rdflib(s)))
            add(s, p, o)
    iris: set[str] = set()
    for f in _walk(found):
        for node in (f.focus, f.value, *f.bindings.values()):
            if isinstance(node, URIRef):
                iris.add(str(node))
    for p in (unit, URIRef(XSRV + "assignedCategory")):
        iris |= {str(o) for o in graph.objects(None, p) if isinstance(o, URIRef)}
    ordered = sorted(iris)
    template = rq.load("validate-context")
    for i in range(0, len(ordered), CHUNK):
        values = " ".join(f"<{n}>" for n in ordered[i:i + CHUNK])
        _, rows = run.rows(template.replace("#NODES#", f"VALUES ?n {{ {values} }}"))
        for s, p, o in rows:
            add(s, p, o)
    sources = sorted({str(s) for s in graph.objects(None, URIRef(OA + "hasSource"))
                      if isinstance(s, URIRef)})
    for i in range(0, len(sources), CHUNK):
        _, rows = run.rows(rq.bind(rq.load("validate-texts"), "src", sources[i:i + CHUNK]))
        for src, chars in rows:
            graph.add((to_rdflib(src), URIRef(CNT + "chars"), to_rdflib(chars)))
    return graph


XSRV = "https://w3id.org/xsrv-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
CNT = "http://www.w3.org/2011/content#"


def _produced(f: _Found, context: Graph) -> list[str]:
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
    return [check.generic.replace("{focus}", _show(f.focus)).replace("{value}", _show(f.value))]


def _clone(source: Graph, target: Graph, node: Node, seen: set[Node] | None = None) -> None:
    """Copy a blank node's description (and its blank objects') as pySHACL does."""
    seen = set() if seen is None else seen
    if not isinstance(node, BNode) or node in seen:
        return
    seen.add(node)
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        _clone(source, target, o, seen)


def _report_result(graph: Graph, shapes: Graph, context: Graph, f: _Found,
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


def compiled(store: Store, config: Config) -> tuple[Graph, Plan]:
    """The store's shapes graph (as rdflib: it is small) and its plan, compiled once for as
    long as the shapes stay the same. They go together: a plan names the blank nodes of
    the graph it was compiled from."""
    dump = store.dump(ox.RdfFormat.N_TRIPLES, [config.graph_iri("shapes")])
    key = hashlib.sha256(dump).hexdigest()
    with _PLANS_LOCK:
        if key in _PLANS:
            return _PLANS[key]
    shapes = Graph()
    shapes.parse(data=dump, format="nt")
    plan = compile_shapes(shapes)
    with _PLANS_LOCK:
        _PLANS.clear()
        _PLANS[key] = shapes, plan
    return shapes, plan


def _graph_names(store: Store, config: Config, graphs: Sequence[str],
                 what: str) -> list[str]:
    present = set(store.graphs())
    for g in graphs:
        if g not in present:
            raise BadInput(f"{what}: the store has no graph {g}")
        if g == config.graph_iri("shapes"):
            raise BadInput(f"{what}: the shapes graph is not data")
    return list(dict.fromkeys(graphs))


def _shapes_stay_apart(store: Store, config: Config, plan: Plan, shapes: Graph) -> bool:
    """Whether the union of all graphs, shapes graph included, gives the same results as
    the data graphs alone: no shape targets the shapes' own classes or predicates, and no
    node the shapes graph describes occurs in another graph.

    The union default graph is what makes validation fast: Oxigraph merges an explicit list
    of graphs pattern by pattern (35 times slower with 335 graphs). What these two checks
    cannot see is a SPARQL constraint that matches the shapes' own triples without starting
    from a data node (say, counting every rdfs:label in the store); the shipped ones do not.
    """
    used_predicates = set(shapes.predicates())
    used_types = set(shapes.objects(None, RDF.type))
    for check in plan.checks:
        t = check.target
        if {URIRef(c) for c in t.classes} & used_types or \
                {URIRef(p) for p in (*t.subjects_of, *t.objects_of)} & used_predicates:
            return False
    iri = config.graph_iri("shapes")
    shared = store.query(
        f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} GRAPH ?g {{ {{ ?s ?p2 ?o2 }} UNION "
        f"{{ ?s2 ?p2 ?s }} }} FILTER(?g != <{iri}>) }}")
    return not bool(shared)


def validate_store(store: Store, config: Config, *, graphs: Sequence[str] | None = None,
                   focus_graphs: Sequence[str] | None = None) -> Report:
    """Validate the store's data against its shapes graph, inside the store.

    ``graphs``: the data graphs to validate (default: every graph but the shapes graph);
    the ontology graph is always added. ``focus_graphs``: report only on focus nodes that
    occur (as subject or object) in these graphs, the rest of the dataset serving as
    context. The same results as :func:`~xsrv_kg.validation.validate` on the same data.
    """
    shapes_iri = config.graph_iri("shapes")
    if shapes_iri not in store.graphs():
        raise BadInput("the store has no shapes graph to validate against")
    shapes, plan = compiled(store, config)
    focus_filter = ""
    if focus_graphs is not None:
        named = " ".join(f"<{g}>" for g in _graph_names(store, config, focus_graphs,
                                                          "focus_graphs"))
        focus_filter = (f"FILTER EXISTS {{ VALUES ?xsrvG {{ {named} }} GRAPH ?xsrvG {{ "
                        "{ ?xsrvF ?xsrvP ?xsrvO } UNION { ?xsrvS ?xsrvP ?xsrvF } } }")
    dataset: dict[str, object]
    if graphs is None and _shapes_stay_apart(store, config, plan, shapes):
        dataset = {"union_default_graph": True}
    else:
        data = _graph_names(store, config, graphs, "graphs") if graphs is not None \
            else [g for g in store.graphs() if g != shapes_iri]
        ontology = config.graph_iri("ontology")
        if ontology in store.graphs() and ontology not in data:
            data.append(ontology)
        dataset = {"default_graphs": data,
                   "named_graphs": list(focus_graphs) if focus_graphs is not None else []}
    run = _Run(store, dataset, focus_filter)
    for pattern in plan.patterns:
        # An expression error leaves ?ok unbound.
        _, rows = run.rows(f"SELECT ?ok WHERE {{ BIND(REGEX(\"\", {_string(pattern)}) AS ?ok) }}")
        if not rows or rows[0][0] is None:
            raise BadInput(f"sh:pattern {pattern!r}: the store's regular expressions do not "
                           "accept it (pySHACL's, Python's, do)")
    # pyoxigraph evaluates without the GIL, and a remote store waits on the network: run the
    # checks side by side, the SPARQL constraints (the slow ones) first. Results keep the
    # plan's order, so a report is the same from run to run.
    checks = sorted(plan.checks, key=lambda c: c.constraint is None)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for found in pool.map(lambda check: run.run(check, focus_filter), checks):
            run.found += found
    context = _context(run, run.found) if run.found else Graph()
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    results: list[Result] = []
    for f in run.found:
        graph.add((report, SH.result, _report_result(graph, shapes, context, f, results)))
    final = make_report(results, graph)
    graph.add((report, SH.conforms, Literal(final.conforms)))
    return final
