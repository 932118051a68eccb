"""kg.pipeline.relate.attendance: persons and their states, organizations, the chair, and the
member and observer states inferred from 成员国领导人 on the summit's date."""
from __future__ import annotations

import pytest

SCO24 = "summit:sco/heads-of-state/24"
ASTANA = "上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。"
META24 = {"published": "2024-07-05"}


def _attendees(r, summit: str, basis: str | None = None) -> set[str]:
    return {f.object.kind + ":" + f.object.key for f in r.find(summit, "attendee") if basis in (None, f.basis)}


def test_attendance_persons_and_their_states(run):
    r = run(ASTANA + "国家主席习近平、俄罗斯总统普京、巴基斯坦总理夏巴兹等出席会议。", META24)
    assert _attendees(r, SCO24, "stated") == {"person:习近平", "state:CN", "person:普京", "state:RU",
                                               "person:夏巴兹", "state:PK"}
    assert r.evidence(SCO24, "attendee", "person:普京") == "普京、巴基斯坦总理夏巴兹等出席"
    assert r.evidence(SCO24, "attendee", "state:PK") == "夏巴兹等出席"
    part = "participation:sco/heads-of-state/24/person-普京"
    assert r.objects(SCO24, "participation") >= {part}
    assert r.objects(part, "participant") == {"person:普京"}
    assert r.objects(part, "basis") == {"basis:stated"}


def test_attendance_non_leader_person_does_not_bring_a_state(run):
    r = run(ASTANA + "外交部副部长孙卫东和上合组织秘书长张明出席会议。", META24)
    assert _attendees(r, SCO24) == {"person:孙卫东", "person:张明"}


def test_attendance_head_of_organization_without_name(run):
    r = run(ASTANA + "外交部副部长孙卫东介绍说，联合国秘书长等出席会议。", META24)
    assert _attendees(r, SCO24) == {"org:un"}
    assert r.evidence(SCO24, "attendee", "org:un") == "联合国秘书长等出席"


def test_attendance_after_biaoshi_frame(run):
    """Only what follows 表示，/说， is the subject of 出席: the speaker does not attend by it."""
    r = run(ASTANA + "外交部副部长孙卫东表示，俄罗斯总统普京出席会议。", META24)
    assert _attendees(r, SCO24) == {"person:普京", "state:RU"}


@pytest.mark.parametrize("text,meta,summit,members", [
    (ASTANA + "成员国领导人出席会议。", META24, SCO24,
     {"BY", "CN", "IN", "IR", "KG", "KZ", "PK", "RU", "TJ", "UZ"}),
    ("上海合作组织成员国元首理事会第十六次会议24日在塔什干举行。成员国元首出席会议。", {"published": "2016-06-25"},
     "summit:sco/heads-of-state/16", {"CN", "KG", "KZ", "RU", "TJ", "UZ"}),
    ("金砖国家领导人第十四次会晤23日以视频方式举行。成员国领导人出席会晤。", {"published": "2022-06-24"},
     "summit:brics/leaders/14", {"BR", "CN", "IN", "RU", "ZA"}),
    ("金砖国家领导人第十六次会晤23日在喀山举行。成员国领导人出席会晤。", {"published": "2024-10-24"},
     "summit:brics/leaders/16", {"AE", "BR", "CN", "EG", "ET", "IN", "IR", "RU", "ZA"}),
], ids=["sco-2024-with-belarus", "sco-2016-six", "brics-2022-five", "brics-2024-enlarged"])
def test_attendance_member_states_inferred_on_summit_date(run, text, meta, summit, members):
    r = run(text, meta)
    assert _attendees(r, summit, "inferred") == {f"state:{m}" for m in members}
    assert _attendees(r, summit, "stated") == set()
    part = f"{summit.replace('summit:', 'participation:')}/state-CN"
    (origin,) = r.objects(part, "inferredFrom")
    assert origin.startswith(f"membership:{summit.split(':')[1].split('/')[0]}/CN/member/")
    assert r.objects(part, "basis") == {"basis:inferred"}


