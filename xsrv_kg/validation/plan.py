"""What the compiler makes of a shapes graph: a :class:`Plan` of :class:`Check` queries.

:mod:`.compiler` builds it, :mod:`.in_store` runs it. One check per constraint of each
shape, its query finding *all* the results of that constraint at once: the target pattern
(:class:`Target`) binds ``?this`` for every focus node, where pre-binding would give one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from .sparql_terms import INSTANCE_PATH, sparql_iri


@dataclass(frozen=True)
class Target:
    """What binds a check's ``?this``: the targets of a shape, or the values of a path
    from another target's nodes (the value nodes a ``sh:node`` constraint checks)."""

    classes: tuple[str, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    parent: Target | None = None
    path: str | None = None  #: from the parent's nodes (None: the parent's nodes themselves)

    def pattern(self, var: str = "?this", focus_filter: str = "") -> str:
        """A group pattern binding ``var`` to each node once; ``focus_filter`` (a FILTER on
        ``?xsrvF``) keeps only some (only applied to a shape's own targets)."""
        if self.parent is not None:
            if self.path is None:
                return self.parent.pattern(var, focus_filter)
            outer = self.parent.pattern("?xsrvO", focus_filter)
            return (f"{{ SELECT DISTINCT (?xsrvV AS {var}) WHERE {{ {outer} "
                    f"?xsrvO {sparql_iri(self.path)} ?xsrvV }} }}")
        parts = [f"{{ ?xsrvF {INSTANCE_PATH} {sparql_iri(c)} }}" for c in self.classes]
        parts += [f"{{ ?xsrvF {sparql_iri(p)} ?xsrvA }}" for p in self.subjects_of]
        parts += [f"{{ ?xsrvA {sparql_iri(p)} ?xsrvF }}" for p in self.objects_of]
        union = " UNION ".join(parts)
        return (f"{{ SELECT DISTINCT (?xsrvF AS {var}) WHERE {{ {union} {focus_filter} }} }}")


@dataclass
class Check:
    """One constraint of one shape, as a query that finds all its results.

    The query selects ``?this`` (the focus node), ``?value`` when results have a value,
    ``?path`` when a SPARQL constraint gives one, and the variables its messages use.
    """

    shape: Node
    component: URIRef
    severity: URIRef
    path: URIRef | None  #: the property shape's path (the result path)
    target: Target
    prologue: str
    before: str  #: query text up to where the target pattern goes
    after: str
    constraint: Node | None = None  #: the sh:sparql node of a SPARQL constraint
    #: results have a value (the value node a core constraint rejects)
    valued: bool = False
    #: sh:value defaults to the focus node (the results of a node shape's SPARQL constraint)
    value_is_focus: bool = False
    templates: tuple[Literal, ...] = ()  #: the messages of the shape (and constraint)
    generic: str = ""  #: pySHACL's own message when the shape has none (with {focus}/{value})
    #: sh:node: the node shape's checks, run on the values when this check finds a result
    details: tuple[Check, ...] = ()

    def query(self, focus_filter: str = "") -> str:
        return self.prologue + self.body(focus_filter)

    def body(self, focus_filter: str = "") -> str:
        """The query without its prologue (to nest as a subquery)."""
        return f"{self.before} {self.target.pattern('?this', focus_filter)} {self.after}"


@dataclass
class Plan:
    """The shapes graph compiled: the checks of every active shape that has targets."""

    checks: list[Check] = field(default_factory=list)
    #: the sh:pattern regexes (the store must accept them: a regex SPARQL cannot compile is
    #: an error in the expression, which would let every value pass)
    patterns: tuple[str, ...] = ()
