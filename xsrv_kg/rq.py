"""The SPARQL the pages run, kept as ``.rq`` files in ``xsrv_kg/sparql/`` (not strings in code).

User-facing curated queries live in the project's ``queries/``; these are the product's own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SPARQL_DIR = Path(__file__).parent / "sparql"


@cache
def load(name: str) -> str:
    """The text of ``xsrv_kg/sparql/<name>.rq``."""
    return (SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")
