"""kg.pipeline.relate.documents: titled and untitled documents, enumerations, actions, merging."""
from __future__ import annotations

import pytest

from kg.pipeline.fold import fold

SAMARKAND = "summit:sco/heads-of-state/22"
SCO22 = "上海合作组织成员国元首理事会第二十二次会议在撒马尔罕举行。"
BRICS14 = "金砖国家领导人第十四次会晤以视频方式举行。"


def _doc(name: str, summit: str = SAMARKAND) -> str:
    return f"document:{summit.split(':', 1)[1]}/{name}"


def _documents(r) -> set[str]:
    return r.labels("document")


@pytest.mark.parametrize("sentence,name,doctype,action,verb_evidence", [
    ("成员国领导人签署并发表《上海合作组织成员国元首理事会撒马尔罕宣言》。",
     "上海合作组织成员国元首理事会撒马尔罕宣言", "declaration", "signed", "签署并发表《"),
    ("元首们通过了《上海合作组织成员国元首理事会撒马尔罕宣言》。",
     "上海合作组织成员国元首理事会撒马尔罕宣言", "declaration", "adopted", "通过了《"),
    ("会议批准《上海合作组织成员国睦邻友好合作条约实施纲要（2023－2027年）》。",
     "上海合作组织成员国睦邻友好合作条约实施纲要（2023－2027年）", "plan", "approved", "批准《"),
    ("各方核准《上海合作组织经济发展战略2030》。", "上海合作组织经济发展战略2030", "strategy", "approved", "核准《"),
    ("元首们发表《关于维护国际粮食安全的声明》。", "关于维护国际粮食安全的声明", "statement", "issued", "发表《"),
    ("与会领导人审议通过《上海合作组织成员国元首理事会关于加强多边合作的决议》。",
     "上海合作组织成员国元首理事会关于加强多边合作的决议", "resolution", "adopted", "审议通过《"),
    ("各方见证签署了《上海合作组织海关合作协定》。", "上海合作组织海关合作协定", "agreement", "signed", "见证签署了《"),
], ids=["signed-and-issued", "adopted", "approved-with-period", "approved-with-edition-year", "issued-statement",
        "reviewed-and-adopted", "witnessed-signing"])
def test_documents_titled_with_action(run, sentence, name, doctype, action, verb_evidence):
    r = run(SCO22 + sentence)
    ref = next(s for s in r.subjects("label", name) if s.startswith("document:"))
    assert r.objects(ref, "documentType") == {f"doctype:{doctype}"}
    assert r.objects(ref, "action") == {f"action:{action}"}
    assert r.objects(ref, "adoptedAt") == {SAMARKAND}
    evidence = r.evidence(ref, "action")
    assert evidence.startswith(verb_evidence) and fold(evidence).endswith(fold(name))


def test_documents_two_titles_two_verbs(run):
    """Each name takes the verb group nearest before it: 签署并发表 → signed, then 批准 → approved."""
    r = run(SCO22 + "成员国领导人签署并发表《上海合作组织成员国元首理事会撒马尔罕宣言》，"
                    "批准《上海合作组织成员国睦邻友好合作条约实施纲要（2023－2027年）》。")
    actions = {key: r.objects(key, "action") for key in r.of_class("Document")}
    assert actions == {
        _doc("上海合作组织成员国元首理事会撒马尔罕宣言"): {"action:signed"},
        _doc("上海合作组织成员国睦邻友好合作条约实施纲要-2023-2027年"): {"action:approved"},
    }


def test_documents_mentioned_without_action(run):
    r = run(SCO22 + "各方重申恪守《上海合作组织宪章》宗旨和原则，继续落实《上海合作组织反恐怖主义公约》。")
    for name in ("上海合作组织宪章", "上海合作组织反恐怖主义公约"):
        ref = _doc(name)
        assert r.objects(ref, "action") == {"action:other"}
        assert r.objects(ref, "mentionedAt") == {SAMARKAND}
        assert r.objects(ref, "adoptedAt") == set()


