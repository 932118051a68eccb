"""kg.pipeline.relate.areas: the items of …、…等领域 enumerations, the first cut from its verb."""
from __future__ import annotations

import pytest

ASTANA = "上海合作组织成员国元首理事会第二十四次会议在阿斯塔纳举行。"
SCO24 = "summit:sco/heads-of-state/24"


def _areas(r) -> list[str]:
    """Area labels in text order, with the text each was read from."""
    facts = sorted(r.find(SCO24, "cooperationArea"), key=lambda f: f.evidence.start)
    out = []
    for f in facts:
        label = r.objects(str(f.object), "label")
        assert r.text[f.evidence.start:f.evidence.end] in label
        out.extend(label)
    return out


@pytest.mark.parametrize("sentence,areas", [
    ("各方同意推动数字经济、电子商务、人工智能等领域合作。", ["数字经济", "电子商务", "人工智能"]),
    ("各方愿深化经贸、能源、交通、农业等领域务实合作。", ["经贸", "能源", "交通", "农业"]),
    ("成员国将加强在安全、经济、人文等重点领域的合作。", ["安全", "经济", "人文"]),
    ("各方同意扩大在绿色发展、新能源、减贫等领域合作。", ["绿色发展", "新能源", "减贫"]),
    ("习近平提出，要拓展卫生、教育、旅游、体育等各领域交流。", ["卫生", "教育", "旅游", "体育"]),
    ("双方在贸易、投资、金融和能源等领域取得进展。", ["贸易", "投资", "金融", "能源"]),
    ("各方愿拓展科技、环保以及维护和平等领域合作。", ["科技", "环保", "维护和平"]),
    ("各方支持在互联互通、产能和投资三大领域开展合作。", ["互联互通", "产能", "投资"]),
    ("各方将深化政治、安全、经济、人文四大重点领域合作。", ["政治", "安全", "经济", "人文"]),
], ids=["known-first-item", "jieba-first-item", "zai-zhongdian", "green-development", "ge-lingyu",
        "he-last-item", "yiji-last-item", "count-san-da", "count-si-da-zhongdian"])
def test_areas_enumeration(run, sentence, areas):
    r = run(ASTANA + sentence)
    assert _areas(r) == areas
    for label in areas:
        assert f"area:{label}" in r.of_class("CooperationArea")


def test_areas_first_item_is_cut_from_its_verb(run):
    r = run(ASTANA + "各方同意进一步推动数字经济、人工智能等领域合作。")
    first = r.find(SCO24, "cooperationArea", "area:数字经济")[0]
    assert r.text[first.evidence.start:first.evidence.end] == "数字经济"
    assert not any("推动" in label for label in r.labels("area"))


def test_areas_word_with_he_is_not_split(run):
    r = run(ASTANA + "各方愿在反恐、维护和平等领域合作。")
    assert _areas(r) == ["反恐", "维护和平"]


@pytest.mark.parametrize("sentence", [
    "会议发表关于能源领域合作、关于数字化转型领域合作的声明。",
    "各方同意在能源领域加强合作。",
    "各方同意加强合作，推动地区繁荣。",
], ids=["document-enumeration", "single-area", "no-lingyu"])
def test_areas_no_enumeration(run, sentence):
    assert run(ASTANA + sentence).of_class("CooperationArea") == set()


def test_areas_without_summit_are_only_mentioned(run):
    r = run("两国同意深化经贸、人文等领域合作。")
    assert r.of_class("CooperationArea") == {"area:经贸", "area:人文"}
    assert not [f for f in r.facts if f.predicate == "cooperationArea"]
    assert r.objects("article:test", "mentions") >= {"area:经贸", "area:人文"}


@pytest.mark.parametrize("text, expected", [
    ("成员国元首见证签署《上海合作组织成员国政府间农业合作协定》。", {"农业"}),
    ("会议批准《金砖国家能源合作路线图》和《金砖国家贸易投资合作纲要》。", {"能源", "投资"}),
    ("会议发表《联合声明》。", set()),
], ids=["agriculture-agreement", "two-titles", "no-field-in-title"])
def test_areas_from_document_titles(run, text, expected):
    assert run(text).labels("area") == expected
