"""kg.pipeline.relate.summits: full names, aliases, date, format, chair state and city."""
from __future__ import annotations

import pytest

QINGDAO = "summit:sco/heads-of-state/18"
ASTANA = "summit:sco/heads-of-state/24"


@pytest.mark.parametrize("name,summit,org,ordinal,series", [
    ("上海合作组织成员国元首理事会第十八次会议", QINGDAO, "org:sco", "18", "series:sco/heads-of-state"),
    ("上合组织成员国元首理事会第二十二次会议", "summit:sco/heads-of-state/22", "org:sco", "22",
     "series:sco/heads-of-state"),
    ("上海合作组织成员国元首理事会第18次会议", QINGDAO, "org:sco", "18", "series:sco/heads-of-state"),
    ("上海合作组织成员国政府首脑（总理）理事会第二十二次会议", "summit:sco/heads-of-government/22", "org:sco", "22",
     "series:sco/heads-of-government"),
    ("金砖国家领导人第十四次会晤", "summit:brics/leaders/14", "org:brics", "14", "series:brics/leaders"),
    ("亚洲相互协作与信任措施会议第六次峰会", "summit:cica/heads-of-state/6", "org:cica", "6",
     "series:cica/heads-of-state"),
    ("二十国集团领导人第十七次峰会", "summit:g20/leaders/17", "org:g20", "17", "series:g20/leaders"),
    ("第二届中国－中亚峰会", "summit:china-central-asia/heads-of-state/2", "org:china-central-asia", "2",
     "series:china-central-asia/heads-of-state"),
    ("首届中国-中亚峰会", "summit:china-central-asia/heads-of-state/1", "org:china-central-asia", "1",
     "series:china-central-asia/heads-of-state"),
], ids=["sco-18", "sco-short-org-name", "sco-arabic-ordinal", "sco-heads-of-government", "brics-14", "cica-6",
        "g20-17", "china-central-asia-second", "china-central-asia-first"])
def test_summits_full_name(run, name, summit, org, ordinal, series):
    r = run(f"{name}在阿斯塔纳举行。")
    assert r.objects("article:test", "about") == {summit}
    assert r.objects(summit, "organizer") == {org}
    assert r.objects(summit, "ordinal") == {ordinal}
    assert r.objects(summit, "inSeries") == {series}
    assert r.evidence("article:test", "about") == name
    assert r.doc.context["summit"].key == summit.split(":", 1)[1]


def test_summits_known_summit_name_is_an_alias(run):
    """A summit of the reference knowledge keeps its label there; the written name is an alias."""
    r = run("上合组织成员国元首理事会第十八次会议在青岛举行。")
    assert r.objects(QINGDAO, "alias") == {"上合组织成员国元首理事会第十八次会议"}
    assert r.objects(QINGDAO, "label") == set()


def test_summits_unknown_summit_gets_label_and_series(run):
    r = run("亚洲相互协作与信任措施会议第六次峰会在阿斯塔纳举行。")
    summit = "summit:cica/heads-of-state/6"
    assert r.objects(summit, "label") == {"亚洲相互协作与信任措施会议第六次峰会"}
    assert r.objects(summit, "inSeries") == {"series:cica/heads-of-state"}


def test_summits_first_full_name_is_the_main_one(run):
    r = run("上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。"
            "上海合作组织成员国元首理事会第二十三次会议曾以视频方式举行。",
            {"published": "2024-07-05"})
    assert r.objects("article:test", "about") == {ASTANA}
    assert r.objects("article:test", "mentions") >= {"summit:sco/heads-of-state/23"}
    assert r.objects(ASTANA, "startDate") == {"2024-07-04"}


