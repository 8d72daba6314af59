"""xsrv_kg.numerals reads the numerals of policy texts exactly, or refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xsrv_kg.numerals import to_decimal, to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("27", 27),
        ("二十七", 27),
        ("两", 2),
        ("十", 10),
        ("十九", 19),
        ("一百零五", 105),
        ("二百五十", 250),
        ("一千零一", 1001),
        ("一万二千", 12000),
        ("二〇二一", 2021),
        ("二○二一", 2021),
        ("1,000", 1000),
        ("２６", 26),
        ("一亿二千万", 120_000_000),
        ("零", 0),
    ],
)
def test_whole_numerals_read_to_their_value(text: str, value: int) -> None:
    assert to_int(text) == value


def test_decimals_keep_their_exact_value() -> None:
    assert to_decimal("3.5") == Decimal("3.5")
    assert to_decimal("1.2") * 100_000_000 == Decimal("120000000")
    assert to_decimal("1,200.50") == Decimal("1200.50")


@pytest.mark.parametrize("text", ["三类", "", "3.5.1", "1,00", "十二个", "二二十"])
def test_what_is_not_a_numeral_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a numeral"):
        to_decimal(text)


def test_a_decimal_is_not_rounded_to_a_whole_number() -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        to_int("3.5")
