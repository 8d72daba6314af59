"""Money: who pays how much to whom, per what, for how long; stated totals and their check.

An amount (500万元) is read with the words of its clause (the text between 。/； marks):
the payer (市财政), the basis (每年, 每个, 分别), the period (连续3年, 5年过渡期; a period
opening the sentence governs its later clauses too), and the recipients (对…， / 每个乡镇 /
the place named right before the amount / the category heading in force). Where the
payer is named only in an earlier sentence, that mention is the fact's second span.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xsrv_kg import numerals
from xsrv_kg.draft import places
from xsrv_kg.draft import text as cut
from xsrv_kg.draft.members import Context
from xsrv_kg.draft.model import Fact, Span, span
from xsrv_kg.draft.rules import Rules, compile_pattern

RECIPIENT_STOPS = ("，", ",", "每", "补助", "奖励", "奖补", "安排", "给予", "一次性", "财政")
RECIPIENT_EACH = re.compile(
    r"每个(?P<r>[\u4e00-\u9fff（）]{1,10}?)(?:每年)?(?:补助|奖补|奖励|安排|补贴|下达|支持)"
)
PLACE_BEFORE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,30}?)(?:奖励|补助|奖补|补贴)?$")


def _amount_re(rules: Rules) -> re.Pattern[str]:
    units = "|".join(sorted(rules.money["units"], key=len, reverse=True))
    return compile_pattern(rf"(?P<n>{{NUM}})(?P<unit>{units})")


def yuan(number: str, unit: str, rules: Rules) -> Decimal:
    """An amount in yuan, exact: 500万元 -> 5000000, 1.2亿元 -> 120000000."""
    return numerals.to_decimal(number) * rules.money["units"][unit]


def _context_at(contexts: list[Context], at: int) -> Context | None:
    return next((c for c in contexts if c.start <= at < c.end), None)


def _recipients_after_dui(local: str) -> str | None:
    """ "对每个示范镇，…" -> 示范镇: the words after the last 对, up to a comma or the words
    of payer, basis or payment."""
    at = local.rfind("对")
    if at < 0:
        return None
    rest = re.sub(r"^(?:每个|各)", "", local[at + 1 :])
    cut_at = min([i for i in (rest.find(s) for s in RECIPIENT_STOPS) if i >= 0] + [len(rest)])
    words = rest[:cut_at]
    return words if len(words) >= 2 else None


def _count_named(counts: list[Fact], recipients: str) -> Fact | None:
    """The declared count of a list whose heading names these recipients (先进乡镇 ->
    乡村振兴先进乡镇（3个）), if exactly one does."""
    named = [
        c
        for c in counts
        if c.rule == "lists.heading_count"
        and (c.data.get("list") or "").endswith(recipients.removesuffix("的"))
    ]
    return named[0] if len(named) == 1 else None


def _count_above(counts: list[Fact], recipients: str, at: int) -> Fact | None:
    """ "对以上示范村" / "上述村": the nearest count before, of the recipients' level, that
    counts the whole list (not one area's part of it)."""
    if not recipients.startswith(("以上", "上述", "前述")):
        return None
    level = (
        "VillageLevelDivision"
        if recipients.endswith(("村", "社区"))
        else "TownshipLevelDivision"
        if recipients.endswith(("镇", "乡", "乡镇", "街道"))
        else None
    )
    before = [
        c
        for c in counts
        if c.spans[0].end <= at and c.data.get("level") == level and not c.data.get("within")
    ]
    return max(before, key=lambda c: c.spans[0].start) if level and before else None


def fund_facts(
    source: str, rules: Rules, contexts: list[Context], counts: list[Fact]
) -> list[Fact]:
    amount_re = _amount_re(rules)
    total_re = compile_pattern(rules.money["total"]["pattern"])
    payer_re = compile_pattern(rules.money["payer"]["pattern"])
    periods = [(compile_pattern(p["pattern"]), p["kind"]) for p in rules.money["period"]]
    kind_after = compile_pattern(rules.money["fund_kind"]["pattern"])
    totals = {m.start("amount"): m for m in total_re.finditer(source)}
    facts: list[Fact] = []
    for m in amount_re.finditer(source):
        if not numerals.is_numeral(m.group("n")):
            continue
        if m.start() in totals:
            t = totals[m.start()]
            facts.append(
                Fact(
                    "total",
                    f"total:{len(facts)}",
                    [span(source, t.start(), t.end())],
                    {"amount": yuan(m.group("n"), m.group("unit"), rules), "as_stated": m.group(0)},
                    (m.group(0),),
                    "money.total",
                )
            )
            continue
        c_start, c_end = cut.sentence_bounds(source, m.start())
        s_start, _ = cut.full_sentence(source, m.start())
        clause = source[c_start : m.start()]
        # The part of the clause that belongs to this amount alone (after an earlier amount).
        prev = [a.end() for a in amount_re.finditer(source, c_start, m.start())]
        local = source[prev[-1] if prev else c_start : m.start()]
        begin = c_start
        data: dict = {
            "amount": yuan(m.group("n"), m.group("unit"), rules),
            "as_stated": m.group(0),
            "unit": m.group("unit"),
        }
        stated: list[str] = [m.group(0)]
        period_end = 0
        extra: list[Span] = []
        payer = list(payer_re.finditer(clause))
        if payer:
            data["payer"] = payer[-1].group(0)
            stated.append(payer[-1].group(0))
        else:
            earlier = list(payer_re.finditer(source, 0, c_start))
            if earlier:
                p = earlier[-1]
                data["payer"], data["payer_from"] = p.group(0), "an earlier sentence"
                extra.append(span(source, p.start(), p.end()))
                stated.append(p.group(0))
        for row in rules.money["basis"]:
            if all(w in local for w in row["words"]):
                data["basis"] = row["basis"]
                stated.extend(row["words"])
                break
        for pattern, kind in periods:
            # Its own clause first; else the opening phrase of the sentence ("在5年过渡期内，"),
            # which governs every clause of it; never the middle of another clause.
            found = list(pattern.finditer(source, c_start, c_end))
            opening = source.find("，", s_start, c_start)
            pm = (
                found[-1]
                if found
                else (pattern.search(source, s_start, opening) if opening > 0 else None)
            )
            if pm and numerals.is_numeral(pm.group("n")):
                data["period_years"] = numerals.to_int(pm.group("n"))
                data["period_as_stated"] = pm.group(0)
                data["period_kind"] = kind
                stated.append(pm.group(0))
                begin = min(begin, pm.start())
                period_end = pm.end()
                break
        dui = _recipients_after_dui(local)
        each = RECIPIENT_EACH.search(local)
        before = PLACE_BEFORE.search("".join(re.split(r"[、，,：:；;]", local)[-1].split()))
        chain = places.parse_chain(before.group("name"), rules) if before else None
        if dui:
            data["recipients"] = dui
            stated.append(dui)
            count = _count_named(counts, dui) or _count_above(counts, dui, m.start())
            if count:
                data["recipient_count"] = count.data["value"]
                extra.append(count.spans[0])
                stated.append(count.stated[0])
                # The list's category and level are the recipients' ("对以上示范村" over the
                # list "确定十二个村为…示范村"): the count's own span states both.
                if count.data.get("label") and count.data.get("list"):
                    data["recipient_category"] = count.data["label"]
                    if count.data.get("level"):
                        data["recipient_level"] = count.data["level"]
        elif chain:
            data["recipients"], data["recipient_place"] = chain[-1].name, True
            stated.append(chain[-1].name)
        elif each and each.group("r") not in ("", "安排"):
            data["recipients"] = each.group("r")
            stated.append(each.group("r"))
        else:
            ctx = _context_at(contexts, m.start())
            if ctx:
                data["recipients"], data["recipients_from"] = ctx.label, "heading"
                extra.append(ctx.label_span)
                stated.append(ctx.label)
                count = next(
                    (
                        c
                        for c in counts
                        if c.spans[0].start <= ctx.label_span.start < c.spans[0].end
                    ),
                    None,
                )
                if count:
                    data["recipient_count"] = count.data["value"]
                    # "一等奖（2个）" over villages: the heading's list is of one level
                    if count.data.get("level"):
                        data["recipient_level"] = count.data["level"]
        if data.get("recipients") and not data.get("recipient_place"):
            # "对市级乡村振兴示范村": the recipients' own noun states their level (村: village).
            noun = rules.counted_noun(data["recipients"].removesuffix("的"))
            if noun and not data.get("recipient_level"):
                data["recipient_level"] = rules.lists["counted"][noun]["level"]
        end = m.end()
        kind_before = next(
            (
                w
                for w in sorted(rules.money["fund_kind"]["before"], key=len, reverse=True)
                if local.endswith(w)
            ),
            None,
        )
        if kind_before:
            data["fund_kind"] = kind_before
        k = kind_after.match(source, m.end())
        if k and k.group("kind"):
            data["fund_kind"] = k.group("kind")
            end = k.end()
        end = max(end, period_end)
        facts.append(
            Fact(
                "fund",
                f"fund:{len(facts)}",
                [span(source, begin, end)] + extra,
                data,
                tuple(stated),
                "money.amount",
            )
        )
    return facts


def check_totals(facts: list[Fact], rules: Rules) -> list[str]:
    """Where the text states a total and its parts, say whether they add up."""
    messages = []
    ordered = sorted((f for f in facts if f.kind in ("fund", "total")), key=lambda f: f.span.start)
    totals = [f for f in ordered if f.kind == "total"]
    for i, total in enumerate(totals):
        lo = totals[i - 1].span.end if i else 0
        hi = totals[i + 1].span.start if i + 1 < len(totals) else float("inf")
        parts = [f for f in ordered if f.kind == "fund" and lo <= f.span.start < hi]
        if not parts:
            total.data["check"] = "no parts stated"
            continue
        sum_, unknown = Decimal(0), []
        for part in parts:
            times = Decimal(1)
            basis = part.data.get("basis", "")
            if "per-recipient" in basis:
                if "recipient_count" not in part.data:
                    unknown.append(part.data["as_stated"])
                    continue
                times *= part.data["recipient_count"]
            if "per-year" in basis and "period_years" in part.data:
                times *= part.data["period_years"]
            sum_ += part.data["amount"] * times
        if unknown:
            total.data["check"] = f"cannot check: no number of recipients for {', '.join(unknown)}"
        elif sum_ == total.data["amount"]:
            total.data["check"] = "parts add up"
        else:
            total.data["check"] = f"parts add up to {sum_} yuan, not {total.data['amount']}"
        total.data["parts_sum"] = str(sum_)
        messages.append(f"total {total.data['as_stated']}: {total.data['check']}")
    return messages
