"""SPARQL tests that a node violates a shape, for the compiler: one expression per value
constraint (:meth:`ValueTests.violates`), and a group pattern for a whole node shape used by
``sh:node`` or ``sh:qualifiedValueShape`` (:meth:`ValueTests.violation`).

Each test decides as pySHACL (rdflib) does: which lexical forms of a datatype are well
formed (:data:`DATATYPES`), how literals compare (after rdflib's normalisation).
"""

from __future__ import annotations

import re
from itertools import count

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ..errors import BadInput, UnsupportedShapes
from ..vocab import short_name
from .shape_reader import NODE_PARAMETERS, PROPERTY_PARAMETERS, ShapeReader
from .sparql_terms import (
    INSTANCE_PATH,
    distinct_values,
    same_term,
    show,
    sparql_iri,
    sparql_string,
    sparql_term,
)

#: sh:datatype values the engine checks, and how pySHACL (rdflib) decides that a literal of
#: that datatype is well formed: ``None`` for no check beyond the datatype IRI.
DATATYPES: dict[str, str | None] = {
    str(XSD.string): None,
    str(RDF.langString): None,
    str(XSD.gYear): None,  # rdflib does not parse gYear: any lexical form passes
    # rdflib parses these with Python's int / Decimal (leading blanks and + allowed).
    str(XSD.integer): r"^\s*[+-]?[0-9]+\s*$",
    str(XSD.decimal): r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$",
    str(XSD.boolean): r"^(true|false|1|0)$",
    # Checked by casting (the SPARQL cast and rdflib's parser agree on these).
    str(XSD.date): "cast",
    str(XSD.dateTime): "cast",
}
RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
          SH.maxExclusive: "<"}


