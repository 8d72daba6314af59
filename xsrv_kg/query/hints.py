"""A hint for a query that found nothing because it wrote a plain string where the data has
a language-tagged (or typed) literal: ``?x rdfs:label "涌洞乡"`` matches no label, since every
label is ``"涌洞乡"@zh``; in RDF the two are different terms.

Only an empty result is looked at, and cheaply: the query's plain string literals are read
with the lexer (:mod:`xsrv_kg.sparql.lexer`), and one query
(``xsrv_kg/sparql/hint-literal-forms.rq``) asks the store which literals have those lexical
forms. A string the data also holds as a plain literal gets no hint (the result is empty for
another reason).

Over HTTP the hint is the ``Xsrv-Hint`` header (:func:`header`): a list of elements, one per
form found, each a kind (``lang`` or ``datatype``) and two RFC 8187 extended values (UTF-8,
percent-encoded, so the header is ASCII): ``query*``, the literal as the query wrote it, and
``data*``, the form in the data in SPARQL syntax::

    Xsrv-Hint: lang; query*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22;
               data*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22%40zh

>>> [t for t in plain_strings('SELECT * { ?x rdfs:label "涌洞乡" ; ?p "a"@en , "1"^^xsd:int }')]
['涌洞乡']
>>> print(header([Hint("涌洞乡", '"涌洞乡"@zh', "lang")]).replace("; data", ";\\n  data"))
lang; query*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22;
  data*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22%40zh
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import XsrvError
from ..sparql import rq
from ..sparql.lexer import tokens
from ..store import Store
from ..vocab import PREFIXES, shorten_iri

log = logging.getLogger(__name__)

#: The response header that carries the hints.
HEADER = "Xsrv-Hint"

#: At most this many of a query's strings are looked up (a query is rarely longer).
MAX_STRINGS = 20

XSD_STRING = PREFIXES["xsd"] + "string"

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)


@dataclass(frozen=True)
class Hint:
    """A plain string of the query (``query``) and a form the data holds it in (``data``,
    SPARQL syntax), of kind ``lang`` or ``datatype``."""

    query: str
    data: str
    kind: str

    @property
    def written(self) -> str:
        """The query's literal as written in SPARQL (``"涌洞乡"``)."""
        return str(ox.Literal(self.query))


def _unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m[1]
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, body)


def plain_strings(text: str) -> list[str]:
    """The lexical forms of the plain string literals of a query: strings followed by
    neither a language tag (``@zh``) nor a datatype (``^^``)."""
    found = tokens(text)
    strings = []
    for n, token in enumerate(found):
        if token.kind != "string":
            continue
        after = found[n + 1].text if n + 1 < len(found) else ""
        if after in ("@", "^"):
            continue
        quote_len = 3 if token.text[:3] in ('"""', "'''") else 1
        value = _unescape(token.text[quote_len:-quote_len])
        if value not in strings:
            strings.append(value)
    return strings[:MAX_STRINGS]


def _sparql_form(literal: ox.Literal) -> str:
    if literal.language:
        return str(literal)
    return f"{ox.Literal(literal.value)}^^{shorten_iri(literal.datatype.value)}"


#: Up to this many quads, every literal is read to find a string's forms (50 ms at the
#: project's size); above it, a second or more per query, so only :data:`USUAL_FORMS` are
#: looked up (an index lookup each): a rarer tag or type then gets no hint.
SCAN_LIMIT = 200_000

#: The language tags and datatypes looked up on a large store.
USUAL_FORMS: tuple[dict[str, object], ...] = (
    *({"language": tag} for tag in ("zh", "en", "zh-Hans", "zh-CN", "zh-Hant")),
    *({"datatype": ox.NamedNode(PREFIXES["xsd"] + name)}
      for name in ("string", "integer", "decimal", "gYear", "date", "dateTime", "boolean")),
)


def for_empty_result(store: Store, text: str) -> list[Hint]:
    """The hints for ``text``, a query whose result was empty (none when nothing is known,
    or when the store could not say: a hint never turns an answer into an error)."""
    strings = plain_strings(text)
    if not strings:
        return []
    forms: dict[str, list[ox.Literal]] = {}
    try:
        if len(store) <= SCAN_LIMIT:
            for row in rq.select(store, "hint-literal-forms", "text",
                                 [ox.Literal(s) for s in strings]):
                forms.setdefault(row["text"].value, []).append(row["literal"])
        else:
            candidates = [ox.Literal(s, **form) for s in strings for form in USUAL_FORMS]
            for row in rq.select(store, "hint-literal-probe", "literal", candidates):
                forms.setdefault(row["literal"].value, []).append(row["literal"])
    except XsrvError:
        log.warning("no hint for an empty result: the store failed", exc_info=True)
        return []
    hints = []
    for string in strings:
        found = forms.get(string, [])
        if any(not lit.language and lit.datatype.value == XSD_STRING for lit in found):
            continue  # the data has the plain string too: not why the result is empty
        for literal in sorted(found, key=_sparql_form):
            kind = "lang" if literal.language else "datatype"
            hints.append(Hint(string, _sparql_form(literal), kind))
    return hints


def _ext_value(text: str) -> str:
    """RFC 8187: ``UTF-8''`` and the text percent-encoded but for attr-char."""
    return "UTF-8''" + quote(text, safe="!#$&+^`|~")


def header(hints: list[Hint]) -> str:
    """The ``Xsrv-Hint`` header value for ``hints`` (ASCII only)."""
    return ", ".join(f"{h.kind}; query*={_ext_value(h.written)}; data*={_ext_value(h.data)}"
                     for h in hints)


def message(hints: list[Hint]) -> str:
    """The hints as one line of text (for ``xsrv-kg query``)."""
    return "; ".join(f"the data has {h.written} only as {h.data}" for h in hints)
