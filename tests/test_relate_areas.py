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
    "各方同意加强合作，推动地区繁荣。",
], ids=["no-lingyu"])
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


@pytest.mark.parametrize("repeated,expected", [("合作", {"农业"}), ("上海合作组织", set())],
                         ids=["hezuo", "organisation-names"])
def test_areas_long_document_title_is_read_in_linear_time(run, repeated, expected):
    """A 《…》 of 60,000 characters: each 合作 in it looks back at most 7 characters, and names are
    looked up by binary search (it took minutes, quadratic in the length of the title)."""
    import time

    started = time.monotonic()
    r = run(f"成员国元首见证签署《上海合作组织成员国政府间农业{repeated * (60_000 // len(repeated))}合作协定》。")
    assert time.monotonic() - started < 30
    assert expected <= r.labels("area")  # 农业 before the first 合作, as in a title of usual length
    assert expected or not r.labels("area")  # 合作 inside a name is no field's


# Single fields and other shapes of convention 6. Invented sentences.
@pytest.mark.parametrize("sentence,expected", [
    ("各方同意深化海洋合作，增进互信。", {"海洋"}),
    ("领导人共商防灾减灾合作大计。", {"防灾减灾"}),
    ("各方决心深化本组织执法安全合作。", {"执法安全"}),
    ("会议讨论了加强上海合作组织框架内经贸和人文合作的问题。", {"经贸", "人文"}),
    ("各方表示将深化极地合作和海洋科研合作。", {"极地", "海洋科研"}),
    ("各方愿在极地科研、航运便利化方面迈出更大步伐。", {"极地科研", "航运便利化"}),
    ("各方将在成员国海洋科研、渔业养护方面加强协调。", {"海洋科研", "渔业养护"}),
    ("各方同意在能源领域加强合作。", {"能源"}),
    ("会议发表关于能源领域合作、关于数字化转型领域合作的声明。", {"能源", "数字化转型"}),
    ("成员国元首签署《北欧国家间极地合作协定》和海关合作协议。", {"极地", "海关"}),
], ids=["single-field", "gongshang-daji", "owner-benzuzhi", "framework-a-he-b", "a-hezuo-he-b-hezuo",
        "zai-fangmian", "zai-fangmian-owner", "zai-lingyu", "lingyu-hezuo-in-document", "hezuo-in-document-names"])
def test_areas_other_shapes(run, sentence, expected):
    assert run(ASTANA + sentence).labels("area") == expected


@pytest.mark.parametrize("sentence", [
    "各方同意深化务实合作，加强区域合作，扩大国际合作。",
    "该组织已成长为20国参与、在40多个领域开展合作的区域组织。",
    "各方赞赏主席国为推动完善组织运作机制、深化各领域合作作出的努力。",
    "各方同意为加强伙伴关系、深化各领域务实合作规划新蓝图。",
    "中方愿推动上海合作组织建设，深化南南合作。",
    "各方愿在促进不同文明对话方面发挥作用。",
    "会议重申恪守《北欧国家长期睦邻友好合作条约》。",
    "各方宣布设立海洋合作中心和极地合作奖。",
], ids=["qualifiers-only", "verb-and-number-items", "verb-items", "partnership-and-verb", "org-name-and-nannan",
        "fangmian-verb-phrase", "friendship-treaty", "institution-and-prize"])
def test_areas_not_fields(run, sentence):
    assert run(ASTANA + sentence).labels("area") == set()


@pytest.mark.parametrize("sentence", [
    "各方规划了具体合作，推动组织建设和合作取得成果。",
    "会议通过《上海合作组织成员国元首理事会关于海洋事务的声明》。",
], ids=["adjective-and-join", "council-name"])
def test_areas_adjectives_joins_and_names(run, sentence):
    assert run(ASTANA + sentence).labels("area") == set()


@pytest.mark.parametrize("sentence,expected", [
    ("元首们签署了禁毒合作协议。", {"禁毒"}),
    ("各方同意深化防疫合作。", {"防疫"}),
    ("各方反对将合作政治化。", set()),
], ids=["jindu-in-document", "fangyi-single", "fandui-is-no-field"])
def test_areas_fields_named_by_what_they_fight(run, sentence, expected):
    assert run(ASTANA + sentence).labels("area") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("各方同意推进澜沧合作走深走实。", set()),
    ("各方愿深化北欧合作。", set()),
    ("各方同意推进边境控疫合作。", set()),
    ("各方同意深化海洋合作。", {"海洋"}),
], ids=["mechanism-abbreviation", "place-name", "single-characters", "known-field"])
def test_areas_single_field_is_a_word(run, sentence, expected):
    assert run(ASTANA + sentence).labels("area") == expected


@pytest.mark.parametrize("text, expected", [
    ("会议通过了《北欧与中日韩粮食安全合作行动计划》。", {"粮食安全"}),
    ("各方签署《北欧国家政府间科技合作协定》。", {"科技"}),
], ids=["noun-before-known-field", "owner-before-known-field"])
def test_areas_document_title_field_with_its_noun(run, text, expected):
    assert run(text).labels("area") == expected


# A known field at the end of the first item of an enumeration takes the noun before it; the
# parties of a mechanism's own cooperation are no field. Invented sentences.
@pytest.mark.parametrize("sentence,expected", [
    ("各方同意在跨境贸易、冰雪旅游等领域加强合作。", {"跨境贸易", "冰雪旅游"}),
    ("两国愿在服务贸易、海洋等领域开展合作。", {"服务贸易", "海洋"}),
    ("各方同意在成员国贸易、投资等领域合作。", {"贸易", "投资"}),
    ("各方同意推动能源、交通等领域合作。", {"能源", "交通"}),
], ids=["noun-modifier", "vn-modifier", "owner-is-no-modifier", "verb-is-no-modifier"])
def test_areas_first_item_keeps_its_modifier(run, sentence, expected):
    assert run(ASTANA + sentence).labels("area") == expected


@pytest.mark.parametrize("text,expected", [
    ("会议发表《中国—雪原国家合作松城纲要》。", set()),
    ("双方同意深化中国—雪原地区合作，拓展能源合作。", {"能源"}),
    ("会议通过《雪原—中国合作行动计划》。", set()),
    ("各方愿加强沿线各国合作，深化农业合作。", {"农业"}),
    ("会议发表《中国—雪原国家农业合作纲要》。", {"农业"}),
], ids=["group-of-states-in-title", "region-after-dash", "party-before-dash", "group-noun-single",
        "field-after-parties"])
def test_areas_parties_are_no_field(run, text, expected):
    assert run(text).labels("area") == expected
