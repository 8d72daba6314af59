"""``xsrv-kg link --report``: where a county plan's township names and each edition of the
code table differ, as plain data (:func:`code_report`; :func:`full_report` for every county
plan), and its text, JSON and HTML renderings (pure functions of the report).

The report lists appearances and disappearances per edition. Between a name that disappears
and one that appears it gives, at most, a *possible correspondence* with the observation it
rests on (a shared name stem, a shared code), marked as not asserted: the tables do not say
which unit succeeded which.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence

from ..errors import BadInput
from ..sparql import rq
from ..store import Store
from .plan_links import (
    NORMALISATIONS,
    Linking,
    compare,
    compute_all_links,
    county_plan,
    editions,
    normalisation_text,
    normalise,
    stem_and_kind,
)

# --- the report's data ----------------------------------------------------------------------

def recorded_links(store: Store) -> dict[str, dict[str, str]]:
    """unit IRI -> the recorded link (code, edition cut-off, method)."""
    return {r["unit"]: r for r in rq.rows(store, "link-recorded-links")}


def _hints(plan_only: Sequence[dict], edition_only: Sequence[dict]) -> list[dict]:
    """Possible correspondences between a plan-only and an edition-only name, each with the
    observation it rests on. Not asserted: a hint is a reason to look, not a succession."""
    hints = []
    for p in plan_only:
        p_stem, p_kind = stem_and_kind(normalise(p["name"]))
        for e in edition_only:
            e_stem, e_kind = stem_and_kind(normalise(e["name"]))
            basis = {}
            if p_stem == e_stem:
                basis["same_stem"] = p_stem
                if p_kind != e_kind:
                    basis["kind_in_plan"], basis["kind_in_edition"] = p_kind, e_kind
            if p.get("code") and p["code"] == e["code"]:
                basis["same_code"] = e["code"]
            if basis:
                hints.append({"plan": p, "edition": e, "basis": basis, "asserted": False})
    return hints


def full_report(store: Store) -> dict:
    """:func:`code_report` for every county plan with a code table, and a line for each
    county plan skipped (``no code table for 示例自治县 …``)."""
    linkings, skipped = compute_all_links(store)
    return {"counties": [code_report(store, lk.plan.county) for lk in linkings],
            "skipped": skipped}


def code_report(store: Store, county: str | None = None) -> dict:
    """Where a county plan's township names and each edition of the code table differ.

    A plain structure (for JSON as is): per edition, oldest first, the plan's names the
    edition does not list (``plan_only``, with the code of the linked entry when a link is
    recorded), the edition's entries whose names the plan does not have (``edition_only``),
    the names that match only after normalisation, and possible correspondences between the
    two lists with the observation each rests on, marked ``asserted: false``.
    """
    plan = county_plan(store, county)
    townships = plan.townships
    found = editions(store, plan.county_code)
    units = {t.unit for t in townships}
    recorded = {u: r for u, r in recorded_links(store).items() if u in units}
    out_editions = []
    for edition in found:
        m = compare(townships, edition)
        plan_only = [{"unit": t.unit, "name": t.name,
                      "code": recorded.get(t.unit, {}).get("code"),
                      "code_edition": recorded.get(t.unit, {}).get("cutoff")}
                     for t in sorted(m.plan_only, key=lambda t: (
                         recorded.get(t.unit, {}).get("code", ""), t.name))]
        edition_only = [{"entry": e.iri, "name": e.name, "code": e.code}
                        for e in m.edition_only]
        out_editions.append({
            "edition": edition.iri, "cutoff": edition.cutoff, "published": edition.published,
            "entries": len(edition.entries), "stated_entry_count": edition.entry_count,
            "verdict": m.verdict,
            "linked": any(r.get("edition") == edition.iri for r in recorded.values()),
            "normalised": [{"plan_name": t.name, "edition_name": e.name, "code": e.code}
                           for t, e in sorted(m.normalised.items(), key=lambda p: p[1].code)],
            "plan_only": plan_only,
            "edition_only": edition_only,
            "possible_correspondences": _hints(plan_only, edition_only),
        })
    linked_editions = sorted({r["cutoff"] for r in recorded.values()})
    return {
        "county": plan.county,
        "county_name": plan.county_name,
        "county_code": plan.county_code,
        "plan": plan.doc,
        "plan_townships": len(townships),
        "compared_by": "name",
        "normalisation": [{"from": a, "to": b} for a, b in NORMALISATIONS],
        "linked_edition": linked_editions[0] if len(linked_editions) == 1 else linked_editions,
        "links": len(recorded),
        "successions_asserted": 0,
        "editions": out_editions,
    }


# --- its renderings ---------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "方案乡镇（街道）名称与各版统计用区划代码的比较",
        "intro": "按名称比较（方案不载代码）；比较前规范化：{norm}。方案列 {n} 个乡镇（街道）；"
                 "对应链接取自 {linked} 版（{links} 条）。",
        "edition": "截至 {cutoff} 版（{published} 发布），{entries} 条",
        "exact": "与方案名称逐一相同。", "normalised": "规范化后与方案名称逐一相同。",
        "differs": "与方案名称不同：",
        "norm_only": "仅规范化后相同：", "plan_only": "方案有、本版无：",
        "edition_only": "本版有、方案无：", "none": "无",
        "hints": "可能的对应（仅为提示，数据未断言承继关系）：",
        "same_stem": "名称词干相同“{stem}”", "kind": "类型 方案为{a}、本版为{b}",
        "same_code": "代码相同 {code}",
        "no_hint": "以下条目在数据中找不到对应线索：",
        "footer": "本报告只列出各版本的出现与消失；代码表并未说明哪个新单位承继哪个旧单位，"
                  "故不断言任何承继、更名或合并关系。",
        "code_from": "代码取自 {cutoff} 版的对应条目",
        "linked": "（对应所用版本）",
    },
    "en": {
        "title": "The plan's township names against each edition of the division codes",
        "intro": "Compared by name (the plan gives no codes); names normalised first: {norm}. "
                 "The plan names {n} townships; links recorded to the {linked} edition "
                 "({links} links).",
        "edition": "Edition as of {cutoff} (published {published}), {entries} entries",
        "exact": "Same names as the plan, one for one.",
        "normalised": "Same names as the plan after normalisation.",
        "differs": "Differs from the plan:",
        "norm_only": "equal only after normalisation:",
        "plan_only": "in the plan, not in this edition:",
        "edition_only": "in this edition, not in the plan:", "none": "none",
        "hints": "possible correspondences (hints only; no succession is asserted):",
        "same_stem": "same name stem “{stem}”", "kind": "kind {a} in the plan, {b} here",
        "same_code": "same code {code}",
        "no_hint": "no clue in the data for:",
        "footer": "This report lists appearances and disappearances per edition only. The code "
                  "tables do not say which new unit succeeds which old one, so no succession, "
                  "renaming or merger is asserted.",
        "code_from": "code of the linked entry, edition {cutoff}",
        "linked": " (the edition linked)",
    },
}


def _check_lang(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise BadInput(f"unknown language {lang!r}: use one of {', '.join(WORDS)}")
    return WORDS[lang]


def _item(d: dict) -> str:
    return f"{d['name']} ({d['code']})" if d.get("code") else d["name"]


def _basis(hint: dict, w: dict[str, str]) -> str:
    b = hint["basis"]
    parts = []
    if "same_stem" in b:
        parts.append(w["same_stem"].format(stem=b["same_stem"]))
    if "kind_in_plan" in b:
        parts.append(w["kind"].format(a=b["kind_in_plan"], b=b["kind_in_edition"]))
    if "same_code" in b:
        parts.append(w["same_code"].format(code=b["same_code"]))
    return "; ".join(parts)


def _unhinted(edition: dict) -> list[dict]:
    hinted = {id(h["plan"]) for h in edition["possible_correspondences"]} | \
        {id(h["edition"]) for h in edition["possible_correspondences"]}
    return [d for d in edition["plan_only"] + edition["edition_only"] if id(d) not in hinted]


def _title(report: dict, w: dict[str, str]) -> str:
    return f"{w['title']} — {report['county_name']}" if report.get("county_name") else w["title"]


def _skipped(report: dict) -> list[str]:
    return list(report.get("skipped", []))


def _intro(report: dict, w: dict[str, str]) -> str:
    return w["intro"].format(norm=normalisation_text(), n=report["plan_townships"],
                             linked=report["linked_edition"] or w["none"],
                             links=report["links"])


def _head(edition: dict, w: dict[str, str]) -> str:
    head = w["edition"].format(cutoff=edition["cutoff"], published=edition["published"] or "?",
                               entries=edition["entries"])
    return head + (w["linked"] if edition["linked"] else "")


def _rows(edition: dict, w: dict[str, str]) -> list[tuple[str, str]]:
    """(label, names) of the names matched only after normalisation and, for an edition that
    differs, of the names on one side only."""
    rows = []
    if edition["normalised"]:
        rows.append((w["norm_only"], "、".join(f"{n['edition_name']} = {n['plan_name']} "
                                              f"({n['code']})" for n in edition["normalised"])))
    if edition["verdict"] == "differs":
        for side in ("plan_only", "edition_only"):
            rows.append((w[side], "、".join(_item(d) for d in edition[side]) or w["none"]))
    return rows


def render_text(report: dict, lang: str = "zh") -> str:
    """One county's report, or a :func:`full_report` (each county's, then the skipped)."""
    if "counties" in report:
        _check_lang(lang)
        return "\n".join([*(render_text(r, lang) for r in report["counties"]),
                          *(f"{line}\n" for line in _skipped(report))])
    w = _check_lang(lang)
    lines = [_title(report, w), _intro(report, w), ""]
    for e in report["editions"]:
        lines.append(f"== {_head(e, w)} ==")
        lines.append(w[e["verdict"]])
        lines += [f"  {label} {names}" for label, names in _rows(e, w)]
        if e["verdict"] == "differs":
            if e["possible_correspondences"]:
                lines.append(f"  {w['hints']}")
                for h in e["possible_correspondences"]:
                    lines.append(f"    ? {_item(h['plan'])} ~ {_item(h['edition'])}: "
                                 f"{_basis(h, w)}")
            rest = _unhinted(e)
            if rest:
                lines.append(f"  {w['no_hint']} " + "、".join(_item(d) for d in rest))
        lines.append("")
    if any(d.get("code") for e in report["editions"] for d in e["plan_only"]):
        lines.append("(" + w["code_from"].format(
            cutoff=report["linked_edition"] or w["none"]) + ")")
    lines.append(w["footer"])
    return "\n".join(lines) + "\n"


def render_json(report: dict, lang: str = "zh") -> str:
    _check_lang(lang)
    return json.dumps({**report, "lang": lang}, ensure_ascii=False, indent=2) + "\n"


def render_html(report: dict, lang: str = "zh") -> str:
    """A standalone page in the style of the validation report (one <main> fragment inside)."""
    w = _check_lang(lang)
    esc = html.escape
    body = []
    for one in report.get("counties", [report]):
        body += _html_sections(one, w)
    body += [f'<p class="skipped">{esc(line)}</p>' for line in _skipped(report)]
    body.append(f'<p class="footer">{esc(w["footer"])}</p>')
    return _html_page(body, w, lang)


def _html_sections(report: dict, w: dict[str, str]) -> list[str]:
    esc = html.escape
    body = [f"<h1>{esc(_title(report, w))}</h1>", f"<p>{esc(_intro(report, w))}</p>"]
    for e in report["editions"]:
        body.append(f'<section class="edition {esc(e["verdict"])}" '
                    f'id="edition-{esc(e["cutoff"])}">')
        body.append(f"<h2>{esc(_head(e, w))}</h2>")
        body.append(f"<p>{esc(w[e['verdict']])}</p>")
        rows = _rows(e, w)
        if rows:
            body.append("<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
                        + "</dl>")
        if e["possible_correspondences"]:
            body.append(f'<div class="hints"><p><strong>{esc(w["hints"])}</strong></p><ul>')
            for h in e["possible_correspondences"]:
                body.append(f"<li>{esc(_item(h['plan']))} ~ {esc(_item(h['edition']))}: "
                            f"<em>{esc(_basis(h, w))}</em></li>")
            body.append("</ul></div>")
        rest = _unhinted(e) if e["verdict"] == "differs" else []
        if rest:
            body.append(f"<p>{esc(w['no_hint'])} {esc('、'.join(_item(d) for d in rest))}</p>")
        body.append("</section>")
    return body


def _html_page(body: list[str], w: dict[str, str], lang: str) -> str:
    esc = html.escape
    return f"""<!doctype html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(w['title'])}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB",
         "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
         max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }}
  section.edition {{ border-left: 4px solid #ccc; padding: .25rem .75rem; margin: .75rem 0; }}
  section.exact {{ border-color: #2e7d32; }} section.normalised {{ border-color: #1d5c8a; }}
  section.differs {{ border-color: #d08a00; }}
  .hints {{ background: #fff8e1; padding: .25rem .75rem; }} .footer {{ color: #555; }}
  dt {{ font-weight: bold; }} dd {{ margin: 0 0 .5rem 1rem; }}
</style>
</head>
<body>
<main>
{chr(10).join(body)}
</main>
</body>
</html>
"""


RENDERERS: dict[str, Callable[[dict, str], str]] = {
    "text": render_text, "json": render_json, "html": render_html}


def render_report(report: dict, fmt: str, lang: str) -> str:
    if fmt not in RENDERERS:
        raise BadInput(f"unknown report format {fmt!r}: use one of {', '.join(RENDERERS)}")
    return RENDERERS[fmt](report, lang)


def render_links(linking: Linking, lang: str = "zh") -> str:
    """A short text summary of the links ``xsrv-kg link`` computes."""
    chosen = linking.chosen.edition
    w_zh = lang == "zh"
    lines = [f"{linking.plan.county_name} ({linking.plan.doc_slug})",
             (f"对应版本：截至 {chosen.cutoff}（{linking.chosen.verdict}）；名称一致的版本："
              if w_zh else f"Edition linked: as of {chosen.cutoff} ({linking.chosen.verdict}); "
              "editions whose names match the plan: ")
             + ", ".join(f"{m.edition.cutoff} ({m.verdict})" for m in linking.matching)]
    for township, entry, method in linking.links:
        lines.append(f"  {entry.code}  {township.name}  <{township.unit}>  {method}")
    return "\n".join(lines) + "\n"
