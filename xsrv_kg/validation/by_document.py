"""Which document a validation result belongs to: the validation state per document on
``/documents`` and the report of one document on ``/validation?doc=``.

The rule, cheap and stated once: a result belongs to a document when its focus node is the
document itself, is minted under the document's IRI (``doc:xiushan-plan/…``: its sections,
counts, rules, notes), or states the document as ``xsrv:statedBy``. A result whose focus is
shared (a division, a category scheme of no document, the links between documents) belongs to
none: the whole report (``/validation``) still lists it. Computed from the served report (made
once per store version), never by validating again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..sparql import rq
from ..store import Store
from .records import SEVERITIES, Report, Result


def owners(store: Store, results: Iterable[Result], documents: Iterable[str]
           ) -> dict[str, set[str]]:
    """The documents each result's focus IRI belongs to (by the rule above), by focus IRI."""
    focus = sorted({r.focus_iri for r in results if r.focus_iri})
    documents = list(documents)
    found: dict[str, set[str]] = {f: set() for f in focus}
    for iri in focus:
        found[iri].update(d for d in documents if iri == d or iri.startswith(d + "/"))
    if focus:
        for row in rq.select(store, "documents-stating", "focus", focus):
            if row["doc"].value in documents or not documents:
                found[row["focus"].value].add(row["doc"].value)
    return found


def of_document(store: Store, report: Report, document: str) -> list[Result]:
    """The results of ``report`` that belong to ``document``."""
    belong = owners(store, report.results, [document])
    return [r for r in report.results if document in belong.get(r.focus_iri or "", ())]


def states(store: Store, report: Report, documents: Iterable[str]
           ) -> dict[str, dict[str, object]]:
    """Per document: ``conforms`` (no violation of its own) and the number of its results of
    each severity."""
    documents = list(documents)
    belong = owners(store, report.results, documents)
    out: dict[str, dict[str, object]] = {}
    for doc in documents:
        mine = [r for r in report.results if doc in belong.get(r.focus_iri or "", ())]
        counts = {s: sum(r.severity == s for r in mine) for s in SEVERITIES}
        out[doc] = {"conforms": counts["Violation"] == 0, **counts}
    return out
