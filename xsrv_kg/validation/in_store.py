"""The in-store engine: the shapes compiled to SPARQL (:mod:`.compiler`) and run inside
the store.

pySHACL (:mod:`.pyshacl_engine`) copies the data into rdflib and checks one focus node at a
time: 12 s at 10^4 triples, unusable at 10^6. This engine reads the shapes from the store's
shapes graph, compiles them once into a :class:`~.plan.Plan` -- one SPARQL SELECT per
constraint, each finding *all* the results of that constraint at once -- and runs it through
the :class:`~xsrv_kg.store.Store` interface only, so it works on every backend, a remote
SPARQL server included (about 15 s for 10^6 triples on the embedded store, 2 cores).

It gives the same results as pySHACL (``tests/test_store_validation.py`` compares them): the
same :class:`~.records.Report` records, built by the same code
(:func:`~.records.make_result`), and an equivalent report graph (:mod:`.report_graph`:
``sh:detail`` nesting, blank shapes and blank data nodes copied in, as pySHACL does). The
names, spans and texts the records need are fetched afterwards (:func:`_context`) for the
nodes of the results only.

**Which data.** By default every graph but the shapes graph and the inferred graph (SHACL
checks what the sources assert; :mod:`xsrv_kg.sources.inference`), as pySHACL gets it. The
queries run on the union default graph (an explicit list of graphs is 35 times slower in
Oxigraph with 335 graphs), which includes the shapes graph; :func:`_shapes_stay_apart`
checks that this cannot change a result, and otherwise the queries name the data graphs. A
store holding an inferred graph, whose triples would change results, is validated on a scratch
copy without it (:func:`_without_inferred`).
``graphs=`` validates only the graphs named, with the ontology graph always added (class
targets and ``sh:class`` need its ``rdfs:subClassOf``), just as pySHACL would see them
alone: a shape that looks into another graph (a link to another document, a code table)
sees only what the graphs named hold. ``focus_graphs=`` keeps all the data as context and
reports only on focus nodes those graphs mention: the check of what an update touched (a
count stated elsewhere whose members the update changed is not re-checked unless its graph
is named too).

**Blank nodes** cannot be named in a query: the names and spans of a blank focus or value
node are fetched by running its check again as a subquery. That needs blank node identity
across queries, which Oxigraph (embedded or server) gives; elsewhere such a node is named by
its id and quoted without source sentence.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .. import vocab
from ..config import Config
from ..errors import BadInput, UnsupportedShapes
from ..progress import CHECKING, Progress
from ..sources.inference import asserted_graphs, inferred_graph
from ..sparql import rq
from ..store import Store, open_store
from .compiler import compile_shapes
from .plan import Check, Plan
from .records import Report
from .report_graph import Found, build_report, walk
from .sparql_terms import sparql_iri, sparql_string

#: Focus or value nodes per context query.
CHUNK = 1000
#: Checks run side by side (threads: pyoxigraph releases the GIL while it evaluates).
WORKERS = max(1, min(4, os.cpu_count() or 1))
XSRV = vocab.XSRV
OA = vocab.PREFIXES["oa"]
CNT = vocab.PREFIXES["cnt"]
#: The shapes graph last compiled, and its plan (keyed by a hash of the graph's N-Triples).
_PLANS: dict[str, tuple[Graph, Plan]] = {}
_PLANS_LOCK = threading.Lock()


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
class _Run:
    store: Store
    dataset: dict[str, object]
    focus_filter: str
    found: list[Found] = field(default_factory=list)
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

    def run(self, check: Check, focus_filter: str) -> list[Found]:
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
            found.append(Found(check, focus, value, path if path is not None else check.path,
                                bindings))
        if blank:
            self.blank_checks.append(check)
        for detail in check.details if found else ():
            nested = self.run(detail, focus_filter)
            for parent in found:
                parent.details += [d.copy() for d in nested if d.focus == parent.value]
        return found



def _context(run: _Run, found: list[Found]) -> Graph:
    """The names and source spans of the nodes the results involve, as a small rdflib
    graph (what :func:`~.records.make_result` reads). SELECT, not CONSTRUCT: a
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
    for f in walk(found):
        for node in (f.focus, f.value, *f.bindings.values()):
            if isinstance(node, URIRef):
                iris.add(str(node))
    for p in (unit, URIRef(XSRV + "assignedCategory")):
        iris |= {str(o) for o in graph.objects(None, p) if isinstance(o, URIRef)}
    ordered = sorted(iris)
    template = rq.load("validate-context")
    for i in range(0, len(ordered), CHUNK):
        values = " ".join(sparql_iri(n) for n in ordered[i:i + CHUNK])
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
        if g == inferred_graph(config):
            raise BadInput(f"{what}: the inferred graph is derived, not asserted: SHACL checks "
                           "what the sources assert")
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
    iri = sparql_iri(config.graph_iri("shapes"))
    shared = store.query(
        f"ASK {{ GRAPH {iri} {{ ?s ?p ?o }} GRAPH ?g {{ {{ ?s ?p2 ?o2 }} UNION "
        f"{{ ?s2 ?p2 ?s }} }} FILTER(?g != {iri}) }}")
    return not bool(shared)