@pytest.mark.parametrize("sentence,names,verb", [
    ("会议发表关于维护国际粮食安全、关于维护国际能源安全等2份声明。",
     ["关于维护国际粮食安全的声明", "关于维护国际能源安全的声明"], "issued"),
    ("领导人们发表关于粮食安全、关于反恐合作两份声明。", ["关于粮食安全的声明", "关于反恐合作的声明"], "issued"),
    ("元首们批准关于打击毒品走私、关于应对气候变化、关于供应链安全等决议。",
     ["关于打击毒品走私的决议", "关于应对气候变化的决议", "关于供应链安全的决议"], "approved"),
], ids=["two-statements", "liang-fen", "three-resolutions"])
def test_documents_enumeration_is_split(run, sentence, names, verb):
    r = run(SCO22 + sentence)
    assert _documents(r) == set(names)
    for name in names:
        ref = _doc(name)
        assert r.objects(ref, "action") == {f"action:{verb}"}
        item = name[: name.index("的")]
        assert r.evidence(ref, "label") == item


def test_documents_untitled_about_name(run):
    r = run(BRICS14 + "会晤通过关于加强多边贸易体制的决议。")
    ref = _doc("关于加强多边贸易体制的决议", "summit:brics/leaders/14")
    assert r.objects(ref, "label") == {"关于加强多边贸易体制的决议"}
    assert r.objects(ref, "documentType") == {"doctype:resolution"}
    assert r.objects(ref, "action") == {"action:adopted"}


@pytest.mark.parametrize("later,alias", [
    ("撒马尔罕宣言强调，各方将加强合作。", "撒马尔罕宣言"),
    ("撒马尔罕宣言指出，各方支持多边主义。", "撒马尔罕宣言"),
    ("元首理事会撒马尔罕宣言全文如下。", "元首理事会撒马尔罕宣言"),
], ids=["qiangdiao", "zhichu", "quanwen"])
def test_documents_short_name_is_merged(run, later, alias):
    r = run(SCO22 + "元首们签署了《上海合作组织成员国元首理事会撒马尔罕宣言》。" + later)
    assert _documents(r) == {"上海合作组织成员国元首理事会撒马尔罕宣言"}
    ref = _doc("上海合作组织成员国元首理事会撒马尔罕宣言")
    assert r.objects(ref, "alias") == {alias}
    assert r.evidence(ref, "alias") == alias
    assert r.objects(ref, "action") == {"action:signed"}


def test_documents_statement_short_name_merged_with_its_title(run):
    r = run(SCO22 + "会议发表《关于维护国际粮食安全的声明》和《关于维护供应链安全稳定多元化的声明》。"
                    "粮食安全声明强调各方应加强合作。")
    assert _documents(r) == {"关于维护国际粮食安全的声明", "关于维护供应链安全稳定多元化的声明"}
    assert r.objects(_doc("关于维护国际粮食安全的声明"), "alias") == {"粮食安全声明"}
    assert r.objects(_doc("关于维护供应链安全稳定多元化的声明"), "action") == {"action:issued"}


@pytest.mark.parametrize("sentence", [
    "此前各方还发表了有关声明。",
    "各方还签署了多个合作文件，并见证签署了一系列协议。",
    "上述宣言体现了各方共识。",
    "两国元首发表联合声明。",
], ids=["youguan-shengming", "duoge-yixilie", "shangshu", "bare-type-word"])
def test_documents_generic_phrases_are_not_documents(run, sentence):
    assert _documents(run(SCO22 + sentence)) == set()


def test_documents_speech_title_is_not_a_document(run):
    r = run(SCO22 + "习近平发表题为《携手应对挑战 共创美好未来》的重要讲话。")
    assert r.of_class("Document") == set()


def test_documents_word_inside_longer_word_is_not_a_document(run):
    r = run(SCO22 + "各方讨论了发展战略对接和计划经济转型问题，并签署声明书。")
    assert r.of_class("Document") == set()


def test_documents_without_summit_are_scoped_by_article(run):
    r = run("两国外长签署《中哈两国政府间经济合作协定》。")
    assert r.of_class("Document") == {"document:article/test/中哈两国政府间经济合作协定"}
    assert r.objects("document:article/test/中哈两国政府间经济合作协定", "action") == {"action:signed"}


def test_documents_names_differing_in_punctuation_are_one_document(run):
    """《？上海宣言》 and 《上海宣言》 have one IRI: one document, its label, action and venue from the first."""
    r = run(SCO22 + "会议通过《？上海宣言》。各方发表《上海宣言》。")
    ref = "document:sco/heads-of-state/22/上海宣言"
    assert r.of_class("Document") == {ref}
    assert r.objects(ref, "label") == {"？上海宣言"} and r.objects(ref, "alias") == {"上海宣言"}
    assert r.objects(ref, "action") == {"action:adopted"}
    assert r.objects(ref, "adoptedAt") == {SAMARKAND} and r.objects(ref, "mentionedAt") == set()


