"""Division codes for drafted places, where the reference tables cover the area.

The tables shipped (data/reference/xiushan-township-codes.csv, the Chongqing county
table) cover the counties of Chongqing and the townships of 秀山县. A county-level name is
linked where the county table prints it; a township only where its parent county is
linked and the township table prints its name under that county (as printed, or with
办事处 as the 2017–2018 editions print 街道). Elsewhere places stay unlinked. A code comes
from a table, not from the text, so it is a `given` value with the edition it is from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from xsrv_kg.config import DEFAULT_HOME
from xsrv_kg.draft.model import Fact
from xsrv_kg.errors import BadInput

#: The project home (ontology/, data/): the checkout, or the copy an installed wheel ships.
ROOT = DEFAULT_HOME


@dataclass(frozen=True)
class CodeTables:
    counties: dict[str, tuple[str, str]]  # name -> (code, edition)
    townships: dict[tuple[str, str], tuple[str, str]]  # (county code, name) -> (code, edition)


def load_tables(root: Path = ROOT) -> CodeTables:
    counties: dict[str, tuple[str, str]] = {}
    townships: dict[tuple[str, str], tuple[str, str]] = {}
    county_csv = root / "data/documents/chongqing-plan/chongqing-county-codes.csv"
    if county_csv.exists():
        with county_csv.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                counties[row["name"]] = (row["code"], row["edition_cutoff"])
    town_csv = root / "data/reference/xiushan-township-codes.csv"
    if town_csv.exists():
        with town_csv.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                # Later editions overwrite earlier ones: the newest edition printing the name.
                townships[(row["county_code"], row["name"])] = (row["code"], row["edition_cutoff"])
    return CodeTables(counties, townships)


def link(facts: list[Fact], tables: CodeTables, *, area: str | None) -> None:
    """Add `given["code"]` to the places the tables cover; leave the others alone."""
    county_code = {name: code for name, (code, _) in tables.counties.items()}
    for fact in facts:
        if fact.kind != "place":
            continue
        name, parent = fact.data["name"], fact.data["parent"]
        hit = None
        if fact.data["level"] == "CountyLevelDivision" and name in tables.counties:
            hit = tables.counties[name]
        elif fact.data["level"] == "TownshipLevelDivision" and parent in county_code:
            code = county_code[parent]
            hit = tables.townships.get((code, name)) or tables.townships.get(
                (code, name + "办事处")
            )
        if hit:
            fact.given["code"] = f"{hit[0]} (统计用区划代码 {hit[1]})"
            fact.data["code"], fact.data["code_edition"] = hit


def resolve_area(given: str, tables: CodeTables) -> str:
    """The name of the area given as a name (returned as it is) or as a division code the
    tables print (500241 -> 秀山土家族苗族自治县); BadInput for a code they do not hold.

    >>> tables = CodeTables({"秀山土家族苗族自治县": ("500241", "2020-06-30")},
    ...                     {("500241", "隘口镇"): ("500241103", "2021-10-31")})
    >>> resolve_area("500241", tables), resolve_area("500241103", tables)
    ('秀山土家族苗族自治县', '隘口镇')
    >>> resolve_area("秀山县", tables)
    '秀山县'
    """
    if not given.isdigit():
        return given
    for name, (code, _) in tables.counties.items():
        if code == given:
            return name
    for (_, name), (code, _) in tables.townships.items():
        if code == given:
            return name
    raise BadInput(
        f"--area {given}: no division-code table here holds this code (the tables cover "
        "the counties of Chongqing and the townships of 秀山县); give the area's name instead"
    )