def test_attendance_observer_states_inferred(run):
    r = run("上海合作组织成员国元首理事会第十二次会议7日在北京举行。观察员国领导人出席会议。",
            {"published": "2012-06-08"})
    summit = "summit:sco/heads-of-state/12"
    assert _attendees(r, summit, "inferred") == {"state:AF", "state:IN", "state:IR", "state:MN", "state:PK"}
    assert {f.evidence.rule for f in r.find(summit, "attendee")} == {"attendance-observer-group"}


def test_attendance_stated_states_are_not_inferred_again(run):
    r = run(ASTANA + "国家主席习近平、俄罗斯总统普京等成员国领导人出席会议。", META24)
    stated, inferred = _attendees(r, SCO24, "stated"), _attendees(r, SCO24, "inferred")
    assert {"state:CN", "state:RU"} <= stated
    assert not stated & inferred
    assert stated | inferred >= {f"state:{m}" for m in ("BY", "IN", "IR", "KG", "KZ", "PK", "TJ", "UZ")}


def test_attendance_no_inference_without_a_date(run):
    """An unknown summit with no date: the members on its date cannot be looked up."""
    r = run("上海合作组织成员国元首理事会第四十次会议举行。成员国领导人出席会议。")
    assert _attendees(r, "summit:sco/heads-of-state/40") == set()


def test_attendance_chair_state_and_chair_person(run):
    r = run(ASTANA + "哈萨克斯坦作为轮值主席国，由总统托卡耶夫主持会议。", META24)
    assert r.objects(SCO24, "chairPerson") == {"person:托卡耶夫"}
    assert r.evidence(SCO24, "chairPerson") == "托卡耶夫主持"
    assert _attendees(r, SCO24, "stated") == {"state:KZ", "person:托卡耶夫"}
    chair = [f for f in r.find(SCO24, "attendee", "state:KZ")]
    assert chair[0].evidence.rule == "attendance-chair"
    assert r.text[chair[0].evidence.start:chair[0].evidence.end] == "哈萨克斯坦作为轮值主席国"


def test_attendance_object_elided_after_summit_sentence(run):
    r = run("金砖国家领导人第十四次会晤23日以视频方式举行。国家主席习近平在北京主持会晤。"
            "南非总统拉马福萨、巴西总统博索纳罗、俄罗斯总统普京、印度总理莫迪出席。", {"published": "2022-06-24"})
    summit = "summit:brics/leaders/14"
    assert r.objects(summit, "chairPerson") == {"person:习近平"}
    assert _attendees(r, summit, "stated") == {
        "person:习近平", "state:CN", "person:拉马福萨", "state:ZA", "person:博索纳罗", "state:BR",
        "person:普京", "state:RU", "person:莫迪", "state:IN"}


@pytest.mark.parametrize("sentence", [
    "当晚，俄罗斯总统普京出席欢迎宴会。",
    "此前一天，俄罗斯总统普京出席了中俄企业家论坛。",
], ids=["banquet", "other-event"])
def test_attendance_other_events_are_not_the_summit(run, sentence):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24) == set()


def test_attendance_without_summit_nothing(run):
    r = run("俄罗斯总统普京出席会议。")
    assert not [f for f in r.facts if f.predicate == "attendee"]


def test_attendance_meeting_of_another_name_is_not_the_summit(run):
    r = run(ASTANA + "此前一天，土耳其总统埃尔多安出席了上合组织工商论坛会议。", META24)
    assert _attendees(r, SCO24) == set()


