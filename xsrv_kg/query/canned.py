"""Curated queries with parameters (Datasette's canned queries): ``/queries/NAME`` (a form and
its answer), ``/queries/NAME.json`` and ``xsrv-kg query NAME --param unit=涌洞乡``.

A curated query in ``queries/`` declares its parameters in its header
(:mod:`xsrv_kg.sparql.header`). A value comes in as text and is bound as an RDF term, never
pasted into the query:

- ``division``: an administrative division, named by its label (``涌洞乡``,
  ``Yongdong Township``), the pinyin of its IRI (``yongdong`` for ``div:xiushan-yongdong``),
  a prefixed name or an IRI; bound to the division's IRI;
- ``category``: a category some document assigns or funds by, named the same ways;
- ``document``: a policy document, by its id (``xiushan-plan``), title, prefixed name or IRI;
- ``text``: a plain string literal.

The value ``*`` (:data:`~xsrv_kg.sparql.header.ANY`; a declared default of ``*`` too) binds
nothing: the variable stays free and the query answers for every value (every document).

A name that fits several resources (``重点帮扶类`` is a category of the county plan and of the
municipal one) is a 400 listing them with their IRIs; one that fits none, a 400 with the near
ones. The terms are bound by a ``VALUES`` row at the start of the query's ``WHERE`` group
(:func:`xsrv_kg.sparql.bindings.bind_parameters`) -- the one way that works on every backend
(pyoxigraph's substitutions exist only in the embedded store; a SPARQL server takes no
bindings beside the text) -- and the bound text then runs through the one query pipeline,
:meth:`~xsrv_kg.query.endpoint.Endpoint.query`, with its limits and cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..errors import BadInput, NotFound
from ..sparql import rq
from ..sparql.bindings import bind_parameters
from ..sparql.header import ANY, Param, parameters, parse_header
from ..store import Store

#: A curated query's name: its file name without ``.rq``.
QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

#: The product query that lists the candidates of each parameter type.
CANDIDATES = {"division": "canned-divisions", "category": "canned-categories",
              "document": "canned-documents"}

#: How each type is named in messages.
KIND_WORDS = {"division": "division (township, village…)", "category": "category",
              "document": "document (its id, e.g. xiushan-plan, title or IRI)"}

#: Candidates named in one error message, at most.
MAX_LISTED = 12


@dataclass(frozen=True)
class Canned:
    """A curated query: its name, titles and comments, parameters and text."""

    name: str
    meta: dict[str, dict[str, str]]
    params: tuple[Param, ...]
    text: str

    def describe(self) -> dict[str, object]:
        """The query as its JSON twin shows it (without the answer)."""
        return {"name": self.name, "title": self.meta["title"],
                "comment": self.meta["comment"],
                "params": [{"name": p.name, "type": p.type, "default": p.default,
                            "label": p.label} for p in self.params]}


def read(queries_dir: Path, name: str) -> Canned:
    """The curated query ``queries/<name>.rq``; :class:`NotFound` when there is none."""
    path = queries_dir / f"{name}.rq"
    if not QUERY_NAME.fullmatch(name) or not path.is_file():
        raise NotFound(f"no curated query named {name!r} (the files of queries/, without .rq)")
    return from_text(name, path.read_text(encoding="utf-8"), source=f"queries/{name}.rq")


def from_text(name: str, text: str, *, source: str = "query") -> Canned:
    """A query's text read as a curated query: its header and declared parameters."""
    meta, _ = parse_header(text)
    return Canned(name, meta, tuple(parameters(text, source=source)), text)


def has_parameters(queries_dir: Path, file_name: str) -> bool:
    """Whether ``queries/<file_name>`` declares parameters (the gallery links it to a form)."""
    text = (queries_dir / file_name).read_text(encoding="utf-8")
    return bool(parameters(text, source=file_name))


@dataclass(frozen=True)
class Candidate:
    """A resource a parameter may name: its IRI, labels and where it belongs."""

    term: ox.NamedNode
    labels: tuple[str, ...] = ()
    context: str | None = None
    names: tuple[str, ...] = field(default=(), repr=False)

    def describe(self) -> str:
        """``div:xiushan-yongdong (涌洞乡, Yongdong Township; 秀山县)`` for messages."""
        about = ", ".join(self.labels)
        if self.context:
            about = f"{about}; {self.context}" if about else self.context
        short = vocab.shorten_iri(self.term.value)
        return f"{short} ({about})" if about else short


def candidates(store: Store, kind: str) -> list[Candidate]:
    """The resources a parameter of type ``kind`` (``division``, ``category``) may name."""
    found: dict[str, dict[str, object]] = {}
    for row in rq.select(store, CANDIDATES[kind]):
        entry = found.setdefault(row["item"].value, {"labels": [], "context": None})
        label, context = row["label"], row["context"]
        if label is not None and label.value not in entry["labels"]:
            entry["labels"].append(label.value)  # type: ignore[union-attr]
        if context is not None:
            entry["context"] = context.value
    result = []
    for iri, entry in found.items():
        local = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        labels = tuple(entry["labels"])  # type: ignore[arg-type]
        result.append(Candidate(ox.NamedNode(iri), labels, entry["context"],  # type: ignore[arg-type]
                                names=(*labels, local)))
    return result


