"""The Python entry point for notebooks: the knowledge graph as an object.

``KnowledgeGraph()`` loads the project's ontology, data and shapes (the copy a wheel ships, or
``XSRV_HOME``) into an in-memory store; ``store="oxigraph:DIR"`` or ``store="sparql:URL"``
works on a store ``xsrv-kg load`` filled. Queries run as ``xsrv-kg query`` runs them (the
project's prefixes predeclared, the union of the named graphs as the default graph, the
SERVICE allow-list), and every IRI in a result comes with its label, so a table reads as the
plan does:

>>> from xsrv_kg import KnowledgeGraph
>>> kg = KnowledgeGraph(lang="en")
>>> rows = kg.query('''
...     SELECT ?township WHERE {
...       ?assignment xsrv:assignedCategory ?category ; xsrv:assignedUnit ?township .
...       ?township a xsrv:TownshipLevelDivision
...     } ORDER BY ?township''', category=kg.iri("xp:cat-key-assistance"))
>>> len(rows), rows.columns
(6, ('township', 'townshipLabel'))
>>> rows[0]["township"], rows[0]["townshipLabel"]
('https://w3id.org/xsrv-kg/id/division/xiushan-cenxi', 'Cenxi Township')
>>> kg.validate().conforms
True
>>> kg.close()

Parameters bind variables (``category=`` above binds ``?category``) as a ``VALUES`` block at
the start of the query's ``WHERE`` group, so they constrain the pattern before any grouping.
Python values become typed literals (``int`` xsd:integer, ``Decimal`` xsd:decimal, ``str`` a
plain string; a label with a language is ``pyoxigraph.Literal("…", language="zh")``); IRIs
are :meth:`KnowledgeGraph.iri` or ``pyoxigraph.NamedNode``. Results keep exact values:
amounts are :class:`~decimal.Decimal`, never rounded floats.

``rows.to_pandas()`` needs pandas (``pip install 'xsrv-kg[pandas]'``). Full-text search
(``kg.search``) is not here yet: it belongs with the researchers' search work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, overload

import pyoxigraph as ox

from . import vocab
from .config import Config
from .errors import BadInput, Forbidden
from .query.console import read_query
from .sources import inference
from .sources.loader import load_project
from .sparql import rq
from .sparql.bindings import bind_parameters
from .sparql.text import read_text
from .store import Store, open_configured
from .validation import Report, validate

if TYPE_CHECKING:
    import pandas

__all__ = ["KnowledgeGraph", "Rows", "bind_parameters"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{XSD}{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}
#: Labels are looked up this many IRIs at a time.
LABEL_BATCH = 500


class Rows(Sequence[dict[str, object]]):
    """The solutions of a SELECT: one ``dict`` per row, keyed by :attr:`columns`.

    Literals are Python values (``int``, ``Decimal``, ``float``, ``bool``, ``date``, else
    the lexical ``str``); IRIs are ``str``; a variable left unbound is ``None``. After each
    variable that holds IRIs comes ``<variable>Label`` (as Wikidata's label service names
    it), the IRI's ``rdfs:label`` or ``skos:prefLabel`` in the chosen language.
    """

    def __init__(self, variables: Sequence[str], columns: Sequence[str],
                 rows: Sequence[dict[str, object]]) -> None:
        self.variables = tuple(variables)
        self.columns = tuple(columns)
        self._rows = list(rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, object]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, object] | list[dict[str, object]]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<Rows: {len(self)} × ({', '.join(self.columns)})>"

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a DataFrame with :attr:`columns` (needs pandas: the ``[pandas]``
        extra). Amounts stay :class:`~decimal.Decimal` (``.astype(float)`` if you prefer)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("rows.to_pandas() needs pandas: pip install 'xsrv-kg[pandas]'"
                              ) from None
        return pandas.DataFrame.from_records(self._rows, columns=list(self.columns))


class KnowledgeGraph:
    """The knowledge graph: queries with labels, validation.

    ``store``: ``memory`` (the default: the project's files loaded into an in-memory store),
    ``oxigraph:DIR`` or ``sparql:QUERY_URL`` (used as ``xsrv-kg load`` left it). ``data``:
    files or folders to load instead of the project's ``data/`` (memory store only).
    ``home``: the folder with ontology/, data/, shapes/, queries/ (default: ``XSRV_HOME``, else
    the shipped copy). ``lang``: the language of labels (``zh`` or ``en``; the other one, then
    any, when an IRI has none in it). ``config``: a whole :class:`~xsrv_kg.config.Config`
    to start from (default: :meth:`Config.from_env`).
    """

    def __init__(self, *, store: str | None = None, data: Sequence[str | Path] = (),
                 home: str | Path | None = None, lang: str = "zh",
                 config: Config | None = None) -> None:
        config = config or Config.from_env()
        if store is not None:
            config = replace(config, store=store)
        if home is not None:
            config = replace(config, home=Path(home).resolve())
        if data:
            config = replace(config, data_paths=tuple(Path(p) for p in data))
        self.config = config
        self.lang = lang
        self.store: Store = open_configured(config)
        try:
            if not self.store.persistent:
                load_project(self.store, config, list(config.data_paths) or None)
            elif config.data_paths:
                raise BadInput(f"give data files or a persistent store ({self.store.spec}), "
                               "not both: `xsrv-kg load` puts files into a store")
            inference.ensure(self.store, config)
        except BaseException:
            self.store.close()
            raise

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.store.spec}: {len(self.store)} quads>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (an on-disk store's lock is released)."""
        self.store.close()

    @staticmethod
    def iri(name: str) -> ox.NamedNode:
        """An IRI from a prefixed name of the project (``div:xiushan-yongdong``) or a full IRI.

        >>> KnowledgeGraph.iri("xsrv:FundRule")
        <NamedNode value=https://w3id.org/xsrv-kg/ontology#FundRule>
        """
        prefix, colon, local = name.partition(":")
        if colon and prefix in vocab.PREFIXES and not local.startswith("//"):
            return ox.NamedNode(vocab.PREFIXES[prefix] + local)
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", name):
            return ox.NamedNode(name)
        raise BadInput(f"{name!r} is neither a known prefixed name nor an IRI")

    def query(self, text: str, /, **params: object) -> Rows | bool | list[ox.Triple]:
        """Run a SPARQL query: its text, a ``.rq`` file, or a curated query by name
        (``funding-by-unit.rq``). ``params`` bind variables (see the module's docstring).

        SELECT gives :class:`Rows`, ASK a ``bool``, CONSTRUCT and DESCRIBE the triples.
        """
        text = bind_parameters(read_query(text, queries_dir=self.config.queries_dir), params)
        scanned = read_text(text)
        scanned.check_nesting()
        allowed = set(self.config.service_allow_list)
        for service in scanned.services:
            if service not in allowed:
                raise Forbidden(f"SERVICE {service or '(missing endpoint)'} is not allowed: "
                                "add it to XSRV_SERVICE_ALLOW_LIST")
        result = self.store.query(
            text, prefixes=vocab.PREFIXES,
            union_default_graph=self.config.union_default_graph
            and not scanned.has_dataset_clause)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return [t for t in result]
        variables = [v.value for v in result.variables]
        solutions = [[s[v] for v in variables] for s in result]
        return self._rows(variables, solutions)

    def _rows(self, variables: list[str], solutions: list[list[object]]) -> Rows:
        with_iris = [i for i, _ in enumerate(variables)
                     if any(isinstance(row[i], ox.NamedNode) for row in solutions)]
        labels = self._labels({row[i] for row in solutions for i in with_iris
                               if isinstance(row[i], ox.NamedNode)})
        columns: list[str] = []
        for i, name in enumerate(variables):
            columns.append(name)
            if i in with_iris and f"{name}Label" not in variables:
                columns.append(f"{name}Label")
        rows = []
        for solution in solutions:
            row: dict[str, object] = {}
            for i, name in enumerate(variables):
                row[name] = python_value(solution[i])
                if i in with_iris and f"{name}Label" not in variables:
                    term = solution[i]
                    row[f"{name}Label"] = labels.get(term.value) \
                        if isinstance(term, ox.NamedNode) else None
            rows.append(row)
        return Rows(variables, columns, rows)

    def _labels(self, iris: set[ox.NamedNode]) -> dict[str, str]:
        """One label per IRI: the chosen language first, then the fallbacks, then any;
        ``rdfs:label`` before ``skos:prefLabel``."""
        order = [self.lang, *(lang for lang in vocab.FALLBACK if lang != self.lang), ""]
        found: dict[str, tuple[tuple[int, int], str]] = {}
        ordered = sorted(iris, key=lambda n: n.value)
        for start in range(0, len(ordered), LABEL_BATCH):
            batch = ordered[start:start + LABEL_BATCH]
            for s in rq.select(self.store, "api-labels", "iri", batch):
                label = s["label"]
                if not isinstance(label, ox.Literal):
                    continue
                lang = label.language or ""
                rank = (order.index(lang) if lang in order else len(order),
                        0 if s["property"].value.endswith("#label") else 1)
                iri = s["iri"].value
                if iri not in found or rank < found[iri][0]:
                    found[iri] = (rank, label.value)
        return {iri: label for iri, (_, label) in found.items()}

    def validate(self, *, engine: str | None = None,
                 graphs: Sequence[str] | None = None) -> Report:
        """The SHACL report of the data (:func:`xsrv_kg.validation.validate`): ``graphs``
        limits it to these data graphs (``documents/xiushan-plan`` or full IRIs)."""
        names = None if graphs is None else \
            [g if ":" in g else self.config.graph_iri(g) for g in graphs]
        return validate(self.store, self.config, engine=engine, graphs=names)


def python_value(term: object) -> object:
    """A result term as a Python value: exact numbers, dates, booleans; IRIs and other
    literals as strings; blank nodes as ``_:label``.

    >>> python_value(ox.Literal("10000000", datatype=ox.NamedNode(XSD + "decimal")))
    Decimal('10000000')
    >>> python_value(ox.Literal("涌洞乡", language="zh"))
    '涌洞乡'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    kind, text = term.datatype.value, term.value
    try:
        if kind in _INTEGERS:
            return int(text)
        if kind == XSD + "decimal":
            return Decimal(text)
        if kind in (XSD + "double", XSD + "float"):
            return float(text)
        if kind == XSD + "boolean":
            return text in ("true", "1")
        if kind == XSD + "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        pass  # an ill-typed literal: its text, as written
    return text