def test_documents_without_summit_are_related_to_the_article_only(run):
    """No meeting named: no summit it was adopted or mentioned at; the article mentions it."""
    r = run("双方签署了《中哈两国政府间经济合作协定》。")
    ref = "document:article/test/中哈两国政府间经济合作协定"
    assert r.objects(ref, "adoptedAt") | r.objects(ref, "mentionedAt") == set()
    assert ref in r.objects("article:test", "mentions")


def test_documents_list_of_full_names_is_read_name_by_name(run):
    r = run(SCO22 + "会议发表关于粮食安全的声明、关于能源安全的声明和关于气候变化的决议。")
    assert _documents(r) == {"关于粮食安全的声明", "关于能源安全的声明", "关于气候变化的决议"}
    for name in _documents(r):
        assert r.objects(_doc(name), "action") == {"action:issued"}
        assert r.evidence(_doc(name), "label") == name


def test_documents_enumeration_with_shared_de(run):
    r = run(SCO22 + "会议发表关于粮食安全、关于能源安全的声明。")
    assert _documents(r) == {"关于粮食安全的声明", "关于能源安全的声明"}
    assert r.evidence(_doc("关于能源安全的声明"), "label") == "关于能源安全"


def test_documents_about_name_with_enumeration_comma(run):
    """关于给予埃及、卡塔尔对话伙伴地位的决议 is one name: its 、 is inside the 关于 phrase."""
    r = run(SCO22 + "会议批准关于给予埃及、卡塔尔对话伙伴地位的决议。")
    name = "关于给予埃及、卡塔尔对话伙伴地位的决议"
    assert _documents(r) == {name}
    ref = _doc("关于给予埃及-卡塔尔对话伙伴地位的决议")
    assert r.objects(ref, "action") == {"action:approved"}
    assert r.evidence(ref, "action") == "批准" + name


def test_documents_summit_named_document_is_the_named_one(run):
    text = ("金砖国家领导人第十六次会晤22日在喀山举行。会议通过并发表《金砖国家领导人第十六次会晤喀山宣言》。"
            "领导人在峰会宣言中重申多边主义。")
    r = run(text, {"published": "2024-10-23"})
    docs = r.of_class("Document")
    assert len(docs) == 1
    (doc,) = docs
    assert r.labels("document") == {"金砖国家领导人第十六次会晤喀山宣言"}
    assert "峰会宣言" in r.objects(doc, "alias")


def test_documents_summit_named_document_alone_keeps_its_name(run):
    r = run("上海合作组织成员国元首理事会第二十二次会议16日举行。成员国领导人签署并发表峰会宣言。",
            {"published": "2022-09-17"})
    assert r.labels("document") == {"峰会宣言"}


# Documents by shape: open type words, a type word followed by a verb, descriptive names with 的,
# verbs that are not documents. Invented meetings and names.
NORDIC = "第三届中国-北欧国家领导人对话会12日在卑尔根举行。"


@pytest.mark.parametrize("sentence,name,doctype,action", [
    ("与会领导人通过了中国-北欧合作成果清单。", "中国-北欧合作成果清单", "other", "adopted"),
    ("各方承诺加快落实2040年海洋可持续发展议程，推动共同繁荣。", "2040年海洋可持续发展议程", "plan", "other"),
    ("领导人批准北欧绿色转型行动纲领。", "北欧绿色转型行动纲领", "plan", "approved"),
    ("会议发表《北欧数字合作框架》。", "北欧数字合作框架", "other", "issued"),
    ("各方签署《极地科研合作倡议书》。", "极地科研合作倡议书", "other", "signed"),
], ids=["qingdan-adopted", "yicheng-year-start", "gangling-approved", "kuangjia-titled", "changyishu-titled"])
def test_documents_open_type_words(run, sentence, name, doctype, action):
    r = run(NORDIC + sentence)
    assert name in _documents(r)
    ref = next(s for s in r.subjects("label", name) if s.startswith("document:"))
    assert r.objects(ref, "documentType") == {f"doctype:{doctype}"}
    assert r.objects(ref, "action") == {f"action:{action}"}


