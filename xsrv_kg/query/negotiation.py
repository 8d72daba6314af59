"""Content negotiation: ``Accept`` with q-values, and the ``format=`` override.

Solutions (SELECT/ASK) and graphs (CONSTRUCT/DESCRIBE) have different formats, and which
one a query yields is known only once it runs, so a request negotiates both up front.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from werkzeug.http import parse_list_header, parse_options_header

from ..errors import BadInput
from ..formats import GRAPH_FORMATS, SOLUTION_FORMATS, Format


def _parameter_values() -> dict[str, tuple[Format | None, Format | None]]:
    """``format=`` value -> the formats it picks for (solutions, graphs): each offered
    format's names. A graph format's names also pick the results format of its family
    (``format=jsonld`` on a SELECT gives SPARQL JSON); a results format's names do not."""
    values: dict[str, tuple[Format | None, Format | None]] = {}
    for fmt in SOLUTION_FORMATS:
        values.update({name: (fmt, None) for name in fmt.names})
    for fmt in GRAPH_FORMATS:
        family = next((f for f in SOLUTION_FORMATS if f.name == fmt.for_solutions), None)
        for name in fmt.names:
            values[name] = (values.get(name, (family, None))[0], fmt)
    return values


#: ``format=`` value -> (solutions format, graph format).
FORMAT_PARAMETER = _parameter_values()


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
    """The media ranges of an ``Accept`` header (``*/*`` when absent or empty).

    Werkzeug splits and unquotes the header (a malformed parameter, such as ``q=`` with no
    value, is dropped). Its ``MIMEAccept`` is not used for the choice: it reorders the ranges
    (here the header's order breaks ties), drops a range whose q is out of bounds (here q is
    clamped to 0..1, and a q that is not a number counts as 0), and its ``best_match`` lets
    ``*/*`` override an explicit ``q=0`` for a type (here the most specific range decides).
    """
    if not header or not header.strip():
        return [MediaRange("*/*", 1.0, 0)]
    ranges = []
    for order, item in enumerate(parse_list_header(header)):
        media, params = parse_options_header(item)
        media = media.lower()
        if media == "*":
            media = "*/*"
        if "/" not in media:
            continue  # not a media range: ignore it, as servers commonly do
        ranges.append(MediaRange(media, _q(params.get("q")), order))
    return ranges or [MediaRange("*/*", 1.0, 0)]


def _q(value: str | None) -> float:
    if value is None:
        return 1.0
    try:
        q = float(value.strip())
    except ValueError:
        return 0.0
    return 0.0 if math.isnan(q) else min(max(q, 0.0), 1.0)


def _quality(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int]:
    """q of the most specific range matching ``media_type``, and that range's position."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0, 0
    best = max(matching, key=lambda r: (r.specificity(), -r.order))
    return best.q, best.order


def choose(ranges: Sequence[MediaRange], offered: Sequence[Format]) -> Format | None:
    """The offered format the client prefers (q, then header order, then our order)."""
    candidates: list[tuple[float, int, int, Format]] = []
    for rank, fmt in enumerate(offered):
        q, order = _quality(ranges, fmt.media_type)
        # A range naming the format exactly, by its media type or an alias, counts for it.
        for r in ranges:
            if r.type in (fmt.media_type, *fmt.aliases) \
                    and (r.q > q or (r.q == q and r.order < order)):
                q, order = r.q, r.order
        if q > 0:
            candidates.append((q, order, rank, fmt))
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
    return Negotiated(choose(ranges, SOLUTION_FORMATS), choose(ranges, GRAPH_FORMATS))


def _from_parameter(value: str) -> Negotiated:
    lowered = value.lower()
    if "/" in lowered and lowered not in FORMAT_PARAMETER:  # media types, as in Accept
        ranges = parse_accept(lowered)
        found = Negotiated(choose(ranges, SOLUTION_FORMATS), choose(ranges, GRAPH_FORMATS))
        if found.solutions is None and found.graph is None:
            raise BadInput(f"format={value!r}: not a media type this endpoint writes; "
                           f"use one of {', '.join(known_formats())}")
        return found
    if lowered not in FORMAT_PARAMETER:
        raise BadInput(f"format={value!r} is not a known format; "
                       f"use one of {', '.join(known_formats())}")
    return Negotiated(*FORMAT_PARAMETER[lowered])


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
