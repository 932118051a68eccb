"""kg.pipeline.relate.mentions (what an article names) and the helpers of relate.common."""
from __future__ import annotations

from kg.model import Article, Doc, Mention, Ref
from kg.pipeline.relate.common import agent_before, mentions_in, nearest_before

TEXT = "巴基斯坦总理夏巴兹在阿斯塔纳会见上合组织秘书长张明，中方代表出席。"


def test_mentions_article_names_states_orgs_persons_cities(run):
    r = run(TEXT)
    mentions = {key: r.evidence("article:test", "mentions", key)
                for key in ("state:PK", "state:CN", "org:sco", "city:阿斯塔纳", "person:夏巴兹", "person:张明")}
    assert mentions == {"state:PK": "巴基斯坦", "state:CN": "中方", "org:sco": "上合组织", "city:阿斯塔纳": "阿斯塔纳",
                        "person:夏巴兹": "夏巴兹", "person:张明": "张明"}


def test_mentions_known_entities_keep_their_reference_label(run):
    r = run(TEXT)
    assert r.doc.entities[Ref("state", "CN")].label == "中国"  # written 中方
    assert r.doc.entities[Ref("org", "sco")].label == "上海合作组织"  # written 上合组织
    assert r.objects("state:CN", "label") == set()
    assert r.doc.entities[Ref("state", "PK")].known


def test_mentions_rule_names_the_kind(run):
    r = run(TEXT)
    rules = {f.evidence.rule for f in r.find("article:test", "mentions") if f.object.kind in ("state", "org", "city")}
    assert rules == {"gazetteer-state", "gazetteer-org", "gazetteer-city"}


def test_mentions_benbao_is_the_source_organization(run):
    r = run("本报北京6月9日电（记者王远）会议举行。", {"source": "人民日报"})
    assert r.evidence("article:test", "mentions", "org:peoples-daily") == "本报"


# -- relate.common ---------------------------------------------------------------------------
def _doc(text: str, *mentions: tuple[str, str, str]) -> Doc:
    doc = Doc(Article("t", text))
    for kind, written, key in mentions:
        start = text.index(written)
        doc.mentions.append(Mention(kind, start, start + len(written), written, Ref(kind, key)))
    return doc


def test_common_nearest_and_agent_before():
    text = "中方支持俄罗斯总统普京提出的倡议"
    doc = _doc(text, ("state", "中方", "CN"), ("state", "俄罗斯", "RU"), ("person", "普京", "普京"))
    verb = text.index("提出")
    assert nearest_before(doc, verb, 0, "state").ref == Ref("state", "RU")
    assert agent_before(doc, verb, 0).ref == Ref("person", "普京")  # a person before a state
    assert agent_before(doc, text.index("支持"), 0).ref == Ref("state", "CN")
    assert nearest_before(doc, verb, 3, "state").ref == Ref("state", "RU")
    assert nearest_before(doc, verb, 5, "state") is None  # 俄罗斯 starts before the floor
    assert [m.text for m in mentions_in(doc, 0, verb, "state")] == ["中方", "俄罗斯"]


import pytest  # noqa: E402


@pytest.mark.parametrize("text,org,cls", [
    ("会议由东盟、南方林业合作委员会、非盟共同主办。", "南方林业合作委员会", "class:Organization"),
    ("中方支持各国高校加入“北方港口城市联盟”。", "北方港口城市联盟", "class:Organization"),
    ("东盟青年企业家联合会主席陈大文致辞。", "东盟青年企业家联合会", "class:Organization"),
    ("江南晨报讯（记者周小川）会议在南京举行。", "江南晨报", "class:MediaOrganization"),
], ids=["listed", "quoted", "parent-body", "outlet"])
def test_mentions_organizations_found_by_shape_are_typed_and_labelled(run, text, org, cls):
    r = run(text)
    assert r.evidence("article:test", "mentions", f"org:{org}") == org
    assert r.objects(f"org:{org}", "type") == {cls}
    assert r.objects(f"org:{org}", "label") == {org}