def run(store: Store, config: Config, *, graphs: Sequence[str] | None = None,
        focus_graphs: Sequence[str] | None = None, progress: Progress | None = None) -> Report:
    """Validate the store's data against its shapes graph, inside the store.

    ``graphs``: the data graphs to validate (default: every graph but the shapes graph);
    the ontology graph is always added. ``focus_graphs``: report only on focus nodes that
    occur (as subject or object) in these graphs, the rest of the dataset serving as
    context. The same results as :mod:`.pyshacl_engine` on the same data. ``progress``
    hears of the checks run.
    """
    shapes_iri = config.graph_iri("shapes")
    if shapes_iri not in store.graphs():
        raise BadInput("the store has no shapes graph to validate against")
    shapes, plan = compiled(store, config)
    focus_filter = ""
    if focus_graphs is not None:
        named = " ".join(sparql_iri(g) for g in _graph_names(store, config, focus_graphs,
                                                              "focus_graphs"))
        focus_filter = (f"FILTER EXISTS {{ VALUES ?xsrvG {{ {named} }} GRAPH ?xsrvG {{ "
                        "{ ?xsrvF ?xsrvP ?xsrvO } UNION { ?xsrvS ?xsrvP ?xsrvF } } }")
    if graphs is None and inferred_graph(config) in store.graphs():
        return _without_inferred(store, config, focus_graphs=focus_graphs, progress=progress)
    dataset: dict[str, object]
    if graphs is None and _shapes_stay_apart(store, config, plan, shapes):
        dataset = {"union_default_graph": True}
    else:
        data = _graph_names(store, config, graphs, "graphs") if graphs is not None \
            else asserted_graphs(store, config)
        ontology = config.graph_iri("ontology")
        if ontology in store.graphs() and ontology not in data:
            data.append(ontology)
        dataset = {"default_graphs": data,
                   "named_graphs": list(focus_graphs) if focus_graphs is not None else []}
    job = _Run(store, dataset, focus_filter)
    for pattern in plan.patterns:
        # An expression error leaves ?ok unbound.
        _, rows = job.rows(f"SELECT ?ok WHERE {{ BIND(REGEX(\"\", {sparql_string(pattern)}) "
                           "AS ?ok) }")
        if not rows or rows[0][0] is None:
            raise UnsupportedShapes(f"sh:pattern {pattern!r}: the store's regular expressions "
                                    "do not accept it (pySHACL's, Python's, do)")
    # pyoxigraph evaluates without the GIL, and a remote store waits on the network: run the
    # checks side by side, the SPARQL constraints (the slow ones) first. Results keep the
    # plan's order, so a report is the same from run to run.
    checks = sorted(plan.checks, key=lambda c: c.constraint is None)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for done, found in enumerate(pool.map(lambda check: job.run(check, focus_filter),
                                              checks), start=1):
            job.found += found
            if progress:
                progress(CHECKING, done, len(checks))
    context = _context(job, job.found) if job.found else Graph()
    return build_report(job.found, shapes, context)


def _without_inferred(store: Store, config: Config, *, focus_graphs: Sequence[str] | None,
                      progress: Progress | None) -> Report:
    """:func:`run` on a scratch copy of the store without its inferred graph, whose triples
    would change results: naming the other graphs instead is exact too, but Oxigraph merges
    an explicit list of graphs pattern by pattern (47 s instead of 4 s, copy included, at
    2 x 10^5 triples in 69 graphs)."""
    scratch = open_store("memory")
    try:
        kept = [*asserted_graphs(store, config), config.graph_iri("shapes")]
        scratch.add(ox.parse(store.dump(ox.RdfFormat.N_QUADS, kept),
                             format=ox.RdfFormat.N_QUADS))
        return run(scratch, config, focus_graphs=focus_graphs, progress=progress)
    finally:
        scratch.close()


def run_with_payload(store: Store, config: Config, payload: Sequence[ox.Quad], *,
                     context: Sequence[str]) -> Report:
    """``payload`` with the store's ``context`` graphs, against the store's shapes graph:
    run on a scratch copy of those graphs, so the store is not changed."""
    scratch = open_store("memory")
    try:
        copied = store.dump(ox.RdfFormat.N_QUADS, [*context, config.graph_iri("shapes")])
        scratch.add(ox.parse(copied, format=ox.RdfFormat.N_QUADS))
        name = ox.NamedNode(config.graph_iri("payload"))
        scratch.add(ox.Quad(q.subject, q.predicate, q.object, name) for q in payload)
        return run(scratch, config)
    finally:
        scratch.close()
