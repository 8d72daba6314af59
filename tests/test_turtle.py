"""Turtle written by hand goes through one escaper: no value breaks out of its term."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from xsrv_kg import turtle, vocab
from xsrv_kg.errors import BadInput
from xsrv_kg.linking.code_table import CodeRow, codes_turtle
from xsrv_kg.sources.spans import span_turtle

HOSTILE = 'a "quoted" \\ back\tslash\nnew line \' and """ and > <'


def test_strings_parse_back_to_themselves() -> None:
    for lang in (None, "zh"):
        doc = f"<http://a> <http://b> {turtle.string(HOSTILE, lang=lang)} ."
        (triple,) = ox.parse(doc, format=ox.RdfFormat.TURTLE)
        assert triple.object.value == HOSTILE
        assert triple.object.language == lang


def test_iris_are_checked_not_pasted() -> None:
    assert turtle.iri(vocab.XSRV) == f"<{vocab.XSRV}>"
    with pytest.raises(BadInput, match="is not an absolute IRI"):
        turtle.iri("http://a> . <http://b> <http://c")
    # A local name that is not plain is written as the whole IRI, escaped by the same check.
    assert turtle.prefixed(vocab.ID + "a.b", {"id": vocab.ID}) == f"<{vocab.ID}a.b>"


def test_prefix_lines_come_from_the_project_prefixes() -> None:
    assert turtle.prefix_lines(["xsrv", "dcterms"], {"link": "https://example.org/l/"}) == [
        f"@prefix xsrv:    <{vocab.XSRV}> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix link:    <https://example.org/l/> .",
    ]


def test_the_code_table_escapes_what_the_csv_gives() -> None:
    row = CodeRow("2020-06-30", "2020-11-01", "500241100", '隘口"镇', '500241" ; x:y "z')
    quads = list(ox.parse(codes_turtle([row]), format=ox.RdfFormat.TURTLE))
    values = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    assert {'隘口"镇', '500241" ; x:y "z', "500241100"} <= values


def test_a_span_quotes_any_text() -> None:
    text = f"前文{HOSTILE}后文"
    node = span_turtle("<http://example.org/text>", text, HOSTILE)
    doc = ("@prefix oa: <http://www.w3.org/ns/oa#> .\n"
           f"<http://example.org/f> <http://example.org/span> {node} .")
    exact = [q.object.value for q in ox.parse(doc, format=ox.RdfFormat.TURTLE)
             if q.predicate.value.endswith("#exact")]
    assert exact == [HOSTILE]
