"""Validation as a pure function: ``validate(data, shapes) -> Report``.

pySHACL does the checking; this module turns its report graph into plain records a reader
can use: each result with its severity, the focus node's name, the shape's name, the message
in every language the shapes give, and the source sentence the focus node comes from.

A second engine, :mod:`xsrv_kg.validation.in_store`, runs the same shapes as SPARQL inside the
store (for data too large for pySHACL); both build their records with :func:`make_result`
and :func:`make_report`, so a report reads the same whichever engine made it.
:func:`validate_project` and :func:`store_report` choose the engine (``ENGINES``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from .. import vocab
from ..config import VALIDATION_ENGINES, Config
from ..errors import BadInput
from ..sources import loader
from ..store import Store, open_store
from ..vocab import short_name
from . import labels

XSRV = Namespace(vocab.XSRV)
OA = Namespace(vocab.PREFIXES["oa"])
CNT = Namespace(vocab.PREFIXES["cnt"])

SEVERITIES = ("Violation", "Warning", "Info")
#: The validation engines (see :data:`xsrv_kg.config.VALIDATION_ENGINES`).
ENGINES = VALIDATION_ENGINES
#: Characters that end a sentence for the purpose of quoting one.
SENTENCE_ENDS = "。；！？\n"
#: Sentences shorter than this (in characters) are quoted with the one that follows.
SHORT_SENTENCE = 16


@dataclass(frozen=True)
class SourceQuote:
    """A span of source text and the sentence around it."""

    start: int
    end: int
    exact: str
    sentence: str
    #: Offset of ``sentence`` in the text, so a reader can highlight the span inside it.
    sentence_start: int

    def parts(self) -> tuple[str, str, str]:
        """The sentence split as (before the span, the span, after it), clamped to it."""
        lo = max(0, min(self.start - self.sentence_start, len(self.sentence)))
        hi = max(lo, min(self.end - self.sentence_start, len(self.sentence)))
        return self.sentence[:lo], self.sentence[lo:hi], self.sentence[hi:]


@dataclass(frozen=True)
class Result:
    """One validation result, ready to print."""

    severity: str
    focus: str
    focus_labels: dict[str, str]
    path: str | None
    value: str | None
    component: str
    shape: str | None
    shape_labels: dict[str, str]
    messages: dict[str, str]
    source: SourceQuote | None

    def message(self, lang: str) -> str:
        for wanted in (lang, "zh", "en", ""):
            if wanted in self.messages:
                return self.messages[wanted]
        return next(iter(self.messages.values()), "")


@dataclass(frozen=True)
class Report:
    """The outcome of one validation: conforms when there is no violation."""

    conforms: bool
    results: tuple[Result, ...]
    graph: Graph = field(repr=False)

    def counts(self) -> dict[str, int]:
        return {s: sum(r.severity == s for r in self.results) for s in SEVERITIES}


def validate(data: Graph, shapes: Graph) -> Report:
    """Validate ``data`` (instance data plus the ontology it uses) against ``shapes``.

    Warnings and infos do not break conformance: only violations do.
    """
    _, report_graph, report_text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False,
        allow_warnings=True, allow_infos=True)
    if not isinstance(report_graph, Graph):  # pySHACL returns its failure instead of raising
        raise BadInput(f"the shapes cannot be used: {report_text or report_graph}")
    found = []
    for node in list(report_graph.subjects(RDF.type, SH.ValidationResult)):
        result = _result(report_graph, shapes, data, node)
        set_messages(report_graph, node, result)
        found.append(result)
    return make_report(found, report_graph)


def set_messages(report_graph: Graph, node: Node, result: Result) -> None:
    """Give a report graph's result the localized messages, language tags included."""
    report_graph.remove((node, SH.resultMessage, None))
    for lang, message in result.messages.items():
        report_graph.add((node, SH.resultMessage, Literal(message, lang=lang or None)))


