"""Terms for Turtle written by hand (the files ``xsrv-kg link --write`` generates, the span
``xsrv-kg span`` prints): pyoxigraph writes each IRI and string, so no value can break out
of its ``<…>`` or ``"…"``, and ``@prefix`` lines come from :data:`xsrv_kg.vocab.PREFIXES`.

>>> string('他说"好"\\n')
'"他说\\\\"好\\\\"\\\\n"'
>>> string("秀山", lang="zh")
'"秀山"@zh'
>>> prefixed("https://w3id.org/xsrv-kg/id/division/x-1", {"div": vocab.PREFIXES["div"]})
'div:x-1'
>>> print("\\n".join(prefix_lines(["rdfs"], {"c2020-06-30": "https://example.org/c/"})))
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix c2020-06-30: <https://example.org/c/> .
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from . import vocab
from .errors import BadInput


def iri(value: str) -> str:
    """``<value>``; :class:`BadInput` when ``value`` is not an absolute IRI."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise BadInput(f"{value!r} is not an absolute IRI: {exc}") from None


def string(text: str, *, lang: str | None = None) -> str:
    """A quoted, escaped string literal, with ``@lang`` when given."""
    return str(ox.Literal(text, language=lang) if lang else ox.Literal(text))


def prefixed(value: str, namespaces: Mapping[str, str]) -> str:
    """``prefix:local`` for the first namespace (``{prefix: namespace}``) ``value`` is in
    whose local part is plain (ASCII letters, digits and dashes), else ``<value>``."""
    for prefix, namespace in namespaces.items():
        local = value[len(namespace):]
        if value.startswith(namespace) and local.replace("-", "").isalnum() and local.isascii():
            return f"{prefix}:{local}"
    return iri(value)


def prefix_lines(names: Iterable[str], extra: Mapping[str, str] | None = None) -> list[str]:
    """``@prefix`` lines for ``names`` (from :data:`~xsrv_kg.vocab.PREFIXES`), then for
    ``extra`` (``{prefix: namespace}``), the namespaces aligned as in the hand-written files."""
    declared = {name: vocab.PREFIXES[name] for name in names} | dict(extra or {})
    return [f"@prefix {name + ':':<8} {iri(namespace)} ." for name, namespace in declared.items()]
