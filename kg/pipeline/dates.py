"""Chinese date expressions and how their missing year or month is resolved.

A report writes 11月10日 or 10日 and leaves the rest to the reader: the year (and month) come
from an anchor date — the publication date, the dateline, or the date the reference knowledge
gives for the summit — taking the candidate nearest the anchor.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}

NUM = r"[0-9０-９〇零一二两三四五六七八九十百]+"
#: A year as written: 2018, ２０１８ or 二〇一八 (digit by digit).
YEAR = r"[0-9０-９]{4}|[〇零一二三四五六七八九]{4}"

# 2006年6月15日 / 二〇〇六年六月十五日 / 6月15日 / 9月11日至12日 / 6月30日至7月1日 /
# 2018年12月31日至2019年1月2日 / 15日 (day only)
DATE_RE = re.compile(
    rf"(?:(?P<y>{YEAR})年)?(?:(?P<m>{NUM})月)?(?P<d>{NUM})日"
    rf"(?:\s*(?:至|到|—|-|－|～|~)\s*(?:(?P<y2>{YEAR})年)?(?:(?P<m2>{NUM})月)?(?P<d2>{NUM})日)?"
)


def cn_number(text: str) -> int | None:
    """Parse 20, ２０, 二十, 二十一, 一百零五, 十 → int; None when it is not a number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current if text else None


@dataclass(frozen=True)
class DateExpr:
    """A date as written: parts may be missing; ``start``/``end`` are its offsets in the text."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int
    month2: int | None = None
    day2: int | None = None
    year2: int | None = None

    def resolve(self, anchor: dt.date | None, month_anchor: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
        """Start and end dates, completing year and month from the anchors; None if impossible."""
        month = self.month or (month_anchor or anchor).month if (self.month or month_anchor or anchor) else None
        if month is None:
            return None
        first = _complete(self.year, month, self.day, anchor)
        if first is None:
            return None
        if self.day2 is None:
            return first, first
        month2 = self.month2 or month
        year2 = self.year2 or first.year + (1 if month2 < first.month else 0)
        try:
            last = dt.date(year2, month2, self.day2)
        except ValueError:
            return None
        return (first, last) if last >= first else None


def _complete(year: int | None, month: int, day: int, anchor: dt.date | None) -> dt.date | None:
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if anchor is None:
        return None
    candidates = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - anchor).days))


def year_number(text: str) -> int:
    """2018, ２０１８ or 二〇一八 → 2018: a year is read digit by digit."""
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int("".join(str(_CN_DIGITS.get(ch, ch)) for ch in digits))


def find_dates(text: str, offset: int = 0) -> list[DateExpr]:
    """Every date expression in ``text``; offsets are shifted by ``offset``."""
    out = []
    for m in DATE_RE.finditer(text):
        day = cn_number(m.group("d"))
        month = cn_number(m.group("m")) if m.group("m") else None
        if day is None or not 1 <= day <= 31 or (month is not None and not 1 <= month <= 12):
            continue
        if month is None and m.start() > 0 and text[m.start() - 1] in "0123456789０１２３４５６７８９":
            continue
        day2 = cn_number(m.group("d2")) if m.group("d2") else None
        month2 = cn_number(m.group("m2")) if m.group("m2") else None
        out.append(DateExpr(offset + m.start(), offset + m.end(), year_number(m.group("y")) if m.group("y") else None,
                            month, day, month2, day2, year_number(m.group("y2")) if m.group("y2") else None))
    return out


# 今天 / 明天 / 今明两天 … counted from the day the report was filed (its dateline, else its
# publication date).
_RELATIVE_DAYS = {"前天": (-2, -2), "昨天": (-1, -1), "昨日": (-1, -1), "今天": (0, 0), "今日": (0, 0),
                  "当天": (0, 0), "明天": (1, 1), "明日": (1, 1), "后天": (2, 2), "今明两天": (0, 1),
                  "今明两日": (0, 1), "今明": (0, 1)}
RELATIVE_RE = re.compile("|".join(sorted(map(re.escape, _RELATIVE_DAYS), key=len, reverse=True)))


@dataclass(frozen=True)
class RelativeExpr:
    """A day named relative to the filing day (今天, 今明两天); offsets are its span in the text."""

    start: int
    end: int
    first: int  # days after the filing day
    last: int

    def resolve(self, today: dt.date | None) -> tuple[dt.date, dt.date] | None:
        """The days named, counted from ``today``; None without a day to count from, or when they
        fall outside the dates Python can hold (明天 of 9999-12-31)."""
        if today is None:
            return None
        try:
            return today + dt.timedelta(days=self.first), today + dt.timedelta(days=self.last)
        except OverflowError:
            return None


def find_relative(text: str, offset: int = 0) -> list[RelativeExpr]:
    """Every relative day expression in ``text``."""
    return [RelativeExpr(offset + m.start(), offset + m.end(), *_RELATIVE_DAYS[m.group()])
            for m in RELATIVE_RE.finditer(text)]