def make_report(results: Sequence[Result], graph: Graph) -> Report:
    """The report of these results: sorted for reading; conforms unless one is a violation."""
    ordered = tuple(sorted(results, key=lambda r: (
        SEVERITIES.index(r.severity), r.shape or "", r.focus_labels.get("zh", ""),
        r.message("en"))))
    conforms = not any(r.severity == "Violation" for r in ordered)
    return Report(conforms=conforms, results=ordered, graph=graph)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise BadInput(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")


def validate_project(config: Config, data_paths: Sequence[Path] | None = None,
                     engine: str = "pyshacl") -> Report:
    """Load the project's ontology and shapes with the given data (default ``data/``) and
    validate with ``engine`` (see :data:`ENGINES`). Raises
    :class:`~xsrv_kg.errors.BadInput` for files that do not parse."""
    _check_engine(engine)
    store = open_store("memory")
    try:
        loader.load_project(store, config, data_paths)
        return store_report(store, config, engine=engine)
    finally:
        store.close()


def store_report(store: Store, config: Config, engine: str = "pyshacl", *,
                 graphs: Sequence[str] | None = None,
                 focus_graphs: Sequence[str] | None = None) -> Report:
    """The report of a loaded store's data against its shapes graph, by ``engine``:
    ``pyshacl`` copies the graphs into rdflib (the reference; seconds at 10^4 triples,
    hours at 10^6), ``store`` runs the shapes as SPARQL in the store (any size, any
    backend; see :mod:`xsrv_kg.validation.in_store`). Both give the same results.

    ``graphs``: only these data graphs (with the ontology graph); default every graph but
    the shapes graph. ``focus_graphs`` (store engine only): report only on focus nodes
    these graphs mention, the rest of the data serving as context.
    """
    _check_engine(engine)
    if engine == "store" and not store.answers_by_the_standard:
        # A server whose SPARQL deviates (Virtuoso) would give the in-store engine's queries
        # other answers: validate copies of its graphs with the reference engine instead.
        engine = "pyshacl"
    if engine == "store":
        from .in_store import validate_store

        return validate_store(store, config, graphs=graphs, focus_graphs=focus_graphs)
    if focus_graphs is not None:
        raise BadInput("focus graphs need the store validation engine (engine='store')")
    if graphs is None:
        return validate(*graphs_for_validation(store, config))
    ontology = config.graph_iri("ontology")
    data = list(dict.fromkeys([*graphs, *([ontology] if ontology in store.graphs() else [])]))
    return validate(_graph(store, data), _graph(store, [config.graph_iri("shapes")]))


def payload_report(store: Store, config: Config, quads: Sequence[ox.Quad], *,
                   merge: bool = False, engine: str = "pyshacl") -> Report:
    """Validate RDF given by a client (``POST /shacl``) with the store's ontology and shapes:
    alone, or with ``merge`` together with the store's data (to check a proposed
    addition). The store is not changed: the store engine works on a scratch copy."""
    _check_engine(engine)
    shapes_iri, ontology = config.graph_iri("shapes"), config.graph_iri("ontology")
    present = store.graphs()
    data_iris = [g for g in present if g != shapes_iri] if merge \
        else [g for g in present if g == ontology]
    if engine == "pyshacl":
        data = _graph(store, data_iris)
        data.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object)
                                      for q in quads], format=ox.RdfFormat.N_TRIPLES),
                   format="nt")
        return validate(data, _graph(store, [shapes_iri]))
    from .in_store import validate_store

    scratch = open_store("memory")
    try:
        copied = store.dump(ox.RdfFormat.N_QUADS, [*data_iris, shapes_iri])
        scratch.add(ox.parse(copied, format=ox.RdfFormat.N_QUADS))
        payload = ox.NamedNode(config.graph_iri("payload"))
        scratch.add(ox.Quad(q.subject, q.predicate, q.object, payload) for q in quads)
        return validate_store(scratch, config)
    finally:
        scratch.close()


