"""The plan at a glance: the division hierarchy by category, declared against enumerated
counts, the fund rules with their totals, and yearly commitments by payer as an SVG chart.

Every number comes from SPARQL over the store (``xsrv_kg/sparql/overview-*.rq``); this
module only arranges the rows, picks names in the reader's language and draws. Pure
functions of a store: no Flask here (the blueprint caches the model per store version).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ..sparql import rq
from ..store import Store
from ..vocab import FALLBACK
from . import overview_tree
from .hrefs import href
from .names import Names
from .overview_words import WORDS
from .standing import standings
from .standing import summary as standing_summary

# --- terms and names -------------------------------------------------------------------------

def number(term: object) -> int | float | None:
    """A numeric literal as an int when integral (yuan, counts, years), else a float."""
    if not isinstance(term, ox.Literal):
        return None
    try:
        value = Decimal(term.value)
    except ArithmeticError:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def iri(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def category_class(iri_: str | None) -> str | None:
    """The CSS class of a category (``cat-pilot`` for ``xp:cat-pilot``), if it is one."""
    if not iri_:
        return None
    name = re.split(r"[/#]", iri_.rstrip("/#"))[-1]
    return name if re.fullmatch(r"cat-[a-z0-9-]+", name) else None


def make_href(base_iri: str, root: str = "") -> Callable[[str | None], str | None]:
    """Links for this page's IRIs (see :func:`xsrv_kg.pages.hrefs.href`)."""
    return lambda iri_: href(iri_, base_iri, root=root)


# --- the model ---------------------------------------------------------------------------

def build(store: Store, base_iri: str, lang: str, root: str = "", *,
          document: str) -> dict[str, Any]:
    """The overview of the plan ``document`` (an IRI) in ``lang`` (zh or en): a JSON-ready
    dict. Every query is about that document alone (its ``$doc``), so the page costs the
    same whatever else the store holds."""
    names = Names(store, lang)  # the same naming as the resource pages
    href = make_href(base_iri, root)

    def node(term_or_iri: object) -> dict[str, Any] | None:
        value = term_or_iri if isinstance(term_or_iri, str) else iri(term_or_iri)
        if value is None:
            return None
        return {"iri": value, "label": names.label(value), "href": href(value)}

    def category(term: object) -> dict[str, Any] | None:
        found = node(term)
        if found is not None:
            found["class"] = category_class(found["iri"])
        return found

    counts = _counts(store, node, category, doc=document)
    funding = _funding(store, lang, node, category, doc=document)
    chart = _chart(store, lang, node, doc=document)
    _mark(store, lang, funding, chart, base_iri=base_iri, root=root)
    return {
        "lang": lang,
        "document": node(document),
        "hierarchy": overview_tree.hierarchy(store, lang, node, category, counts,
                                             doc=document),
        "counts": counts,
        "funding": funding,
        "chart": chart,
    }


def _mark(store: Store, lang: str, funding: dict[str, Any], chart: dict[str, Any], *,
          base_iri: str, root: str) -> None:
    """Each rule's standing (``standing`` and ``standingNotes``), and that of each figure
    summed from rules: a payer's or a category's totals (all its rules: the sums leave out the
    rules without a total, which is part of what they say) and a payer's yearly series (the
    rules with a yearly amount)."""
    rules = funding["rules"]
    marks = standings(store, [r["iri"] for r in rules], lang, base_iri=base_iri, root=root)
    for rule in rules:
        rule.update(standing_summary([marks[rule["iri"]]]))

    def of(key: str, value: str | None, *, yearly: bool = False) -> dict[str, Any]:
        return standing_summary(marks[r["iri"]] for r in rules
                                if (r[key] or {}).get("iri") == value
                                and (not yearly or r["perYear"] is not None))

    for row in funding["byPayer"]:
        row.update(of("payer", row["payer"]["iri"]))
    for row in funding["byCategory"]:
        row.update(of("category", row["category"]["iri"]))
    for series in chart["series"]:
        series.update(of("payer", series["payer"]["iri"], yearly=True))


def _counts(store: Store, node, category, *, doc: str) -> list[dict[str, Any]]:
    return [{
        **node(row["c"]),
        "level": node(row["level"]),
        "category": category(row["category"]),
        "tier": node(row["tier"]),
        "within": iri(row["within"]),
        "declared": number(row["declared"]),
        "enumerated": number(row["enumerated"]),
        "complete": row["complete"].value == "true",
    } for row in rq.select(store, "overview-counts", values={"doc": doc})]


