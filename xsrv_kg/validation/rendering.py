"""Validation reports for people and programs: text, JSON, HTML and Turtle renderings of a
:class:`~xsrv_kg.validation.records.Report`. Pure functions of the report; no I/O."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from itertools import groupby

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph

from .. import vocab
from ..errors import BadInput
from .records import SEVERITIES, Report, Result

#: Words of the reports, per language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "SHACL 验证报告", "conforms": "数据符合约束", "yes": "是", "no": "否",
        "Violation": "违规", "Warning": "警告", "Info": "提示",
        "shape": "约束", "component": "约束组件", "path": "属性", "value": "值",
        "message": "说明", "source": "原文", "chars": "字符", "none": "无验证结果。",
    },
    "en": {
        "title": "SHACL validation report", "conforms": "Conforms", "yes": "yes", "no": "no",
        "Violation": "Violation", "Warning": "Warning", "Info": "Info",
        "shape": "Shape", "component": "Component", "path": "Path", "value": "Value",
        "message": "Message", "source": "Source", "chars": "chars", "none": "No results.",
    },
}


def _groups(report: Report) -> list[tuple[str, list[Result]]]:
    """Results grouped by severity (most severe first), then by shape."""
    return [(sev, [r for r in report.results if r.severity == sev]) for sev in SEVERITIES
            if any(r.severity == sev for r in report.results)]


def _summary(report: Report, lang: str) -> str:
    w = WORDS[lang]
    counts = " · ".join(f"{w[s]} {n}" for s, n in report.counts().items())
    return f"{w['conforms']}: {w['yes'] if report.conforms else w['no']} — {counts}"


def marked_sentence(result: Result) -> str:
    """The source sentence with the span marked 【like this】."""
    if result.source is None:
        return ""
    before, span, after = result.source.parts()
    return f"{before}【{span}】{after}"


def render_text(report: Report, lang: str) -> str:
    w = WORDS[lang]
    lines = [w["title"], _summary(report, lang), ""]
    if not report.results:
        lines.append(w["none"])
    for severity, results in _groups(report):
        lines += [f"== {w[severity]} ({len(results)}) ==", ""]
        for shape, same_shape in groupby(results, key=lambda r: r.shape):
            same_shape = list(same_shape)
            name = same_shape[0].shape_labels.get(lang) or shape or ""
            lines.append(f"[{name}] ({shape})")
            for r in same_shape:
                lines.append(f"  • {r.focus_labels.get(lang) or r.focus}  <{r.focus}>")
                lines.append(f"    {w['message']}: {r.message(lang)}")
                detail = f"{w['component']}: {r.component}"
                if r.path:
                    detail += f"; {w['path']}: {r.path}"
                if r.value:
                    detail += f"; {w['value']}: {r.value}"
                lines.append(f"    {detail}")
                if r.source:
                    where = f"{w['chars']} {r.source.start}–{r.source.end}"
                    quote = " ".join(marked_sentence(r).split())  # one line, even across paragraphs
                    lines.append(f"    {w['source']} ({where}): {quote}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_json(report: Report, lang: str) -> str:
    results = [{
        "severity": r.severity, "focus": r.focus, "focus_labels": r.focus_labels,
        "path": r.path, "value": r.value, "component": r.component, "shape": r.shape,
        "shape_labels": r.shape_labels, "messages": r.messages,
        "source": asdict(r.source) if r.source is not None else None,
        "message": r.message(lang), "label": r.focus_labels.get(lang) or r.focus,
    } for r in report.results]
    return json.dumps({"conforms": report.conforms, "counts": report.counts(), "lang": lang,
                       "results": results}, ensure_ascii=False, indent=2) + "\n"


def render_html(report: Report, lang: str) -> str:
    env = Environment(loader=PackageLoader("xsrv_kg", "templates"),
                      autoescape=select_autoescape(["html"]))
    template = env.get_template("validation_report.html")
    return template.render(report=report, groups=_groups(report), lang=lang, w=WORDS[lang],
                           summary=_summary(report, lang))


def render_turtle(report: Report, lang: str) -> str:
    graph = Graph()  # a copy, so binding prefixes leaves the report as it was
    graph += report.graph
    for prefix, ns in vocab.PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.serialize(format="turtle")


RENDERERS: dict[str, Callable[[Report, str], str]] = {
    "text": render_text, "json": render_json, "html": render_html, "turtle": render_turtle,
}


def render(report: Report, fmt: str, lang: str) -> str:
    """The report in ``fmt`` (text, json, html, turtle), messages in ``lang`` (zh, en)."""
    if fmt not in RENDERERS:
        raise BadInput(f"unknown report format {fmt!r}: use one of {', '.join(RENDERERS)}")
    if lang not in WORDS:
        raise BadInput(f"unknown language {lang!r}: use one of {', '.join(WORDS)}")
    return RENDERERS[fmt](report, lang)
