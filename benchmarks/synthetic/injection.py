"""Known errors to inject (``--errors K``): their kinds, how K of them are spread over the
counties, and the SHACL result each is expected to yield (as pySHACL reports it)."""

from __future__ import annotations

from xsrv_kg import vocab

SH = "http://www.w3.org/ns/shacl#"
XSH = vocab.SHAPES

#: The kinds of injected error, in the order they are handed out.
ERROR_KINDS = (
    "count-mismatch",      # a complete village count declares one more than its members
    "two-categories",      # a township assigned to a second category
    "unclassified",        # a township with no assignment
    "span-mismatch",       # a span's offsets one character off its quote
    "missing-kind",        # a village without xsrv:divisionKind
    "wrong-datatype",      # a goal's target year as xsd:string, not xsd:gYear
    "no-payer",            # a fund rule without xsrv:payer
    "partition-mismatch",  # the township total disagrees with the townships and its parts
    "no-duration",         # a yearly fund rule without time:hasDuration
    "zero-amount",         # a fund rule of 0 yuan
    "two-townships",       # a village contained in two townships
    "concept-count",       # "分为四类" with three categories in the scheme
)


def expect(focus: str, shape: str, component: str, path: str | None = None) -> dict[str, object]:
    """The result an injected error yields: a Violation of ``shape`` (a name in the project's
    shapes namespace) by ``component`` (a SHACL constraint component) at ``focus``."""
    return {"severity": "Violation", "focus": focus, "shape": XSH + shape,
            "component": SH + component, "path": path}


def plan_errors(n_counties: int, k: int) -> list[tuple[int, str]]:
    """(county, kind) for each of ``k`` errors: spread evenly over the counties, kinds in
    turn, no kind twice in one county (so no two injections touch the same node)."""
    if k > n_counties * len(ERROR_KINDS):
        raise ValueError(f"at most {len(ERROR_KINDS)} errors per county "
                         f"({n_counties * len(ERROR_KINDS)} for {n_counties} counties)")
    used: dict[int, set[str]] = {}
    planned = []
    for j in range(k):
        county = (j * n_counties) // k + 1 if k <= n_counties else j % n_counties + 1
        taken = used.setdefault(county, set())
        kind = next(ERROR_KINDS[(j + i) % len(ERROR_KINDS)] for i in range(len(ERROR_KINDS))
                    if ERROR_KINDS[(j + i) % len(ERROR_KINDS)] not in taken)
        taken.add(kind)
        planned.append((county, kind))
    return planned
