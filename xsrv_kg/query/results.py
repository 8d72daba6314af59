"""SPARQL results and RDF graphs written in the formats the endpoint offers, row-capped.

The endpoint must say when it cut a result at ``max_rows``, which means counting rows while
writing them; pyoxigraph's writers take a whole result, so solutions are written here (the
formats are small and fully specified) and graphs by pyoxigraph after the cap.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .. import vocab
from ..errors import NotAcceptable
from ..formats import CSV, RDF_XML, SPARQL_JSON, SPARQL_XML, TSV, TURTLE, Format
from ..store import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


@dataclass(frozen=True)
class Written:
    """A serialized result and what the endpoint must tell the client about it."""

    body: bytes
    media_type: str
    rows: int
    truncated: bool
    #: Which cap cut the result (``max-rows=N`` or ``max-bytes=N``), for the client.
    truncated_by: str = ""
    #: The body in content codings (``gzip``), kept by the server once made: cached answers
    #: are sent many times (see :func:`xsrv_kg.server.http.keep_encodings`).
    encoded: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)


def write(result: QueryResult, solutions_format: Format | None, graph_format: Format | None,
          *, max_rows: int = 0, max_bytes: int = 0,
          prefixes: dict[str, str] | None = None) -> Written | None:
    """Serialize ``result`` in the format for its kind; ``None`` when that kind has none.

    ``max_rows`` (0: no cap) keeps the first rows (solutions or triples) only; ``max_bytes``
    (0: no cap) stops taking rows once the terms taken reach that many characters, so
    a few huge rows cannot blow up a worker's memory either.
    """
    if isinstance(result, ox.QueryTriples):
        if graph_format is None:
            return None
        triples, cut = _capped(iter(result), max_rows, max_bytes)
        used = vocab.prefixes_used(triples, prefixes or {}) \
            if graph_format in (TURTLE, RDF_XML) else None
        try:
            body = ox.serialize(triples, format=graph_format.rdf, prefixes=used)
        except (ValueError, OSError) as exc:  # e.g. JSON-LD has no RDF 1.2 triple terms
            raise NotAcceptable(f"this graph cannot be written as {graph_format.name}: {exc}; "
                                "ask for Turtle or N-Triples") from exc
        if graph_format == RDF_XML:
            _check_xml(body, "RDF/XML", instead="Turtle or N-Triples", parse=True)
        return Written(body, graph_format.media_type, len(triples), bool(cut), cut)
    if solutions_format is None:
        return None
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=solutions_format.results)
        # Solutions end with a line break, as the writers below end them, so a terminal
        # (xsrv-kg query) prints the body as it is sent.
        body += b"" if body.endswith(b"\n") else b"\n"
        return Written(body, solutions_format.media_type, 1, False)
    variables = [v.value for v in result.variables]
    rows, cut = _capped(iter(result), max_rows, max_bytes)
    body = _SOLUTION_WRITERS[solutions_format](variables, rows)
    if solutions_format == SPARQL_XML:
        _check_xml(body, "SPARQL XML", instead="JSON, CSV or TSV")
    return Written(body, solutions_format.media_type, len(rows), bool(cut), cut)


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def _check_xml(body: bytes, what: str, *, instead: str, parse: bool = False) -> None:
    """406 rather than a 200 whose XML does not parse: control characters in a literal, or
    (RDF/XML, written by pyoxigraph) a predicate IRI with no local name to split off."""
    bad = _NOT_XML.search(body)
    if bad:
        char = bad.group().decode("utf-8", "replace")
        raise NotAcceptable(f"the result holds a character {what} (XML 1.0) cannot carry "
                            f"(U+{ord(char):04X}); ask for {instead}")
    if parse:
        try:
            expat.ParserCreate(namespace_separator=" ").Parse(body, True)  # QNames too
        except expat.ExpatError as exc:
            raise NotAcceptable(f"this graph cannot be written as {what} ({exc}); ask for "
                                f"{instead}") from exc


#: Bytes counted per term besides its text (quotes, type, the JSON or XML around it).
TERM_OVERHEAD = 24


def _size(term: object) -> int:
    if term is None:
        return 0
    value = getattr(term, "value", None)
    return TERM_OVERHEAD + (len(value) if isinstance(value, str) else len(str(term)))


def _capped(items: Iterator, max_rows: int, max_bytes: int = 0) -> tuple[list, str]:
    """The rows to write, and which cap cut them (empty when none did)."""
    if max_bytes <= 0:
        if max_rows <= 0:
            return list(items), ""
        kept = list(islice(items, max_rows + 1))
        return kept[:max_rows], f"max-rows={max_rows}" if len(kept) > max_rows else ""
    kept, total = [], 0
    for item in items:
        if max_rows > 0 and len(kept) == max_rows:
            return kept, f"max-rows={max_rows}"
        # Solutions and triples both iterate over their terms.
        total += sum(_size(term) for term in item)
        if total > max_bytes:
            return kept, f"max-bytes={max_bytes}"
        kept.append(item)
    return kept, ""


# --- SPARQL 1.1 Query Results JSON ------------------------------------------------------

def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    # RDF 1.2 triple term
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


#: Compact JSON, non-ASCII as it is (as the whole-result ``json.dumps`` wrote it).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json_text(term: object) -> str:
    """A term as SPARQL JSON text, written directly for IRIs and literals (most terms): a
    dict per term and one ``json.dumps`` of the whole result cost twice as much."""
    dumps = _JSON
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + dumps(term.value) + "}"  # type: ignore[attr-defined]
    if kind is ox.Literal:
        text = '{"type":"literal","value":' + dumps(term.value)  # type: ignore[attr-defined]
        language = term.language  # type: ignore[attr-defined]
        if language:
            return text + ',"xml:lang":' + dumps(language) + "}"
        datatype = term.datatype.value  # type: ignore[attr-defined]
        if datatype != XSD_STRING:
            return text + ',"datatype":' + dumps(datatype) + "}"
        return text + "}"
    return dumps(_json_term(term))


def _write_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    names = [_JSON(name) + ":" for name in variables]
    bindings = []
    for row in rows:
        bindings.append("{" + ",".join(name + _json_text(term)
                                       for name, term in zip(names, row, strict=True)
                                       if term is not None) + "}")
    head = _JSON(variables)
    text = '{"head":{"vars":' + head + '},"results":{"bindings":[' + ",".join(bindings) + "]}}"
    return text.encode("utf-8") + b"\n"


# --- SPARQL Query Results XML -------------------------------------------------------------

def _xml_text(text: str) -> str:
    """Escaped text whose line breaks, tabs and edge spaces survive readers that trim."""
    escaped = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    stripped = escaped.strip(" ")
    if stripped == escaped:
        return escaped
    if not stripped:
        return "&#32;" * len(escaped)
    lead = len(escaped) - len(escaped.lstrip(" "))
    trail = len(escaped) - len(escaped.rstrip(" "))
    return "&#32;" * lead + stripped + "&#32;" * trail


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        text = _xml_text(term.value)
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{text}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{text}</literal>"
        return f"<literal>{text}</literal>"
    return ("<triple><subject>" + _xml_term(term.subject) + "</subject><predicate>"
            + _xml_term(term.predicate) + "</predicate><object>" + _xml_term(term.object)
            + "</object></triple>")


def _write_xml(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name in variables:
            term = row[name]
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


# --- SPARQL 1.1 Query Results CSV and TSV --------------------------------------------------

def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _write_csv(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[v]) for v in variables])
    return buffer.getvalue().encode("utf-8")


def _tsv_value(term: object) -> str:
    # pyoxigraph writes terms in N-Triples syntax, which escapes tabs and line breaks.
    return "" if term is None else str(term)


def _write_tsv(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(row[v]) for v in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_SOLUTION_WRITERS = {SPARQL_JSON: _write_json, SPARQL_XML: _write_xml, CSV: _write_csv,
                     TSV: _write_tsv}
