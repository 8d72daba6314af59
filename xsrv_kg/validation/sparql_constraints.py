"""SPARQL constraints (``sh:sparql``) made ready to run for all focus nodes at once.

pySHACL runs a constraint's ``sh:select`` once per focus node, with ``$this`` pre-bound. The
in-store engine runs it once, joined with the shape's targets: :func:`rewrite_select` reads
the query's tokens (:func:`xsrv_kg.sparql.lexer.tokens`) to check that the join gives what
pre-binding would, and refuses what it cannot run that way (:class:`UnsupportedShapes`, or
:class:`BadInput` for what SHACL does not allow). :func:`sparql_prefixes` gives the prefixes
pySHACL declares for a constraint.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from ..errors import BadInput, UnsupportedShapes
from ..sparql.lexer import Token, tokens
from .sparql_terms import shape_name, sparql_iri

#: Prefixes pySHACL declares for every SPARQL constraint.
BASE_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}

AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
#: Refused anywhere in a SPARQL constraint, with the reason.
REFUSED = {
    "MINUS": "MINUS (SHACL forbids it in SPARQL constraints)",
    "VALUES": "VALUES (SHACL forbids it in SPARQL constraints)",
    "SERVICE": "SERVICE (SHACL forbids it in SPARQL constraints)",
    "LIMIT": "LIMIT (it would apply to all focus nodes at once, not to each)",
    "OFFSET": "OFFSET (it would apply to all focus nodes at once, not to each)",
    "GRAPH": "GRAPH (the data graph has no named graphs in SHACL)",
    "FROM": "FROM (the dataset is the data graph)",
}


@dataclass(frozen=True)
class Select:
    """A SPARQL constraint's query, ready to run for all focus nodes at once."""

    prologue: str  #: the query's own PREFIX/BASE declarations
    before: str    #: the query up to and including the ``{`` of its WHERE clause
    after: str     #: the rest; the target pattern goes between the two
    variables: tuple[str, ...]  #: projected variables (empty for ``SELECT *``)


def rewrite_select(text: str, where: str, path: URIRef | None) -> Select:
    """Prepare a SPARQL constraint's ``sh:select`` so that joining its WHERE clause with a
    pattern binding ``?this`` gives, for every focus node at once, what pre-binding
    ``$this`` to each would. Raises :class:`UnsupportedShapes` for what cannot be run that
    way, :class:`BadInput` for what is no SHACL SELECT query.

    Joining equals pre-binding where ``$this`` is bound whenever it is used: in the
    top-level group, in a top-level ``OPTIONAL`` (its left side holds the targets), in any
    ``FILTER``/``EXISTS`` (evaluated with the solution's bindings), and in a top-level
    subquery that selects ``$this`` (following the same rules inside). Grouping and
    aggregates get ``$this`` added to their GROUP BY: pre-bound, it is one value per query.
    """
    toks = tokens(text)
    # The prologue: PREFIX and BASE declarations before SELECT.
    i = 0
    while i < len(toks) and toks[i].upper in ("PREFIX", "BASE"):
        i += 3 if toks[i].upper == "PREFIX" else 2
    if i >= len(toks) or toks[i].upper != "SELECT":
        raise BadInput(f"{where}: sh:select must be a SELECT query")
    reader = _SelectReader(toks, where, path)
    end, opening, variables = reader.select(i, nested=False)
    if end != len(toks):
        raise BadInput(f"{where}: sh:select has text after its query")
    edits = [*reader.edits, (toks[opening].end, toks[opening].end, "\x00")]
    prologue_end = toks[i].start
    out = text
    for start, stop, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[stop:]
    before, after = out[prologue_end:].split("\x00")
    return Select(text[:prologue_end], before, after, tuple(variables))


