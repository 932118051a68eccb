"""kg.pipeline.recognise: leftmost-longest gazetteer matching of names, titles and blockers."""
from __future__ import annotations

import pytest

from kg.model import Article, Doc


@pytest.fixture(scope="module")
def match(pipeline):
    def _match(text: str) -> list[tuple[str, str, str | None]]:
        return [(m.kind, m.text, str(m.ref) if m.ref else None) for m in pipeline.recogniser.match(text)]
    return _match


@pytest.mark.parametrize("text,expected", [
    ("俄罗斯总统普京抵达青岛", [("state", "俄罗斯", "state:RU"), ("post", "总统", "post:总统"),
                           ("person", "普京", "person:普京"), ("city", "青岛", "city:青岛")]),
    ("印度总理莫迪出席会议", [("state", "印度", "state:IN"), ("post", "总理", "post:总理"),
                         ("person", "莫迪", "person:莫迪")]),
    ("国家主席习近平在阿斯塔纳", [("post", "国家主席", "post:国家主席"), ("person", "习近平", "person:习近平"),
                              ("city", "阿斯塔纳", "city:阿斯塔纳")]),
    ("外交部副部长向记者介绍", [("org", "外交部", "org:cn-mfa"), ("post", "副部长", "post:副部长"),
                           ("post", "记者", "post:记者")]),
    ("中方支持金砖国家扩员", [("state", "中方", "state:CN"), ("org", "金砖国家", "org:brics")]),
    ("中华人民共和国主席", [("state", "中华人民共和国", "state:CN"), ("post", "主席", "post:主席")]),
], ids=["state-title", "prime-minister", "known-person-and-city", "ministry-vice-minister", "x-fang-and-org",
        "official-state-name"])
def test_recognise_names_and_titles(match, text, expected):
    assert match(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("上海合作组织地区反恐怖机构执委会主任", [("org", "上海合作组织地区反恐怖机构", "org:sco-rats"),
                                  ("post", "执委会主任", "post:执委会主任")]),
    ("沙特阿拉伯王储兼首相", [("state", "沙特阿拉伯", "state:SA"), ("post", "王储兼首相", "post:王储兼首相")]),
    ("二十国集团领导人峰会", [("org", "二十国集团", "org:g20")]),
], ids=["body-before-organization", "compound-title", "g20"])
def test_recognise_longest_match_wins(match, text, expected):
    assert match(text) == expected


@pytest.mark.parametrize("text", ["哈萨克斯坦作为轮值主席国主持会议", "会后举行记者会", "成员国国家元首出席"],
                         ids=["chair-state-not-post", "press-conference-not-reporter", "head-of-state-word"])
def test_recognise_blockers_hide_titles(match, text):
    assert all(kind != "post" for kind, _, _ in match(text))


def test_recognise_council_is_a_unit(match):
    assert match("元首理事会会议") == [("unit", "元首理事会", "org:sco-chs")]


def test_recognise_state_wins_over_title_of_the_same_form(match):
    """苏丹 is a state and a monarch's title; the state reading is taken."""
    assert match("苏丹总统")[0] == ("state", "苏丹", "state:SD")


def test_recognise_stage_adds_sorted_mentions(pipeline):
    text = "巴西总统卢拉和南非总统拉马福萨出席金砖国家领导人第十五次会晤。"
    doc = pipeline.recogniser(Doc(Article("t", text)))
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)
    assert [(m.kind, m.text) for m in doc.mentions if m.kind != "post"] == [
        ("state", "巴西"), ("person", "卢拉"), ("state", "南非"), ("person", "拉马福萨"), ("org", "金砖国家")]
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text


# -- names by shape (sentences written for the tests; names invented) ----------------------------
@pytest.mark.parametrize("text,title", [
    ("挪威第一副首相", "第一副首相"),
    ("智利代理总统", "代理总统"),
    ("芬兰政府总理", "政府总理"),
    ("国务委员兼外长", "国务委员兼外长"),
    ("秘鲁总统夫人", "总统夫人"),
    ("秘鲁总统特使", "总统特使"),
    ("巴西财政部长", "财政部长"),
    ("各代表团团长", "代表团团长"),
], ids=["first-deputy", "acting", "government-body", "jian-compound", "spouse", "envoy", "ministry-chang",
        "delegation-head"])
def test_recognise_title_shapes(match, text, title):
    posts = [written for kind, written, _ in match(text) if kind == "post"]
    assert posts == [title]
    assert all(kind != "org" for kind, _, _ in match(text))  # 财政部 of 财政部长 is no ministry of China


def test_recognise_title_body_after_an_organization(match):
    assert match("上合组织青年委员会理事会轮值主席") == [
        ("org", "上合组织青年委员会", "org:上合组织青年委员会"), ("post", "理事会轮值主席", "post:理事会轮值主席")]


@pytest.mark.parametrize("text,org", [
    ("东盟青年企业家联合会主席", "东盟青年企业家联合会"),
    ("上合组织银行联合体", "上合组织银行联合体"),
    ("会议由东盟、南方林业合作委员会、非盟共同主办", "南方林业合作委员会"),
    ("支持各国高校加入“北方港口城市联盟”", "北方港口城市联盟"),
], ids=["parent-body", "parent-body-longest", "listed", "quoted"])
def test_recognise_organization_shapes(match, text, org):
    assert ("org", org, f"org:{org}") in match(text)


@pytest.mark.parametrize("text", [
    "上合组织框架内的合作机构",
    "上合组织常设机构负责人列席会议",
    "各方支持“开放包容”理念",
], ids=["function-word-inside", "generic-bodies", "quoted-no-body"])
def test_recognise_no_organization_without_a_name(match, text):
    assert [w for kind, w, _ in match(text) if kind == "org"] in ([], ["上合组织"])


def test_recognise_title_info_from_the_head(pipeline):
    info = pipeline.recogniser.title_info
    assert (info("代理总统").kind, info("代理总统").leader) == ("head_of_state", True)
    assert (info("第一副总统").kind, info("第一副总统").leader) == ("official", False)
    assert info("总统夫人").kind == "spouse" and info("总统夫人").state is None
    assert info("国务委员兼外长").state == "CN"
    assert info("理事会轮值主席").kind == "head_of_state"


@pytest.mark.parametrize("text,title", [
    ("国家副主席韩冰出席", "国家副主席"),
    ("国家代理主席韩冰出席", "国家代理主席"),
], ids=["deputy-inside-listed-title", "acting-inside-listed-title"])
def test_recognise_modifier_inside_a_listed_title(match, text, title):
    assert [written for kind, written, _ in match(text) if kind == "post"] == [title]


def test_title_info_of_a_modified_listed_title_keeps_its_state(pipeline):
    from kg.pipeline.recognise import TitleInfo

    info = TitleInfo(pipeline.lexicon)("国家副主席")
    assert info is not None and (info.state, info.leader) == ("CN", False)
