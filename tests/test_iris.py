"""kg/iris.py: path segments from labels, bounded."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import iris


@pytest.mark.parametrize("label,expected", [
    ("上海合作组织 Summit", "上海合作组织-summit"),
    ("《2030年前 合作纲要》", "2030年前-合作纲要"),
    ("？？", "x"),
    ("Ｓｃｏ", "sco"),
], ids=["space", "brackets-dropped", "nothing-left", "nfkc"])
def test_slug(label: str, expected: str) -> None:
    assert iris.slug(label) == expected


def test_a_long_label_is_cut_and_stays_distinct() -> None:
    long_a, long_b = "论" * 100_000 + "甲", "论" * 100_000 + "乙"
    assert len(iris.slug(long_a)) == iris.MAX_SLUG
    assert iris.slug(long_a).startswith("论" * 40)
    assert iris.slug(long_a) != iris.slug(long_b)
    exact = "论" * iris.MAX_SLUG
    assert iris.slug(exact) == exact


@settings(max_examples=200, derandomize=True)
@given(st.text(max_size=400))
def test_slugs_are_bounded_and_stable(label: str) -> None:
    out = iris.slug(label)
    assert 1 <= len(out) <= iris.MAX_SLUG
    assert out == iris.slug(label)
    assert "/" not in out and " " not in out
