"""Place names read by their suffix: one name (隘口镇) or a chain (梅江镇两路村 = 两路村 in 梅江镇).

A chain must go down the hierarchy (province > prefecture > city > county > township >
village), which settles readings such as 东村乡西村 (西村 in 东村乡, not 东村 + 乡西村).

>>> from xsrv_kg.draft.rules import load_rules
>>> [(n.name, n.kind) for n in parse_chain("平凯街道邓阳社区", load_rules())]
[('平凯街道', 'kind-subdistrict'), ('邓阳社区', 'kind-community')]
>>> [n.name for n in parse_chain("东村乡西村", load_rules())]
['东村乡', '西村']
>>> parse_chain("县级重点乡镇", load_rules()), parse_chain("重点帮扶县", load_rules())
(None, None)

Running text can read as names too ("大力推动城市工商资本下乡"); the guard against it is
where names are looked for (lists.py: only in lists), not this function.
"""

from __future__ import annotations

from dataclasses import dataclass

from xsrv_kg.draft.rules import Rules

#: How high a level is: a chain's names go strictly down.
RANK = {
    "ProvinceLevelDivision": 1.0,
    "PrefectureLevelDivision": 2.0,
    "CityLevelDivision": 2.5,
    "CountyLevelDivision": 3.0,
    "ZoneArea": 3.0,  # a development zone: not a division, but its towns nest in it
    "TownshipLevelDivision": 4.0,
    "VillageLevelDivision": 5.0,
}


@dataclass(frozen=True)
class Name:
    """A place name inside an item: offset from the item's start, the name, its kind."""

    offset: int
    name: str
    suffix: str
    kind: str
    level: str

    @property
    def rank(self) -> float:
        return RANK.get(self.level, 9.0)


def _stem_ok(stem: str, rules: Rules) -> bool:
    forbidden = rules.places["stop"]["stem_forbidden"]
    return (
        0 < len(stem) <= rules.places["stop"]["max_stem"]
        and all("\u4e00" <= ch <= "\u9fff" for ch in stem)
        and not any(ch in forbidden for ch in stem)
        and not any(w in stem for w in rules.places["stop"]["stem_forbidden_words"])
    )


def name_at(text: str, rules: Rules) -> list[Name]:
    """Every reading of a prefix of `text` as one suffixed name, shortest first."""
    found = []
    for end in range(2, min(len(text), rules.places["stop"]["max_stem"] + 5) + 1):
        candidate = text[:end]
        for row in rules.suffixes():
            stem = candidate[: -len(row["text"])]
            if candidate.endswith(row["text"]) and (
                _stem_ok(stem, rules) or (not stem and row.get("alone", False))
            ):
                if candidate not in rules.places["stop"]["names"] and not candidate.endswith(
                    tuple(rules.places["stop"]["generic_endings"])
                ):
                    found.append(Name(0, candidate, row["text"], row["kind"], row["level"]))
                break
    return found


def parse_chain(item: str, rules: Rules, *, above: float = 0.0) -> list[Name] | None:
    """Read the whole item as names going down the hierarchy, or None."""
    if not item:
        return []
    spaced = item.lstrip(" \t\u3000")
    if spaced != item:  # names in a table row, separated by spaces
        if above == 0.0:
            return None
        rest = parse_chain(spaced, rules, above=above)
        shift = len(item) - len(spaced)
        return (
            None
            if rest is None
            else [Name(n.offset + shift, n.name, n.suffix, n.kind, n.level) for n in rest]
        )
    for first in name_at(item, rules):
        if first.rank <= above:
            continue
        rest = parse_chain(item[len(first.name) :], rules, above=first.rank)
        if rest is not None:
            return [first] + [
                Name(n.offset + len(first.name), n.name, n.suffix, n.kind, n.level) for n in rest
            ]
    return None


def stem_only(item: str, rules: Rules) -> bool:
    """A bare name without suffix ("东山"), usable when a heading supplies the kind."""
    return (
        1 < len(item) <= 5 and _stem_ok(item, rules) and item not in rules.places["stop"]["names"]
    )


def kind_of(name: str, rules: Rules) -> Name | None:
    """The kind of one whole name (for the --area)."""
    chain = parse_chain(name, rules)
    return chain[-1] if chain and len(chain) == 1 else None