@pytest.mark.parametrize("sentence, expected", [
    ("白俄罗斯总统卢卡申科、伊朗总统佩泽希齐扬出席。",
     {"person:卢卡申科", "person:佩泽希齐扬", "state:BY", "state:IR"}),
    ("蒙古国总统呼日勒苏赫、土库曼斯坦总统别尔德穆哈梅多夫都在出席的名单当中。",
     {"person:呼日勒苏赫", "person:别尔德穆哈梅多夫", "state:MN", "state:TM"}),
    ("哈萨克斯坦总统托卡耶夫与会。", {"person:托卡耶夫", "state:KZ"}),
    ("俄罗斯总统普京同吉尔吉斯斯坦总统扎帕罗夫齐聚一堂，共商合作大计。",
     {"person:普京", "state:RU", "person:扎帕罗夫", "state:KG"}),
    ("东盟秘书长高金洪出席会议。", {"person:高金洪", "org:asean"}),
], ids=["bare-verb", "on-the-list", "yuhui-as-verb", "qiju-yitang", "head-of-other-organization"])
def test_attendance_verbs_without_object_mean_the_summit(run, sentence, expected):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == expected


@pytest.mark.parametrize("sentence", [
    "与会各国领导人一致同意加强合作。",
    "次日，俄罗斯总统普京出席圣彼得堡国际经济论坛欢迎宴会。",
], ids=["yuhui-as-adjective", "other-event"])
def test_attendance_other_uses_of_the_verbs(run, sentence):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24) == set()


# -- clause and paragraph level (issue 7): every sentence below is written for the test --------------
BRICS22 = "金砖国家领导人第十四次会晤23日以视频方式举行。"
BRICS22_META = {"published": "2022-06-24"}
BRICS22_ID = "summit:brics/leaders/14"
BRICS_MEMBERS = {"state:BR", "state:CN", "state:IN", "state:RU", "state:ZA"}


@pytest.mark.parametrize("sentences, expected", [
    ("当天，成员国元首悉数出席会议。3位元首分别是：俄罗斯总统普京、哈萨克斯坦总统托卡耶夫、印度总理莫迪。",
     {"person:普京", "state:RU", "person:托卡耶夫", "state:KZ", "person:莫迪", "state:IN"}),
    ("各国领导人出席峰会。2位成员国元首分别为：俄罗斯总统普京、印度总理莫迪。1位观察员国元首分别是：蒙古国总统呼日勒苏赫。",
     {"person:普京", "state:RU", "person:莫迪", "state:IN", "person:呼日勒苏赫", "state:MN"}),
], ids=["one-list", "two-lists-in-a-row"])
def test_attendance_listed_in_the_next_sentence(run, sentences, expected):
    r = run(ASTANA + sentences, META24)
    assert _attendees(r, SCO24, "stated") == expected
    assert {f.evidence.rule for f in r.find(SCO24, "attendee", "person:普京")} == {"attendance-listed"}


def test_attendance_a_list_without_an_attendance_sentence_is_not_read(run):
    r = run(ASTANA + "今年的新成员分别是：俄罗斯总统普京、印度总理莫迪。", META24)
    assert _attendees(r, SCO24) == set()


@pytest.mark.parametrize("sentence, expected", [
    ("成员国元首先举行小范围会议，随后邀请白俄罗斯总统卢卡申科、蒙古国总统呼日勒苏赫和联合国秘书长古特雷斯参加大范围会议。",
     {"person:卢卡申科", "state:BY", "person:呼日勒苏赫", "state:MN", "person:古特雷斯", "org:un"}),
    ("土库曼斯坦总统别尔德穆哈梅多夫作为主席国客人出席小范围会谈。",
     {"person:别尔德穆哈梅多夫", "state:TM"}),
    ("蒙古国总统呼日勒苏赫应邀出席。", {"person:呼日勒苏赫", "state:MN"}),
], ids=["invited-to-a-session", "guest-at-a-session", "yingyao"])
def test_attendance_sessions_and_invited_guests(run, sentence, expected):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == expected