@pytest.mark.parametrize("written,alias", [
    ("（以下简称“青岛峰会”）", "青岛峰会"),
    ("（以下简称峰会）", "峰会"),
    ("(简称“上合峰会”)", "上合峰会"),
    ("（下称“峰会”）", "峰会"),
], ids=["quoted", "unquoted", "jiancheng-ascii-brackets", "xiacheng"])
def test_summits_defined_alias(run, written, alias):
    r = run(f"上海合作组织成员国元首理事会第十八次会议{written}10日在青岛举行。", {"published": "2018-06-11"})
    assert alias in r.objects(QINGDAO, "alias")
    found = [f for f in r.find(QINGDAO, "alias", alias) if f.evidence.rule == "summit-alias-defined"]
    assert r.text[found[0].evidence.start:found[0].evidence.end] == alias


# -- date -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,meta,start,end,written", [
    ("新华社青岛6月10日电 国家主席习近平10日在青岛主持上海合作组织成员国元首理事会第十八次会议。",
     {"published": "2018-06-11", "source": "新华社"}, "2018-06-10", "2018-06-10", "10日"),
    ("上海合作组织成员国元首理事会第十八次会议6月9日至10日在青岛举行。", {"published": "2018-06-11"},
     "2018-06-09", "2018-06-10", "6月9日至10日"),
    # no publication date: the reference knows the summit, so its date anchors year and month
    ("上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。", {}, "2024-07-04", "2024-07-04", "4日"),
    ("金砖国家领导人第十六次会晤10月22日至24日在喀山举行。", {}, "2024-10-22", "2024-10-24", "10月22日至24日"),
    # a founding date written in the text does not anchor the summit's day
    ("上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。2001年6月15日，上海合作组织在上海宣告成立。", {},
     "2024-07-04", "2024-07-04", "4日"),
    # unknown summit, no publication date: the year written in the text
    ("二十国集团领导人第十七次峰会2022年11月15日至16日在巴厘岛举行。", {}, "2022-11-15", "2022-11-16",
     "2022年11月15日至16日"),
    # day-only date resolved by the dateline's month; a new year between summit and publication
    ("新华社北京12月31日电 上海合作组织成员国元首理事会第三十次会议31日举行。", {"published": "2031-01-02"},
     "2030-12-31", "2030-12-31", "31日"),
], ids=["dateline-and-day", "range-with-published", "known-summit-no-published", "known-brics-range",
        "founding-date-ignored", "unknown-summit-written-year", "year-boundary"])
def test_summits_date(run, text, meta, start, end, written):
    r = run(text, meta)
    summit = next(iter(r.objects("article:test", "about")))
    assert r.objects(summit, "startDate") == {start}
    assert r.objects(summit, "endDate") == {end}
    assert r.evidence(summit, "startDate") == written


def test_summits_no_date_without_anchor(run):
    """An unknown summit, no publication date and no year: the day cannot be placed."""
    r = run("二十国集团领导人第十七次峰会15日至16日在巴厘岛举行。")
    assert r.objects("summit:g20/leaders/17", "startDate") == set()


def test_summits_date_of_side_event_is_skipped(run):
    r = run("上海合作组织成员国元首理事会第十八次会议欢迎宴会9日晚举行。会议10日在青岛举行。",
            {"published": "2018-06-11"})
    assert r.objects(QINGDAO, "startDate") == {"2018-06-10"}


# -- format -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,cue", [
    ("上海合作组织成员国元首理事会第三十次会议10日以视频方式举行。", "以视频方式举行"),
    ("上海合作组织成员国元首理事会第三十次会议10日以视频会议形式举行。", "以视频会议形式举行"),
    ("上海合作组织成员国元首理事会第三十次会议10日通过线上方式举行。", "通过线上方式举行"),
    ("上海合作组织成员国元首理事会第三十次会议10日举行。这次视频峰会成果丰硕。", "视频峰会"),
], ids=["shipin-fangshi", "shipin-huiyi-xingshi", "xianshang", "shipin-fenghui"])
def test_summits_video_format(run, text, cue):
    r = run(text, {"published": "2030-06-11"})
    summit = "summit:sco/heads-of-state/30"
    assert r.objects(summit, "format") == {"format:video"}
    assert r.evidence(summit, "format") == cue


