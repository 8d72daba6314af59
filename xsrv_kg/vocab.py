"""IRIs of the vocabularies the project mints or reuses (constants only, no state)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

BASE = "https://w3id.org/xsrv-kg/"
XSRV = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
SHAPES = BASE + "shapes#"

PREFIXES: dict[str, str] = {
    "xsrv": XSRV,
    "id": ID,
    "doc": ID + "doc/",
    "xp": ID + "doc/xiushan-plan/",
    "cp": ID + "doc/chongqing-plan/",
    "xl": ID + "link/xiushan-chongqing/",
    "div": ID + "division/",
    "body": ID + "body/",
    "graph": GRAPH,
    "xsh": SHAPES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "cnt": "http://www.w3.org/2011/content#",
    "freq": "http://purl.org/cld/freq/",
    "sh": "http://www.w3.org/ns/shacl#",
}

SOURCE_FILE = XSRV + "sourceFile"
CNT_CHARS = PREFIXES["cnt"] + "chars"


#: IRIs Turtle writes as ``a`` or leaves implicit (plain and language-tagged strings).
_WRITTEN_WITHOUT_PREFIX = frozenset({
    PREFIXES["rdf"] + "type",
    PREFIXES["rdf"] + "langString",
    PREFIXES["xsd"] + "string",
})


def prefixes_used(triples: Iterable[ox.Triple],
                  prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The entries of ``prefixes`` (default :data:`PREFIXES`) that the triples' IRIs and
    datatypes use, so a Turtle or RDF/XML document declares no others."""
    iris: set[str] = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    iris -= _WRITTEN_WITHOUT_PREFIX
    return {p: ns for p, ns in (prefixes or PREFIXES).items()
            if any(i.startswith(ns) for i in iris)}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, for servers that do not predeclare them (the
    benchmarks send them to the other stores; this service passes :data:`PREFIXES`)."""
    return "".join(f"PREFIX {p}: {ox.NamedNode(iri)}\n" for p, iri in PREFIXES.items())


#: Languages tried after the one asked for: Chinese is the documents' own language.
FALLBACK = ("zh", "en")

#: Local names shown after a prefix: a display form, more lenient than Turtle's.
_LOCAL_NAME = re.compile(r"[\w-]([\w.:/%-]*[\w-])?")


def shorten_iri(iri: str) -> str:
    """``xsrv:Town`` for a known namespace (the longest that fits), otherwise ``<iri>``.

    For display only: ``id:doc/xiushan-plan/s4-5`` reads better than Turtle's escaped form.
    """
    fits = [(len(ns), prefix) for prefix, ns in PREFIXES.items()
            if iri.startswith(ns) and (iri == ns or _LOCAL_NAME.fullmatch(iri[len(ns):]))]
    if not fits:
        return f"<{iri}>"
    length, prefix = max(fits)
    return f"{prefix}:{iri[length:]}"


def short_name(node: object) -> str:
    """A prefixed name (``xp:count-townships``) or the bare IRI, for reports."""
    text = shorten_iri(str(node))
    return text[1:-1] if text.startswith("<") else text
