"""What the data files say about editorial notes, read with rdflib (not with the store or the
product's SPARQL): the expectations of the standing marks (tests/test_standing.py and the
curated queries' ``?standing`` columns in tests/test_curated_queries.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, SKOS

XSRV = rdflib.Namespace("https://w3id.org/xsrv-kg/ontology#")
KINDS = {XSRV.Interpretation: "interpretation", XSRV.Ambiguity: "ambiguous"}


def data_graph(data_dir: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(data_dir.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def data_notes(data_dir: Path) -> Notes:
    """The notes of the data files under ``data_dir`` (read once per folder)."""
    return Notes(data_graph(data_dir))


class Notes:
    """The notes that concern each resource (``xsrv:concerns``), and what they make of it: an
    ``xsrv:Interpretation`` "interpretation", an ``xsrv:Ambiguity`` "ambiguous" (the stronger
    wins), none "stated"."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.kind: dict[str, str] = {}
        self.concerning: dict[str, set[str]] = {}
        for cls, kind in KINDS.items():
            for note in graph.subjects(RDF.type, cls):
                # An Interpretation typed as an Ambiguity too counts as the stronger.
                if self.kind.get(str(note)) != "interpretation":
                    self.kind[str(note)] = kind
        for note in self.kind:
            for target in graph.objects(rdflib.URIRef(note), XSRV.concerns):
                self.concerning.setdefault(str(target), set()).add(note)

    def of(self, *iris: str | None) -> set[str]:
        return set().union(*(self.concerning.get(i, set()) for i in iris if i))

    def standing(self, *iris: str | None) -> str:
        kinds = {self.kind[n] for n in self.of(*iris)}
        return ("interpretation" if "interpretation" in kinds
                else "ambiguous" if kinds else "stated")

    def text(self, note: str, lang: str) -> str:
        return next(str(c) for c in self.graph.objects(rdflib.URIRef(note), RDFS.comment)
                    if c.language == lang)

    def by_label(self, label: str, cls: rdflib.URIRef) -> str:
        """The one resource of class ``cls`` with this zh label."""
        [found] = [str(s) for s in self.graph.subjects(RDFS.label, rdflib.Literal(label, lang="zh"))
                   if (s, RDF.type, cls) in self.graph]
        return found

    def rules(self) -> list[str]:
        return sorted(str(r) for r in self.graph.subjects(RDF.type, XSRV.FundRule))

    def rule_of_row(self, label: str) -> str:
        return self.by_label(label, XSRV.FundRule)

    def assignment_of(self, unit_label: str, document: str) -> str:
        """The one assignment ``document`` makes of the unit with this zh label."""
        [unit] = [u for u in self.graph.subjects(RDFS.label, rdflib.Literal(unit_label, lang="zh"))
                  if (None, XSRV.assignedUnit, u) in self.graph]
        [found] = [str(a) for a in self.graph.subjects(XSRV.assignedUnit, unit)
                   if (a, XSRV.statedBy, rdflib.URIRef(document)) in self.graph]
        return found

    def rules_in_category(self, label: str) -> list[str]:
        """The fund rules whose recipients are the category with this zh label."""
        return sorted(str(r) for c in self.graph.subjects(SKOS.prefLabel,
                                                          rdflib.Literal(label, lang="zh"))
                      for r in self.graph.subjects(XSRV.recipientCategory, c)
                      if (r, RDF.type, XSRV.FundRule) in self.graph)

    def unit_of(self, assignment: str) -> str:
        return str(self.graph.value(rdflib.URIRef(assignment), XSRV.assignedUnit))
