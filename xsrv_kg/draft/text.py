"""Cutting a text into lines, sentences and list items with their offsets.

Delimiters inside brackets and quotes (乡镇（街道）, 《…、…》) do not cut.

>>> [(t, d) for _, _, t, d in items("甲：乙镇、丙（丁、戊）村。", 0)]
[('甲', '：'), ('乙镇', '、'), ('丙（丁、戊）村', '。')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

OPEN, CLOSE = "（(《“‘<〈[【", "）)》”’>〉]】"
ITEM_CUTS = "、，,；;：:。！？"
SENTENCE_CUTS = "。；;！？\n"
SECTION = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)"
    r"|第[一二三四五六七八九十]+[章节条部分])"
)
#: A row's number (1. 1、 （1） ①): a list goes on across numbered rows, a section does not.
ROW = re.compile(r"\s*(?:\d{1,3}[.．、)）](?!\d)|[（(]\d{1,3}[)）]|[①-⑳])\s*")


def lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line with the offset of its first character."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def items(line: str, offset: int) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, text, the delimiter after it) of each item, whitespace trimmed."""
    depth, begin = 0, 0
    for i, ch in enumerate(line + "\n"):
        if ch in OPEN and not (ch == "<" and depth == 0 and "《" not in line[:i]):
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
        elif (ch in ITEM_CUTS and depth == 0) or ch == "\n":
            raw = line[begin:i]
            stripped = raw.strip()
            if stripped:
                lead = len(raw) - len(raw.lstrip())
                start = offset + begin + lead
                yield start, start + len(stripped), stripped, "" if ch == "\n" else ch
            begin = i + 1


def sentence_bounds(text: str, at: int) -> tuple[int, int]:
    """The sentence (cut by 。；！？ or a line end) around offset `at`."""
    start = at
    while start > 0 and text[start - 1] not in SENTENCE_CUTS:
        start -= 1
    end = at
    while end < len(text) and text[end] not in SENTENCE_CUTS:
        end += 1
    return start, end


def full_sentence(text: str, at: int) -> tuple[int, int]:
    """Like sentence_bounds, but only 。！？ and line ends cut (a ； does not)."""
    start = at
    while start > 0 and text[start - 1] not in "。！？\n":
        start -= 1
    end = at
    while end < len(text) and text[end] not in "。！？\n":
        end += 1
    return start, end
