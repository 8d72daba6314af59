"""draft(): every extractor over one text, the checks, and the never-invents guard."""

from __future__ import annotations

import re

from xsrv_kg import numerals
from xsrv_kg.draft import codes as code_tables
from xsrv_kg.draft.document import document_facts
from xsrv_kg.draft.goals import activity_facts, goal_facts
from xsrv_kg.draft.lists import enumerate_lists
from xsrv_kg.draft.model import Draft, Fact, span, unstated
from xsrv_kg.draft.money import check_totals, fund_facts
from xsrv_kg.draft.rules import Rules, load_rules


def _merge_restated_counts(facts: list[Fact]) -> list[Fact]:
    """A count stated once in running text ("4个乡镇为…") and again as a list heading
    ("示范乡镇（4个）") is one count with two spans, not two counts. Where the running text's
    noun fixes a kind the heading's members leave open ("1个县级市" for 云岭市, whose 市
    does not say which level), the members get that kind, with the noun's span."""
    headings = [f for f in facts if f.kind == "count" and f.rule == "lists.heading_count"]
    places = {f.key: f for f in facts if f.kind == "place"}
    out = []
    for fact in facts:
        if (
            fact.kind == "count"
            and fact.rule == "lists.inline_count"
            and not fact.data.get("label")
            and not fact.data.get("within")
        ):
            same = [
                h
                for h in headings
                if h.data["value"] == fact.data["value"]
                and (
                    h.data.get("level") == fact.data["level"]
                    or (
                        h.data.get("level") == "CityLevelDivision"
                        and fact.data.get("kind") == "kind-county-level-city"
                    )
                )
            ]
            if len(same) == 1:
                heading = same[0]
                heading.spans.extend(fact.spans)
                heading.stated = heading.stated + fact.stated
                if heading.data.get("level") != fact.data["level"]:
                    heading.data["level"] = fact.data["level"]
                    for member in heading.data.get("members", []):
                        place = places[member.data["unit"]]
                        if place.data["kind"] == "kind-city":
                            place.data.update(kind=fact.data["kind"], level=fact.data["level"])
                            place.spans.extend(fact.spans)
                            place.stated = place.stated + (fact.data["noun"],)
                continue
        out.append(fact)
    return out


def _restated_in_summary(facts: list[Fact], text: str) -> None:
    """A heading's count restated in a summary ("拟评定…示范村26个" above "示范村（二十六个）")
    is the same count: the summary is a second span, where it occurs exactly once."""
    for fact in facts:
        label = fact.data.get("list") or fact.data.get("label")
        if fact.kind != "count" or fact.rule != "lists.heading_count" or not label:
            continue
        found = [
            m
            for m in re.finditer(rf"{re.escape(label)}(?P<n>{numerals.PATTERN})个", text)
            if numerals.is_numeral(m.group("n"))
            and numerals.to_int(m.group("n")) == fact.data["value"]
            and not any(s.start <= m.start() < s.end for s in fact.spans)
        ]
        if len(found) == 1:
            fact.spans.append(span(text, found[0].start(), found[0].end()))


def draft(
    text: str,
    *,
    doc_id: str,
    area: str | None = None,
    rules: Rules | None = None,
    codes: code_tables.CodeTables | None = None,
) -> Draft:
    """Draft the facts of `text`, each with its spans; nothing the text does not state.

    `area` (a name such as 秀山土家族苗族自治县) is the place the document is about: the
    parent of top-level places one level below it, never a fact of the text.
    """
    rules = rules or load_rules()
    facts = document_facts(text, rules)
    listed, contexts = enumerate_lists(text, rules, area=area)
    listed = _merge_restated_counts(listed)
    _restated_in_summary(listed, text)
    facts += listed
    counts = [f for f in listed if f.kind == "count"]
    facts += fund_facts(text, rules, contexts, counts)
    facts += goal_facts(text, rules, contexts, area=area)
    facts += activity_facts(text, rules)
    code_tables.link(facts, codes if codes is not None else code_tables.load_tables(), area=area)
    checks = check_totals(facts, rules)
    for count in counts:
        data = count.data
        if data.get("named") is not None and data["named"] > data["value"]:
            named, value = data["named"], data["value"]
            checks.append(f"count {count.span.exact}: declares {value}, the list names {named}")
    kept = []
    for fact in facts:
        missing = unstated(fact)
        if any(s.exact != text[s.start : s.end] for s in fact.spans):
            checks.append(f"dropped {fact.kind} {fact.key}: a span does not match the text")
        elif missing:
            checks.append(f"dropped {fact.kind} {fact.key}: its spans do not contain {missing}")
        else:
            kept.append(fact)
    return Draft(doc_id, text, area, kept, checks)