def test_summits_in_person_by_default_is_inferred(run):
    r = run("上海合作组织成员国元首理事会第三十次会议10日在塔什干举行。习近平在会上发表视频讲话。")
    (fact,) = r.find("summit:sco/heads-of-state/30", "format")
    assert fact.object.key == "in_person"
    assert fact.basis == "inferred"


def test_summits_known_format_is_not_guessed(run):
    """The reference knows the format of the 14th BRICS summit: no default is written."""
    r = run("金砖国家领导人第十四次会晤23日举行。")
    assert r.objects("summit:brics/leaders/14", "format") == set()


# -- chair and city --------------------------------------------------------------------------
@pytest.mark.parametrize("text,state,evidence", [
    ("金砖国家领导人第十四次会晤23日举行。轮值主席国中国主持会晤。", "state:CN", "轮值主席国中国"),
    ("金砖国家领导人第十四次会晤23日举行，会议由主席国中国主持。", "state:CN", "主席国中国"),
    ("上海合作组织成员国元首理事会第二十四次会议4日举行。哈萨克斯坦作为轮值主席国主持会议。", "state:KZ",
     "哈萨克斯坦作为轮值主席国"),
    ("二十国集团领导人第十七次峰会在巴厘岛举行。印度尼西亚作为二十国集团主席国主持会议。", "state:ID",
     "印度尼西亚作为二十国集团主席国"),
    ("上海合作组织成员国元首理事会第十九次会议在比什凯克举行。各方赞赏吉尔吉斯斯坦担任轮值主席国期间所做工作。",
     "state:KG", "吉尔吉斯斯坦担任轮值主席国"),
], ids=["rotating-chair-x", "chair-x", "x-as-rotating-chair", "x-as-g20-chair", "x-holds-chair"])
def test_summits_chair_state(run, text, state, evidence):
    r = run(text)
    summit = next(iter(r.objects("article:test", "about")))
    assert r.objects(summit, "chairState") == {state}
    assert r.evidence(summit, "chairState") == evidence


@pytest.mark.parametrize("text", [
    "上海合作组织成员国元首理事会第十九次会议在比什凯克举行。会议决定，印度将担任下一任轮值主席国。",
    "上海合作组织成员国元首理事会第十九次会议在比什凯克举行。各方欢迎下任主席国俄罗斯举办下次会议。",
    "上海合作组织成员国元首理事会第十九次会议在比什凯克举行。习近平主席作为主席国领导人出席。",
], ids=["next-chair-before", "next-chair-after", "no-state"])
def test_summits_no_chair_state(run, text):
    assert run(text).objects("summit:sco/heads-of-state/19", "chairState") == set()


@pytest.mark.parametrize("text,city", [
    ("上海合作组织成员国元首理事会第二十二次会议16日在撒马尔罕举行。", "city:撒马尔罕"),
    ("亚洲相互协作与信任措施会议第六次峰会10月13日在哈萨克斯坦首都阿斯塔纳举行。", "city:阿斯塔纳"),
    ("金砖国家领导人第十五次会晤在约翰内斯堡隆重开幕。", "city:约翰内斯堡"),
], ids=["zai-city-juxing", "capital-city", "kaimu"])
def test_summits_city(run, text, city):
    r = run(text)
    summit = next(iter(r.objects("article:test", "about")))
    assert r.objects(summit, "city") == {city}
    assert r.evidence(summit, "city") == city.split(":")[1]


def test_summits_city_needs_a_verb_of_holding(run):
    r = run("上海合作组织成员国元首理事会第二十二次会议16日举行。习近平在撒马尔罕会见各国领导人。")
    assert r.objects("summit:sco/heads-of-state/22", "city") == set()


def test_summits_back_references_point_to_the_main_summit(run):
    r = run("上海合作组织成员国元首理事会第十八次会议在青岛举行。本次峰会通过了宣言。"
            "与会领导人表示，此次会议意义重大。")
    aliases = [m for m in r.doc.mentions if m.kind == "summit" and m.rule == "summit-alias"]
    assert [m.text for m in aliases] == ["本次峰会", "此次会议"]
    assert {m.ref.key for m in aliases} == {"sco/heads-of-state/18"}


