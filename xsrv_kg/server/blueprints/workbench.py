"""``/``: the query workbench (YASGUI over our endpoint) and the curated-query gallery.

The page is the vendored YASGUI editor (``web/vendor/yasgui-*``) driven by ``web/workbench.js``;
everything it needs from the server (the endpoint, the predeclared prefixes, the SPARQL it
runs for labels and completions, the search it completes entity IRIs from, its words) is in
``data-`` attributes of one element, since the pages' Content-Security-Policy allows no
inline script. ``/queries.json`` is its twin: the
project's curated ``queries/*.rq`` with their titles and comments in both languages, the engine
deviations each relies on (``reliesOn``, from its ``# relies-on:`` line) and whether the
backend refuses it (``refused``: it relies on a deviation found there; run, it answers 501).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, url_for

from ...sparql import rq
from ...sparql.header import parameters, parse_header
from ...store.conformance import relies_on
from ...vocab import BASE, ID, PREFIXES
from .. import state
from ..i18n import request_lang
from .pages import page

blueprint = Blueprint("workbench", __name__)

#: The vendored YASGUI (see web/vendor/README.md).
YASGUI = "vendor/yasgui-4.6.2"

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "SPARQL 查询工作台",
        "intro": "在下方编辑并运行 SPARQL 查询（Ctrl+Enter 运行）。项目前缀（xsrv:、xp:、div:、"
                 "skos: 等）已在端点预先声明，可直接使用。",
        "gallery": "精选查询", "gallery_hint": "点击标题即载入编辑器并运行。",
        "form": "表单",
        "run": "运行", "permalink": "永久链接", "copied": "链接已复制",
        "download_csv": "下载 CSV", "download_json": "下载 JSON",
        "label": "标签", "rows": "行", "no_rows": "没有结果。", "more": "显示更多",
        "error": "查询出错", "position": "位置", "line": "第 {line} 行第 {col} 列",
        "timeout": "查询超过时间限制，已被终止。", "truncated": "结果已截断",
        "table": "表格", "loading": "正在查询……", "results_of": "当前查询",
        "default_comment": "# 以下前缀已在端点预先声明，查询中可直接使用，无需 PREFIX 行：",
        "hint": "查询中的 {query} 在数据中只以 {data} 的形式出现：带语言标签或数据类型的字面量"
                "与普通字符串不是同一个值。",
    },
    "en": {
        "heading": "SPARQL query workbench",
        "intro": "Edit and run SPARQL queries below (Ctrl+Enter runs). The project prefixes "
                 "(xsrv:, xp:, div:, skos: …) are predeclared by the endpoint.",
        "gallery": "Curated queries", "gallery_hint": "Click a title to load it and run it.",
        "form": "form",
        "run": "Run", "permalink": "Permalink", "copied": "Link copied",
        "download_csv": "Download CSV", "download_json": "Download JSON",
        "label": "label", "rows": "rows", "no_rows": "No results.", "more": "Show more",
        "error": "Query error", "position": "Position", "line": "line {line}, column {col}",
        "timeout": "The query ran past the time limit and was stopped.",
        "truncated": "result truncated",
        "table": "Table", "loading": "Querying…", "results_of": "Current query",
        "default_comment": "# These prefixes are predeclared by the endpoint; "
                           "use them without PREFIX lines:",
        "hint": "The data has {query} only as {data}: a language-tagged or typed literal is "
                "not the same value as a plain string.",
    },
}


def curated_queries(folder: Path) -> list[dict[str, object]]:
    """Every ``*.rq`` in ``folder`` (by file name) with its titles, comments and text."""
    queries = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta, body = parse_header(text)
        params = [{"name": p.name, "type": p.type, "default": p.default, "label": p.label}
                  for p in parameters(text, source=path.name)]
        queries.append({"file": path.name, "name": path.stem, **meta, "query": body,
                        "reliesOn": relies_on(text), "params": params})
    return queries


def _queries() -> list[dict[str, object]]:
    """The curated queries, each with ``refused``: whether this backend refuses it."""
    queries = curated_queries(state.config().queries_dir)
    for query in queries:
        # Its own page: a form for its parameters, and its answer (see canned.py).
        query["page"] = url_for("canned.query_page", name=query["name"])
        named = query["reliesOn"]
        query["refused"] = bool(named) and state.store().conformance.refusal(named) is not None
    return queries


def _prefix_comment(width: int = 88) -> str:
    """``# xsrv: id: doc: …`` lines naming the predeclared prefixes."""
    lines, line = [], "#"
    for name in PREFIXES:
        if len(line) + len(name) + 2 > width:
            lines.append(line)
            line = "#"
        line += f" {name}:"
    return "\n".join([*lines, line]) + "\n"


@blueprint.route("/")
def index() -> Response:
    lang = request_lang()
    words = WORDS[lang]
    queries = _queries()
    default_query = (f"{words['default_comment']}\n{_prefix_comment()}\n"
                     + rq.load("workbench-default"))
    settings = {
        "lang": lang,
        "endpoint": url_for("protocol.sparql"),
        "base": BASE,
        "prefixes": PREFIXES,
        # Entity IRIs complete from /search.json in these namespaces (the minted ones).
        "entityPrefixes": [p for p, ns in PREFIXES.items() if ns.startswith(ID)],
        "search": url_for("search.search_json"),
        "labelsQuery": rq.load("workbench-labels"),
        "termsQuery": rq.load("workbench-terms"),
        "defaultQuery": default_query,
        "queries": url_for("workbench.queries_json"),
        "words": words,
    }
    return page("workbench.html", twin=url_for("workbench.queries_json"), ww=words,
                queries=queries, settings=settings, yasgui=YASGUI,
                data=lambda: {"queries": queries})


@blueprint.route("/queries.json")
def queries_json() -> Response:
    return jsonify({"queries": _queries()})
