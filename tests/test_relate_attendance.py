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