def test_summits_named_without_ordinal_or_date_is_the_reports_own(run):
    """No ordinal, no date, no year: still a meeting of the organization, the report's own."""
    r = run("上合组织峰会在青岛举行，各方表示支持。")
    (summit,) = r.objects("article:test", "about")
    assert summit == "summit:sco/heads-of-state/article-test"
    assert r.objects(summit, "organizer") == {"org:sco"}
    assert r.objects(summit, "city") == {"city:青岛"}


def test_summits_qingdao_facts_as_tuples(facts, run):
    text = "新华社青岛6月10日电 上海合作组织成员国元首理事会第十八次会议6月10日在青岛举行。"
    meta = {"published": "2018-06-11", "source": "新华社"}
    found = facts(text, meta)
    assert {(QINGDAO, "startDate", "2018-06-10"), (QINGDAO, "endDate", "2018-06-10"),
            (QINGDAO, "city", "city:青岛"), (QINGDAO, "organizer", "org:sco"),
            ("article:test", "about", QINGDAO), ("article:test", "datelinePlace", "青岛")} <= found
    r = run(text, meta)
    assert r.evidence(QINGDAO, "startDate") == "6月10日"
    (fact,) = r.find(QINGDAO, "startDate")
    assert fact.evidence.start > text.index("电")  # the summit's own date, not the dateline's


@pytest.mark.parametrize("sentence,refers", [
    ("土耳其总统埃尔多安出席会议。", ["会议"]),
    ("土耳其总统埃尔多安作为主席国客人出席阿斯塔纳峰会。", ["阿斯塔纳峰会"]),
    ("会议通过了宣言。", ["会议"]),
    ("此前一天，土耳其总统埃尔多安出席了上合组织工商论坛会议。", []),
    ("会前，习近平同普京举行双边会晤。", []),
], ids=["chuxi-huiyi", "city-fenghui", "sentence-start", "forum-meeting", "bilateral-meeting"])
def test_summits_bare_back_reference(run, sentence, refers):
    r = run("上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。" + sentence, {"published": "2024-07-05"})
    second = r.doc.sentences[1]
    found = [m.text for m in r.doc.mentions if m.kind == "summit" and second.start <= m.start < second.end]
    assert found == refers


def test_summits_preview_with_relative_days(run):
    """A preview filed on the opening day: 今天 is the dateline's day, 今明两天 gives the end."""
    text = ("新华社青岛6月9日电 今明两天，成员国领导人将聚首青岛。今天下午，上海合作组织成员国元首理事会"
            "第十八次会议将在青岛开幕。")
    r = run(text, {"published": "2018-06-09"})
    summit = "summit:sco/heads-of-state/18"
    assert r.objects(summit, "startDate") == {"2018-06-09"}
    assert r.objects(summit, "endDate") == {"2018-06-10"}
    assert r.evidence(summit, "endDate") == "今明两天"
    assert r.objects(summit, "city") == {"city:青岛"}
    assert r.objects(summit, "hostState") == {"state:CN"}


@pytest.mark.parametrize("text, meta, expected", [
    ("上合组织青岛峰会10日举行。国家主席习近平主持会议。", {"published": "2018-06-10"}, "summit:sco/heads-of-state/18"),
    ("上合组织比什凯克峰会在吉尔吉斯斯坦举行。", {"published": "2019-06-15"}, "summit:sco/heads-of-state/19"),
    ("上合组织比什凯克峰会在吉尔吉斯斯坦举行。", {"published": "2013-09-14"}, "summit:sco/heads-of-state/13"),
], ids=["qingdao", "bishkek-2019", "bishkek-2013"])
def test_summits_named_by_city_through_the_reference_series(run, text, meta, expected):
    r = run(text, meta)
    assert r.objects("article:test", "about") == {expected}
    assert any(v.endswith("峰会") for v in r.objects(expected, "alias"))