class _SelectReader:
    """Reads a SELECT query's tokens, checking where ``$this`` appears and noting the
    edits (``$PATH``, GROUP BY ``?this``) as (start, end, replacement)."""

    def __init__(self, toks: list[Token], where: str, path: URIRef | None) -> None:
        self.toks, self.where, self.path = toks, where, path
        self.edits: list[tuple[int, int, str]] = []

    def refuse(self, why: str) -> UnsupportedShapes:
        return UnsupportedShapes(f"{self.where}: the store engine does not support {why}")

    def select(self, i: int, nested: bool) -> tuple[int, int, list[str]]:
        """Read the SELECT at ``toks[i]``: (the index after it, the index of its WHERE
        clause's ``{``, its projected variables). A nested one ends before the ``}`` of
        the group around it."""
        toks = self.toks
        variables: list[str] = []
        star = False
        depth = 0
        j = i + 1
        while j < len(toks) and not (depth == 0 and toks[j].text == "{"):
            tok = toks[j]
            if tok.upper in REFUSED:
                raise self.refuse(REFUSED[tok.upper])
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif tok.text == "*" and depth == 0:
                star = True
            elif tok.kind == "var" and (depth == 0 or toks[j - 1].upper == "AS"):
                variables.append(tok.text[1:])
            j += 1
        if j >= len(toks):
            raise BadInput(f"{self.where}: sh:select has no WHERE clause")
        projection = toks[i + 1:j]
        if "this" not in variables and (nested or not star):
            raise self.refuse("a subquery that does not select $this" if nested else
                              "a query that does not select $this (pySHACL would drop its "
                              "results)")
        if "failure" in variables and not nested:
            raise self.refuse("?failure")
        top_end = self.where_clause(j)
        # The solution modifiers, up to the end (or the subquery's closing brace).
        k = top_end + 1
        while k < len(toks) and not (nested and toks[k].text == "}"):
            if toks[k].upper in REFUSED:
                raise self.refuse(REFUSED[toks[k].upper])
            k += 1
        rest = toks[top_end + 1:k]
        uppers = [t.upper for t in rest]
        having = rest[uppers.index("HAVING"):] if "HAVING" in uppers else []
        aggregated = any(t.upper in AGGREGATES for t in [*projection, *having])
        if "GROUP" in uppers:
            g = uppers.index("GROUP")
            grouped = []
            for tok in rest[g + 2:]:
                if tok.upper in ("HAVING", "ORDER"):
                    break
                grouped.append(tok)
            if not any(t.kind == "var" and t.text[1:] == "this" for t in grouped):
                self.edits.append((rest[g + 1].end, rest[g + 1].end, " ?this"))
        elif aggregated:
            self.edits.append((toks[top_end].end, toks[top_end].end, "\nGROUP BY ?this"))
        return k, j, variables

    def where_clause(self, j: int) -> int:
        """Read the group opening at ``toks[j]``; the index of its closing brace."""
        toks = self.toks
        stack: list[str] = []
        k = j
        while k < len(toks):
            tok = toks[k]
            prev = toks[k - 1].upper if k > 0 else ""
            if tok.upper in REFUSED:
                raise self.refuse(REFUSED[tok.upper])
            if tok.upper == "SELECT":
                raise self.refuse("a subquery below the top-level group")
            if tok.text == "{":
                if stack and k + 1 < len(toks) and toks[k + 1].upper == "SELECT":
                    if stack != ["top"]:
                        raise self.refuse("a subquery below the top-level group")
                    k, _, _ = self.select(k + 1, nested=True)  # k: the group's "}"
                    k += 1
                    continue
                kind = "top" if not stack else {"OPTIONAL": "optional",
                                                "EXISTS": "exists"}.get(prev, "group")
                stack.append(kind)
            elif tok.text == "}":
                stack.pop()
                if not stack:
                    return k
            elif tok.kind == "var":
                self.variable(tok, prev, stack)
            k += 1
        raise BadInput(f"{self.where}: sh:select has an unbalanced WHERE clause")

    def variable(self, tok: Token, prev: str, stack: list[str]) -> None:
        name = tok.text[1:]
        if name in ("currentShape", "shapesGraph"):
            raise self.refuse(f"${name}")
        if name == "PATH":
            if self.path is None:
                raise BadInput(f"{self.where}: $PATH in the query of a node shape")
            self.edits.append((tok.start, tok.end, sparql_iri(self.path)))
        if name == "this":
            if prev == "AS":
                raise self.refuse("binding $this with AS")
            scope = stack[:stack.index("exists")] if "exists" in stack else stack
            if scope not in (["top"], ["top", "optional"]):
                raise self.refuse(
                    "$this inside a UNION branch, a nested group or a nested OPTIONAL (only "
                    "the top-level group, a top-level OPTIONAL or subquery, and "
                    "FILTER/EXISTS can be joined with the targets)")


def sparql_prefixes(shapes: Graph, constraint: Node) -> dict[str, str]:
    """The prefixes pySHACL declares for a SPARQL constraint: rdf, rdfs, owl, then those
    of its ``sh:prefixes`` (and, as pySHACL does, of every owl:Ontology in the shapes)."""
    prefixes = dict(BASE_PREFIXES)
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    global_declares = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for holder in shapes.objects(constraint, SH.prefixes):
        own = set(shapes.objects(holder, SH.declare))
        declares = own if own and holder in ontologies else own | global_declares
        found: dict[str, str] = {}
        for dec in declares:
            prefix, namespace = shapes.value(dec, SH.prefix), shapes.value(dec, SH.namespace)
            if prefix is None or namespace is None:
                raise BadInput(f"{shape_name(shapes, holder)}: sh:declare needs sh:prefix and "
                               "sh:namespace")
            if found.get(str(prefix), str(namespace)) != str(namespace):
                raise BadInput(f"{shape_name(shapes, holder)}: prefix {prefix!s} is declared "
                               f"with two namespaces")
            found[str(prefix)] = str(namespace)
        prefixes.update(found)
    return prefixes


def prologue(prefixes: dict[str, str]) -> str:
    """``PREFIX`` declarations for ``prefixes``, the namespaces written by pyoxigraph."""
    return "".join(f"PREFIX {p}: {sparql_iri(ns)}\n" for p, ns in prefixes.items())
