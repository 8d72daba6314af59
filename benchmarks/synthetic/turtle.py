"""Writing Turtle and the source text while counting: triples as they are written, and the
code-point offsets of every piece of text a fact cites (``oa:start`` / ``oa:end``)."""

from __future__ import annotations

from dataclasses import dataclass

from xsrv_kg import vocab

#: Municipality and county files are written with these prefixes (the real files' set).
PREFIXES = {
    "xsrv": vocab.XSRV,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "freq": "http://purl.org/cld/freq/",
}


def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def zh(text: str) -> str:
    return f'"{_esc(text)}"@zh'


def en(text: str) -> str:
    return f'"{_esc(text)}"@en'


def plain(text: str) -> str:
    return f'"{_esc(text)}"'


def dec(value: int) -> str:
    return f'"{value}"^^xsd:decimal'


@dataclass(frozen=True)
class Blank:
    """An anonymous node written inline, with the number of triples inside it."""

    text: str
    triples: int


@dataclass(frozen=True)
class Span:
    """A stretch of a source text: code-point offsets and the characters between them."""

    start: int
    end: int
    exact: str


def duration(years: int) -> Blank:
    return Blank(f"[ a time:Duration ; time:numericDuration {years} ; "
                 "time:unitType time:unitYear ]", 3)


class Turtle:
    """A Turtle document built from subject blocks; counts the triples it writes."""

    def __init__(self, comment: str, extra_prefixes: dict[str, str]) -> None:
        lines = [f"# {line}".rstrip() for line in comment.splitlines()]
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in {**PREFIXES, **extra_prefixes}.items()]
        self.parts: list[str] = ["\n".join(lines) + "\n\n"]
        self.triples = 0

    def node(self, subject: str, *pairs: tuple[str, object]) -> None:
        """``subject p1 o1 ; p2 o2a , o2b .``; an object may be a list or a :class:`Blank`."""
        rendered = []
        for predicate, obj in pairs:
            objects = obj if isinstance(obj, list) else [obj]
            if not objects:
                continue
            texts = []
            for item in objects:
                if isinstance(item, Blank):
                    texts.append(item.text)
                    self.triples += 1 + item.triples
                else:
                    texts.append(str(item))
                    self.triples += 1
            rendered.append(f"{predicate} {' , '.join(texts)}")
        self.parts.append(f"{subject} " + " ;\n    ".join(rendered) + " .\n")

    def heading(self, title: str) -> None:
        self.parts.append(f"\n# {title}\n")

    def text(self) -> str:
        return "".join(self.parts)


class SourceText:
    """The text being written; every piece added returns its span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, piece: str) -> Span:
        start = self.pos
        self.parts.append(piece)
        self.pos += len(piece)  # str length is in code points, as oa:start/oa:end are
        return Span(start, self.pos, piece)

    def mark(self) -> tuple[int, int]:
        return self.pos, len(self.parts)

    def since(self, mark: tuple[int, int]) -> Span:
        return Span(mark[0], self.pos, "".join(self.parts[mark[1]:]))

    def text(self) -> str:
        return "".join(self.parts)

