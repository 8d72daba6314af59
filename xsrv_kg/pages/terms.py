"""RDF terms as a page shows them: the records (:class:`Value`, :class:`PropertyValues`,
:class:`Quote`, :class:`Inbound`), :class:`TermNames` that turn a term into a :class:`Value`,
and the source sentences a resource's ``xsrv:sourceSpan`` values cite (:func:`spans_of`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .. import vocab
from ..sources.spans import quote_sentence
from ..sparql import rq
from ..store import Store
from ..vocab import shorten_iri
from .names import Names

XSD_STRING = vocab.PREFIXES["xsd"] + "string"
RDF_LANG_STRING = vocab.PREFIXES["rdf"] + "langString"
#: Literals longer than this are shown folded (the full source text is one literal).
LONG_LITERAL = 400

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Value:
    """One RDF term as a reader sees it."""

    kind: str            # "iri", "literal" or "bnode"
    value: str           # the IRI, the lexical form, or the blank node's id
    label: str           # what to show: the IRI's name, the literal itself
    lang: str | None = None
    datatype: str | None = None    # shortened (xsd:decimal); None for strings
    long: bool = False   # a literal too long to show unfolded
    #: A blank node's own properties (a duration), or None.
    properties: list[PropertyValues] | None = None
    #: A blank node that is a source span: the sentence it marks.
    quote: Quote | None = None


@dataclass
class PropertyValues:
    property: Value
    values: list[Value]


@dataclass
class Quote:
    """A source span and the sentence around it, split for highlighting."""

    source: Value
    start: int
    end: int
    exact: str
    before: str
    mark: str
    after: str
    #: True when the source text is stored and the sentence was cut from it.
    in_context: bool = True


@dataclass
class Inbound:
    subject: Value
    property: Value
    #: For a link from a blank node (a span citing a text): the property to that blank node.
    via: Value | None = None


# --- names ------------------------------------------------------------------------------------

class TermNames(Names):
    """:class:`~xsrv_kg.pages.names.Names` that also turn any term into the :class:`Value` a page
    shows."""

    def value(self, term: Term) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value("iri", term.value, self.label(term.value))
        if isinstance(term, ox.BlankNode):
            return Value("bnode", term.value, f"_:{term.value}")
        return literal_value(term)

    def optional(self, term: Term | None) -> Value | None:
        """:meth:`value`, or None for an unbound variable."""
        return self.value(term) if term is not None else None


def literal_value(lit: ox.Literal) -> Value:
    datatype = lit.datatype.value
    shown = None if datatype in (XSD_STRING, RDF_LANG_STRING) else shorten_iri(datatype)
    if shown and shown.startswith("<"):
        shown = datatype
    return Value("literal", lit.value, lit.value, lang=lit.language or None, datatype=shown,
                 long=len(lit.value) > LONG_LITERAL)


# --- spans ------------------------------------------------------------------------------------

def quote(names: TermNames, src: str, start: int, end: int, exact: str,
          text: str | None) -> Quote:
    """The span ``start``-``end`` of ``src`` with its sentence cut from ``text`` (if stored)."""
    source = Value("iri", src, names.label(src))
    if text is None:
        return Quote(source, start, end, exact, "", exact, "", in_context=False)
    cut = quote_sentence(text, start, end, exact)
    before, mark, after = cut.parts()
    return Quote(source, start, end, exact, before, mark, after)


def integer(term: Term | None) -> int | None:
    """An integer literal's value, else None."""
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


def spans_of(store: Store, names: TermNames, iris: Sequence[str]) -> dict[str, list[Quote]]:
    """The quotes each IRI's ``xsrv:sourceSpan`` values cite, in text order."""
    found: dict[str, list[Quote]] = {i: [] for i in iris}
    if not iris:
        return found
    rows = list(rq.select(store, "describe-spans", "iri", iris))
    names.fetch(row["src"].value for row in rows if isinstance(row["src"], ox.NamedNode))
    for row in rows:
        start, end = integer(row["start"]), integer(row["end"])
        if start is None or end is None or not isinstance(row["src"], ox.NamedNode):
            continue
        exact = row["exact"].value if row["exact"] is not None else ""
        text = row["text"].value if row["text"] is not None else None
        found[row["iri"].value].append(quote(names, row["src"].value, start, end, exact, text))
    return found
