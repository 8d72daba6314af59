"""What ``xsrv-kg query`` prints: the endpoint's answer as it is, or drawn as a table.

The CLI runs its queries through the same :class:`~xsrv_kg.query.endpoint.Endpoint` as
``POST /sparql`` (predeclared prefixes, caps, the SERVICE allow-list, the writers of
:mod:`.results`), so the two cannot disagree: ``--format json`` prints the very bytes
``/sparql`` sends for ``Accept: application/sparql-results+json``. The CLI's endpoint runs
queries inline, in the user's own process, so without a time limit (Ctrl+C stops a query).

``table`` is the one format of its own: the JSON answer drawn as an aligned text table for
people (graphs, which have no columns, print as Turtle).
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput, NoFormatForResult, NotFound
from ..formats import GRAPH_FORMATS, SOLUTION_FORMATS
from ..vocab import shorten_iri
from .endpoint import Endpoint
from .negotiation import Negotiated
from .results import Written

#: ``--format`` choices: ``table``, then the endpoint's formats the CLI offers by name.
TABLE = "table"
FORMATS = (TABLE, "csv", "tsv", "json", "turtle", "ntriples")

_SOLUTIONS = {f.name: f for f in SOLUTION_FORMATS}
_GRAPHS = {f.name: f for f in GRAPH_FORMATS}

#: Widest table cell, in terminal columns; longer values (whole source texts) are cut.
MAX_CELL_WIDTH = 80


def read_query(text_or_path: str, *, queries_dir: Path | None = None) -> str:
    """The query text: the file's contents if ``text_or_path`` names a file, else the text.

    A bare file name that is not found as given is also looked up in ``queries_dir`` (the
    project's shipped queries), so ``xsrv-kg query x.rq`` works from any directory; so is a
    curated query's name without ``.rq`` (``xsrv-kg query division-profile``, as
    ``/queries/division-profile``).
    """
    candidates = [text_or_path]
    if queries_dir is not None and "\n" not in text_or_path:
        candidates.append(os.path.join(queries_dir, text_or_path))
        candidates.append(os.path.join(queries_dir, text_or_path + ".rq"))
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


def negotiated(fmt: str) -> Negotiated:
    """What ``--format fmt`` asks the endpoint for, as ``format=fmt`` would over HTTP;
    ``table`` asks for JSON (drawn as a table here) and Turtle."""
    if fmt == TABLE:
        return Negotiated(_SOLUTIONS["json"], _GRAPHS["turtle"])
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}; use {_choices(FORMATS)}")
    return Negotiated(_SOLUTIONS.get(fmt), _GRAPHS.get(fmt))


def run_query(endpoint: Endpoint, text: str, fmt: str) -> Written:
    """Run ``text`` on ``endpoint`` as ``POST /sparql`` would, written as ``--format fmt``
    asks (before :func:`render`)."""
    asked = negotiated(fmt)
    try:
        return endpoint.query(text, asked).written
    except NoFormatForResult as exc:
        if asked.graph is None:
            raise BadInput(f"format {fmt!r} does not apply to graph results "
                           f"(CONSTRUCT/DESCRIBE); use {_choices(_fitting('graph'))} "
                           "('table' prints Turtle)") from exc
        raise BadInput(f"format {fmt!r} does not apply to solutions (SELECT/ASK); "
                       f"use {_choices(_fitting('solutions'))}") from exc


def render(written: Written, fmt: str) -> bytes:
    """The bytes to print: the endpoint's body, or for ``table`` its solutions as a table."""
    if fmt != TABLE or written.media_type != _SOLUTIONS["json"].media_type:
        return written.body
    result = ox.parse_query_results(written.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return b"true\n" if bool(result) else b"false\n"
    return table(result).encode("utf-8")


def cut_note(written: Written) -> str:
    """What to tell the user when a cap cut the result (empty when none did)."""
    if not written.truncated:
        return ""
    return (f"the result was cut at {written.truncated_by}, as /sparql cuts it "
            "(XSRV_MAX_ROWS, XSRV_MAX_RESULT_BYTES; 0 lifts the cap)")


def _fitting(kind: str) -> tuple[str, ...]:
    names = _GRAPHS if kind == "graph" else _SOLUTIONS
    return tuple(f for f in FORMATS if f == TABLE or f in names)


def _choices(formats: tuple[str, ...]) -> str:
    return ", ".join(repr(f) for f in formats)


# --- the table ---------------------------------------------------------------------------

def table(solutions: ox.QuerySolutions) -> str:
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