def graphs_for_validation(store: Store, config: Config) -> tuple[Graph, Graph]:
    """(data + ontology, shapes) as rdflib graphs, from a loaded store."""
    shapes_iri = config.graph_iri("shapes")
    data_iris = [g for g in store.graphs() if g != shapes_iri]
    return _graph(store, data_iris), _graph(store, [shapes_iri])


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a shape's SPARQL once per focus node; without this, rdflib re-parses the
    same text hundreds of times, which was 85% of a validation's time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], object] = {}

    def query(self, query_object, *args, initNs=None, **kwargs):  # type: ignore[override]  # noqa: N803
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted((initNs or {}).items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=initNs or {})
            query_object = self._prepared[key]
        return super().query(query_object, *args, **kwargs)


def _graph(store: Store, graphs: list[str]) -> Graph:
    graph = _PreparedQueryGraph()
    graph.parse(data=store.dump(ox.RdfFormat.N_TRIPLES, graphs), format="nt")
    return graph


def _langs(graph: Graph, node: Node) -> dict[str, str]:
    return {lang: labels.label(graph, node, lang) for lang in ("zh", "en")}


def _named_shape(shapes: Graph, shape: Node | None) -> Node | None:
    """The named node shape a blank property shape or SPARQL constraint belongs to."""
    while isinstance(shape, BNode):
        owner = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
        if owner is None:
            break
        shape = owner
    return shape


def _result(report: Graph, shapes: Graph, data: Graph, node: Node) -> Result:
    return make_result(
        shapes, data,
        severity=report.value(node, SH.resultSeverity),
        focus=report.value(node, SH.focusNode),
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
        component=report.value(node, SH.sourceConstraintComponent),
        source_shape=report.value(node, SH.sourceShape),
        source_constraint=report.value(node, SH.sourceConstraint),
        produced=[str(m) for m in report.objects(node, SH.resultMessage)])


def make_result(shapes: Graph, data: Graph, *, severity: Node | None, focus: Node | None,
                path: Node | None, value: Node | None, component: Node | None,
                source_shape: Node | None, source_constraint: Node | None,
                produced: Sequence[str]) -> Result:
    """One result as a reader wants it, from the terms of a SHACL validation result.

    ``shapes`` is the shapes graph; ``data`` holds (at least) the names and source spans of
    the nodes involved; ``produced`` are the messages as pySHACL writes them (templates
    filled with the raw bound values, language tags dropped).
    """
    shape = _named_shape(shapes, source_shape)
    constraint = source_constraint or source_shape
    messages = localized_messages(
        templates=list(shapes.objects(constraint, SH.message)),
        produced=list(produced), data=data, focus=focus, value=value)
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        focus=short_name(focus),
        focus_labels=_langs(data, focus),
        path=short_name(path) if path is not None else None,
        # pySHACL repeats the focus node as the value of node-level SPARQL results.
        value=short_name(value) if value is not None and value != focus else None,
        component=str(component).rsplit("#", 1)[-1],
        shape=short_name(shape) if shape is not None else None,
        shape_labels=_langs(shapes, shape) if shape is not None else {},
        messages=messages,
        source=source_quote(data, focus, value),
    )


PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _template_regex(template: str) -> re.Pattern[str]:
    """A regex that matches the template filled in, capturing each placeholder's value."""
    pattern, seen = [], set()
    for i, part in enumerate(PLACEHOLDER.split(template)):
        if i % 2 == 0:  # split() alternates literal text and placeholder names
            pattern.append(re.escape(part))
        else:
            pattern.append(f"(?P={part})" if part in seen else f"(?P<{part}>.*?)")
            seen.add(part)
    return re.compile("".join(pattern), re.S)


