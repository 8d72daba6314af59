"""Content negotiation: ``Accept`` with q-values, and the ``format=`` override.

Solutions (SELECT/ASK) and graphs (CONSTRUCT/DESCRIBE) have different formats, and which
one a query yields is known only once it runs, so a request negotiates both up front.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import BadInput
from .results import GRAPH_FORMATS, SOLUTION_FORMATS, Format

#: Media types clients send for a result kind that are not the registered ones.
ALIASES: dict[str, dict[str, str]] = {
    "solutions": {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                  "application/sparql-results+json": "json",
                  "application/sparql-results+xml": "xml"},
    # Turtle is a subset of N3, so N3 clients are served Turtle.
    "graph": {"application/json": "jsonld", "application/x-turtle": "turtle",
              "text/n3": "turtle", "text/rdf+n3": "turtle",
              "text/plain": "ntriples", "application/xml": "rdfxml", "text/xml": "rdfxml"},
}

#: ``format=`` values besides the formats' own names (and their media types).
FORMAT_PARAMETER: dict[str, tuple[str, str]] = {
    # value: (solutions format, graph format)
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", ""),
    "tsv": ("tsv", ""),
    "turtle": ("", "turtle"), "ttl": ("", "turtle"), "n3": ("", "turtle"),
    "ntriples": ("", "ntriples"), "nt": ("", "ntriples"), "n-triples": ("", "ntriples"),
    "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"),
    "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"), "rdf/xml": ("xml", "rdfxml"),
    "rdf+xml": ("xml", "rdfxml"),
    "srj": ("json", ""), "srx": ("xml", ""),
}


@dataclass(frozen=True)
class MediaRange:
    type: str      # "text/turtle", "text/*" or "*/*"
    q: float
    order: int     # position in the header, to break ties

    def specificity(self) -> int:
        return 0 if self.type == "*/*" else 1 if self.type.endswith("/*") else 2

    def matches(self, media_type: str) -> bool:
        if self.type == "*/*":
            return True
        if self.type.endswith("/*"):
            return media_type.split("/", 1)[0] == self.type[:-2]
        return media_type == self.type


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header (``*/*`` when absent or empty)."""
    if not header or not header.strip():
        return [MediaRange("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        if "/" not in media:
            continue  # not a media range: ignore it, as servers commonly do
        q = 1.0
        for param in fields[1:]:
            key, _, val = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(val.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(media, q, order))
    return ranges or [MediaRange("*/*", 1.0, 0)]


def _quality(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int]:
    """q of the most specific range matching ``media_type``, and that range's position."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0, 0
    best = max(matching, key=lambda r: (r.specificity(), -r.order))
    return best.q, best.order


def choose(ranges: Sequence[MediaRange], offered: Sequence[Format], kind: str) -> Format | None:
    """The offered format the client prefers (q, then header order, then our order)."""
    aliases = ALIASES[kind]
    by_name = {f.name: f for f in offered}
    candidates: list[tuple[float, int, int, Format]] = []
    for rank, fmt in enumerate(offered):
        q, order = _quality(ranges, fmt.media_type)
        # An alias named explicitly counts for the format it stands for.
        for alias, name in aliases.items():
            if name == fmt.name:
                for r in ranges:
                    if r.type == alias and (r.q > q or (r.q == q and r.order < order)):
                        q, order = r.q, r.order
        if q > 0:
            candidates.append((q, order, rank, by_name[fmt.name]))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], -c[1], -c[2]))[3]


@dataclass(frozen=True)
class Negotiated:
    """The format for each kind of result (``None``: the client accepts none)."""

    solutions: Format | None
    graph: Format | None

    @property
    def key(self) -> str:
        return f"{self.solutions and self.solutions.name}/{self.graph and self.graph.name}"


def negotiate(accept: str | None, format_param: str | None = None) -> Negotiated:
    """The formats for this request: ``format=`` wins over ``Accept``."""
    if len(accept or "") + len(format_param or "") <= 1024:
        return _negotiate_short(accept, format_param)
    return _negotiate(accept, format_param)


@lru_cache(maxsize=1024)  # pure; clients send the same few Accept headers
def _negotiate_short(accept: str | None, format_param: str | None) -> Negotiated:
    return _negotiate(accept, format_param)


def _negotiate(accept: str | None, format_param: str | None) -> Negotiated:
    if format_param:
        return _from_parameter(format_param.strip())
    ranges = parse_accept(accept)
    return Negotiated(choose(ranges, SOLUTION_FORMATS, "solutions"),
                      choose(ranges, GRAPH_FORMATS, "graph"))


def _from_parameter(value: str) -> Negotiated:
    lowered = value.lower()
    if "/" in lowered and lowered not in FORMAT_PARAMETER:  # media types, as in Accept
        ranges = parse_accept(lowered)
        found = Negotiated(choose(ranges, SOLUTION_FORMATS, "solutions"),
                           choose(ranges, GRAPH_FORMATS, "graph"))
        if found.solutions is None and found.graph is None:
            raise BadInput(f"format={value!r}: not a media type this endpoint writes; "
                           f"use one of {', '.join(known_formats())}")
        return found
    if lowered not in FORMAT_PARAMETER:
        raise BadInput(f"format={value!r} is not a known format; "
                       f"use one of {', '.join(known_formats())}")
    solutions, graph = FORMAT_PARAMETER[lowered]
    by_name = {f.name: f for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)}
    return Negotiated(by_name.get(solutions), by_name.get(graph))


def known_formats() -> list[str]:
    return sorted(FORMAT_PARAMETER)


def prefers(accept: str | None, media_types: Sequence[str]) -> str | None:
    """The media type (of those given, in our order of preference) the client prefers."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int, str] | None = None
    for rank, media_type in enumerate(media_types):
        q, order = _quality(ranges, media_type)
        if q > 0 and (best is None or (q, -order, -rank) > (best[0], -best[1], -best[2])):
            best = (q, order, rank, media_type)
    return best[3] if best else None
