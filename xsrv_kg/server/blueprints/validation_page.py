"""``/validation``: the validation report of the served data as a page, with a JSON twin.

Results are grouped by severity, then shape; each names its focus node (linked to the
node's page), gives the message in the page's language and quotes the source sentence with
the span highlighted. The report is the one ``/shacl`` serves, made once per store version.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...pages.overview import make_href
from ...validation import SEVERITIES, Report, Result
from ...validation import rendering as reporting
from .. import state
from ..i18n import request_lang
from .pages import page
from .shacl import served_report

blueprint = Blueprint("validation_page", __name__)

#: The page's own words (the report's words are :data:`xsrv_kg.validation.rendering.WORDS`).
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "数据验证",
        "intro": "本服务的数据按本体与 SHACL 约束验证的结果。只有“违规”使数据不符合约束；"
                 "“警告”与“提示”说明值得注意之处（如原文声明了数量却未逐一列名）。",
        "conforms_yes": "数据符合约束", "conforms_no": "数据不符合约束",
        "focus": "对象", "shacl": "完整报告（Turtle、JSON-LD、文本）",
    },
    "en": {
        "title": "Validation",
        "intro": "The served data checked against the ontology and the SHACL shapes. Only "
                 "violations break conformance; warnings and infos point out what deserves "
                 "attention (such as a count the text declares without naming every member).",
        "conforms_yes": "The data conforms", "conforms_no": "The data does not conform",
        "focus": "Focus node", "shacl": "the full report (Turtle, JSON-LD, text)",
    },
}


def _result(r: Result, lang: str, href) -> dict[str, Any]:
    source = None
    if r.source is not None:
        before, span, after = r.source.parts()
        source = {"start": r.source.start, "end": r.source.end, "exact": r.source.exact,
                  "sentence": r.source.sentence, "before": before, "span": span,
                  "after": after}
    return {
        "severity": r.severity,
        "focus": r.focus,
        "focusIri": r.focus_iri,
        "href": href(r.focus_iri),
        "label": r.focus_labels.get(lang) or r.focus,
        "message": r.message(lang),
        "messages": r.messages,
        "component": r.component,
        "path": r.path,
        "value": r.value,
        "source": source,
    }


def report_model(report: Report, lang: str, base_iri: str, root: str = "") -> dict[str, Any]:
    """The report, grouped by severity (most severe first) and shape, in ``lang``."""
    href = make_href(base_iri, root)
    w = reporting.WORDS[lang]
    groups = []
    for severity in SEVERITIES:
        results = [r for r in report.results if r.severity == severity]
        if not results:
            continue
        shapes = []
        for shape, same in groupby(results, key=lambda r: r.shape):
            same = list(same)
            shape_iri = same[0].shape_iri
            shapes.append({
                "shape": shape, "shapeIri": shape_iri, "href": href(shape_iri),
                "label": same[0].shape_labels.get(lang) or shape or "",
                "results": [_result(r, lang, href) for r in same],
            })
        groups.append({"severity": severity, "label": w[severity], "count": len(results),
                       "shapes": shapes})
    return {"conforms": report.conforms, "counts": report.counts(), "lang": lang,
            "groups": groups}


def _model(lang: str) -> dict[str, Any]:
    return report_model(served_report(), lang, state.config().base_iri, request.script_root)


@blueprint.route("/validation")
def validation() -> Response:
    lang = request_lang()
    model = _model(lang)
    return page("validation.html", twin=url_for("validation_page.validation_json", lang=lang),
                data=lambda: model, model=model, vw=WORDS[lang], rw=reporting.WORDS[lang])


@blueprint.route("/validation.json")
def validation_json() -> Response:
    response = jsonify(_model(request_lang()))
    response.vary.add("Accept-Language")
    return response