@pytest.mark.parametrize("sentence,names", [
    ("习近平指出，今年适逢北极合作宪章签署10周年，海上互助条约生效5周年。", {"北极合作宪章", "海上互助条约"}),
    ("各方重申，上海合作组织宪章确立的宗旨应得到遵守。", {"上海合作组织宪章"}),
    ("会长表示，今年是上海合作组织宪章签署30周年。", {"上海合作组织宪章"}),
], ids=["qianshu-shengxiao", "queli", "org-after-shi"])
def test_documents_type_word_followed_by_verb(run, sentence, names):
    assert _documents(run(NORDIC + sentence)) == names


@pytest.mark.parametrize("sentence,name", [
    ("峰会还通过了上海合作组织在海洋领域开展工作的决议。", "上海合作组织在海洋领域开展工作的决议"),
    ("会议批准以及成员国在极地开展科研合作的决议。", "成员国在极地开展科研合作的决议"),
], ids=["org-owner", "owner-word"])
def test_documents_descriptive_name_with_de(run, sentence, name):
    r = run(NORDIC + sentence)
    assert _documents(r) == {name}


@pytest.mark.parametrize("sentence", [
    "会议决定，第四届对话会明年在图尔库举行。",
    "理事会决定成立海洋事务工作组。",
    "挪威方面计划明年举办论坛。",
    "各方在北欧合作框架下加强协调，遵守国际关系基本准则。",
    "峰会发表的宣言体现了各方共识。",
    "各方愿推动各自发展战略对接。",
], ids=["huiyi-jueding", "jueding-verb", "jihua-verb", "kuangjia-untitled", "fabiao-de", "duijie"])
def test_documents_verbs_are_not_documents(run, sentence):
    assert _documents(run(NORDIC + sentence)) == set()


def test_documents_verbal_type_word_governed_by_a_verb(run):
    r = run(NORDIC + "外长们签署了会议决定等5份文件。")
    assert _documents(r) == {"会议决定"}


def test_documents_name_before_yiji(run):
    r = run(NORDIC + "领导人发表关于海洋治理的声明、关于极地科研的声明以及会议《新闻公报》。")
    assert _documents(r) == {"关于海洋治理的声明", "关于极地科研的声明", "新闻公报"}


@pytest.mark.parametrize("sentence,name,action", [
    ("领导人通过了北欧合作成果清单，各方同意深化合作，今年适逢北极合作宪章签署10周年。", "北极合作宪章", "other"),
    ("领导人签署了《北欧海洋合作协定》，以及《北欧极地科研协定》。", "北欧极地科研协定", "signed"),
    ("对话会通过了5份文件，其中包括《北欧海洋合作宣言》。", "北欧海洋合作宣言", "adopted"),
], ids=["verb-of-an-earlier-comma-clause", "names-only-comma-clause", "qizhong-baokuo"])
def test_documents_action_from_the_comma_clause(run, sentence, name, action):
    r = run(NORDIC + sentence)
    ref = next(s for s in r.subjects("label", name) if s.startswith("document:"))
    assert r.objects(ref, "action") == {f"action:{action}"}


@pytest.mark.parametrize("sentence,names", [
    ("各方同意将海洋治理纳入议程。", set()),
    ("各方重申遵守联合国宪章宗旨。", {"联合国宪章"}),
    ("元首们签署了禁毒合作协定。", {"禁毒合作协定"}),
], ids=["naru-yicheng", "zunshou-xianzhang", "jindu-keeps-its-verb"])
def test_documents_untitled_name_holds_no_governing_verb(run, sentence, names):
    assert _documents(run(NORDIC + sentence)) == names


# A quoted name put forward (提出/倡议/发起“…计划”) is an initiative; a quoted name is a document only
# when a document verb acts on it directly. Invented sentences.
@pytest.mark.parametrize("sentence,documents", [
    ("冰岛总统在讲话中提出“松原—中国绿色伙伴计划”，愿同各方共同落实。", set()),
    ("各方倡议“雪原数字合作计划”，欢迎更多国家参与。", set()),
    ("中方发起“雪松青年交流计划”。", set()),
    ("会议通过了“雪原农业合作行动计划”。", {"雪原农业合作行动计划"}),
    ("领导人发表“松城联合声明”。", {"松城联合声明"}),
], ids=["tichu-quoted-plan", "changyi-quoted-plan", "faqi-quoted-plan", "adopted-quoted-plan",
        "issued-quoted-statement"])
def test_documents_quoted_names_need_a_document_verb(run, sentence, documents):
    assert _documents(run(SCO22 + sentence)) == documents
