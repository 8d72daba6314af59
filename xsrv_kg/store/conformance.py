"""Where a backend's query engine is known to answer otherwise than SPARQL 1.1 says, found by
probing it, and the refusal of queries that rely on those points.

A wrong figure is worse than none. Some engines (Virtuoso 7.2) evaluate parts of SPARQL their
own way, so a query that is right on Oxigraph gives other numbers there. Each known deviation
is a :class:`Deviation` with a small probe: a query whose right answer is fixed by the
standard (the tests compute it on pyoxigraph and on rdflib's engine). A backend's
:class:`Conformance` records, per deviation, ``found``, ``not-found``, ``mended`` (the store
makes up for it, answers are right) or ``unknown`` (could not be probed).

Probes are read-only (``VALUES`` only) but one: ORDER BY over *stored* language-tagged
literals cannot be seen without data, so :data:`LANG_ORDER` writes two triples into the scratch
graph :data:`SCRATCH_GRAPH`, queries them and drops the graph (three requests); on a server that
takes no updates it stays ``unknown``.

A query says what it relies on in a comment line of its own text, read wherever the text is
run (curated queries, the pages' ``.rq`` files, a user's query)::

    # relies-on: filter-in-optional, lang-order-by

and is refused with :class:`~xsrv_kg.errors.EngineDeviation` (HTTP 501) on a backend where one
of them is ``found`` or ``unknown`` (:func:`check_query`). A query without the line is run as
it is: the service cannot tell what an ad-hoc query relies on.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import BadInput, EngineDeviation, UpstreamError, XsrvError
from ..sparql.lexer import masked_text

FOUND, NOT_FOUND, MENDED, UNKNOWN = "found", "not-found", "mended", "unknown"
STATUSES = (FOUND, NOT_FOUND, MENDED, UNKNOWN)
#: The statuses under which a query relying on the deviation is refused.
REFUSING = (FOUND, UNKNOWN)

#: The README section on engine deviations and refusals (the messages link to it).
DOCS = "README.md#engine-deviations-and-refusals"

#: The scratch graph of the one probe that needs data (hidden from the store's graph list).
SCRATCH_GRAPH = "urn:x-xsrv:conformance-probe"

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class Deviation:
    """One known way an engine departs from SPARQL 1.1 (or, for ``lang-order-by``, from the
    order the project's queries expect), with its probe."""

    id: str
    zh: str
    en: str
    #: ``read-only``, ``scratch graph`` (writes, see the module docstring) or ``store`` (the
    #: store's own union probe).
    probe: str
    #: The deviation shows as the server failing a valid query (an HTTP 5xx answer), not as
    #: other rows: such an answer to its probe is a finding, not a server to try again.
    shows_as_failure: bool = False

    @property
    def docs(self) -> str:
        return f"{DOCS.split('#')[0]}#deviation-{self.id}"


FILTER_IN_OPTIONAL = Deviation(
    "filter-in-optional",
    "OPTIONAL 内的 FILTER 看不到 OPTIONAL 外绑定的变量（SPARQL 在合并后的解上求值）",
    "a FILTER inside an OPTIONAL does not see the variables bound outside it (SPARQL "
    "evaluates it on the joined solution)",
    "read-only")
LANG_ORDER = Deviation(
    "lang-order-by",
    "按带语言标签的字面量 ORDER BY 时不按码位排序（前约 20 字节相同者）",
    "ORDER BY over stored language-tagged literals is not code point order (for literals "
    "sharing their first ~20 bytes); SPARQL leaves that order to the engine, the project's "
    "queries expect code point order as Oxigraph and rdflib give",
    "scratch graph")
BOOLEANS = Deviation(
    "booleans",
    "计算得到的布尔值（BIND(EXISTS{…})、比较）返回 xsd:integer 1/0 而非 xsd:boolean",
    "computed booleans (BIND(EXISTS {…}), comparisons) come back as xsd:integer 1/0, not "
    "xsd:boolean true/false",
    "read-only")
BLANK_NODES = Deviation(
    "blank-nodes",
    "查询中生成的空白节点（BNODE）不按标准：不支持，或同一解中同一参数未得到同一节点",
    "blank nodes made in a query (BNODE) are not as SPARQL says: unsupported, or the same "
    "argument does not give the same node within a solution",
    "read-only")
ANY_PATH = Deviation(
    "any-predicate-path",
    "任意谓词的任意长度属性路径（?b (<x>|!<x>)* ?s）无法求值（Virtuoso：transitive start not "
    "given、SR066）",
    "an arbitrary-length property path over any predicate (?b (<x>|!<x>)* ?s) fails to "
    "evaluate (Virtuoso: 'transitive start not given', SR066)",
    "read-only", shows_as_failure=True)
UNION_DEFAULT_GRAPH = Deviation(
    "union-default-graph",
    "默认图不是各命名图的并集（由存储以逐一列出命名图来模拟）",
    "the default graph is not the union of the named graphs (the store emulates it by naming "
    "every graph)",
    "store")

DEVIATIONS: dict[str, Deviation] = {d.id: d for d in (
    FILTER_IN_OPTIONAL, LANG_ORDER, BOOLEANS, BLANK_NODES, ANY_PATH, UNION_DEFAULT_GRAPH)}


@dataclass(frozen=True)
class Finding:
    deviation: str
    status: str
    #: What the probe saw (the server's answer or error), for people.
    detail: str = ""


@dataclass(frozen=True)
class Conformance:
    """What a backend's engine was found to do, per deviation (picklable: replicas carry it)."""

    backend: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    #: Whether probes ran (False: the embedded Oxigraph, the reference engine, not probed).
    probed: bool = True

    @classmethod
    def standard(cls, backend: str) -> Conformance:
        """No deviation, without probing: the embedded Oxigraph engine is the reference the
        product's queries and tests are written against."""
        return cls(backend, tuple(Finding(d, NOT_FOUND, "the reference engine, not probed")
                                  for d in DEVIATIONS), probed=False)

    def finding(self, deviation: str) -> Finding:
        for f in self.findings:
            if f.deviation == deviation:
                return f
        return Finding(deviation, UNKNOWN, "not probed")

    def status(self, deviation: str) -> str:
        return self.finding(deviation).status

    def with_finding(self, finding: Finding) -> Conformance:
        kept = tuple(f for f in self.findings if f.deviation != finding.deviation)
        return Conformance(self.backend, (*kept, finding), self.probed)

    def deviating(self) -> list[Finding]:
        """The findings that refuse queries (``found`` or ``unknown``), in :data:`DEVIATIONS`
        order."""
        return [self.finding(d) for d in DEVIATIONS if self.status(d) in REFUSING]

    def refusal(self, relied_on: list[str], what: str = "this query") -> EngineDeviation | None:
        """The error refusing a query that relies on ``relied_on`` here, or None."""
        blocking = [self.finding(d) for d in relied_on if self.status(d) in REFUSING]
        if not blocking:
            return None
        parts = []
        for f in blocking:
            d = DEVIATIONS[f.deviation]
            seen = ("found by its conformance probe" if f.status == FOUND
                    else "could not be probed, so it is not trusted")
            parts.append(f"{d.id} ({d.en}; {d.zh}): {seen}"
                         + (f" ({f.detail})" if f.detail else ""))
        return EngineDeviation(
            f"{what} is refused on {self.backend}: it relies on what this backend's engine "
            f"evaluates otherwise than SPARQL 1.1 says, and a refusal is better than a wrong "
            f"figure. " + "; ".join(parts) + f". See {DOCS} (the same query runs on the "
            f"embedded store or Oxigraph server).")

    def notice(self, lang: str = "en") -> str | None:
        """One line naming the deviations that refuse queries here, or None (for the CLI)."""
        deviating = self.deviating()
        if not deviating:
            return None
        items = ", ".join(f"{f.deviation} ({f.status})" for f in deviating)
        if lang == "zh":
            return (f"注意：后端 {self.backend} 的查询引擎有不符合 SPARQL 1.1 之处：{items}；"
                    f"依赖它们的查询与页面被拒绝（见 {DOCS}）。")
        return (f"note: the query engine of {self.backend} deviates from SPARQL 1.1 in: "
                f"{items}; queries and pages relying on them are refused (see {DOCS}).")


# --- which deviations a query relies on ---------------------------------------------------------

_RELIES_ON_WORD = re.compile("relies-on", re.IGNORECASE)
_RELIES_ON = re.compile(r"^[ \t]*(#)[ \t]*relies-on[ \t]*:(.*)$", re.M | re.I)


def relies_on(text: str) -> list[str]:
    """The deviation ids the query's ``# relies-on: a, b`` comment lines name (in comments
    only, not in strings); :class:`BadInput` for an id that names no known deviation, so a typo
    cannot switch the refusal off.

    >>> relies_on("# relies-on: filter-in-optional, booleans\\nSELECT * {}")
    ['filter-in-optional', 'booleans']
    >>> relies_on("SELECT ('''\\n# relies-on: booleans''' AS ?x) {}")
    []
    """
    if not _RELIES_ON_WORD.search(text):  # most queries: no lowered copy of the text
        return []
    masked = masked_text(text)
    found: list[str] = []
    for m in _RELIES_ON.finditer(text):
        if masked[m.start(1)] != " ":  # the '#' is inside a string or an IRI
            continue
        for name in re.split(r"[\s,]+", m[2].strip()):
            if not name:
                continue
            if name not in DEVIATIONS:
                raise BadInput(f"# relies-on: names {name!r}, which is no known engine "
                               f"deviation (known: {', '.join(DEVIATIONS)})")
            if name not in found:
                found.append(name)
    return found


def check_query(conformance: Callable[[], Conformance], text: str) -> None:
    """Raise :class:`EngineDeviation` if ``text`` relies on a deviation the backend has.

    ``conformance`` is called only for a query with a ``# relies-on:`` line (probing is lazy).
    """
    relied_on = relies_on(text)
    if relied_on:
        refusal = conformance().refusal(relied_on)
        if refusal is not None:
            raise refusal


# --- the probes -----------------------------------------------------------------------------------

Run = Callable[[str], object]  # a query, as the store sends it (no dataset): its result
Update = Callable[[str], None]


def _cell(term: object) -> object:
    """A term as plain data: ints for xsd:integer, ``("bnode", id)``, ``(value, datatype)``."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#integer":
            return int(term.value)
        return (term.value, term.language or term.datatype.value)
    return ("iri", getattr(term, "value", str(term)))


def _rows(result: object) -> list[tuple]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(_cell(s[n]) for n in names) for s in result]


#: Read-only probes: deviation id -> (query, its right answer as plain rows, order matters).
#: ``x=2`` has no ``y``: the FILTER sees ``?x`` and fails (SPARQL 1.1 §18.5 LeftJoin).
READ_ONLY_PROBES: dict[str, tuple[str, object, bool]] = {
    FILTER_IN_OPTIONAL.id: (
        "SELECT ?x ?y WHERE { VALUES ?x { 1 2 } OPTIONAL { VALUES ?y { 1 } FILTER(?x = ?y) } }",
        [(1, 1), (2, None)], False),
    BOOLEANS.id: (
        "SELECT ?b WHERE { BIND(EXISTS { VALUES ?z { 1 } } AS ?b) }",
        [(("true", XSD_BOOLEAN),)], True),
    BLANK_NODES.id: (
        'SELECT ?a ?b ?c WHERE { BIND(BNODE("x") AS ?a) BIND(BNODE("x") AS ?b) '
        'BIND(BNODE("y") AS ?c) }',
        "a, b: one blank node; c another", True),
    # What rows come back is not the point (on no data Oxigraph gives none, rdflib the start
    # node): the path must evaluate. An engine that cannot fails the query.
    ANY_PATH.id: (
        "SELECT ?s WHERE { VALUES ?b { <urn:x-xsrv:conformance-probe:a> } "
        "?b (<urn:x-xsrv:any>|!<urn:x-xsrv:any>)* ?s }",
        "any solutions: the path evaluates", False),
}

_P = "urn:x-xsrv:conformance-probe:"
#: Two notes of the Xiushan plan that share their first 21 bytes; code point order puts
#: 示 (U+793A) before 重 (U+91CD).
LANG_ORDER_LITERALS = ("“市级乡村振兴示范村”即市级示范村",
                       "“市级乡村振兴重点帮扶乡镇”即市级重点乡涌洞乡")
_TRIPLES = " ".join(f'<{_P}s{n}> <{_P}v> "{text}"@zh .'
                    for n, text in enumerate(LANG_ORDER_LITERALS))
LANG_ORDER_WRITE = f"INSERT DATA {{ GRAPH <{SCRATCH_GRAPH}> {{ {_TRIPLES} }} }}"
LANG_ORDER_QUERY = (f"SELECT ?o WHERE {{ GRAPH <{SCRATCH_GRAPH}> {{ ?s <{_P}v> ?o }} }} "
                    "ORDER BY ?o")
LANG_ORDER_DROP = f"DROP SILENT GRAPH <{SCRATCH_GRAPH}>"
LANG_ORDER_EXPECTED = [((text, "zh"),) for text in sorted(LANG_ORDER_LITERALS)]


def judge(deviation: str, rows: list[tuple]) -> Finding:
    """The finding for ``deviation`` from the rows its probe answered."""
    if deviation == LANG_ORDER.id:
        expected: object = LANG_ORDER_EXPECTED
        ordered = True
    else:
        _, expected, ordered = READ_ONLY_PROBES[deviation]
    if deviation == ANY_PATH.id:
        ok = True  # it answered solutions at all
    elif deviation == BLANK_NODES.id:
        ok = (len(rows) == 1 and all(isinstance(c, tuple) and c[0] == "bnode" for c in rows[0])
              and rows[0][0] == rows[0][1] != rows[0][2])
    else:
        ok = rows == expected if ordered else sorted(rows, key=repr) == sorted(
            expected, key=repr)  # type: ignore[arg-type]
    if ok:
        return Finding(deviation, NOT_FOUND)
    return Finding(deviation, FOUND, f"answered {rows!r}, expected {expected!r}")


def _probe_one(deviation: str, query: str, run: Run) -> tuple[Finding, bool]:
    """The finding, and whether it is conclusive (a server or network failure is not)."""
    try:
        return judge(deviation, _rows(run(query))), True
    except BadInput as exc:  # the engine refuses valid SPARQL 1.1: that is the deviation
        return Finding(deviation, FOUND, f"refused: {str(exc)[:200]}"), True
    except AssertionError:
        return Finding(deviation, FOUND, "answered something else than solutions"), True
    except UpstreamError as exc:
        answered = exc.server_status is not None and exc.server_status >= 500
        if answered and DEVIATIONS[deviation].shows_as_failure:
            # The server answered a valid query with its own failure: that is the deviation.
            return Finding(deviation, FOUND, f"failed: {str(exc)[-200:]}"), True
        return Finding(deviation, UNKNOWN, f"the server failed: {str(exc)[:200]}"), False
    except XsrvError as exc:  # switched off, or another failure: try again next time
        return Finding(deviation, UNKNOWN, f"the server failed: {str(exc)[:200]}"), False


def _probe_lang_order(run: Run, update: Update | None) -> tuple[Finding, bool]:
    if update is None:
        return Finding(LANG_ORDER.id, UNKNOWN, "needs a scratch graph; no update URL"), True
    try:
        update(LANG_ORDER_WRITE)
    except XsrvError as exc:
        return Finding(LANG_ORDER.id, UNKNOWN,
                       f"needs a scratch graph, and the server took no update: "
                       f"{str(exc)[:200]}"), True
    try:
        return _probe_one(LANG_ORDER.id, LANG_ORDER_QUERY, run)
    finally:
        with contextlib.suppress(XsrvError):
            update(LANG_ORDER_DROP)


def probe(backend: str, *, run: Run, update: Update | None,
          union: str | None) -> tuple[Conformance, bool]:
    """Probe a backend: ``run`` sends a query as it is, ``update`` an update (None: none may be
    sent); ``union`` is how the store has the union default graph (``native``, ``parameter``,
    ``graphs``, None if not known). Returns the record and whether it is conclusive (worth
    keeping: no probe met a server failure)."""
    findings, conclusive = [], True
    for deviation, (query, _, _) in READ_ONLY_PROBES.items():
        found, sure = _probe_one(deviation, query, run)
        findings.append(found)
        conclusive &= sure
    found, sure = _probe_lang_order(run, update)
    findings.append(found)
    conclusive &= sure
    findings.append(union_finding(union))
    return Conformance(backend, tuple(findings)), conclusive


def union_finding(union: str | None) -> Finding:
    """The union-default-graph finding from the store's own union probe."""
    if union in ("native", "parameter"):
        return Finding(UNION_DEFAULT_GRAPH.id, NOT_FOUND, f"union default graph: {union}")
    if union == "graphs":
        return Finding(UNION_DEFAULT_GRAPH.id, MENDED,
                       "emulated: every named graph is sent as default-graph-uri")
    return Finding(UNION_DEFAULT_GRAPH.id, UNKNOWN, "the server holds no named graph yet")
