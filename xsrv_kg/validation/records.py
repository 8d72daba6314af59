"""The records of a validation, whichever engine made it: :class:`Result` and :class:`Report`.

Both engines (:mod:`.pyshacl_engine`, :mod:`.in_store`) build their records here, with
:func:`make_result` and :func:`make_report`, so a report reads the same whichever engine made
it: each result with its severity, its terms (focus node, path, value, shape) and their
short names, the names of the focus node and the shape in zh and en, the message in every
language the shapes give (templates filled with names in that language), and the source
sentence the focus node comes from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .. import vocab
from ..sources.spans import SourceQuote, quote_sentence
from ..vocab import short_name
from . import labels

XSRV = Namespace(vocab.XSRV)
OA = Namespace(vocab.PREFIXES["oa"])
CNT = Namespace(vocab.PREFIXES["cnt"])

SEVERITIES = ("Violation", "Warning", "Info")


def _short(node: Node | None) -> str | None:
    return short_name(node) if node is not None else None


def _iri(node: Node | None) -> str | None:
    return str(node) if isinstance(node, URIRef) else None


@dataclass(frozen=True)
class Result:
    """One validation result, ready to print: the terms as the engine found them, and
    their short names (``xp:count-townships``) for display."""

    severity: str
    #: the focus node: an IRI or a blank node
    focus_node: Node
    focus_labels: dict[str, str]
    #: the result path (``sh:resultPath``)
    path_node: Node | None
    #: the value node (``sh:value``), unless it is the focus node again: an IRI, a blank
    #: node or a literal
    value_node: Node | None
    component: str
    #: the named shape the result belongs to (the node shape of a blank property shape)
    shape_node: Node | None
    shape_labels: dict[str, str]
    messages: dict[str, str]
    source: SourceQuote | None

    @property
    def focus(self) -> str:
        return short_name(self.focus_node)

    @property
    def path(self) -> str | None:
        return _short(self.path_node)

    @property
    def value(self) -> str | None:
        return _short(self.value_node)

    @property
    def shape(self) -> str | None:
        return _short(self.shape_node)

    @property
    def focus_iri(self) -> str | None:
        """The focus node's IRI (None for a blank node)."""
        return _iri(self.focus_node)

    @property
    def shape_iri(self) -> str | None:
        """The shape's IRI (None for a blank shape)."""
        return _iri(self.shape_node)

    @property
    def path_iri(self) -> str | None:
        """The result path's IRI (None when there is none, or it is not an IRI)."""
        return _iri(self.path_node)

    @property
    def value_iri(self) -> str | None:
        """The value's IRI (None when there is none, or it is a blank node or a literal)."""
        return _iri(self.value_node)

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


def make_report(results: Sequence[Result], graph: Graph) -> Report:
    """The report of these results: sorted for reading; conforms unless one is a violation."""
    ordered = tuple(sorted(results, key=lambda r: (
        SEVERITIES.index(r.severity), r.shape or "", r.focus_labels.get("zh", ""),
        r.message("en"))))
    conforms = not any(r.severity == "Violation" for r in ordered)
    return Report(conforms=conforms, results=ordered, graph=graph)


def set_messages(report_graph: Graph, node: Node, result: Result) -> None:
    """Give a report graph's result the localized messages, language tags included."""
    report_graph.remove((node, SH.resultMessage, None))
    for lang, message in result.messages.items():
        report_graph.add((node, SH.resultMessage, Literal(message, lang=lang or None)))


def make_result(shapes: Graph, data: Graph, *, severity: Node | None, focus: Node | None,
                path: Node | None, value: Node | None, component: Node | None,
                source_shape: Node | None, source_constraint: Node | None,
                produced: Sequence[str]) -> Result:
    """One result as a reader wants it, from the terms of a SHACL validation result.

    ``shapes`` is the shapes graph; ``data`` holds (at least) the names and source spans of
    the nodes involved; ``produced`` are the messages as pySHACL writes them (templates
    filled with the raw bound values, language tags dropped).
    """
    assert focus is not None, "a SHACL result has a focus node"
    shape = _named_shape(shapes, source_shape)
    constraint = source_constraint or source_shape
    messages = localized_messages(
        templates=list(shapes.objects(constraint, SH.message)),
        produced=list(produced), data=data, focus=focus, value=value)
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        focus_node=focus,
        focus_labels=_langs(data, focus),
        path_node=path,
        # pySHACL repeats the focus node as the value of node-level SPARQL results.
        value_node=value if value != focus else None,
        component=str(component).rsplit("#", 1)[-1],
        shape_node=shape,
        shape_labels=_langs(shapes, shape) if shape is not None else {},
        messages=messages,
        source=source_quote(data, focus, value),
    )


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


# --- messages --------------------------------------------------------------------------------

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


# --- source sentences ------------------------------------------------------------------------

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
