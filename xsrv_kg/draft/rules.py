"""The rule files (rules/*.toml) a draft reads its word lists and patterns from.

Researchers extend extraction by editing these files, not the code; rules/README.md
describes each file. `{NUM}` in a pattern stands for any numeral (xsrv_kg/numerals.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomllib

from xsrv_kg import numerals

RULES_DIR = Path(__file__).with_name("rules")


@dataclass(frozen=True)
class Rules:
    places: dict[str, Any]
    lists: dict[str, Any]
    money: dict[str, Any]
    document: dict[str, Any]
    activities: dict[str, Any]
    folder: Path

    def suffixes(self) -> list[dict[str, str]]:
        """Suffix rows, longest suffix first, so 自治县 wins over 县."""
        return sorted(self.places["suffix"], key=lambda s: -len(s["text"]))

    def counted_noun(self, words: str) -> str | None:
        """The longest noun of lists.toml's [counted] that ``words`` end with ("市级乡村振兴
        示范村" -> 示范村), None if none does; its level and kind are ``lists["counted"][noun]``.

        >>> load_rules().counted_noun("市级乡村振兴示范村"), load_rules().counted_noun("先行示范类")
        ('示范村', None)
        """
        nouns = sorted(self.lists["counted"], key=len, reverse=True)
        return next((n for n in nouns if words.endswith(n)), None)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{NUM}", numerals.PATTERN))


@lru_cache(maxsize=8)
def load_rules(folder: Path = RULES_DIR) -> Rules:
    """Read every rule file of `folder` (the package's own by default)."""

    def read(name: str) -> dict[str, Any]:
        with (folder / f"{name}.toml").open("rb") as handle:
            return tomllib.load(handle)

    return Rules(
        read("places"), read("lists"), read("money"), read("document"), read("activities"), folder
    )
