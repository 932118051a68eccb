"""kg.pipeline.normalise: one newline convention, NFC, no BOM; metadata into the Article."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.pipeline.normalise import normalise, normalise_text
from kg.pipeline.read import RawArticle


@pytest.mark.parametrize("raw,expected", [
    ("峰会在青岛举行。\r\n习近平出席。", "峰会在青岛举行。\n习近平出席。"),
    ("峰会在青岛举行。\r习近平出席。", "峰会在青岛举行。\n习近平出席。"),
    ("\ufeff新华社北京6月1日电", "新华社北京6月1日电"),
    ("会议在撒马尔罕\uf9f4举行", "会议在撒马尔罕\u6797举行"),  # CJK compatibility ideograph → unified
    ("Montre\u0301al", "Montr\u00e9al"),  # combining accent composed
    ("　　上合组织，“上海精神”（２０２２）", "　　上合组织，“上海精神”（２０２２）"),  # full-width kept
], ids=["crlf", "cr", "bom", "compatibility-ideograph", "combining-accent", "fullwidth-kept"])
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def _raw(text: str, meta: dict[str, object]) -> RawArticle:
    return RawArticle("brics2022", Path("brics2022.txt"), text, meta)


def test_normalise_article_metadata():
    article = normalise(_raw("金砖国家领导人第十四次会晤以视频方式举行。", {
        "published": "2022-06-24", "source": " 人民日报 ", "title": "金砖峰会举行", "url": "https://example.org/a",
    }))
    assert article.id == "brics2022"
    assert article.published == dt.date(2022, 6, 24)
    assert article.source == "人民日报"
    assert article.title == "金砖峰会举行"
    assert article.url == "https://example.org/a"
    assert article.language == "zh-Hans"
    assert article.original_text is None  # nothing changed


@pytest.mark.parametrize("meta", [{}, {"title": "  ", "source": ""}, {"title": None, "published": None}],
                         ids=["empty", "blank-strings", "nulls"])
def test_normalise_article_missing_metadata_is_none(meta):
    article = normalise(_raw("峰会举行。", meta))
    assert (article.title, article.source, article.published, article.url) == (None, None, None, None)


def test_normalise_article_original_text_only_for_a_script_conversion():
    # original_text is the text in its own script with the same offsets (tests/test_script.py),
    # not the text as read: a simplified text is not converted, whatever its meta language says.
    raw = "\ufeff上合组织峰会在阿斯塔纳举行。\r\n各方签署宣言。"
    article = normalise(_raw(raw, {"language": "zh-Hant"}))
    assert article.text == "上合组织峰会在阿斯塔纳举行。\n各方签署宣言。"
    assert article.original_text is None
    assert article.language == "zh-Hant"