def test_attendance_the_relative_clause_names_the_attendees_not_the_host(run):
    r = run(ASTANA + "当晚，国家主席习近平邀请出席峰会的俄罗斯总统普京、印度总理莫迪共同观看文艺演出。", META24)
    assert _attendees(r, SCO24, "stated") == {"person:普京", "state:RU", "person:莫迪", "state:IN"}
    assert r.evidence(SCO24, "attendee", "person:普京") == "普京、印度总理莫迪"


@pytest.mark.parametrize("sentence, expected", [
    ("印度、巴基斯坦、俄罗斯等共3国外长出席。", {"state:IN", "state:PK", "state:RU"}),
    ("俄罗斯和印度代表参加会议。", {"state:RU", "state:IN"}),
    ("独立国家联合体、东南亚国家联盟常设机构负责人列席会议。", {"org:cis", "org:asean"}),
], ids=["states-before-foreign-ministers", "states-before-representatives", "organizations-before-heads"])
def test_attendance_parties_listed_before_a_group_noun(run, sentence, expected):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == expected


def test_attendance_a_state_before_a_named_title_is_read_through_the_person(run):
    r = run(ASTANA + "俄罗斯总统普京出席会议。", META24)
    assert {f.evidence.rule for f in r.find(SCO24, "attendee", "state:RU")} == {"attendance-leader-state"}


def test_attendance_organizer_is_not_its_own_attendee(run):
    r = run(ASTANA + "俄罗斯代表以及上海合作组织秘书长等参加会议。", META24)
    assert _attendees(r, SCO24, "stated") == {"state:RU"}


@pytest.mark.parametrize("sentence, expected", [
    ("俄罗斯、印度和巴西领导人齐聚一堂，共商合作大计。", {"state:RU", "state:IN", "state:BR"}),
    ("俄罗斯总统普京同印度总理莫迪一道共商发展大计。", {"person:普京", "state:RU", "person:莫迪", "state:IN"}),
], ids=["states-and-leaders", "persons-together"])
def test_attendance_joint_activity_verbs(run, sentence, expected):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == expected


def test_attendance_joint_verb_of_two_is_not_the_summit(run):
    r = run(ASTANA + "会后，两国元首共商双边关系。", META24)
    assert _attendees(r, SCO24) == set()


@pytest.mark.parametrize("sentence, expected", [
    ("会上，联合国秘书长古特雷斯发表讲话。", {"person:古特雷斯", "org:un"}),
    ("东盟秘书长高金洪在会上发言，呼吁加强合作。", {"person:高金洪", "org:asean"}),
    ("正如俄罗斯总统普京在峰会上所言，合作前景广阔。", {"person:普京", "state:RU"}),
], ids=["huishang-comma", "zai-huishang", "zai-fenghui-shang"])
def test_attendance_acting_at_the_meeting(run, sentence, expected):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == expected


@pytest.mark.parametrize("sentence", [
    "此前，俄罗斯总统普京同印度总理莫迪举行会谈。会上，普京表示愿加强合作。",
    "此前一天，俄罗斯总统普京在工商论坛会上发言。",
], ids=["after-a-bilateral-meeting", "another-event"])
def test_attendance_acting_at_another_meeting(run, sentence):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24) == set()


def test_attendance_acting_as_chair(run):
    r = run(ASTANA + "国家主席习近平作为主席国元首发表讲话。", META24)
    assert _attendees(r, SCO24, "stated") == {"person:习近平", "state:CN"}


@pytest.mark.parametrize("sentence", [
    "当晚，哈萨克斯坦总统托卡耶夫主持欢迎宴会。",
    "会前，哈萨克斯坦总统托卡耶夫主持双边会谈。",
], ids=["banquet", "talks"])
def test_attendance_presiding_over_another_event(run, sentence):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24) == set()
    assert r.objects(SCO24, "chairPerson") == set()


def test_attendance_presiding_with_convened(run):
    r = run(ASTANA + "哈萨克斯坦总统托卡耶夫在阿斯塔纳主持召开会议。", META24)
    assert _attendees(r, SCO24, "stated") == {"person:托卡耶夫", "state:KZ"}
    assert r.objects(SCO24, "chairPerson") == {"person:托卡耶夫"}


