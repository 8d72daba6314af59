"""IRIs of the vocabularies the project mints or reuses (constants only, no state)."""

from __future__ import annotations

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


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, so shipped queries and users can omit them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
