"""kg.pipeline.relate.meetings: meeting names by their shape, on sentences written for the tests
(invented mechanisms and places)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import Doc
from kg.pipeline.normalise import normalise
from kg.pipeline.read import RawArticle
from kg.pipeline.relate.meetings import MeetingName
from kg.pipeline.segment import split_sentences


@pytest.fixture(scope="module")
def find(pipeline):  # type: ignore[no-untyped-def]
    from kg.pipeline.relate.summits import SummitRule

    rule = next(stage for stage in pipeline.stages if isinstance(stage, SummitRule))

    def _find(text: str) -> list[MeetingName]:
        article = normalise(RawArticle("t", Path("t.txt"), text, {}))
        doc = Doc(article, sentences=split_sentences(article.text))
        pipeline.recogniser(doc)
        return rule.finder.find(doc)

    return _find


@pytest.mark.parametrize("sentence,label,ordinal,council,relation", [
    ("第三届中国—北欧国家领导人对话会12日在冰城举行。", "第三届中国-北欧国家领导人对话会", 3, "leaders", "this"),
    ("东海国家联盟领导人第五次会晤在冰城举行。", "东海国家联盟领导人第五次会晤", 5, "leaders", "this"),
    ("首届南洋-中亚峰会开幕。", "首届南洋-中亚峰会", 1, None, "this"),
    ("南洋合作组织（以下简称“南合组织”）成员国外长理事会第六次会议举行。", "南洋合作组织成员国外长理事会第六次会议", 6,
     "foreign-ministers", "this"),
    ("南洋合作组织成员国政府首脑（总理）理事会第二次会议举行。",
     "南洋合作组织成员国政府首脑（总理）理事会第二次会议", 2, "heads-of-government", "this"),
    ("各国代表出席新兴市场国家与发展中国家对话会。", "新兴市场国家与发展中国家对话会", None, None, "this"),
    ("与会各方回顾冰城峰会成果。", "冰城峰会", None, None, "this"),
    ("下次会议将于2030年在冰城举行。", "下次会议", None, None, "next"),
    ("明年峰会将在冰城举行。", "明年峰会", None, None, "next"),
    ("东海国家联盟领导人第0次会晤在冰城举行。", "东海国家联盟领导人第0次会晤", None, "leaders", "this"),
    ("第零届南洋-中亚峰会开幕。", "南洋-中亚峰会", None, None, "this"),
], ids=["ordinal-first", "ordinal-inside", "first-edition", "aside-skipped", "council-with-bracket",
        "conjunction-inside", "verb-trimmed-place", "next-meeting", "next-year", "zeroth-is-no-ordinal",
        "zeroth-first-is-no-ordinal"])
def test_meeting_names(find, sentence: str, label: str, ordinal: int | None, council: str | None,
                       relation: str) -> None:
    found = find(sentence)
    assert [(m.label, m.ordinal, m.council, m.relation) for m in found] == [(label, ordinal, council, relation)]


def test_two_meetings_joined_by_and(find) -> None:  # type: ignore[no-untyped-def]
    found = find("各方出席东海国家联盟领导人第五次会晤和新兴市场国家与发展中国家对话会。")
    assert [m.label for m in found] == ["东海国家联盟领导人第五次会晤", "新兴市场国家与发展中国家对话会"]


@pytest.mark.parametrize("sentence", [
    "习近平同来访的总统举行会晤。",
    "中俄元首会晤取得成果。",
    "峰会取得圆满成功。",
    "他在记者会上回答提问。",
    "各方出席南洋合作组织工商论坛会议。",
    "这次会议很重要。",
], ids=["bilateral-talks", "two-states", "back-reference", "press-conference", "body-of-a-mechanism", "determiner"])
def test_not_meeting_names(find, sentence: str) -> None:
    assert find(sentence) == []


def test_reporters_in_a_dateline_are_not_part_of_the_name(find) -> None:  # type: ignore[no-untyped-def]
    found = find("新华网冰城7月4日电（记者王小明）东海国家联盟成员国元首理事会第二次会议4日在冰城举行。")
    assert [m.label for m in found] == ["东海国家联盟成员国元首理事会第二次会议"]


@pytest.mark.parametrize("sentence,label", [
    ("5年前，他首次出席冰城峰会。", "冰城峰会"),
    ("三年前的东海国家联盟峰会也在这里举行。", "东海国家联盟峰会"),
], ids=["years-ago", "years-ago-chinese-numeral"])
def test_meetings_years_ago_are_past_meetings(find, sentence: str, label: str) -> None:
    assert [(m.label, m.relation) for m in find(sentence)] == [(label, "previous")]


@pytest.mark.parametrize("sentence,label,ordinal", [
    ("同日，第九次南海国家与中日韩（10+3）领导人会议在冰城举行。", "第九次南海国家与中日韩（10+3）领导人会议", 9),
    ("第四届东洋（G8）峰会开幕。", "第四届东洋（G8）峰会", 4),
    ("第七次中日东洋国家领导人会议在冰城举行。", "第七次中日东洋国家领导人会议", 7),
], ids=["bracketed-abbreviation", "bracketed-letters", "ri-inside-a-list-of-states"])
def test_meeting_names_with_abbreviations_and_state_lists(find, sentence: str, label: str, ordinal: int) -> None:
    assert [(m.label, m.ordinal) for m in find(sentence)] == [(label, ordinal)]


@pytest.mark.parametrize("sentence", [
    "26日会议在冰城举行。",
    "同日会晤在冰城举行。",
], ids=["date-ends-name", "same-day-ends-name"])
def test_time_words_still_end_names(find, sentence: str) -> None:
    assert find(sentence) == []
