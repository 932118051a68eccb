"""kg.pipeline.relate.initiatives: proposals after 提出, own initiatives, 倡议 + clauses, known ones."""
from __future__ import annotations

import pytest

from kg.pipeline.fold import fold

SCO22 = "上海合作组织成员国元首理事会第二十二次会议在撒马尔罕举行。"
SAMARKAND = "summit:sco/heads-of-state/22"


def _initiatives(r) -> set[str]:
    return r.of_class("Initiative")


def test_initiatives_quoted_after_tichu(run):
    r = run(SCO22 + "习近平在讲话中提出构建“上海合作组织命运共同体”和“全球安全倡议”。")
    new, known = "initiative:上海合作组织命运共同体", "initiative:全球安全倡议"
    assert _initiatives(r) == {new, known}
    assert r.objects(new, "label") == {"上海合作组织命运共同体"}
    assert r.objects(known, "label") == set()  # named by the reference knowledge
    for ref in (new, known):
        assert r.objects(ref, "proposedBy") == {"person:习近平"}
        assert r.objects(ref, "proposedAt") == {SAMARKAND}
        assert r.evidence(ref, "proposedBy").startswith("习近平在讲话中提出")


@pytest.mark.parametrize("sentence,name,agent", [
    ("习近平提出“三个坚持”的重要主张，赢得各方赞同。", "三个坚持", "person:习近平"),
    ("哈萨克斯坦总统托卡耶夫倡导“大欧亚安全伙伴关系”。", "大欧亚安全伙伴关系", "person:托卡耶夫"),
    ("中方宣布“上合组织数字经济合作行动计划”。", "上合组织数字经济合作行动计划", "state:CN"),
], ids=["quoted-then-zhuzhang", "changdao-partnership", "xuanbu-action-plan"])
def test_initiatives_quoted_after_verb_with_proposer(run, sentence, name, agent):
    r = run(SCO22 + sentence)
    ref = f"initiative:{name}"
    assert r.objects(ref, "label") == {name}
    assert r.objects(ref, "proposedBy") == {agent}


def test_initiatives_quoted_without_head_or_tail_is_not_an_initiative(run):
    r = run(SCO22 + "习近平提出“四点建议”中的第一点，宣布“明年”将举办论坛。")
    assert "initiative:明年" not in _initiatives(r)


@pytest.mark.parametrize("sentence,name,agent,evidence", [
    ("各方欢迎中方发起的“全球数据安全倡议”。", "全球数据安全倡议", "state:CN", "中方发起的“全球数据安全倡议”"),
    ("俄罗斯总统普京提出的“大欧亚伙伴关系”倡议得到支持。", "大欧亚伙伴关系", "person:普京",
     "普京提出的“大欧亚伙伴关系”"),
    ("各方赞赏哈萨克斯坦首倡的“亚洲相互协作与信任措施”进程。", "亚洲相互协作与信任措施", "state:KZ",
     "哈萨克斯坦首倡的“亚洲相互协作与信任措施”"),
], ids=["china-faqi", "putin-tichu-de", "kazakhstan-shouchang"])
def test_initiatives_own_initiative_of_an_agent(run, sentence, name, agent, evidence):
    r = run(SCO22 + sentence)
    ref = f"initiative:{name}"
    assert ref in _initiatives(r)
    assert r.objects(ref, "proposedBy") == {agent}
    assert r.evidence(ref, "proposedBy") == evidence


def test_initiatives_noun_changyi_is_no_appeal(run):
    """倡议 as a noun (“…”倡议得到支持, 这一倡议, 全球发展倡议提出以来) lists no proposals after it."""
    r = run(SCO22 + "俄罗斯总统普京提出的“大欧亚伙伴关系”倡议得到支持。全球发展倡议提出以来，得到广泛支持。"
                    "这一倡议为地区合作注入动力。")
    assert _initiatives(r) == {"initiative:大欧亚伙伴关系", "initiative:全球发展倡议"}


def test_initiatives_appeal_clauses(run):
    r = run(SCO22 + "习近平倡议加强粮食安全合作，设立能源合作中心，打造数字经济平台，承诺向发展中国家提供援助。")
    clauses = ["加强粮食安全合作", "设立能源合作中心", "打造数字经济平台"]
    assert _initiatives(r) == {f"initiative:{c}" for c in clauses}
    for c in clauses:
        assert r.objects(f"initiative:{c}", "proposedBy") == {"person:习近平"}
        assert r.evidence(f"initiative:{c}", "label") == c
    assert r.evidence("initiative:设立能源合作中心", "proposedBy") == "习近平倡议加强粮食安全合作，设立能源合作中心"


