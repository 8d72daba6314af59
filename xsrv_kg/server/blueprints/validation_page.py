"""``/validation``: the validation report of the served data as a page, with a JSON twin.

Results are grouped by severity, then shape; each names its focus node (linked to the
node's page), gives the message in the page's language and quotes the source sentence with
the span highlighted. The report is the one ``/shacl`` serves, made once per store version.

Above it, a notice names where the backend's engine deviates from SPARQL 1.1 (its
conformance probe, :mod:`xsrv_kg.store.conformance`) and which shipped queries and pages are
therefore refused on it (those whose ``# relies-on:`` line names such a deviation).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...errors import NotFound
from ...pages.documents import document_iri, is_document
from ...pages.overview import make_href
from ...pages.standing import BADGES, standings
from ...pages.standing import summary as standing_summary
from ...sparql import rq
from ...store.conformance import DEVIATIONS, MENDED, REFUSING, Conformance, relies_on
from ...validation import SEVERITIES, Report, Result, by_document
from ...validation import rendering as reporting
from .. import state
from ..i18n import request_lang
from .memo import per_store_version
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
        "engine": "后端 {backend} 的查询引擎有不符合 SPARQL 1.1 之处（一致性探测所得）：",
        "found": "已发现", "unknown": "未能探测", "mended": "已由存储弥补",
        "refused": "以下查询与页面在此后端被拒绝（501），而不给出错误数字：",
        "none_refused": "所附查询均不依赖这些偏差。",
        "docs": "说明",
        "more": "本页只列出前 {shown} 条，另有 {n} 条同类结果见",
        "of_document": "仅列出焦点属于该文件的结果（该文件本身、其下的资源或 "
                       "xsrv:statedBy 该文件者）：",
        "all_documents": "全部结果",
    },
    "en": {
        "title": "Validation",
        "intro": "The served data checked against the ontology and the SHACL shapes. Only "
                 "violations break conformance; warnings and infos point out what deserves "
                 "attention (such as a count the text declares without naming every member).",
        "conforms_yes": "The data conforms", "conforms_no": "The data does not conform",
        "focus": "Focus node", "shacl": "the full report (Turtle, JSON-LD, text)",
        "engine": "The query engine of the backend {backend} deviates from SPARQL 1.1 "
                  "(found by its conformance probe) in:",
        "found": "found", "unknown": "could not be probed", "mended": "mended by the store",
        "refused": "These queries and pages are therefore refused on this backend (501) "
                   "rather than answered with wrong figures:",
        "none_refused": "No shipped query relies on these deviations.",
        "docs": "details",
        "more": "The first {shown} are listed here; {n} more of this shape are in the",
        "of_document": "Only the results whose focus belongs to this document (the document, "
                       "what is minted under it, or what is xsrv:statedBy it):",
        "all_documents": "all results",
    },
}

#: Which page runs a product query (``xsrv_kg/sparql/*.rq``), by its file name's first word.
PAGES = {
    "overview": "/overview",
    "describe": "/id/… (resource pages)",
    "workbench": "/ (workbench)",
    "link": "xsrv-kg link",
    "validate": "/validation, /shacl (store engine)",
}


#: Results the HTML page lists per shape; the JSON twin lists all. A report of a thousand
#: documents has a thousand results of one shape, which no reader scrolls through.
SHOWN_PER_SHAPE = 50


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


def refused_queries(conformance: Conformance, folders: list[tuple[str, Path]]
                    ) -> list[dict[str, Any]]:
    """The ``.rq`` files of ``folders`` (label, folder) refused on the backend: those whose
    ``# relies-on:`` line names a deviation found there or not probed."""
    refused = []
    for label, folder in folders:
        for path in sorted(folder.glob("*.rq")):
            named = relies_on(path.read_text(encoding="utf-8"))
            if conformance.refusal(named) is not None:
                page_ = PAGES.get(path.stem.split("-", 1)[0]) if label.startswith("xsrv_kg") \
                    else "/ (workbench gallery), xsrv-kg query"
                refused.append({"file": f"{label}/{path.name}", "reliesOn": named,
                                "page": page_})
    return refused


def engine_model(conformance: Conformance, lang: str, queries_dir: Path) -> dict[str, Any]:
    """The notice's data: the deviations that are not absent (with the backend's name, if
    any), and what is refused because of them."""
    deviations = [{"id": d.id, "status": conformance.status(d.id),
                   "description": getattr(d, lang), "detail": conformance.finding(d.id).detail,
                   "docs": d.docs}
                  for d in DEVIATIONS.values()
                  if conformance.status(d.id) in (*REFUSING, MENDED)]
    model: dict[str, Any] = {
        "deviations": deviations,
        "refused": refused_queries(conformance, [("queries", queries_dir),
                                                 ("xsrv_kg/sparql", rq.SPARQL_DIR)])}
    if deviations:  # else the page is the same on every conforming backend, byte for byte
        model["backend"] = conformance.backend
    return model


def mark_results(model: dict[str, Any], store, lang: str, base_iri: str, root: str = "") -> None:
    """Each result's ``standing`` and ``standingNotes``: the editorial notes concerning its
    focus node (an incomplete count the text leaves open says why here)."""
    results = [r for g in model["groups"] for s in g["shapes"] for r in s["results"]]
    marks = standings(store, [r["focusIri"] for r in results if r["focusIri"]], lang,
                      base_iri=base_iri, root=root)
    for r in results:
        r.update(standing_summary([marks[r["focusIri"]]] if r["focusIri"] else []))


def _model(lang: str) -> dict[str, Any]:
    """The page's data, made once per store version, language, script root and document
    (``?doc=``, an id under ``doc:`` or an IRI: only that document's results, by the rule of
    :mod:`xsrv_kg.validation.by_document`): the report, the standing of each result and the
    engine notice cost a second at 10^6 triples."""
    root = request.script_root
    given = request.args.get("doc")
    document = document_iri(given) if given else None

    def build() -> dict[str, Any]:
        report = served_report()
        if document is not None:
            if not is_document(state.store(), document):
                raise NotFound(f"there is no policy document {document} in this dataset")
            mine = by_document.of_document(state.store(), report, document)
            report = replace(report, results=tuple(mine),
                             conforms=not any(r.severity == "Violation" for r in mine))
        model = report_model(report, lang, state.config().base_iri, root)
        mark_results(model, state.store(), lang, state.config().base_iri, root)
        model["engine"] = engine_model(state.store().conformance, lang,
                                       state.config().queries_dir)
        if document is not None:
            model["document"] = document
        return model

    return per_store_version("validation-page", (lang, root, document), build)


@blueprint.route("/validation")
def validation() -> Response:
    lang = request_lang()
    model = _model(lang)
    twin = url_for("validation_page.validation_json", lang=lang, doc=request.args.get("doc"))
    return page("validation.html", twin=twin,
                data=lambda: model, model=model, vw=WORDS[lang], rw=reporting.WORDS[lang],
                shown=SHOWN_PER_SHAPE,
                sw=BADGES[lang])


@blueprint.route("/validation.json")
def validation_json() -> Response:
    response = jsonify(_model(request_lang()))
    response.vary.add("Accept-Language")
    return response
