"""Turtle as the files ``xsrv-kg link --write`` generate write it: string literals and
prefixed names, alike in every file."""

from __future__ import annotations

import json
from collections.abc import Mapping


def turtle_string(text: str) -> str:
    """A Turtle string literal."""
    return json.dumps(text, ensure_ascii=False)


def prefixed_name(iri: str, spaces: Mapping[str, str]) -> str:
    """``prefix:local`` for the first of ``spaces`` (prefix -> namespace) that holds ``iri``
    with a plain local part (ASCII letters, digits, hyphens); otherwise ``<iri>``."""
    for prefix, space in spaces.items():
        local = iri[len(space):]
        if iri.startswith(space) and local.replace("-", "").isalnum() and local.isascii():
            return f"{prefix}:{local}"
    return f"<{iri}>"