@pytest.mark.parametrize("sentence,name,agent", [
    ("哈萨克斯坦倡议建立上合组织投资基金。", "建立上合组织投资基金", "state:KZ"),
    ("这一倡议为地区合作注入动力，中方还倡议成立上合组织开发银行。", "成立上合组织开发银行", "state:CN"),
], ids=["state-changyi", "hai-changyi-after-noun"])
def test_initiatives_appeal_by_a_state(run, sentence, name, agent):
    r = run(SCO22 + sentence)
    assert _initiatives(r) == {f"initiative:{name}"}
    assert r.objects(f"initiative:{name}", "proposedBy") == {agent}


@pytest.mark.parametrize("sentence", [
    "习近平倡议各方要坚持多边主义，反对单边主义。",
    "中方倡议国际社会共同应对气候变化。",
    "俄罗斯倡议成员国加强情报交流。",
], ids=["gefang-yao", "guoji-shehui", "chengyuanguo"])
def test_initiatives_appeal_to_addressees_is_not_an_initiative(run, sentence):
    assert _initiatives(run(SCO22 + sentence)) == set()


@pytest.mark.parametrize("sentence,ref,evidence", [
    ("各方支持共建“一带一路”倡议，愿同中方推进共建“一带一路”合作。", "initiative:一带一路", "共建“一带一路”"),
    ("各方重申支持构建人类命运共同体。", "initiative:人类命运共同体", "人类命运共同体"),
    ("各方支持“全球发展倡议”。", "initiative:全球发展倡议", "全球发展倡议"),
    ("各方欢迎中方提出全球文明倡议。", "initiative:全球文明倡议", "全球文明倡议"),
], ids=["belt-and-road", "community-shared-future", "quoted-known", "known-after-tichu"])
def test_initiatives_known_initiative(run, sentence, ref, evidence):
    r = run(SCO22 + sentence)
    assert _initiatives(r) == {ref}
    assert r.objects(ref, "label") == set()  # the reference knowledge names it
    assert r.objects(ref, "proposedAt") == {SAMARKAND}
    assert r.evidence(ref, "proposedAt") == evidence


def test_initiatives_known_name_without_support_verb_is_not_counted(run):
    r = run(SCO22 + "习近平说，“一带一路”是阳光大道。")
    assert _initiatives(r) == set()


@pytest.mark.parametrize("sentence,name", [
    ("六国元首一致同意携手构建更加紧密的中国－中亚命运共同体。", "中国－中亚命运共同体"),
    ("各方将推动构建中国-中亚命运共同体。", "中国-中亚命运共同体"),
    ("各方同意构建更加紧密的上海合作组织命运共同体。", "上海合作组织命运共同体"),
], ids=["fullwidth-hyphen-qualifier", "ascii-hyphen", "sco-community"])
def test_initiatives_community_to_be_built(run, sentence, name):
    r = run("第二届中国－中亚峰会在阿斯塔纳举行。" + sentence)
    (ref,) = _initiatives(r)
    assert r.objects(ref, "label") == {name}
    assert fold(r.evidence(ref, "label")) == fold(name)


def test_initiatives_words_of_a_speech_title_are_not_initiatives(run):
    r = run(SCO22 + "习近平发表题为《携手构建更加紧密的上合组织命运共同体》的重要讲话。")
    assert _initiatives(r) == set()


# Initiatives by shape. Invented meetings and sentences.
NORDIC = "第三届中国-北欧国家领导人对话会12日在卑尔根举行。"


@pytest.mark.parametrize("sentence,name,proposer", [
    ("王毅就深化海洋合作提出五点建议。", "五点建议", "person:王毅"),
    ("习近平就推动绿色转型提出三点主张。", "三点主张", "person:习近平"),
    ("中方提出4点倡议，得到各方响应。", "4点倡议", "state:CN"),
], ids=["wudian-jianyi", "sandian-zhuzhang", "digits-changyi"])
def test_initiatives_numbered_proposals(run, sentence, name, proposer):
    r = run(NORDIC + sentence)
    ref = next(s for s in r.subjects("label", name))
    assert r.objects(ref, "proposedBy") == {proposer}


def test_initiatives_ordinal_point_is_no_proposal(run):
    assert _initiatives(run(NORDIC + "他表示，第一点建议是加强协调。")) == set()


@pytest.mark.parametrize("sentence,name,proposer", [
    ("习近平积极倡导开放、包容、普惠的北欧发展观。", "开放、包容、普惠的北欧发展观", "person:习近平"),
    ("各方秉持共同、综合的极地安全观，加强协调。", "共同、综合的极地安全观", None),
    ("会议宣传了新安全观、新发展观。", "新发展观", None),
], ids=["changdao-with-modifiers", "bingchi-no-proposer", "enumerated-concepts"])
def test_initiatives_concepts(run, sentence, name, proposer):
    r = run(NORDIC + sentence)
    ref = next(s for s in r.subjects("label", name))
    assert r.objects(ref, "proposedBy") == ({proposer} if proposer else set())