def test_attendance_the_state_that_holds_a_meeting(run):
    r = run(ASTANA + "会议期间，俄方举行了东方伙伴对话会。", META24)
    assert "state:RU" in {key for s in r.subjects("attendee") for key in r.objects(s, "attendee")}


@pytest.mark.parametrize("sentence, stated, inferred", [
    ("五国领导人一致认为，应加强团结。", set(), BRICS_MEMBERS),
    ("习近平主席同其他四国领导人共商合作大计。", {"person:习近平", "state:CN"}, BRICS_MEMBERS - {"state:CN"}),
    ("47个国家的领导人出席了会晤。", set(), set()),
    ("两国领导人一致认为，应加强合作。", set(), set()),
], ids=["five-leaders", "the-other-four", "count-is-not-the-membership", "two-leaders"])
def test_attendance_counts_against_the_membership(run, sentence, stated, inferred):
    r = run(BRICS22 + sentence, BRICS22_META)
    assert _attendees(r, BRICS22_ID, "stated") == stated
    assert _attendees(r, BRICS22_ID, "inferred") == inferred


def test_attendance_count_of_an_organization_named_before_it(run):
    """阿盟22国领导人: the members of the organization the count names, not of the meeting's organizer."""
    r = run("首届中国-阿拉伯国家峰会9日在利雅得举行。习近平主席同阿盟22国领导人共商合作。", {"published": "2022-12-10"})
    summit = "summit:china-arab-states/heads-of-state/1"
    inferred = _attendees(r, summit, "inferred")
    assert len(inferred) == 22 and {"state:EG", "state:SA"} <= inferred and "state:CN" not in inferred
    assert _attendees(r, summit, "stated") == {"person:习近平", "state:CN"}


@pytest.mark.parametrize("sentence, state", [
    ("习近平主席出席会议。", "state:CN"),
    ("俄罗斯联邦政府总理米舒斯京出席会议。", "state:RU"),
    ("中华人民共和国国务院总理李强出席会议。", "state:CN"),
], ids=["bare-title-after-name", "government-between", "state-inside-an-organization-name"])
def test_attendance_state_of_a_person_from_the_title_chain(run, sentence, state):
    r = run(ASTANA + sentence, META24)
    assert state in _attendees(r, SCO24, "stated")


def test_attendance_reporters_never_attend(run):
    r = run("新华网阿斯塔纳7月4日电（记者王小明）上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行，"
            "俄罗斯总统普京出席会议。记者李大同摄", META24)
    assert _attendees(r, str(r.doc.context["summit"]), "stated") == {"person:普京", "state:RU"}


def test_attendance_a_past_meeting_of_the_series_is_not_this_one(run):
    r = run(ASTANA + "2019年，俄罗斯总统普京出席了上合组织比什凯克峰会。", META24)
    assert _attendees(r, SCO24) == set()


@pytest.mark.parametrize("sentence", [
    "会议期间，在俄罗斯举行了东方伙伴对话会。",
    "各国领导人在俄罗斯总统府出席会议。",
], ids=["where-it-is-held", "group-noun-inside-a-word"])
def test_attendance_states_that_only_stand_near_the_words(run, sentence):
    r = run(ASTANA + sentence, META24)
    assert _attendees(r, SCO24, "stated") == set()


def test_attendance_count_for_a_summit_found_by_its_city_name(run):
    r = run("上合组织比什凯克峰会14日在比什凯克举行。八国领导人出席峰会。", {"published": "2019-06-15"})
    summit = "summit:sco/heads-of-state/19"
    assert _attendees(r, summit, "inferred") == {f"state:{m}" for m in ("CN", "IN", "KG", "KZ", "PK", "RU", "TJ", "UZ")}


