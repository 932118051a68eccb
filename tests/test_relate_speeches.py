"""kg.pipeline.relate.speeches: 发表题为《…》的讲话 — title, speaker and summit."""
from __future__ import annotations

import pytest

from kg import iris

SCO24 = "上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。"
BRICS14 = "金砖国家领导人第十四次会晤以视频方式举行。"


def _speech(summit: str, title: str) -> str:
    return f"speech:{summit}/{iris.slug(title)}"


@pytest.mark.parametrize("text,summit,title,speaker,speaker_evidence", [
    (SCO24 + "国家主席习近平出席会议并发表题为《凝聚上合力量 共创美好家园》的重要讲话。", "sco/heads-of-state/24",
     "凝聚上合力量 共创美好家园", "person:习近平", "习近平出席会议并发表题为《凝聚上合力量 共创美好家园》的重要讲话"),
    (BRICS14 + "俄罗斯总统普京在会晤上发表题为《携手应对全球挑战》的视频讲话。", "brics/leaders/14",
     "携手应对全球挑战", "person:普京", "普京在会晤上发表题为《携手应对全球挑战》的视频讲话"),
    (BRICS14 + "会晤开始前，国家主席习近平在开幕式上发表题为《构建高质量伙伴关系 开启金砖合作新征程》的主旨演讲。",
     "brics/leaders/14", "构建高质量伙伴关系 开启金砖合作新征程", "person:习近平",
     "习近平在开幕式上发表题为《构建高质量伙伴关系 开启金砖合作新征程》的主旨演讲"),
    (SCO24 + "哈萨克斯坦总统托卡耶夫致开幕辞，随后习近平发表题为《携手前行》的书面讲话。", "sco/heads-of-state/24",
     "携手前行", "person:习近平", "习近平发表题为《携手前行》的书面讲话"),
    (SCO24 + "吉尔吉斯斯坦总统扎帕罗夫发表了题为《共同的家园》的致辞。", "sco/heads-of-state/24",
     "共同的家园", "person:扎帕罗夫", "扎帕罗夫发表了题为《共同的家园》的致辞"),
], ids=["xi-important-speech", "putin-video-speech", "keynote-yanjiang", "nearest-speaker", "fa-biao-le-zhici"])
def test_speeches_title_and_speaker(run, text, summit, title, speaker, speaker_evidence):
    r = run(text)
    ref = _speech(summit, title)
    assert r.of_class("Speech") == {ref}
    assert r.objects(ref, "title") == {title}
    assert r.evidence(ref, "title") == title
    assert r.objects(ref, "speaker") == {speaker}
    assert r.evidence(ref, "speaker") == speaker_evidence
    assert r.objects(ref, "deliveredAt") == {f"summit:{summit}"}


def test_speeches_speaker_from_previous_sentence(run):
    r = run(SCO24 + "习近平出席会议。他发表了题为《团结协作 共迎挑战》的重要讲话。")
    ref = _speech("sco/heads-of-state/24", "团结协作 共迎挑战")
    assert r.objects(ref, "speaker") == {"person:习近平"}


def test_speeches_title_spaces_are_normalised(run):
    r = run(SCO24 + "习近平发表题为《弘扬“上海精神”\u3000 共创美好未来》的重要讲话。")
    (ref,) = r.of_class("Speech")
    assert r.objects(ref, "title") == {"弘扬“上海精神” 共创美好未来"}


@pytest.mark.parametrize("mark", ["。", "！"], ids=["full-stop", "exclamation"])
def test_speeches_title_holding_a_sentence_end_is_read_whole(run, mark):
    r = run(SCO24 + f"习近平发表题为《携手抗疫{mark}共创未来》的重要讲话。")
    ref = _speech("sco/heads-of-state/24", f"携手抗疫{mark}共创未来")
    assert r.objects(ref, "title") == {f"携手抗疫{mark}共创未来"}
    assert r.objects(ref, "speaker") == {"person:习近平"}


def test_speeches_without_summit_are_scoped_by_article(run):
    r = run("国家主席习近平在论坛开幕式上发表题为《共建开放世界经济》的主旨演讲。")
    ref = "speech:article/test/共建开放世界经济"
    assert r.of_class("Speech") == {ref}
    assert r.objects(ref, "speaker") == {"person:习近平"}
    assert r.objects(ref, "deliveredAt") == set()


@pytest.mark.parametrize("sentence", [
    "会议发表题为《阿斯塔纳宣言》的文件。",
    "习近平的讲话《凝聚上合力量 共创美好家园》引起热烈反响。",
    "各方发表《阿斯塔纳宣言》。",
], ids=["document-not-speech", "no-tiwei", "document-title"])
def test_speeches_not_a_speech(run, sentence):
    assert run(SCO24 + sentence).of_class("Speech") == set()


def test_speeches_title_is_not_a_document(run):
    r = run(SCO24 + "习近平发表题为《推动构建上合组织合作新格局的行动计划》的讲话。")
    assert r.of_class("Document") == set()
    assert len(r.of_class("Speech")) == 1


# Speeches without a title, by their speaker. Invented meetings and sentences.
def _untitled(r) -> dict[str, set[str]]:
    """Each speech without a title and its speakers."""
    return {s: r.objects(s, "speaker") for s in r.of_class("Speech") if not r.objects(s, "title")}


@pytest.mark.parametrize("sentence,speaker", [
    ("国家主席习近平出席会议并发表重要讲话。", "person:习近平"),
    ("俄罗斯总统普京在会上发言，介绍了俄方的看法。", "person:普京"),
    ("哈萨克斯坦总统托卡耶夫在发言中感谢各方支持。", "person:托卡耶夫"),
    ("习近平发表主旨演讲，阐述中方主张。", "person:习近平"),
    ("吉尔吉斯斯坦总统扎帕罗夫主持会议并致辞。", "person:扎帕罗夫"),
], ids=["bing-fabiao-zhongyao-jianghua", "zai-huishang-fayan", "zai-fayan-zhong", "zhuzhi-yanjiang", "bing-zhici"])
def test_speeches_without_title(run, sentence, speaker):
    r = run(SCO24 + sentence)
    speeches = _untitled(r)
    assert list(speeches.values()) == [{speaker}]
    (ref,) = speeches
    assert r.objects(ref, "deliveredAt") == {"summit:sco/heads-of-state/24"}


def test_speeches_one_per_speaker_and_meeting(run):
    r = run(SCO24 + "习近平出席会议并发表重要讲话。习近平在讲话中指出，各方应加强团结。"
                    "习近平在会上发表题为《同心协力 共创未来》的重要讲话。")
    assert r.of_class("Speech") == {_speech("sco/heads-of-state/24", "同心协力 共创未来")}


def test_speeches_surname_and_title_name_the_speaker(run):
    r = run(SCO24 + "国家主席习近平出席会议。习主席在发表讲话时说，合作前景广阔。")
    assert list(_untitled(r).values()) == [{"person:习近平"}]


@pytest.mark.parametrize("sentence", [
    "习近平将在峰会上发表重要讲话。",
    "蒙古国总统巴特图勒嘎、阿富汗总统加尼列席并发言。",
    "会后习近平出席记者会。习近平发表重要讲话，介绍会晤成果。",
    "各方认真听取了讲话。",
], ids=["future", "list-of-speakers", "press-conference", "no-speaker"])
def test_speeches_without_title_not_read(run, sentence):
    assert _untitled(run(SCO24 + sentence)) == {}
