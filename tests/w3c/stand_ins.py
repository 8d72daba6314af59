"""Our stand-ins for upstream's test graphs (``http://kasei.us/…/data{0..3}.rdf``, neither
vendored nor fetched), and what a protocol dataset made of them must exclude.

``<…/ontology>`` and ``<…/shapes>``, both ``owl:Ontology``, play data1 and data2;
``<…/division/chongqing>`` plays data3. ``test_stand_ins_hold_what_the_tests_assume`` checks
these facts in-process.
"""

from __future__ import annotations

GRAPH = "https://w3id.org/xsrv-kg/graph/"
G_ONTOLOGY = GRAPH + "ontology"
G_SHAPES = GRAPH + "shapes"
G_PLAN = GRAPH + "documents/xiushan-plan"
G_DIVISIONS = GRAPH + "reference/division-codes-2020-06-30"
OUR_GRAPHS = (G_ONTOLOGY, G_SHAPES, G_PLAN, G_DIVISIONS)

R_ONTOLOGY = "https://w3id.org/xsrv-kg/ontology"  # a owl:Ontology, typed only in G_ONTOLOGY
R_SHAPES = "https://w3id.org/xsrv-kg/shapes"  # a owl:Ontology, typed only in G_SHAPES
R_CHONGQING = "https://w3id.org/xsrv-kg/id/division/chongqing"  # typed only in G_DIVISIONS

KASEI = "http://kasei.us/2009/09/sparql/data/"
#: Upstream's test graphs -> ours, for ``default-graph-uri`` / ``named-graph-uri`` values.
STAND_INS = {
    KASEI + "data0.rdf": G_ONTOLOGY,  # only ever queried with ASK {} and the like
    KASEI + "data1.rdf": G_ONTOLOGY,  # data1's document -> R_ONTOLOGY
    KASEI + "data2.rdf": G_SHAPES,  # data2's document -> R_SHAPES
    KASEI + "data3.rdf": G_DIVISIONS,  # data3's document -> R_CHONGQING
}
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


def default(graph: str) -> tuple[str, str]:
    return ("default-graph-uri", graph)


def named(graph: str) -> tuple[str, str]:
    return ("named-graph-uri", graph)


def with_stand_ins(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Upstream's query-string parameters with its test graphs replaced by ours."""
    return [(k, STAND_INS.get(v, v) if k in DATASET_PARAMS else v) for k, v in params]


#: What the positive W3C dataset tests cannot show: the graphs not named are not seen.
#: name -> (dataset parameters, an ASK that must answer false).
DATASET_LIMITS = {
    # default-graph-uri makes the default graph exactly the graphs named …
    "default_graph_excludes_other_graphs": (
        [default(G_ONTOLOGY)], f"ASK {{ <{R_SHAPES}> a ?type }}"),
    "default_graph_has_no_named_graphs": (
        [default(G_ONTOLOGY)], f"ASK {{ GRAPH ?g {{ <{R_ONTOLOGY}> a ?type }} }}"),
    # … named-graph-uri the named graphs, with an empty default graph if none is named …
    "named_graphs_exclude_other_graphs": (
        [named(G_ONTOLOGY)], f"ASK {{ GRAPH ?g {{ <{R_SHAPES}> a ?type }} }}"),
    "named_graphs_leave_default_graph_empty": (
        [named(G_ONTOLOGY)], f"ASK {{ <{R_ONTOLOGY}> a ?type }}"),
    "full_dataset_does_not_merge_named_into_default": (
        [default(G_DIVISIONS), named(G_ONTOLOGY)], f"ASK {{ <{R_ONTOLOGY}> a ?type }}"),
    # … and the protocol's dataset wins over FROM / FROM NAMED in the query.
    "protocol_dataset_overrides_from": (
        [named(G_ONTOLOGY)], f"ASK FROM <{G_SHAPES}> {{ <{R_SHAPES}> a ?type }}"),
    "protocol_dataset_overrides_from_named": (
        [default(G_ONTOLOGY)], f"ASK FROM NAMED <{G_SHAPES}> {{ GRAPH ?g {{ ?s a ?type }} }}"),
}
