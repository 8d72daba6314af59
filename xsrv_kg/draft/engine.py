"""draft(): every extractor over one text, the checks, and the never-invents guard."""

from __future__ import annotations

from xsrv_kg.draft import codes as code_tables
from xsrv_kg.draft.document import document_facts
from xsrv_kg.draft.goals import activity_facts, goal_facts
from xsrv_kg.draft.lists import enumerate_lists
from xsrv_kg.draft.model import Draft, unstated
from xsrv_kg.draft.money import check_totals, fund_facts
from xsrv_kg.draft.rules import Rules, load_rules


def draft(text: str, *, doc_id: str, area: str | None = None, rules: Rules | None = None,
          codes: code_tables.CodeTables | None = None) -> Draft:
    """Draft the facts of `text`, each with its spans; nothing the text does not state.

    `area` (a name such as 秀山土家族苗族自治县) is the place the document is about: the
    parent of top-level places one level below it, never a fact of the text.
    """
    rules = rules or load_rules()
    facts = document_facts(text, rules)
    listed, contexts = enumerate_lists(text, rules, area=area)
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
            checks.append(f"count {count.span.exact}: declares {data['value']}, the list names {data['named']}")
    kept = []
    for fact in facts:
        missing = unstated(fact)
        if any(s.exact != text[s.start:s.end] for s in fact.spans):
            checks.append(f"dropped {fact.kind} {fact.key}: a span does not match the text")
        elif missing:
            checks.append(f"dropped {fact.kind} {fact.key}: its spans do not contain {missing}")
        else:
            kept.append(fact)
    return Draft(doc_id, text, area, kept, checks)
