"""Chinese numerals and dates as Party documents write them (届次、轮次用汉字；日期不编虚位)."""

from __future__ import annotations

import datetime as dt

_DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–999)."""
    if not 0 < n < 1000:
        raise ValueError(f"numeral out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        # "十二" not "一十二" when the number is below 20.
        out += ("" if (tens == 1 and not hundreds) else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def date(d: dt.date) -> str:
    """2026-12-01 → 2026年12月1日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def date_range(a: dt.date, b: dt.date) -> str:
    """2026年12月1日至12月30日; the year is repeated only when it changes."""
    if a.year == b.year:
        return f"{date(a)}至{month_day(b)}"
    return f"{date(a)}至{date(b)}"
