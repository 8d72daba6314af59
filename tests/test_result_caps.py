"""Result caps: rows and bytes, whichever comes first, and the queue wait of the pool."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from xsrv_kg.query.negotiation import negotiate
from xsrv_kg.query.results import write


@pytest.fixture(scope="module")
def wide() -> ox.Store:
    """100 triples, each with a 1,000-character literal."""
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"https://example.org/{i}"),
                         ox.NamedNode("https://example.org/p"), ox.Literal("长" * 1000))
                 for i in range(100))
    return store


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv",
                                    "application/sparql-results+xml", "text/turtle"])
def test_byte_cap_cuts_before_the_row_cap(wide: ox.Store, accept: str) -> None:
    chosen = negotiate(accept)
    query = "CONSTRUCT WHERE { ?s ?p ?o }" if accept == "text/turtle" \
        else "SELECT * WHERE { ?s ?p ?o }"
    written = write(wide.query(query), chosen.solutions, chosen.graph,
                    max_rows=50, max_bytes=20_000)
    # Each row counts its three terms' text plus overhead: 1,000 + 2 IRIs of ~22 characters
    # + 3 x 24, so about 1,116 bytes; 17 rows stay under 20,000 and the 18th does not.
    assert (written.rows, written.truncated, written.truncated_by) == \
        (17, True, "max-bytes=20000")


def test_row_cap_names_itself_and_no_cap_keeps_all(wide: ox.Store) -> None:
    chosen = negotiate("application/sparql-results+json")
    cut = write(wide.query("SELECT * WHERE { ?s ?p ?o }"), chosen.solutions, chosen.graph,
                max_rows=10, max_bytes=10 << 20)
    assert (cut.rows, cut.truncated_by) == (10, "max-rows=10")
    whole = write(wide.query("SELECT * WHERE { ?s ?p ?o }"), chosen.solutions, chosen.graph)
    assert (whole.rows, whole.truncated, whole.truncated_by) == (100, False, "")
