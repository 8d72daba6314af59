"""What a unit's page adds to its description: the categories the documents assign it, and
the fund rules whose recipients include it, each with the sentences that say so."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ..sparql import rq
from ..store import Store
from .standing import Note
from .terms import Quote, Term, TermNames, Value, integer, spans_of


@dataclass
class Assignment:
    """A category assignment of a unit, with the sentence that makes it."""

    assignment: Value
    category: Value
    tier: Value | None
    document: Value | None
    quotes: list[Quote]
    #: "stated", "interpretation" or "ambiguous", from the notes concerning the assignment.
    standing: str = "stated"
    notes: list[Note] = field(default_factory=list)


@dataclass
class Funding:
    """A fund rule whose recipients include the unit described."""

    rule: Value
    payer: Value | None
    amount: str | None            # in the rule's unit (yuan), canonical decimal
    amount_as_stated: str | None  # the text's wording ("1000万元")
    unit: Value | None
    basis: Value | None
    years: int | None
    recipients: int
    per_year: str | None          # what this unit gets a year, when the text says
    whole_period: str | None
    quotes: list[Quote]
    #: From the notes concerning the rule (its recipients, amount, basis or period).
    standing: str = "stated"
    notes: list[Note] = field(default_factory=list)


def _rows_with_quotes(store: Store, names: TermNames, query: str, iri: str,
                      cited: str) -> tuple[list[ox.QuerySolution], dict[str, list[Quote]]]:
    """The rows of ``query`` for ``iri``, their IRIs named, and the quotes of each row's
    ``cited`` resource."""
    rows = list(rq.select(store, query, values={"iri": iri}))
    if not rows:
        return [], {}
    names.fetch(t.value for row in rows for t in row if isinstance(t, ox.NamedNode))
    return rows, spans_of(store, names, sorted({row[cited].value for row in rows}))


def assignments_of(store: Store, names: TermNames, iri: str) -> list[Assignment]:
    """The category assignments of the unit ``iri``."""
    rows, spans = _rows_with_quotes(store, names, "describe-assignments", iri, "assignment")
    return [Assignment(names.value(row["assignment"]), names.value(row["category"]),
                       names.optional(row["tier"]), names.optional(row["doc"]),
                       spans[row["assignment"].value]) for row in rows]


def _decimal(term: Term | None) -> str | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        number = Decimal(term.value)
    except InvalidOperation:
        return term.value
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def funding_of(store: Store, names: TermNames, iri: str) -> list[Funding]:
    """The fund rules whose recipients include the unit ``iri``, one each: by its category
    (describe-funding.rq) or by name (an award to it, describe-funding-awarded.rq)."""
    rows, spans = _rows_with_quotes(store, names, "describe-funding", iri, "rule")
    awarded, award_spans = _rows_with_quotes(store, names, "describe-funding-awarded", iri,
                                             "rule")
    rows, spans = rows + awarded, {**spans, **award_spans}
    out, seen = [], set()
    for row in rows:
        rule = row["rule"].value
        if rule in seen:  # one row per rule, even if two assignments lead to it
            continue
        seen.add(rule)
        stated = row["amountAsStated"]
        out.append(Funding(
            rule=names.value(row["rule"]), payer=names.optional(row["payer"]),
            amount=_decimal(row["amount"]),
            amount_as_stated=stated.value if stated is not None else None,
            unit=names.optional(row["unit"]), basis=names.optional(row["basis"]),
            years=integer(row["years"]), recipients=integer(row["recipients"]) or 0,
            per_year=_decimal(row["perYear"]), whole_period=_decimal(row["wholePeriod"]),
            quotes=spans[rule]))
    return out