def localized_messages(templates: list[Node], produced: list[str], data: Graph,
                       focus: Node | None, value: Node | None) -> dict[str, str]:
    """One message per language, with placeholders filled by names in that language.

    pySHACL fills ``{?var}`` in SPARQL messages with raw IRIs and drops the language tag;
    core-constraint messages keep their tag but ``{$value}`` is left unfilled. Matching the
    produced text against each template recovers the bound values, which are then named in
    the message's own language.
    """
    bound: dict[str, str] = {}
    for template in templates:
        regex = _template_regex(str(template))
        for text in produced:
            match = regex.fullmatch(text)
            if match:
                bound.update(match.groupdict())
    messages: dict[str, str] = {}
    for template in templates:
        lang = template.language if isinstance(template, Literal) and template.language else ""

        def fill(m: re.Match[str], lang: str = lang) -> str:
            name = m.group(1)
            node = {"this": focus, "value": value}.get(name)
            raw = bound.get(name)
            if node is None and raw and raw.startswith(("http://", "https://")):
                node = URIRef(raw)
            return labels.label(data, node, lang or "zh") if node is not None else (raw or "")

        messages.setdefault(lang, PLACEHOLDER.sub(fill, str(template)))
    if not messages:
        messages = {"": produced[0]} if produced else {}
    return messages


def _span_of(data: Graph, node: Node | None) -> Node | None:
    """The span a node is, or the earliest span it (or an assignment of it) cites."""
    if node is None:
        return None
    if (node, OA.hasSource, None) in data:
        return node
    spans = list(data.objects(node, XSRV.sourceSpan))
    if not spans:
        spans = [s for a in data.subjects(XSRV.assignedUnit, node)
                 for s in data.objects(a, XSRV.sourceSpan)]
    numbered = [(s, data.value(s, OA.start)) for s in spans]
    numbered = [(s, n.toPython()) for s, n in numbered if isinstance(n, Literal)]
    valid = [(s, n) for s, n in numbered if isinstance(n, int)]
    return min(valid, key=lambda sn: sn[1])[0] if valid else (spans[0] if spans else None)


def source_quote(data: Graph, focus: Node | None, value: Node | None = None) -> SourceQuote | None:
    """The sentence of the source text a result's value or focus node comes from."""
    span = _span_of(data, value) if value is not None and (value, OA.hasSource, None) in data \
        else _span_of(data, focus)
    if span is None:
        return None
    text = data.value(data.value(span, OA.hasSource), CNT.chars)
    start, end, exact = (data.value(span, p) for p in (OA.start, OA.end, OA.exact))
    try:
        start_i, end_i = int(start), int(end)
    except (TypeError, ValueError):
        return None
    exact_s = str(exact) if exact is not None else ""
    if text is None:
        return SourceQuote(start_i, end_i, exact_s, exact_s, start_i)
    return quote_sentence(str(text), start_i, end_i, exact_s)


def _sentence_end(text: str, start: int) -> int:
    """The offset just after the first sentence end at or after ``start``."""
    ends = [i for i in (text.find(c, start) for c in SENTENCE_ENDS) if i >= 0]
    return min(ends) + 1 if ends else len(text)


def quote_sentence(text: str, start: int, end: int, exact: str = "") -> SourceQuote:
    """The sentence(s) of ``text`` around ``[start, end)``, clamped to the text."""
    lo = max(0, min(start, len(text)))
    hi = max(lo, min(end, len(text)))
    begin = max((text.rfind(c, 0, lo) for c in SENTENCE_ENDS), default=-1) + 1
    finish = _sentence_end(text, max(hi - 1, lo))
    # A heading such as "积极推进类（19个）。" says little alone: add the sentence after it.
    if finish - begin < SHORT_SENTENCE and finish < len(text):
        finish = _sentence_end(text, finish)
    sentence = text[begin:finish]
    # Leading blanks (the text indents some paragraphs) are not part of the sentence.
    stripped = sentence.lstrip()
    begin += len(sentence) - len(stripped)
    return SourceQuote(start, end, exact, stripped.rstrip("\n"), begin)
