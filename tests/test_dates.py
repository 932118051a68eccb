"""kg.pipeline.dates: Chinese numbers, date expressions and how missing parts are resolved."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.pipeline.dates import DateExpr, cn_number, find_dates, find_relative, year_number

D = dt.date


@pytest.mark.parametrize("text,value", [
    ("20", 20), ("２０", 20), ("十", 10), ("十五", 15), ("二十", 20), ("二十一", 21), ("三十一", 31),
    ("两", 2), ("〇", 0), ("一百零五", 105), ("一百二十", 120), ("十二", 12),
], ids=["ascii", "fullwidth", "ten", "fifteen", "twenty", "twenty-one", "thirty-one", "liang", "ling",
        "hundred-and-five", "hundred-twenty", "twelve"])
def test_dates_cn_number_parses(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize("text", ["", "第五", "五次", "abc"], ids=["empty", "ordinal-prefix", "counter", "latin"])
def test_dates_cn_number_refuses_non_numbers(text):
    assert cn_number(text) is None


@pytest.mark.parametrize("text,value", [("2018", 2018), ("２０２２", 2022), ("二〇二四", 2024), ("二零一八", 2018)],
                         ids=["ascii", "fullwidth", "ling-circle", "ling-char"])
def test_dates_year_number_reads_digit_by_digit(text, value):
    assert year_number(text) == value


@pytest.mark.parametrize("text,parts", [
    ("2018年6月10日", (2018, 6, 10, None, None, None)),
    ("二〇一八年六月十日", (2018, 6, 10, None, None, None)),
    ("２０２２年９月１６日", (2022, 9, 16, None, None, None)),
    ("6月15日", (None, 6, 15, None, None, None)),
    ("十一月二十三日", (None, 11, 23, None, None, None)),
    ("15日", (None, None, 15, None, None, None)),
    ("9月11日至12日", (None, 9, 11, None, 12, None)),
    ("6月30日至7月1日", (None, 6, 30, 7, 1, None)),
    ("10月1日—3日", (None, 10, 1, None, 3, None)),
    ("7月3日到4日", (None, 7, 3, None, 4, None)),
    ("2018年12月31日至2019年1月2日", (2018, 12, 31, 1, 2, 2019)),
], ids=["full", "chinese-numerals-year", "fullwidth", "month-day", "chinese-month-day", "day-only",
        "range-same-month", "range-two-months", "range-dash", "range-dao", "range-two-years"])
def test_dates_find_dates_parts(text, parts):
    exprs = find_dates(f"会议于{text}举行", 100)
    assert len(exprs) == 1
    e = exprs[0]
    assert (e.year, e.month, e.day, e.month2, e.day2, e.year2) == parts
    assert (e.start, e.end) == (103, 103 + len(text))


@pytest.mark.parametrize("text", ["13月2日", "6月32日", "6月0日"], ids=["month-13", "day-32", "day-0"])
def test_dates_find_dates_rejects_impossible(text):
    assert find_dates(text) == []


def test_dates_find_dates_several_in_one_sentence():
    text = "峰会9月15日至16日举行，外长会议已于13日召开。"
    exprs = find_dates(text)
    assert [(e.month, e.day, e.day2) for e in exprs] == [(9, 15, 16), (None, 13, None)]


@pytest.mark.parametrize("text,anchor,expected", [
    ("6月10日", D(2018, 6, 11), (D(2018, 6, 10), D(2018, 6, 10))),
    ("9月11日至12日", D(2014, 9, 13), (D(2014, 9, 11), D(2014, 9, 12))),
    ("6月30日至7月1日", D(2022, 7, 2), (D(2022, 6, 30), D(2022, 7, 1))),
    # year boundary: a report of 2 January about 31 December writes no year
    ("12月31日", D(2019, 1, 2), (D(2018, 12, 31), D(2018, 12, 31))),
    # a report of late December about a meeting on 3 January
    ("1月3日", D(2023, 12, 28), (D(2024, 1, 3), D(2024, 1, 3))),
    ("12月30日至1月2日", D(2021, 1, 3), (D(2020, 12, 30), D(2021, 1, 2))),
    # the written year wins over the anchor
    ("2022年9月16日", D(2024, 7, 5), (D(2022, 9, 16), D(2022, 9, 16))),
    ("二〇二二年九月十五日至十六日", D(2024, 7, 5), (D(2022, 9, 15), D(2022, 9, 16))),
], ids=["same-year", "range", "range-two-months", "year-boundary-back", "year-boundary-forward",
        "range-over-new-year", "written-year", "written-year-chinese-range"])
def test_dates_resolve_year_from_anchor(text, anchor, expected):
    (expr,) = find_dates(text)
    assert expr.resolve(anchor) == expected


@pytest.mark.parametrize("text,anchor,month_anchor,expected", [
    ("15日", D(2018, 6, 16), None, D(2018, 6, 15)),
    # the dateline's month (月份 from 新华社青岛6月10日电) wins over the publication month
    ("10日", D(2018, 7, 2), D(2018, 6, 10), D(2018, 6, 10)),
    # December dateline, January publication: the year comes from the nearest candidate
    ("31日", D(2019, 1, 2), D(2018, 12, 31), D(2018, 12, 31)),
], ids=["publication-month", "dateline-month", "dateline-month-over-new-year"])
def test_dates_resolve_day_only_by_month_anchor(text, anchor, month_anchor, expected):
    (expr,) = find_dates(text)
    assert expr.resolve(anchor, month_anchor) == (expected, expected)


def test_dates_resolve_day_only_range_by_month_anchor():
    (expr,) = find_dates("4日至5日")
    assert expr.resolve(D(2024, 7, 6), D(2024, 7, 4)) == (D(2024, 7, 4), D(2024, 7, 5))


@pytest.mark.parametrize("expr,anchor", [
    (DateExpr(0, 3, None, None, 15), None),  # no anchor at all
    (DateExpr(0, 4, None, 6, 15), None),  # month and day but no year and no anchor
    (DateExpr(0, 5, None, 2, 30), D(2020, 2, 1)),  # no such day in any year
    (DateExpr(0, 8, None, 9, 12, None, 11), D(2014, 9, 1)),  # range that ends before it starts
], ids=["no-anchor", "no-year", "february-30", "backwards-range"])
def test_dates_resolve_impossible_is_none(expr, anchor):
    assert expr.resolve(anchor) is None


def test_dates_resolve_february_29_takes_leap_year():
    (expr,) = find_dates("2月29日")
    assert expr.resolve(D(2021, 3, 1)) == (D(2020, 2, 29), D(2020, 2, 29))


@pytest.mark.parametrize("text, today, expected", [
    ("今天上午峰会开幕", dt.date(2018, 6, 9), (dt.date(2018, 6, 9), dt.date(2018, 6, 9))),
    ("明天将举行大范围会谈", dt.date(2018, 6, 9), (dt.date(2018, 6, 10), dt.date(2018, 6, 10))),
    ("昨日闭幕", dt.date(2018, 1, 1), (dt.date(2017, 12, 31), dt.date(2017, 12, 31))),
    ("今明两天，各国领导人将齐聚青岛", dt.date(2018, 6, 9), (dt.date(2018, 6, 9), dt.date(2018, 6, 10))),
], ids=["today", "tomorrow", "yesterday-over-new-year", "today-and-tomorrow"])
def test_dates_relative_days(text, today, expected):
    (expr,) = find_relative(text)
    assert expr.resolve(today) == expected
    assert expr.resolve(None) is None


@pytest.mark.parametrize("text, today", [
    ("明天将举行大范围会谈", dt.date(9999, 12, 31)),
    ("后天闭幕", dt.date(9999, 12, 30)),
    ("前天开幕", dt.date(1, 1, 2)),
], ids=["tomorrow-of-the-last-day", "day-after-tomorrow", "day-before-yesterday-of-year-1"])
def test_dates_relative_days_beyond_the_calendar_are_none(text, today):
    """No OverflowError: a day Python's calendar cannot hold is no date (issue 8)."""
    (expr,) = find_relative(text)
    assert expr.resolve(today) is None


@pytest.mark.parametrize("text, anchor, expected", [
    ("12月31日至1月2日", D(9999, 12, 1), None),  # the end would fall in year 10000
    ("1月2日", D(9999, 12, 31), (D(9999, 1, 2), D(9999, 1, 2))),  # not in year 10000, the nearest
    ("12月30日", D(1, 1, 1), (D(1, 12, 30), D(1, 12, 30))),  # not in year 0, the nearest
], ids=["range-into-year-10000", "next-year-10000", "previous-year-0"])
def test_dates_resolve_at_the_ends_of_the_calendar(text, anchor, expected):
    (expr,) = find_dates(text)
    assert expr.resolve(anchor) == expected
