"""``/queries/NAME``: one curated query as a page -- its parameters as a form, its answer as a
table -- and ``/queries/NAME.json``, its twin (Datasette's canned queries).

The values come from the query string (``?unit=涌洞乡``); missing ones take their defaults, so
the page answers at once. They are resolved and bound by :mod:`xsrv_kg.query.canned` and the
query runs through the one pipeline (:meth:`~xsrv_kg.query.endpoint.Endpoint.query`). A bad
value is a 400 naming the parameter: on the page, above the form that can correct it; in
the twin, as the usual JSON error.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from ...errors import BadInput
from ...formats import SPARQL_JSON, TURTLE
from ...pages.hrefs import href
from ...query import canned
from ...query.negotiation import Negotiated
from ...vocab import shorten_iri
from .. import state
from ..i18n import request_lang
from .pages import page, wants_json

blueprint = Blueprint("canned", __name__)

#: Query-string keys that are the page's own, never a parameter.
RESERVED = ("lang", "format")

WORDS: dict[str, dict[str, str]] = {
    "zh": {"run": "运行", "params": "参数", "results": "结果", "rows": "行",
           "no_rows": "没有结果。", "bound": "实际绑定", "query": "SPARQL 查询",
           "open_in_workbench": "在查询工作台中打开", "error": "参数有误",
           "types": {"division": "行政区划：名称、拼音或 IRI", "category": "类别：名称或 IRI",
                     "document": "文件：编号（如 xiushan-plan）、标题或 IRI；* 为全部文件",
                     "text": "文本"},
           "any": "不限（全部）",
           "truncated": "结果已截断"},
    "en": {"run": "Run", "params": "Parameters", "results": "Results", "rows": "rows",
           "no_rows": "No results.", "bound": "Bound to", "query": "SPARQL query",
           "open_in_workbench": "Open in the workbench", "error": "Bad parameter",
           "types": {"division": "division: name, pinyin or IRI",
                     "category": "category: name or IRI",
                     "document": "document: id (e.g. xiushan-plan), title or IRI; * for all",
                     "text": "text"},
           "any": "any (all of them)",
           "truncated": "result truncated"},
}


def _given() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k not in RESERVED}


def _answer(name: str) -> dict[str, Any]:
    """The query, the values bound and its SPARQL JSON result."""
    endpoint = state.endpoint()
    query = canned.read(endpoint.config.queries_dir, name)
    bound = canned.bind(endpoint.store, query, _given())
    answer = endpoint.query(bound.text, Negotiated(SPARQL_JSON, TURTLE))
    return {**query.describe(), "values": canned.json_values(bound),
            "truncated": answer.written.truncated, "query": bound.text,
            "result": json.loads(answer.written.body)}


def _candidates(kind: str) -> list[dict[str, str]]:
    """What a form field may offer (the datalist of a division or category field)."""
    return [{"value": shorten_iri(c.term.value), "label": c.describe()}
            for c in canned.candidates(state.store(), kind)]


@blueprint.route("/queries/<name>")
def query_page(name: str) -> Response:
    lang = request_lang()
    config = state.config()
    query = canned.read(config.queries_dir, name)
    twin = url_for("canned.query_json", name=name, **request.args)
    if wants_json():
        return _json(name)
    model: dict[str, Any] = query.describe()
    error, status = None, 200
    try:
        model = _answer(name)
    except BadInput as exc:
        error, status = str(exc), 400
    given = _given()
    fields = [{"param": p, "value": given.get(p.name, p.default or ""),
               "options": _candidates(p.type) if p.type in canned.CANDIDATES else []}
              for p in query.params]
    root = request.script_root
    rows = _rows(model.get("result"), config.base_iri, root, lang)
    response = page("canned.html", twin=twin, cw=WORDS[lang], model=model, fields=fields,
                    error=error, rows=rows,
                    workbench=url_for("workbench.index", query=model.get("query", query.text),
                                      lang=lang))
    response.status_code = status
    return response


@blueprint.route("/queries/<name>.json")
def query_json(name: str) -> Response:
    return _json(name)


def _json(name: str) -> Response:
    response = jsonify(_answer(name))
    response.vary.add("Accept")
    return response


def _rows(result: dict[str, Any] | None, base_iri: str, root: str, lang: str
          ) -> dict[str, Any]:
    """The SPARQL JSON result as table rows: each cell its text and, for an IRI, its link."""
    if not result:
        return {"vars": [], "rows": []}
    names = result["head"]["vars"]
    rows = []
    for binding in result["results"]["bindings"]:
        row = []
        for n in names:
            cell = binding.get(n)
            if cell is None:
                row.append({"text": "", "href": None, "numeric": False})
                continue
            is_iri = cell["type"] == "uri"
            numeric = cell.get("datatype", "").rsplit("#", 1)[-1] in {"integer", "decimal"}
            row.append({"text": cell["value"], "numeric": numeric,
                        "href": href(cell["value"], base_iri, root=root, lang=lang)
                        if is_iri else None})
        rows.append(row)
    return {"vars": names, "rows": rows}