def test_summits_city_name_of_the_reports_own_summit_is_an_alias(run):
    text = ("二十国集团领导人第十一次峰会4日在杭州开幕。这次杭州峰会是发展中国家参与度最高的一次。")
    r = run(text, {"published": "2016-09-04"})
    assert r.objects("article:test", "about") == {"summit:g20/leaders/11"}
    assert r.objects("article:test", "mentions") & {"summit:g20/leaders/11"} == set()


def test_summits_next_meeting_is_its_own_node(run):
    text = ("上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。会议决定，中国将接任下一任轮值主席国。"
            "下次会议将于2025年在天津举行。")
    r = run(text, {"published": "2024-07-05"})
    main, nxt = "summit:sco/heads-of-state/24", "summit:sco/heads-of-state/25"
    assert r.objects("article:test", "about") == {main}
    assert nxt in r.objects("article:test", "mentions")
    assert r.objects(nxt, "chairState") == {"state:CN"}
    assert r.objects(nxt, "city") == {"city:天津"}
    assert r.objects(nxt, "inSeries") == {"series:sco/heads-of-state"}
    assert "state:CN" not in r.objects(main, "chairState")


@pytest.mark.parametrize("text, meta, expected", [
    ("上合组织峰会4日在阿斯塔纳举行。", {"published": "2024-07-05"}, "summit:sco/heads-of-state/24"),
    ("亚信峰会13日在阿斯塔纳举行。", {"published": "2022-10-14"}, "summit:cica/heads-of-state/2022"),
], ids=["sco-known-year", "cica-unknown-ordinal"])
def test_summits_named_without_ordinal(run, text, meta, expected):
    r = run(text, meta)
    assert r.objects("article:test", "about") == {expected}


def test_summits_plain_name_of_the_reports_own_summit_is_an_alias(run):
    text = "上海合作组织成员国元首理事会第十三次会议13日在比什凯克举行。本次上海合作组织峰会的主题是深化合作。"
    r = run(text, {"published": "2013-09-13"})
    assert r.objects("article:test", "about") == {"summit:sco/heads-of-state/13"}
    assert "上海合作组织峰会" in r.objects("summit:sco/heads-of-state/13", "alias")


def test_summits_foreign_ministers_council_before_a_named_summit(run):
    text = "上海合作组织成员国外长理事会会议21日在阿斯塔纳举行。各方为阿斯塔纳峰会做好政治准备。"
    r = run(text, {"published": "2024-05-22"})
    assert r.objects("article:test", "about") == {"summit:sco/foreign-ministers/2024"}
    assert r.objects("summit:sco/foreign-ministers/2024", "startDate") == {"2024-05-21"}


def test_summits_city_after_state_name(run):
    r = run("上海合作组织成员国元首理事会第二十二次会议16日在乌兹别克斯坦撒马尔罕举行。", {"published": "2022-09-17"})
    assert r.objects("summit:sco/heads-of-state/22", "city") == {"city:撒马尔罕"}
    assert r.objects("summit:sco/heads-of-state/22", "hostState") == {"state:UZ"}


def test_summits_state_that_holds_a_meeting_is_its_host(run):
    r = run("会晤期间，中方举行了东海国家与南洋国家对话会，各国领导人共商合作大计。")
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "hostState") == {"state:CN"}
    assert r.evidence(summit, "hostState").startswith("中方举行了")


