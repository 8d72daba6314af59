"""Goals with their target year, and recurring activities with their frequency."""

from __future__ import annotations

from xsrv_kg.draft import text as cut
from xsrv_kg.draft.members import Context
from xsrv_kg.draft.model import Fact, span
from xsrv_kg.draft.rules import Rules, compile_pattern


def goal_facts(
    source: str, rules: Rules, contexts: list[Context], *, area: str | None
) -> list[Fact]:
    out: list[Fact] = []
    for m in compile_pattern(rules.activities["goal"]["pattern"]).finditer(source):
        _, end = cut.full_sentence(source, m.start())
        start = m.start()
        if end < len(source) and source[end] == "。":
            end += 1
        data = {"year": m.group("year")}
        stated = [m.group("year")]
        spans = [span(source, start, end)]
        given = {}
        ctx = next((c for c in contexts if c.start <= start < c.end), None)
        if ctx:
            data["applies_to"] = ctx.label
            spans.append(ctx.label_span)
            stated.append(ctx.label)
        elif area:
            data["applies_to"], given["applies_to"] = area, "--area"
        targets, at = [], m.end()
        body = source[at:end].lstrip("，,").rstrip("。")
        offset = source.index(body, at) if body else at
        for part in body.split("，"):
            if part.strip():
                targets.append((offset, offset + len(part)))
            offset += len(part) + 1
        data["targets"] = [span(source, a, b) for a, b in targets]
        out.append(
            Fact("goal", f"goal:{len(out) + 1}", spans, data, tuple(stated), "goals.goal", given)
        )
    return out


def activity_facts(source: str, rules: Rules) -> list[Fact]:
    found = []
    for row in rules.activities["frequency"]:
        for m in compile_pattern(row["pattern"]).finditer(source):
            found.append((m.start(), -(m.end() - m.start()), m, row["freq"]))
    found.sort(key=lambda t: (t[0], t[1]))
    out: list[Fact] = []
    taken_until = -1
    for start, _, m, freq in found:
        if start < taken_until:
            continue
        taken_until = m.end()
        c_start, c_end = cut.sentence_bounds(source, start)
        data = {"freq": freq or None, "as_stated": m.group(0)}
        qualifier = "原则上" if "原则上" in source[c_start:start] else None
        stated = [m.group(0)]
        if qualifier:
            data["qualifier"] = qualifier
            stated.append(qualifier)
        out.append(
            Fact(
                "activity",
                f"activity:{len(out) + 1}",
                [span(source, c_start, c_end)],
                data,
                tuple(stated),
                "activities.frequency",
            )
        )
    return out