def _notes(store: Store, lang: str, node, *,
           doc: str) -> tuple[dict[str, list[dict[str, Any]]],
                                                    list[dict[str, Any]]]:
    """Ambiguities recorded about fund rules or periods: by the IRI they concern, and
    those about a period."""
    comments: dict[str, dict[str, str]] = {}
    concerns: dict[str, list[str]] = {}
    periods: list[str] = []
    for row in rq.select(store, "overview-notes", values={"doc": doc}):
        note, target = iri(row["note"]), iri(row["concerns"])
        if row["aboutPeriod"].value == "true" and note not in periods:
            periods.append(note)
        if isinstance(row["comment"], ox.Literal):
            comments.setdefault(note, {}).setdefault(row["comment"].language or "",
                                                     row["comment"].value)
        if note not in concerns.setdefault(target, []):
            concerns[target].append(note)

    def described(note: str) -> dict[str, Any]:
        texts = comments.get(note, {})
        comment = next((texts[w] for w in (lang, *FALLBACK, "") if w in texts), None)
        return {**node(note), "comment": comment}

    return ({target: [described(n) for n in notes] for target, notes in concerns.items()},
            [described(n) for n in periods])


def _funding(store: Store, lang: str, node, category, *, doc: str) -> dict[str, Any]:
    w = WORDS[lang]
    notes, _ = _notes(store, lang, node, doc=doc)
    recipients: dict[str, list[dict[str, Any]]] = {}
    for row in rq.select(store, "overview-fund-recipients", values={"doc": doc}):
        recipients.setdefault(iri(row["r"]), []).append(node(row["unit"]))
    rules = []
    for row in rq.select(store, "overview-fund-rules", values={"doc": doc}):
        rule = iri(row["r"])
        named, declared = number(row["recipients"]), number(row["declaredRecipients"])
        per_year, total, years = (number(row["perYear"]), number(row["wholePeriod"]),
                                  number(row["years"]))
        reason = None
        if total is None:
            if not named:
                reason = w["reason_unnamed"].format(declared=declared, named=named) \
                    if declared is not None else w["reason_unnamed_nocount"]
            elif years is None:
                reason = w["reason_no_years"]
        rules.append({
            **node(rule),
            "payer": node(row["payer"]),
            "category": category(row["category"]),
            "tier": node(row["tier"]),
            "level": node(row["level"]),
            "unit": node(row["unitRecipient"]),
            "amount": number(row["amount"]),
            "basis": node(row["basis"]),
            "years": years,
            "recipients": {"named": named, "declared": declared,
                           "units": recipients.get(rule, [])},
            "perYear": per_year,
            "total": total,
            "computable": total is not None,
            "reason": reason,
            "notes": [n for n in notes.get(rule, []) if total is None],
        })
    by_payer = [{
        "payer": node(row["payer"]),
        "rules": number(row["rules"]),
        "rulesWithoutTotal": number(row["rulesWithoutTotal"]),
        "perYear": number(row["perYear"]),
        "total": number(row["wholePeriod"]),
    } for row in rq.select(store, "overview-by-payer", values={"doc": doc})]
    by_category = [{
        "category": category(row["category"]),
        "rules": number(row["rules"]),
        "rulesWithoutTotal": number(row["rulesWithoutTotal"]),
        "perYear": number(row["perYear"]),
        "total": number(row["wholePeriod"]),
    } for row in rq.select(store, "overview-by-category", values={"doc": doc})]
    return {"rules": rules, "byPayer": by_payer, "byCategory": by_category}


def _chart(store: Store, lang: str, node, *, doc: str) -> dict[str, Any]:
    """Yearly commitments by payer over plan years 1..N (N: the longest rule)."""
    w = WORDS[lang]
    segments: dict[str, list[tuple[int, int, int | float]]] = {}
    for row in rq.select(store, "overview-yearly", values={"doc": doc}):
        segments.setdefault(iri(row["payer"]), []).append(
            (number(row["fromYear"]), number(row["toYear"]), number(row["perYear"])))
    last = max((end for segs in segments.values() for _, end, _ in segs), default=0)
    years = list(range(1, last + 1))
    series = []
    for payer, segs in segments.items():
        values: list[int | float | None] = [None] * len(years)
        for start, end, amount in segs:
            for year in range(start, end + 1):
                values[year - 1] = amount
        series.append({"payer": node(payer), "values": values})
    _, period_notes = _notes(store, lang, node, doc=doc)
    return {
        "years": years,
        "yearLabels": [w["chart_year"].format(n=y) for y in years],
        "calendarYears": None,  # the text dates none of its periods
        "series": series,
        "assumption": w["chart_assumption"],
        "notes": period_notes,
    }


# --- numbers for people ----------------------------------------------------------------------

def yuan(value: int | float | None, lang: str) -> str:
    """``5000000`` as ``500万元`` (zh) or ``5 million yuan`` (en)."""
    if value is None:
        return ""
    if lang == "zh":
        if value and value % 100_000_000 == 0:
            return f"{int(value // 100_000_000)}亿元"
        if value % 10_000 == 0:
            return f"{int(value // 10_000)}万元"
        return f"{value:,}元"
    if value and value % 1_000_000 == 0:
        return f"{int(value // 1_000_000):,} million yuan"
    if value and value % 100_000 == 0:
        return f"{value / 1_000_000:,.1f} million yuan"
    return f"{value:,} yuan"