def test_initiatives_concept_words_not_concepts(run):
    assert _initiatives(run(NORDIC + "各方必须摒弃旧的安全观念，交换观点。")) == set()


@pytest.mark.parametrize("sentence,name,proposer", [
    ("中方邀请北欧国家参与“冰上丝路”计划。", "“冰上丝路”计划", "state:CN"),
    ("挪威将推动开展“北极之城”评选活动。", "“北极之城”评选活动", "state:NO"),
    ("冰岛将举办“极光之友”交流活动。", "“极光之友”交流活动", "state:IS"),
    ("各国领导人一致认为应该打造“北欧+”合作模式。", "“北欧+”合作模式", None),
], ids=["jihua", "pingxuan-huodong", "qualified-huodong", "joint-moshi"])
def test_initiatives_quoted_name_with_head_noun(run, sentence, name, proposer):
    r = run(NORDIC + sentence)
    ref = next(s for s in r.subjects("label", name))
    assert r.objects(ref, "proposedBy") == ({proposer} if proposer else set())


def test_initiatives_joint_decision_has_no_proposer(run):
    r = run(NORDIC + "习近平同北欧五国领导人一致决定弘扬“冰海精神”。")
    ref = next(s for s in r.subjects("label", "冰海精神"))
    assert r.objects(ref, "proposedBy") == set()


def test_initiatives_community_with_modifier_de(run):
    r = run(NORDIC + "各方同意打造守望相助、共同繁荣的中国-北欧命运共同体。")
    assert r.labels("initiative") == {"中国-北欧命运共同体"}


@pytest.mark.parametrize("sentence,expected", [
    ("各方同意加强“一带一路”建设合作。", {"initiative:一带一路"}),
    ("各方愿在区域合作倡议与各国发展战略对接方面发挥作用。", set()),
], ids=["known-after-any-verb", "noun-changyi-before-yu"])
def test_initiatives_known_after_verb_and_noun_changyi(run, sentence, expected):
    assert _initiatives(run(NORDIC + sentence)) == expected


@pytest.mark.parametrize("sentence", [
    "各方继续遵循“上海精神”。",
    "各方愿弘扬“上海精神”，加强团结。",
], ids=["zunxun", "hongyang"])
def test_initiatives_known_only_repeated_is_not_counted(run, sentence):
    assert _initiatives(run(NORDIC + sentence)) == set()


def test_initiatives_list_item_of_numbered_proposals_has_their_proposer(run):
    r = run(NORDIC + "王毅就深化合作提出三点建议。\n一、深化互信，打造休戚与共的北欧命运共同体。\n二、加强海洋合作。")
    ref = next(s for s in r.subjects("label", "北欧命运共同体"))
    assert r.objects(ref, "proposedBy") == {"person:王毅"}


def test_initiatives_own_quoted_name_keeps_its_head_noun(run):
    r = run(NORDIC + "各方欢迎挪威提出的“北欧+”合作倡议。")
    assert r.labels("initiative") == {"“北欧+”合作倡议"}
    ref = next(s for s in r.subjects("label", "“北欧+”合作倡议"))
    assert r.objects(ref, "proposedBy") == {"state:NO"}


@pytest.mark.parametrize("sentence,name,proposer", [
    ("中方将实施“中欧绿色创新伙伴计划”。", "中欧绿色创新伙伴计划", "state:CN"),
    ("与会领导人一致同意共建“北极科考走廊”。", "北极科考走廊", None),
    ("王毅提出“冰海伙伴”合作计划。", "“冰海伙伴”合作计划", "person:王毅"),
], ids=["launched-programme", "joint-gongjian", "quoted-hezuo-jihua"])
def test_initiatives_programmes(run, sentence, name, proposer):
    r = run(NORDIC + sentence)
    ref = next(s for s in r.subjects("label", name))
    assert r.objects(ref, "proposedBy") == ({proposer} if proposer else set())


def test_initiatives_launched_by_a_state_announced_by_a_person(run):
    r = run(NORDIC + "王毅宣布，中方将实施“中欧绿色创新伙伴计划”。")
    ref = next(s for s in r.subjects("label", "中欧绿色创新伙伴计划"))
    assert r.objects(ref, "proposedBy") == {"state:CN", "person:王毅"}


def test_initiatives_launched_short_phrase_is_no_programme(run):
    assert _initiatives(run(NORDIC + "习近平在峰会上提出“中国方案”。")) == set()


def test_initiatives_appeal_ends_at_a_document_verb(run):
    r = run(NORDIC + "冰岛倡议加强北极航道合作，并发表“冰城联合声明”。")
    assert _initiatives(r) == {"initiative:加强北极航道合作"}
