"""Running SPARQL queries and formatting their results (no CLI or HTTP knowledge here).

SELECT and ASK results are written in the W3C SPARQL results formats (CSV, TSV, JSON) by
pyoxigraph itself, or as an aligned text table for people. CONSTRUCT and DESCRIBE results
are RDF graphs, so they are written as Turtle or N-Triples.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..errors import BadInput, NotFound, XsrvError
from ..sparql.text import read_text
from ..store import QueryResult, Store
from ..vocab import shorten_iri

#: Formats for SELECT / ASK results.
SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}

#: Formats for CONSTRUCT / DESCRIBE results (``table`` is Turtle: a graph has no columns).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "table": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}

FORMATS = tuple(dict.fromkeys([*SOLUTION_FORMATS, *GRAPH_FORMATS]))

#: Widest table cell, in terminal columns; longer values (whole source texts) are cut.
MAX_CELL_WIDTH = 80

_POSITION = re.compile(r"error at (\d+):(\d+)")
_PREFIX_DECL = re.compile(r"\b(?i:PREFIX)\s+([\w.-]*):")


def read_query(text_or_path: str, *, queries_dir: Path | None = None) -> str:
    """The query text: the file's contents if ``text_or_path`` names a file, else the text.

    A bare file name that is not found as given is also looked up in ``queries_dir`` (the
    project's shipped queries), so ``xsrv-kg query x.rq`` works from any directory.
    """
    candidates = [text_or_path]
    if queries_dir is not None and "\n" not in text_or_path:
        candidates.append(os.path.join(queries_dir, text_or_path))
    for candidate in candidates:
        # os.path.isfile, unlike Path.is_file, is False (not an error) for long query text.
        if os.path.isfile(candidate):
            try:
                return Path(candidate).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise BadInput(f"{candidate}: cannot read query file: {exc}") from exc
    stripped = text_or_path.strip()
    if os.path.isdir(stripped):
        raise BadInput(f"{stripped}: is a directory, not a query file")
    if stripped.endswith(".rq"):
        raise NotFound(f"{stripped}: no such query file")
    return text_or_path


def declared_prefixes(query: str) -> set[str]:
    """The prefix names ``query`` declares (the keyword is case-insensitive, names are not)."""
    return set(_PREFIX_DECL.findall(query))


def with_prologue(query: str) -> str:
    """The query with the project's PREFIX lines before it, except those it declares itself.

    Prepending keeps every BASE/PREFIX before the query form, as SPARQL requires.
    """
    declared = declared_prefixes(query)
    lines = [line for line in vocab.sparql_prologue().splitlines(keepends=True)
             if not declared_prefixes(line) <= declared]
    return "".join(lines) + query


def run_query(store: Store, query: str, *, union_default_graph: bool = True) -> QueryResult:
    """Run ``query`` with the project prefixes available.

    Syntax errors raise :class:`BadInput` whose ``error at LINE:COL`` counts from the start of
    the user's text, not of the prologue added in front of it.
    """
    read_text(query).check_nesting()
    full = with_prologue(query)
    added = full.count("\n") - query.count("\n")
    try:
        return store.query(full, union_default_graph=union_default_graph)
    except BadInput as exc:
        raise BadInput(_shift_positions(str(exc), added)) from exc


def _shift_positions(message: str, lines: int) -> str:
    def shift(m: re.Match[str]) -> str:
        return f"error at {max(int(m[1]) - lines, 1)}:{m[2]}"

    return _POSITION.sub(shift, message)


def format_result(result: QueryResult, fmt: str) -> str:
    """Serialize a query result (consuming it: pyoxigraph results are single-pass).

    Results are computed lazily, so evaluation failures (e.g. an unreachable SERVICE)
    surface here, as :class:`XsrvError`.
    """
    try:
        return _format(result, fmt)
    except OSError as exc:
        raise XsrvError(f"query evaluation failed: {exc}") from exc


def _format(result: QueryResult, fmt: str) -> str:
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise BadInput(f"format {fmt!r} does not apply to graph results (CONSTRUCT/DESCRIBE);"
                           f" use {_choices(GRAPH_FORMATS)} ('table' prints Turtle)")
        triples = list(result)
        rdf_format = GRAPH_FORMATS[fmt]
        prefixes = used_prefixes(triples) if rdf_format == ox.RdfFormat.TURTLE else None
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes).decode("utf-8")
    if fmt not in SOLUTION_FORMATS:
        kind = "boolean results (ASK)" if isinstance(result, ox.QueryBoolean) \
            else "solutions (SELECT)"
        raise BadInput(f"format {fmt!r} does not apply to {kind}; use {_choices(SOLUTION_FORMATS)}")
    results_format = SOLUTION_FORMATS[fmt]
    if results_format is not None:
        return result.serialize(format=results_format).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        return "true\n" if bool(result) else "false\n"
    return _table(result)


def used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The entries of :data:`vocab.PREFIXES` the triples use, so Turtle declares no others."""
    return vocab.prefixes_used(triples)


def _choices(formats: dict[str, object]) -> str:
    return ", ".join(repr(f) for f in formats)


def _table(solutions: ox.QuerySolutions) -> str:
    """An aligned text table; widths count East-Asian wide characters as two columns."""
    header = [v.value for v in solutions.variables]
    rows = [[_cell(solution[v]) for v in solutions.variables] for solution in solutions]
    widths = [max(display_width(c) for c in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return " | ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True))

    out = [line(header), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} {'row' if len(rows) == 1 else 'rows'})")
    return "\n".join(out) + "\n"


def _cell(term: object) -> str:
    """How a term reads in a table: prefixed name or <IRI>, literal value, empty if unbound."""
    if term is None:
        text = ""
    elif isinstance(term, ox.NamedNode):
        text = shorten_iri(term.value)
    elif isinstance(term, ox.Literal):
        text = term.value
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    else:  # RDF 1.2 triple terms
        text = str(term)
    # Keep one value on one line, and long texts short.
    text = text.replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " ")
    return _truncate(text, MAX_CELL_WIDTH)


def char_width(char: str) -> int:
    """Terminal columns of one character: 2 for wide/full-width, 0 for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes up."""
    return sum(char_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 1  # one column for the ellipsis
    for char in text:
        used += char_width(char)
        if used > width:
            break
        out.append(char)
    return "".join(out) + "…"
