"""The reader's language for pages (zh or en) and the words of the UI chrome.

Picked by ``?lang=``, then ``Accept-Language``, falling back to Chinese, the documents' own
language. Names of resources come from the data (see :mod:`xsrv_kg.pages.names`).
"""

from __future__ import annotations

from flask import request

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # The service's name, not one document's (each page names its document).
        "site": "乡村振兴政策知识图谱",
        "workbench": "查询工作台", "documents": "文件", "overview": "方案概览",
        "validation": "数据验证",
        "endpoint": "SPARQL 端点", "language": "English", "json": "JSON", "rdf": "RDF",
        "alternate": "本页的机器可读版本", "dataset_description": "数据集描述 (VoID)",
        "search": "搜索", "search_placeholder": "名称、拼音或 IRI",
    },
    "en": {
        "site": "Rural-revitalization policy knowledge graph",
        "workbench": "Query workbench", "documents": "Documents", "overview": "Overview",
        "validation": "Validation",
        "endpoint": "SPARQL endpoint", "language": "中文", "json": "JSON", "rdf": "RDF",
        "alternate": "this page for machines", "dataset_description": "dataset description (VoID)",
        "search": "Search", "search_placeholder": "name, pinyin or IRI",
    },
}


def request_lang() -> str:
    """``zh`` or ``en`` for the current request."""
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    return request.accept_languages.best_match(LANGS, default="zh") or "zh"


def other_lang(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
