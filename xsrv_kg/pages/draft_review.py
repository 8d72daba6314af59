"""The review page of a drafted document (``/documents/<id>/draft``): its source text with
every extraction highlighted, each fact with its proposed triples, rule and review status,
and a reviewer's decision as one SPARQL Update (:data:`DECIDE`).

The model reads the draft from the store (:mod:`.draft_graph`); the blueprint adds the
validation report of the accepted part and guards the writes.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from ..errors import BadInput, NotFound
from ..sparql import rq
from ..store import Store
from . import draft_graph
from .documents import document_iri, is_document
from .draft_graph import DRAFT, DRAFT_RULE, RDF_TYPE, STATUSES, DraftGraph
from .hrefs import href
from .names import Names

#: The words of the page, per language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "草稿审核",
        "intro": "由 xsrv-kg draft 从原文起草的事实。原文中每处被提取的文字都已标出；"
                 "逐条核对其拟写的三元组，接受或驳回。只有已接受的部分（及其所需的资源）"
                 "可下载并保存。",
        "text": "原文", "facts": "起草的事实", "rule": "规则", "status": "审核状态",
        "spans": "原文位置", "accept": "接受", "reject": "驳回", "triples": "拟写的三元组",
        "token": "更新令牌", "token_hint": "写入需要服务的更新令牌（XSRV_UPDATE_TOKEN）；"
        "令牌只保存在本标签页（sessionStorage）。",
        "read_only": "本服务未开启更新（--allow-update），此页只读。",
        "counts": "草稿 {draft} · 已接受 {accepted} · 已驳回 {rejected}",
        "validation": "已接受部分的验证",
        "included": "验证与下载的内容：{accepted} 条已接受的事实；文件本身及其原文；"
                    "以及已接受事实所引用、尚未驳回的草稿资源 {context} 个（按原状态保留）。"
        "指向已驳回事实的三元组不计入。",
        "download": "下载已接受部分（Turtle）", "no_text": "存储中没有本文件的原文（cnt:chars）。",
        "conforms_yes": "已接受部分符合约束", "conforms_no": "已接受部分不符合约束",
        "nothing": "尚未接受任何事实。", "failed": "未能保存：",
    },
    "en": {
        "title": "Draft review", "intro": "Facts drafted from the text by xsrv-kg draft. Every "
        "extraction is highlighted in the text; check each fact's proposed triples, then "
        "accept or reject it. Only the accepted part (with what it needs) can be downloaded "
        "and kept.",
        "text": "Source text", "facts": "Drafted facts", "rule": "Rule",
        "status": "Review status", "spans": "Spans", "accept": "Accept", "reject": "Reject",
        "triples": "Proposed triples", "token": "Update token",
        "token_hint": "Writing needs the service's update token (XSRV_UPDATE_TOKEN); it is "
        "kept in this tab only (sessionStorage).",
        "read_only": "This service does not accept updates (--allow-update): the page is "
        "read-only.",
        "counts": "draft {draft} · accepted {accepted} · rejected {rejected}",
        "validation": "Validation of the accepted part",
        "included": "Validated and downloaded: the {accepted} accepted facts; the document "
        "itself and its text; and the {context} draft resources the accepted facts refer to "
        "that are not rejected (kept with their status). Triples pointing at rejected facts "
        "are left out.",
        "download": "Download the accepted part (Turtle)",
        "no_text": "The store holds no text (cnt:chars) of this document.",
        "conforms_yes": "The accepted part conforms",
        "conforms_no": "The accepted part does not conform",
        "nothing": "No fact is accepted yet.", "failed": "Not saved: ",
    },
}

#: The state of a highlighted stretch of text, by the statuses of the facts that cover it.
STATE = {DRAFT: "draft", STATUSES["accept"]: "accepted", STATUSES["reject"]: "rejected"}


def load(store: Store, doc_id: str, *, leave_out: list[str]) -> DraftGraph:
    """The draft of the document ``doc_id``; NotFound when the store has no such document or
    it has no drafted facts."""
    document = document_iri(doc_id)
    if not draft_graph.FACT_ID.fullmatch(doc_id) or not is_document(store, document):
        raise NotFound(f"there is no policy document doc:{doc_id} in this dataset "
                       "(/documents lists them)")
    graph = draft_graph.read(store, document, leave_out=leave_out)
    if not graph.facts():
        raise NotFound(f"doc:{doc_id} has no drafted facts (no xsrv:reviewStatus in its "
                       "namespace): `xsrv-kg draft` writes them")
    return graph


def fact(graph: DraftGraph, fact_id: str) -> ox.NamedNode:
    """The resource of the fact ``fact_id``; NotFound for an id the draft does not have."""
    found = graph.facts().get(fact_id)
    if found is None:
        raise NotFound(f"the draft of {graph.document} has no fact {fact_id!r} (the page's "
                       "JSON twin lists the ids)")
    return found


def decision_status(decision: object) -> str:
    """The status a decision sets; BadInput for anything but accept or reject."""
    if decision not in STATUSES:
        raise BadInput(f"decision {decision!r}: use accept or reject (the form field or the "
                       "JSON member 'decision')")
    return STATUSES[str(decision)]


def decision_update(resource: ox.NamedNode, status: str) -> str:
    """The SPARQL Update that sets ``resource``'s review status (xsrv_kg/sparql/draft-decide.ru)."""
    text = (rq.SPARQL_DIR / "draft-decide.ru").read_text(encoding="utf-8")
    return rq.substitute(text, {"fact": resource, "status": status})