def _expand(value: str) -> str | None:
    """The IRI ``value`` writes, as a prefixed name of the project or in full; else None."""
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"https?://", value):
        return value
    prefix, colon, local = value.partition(":")
    if colon and prefix in vocab.PREFIXES:
        return vocab.PREFIXES[prefix] + local
    return None


def _listed(found: Sequence[Candidate]) -> str:
    shown = "; ".join(c.describe() for c in found[:MAX_LISTED])
    more = len(found) - MAX_LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def resolve(store: Store, param: Param, value: str) -> tuple[ox.NamedNode | ox.Literal,
                                                              Candidate | None]:
    """The term ``value`` names for ``param``; :class:`BadInput` naming the parameter when it
    names nothing or several things."""
    value = value.strip()
    if not value:
        raise BadInput(f"parameter {param.name}: the value is empty")
    if param.type == "text":
        return ox.Literal(value), None
    kind = KIND_WORDS[param.type]
    pool = candidates(store, param.type)
    iri = _expand(value)
    if iri is not None:
        matches = [c for c in pool if c.term.value == iri]
        if not matches:
            raise BadInput(f"parameter {param.name}: {value} is not a {kind} this data knows")
        return matches[0].term, matches[0]
    key = value.casefold()
    # A label or the IRI's last part as written; else the pinyin of the last part
    # (xiushan-yongdong: yongdong); else a part of a label, if only one fits.
    matches = [c for c in pool if key in {n.casefold() for n in c.names}]
    if not matches:
        matches = [c for c in pool if c.names and c.names[-1].casefold().endswith("-" + key)]
    if not matches:
        near = [c for c in pool if any(key in n.casefold() for n in c.names)]
        if len(near) == 1:
            matches = near
        elif near:
            raise BadInput(f"parameter {param.name}: {value!r} is part of the names of "
                           f"{len(near)} of them; give one of these (name or IRI): "
                           f"{_listed(near)}")
        else:
            raise BadInput(f"parameter {param.name}: no {kind} is named {value!r} (give its "
                           "name, e.g. 涌洞乡, its pinyin, e.g. yongdong, or its IRI)")
    if len(matches) > 1:
        raise BadInput(f"parameter {param.name}: {value!r} names {len(matches)} of them; "
                       f"give the IRI of the one meant: {_listed(matches)}")
    return matches[0].term, matches[0]


@dataclass(frozen=True)
class Bound:
    """A curated query with its parameters bound: the text to run, and what each value
    was taken to mean."""

    text: str
    values: list[dict[str, object]]


def pairs(given: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` arguments (``xsrv-kg query --param``) as a mapping.

    >>> pairs(["unit=涌洞乡"])
    {'unit': '涌洞乡'}
    """
    found = {}
    for pair in given:
        name, equals, value = pair.partition("=")
        if not equals:
            raise BadInput(f"--param {pair!r}: write NAME=VALUE, e.g. unit=涌洞乡")
        found[name.strip()] = value
    return found


def bind(store: Store, canned: Canned, given: Mapping[str, str]) -> Bound:
    """``canned`` with each parameter bound to the value ``given`` (else its default)."""
    declared = {p.name for p in canned.params}
    for name in given:
        if name not in declared:
            takes = ", ".join(sorted(declared)) or "none"
            raise BadInput(f"parameter {name}: the query {canned.name} has no such parameter "
                           f"(it takes: {takes})")
    terms: dict[str, object] = {}
    values: list[dict[str, object]] = []
    for param in canned.params:
        value = given.get(param.name)
        if value is None or not value.strip():
            value = param.default
        if value is None:
            raise BadInput(f"parameter {param.name}: a value is needed (a "
                           f"{KIND_WORDS.get(param.type, param.type)})")
        if value.strip() == ANY:
            # Left free: the query answers for every value (the form shows it as "*").
            values.append({"name": param.name, "given": value, "term": None, "labels": []})
            continue
        term, found = resolve(store, param, value)
        terms[param.name] = term
        values.append({"name": param.name, "given": value, "term": term,
                       "labels": list(found.labels) if found else []})
    return Bound(bind_parameters(canned.text, terms), values)


def json_values(bound: Bound) -> list[dict[str, object]]:
    """What each value was taken to mean, for a JSON twin (terms as SPARQL JSON cells)."""
    out = []
    for value in bound.values:
        term = value["term"]
        if term is None:  # "*": not bound
            out.append({"name": value["name"], "given": value["given"], "bound": None,
                        "labels": []})
            continue
        cell = {"type": "uri", "value": term.value} if isinstance(term, ox.NamedNode) \
            else {"type": "literal", "value": term.value}  # type: ignore[union-attr]
        out.append({"name": value["name"], "given": value["given"], "bound": cell,
                    "labels": value["labels"]})
    return out