def test_summits_mechanism_named_as_its_meetings(run):
    """东亚峰会 is both the mechanism and the name of its meetings: an ordinal makes it a meeting of it."""
    r = run("第二十五届东亚峰会26日在冰城举行。", {"published": "2030-10-27"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "organizer") == {"org:eas"}
    assert r.objects(summit, "ordinal") == {"25"}


def test_summits_cooperation_mechanism_names_its_meetings_by_its_parties(run):
    r = run("第三十一次东盟与中日韩（10+3）领导人会议在冰城举行。", {"published": "2030-10-27"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "organizer") == {"org:asean-plus-three"}


def test_summits_meeting_held_the_same_day(run):
    """Two meetings in one report: the second is dated by 同日, held in person, and a bare 会议 in its
    paragraph is about it."""
    r = run("第二十五届东亚峰会26日在冰城举行。\n同日上午，第三十一次东盟与中日韩（10+3）领导人会议在同一地点举行。"
            "会议通过了《冰城粮食安全行动计划》。", {"published": "2030-10-27"})
    (main,) = r.objects("article:test", "about")
    other = "summit:asean-plus-three/leaders/31"
    assert other in r.objects("article:test", "mentions")
    assert r.objects(other, "startDate") == r.objects(main, "startDate") == {"2030-10-26"}
    assert r.objects(other, "format") == {"format:in_person"}
    third = r.doc.sentences[-1]
    (bare,) = [m for m in r.doc.mentions if m.kind == "summit" and third.start <= m.start < third.end]
    assert bare.ref.key == "asean-plus-three/leaders/31"


def test_summits_named_mechanism_alone_is_no_meeting(run):
    r = run("上合组织成员国元首理事会第十八次会议在青岛举行。独立国家联合体、亚洲相互协作与信任措施会议代表列席。")
    assert r.objects("article:test", "mentions") & {"summit:cica/heads-of-state"} == set()
    assert not [m for m in r.doc.mentions if m.kind == "summit" and m.text == "亚洲相互协作与信任措施会议"]


def test_summits_city_unknown_to_jieba_after_its_state(run):
    """在斐济楠迪举行: a place name jieba cuts into characters, written after its state."""
    r = run("第九次东洋国家外长会29日在斐济楠迪举行。", {"published": "2030-05-30"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "city") == {"city:楠迪"}
    assert r.objects(summit, "hostState") == {"state:FJ"}


@pytest.mark.parametrize("text", ["第九次东洋国家外长会29日在此地举行。", "第九次东洋国家外长会29日在那里举行。"],
                         ids=["ci-di", "na-li"])
def test_summits_no_city_from_pronouns(run, text):
    r = run(text, {"published": "2030-05-30"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "city") == set()


def test_summits_island_is_a_place_not_a_venue(run):
    r = run("第九次东洋国家领导人会议在济州岛举行。", {"published": "2030-05-30"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "city") == {"city:济州岛"}


@pytest.mark.parametrize("text,city", [
    ("第九次东洋国家领导人会议12日在广东深圳举行。", "city:深圳"),
    ("第九次东洋国家领导人会议12日在云南昆明举行。", "city:昆明"),
], ids=["guangdong-shenzhen", "yunnan-kunming"])
def test_summits_city_after_a_province(run, text, city):
    r = run(text, {"published": "2030-05-30"})
    (summit,) = r.objects("article:test", "about")
    assert r.objects(summit, "city") == {city}
    assert r.objects(summit, "hostState") == {"state:CN"}


def test_summits_next_meeting_label_is_read_where_it_is_written(run):
    r = run("第三届中国—北欧国家领导人对话会12日在冰城举行。下一届对话会将于2029年在冰城举行。",
            {"published": "2027-03-13"})
    nxt = "summit:中国-北欧国家领导人对话会/4"
    assert r.objects(nxt, "label") == {"下一届对话会"}
    assert r.evidence(nxt, "label") == "下一届对话会"


def test_summits_mechanism_named_with_its_meeting_noun_wins_over_a_member(run):
    """The catalogue's China-EU mechanism (中国-欧盟领导人会晤机制), not the EU named inside it."""
    r = run("中国-欧盟领导人第二十五次会晤12日在冰城举行。", {"published": "2025-07-25"})
    assert r.objects("article:test", "about") == {"summit:china-eu/leaders/25"}


def test_summits_two_names_at_one_offset(run):
    """国家施会议 and 国家施会议峰会 both start at 0 (found by tools/fuzz.py): the names are ordered by
    offset, then by their meeting, and both meetings are read (it was a TypeError: a Ref has no order)."""
    r = run("国家施会议峰会")
    assert r.of_class("Summit") == {"summit:国家施会议/article-test", "summit:国家施会议峰会/article-test"}
