"""Folding punctuation variants (kg.pipeline.fold): same length, names shown as written."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.model import Doc, Evidence, Fact, Ref, Value
from kg.pipeline.fold import fold, restore_names
from kg.pipeline.normalise import normalise
from kg.pipeline.read import RawArticle


@pytest.mark.parametrize("written,folded", [
    ("第三届中国—北欧国家领导人对话会", "第三届中国-北欧国家领导人对话会"),
    ("中国－北欧", "中国-北欧"),
    ("中国‐北欧", "中国-北欧"),
    ("5月19日上午,国家主席出席(视频)", "5月19日上午，国家主席出席（视频）"),
    ("共有1,000名代表于10:30入场", "共有1,000名代表于10:30入场"),
    ("２０２３年", "2023年"),
    ("秉持「北欧精神」和『互信』", "秉持“北欧精神”和‘互信’"),
    ('提出"绿色走廊"倡议和"数字桥"计划', "提出“绿色走廊”倡议和“数字桥”计划"),
    ("安德森•林德和卡尔・斯文", "安德森·林德和卡尔·斯文"),
    ("上海合作组织峰会。", "上海合作组织峰会。"),
], ids=["em-dash", "fullwidth-hyphen", "hyphen", "ascii-comma-brackets", "numbers-keep-separators",
        "fullwidth-digits", "corner-brackets", "ascii-quotes-alternate", "middle-dots", "unchanged"])
def test_fold(written: str, folded: str) -> None:
    assert fold(written) == folded


@given(st.text())
def test_fold_keeps_length_and_is_idempotent(text: str) -> None:
    once = fold(text)
    assert len(once) == len(text)
    assert fold(once) == once


def test_names_are_shown_as_written() -> None:
    text = "第三届中国—北欧国家领导人对话会在冰城举行。"
    article = normalise(RawArticle("t", Path("t.txt"), text, {}))
    assert article.text.startswith("第三届中国-北欧") and article.own_text == text
    doc = Doc(article)
    summit = Ref("summit", "x")
    name = "第三届中国-北欧国家领导人对话会"
    doc.facts = [Fact(summit, "label", Value(name, lang="zh-Hans"), Evidence(0, len(name), "t")),
                 Fact(summit, "label", Value("组合-名", lang="zh-Hans"), Evidence(0, 3, "t")),
                 Fact(summit, "ordinal", Value("3", "positiveInteger"), Evidence(0, 3, "t"))]
    restore_names(doc)
    assert [f.object.value for f in doc.facts] == [  # type: ignore[union-attr]
        "第三届中国—北欧国家领导人对话会", "组合-名", "3"]
