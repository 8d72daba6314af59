"""Find a resource without knowing its IRI: by a zh or en name, part of one, or the pinyin
of its IRI (``yongdong`` finds 涌洞乡, whose IRI is ``div:xiushan-yongdong``).

One query (``xsrv_kg/sparql/search-index.rq``) reads every named IRI with its names, types,
assigned categories and how often it is referred to; :func:`search` matches in Python over
that :class:`Index`. So every backend answers alike (no full-text index, no REGEX dialect,
nothing Virtuoso would read its own way), and a server keeps the index per store version
(measured on the project, 570 named IRIs: 50–110 ms to build on the embedded store,
about 150 ms through a ``sparql:`` store; then a search takes 0.1–0.5 ms, as each entry's
texts are one string a query must be in before it is matched word by word).

Ranking, best first (:func:`rank_key`):

1. how the query matches: the whole name (*exact*), the start of it (*prefix*), or inside it
   (*substring*). Case and full-/half-width forms are ignored (NFKC, casefolded), so
   ``Yongdong`` and ``yongdong`` are one query;
2. where: a name (label) before the IRI's local name (its slug). A slug matches *exactly*
   when the query is the slug or one of its ``-``-separated words (``yongdong`` in
   ``xiushan-yongdong``), by *prefix* when one of them starts with the query;
3. among equal matches, the resource more sources speak of: mentioned (as subject or object)
   in more named graphs, then in more statements. The township a plan, its links and the
   code tables all mention comes before a code table's record that carries the same name;
4. then the shorter matched text, then the IRI (a stable order).

A query ``prefix:rest`` with a predeclared prefix (``div:yong``) looks only at IRIs in that
namespace and matches ``rest`` against their names and the IRI after the namespace; this is
what the workbench's editor completes from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import vocab
from ..sparql import rq
from ..store import Store
from ..vocab import FALLBACK, PREFIXES, shorten_iri
from .hrefs import href

#: Label properties, best first: the display name is taken in this order (per language).
LABEL_PROPERTIES = tuple(PREFIXES[p] + n for p, n in (
    ("rdfs", "label"), ("skos", "prefLabel"), ("eli", "title"), ("dcterms", "title"),
    ("skos", "altLabel"), ("skos", "hiddenLabel")))

#: How a query matches, best first.
KINDS = ("exact", "prefix", "substring")
#: Where it matches, best first.
FIELDS = ("label", "iri")

DEFAULT_LIMIT = 20
MAX_LIMIT = 200

_SLUG_WORDS = re.compile(r"[-_./]+")

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "搜索", "placeholder": "名称、拼音或 IRI（如 涌洞、yongdong、div:yong）",
        "go": "搜索", "results": "{count} 个结果", "none": "没有找到与“{q}”匹配的资源。",
        "intro": "按中文或英文名称（可只输入一部分）、IRI 中的拼音或前缀名查找资源。",
        "type": "类型", "category": "类别", "matched": "匹配",
        "exact": "完全匹配", "prefix": "开头匹配", "substring": "部分匹配",
        "on_label": "名称", "on_iri": "IRI", "more": "只显示前 {limit} 个。",
    },
    "en": {
        "title": "Search", "placeholder": "name, pinyin or IRI (e.g. 涌洞, yongdong, div:yong)",
        "go": "Search", "results": "{count} results", "none": "Nothing matches “{q}”.",
        "intro": "Find a resource by its Chinese or English name (or part of it), by the "
                 "pinyin in its IRI, or by a prefixed name.",
        "type": "type", "category": "category", "matched": "matched",
        "exact": "exact", "prefix": "prefix", "substring": "part",
        "on_label": "name", "on_iri": "IRI", "more": "Only the first {limit} are shown.",
    },
}


def normalize(text: str) -> str:
    """The form names and queries are compared in: NFKC (full-width ``Ｙ`` is ``Y``),
    casefolded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass
class Entry:
    """One named IRI as the index holds it."""

    iri: str
    #: ``(value, language, property)`` of each name.
    labels: list[tuple[str, str, str]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    #: ``(category, stating document or "")`` of each category assignment.
    categories: list[tuple[str, str]] = field(default_factory=list)
    #: The labels' values as matched (:func:`normalize`), in the same order.
    normalized: list[str] = field(default_factory=list)
    #: The IRI's slug as matched (:func:`normalize`) and its ``-``-separated words.
    slug: str = ""
    words: list[str] = field(default_factory=list)
    #: Every text a match can be in, one per line: a query not in it cannot match.
    haystack: str = ""
    #: In how many named graphs and statements it is the subject or object.
    graphs: int = 0
    statements: int = 0

    def name(self, lang: str) -> str | None:
        """The name in ``lang``, then zh, en, any; best property first."""
        order = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
        ranked = sorted(self.labels, key=lambda x: order.get(x[2], len(order)))
        for want in (lang, *FALLBACK):
            for value, language, _ in ranked:
                if language.split("-")[0].lower() == want:
                    return value
        return ranked[0][0] if ranked else None


@dataclass
class Index:
    """Every named IRI of a store, read by one query."""

    entries: dict[str, Entry]

    def name(self, iri: str, lang: str) -> str:
        """``iri``'s name in ``lang`` (see :meth:`Entry.name`), else its short form."""
        entry = self.entries.get(iri)
        found = entry.name(lang) if entry else None
        return found or local_or_short(iri)


def local_or_short(iri: str) -> str:
    short = shorten_iri(iri)
    return short if not short.startswith("<") else local_name(iri)


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/`` (the slug)."""
    tail = iri.rstrip("/#")
    return tail[max(tail.rfind("#"), tail.rfind("/")) + 1:] or iri


def build_index(store: Store) -> Index:
    """The index of every named IRI in ``store`` (all graphs, every document)."""
    entries: dict[str, Entry] = {}
    for row in rq.select(store, "search-index"):
        iri = row["iri"]
        if iri is None:
            continue
        entry = entries.setdefault(iri.value, Entry(iri.value))
        label, type_, category = row["label"], row["type"], row["category"]
        if label is not None:
            entry.labels.append((label.value, label.language or "", row["property"].value))
            entry.normalized.append(normalize(label.value))
        if type_ is not None and type_.value not in entry.types:
            entry.types.append(type_.value)
        if category is not None:
            doc = row["doc"].value if row["doc"] is not None else ""
            if (category.value, doc) not in entry.categories:
                entry.categories.append((category.value, doc))
        if row["graphs"] is not None:
            entry.graphs = int(row["graphs"].value)
            entry.statements = int(row["statements"].value)
    # Only named IRIs are found; the others were read for their types and references.
    named = {i: e for i, e in entries.items() if e.labels}
    order = {p: n for n, p in enumerate(LABEL_PROPERTIES)}
    for entry in named.values():  # rows come in any order: results must not depend on it
        pairs = sorted(zip(entry.labels, entry.normalized, strict=True),
                       key=lambda x: (order.get(x[0][2], len(order)), x[0][1], x[0][0]))
        entry.labels = [label for label, _ in pairs]
        entry.normalized = [norm for _, norm in pairs]
        entry.types.sort()
        entry.categories.sort()
        entry.slug = normalize(local_name(entry.iri))
        entry.words = _SLUG_WORDS.split(entry.slug)
        entry.haystack = "\n".join([*entry.normalized, normalize(entry.iri), entry.iri])
    return Index(named)


@dataclass(frozen=True)
class Match:
    """How one entry matched: kind (index into :data:`KINDS`), field (into :data:`FIELDS`)
    and the text it matched."""

    kind: int
    field: int
    text: str


def _match_text(query: str, norm: str, words: Iterable[str] = ()) -> int | None:
    """0 exact, 1 prefix, 2 substring, or None for the normalized text ``norm``; ``words``
    also count as whole texts."""
    parts = [norm, *words]
    if query in parts:
        return 0
    if any(p.startswith(query) for p in parts):
        return 1
    if query in norm:
        return 2
    return None


def match(entry: Entry, query: str, *, namespace: str | None = None) -> Match | None:
    """The best match of the normalized ``query`` on ``entry`` (None: no match). With
    ``namespace``, the IRI must be in it and its slug is the rest of the IRI after it."""
    best: Match | None = None

    def consider(kind: int | None, where: int, text: str) -> None:
        nonlocal best
        if kind is None:
            return
        found = Match(kind, where, text)
        if best is None or (found.kind, found.field, len(found.text)) < \
                (best.kind, best.field, len(best.text)):
            best = found

    if namespace is not None:
        if not entry.iri.startswith(namespace):
            return None
        slug = entry.iri[len(namespace):]
        if not query:
            return Match(1, 1, slug)  # ``div:`` lists the namespace
        norm_slug = normalize(slug)
        words = _SLUG_WORDS.split(norm_slug)
    else:
        slug, norm_slug, words = local_name(entry.iri), entry.slug, entry.words
    for (value, _, _), norm in zip(entry.labels, entry.normalized, strict=True):
        consider(_match_text(query, norm), 0, value)
    consider(_match_text(query, norm_slug, words), 1, slug)
    if namespace is None and query.startswith(("http://", "https://")):
        consider(_match_text(query, entry.iri), 1, entry.iri)
    return best


def rank_key(entry: Entry, found: Match) -> tuple[int, int, int, int, int, str]:
    """The order of results (see the module docstring)."""
    return (found.kind, found.field, -entry.graphs, -entry.statements, len(found.text),
            entry.iri)


def parse_query(text: str) -> tuple[str, str | None]:
    """The normalized query and the namespace a ``prefix:`` in front of it names (if any)."""
    query = normalize(text)
    prefix, colon, rest = query.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        return rest.strip(), PREFIXES[prefix]
    return query, None


def search(index: Index, text: str, *, lang: str, limit: int = DEFAULT_LIMIT,
           base_iri: str = vocab.BASE, root: str = "") -> dict[str, Any]:
    """The resources matching ``text``, best first (at most ``limit``), as the JSON twin of
    ``/search`` and ``xsrv-kg search --format json`` give them."""
    query, namespace = parse_query(text)
    found = []
    if query or namespace is not None:
        for entry in index.entries.values():
            if query not in entry.haystack:
                continue
            m = match(entry, query, namespace=namespace)
            if m is not None:
                found.append((rank_key(entry, m), entry, m))
    found.sort(key=lambda x: x[0])
    results = [_result(index, entry, m, lang=lang, base_iri=base_iri, root=root)
               for _, entry, m in found[:limit]]
    return {"query": text, "count": len(found), "limit": limit, "results": results}


def _term(index: Index, iri: str, lang: str, base_iri: str, root: str) -> dict[str, Any]:
    return {"iri": iri, "short": vocab.short_name(iri), "label": index.name(iri, lang),
            "href": href(iri, base_iri, root=root)}


def _result(index: Index, entry: Entry, found: Match, *, lang: str, base_iri: str,
            root: str) -> dict[str, Any]:
    names: dict[str, list[str]] = {}
    for value, language, _ in sorted(entry.labels, key=lambda x: (x[1], x[0])):
        values = names.setdefault(language, [])
        if value not in values:
            values.append(value)
    categories = [{**_term(index, category, lang, base_iri, root),
                   "document": _term(index, doc, lang, base_iri, root) if doc else None}
                  for category, doc in entry.categories]
    return {
        **_term(index, entry.iri, lang, base_iri, root),
        "names": names,
        "match": {"kind": KINDS[found.kind], "on": FIELDS[found.field], "text": found.text},
        "types": [_term(index, t, lang, base_iri, root) for t in entry.types],
        "categories": categories,
        "mentions": {"graphs": entry.graphs, "statements": entry.statements},
    }


def render_text(found: dict[str, Any], lang: str) -> str:
    """The results as ``xsrv-kg search`` prints them: one line each, best first."""
    words = WORDS[lang]
    if not found["results"]:
        return words["none"].format(q=found["query"])
    lines = [words["results"].format(count=found["count"])
             + (f" · {words['more'].format(limit=found['limit'])}"
                if found["count"] > found["limit"] else "")]
    for n, r in enumerate(found["results"], 1):
        kinds = [t["label"] for t in r["types"]]
        kinds += [c["label"] + (f" ({c['document']['label']})" if c["document"] else "")
                  for c in r["categories"]]
        m = r["match"]
        lines.append(f"{n:>3}. {r['label']}  {r['short']}  {' · '.join(kinds)}  "
                     f"[{words[m['kind']]} · {words['on_' + m['on']]} “{m['text']}”]")
    return "\n".join(lines)