def test_attendance_co_chairs_and_a_bare_meeting_noun(run):
    """A和B共同主持对话会: both chair and attend, each with their state."""
    r = run(ASTANA + "哈萨克斯坦总统托卡耶夫和吉尔吉斯斯坦总统扎帕罗夫共同主持峰会。", META24)
    assert r.objects(SCO24, "chairPerson") == {"person:托卡耶夫", "person:扎帕罗夫"}
    assert _attendees(r, SCO24, "stated") == {"person:托卡耶夫", "state:KZ", "person:扎帕罗夫", "state:KG"}


def test_attendance_states_before_a_group_noun_without_a_number(run):
    r = run(ASTANA + "挪威、芬兰等国外长列席会议。", META24)
    assert _attendees(r, SCO24, "stated") == {"state:NO", "state:FI"}


def test_attendance_the_next_chair_does_not_attend(run):
    r = run(ASTANA + "会议决定，吉尔吉斯斯坦将接任下一任轮值主席国。", META24)
    assert "state:KG" not in _attendees(r, SCO24)


NORTH = "第三届东洋国家领导人对话会12日在冰城举行。"
NORTH_META = {"published": "2030-06-13"}


def _north(r) -> str:
    (summit,) = r.objects("article:test", "about")
    return summit


@pytest.mark.parametrize("text,expected", [
    ("斐济、萨摩亚等太平洋岛国外长应邀出席。他们是：斐济外长阿洛·卡图、萨摩亚外长图伊·法莱。",
     {"person:阿洛·卡图", "person:图伊·法莱", "state:FJ", "state:WS"}),
    ("各国领导人悉数出席。出席的领导人有：尼泊尔总理拉姆·夏尔、斯里兰卡总统丹努·佩雷。",
     {"person:拉姆·夏尔", "person:丹努·佩雷", "state:NP", "state:LK"}),
], ids=["they-are", "those-attending-are"])
def test_attendance_listed_in_the_next_sentence_by_other_words(run, text, expected):
    r = run(NORTH + text, NORTH_META)
    assert expected <= _attendees(r, _north(r))


def test_attendance_states_before_a_regional_group_noun(run):
    r = run(NORTH + "尼泊尔、斯里兰卡、马尔代夫等南亚国家领导人出席对话会。", NORTH_META)
    assert {"state:NP", "state:LK", "state:MV"} <= _attendees(r, _north(r))


def test_attendance_speakers_in_turn(run):
    r = run(NORTH + "尼泊尔总理拉姆·夏尔、斯里兰卡总统丹努·佩雷先后发言。", NORTH_META)
    assert {"person:拉姆·夏尔", "person:丹努·佩雷", "state:NP", "state:LK"} <= _attendees(r, _north(r))


def test_attendance_one_speaker_is_not_read_as_taking_turns(run):
    r = run(NORTH + "会后，尼泊尔总理拉姆·夏尔相继发言。", NORTH_META)
    assert "person:拉姆·夏尔" not in _attendees(r, _north(r))


def test_attendance_deputy_of_a_listed_title_brings_its_state(run):
    r = run(NORTH + "国家副主席韩冰出席对话会。", NORTH_META)
    assert {"person:韩冰", "state:CN"} <= _attendees(r, _north(r))


def test_attendance_the_one_who_presides_speaks_for_the_chair(run):
    r = run(NORTH + "日本首相韩冰主持对话会。", NORTH_META)
    (fact,) = r.find(_north(r), "chairState")
    assert (fact.object.key, fact.basis) == ("JP", "inferred")


def test_attendance_co_chairs_name_no_chair_state(run):
    r = run(NORTH + "国务院总理韩冰同芬兰总理马蒂·维塔共同主持对话会。", NORTH_META)
    assert r.find(_north(r), "chairState") == []


def test_attendance_stated_chair_state_is_kept(run):
    r = run(NORTH + "作为轮值主席国，芬兰总统马蒂·维塔主持对话会。", NORTH_META)
    assert {f.object.key for f in r.find(_north(r), "chairState")} == {"FI"}
