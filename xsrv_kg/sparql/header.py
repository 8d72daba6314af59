"""The header of a ``.rq`` file: the ``#`` lines at its top that say what it is.

Curated queries (``queries/*.rq``) and the inference rules (``xsrv_kg/sparql/infer-*.rq``)
carry their titles and comments in both languages there; a curated query may also declare
parameters (Datasette's canned queries), which ``/queries/NAME`` shows as a form::

    # title@zh: …
    # title@en: …
    # param: unit division 涌洞乡
    # param@zh: unit 乡镇（街道）或村
    # param@en: unit Township or village

``# param: NAME TYPE [DEFAULT]`` names a variable of the query (``?unit``), the kind of
value it takes (:data:`PARAM_TYPES`) and, optionally, the value used when none is given;
the default :data:`ANY` (``*``) leaves the variable unbound, so the query answers for every
value (``# param: doc document *``: every document, unless one is chosen).
``# param@zh:`` / ``# param@en:`` label it in the form. Binding is :mod:`xsrv_kg.query.canned`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BadInput

#: ``# title@zh: …`` / ``# comment@en: …`` header lines.
_HEADER = re.compile(r"#\s*(title|comment)@(zh|en)\s*:\s*(.*)")
#: A ``# relies-on: …`` line: part of the header, but kept in the query text (the store reads
#: it when the query runs, see xsrv_kg/store/conformance.py).
_RELIES_ON = re.compile(r"#\s*relies-on\s*:.*", re.I)
#: ``# param: NAME TYPE [DEFAULT]`` and ``# param@zh: NAME LABEL``: kept in the text too (they
#: are comments), so the workbench shows which variables a form would bind.
_PARAM = re.compile(r"#\s*param\s*:\s*([A-Za-z_]\w*)\s+(\S+)(?:\s+(.*))?")
_PARAM_LABEL = re.compile(r"#\s*param@(zh|en)\s*:\s*([A-Za-z_]\w*)\s+(.*)")

#: What a parameter takes: a division (township, village…) by label, pinyin slug or IRI; a
#: category by label or IRI; a policy document by its id (``xiushan-plan``), title or IRI; any
#: text (bound as a plain string literal).
PARAM_TYPES = ("division", "category", "document", "text")

#: The value that binds nothing: the variable stays free, and the query answers for all.
ANY = "*"


@dataclass(frozen=True)
class Param:
    """One declared parameter of a query."""

    name: str
    type: str
    default: str | None = None
    label: dict[str, str] = field(default_factory=dict)


def parse_header(text: str) -> tuple[dict[str, dict[str, str]], str]:
    """The ``title``/``comment`` header of a ``.rq`` file, and the query after it.

    Returns ``({"title": {"zh": …, "en": …}, "comment": {…}}, body)``; the header is the run
    of ``# key@lang: value`` lines at the top of the file (blank lines allowed). ``# relies-on:``
    and ``# param…`` lines may be among them and stay in the body, first.
    """
    meta: dict[str, dict[str, str]] = {"title": {}, "comment": {}}
    lines = text.splitlines(keepends=True)
    used, kept = 0, []
    for line in lines:
        bare = line.strip()
        match = _HEADER.fullmatch(bare)
        if match:
            meta[match[1]][match[2]] = match[3].strip()
        elif _RELIES_ON.fullmatch(bare) or _PARAM.fullmatch(bare) or _PARAM_LABEL.fullmatch(bare):
            kept.append(line if line.endswith("\n") else line + "\n")
        elif bare:
            break
        used += 1
    return meta, "".join(kept + lines[used:])


def parameters(text: str, *, source: str = "query") -> list[Param]:
    """The parameters a ``.rq`` file's header declares, in order; :class:`BadInput` names
    ``source`` when a declaration is malformed (an unknown type, a label for no parameter).

    >>> parameters("# param: unit division 涌洞乡\\n# param@en: unit Unit\\nSELECT * {}")
    [Param(name='unit', type='division', default='涌洞乡', label={'en': 'Unit'})]
    """
    found: dict[str, Param] = {}
    labels: list[tuple[str, str, str]] = []
    for line in text.splitlines():
        bare = line.strip()
        if not bare:
            continue
        if not bare.startswith("#"):
            break
        match = _PARAM.fullmatch(bare)
        if match:
            name, kind, default = match[1], match[2], (match[3] or "").strip() or None
            if kind not in PARAM_TYPES:
                raise BadInput(f"{source}: parameter {name} has type {kind!r}; use one of "
                               f"{', '.join(PARAM_TYPES)}")
            found[name] = Param(name, kind, default)
            continue
        match = _PARAM_LABEL.fullmatch(bare)
        if match:
            labels.append((match[2], match[1], match[3].strip()))
    for name, lang, label in labels:
        if name not in found:
            raise BadInput(f"{source}: a label for parameter {name}, which is not declared")
        found[name].label[lang] = label
    return list(found.values())
