"""One form for SPARQL syntax errors, with positions in the user's own text, from every store."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from xsrv_kg.errors import BadInput
from xsrv_kg.sparql.errors import syntax_error, user_positions
from xsrv_kg.store import open_store


def test_a_pyoxigraph_error_keeps_its_message_and_position() -> None:
    with pytest.raises(SyntaxError) as info:
        ox.Store().query("SELECT *\nWHERE {\n  ?s }")
    error = syntax_error(info.value)
    assert isinstance(error, BadInput) and error.http_status == 400 and error.exit_code == 2
    assert str(error) == f"SPARQL syntax error: {info.value}"
    assert str(error).startswith("SPARQL syntax error: error at 3:")


@pytest.mark.parametrize(("message", "shift", "expected"), [
    ("error at 1:40: expected '}'", 30, "error at 1:10: expected '}'"),
    ("error at 1:33-1:39: bad IRI", 30, "error at 1:3-1:9: bad IRI"),
    # Only line 1 carries the prologue: later lines are the user's as they are.
    ("error at 2:40: expected '}'", 30, "error at 2:40: expected '}'"),
    ("Lexical error at line 1, column 45.", 40, "Lexical error at line 1, column 5."),
    ("Encountered \" <VAR1> \"?o \"\" at line 3, column 7.", 40,
     "Encountered \" <VAR1> \"?o \"\" at line 3, column 7."),
    # A position inside the prologue (the server's own doing) reads as column 1.
    ("error at 1:5: unknown prefix", 30, "error at 1:1: unknown prefix"),
    ("error at 1:12: x", 0, "error at 1:12: x"),
])
def test_positions_on_line_one_move_back_by_the_shift(message: str, shift: int,
                                                       expected: str) -> None:
    assert user_positions(message, shift=shift) == expected
    assert str(syntax_error(message, shift=shift)) == f"SPARQL syntax error: {expected}"


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p  }", "SELECT *\nWHERE {\n  ?s }",
                                  "INSERT DATA { <http://a> <http://b> }"])
def test_the_embedded_store_reports_through_it(text: str) -> None:
    store = open_store("memory")
    run = store.update if text.startswith("INSERT") else store.query
    with pytest.raises(SyntaxError) as direct:
        (ox.Store().update if text.startswith("INSERT") else ox.Store().query)(text)
    with pytest.raises(BadInput) as info:
        run(text, prefixes={"xsrv": "https://w3id.org/xsrv-kg/ontology#"})
    assert str(info.value) == str(syntax_error(direct.value))
    assert re.search(r"error at \d+:\d+", str(info.value))
