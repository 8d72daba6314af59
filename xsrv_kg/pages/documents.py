"""The documents of the dataset at a glance (``/documents``): each policy document with its
title, status, issuer, date, area, what it is based on and how much the data states from it,
and a link to its overview. Nothing here assumes one document: every row comes from
``xsrv_kg/sparql/documents*.rq``.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .. import vocab
from ..sparql import rq
from ..store import Store
from .hrefs import href
from .names import Names

#: The words of the page, per language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {"title": "文件", "intro": "本服务收录的政策文件；点击概览查看其分类、数量与资金。",
           "document": "文件", "type": "类型",
           "status": "状态", "issuer": "发文机关", "date": "日期",
           "area": "地区", "based_on": "依据", "stated": "数据", "overview": "概览",
           "not_stated": "原文未载明", "assignments": "分类指定", "rules": "资金规则",
           "counts": "声明数量", "validation": "验证", "conforms": "符合约束",
           "violates": "不符合约束",
           "severities": {"Violation": "违规", "Warning": "警告", "Info": "提示"},
           "filter": "筛选", "filter_hint": "标题、类型、地区、发文机关、状态或日期的一部分",
           "apply": "筛选", "draft": "审阅草稿",
           "shown": "第 {first}–{last} 条，共 {matched} 条（全部 {total} 份文件）",
           "none": "没有符合条件的文件。", "prev": "上一页", "next": "下一页",
           "page": "第 {page} / {pages} 页"},
    "en": {"title": "Documents", "intro": "The policy documents this service holds; open an "
           "overview for its categories, counts and funding.",
           "document": "Document", "type": "Type",
           "status": "Status", "issuer": "Issuer", "date": "Date",
           "area": "Area", "based_on": "Based on", "stated": "Data", "overview": "Overview",
           "not_stated": "not stated in the text", "assignments": "assignments",
           "rules": "fund rules", "counts": "declared counts", "validation": "Validation",
           "conforms": "conforms", "violates": "does not conform",
           "severities": {"Violation": "violations", "Warning": "warnings", "Info": "infos"},
           "filter": "Filter", "filter_hint": "part of a title, type, area, issuer, status or date",
           "apply": "Filter", "draft": "review the draft",
           "shown": "{first}–{last} of {matched} ({total} documents in all)",
           "none": "No document matches.", "prev": "Previous", "next": "Next",
           "page": "page {page} of {pages}"},
}

DOC = vocab.PREFIXES["doc"]


def document_iri(given: str) -> str:
    """The IRI of a document given as an id under ``doc:`` (``xiushan-plan``) or an IRI.

    >>> document_iri("xiushan-plan")
    'https://w3id.org/xsrv-kg/id/doc/xiushan-plan'
    """
    return given if ":" in given else DOC + given


def is_document(store: Store, document: str) -> bool:
    """Whether ``document`` (an IRI) is a policy document in ``store``."""
    result = store.query(rq.substitute(rq.load("overview-document"), {"doc": document}),
                         union_default_graph=True, prefixes=vocab.PREFIXES)
    return bool(result)

#: Documents per page of the index unless ``size`` says otherwise, and the most it allows.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: The kinds counted per document, by the key the JSON twin gives them.
COUNTED = {"assignments": "CategoryAssignment", "rules": "FundRule",
           "counts": ("AssignmentCount", "DivisionCount")}


def build(store: Store, base_iri: str, lang: str, root: str = "") -> dict[str, Any]:
    """The index in ``lang``: a JSON-ready dict, documents ordered by IRI."""
    names = Names(store, lang)
    rows = list(rq.select(store, "documents"))
    by_kind: dict[tuple[str, str], int] = {
        (r["doc"].value, r["kind"].value): int(r["n"].value)
        for r in rq.select(store, "documents-counts")}
    names.fetch(t.value for r in rows for t in r if isinstance(t, ox.NamedNode))

    def term(iri: str) -> dict[str, Any]:
        return {"iri": iri, "label": names.label(iri), "href": href(iri, base_iri, root=root)}

    documents: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["doc"].value
        doc = documents.setdefault(iri, {**term(iri), "type": None, "status": None,
                                         "issuer": [],
                                         "date": None, "area": [], "basedOn": []})
        if row["type"] is not None:
            doc["type"] = term(row["type"].value)
        if row["status"] is not None:
            doc["status"] = term(row["status"].value)
        if row["date"] is not None:
            doc["date"] = row["date"].value
        for key, var in (("issuer", "issuer"), ("area", "area"), ("basedOn", "basedOn")):
            value = row[var]
            if value is not None and value.value not in {t["iri"] for t in doc[key]}:
                doc[key].append(term(value.value))
    drafts = {r["doc"].value: r["status"].value for r in rq.select(store, "documents-drafts")}
    for iri, doc in documents.items():
        doc_id = iri.removeprefix(DOC) if iri.startswith(DOC) else None
        # A drafted document links its review page (only ids under doc: have one).
        doc["draft"] = ({"status": drafts[iri].rsplit("#", 1)[-1],
                         "href": f"{root}/documents/{doc_id}/draft"}
                        if iri in drafts and doc_id and "/" not in doc_id else None)
        doc["stated"] = {key: sum(by_kind.get((iri, vocab.XSRV + kind), 0)
                                  for kind in (kinds if isinstance(kinds, tuple) else (kinds,)))
                         for key, kinds in COUNTED.items()}
    return {"lang": lang, "documents": list(documents.values())}


def _haystack(doc: dict[str, Any]) -> str:
    """What a filter looks in: the document's name and IRI, type, status, issuer, area, date."""
    parts = [doc["label"], doc["iri"], doc.get("date") or ""]
    parts += [t["label"] for key in ("issuer", "area") for t in doc[key]]
    parts += [doc[key]["label"] for key in ("type", "status") if doc.get(key)]
    return "\n".join(parts).casefold()


def select(index: dict[str, Any], *, q: str = "", page: int = 1,
           size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of the index (:func:`build`), the documents matching ``q`` (a part of the
    title, IRI, type, status, issuer, area or date, case-insensitively) and where it stands:
    ``total`` documents, ``matched`` by ``q``, ``page`` of ``pages`` of ``pageSize``.

    A page past the last is empty, not an error: the index may have shrunk since the link
    was made.

    >>> doc = {"label": "秀山方案", "iri": "d:x", "status": None, "issuer": [], "area": []}
    >>> index = {"lang": "zh", "documents": [doc, {**doc, "label": "青禾公示", "iri": "d:q"}]}
    >>> chosen = select(index, q="青禾", size=1)
    >>> [d["label"] for d in chosen["documents"]], chosen["matched"], chosen["pages"]
    (['青禾公示'], 1, 1)
    """
    docs = index["documents"]
    needle = q.strip().casefold()
    matched = [d for d in docs if needle in _haystack(d)] if needle else docs
    pages = max(1, -(-len(matched) // size))
    start = (page - 1) * size
    return {**index, "documents": matched[start:start + size], "total": len(docs),
            "matched": len(matched), "page": page, "pages": pages, "pageSize": size,
            "first": start + 1 if start < len(matched) else 0,
            "last": min(start + size, len(matched)) if start < len(matched) else 0, "q": q}
