"""Chinese and Arabic numerals as written in policy texts, read as numbers.

Policy texts mix 27, 二十七, 两, 一百零五, the year 二〇二一 and 1,000 or 3.5 (万元). A
count or an amount is only trustworthy if the number it states is read exactly, so
this module reads whole numerals or refuses (ValueError); it never guesses a part.

>>> to_int("27"), to_int("二十七"), to_int("两"), to_int("十"), to_int("十二")
(27, 27, 2, 10, 12)
>>> to_int("一百零五"), to_int("三千二百五十"), to_int("一万二千"), to_int("1,000")
(105, 3250, 12000, 1000)
>>> to_int("二〇二一"), to_int("２０２１")
(2021, 2021)
>>> to_decimal("3.5"), to_decimal("1,200.50"), to_decimal("一百")
(Decimal('3.5'), Decimal('1200.50'), Decimal('100'))
>>> to_int("三类")
Traceback (most recent call last):
...
ValueError: not a numeral: '三类'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

#: A numeral as it may stand in a text (Arabic with thousands separators and decimals,
#: full-width digits, or Chinese); the extraction rules use it in their patterns.
PATTERN = (
    r"(?:[0-9０-９][0-9０-９,]*(?:\.[0-9０-９]+)?"
    r"|[零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+)"
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _chinese(text: str) -> int:
    """Read a Chinese numeral: positional (二〇二一) or with units (一万二千零五)."""
    if all(ch in DIGITS for ch in text) and (len(text) == 1 or "两" not in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                raise ValueError(f"not a numeral: {text!r}")
            digit = DIGITS[ch] if DIGITS[ch] else None
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            if section == 0 and total == 0:
                raise ValueError(f"not a numeral: {text!r}")
            total = (
                (total + section) * BIG_UNITS[ch]
                if BIG_UNITS[ch] > 10_000
                else total + section * BIG_UNITS[ch]
            )
            section, digit = 0, None
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + section + (digit or 0)


def to_decimal(text: str) -> Decimal:
    """The exact value of a numeral (Arabic, possibly with a decimal part, or Chinese)."""
    raw = text.strip().translate(_FULLWIDTH)
    if not raw:
        raise ValueError("not a numeral: ''")
    if raw[0].isdigit():
        if not _ARABIC.fullmatch(raw):
            raise ValueError(f"not a numeral: {text!r}")
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern rules it out
            raise ValueError(f"not a numeral: {text!r}") from exc
    return Decimal(_chinese(raw))


def is_numeral(text: str | None) -> bool:
    """Whether `text` reads as a numeral (a pattern match such as 万一 may not).

    >>> is_numeral("二十七"), is_numeral("万一"), is_numeral(None)
    (True, False, False)
    """
    if text is None:
        return False
    try:
        to_decimal(text)
    except ValueError:
        return False
    return True


def to_int(text: str) -> int:
    """A whole number from a numeral; a decimal part is an error, not a rounding."""
    value = to_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)