class ValueTests(ShapeReader):
    """The tests, with what they need across shapes: fresh variable names, the shapes being
    nested (recursion is refused), and the ``sh:pattern`` regexes met (the store must
    accept them)."""

    def __init__(self, shapes: Graph) -> None:
        super().__init__(shapes)
        self.fresh = count()
        self.nesting: list[Node] = []
        self.patterns: set[str] = set()

    def v(self, stem: str = "v") -> str:
        """A variable no other part of the query uses."""
        return f"?xsrv{stem}{next(self.fresh)}"

    def violates(self, shape: Node, param: URIRef, x: str) -> tuple[str, str]:
        """A SPARQL expression true when value ``x`` violates the shape's ``param``, and
        pySHACL's generic message for it."""
        sg = self.shapes
        value = self.one(shape, param)
        if param == SH["class"]:
            return (f"NOT EXISTS {{ {x} {INSTANCE_PATH} {sparql_term(value)} }}",
                    f"Value does not have class {show(value)}")
        if param == SH.datatype:
            dt = str(value)
            if dt not in DATATYPES:
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        f"support sh:datatype {show(value)} (supported: "
                               f"{', '.join(sorted(show(URIRef(d)) for d in DATATYPES))})")
            check, iri = DATATYPES[dt], sparql_iri(dt)
            if dt == str(RDF.langString):
                ok = f"isLiteral({x}) && lang({x}) != \"\""
            else:
                ok = f"isLiteral({x}) && sameTerm(datatype({x}), {iri})"
            if check == "cast":
                ok += f" && COALESCE(sameTerm(datatype({iri}(STR({x}))), {iri}), false)"
            elif check:
                ok += f" && REGEX(STR({x}), {sparql_string(check)})"
            return f"!({ok})", f"Value is not Literal with datatype {show(value)}"
        if param == SH.pattern:
            if (shape, SH.flags, None) in sg:
                raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not "
                                        "support sh:flags")
            try:
                re.compile(str(value))
            except re.error as exc:
                raise BadInput(f"{self.name(shape)}: sh:pattern {str(value)!r} is not a "
                               f"regular expression: {exc}") from None
            self.patterns.add(str(value))
            return (f"isBlank({x}) || !REGEX(STR({x}), {sparql_string(str(value))})",
                    f"Value does not match pattern '{value}'")
        if param == SH["in"]:
            items = self.list_items(shape, SH["in"])
            tests = [same_term(x, item) for item in items] or ["false"]
            shown = [show(i) for i in items]
            return f"!({' || '.join(tests)})", f"Value {{value}} not in list {shown}"
        if param == SH.languageIn:
            wanted = [str(i).lower() for i in self.list_items(shape, SH.languageIn)]
            if "*" in wanted:
                ok = f"lang({x}) != \"\""
            else:
                listed = ", ".join(sparql_string(w) for w in wanted) or '""'
                ok = (f"lang({x}) != \"\" && (LCASE(lang({x})) IN ({listed}) || "
                      f"LCASE(STRBEFORE(CONCAT(lang({x}), \"-\"), \"-\")) IN ({listed}))")
            return (f"!(isLiteral({x}) && {ok})",
                    f"String language is not in {show(self.one(shape, SH.languageIn))}")
        if param in RANGES:
            op = RANGES[param]
            if not isinstance(value, Literal):
                raise BadInput(f"{self.name(shape)}: {short_name(param)} must be a literal")
            # rdflib reads " 7"^^xsd:integer as 7; Oxigraph finds it ill-formed and cannot
            # compare it: compare the trimmed form again.
            trimmed = f'STRDT(REPLACE(STR({x}), "^\\\\s+|\\\\s+$", ""), datatype({x}))'
            return (f"!COALESCE(isLiteral({x}) && COALESCE({x} {op} {sparql_term(value)}, "
                    f"{trimmed} {op} {sparql_term(value)}), false)",
                    f"Value is not {op} {show(value)}")
        raise AssertionError(param)

    # -- nested shapes: a group pattern with a solution when a node violates the shape ------

    def violation(self, shape: Node, x: str) -> str:
        sg = self.shapes
        if shape in self.nesting:
            raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not support "
                                    "recursive shapes")
        if (shape, SH.path, None) in sg:
            raise BadInput(f"{self.name(shape)}: sh:node and sh:qualifiedValueShape must name "
                           "a node shape")
        self.check_vocabulary(shape, NODE_PARAMETERS, "node shape")
        if not self.active(shape):
            return "FILTER(false)"
        self.nesting.append(shape)
        try:
            groups = self.shape_violations(shape, x, None)
            for prop in sorted(sg.objects(shape, SH.property), key=str):
                self.check_vocabulary(prop, PROPERTY_PARAMETERS, "property shape")
                if self.active(prop):
                    groups += self.shape_violations(prop, x, self.path_of(prop))
        finally:
            self.nesting.pop()
        return " UNION ".join(f"{{ {g} }}" for g in groups) or "FILTER(false)"

    def shape_violations(self, shape: Node, x: str, path: URIRef | None) -> list[str]:
        sg = self.shapes
        if (shape, SH.sparql, None) in sg:
            raise UnsupportedShapes(f"{self.name(shape)}: the store engine does not support "
                                    "sh:sparql in a shape used by sh:node or "
                                    "sh:qualifiedValueShape")
        groups = []
        p = sparql_iri(path) if path is not None else None
        minimum = self.integer(shape, SH.minCount) if path is not None else None
        if minimum:
            ys = [self.v() for _ in range(minimum)]
            groups.append(f"FILTER NOT EXISTS {{ {distinct_values(x, p, ys)} }}")
        maximum = self.integer(shape, SH.maxCount) if path is not None else None
        if maximum is not None:
            ys = [self.v() for _ in range(maximum + 1)]
            groups.append(distinct_values(x, p, ys))
        for param in (SH["class"], SH.datatype, SH.pattern, SH["in"], SH.languageIn, *RANGES):
            if (shape, param, None) in sg:
                if path is None:
                    groups.append(f"FILTER({self.violates(shape, param, x)[0]})")
                else:
                    y = self.v()
                    groups.append(f"{x} {p} {y} . FILTER({self.violates(shape, param, y)[0]})")
        value = self.one(shape, SH.hasValue)
        if value is not None:
            groups.append(f"FILTER(!{same_term(x, value)})" if path is None
                          else f"FILTER NOT EXISTS {{ {x} {p} {sparql_term(value)} }}")
        inner = self.one(shape, SH.node)
        if inner is not None:
            if path is None:
                groups.append(f"FILTER EXISTS {{ {self.violation(inner, x)} }}")
            else:
                y = self.v()
                groups.append(f"{x} {p} {y} . FILTER EXISTS {{ {self.violation(inner, y)} }}")
        qualified = self.one(shape, SH.qualifiedValueShape)
        if qualified is not None and path is not None:
            qmin = self.integer(shape, SH.qualifiedMinCount) or 0
            self.no_severity(qualified)
            if qmin > 0:
                ys = [self.v() for _ in range(qmin)]
                conform = " ".join(f"FILTER NOT EXISTS {{ {self.violation(qualified, y)} }}"
                                   for y in ys)
                groups.append(f"FILTER NOT EXISTS {{ {distinct_values(x, p, ys)} {conform} }}")
        return groups

    # -- SPARQL constraints ---------------------------------------------------------------
