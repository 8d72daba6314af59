"""Exporting the loaded graphs (the ontology, the data, the shapes, or all) as one file.

The inferred graph (:mod:`.inference`) is not part of ``all`` nor of ``data``: an export is
a source to load again, and loading computes the inferred graph anew from what it holds.
Exported with the rest, derived triples would come back as if the files asserted them --
and outlive the data they were derived from once someone edits the files. It is exported
alone, on request (``--part inferred``).
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import formats, vocab
from ..config import Config
from ..errors import BadInput
from ..store import Store

#: ``--format`` name -> writer: datasets first (they keep graph names), then Turtle.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    fmt.name: fmt.rdf for fmt in (formats.TRIG, formats.N_QUADS, formats.TURTLE)
}

EXPORT_PARTS = ("ontology", "data", "shapes", "all", "inferred")


def part_graphs(store: Store, config: Config, part: str) -> list[str]:
    """The named graphs of ``part``: data is every graph that is neither ontology nor shapes
    nor inferred; all is every graph but the inferred one."""
    if part not in EXPORT_PARTS:
        raise BadInput(f"unknown part {part!r}; use one of {', '.join(EXPORT_PARTS)}")
    own = {name: config.graph_iri(name) for name in ("ontology", "shapes", "inferred")}
    graphs = store.graphs()
    if part == "all":
        return [g for g in graphs if g != own["inferred"]]
    if part == "data":
        return [g for g in graphs if g not in own.values()]
    return [g for g in graphs if g == own[part]]


def export(store: Store, config: Config, part: str, fmt: str) -> bytes:
    """Serialize the graphs of ``part`` in ``fmt`` (``trig``, ``nquads`` or ``turtle``).

    TriG and N-Quads keep each triple's graph name. Turtle has no graphs: it merges the
    chosen graphs into one, so the graph names (and duplicates across graphs) are lost.
    Only named graphs are exported: the loader puts every triple in one.
    """
    if fmt not in EXPORT_FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return store.dump(EXPORT_FORMATS[fmt], graphs=part_graphs(store, config, part),
                      prefixes=vocab.PREFIXES)
