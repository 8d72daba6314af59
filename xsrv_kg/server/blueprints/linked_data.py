"""Linked-data pages: every IRI the project mints dereferences on the running server.

The IRI ``<base>PATH`` (base ``https://w3id.org/xsrv-kg/``, ``config.base_iri``) is served at
``/PATH``:

- ``/id/…`` (divisions, bodies, documents and their parts): the resource's page;
- ``/ontology`` and ``/shapes``: one page per hash namespace, each term under its anchor
  (``/ontology#FundRule``); ``/ontology/…`` (the version IRI) is an ordinary resource;
- ``/graph/…``: a named graph's page (size, downloads).

Same URL, ``Accept``: HTML for browsers; ``text/turtle``, ``application/ld+json``,
``application/n-triples``, ``application/rdf+xml`` give the description as RDF;
``application/json`` the page's data as plain JSON (``Vary: Accept``). A suffix asks
explicitly: ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` (RDF), ``.json`` (the page's JSON, which
is not JSON-LD: use ``.jsonld`` for that). For a named graph the RDF is the graph's content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request

from ... import formats, vocab
from ...errors import NotAcceptable, NotFound
from ...pages import describe as ld
from ...pages import namespaces
from ...pages.hrefs import href
from ...pages.names import local_name
from ...pages.standing import BADGES
from ...query.negotiation import prefers
from ...store import Store
from .. import state
from ..i18n import request_lang
from .pages import page

blueprint = Blueprint("linked_data", __name__)

#: The RDF a URL offers, in our order of preference; asked for by suffix or ``Accept``.
RDF_FORMATS = (formats.TURTLE, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
#: Suffix -> (media type, pyoxigraph format); ``json`` is the page's data, not RDF.
RDF_SUFFIXES: dict[str, tuple[str, ox.RdfFormat]] = {
    f.suffix: (f.media_type, f.rdf) for f in RDF_FORMATS}
BY_MEDIA_TYPE = {media: suffix for suffix, (media, _) in RDF_SUFFIXES.items()}
JSON = formats.JSON.media_type
#: What a URL offers, in our order of preference (a browser's */* gets HTML).
OFFERED = (formats.HTML.media_type, *BY_MEDIA_TYPE, JSON)
FORMAT_NAMES = {f.suffix: f.label for f in (*RDF_FORMATS, formats.JSON)}

#: The words of these pages (the shared chrome's words are in :mod:`xsrv_kg.i18n`).
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "types": "类型", "labels": "名称", "properties": "属性", "inbound": "指向本资源的链接",
        "inbound_shown": "共 {total} 条，显示前 {shown} 条", "inbound_all": "共 {total} 条",
        "subject": "主语", "property": "属性", "source": "原文", "formats": "其他格式",
        "funding": "分类与资金", "assignment": "分类认定", "category": "类别", "tier": "层级",
        "rule": "资金规则", "payer": "出资方", "amount": "金额", "per_year": "每年所得",
        "years": "年数", "whole_period": "全期所得", "basis": "计发方式", "quote": "原文句子",
        "recipients": "对象数", "yuan": "元", "stated_by": "依据", "offsets": "字符",
        "graph": "命名图", "triples": "三元组", "subjects": "主语数", "download": "下载",
        "graphs": "所有命名图", "terms": "术语", "contents": "目录", "show_text": "展开全文",
        "no_text": "原文未存储", "via": "经由",
        "group_classes": "类", "group_object_properties": "对象属性",
        "group_datatype_properties": "数据属性", "group_schemes": "概念体系",
        "group_concepts": "概念", "group_shapes": "约束形状", "group_other": "其他",
    },
    "en": {
        "types": "Types", "labels": "Names", "properties": "Properties",
        "inbound": "Links to this resource",
        "inbound_shown": "{total} in all, the first {shown} shown", "inbound_all": "{total} in all",
        "subject": "Subject", "property": "Property", "source": "Source text",
        "formats": "Other formats", "funding": "Category and funding",
        "assignment": "Category assignment", "category": "Category", "tier": "Tier",
        "rule": "Fund rule", "payer": "Payer", "amount": "Amount", "per_year": "Per year",
        "years": "Years", "whole_period": "Whole period", "basis": "Basis",
        "quote": "Sentence", "recipients": "Recipients", "yuan": "yuan",
        "stated_by": "Stated by", "offsets": "characters", "graph": "Named graph",
        "triples": "Triples", "subjects": "Subjects", "download": "Download",
        "graphs": "All named graphs", "terms": "Terms", "contents": "Contents",
        "show_text": "Show the full text", "no_text": "source text not stored", "via": "via",
        "group_classes": "Classes", "group_object_properties": "Object properties",
        "group_datatype_properties": "Datatype properties", "group_schemes": "Concept schemes",
        "group_concepts": "Concepts", "group_shapes": "Shapes", "group_other": "Other",
    },
}

_P = vocab.PREFIXES
#: Sections of a namespace page: a term goes to the first group one of its types matches.
GROUPS = (
    ("group_classes", (_P["owl"] + "Class", _P["rdfs"] + "Class")),
    ("group_object_properties", (_P["owl"] + "ObjectProperty",)),
    ("group_datatype_properties", (_P["owl"] + "DatatypeProperty", _P["rdf"] + "Property")),
    ("group_schemes", (_P["skos"] + "ConceptScheme",)),
    ("group_concepts", (_P["skos"] + "Concept",)),
    ("group_shapes", (_P["sh"] + "NodeShape", _P["sh"] + "PropertyShape")),
)


# --- shared helpers ----------------------------------------------------------------------------

def _store() -> Store:
    return state.store()


def _base() -> str:
    return state.config().base_iri


def _check_path(path: str) -> None:
    """Paths are IRIs, never files; still, refuse what looks like traversal or junk."""
    segments = path.split("/")
    if any(s in ("", ".", "..") for s in segments) or "\\" in path or "\x00" in path:
        raise NotFound(f"/{path}: no such resource")


def _split_suffix(path: str) -> tuple[str, str | None]:
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and (suffix in RDF_SUFFIXES or suffix == "json"):
        return stem, suffix
    return path, None


def _wanted(suffix: str | None) -> str:
    """The representation asked for: a suffix, else the ``Accept`` header (406 if none)."""
    if suffix is not None:
        return JSON if suffix == "json" else RDF_SUFFIXES[suffix][0]
    chosen = prefers(request.headers.get("Accept"), OFFERED)
    if chosen is None:
        offered = ", ".join(OFFERED)
        raise NotAcceptable(f"this resource is available as {offered}")
    return chosen


def href_for(iri: str) -> str | None:
    """Where a link to ``iri`` goes, keeping the page language on local links."""
    lang = request.args.get("lang")
    return href(iri, _base(), root=request.script_root, lang=lang if lang in WORDS else None)


def _rdf_response(triples: list[ox.Triple], media_type: str, negotiated: bool) -> Response:
    fmt = RDF_SUFFIXES[BY_MEDIA_TYPE[media_type]][1]
    prefixes = vocab.prefixes_used(triples) \
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return _finish(Response(body, 200, content_type=formats.content_type(media_type)),
                   negotiated)


def _json_response(data: object, negotiated: bool) -> Response:
    return _finish(jsonify(data), negotiated)


def _finish(response: Response, negotiated: bool) -> Response:
    if negotiated:
        response.vary.add("Accept")
    return response


def _alternates(response: Response, path: str, suffixes: tuple[str, ...]) -> Response:
    """Announce every other representation in ``Link`` (the twin is already there)."""
    links = [response.headers.get("Link", "")]
    for suffix in suffixes:
        media = JSON if suffix == "json" else RDF_SUFFIXES[suffix][0]
        links.append(f'<{request.script_root}/{path}.{suffix}>; rel="alternate"; '
                     f'type="{media}"')
    response.headers["Link"] = ", ".join(link for link in links if link)
    return response


def _html(template: str, path: str, data: Callable[[], object], **context: object) -> Response:
    lang = request_lang()
    links = [(FORMAT_NAMES[s], f"{request.script_root}/{path}.{s}")
             for s in (*RDF_SUFFIXES, "json")]
    response = page(template, twin=f"{request.script_root}/{path}.ttl",
                    twin_type=formats.TURTLE.media_type,
                    data=data, ld=WORDS[lang], href=href_for, formats=links,
                    sw=BADGES[lang], **context)
    return _alternates(response, path, ("jsonld", "nt", "rdf", "json"))


# --- resources ---------------------------------------------------------------------------------

@blueprint.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    return _resource(f"id/{rest}")


@blueprint.route("/ontology/<path:rest>")
def ontology_resource(rest: str) -> Response:
    return _resource(f"ontology/{rest}")


def _resource(path: str) -> Response:
    _check_path(path)
    store, base = _store(), _base()
    stem, suffix = _split_suffix(path)
    if suffix is not None and ld.exists(store, base + path):
        stem, suffix = path, None  # the suffix belongs to the IRI itself
    iri = base + stem
    if not ld.exists(store, iri):
        raise NotFound(f"{iri}: the knowledge graph has nothing about this resource")
    wanted = _wanted(suffix)
    negotiated = suffix is None
    if wanted in BY_MEDIA_TYPE:
        return _rdf_response(ld.description_graph(store, iri), wanted, negotiated)
    described = ld.describe(store, iri, request_lang())
    if wanted == JSON:
        return _json_response(asdict(described), negotiated)
    return _html("resource.html", stem, lambda: asdict(described), d=described)


# --- hash namespaces: the ontology and the shapes ----------------------------------------------

@blueprint.route("/ontology")
@blueprint.route("/ontology.<suffix>")
def ontology(suffix: str | None = None) -> Response:
    return _namespace("ontology", suffix)


@blueprint.route("/shapes")
@blueprint.route("/shapes.<suffix>")
def shapes(suffix: str | None = None) -> Response:
    return _namespace("shapes", suffix)


def _group(types: list[str]) -> str:
    for key, wanted in GROUPS:
        if any(t in wanted for t in types):
            return key
    return "group_other"


def _namespace(name: str, suffix: str | None) -> Response:
    if suffix is not None and suffix not in RDF_SUFFIXES and suffix != "json":
        raise NotFound(f"/{name}.{suffix}: no such format (use .ttl, .jsonld, .nt, .rdf, .json)")
    store, base = _store(), _base()
    document, namespace = base + name, base + name + "#"
    wanted = _wanted(suffix)
    negotiated = suffix is None
    if wanted in BY_MEDIA_TYPE:
        triples = namespaces.namespace_graph(store, namespace, document)
        if not triples:
            raise NotFound(f"{document}: not loaded")
        return _rdf_response(triples, wanted, negotiated)
    head, terms = namespaces.describe_namespace(store, namespace, document, request_lang())
    if head is None and not terms:
        raise NotFound(f"{document}: not loaded")
    groups: dict[str, list[ld.Description]] = {key: [] for key, _ in GROUPS}
    groups["group_other"] = []
    for term in terms:
        groups[_group([t.value for t in term.types])].append(term)

    def data() -> dict[str, object]:
        return {"iri": document, "namespace": namespace,
                "document": asdict(head) if head else None,
                "terms": {key: [asdict(t) for t in found] for key, found in groups.items()
                          if found}}

    if wanted == JSON:
        return _json_response(data(), negotiated)
    return _html("resource_namespace.html", name, data, head=head, document=document,
                 groups=[(key, found) for key, found in groups.items() if found])


# --- named graphs ------------------------------------------------------------------------------

@blueprint.route("/graph/<path:rest>")
def graph(rest: str) -> Response:
    path = f"graph/{rest}"
    _check_path(path)
    store, base = _store(), _base()
    stem, suffix = _split_suffix(path)
    if suffix is not None and base + path in store.graphs():
        stem, suffix = path, None
    iri = base + stem
    size = ld.graph_size(store, iri)
    if size is None:
        raise NotFound(f"{iri}: no such named graph")
    wanted = _wanted(suffix)
    negotiated = suffix is None
    if wanted in BY_MEDIA_TYPE:
        fmt = RDF_SUFFIXES[BY_MEDIA_TYPE[wanted]][1]
        prefixes = vocab.PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        body = store.dump(fmt, [iri], prefixes=prefixes)
        response = Response(body, 200, content_type=formats.content_type(wanted))
        if not negotiated:
            name = stem.rsplit("/", 1)[-1]
            response.headers["Content-Disposition"] = f'inline; filename="{name}.{suffix}"'
        return _finish(response, negotiated)
    triples, subjects = size
    graphs = [(g, href_for(g)) for g in store.graphs()]
    downloads = [(FORMAT_NAMES[s], f"{request.script_root}/{stem}.{s}") for s in RDF_SUFFIXES]

    def data() -> dict[str, object]:
        return {"iri": iri, "triples": triples, "subjects": subjects,
                "downloads": {name: url for name, url in downloads},
                "graphs": [g for g, _ in graphs]}

    if wanted == JSON:
        return _json_response(data(), negotiated)
    return _html("resource_graph.html", stem, data, iri=iri, label=local_name(iri),
                 triples=triples, subjects=subjects, downloads=downloads, graphs=graphs)