def segments(text: str, spans: dict[str, list[tuple[int, int, str]]],
             states: dict[str, str]) -> list[dict[str, Any]]:
    """The text cut where a span starts or ends: each piece with the facts covering it and
    its state (draft while any of them is a draft; accepted when one is and none is a draft).

    The depth (1 to 3) is how many facts cover the piece, for the page to shade nested spans.

    >>> [(s["text"], s["facts"], s["state"]) for s in segments("甲乙丙", {"a": [(1, 3, "乙丙")],
    ...     "b": [(2, 3, "丙")]}, {"a": "accepted", "b": "rejected"})]
    [('甲', [], None), ('乙', ['a'], 'accepted'), ('丙', ['a', 'b'], 'accepted')]
    """
    cuts = {0, len(text)}
    for found in spans.values():
        for start, end, _ in found:
            if 0 <= start < end <= len(text):
                cuts |= {start, end}
    edges = sorted(cuts)
    out = []
    for start, end in zip(edges, edges[1:], strict=False):
        covering = [key for key, found in spans.items()
                    if any(s <= start and end <= e for s, e, _ in found)]
        marks = {states[k] for k in covering}
        state = None if not covering else "draft" if "draft" in marks else \
            "accepted" if "accepted" in marks else "rejected"
        out.append({"start": start, "end": end, "text": text[start:end], "facts": covering,
                    "state": state, "depth": min(len(covering), 3)})
    return out


def _natural(key: str) -> tuple[object, ...]:
    """place-2 before place-10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def build(graph: DraftGraph, store: Store, *, base_iri: str, lang: str, root: str = "",
          writable: bool) -> dict[str, Any]:
    """The page's model (its JSON twin), without the validation report."""
    names = Names(store, lang)
    facts = graph.facts()
    types = {key: [o.value for _, p, o in graph.triples[iri] if p == RDF_TYPE]
             for key, iri in facts.items()}
    names.fetch([graph.document, *(i.value for i in facts.values()),
                 *(t for ts in types.values() for t in ts), *STATUSES.values(), DRAFT])

    def term(iri: str) -> dict[str, Any]:
        return {"iri": iri, "label": names.label(iri),
                "href": href(iri, base_iri, root=root)}

    out = []
    for key, iri in facts.items():
        spans = graph.spans(iri)
        rule = graph.value(iri, DRAFT_RULE)
        label = names.label(iri.value) if names.by_lang(iri.value) else \
            (spans[0][2] if spans else key)
        out.append({
            "id": key, **term(iri.value), "label": label,
            "types": [term(t) for t in types[key]],
            "status": term(graph.status(iri)), "state": STATE.get(graph.status(iri), "draft"),
            "rule": rule.value if rule is not None else None,
            "spans": [{"start": s, "end": e, "exact": x} for s, e, x in spans],
            "turtle": draft_graph.turtle(graph.document, graph.closure(iri),
                                         with_prefixes=False),
        })
    # The document first, then along the text (a fact without a span last), as a reader goes.
    out.sort(key=lambda f: (f["id"] != draft_graph.DOCUMENT_FACT,
                            f["spans"][0]["start"] if f["spans"] else float("inf"),
                            _natural(f["id"])))
    text = graph.text()
    counts = {state: sum(1 for f in out if f["state"] == state)
              for state in ("draft", "accepted", "rejected")}
    return {
        "lang": lang, "document": term(graph.document),
        "id": graph.document.rsplit("/", 1)[-1], "writable": writable, "counts": counts,
        "facts": out,
        "text": segments(text, {f["id"]: [(s["start"], s["end"], s["exact"])
                                          for s in f["spans"]] for f in out},
                         {f["id"]: f["state"] for f in out}) if text is not None else None,
    }
