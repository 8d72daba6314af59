"""The examples in the package's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xsrv_kg

MODULES = sorted(m.name for m in pkgutil.walk_packages(xsrv_kg.__path__, "xsrv_kg.")
                 if m.name != "xsrv_kg.__main__")


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    return [name for name in MODULES
            if any(t.examples for t in finder.find(importlib.import_module(name)))]


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_the_lexer_turtle_and_syntax_errors_show_examples() -> None:
    assert {"xsrv_kg.sparql.lexer", "xsrv_kg.turtle", "xsrv_kg.sparql.errors"} <= \
        set(_with_examples())
