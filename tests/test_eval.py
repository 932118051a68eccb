"""``kg eval``: normalisation, matching rules, scores, and the command end to end on a small invented
report and its gold file written for these tests (tests/data/eval/), never the development set.

Where the maintainers' scorer is at hand (../shared/tools/gold_score.py), the rules are also
checked against it on invented answers: both must give the same numbers."""
from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import InputError, ResourceError
from kg.eval import (
    Matcher,
    Report,
    SetScore,
    Synonyms,
    find_pairs,
    norm,
    prf,
    read_gold,
    score_article,
)
from kg.resources import Resources

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "data" / "eval" / "articles"
GOLD = ROOT / "tests" / "data" / "eval" / "gold"
ARTICLE = "invented_sco30"
WRONG_DOCUMENT = "关于月球科研站合作的声明"  # in the test gold file, named nowhere in the article
SCORER = ROOT.parent / "shared" / "tools" / "gold_score.py"

#: A synonym table written for the tests (the bundled one is tested below).
GROUPS = [["中国", "中方", "我国"], ["俄罗斯", "俄方"], ["上海合作组织", "上合组织", "SCO"], ["蒙古国", "蒙古"]]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Synonyms(GROUPS))


# --------------------------------------------------------------------------- normalisation

@pytest.mark.parametrize(("text", "expected"), [
    ("上海合作组织", "上海合作组织"),
    ("ＳＣＯ　峰会", "SCO峰会"),  # NFKC: full-width letters; the ideographic space is white space
    ("关于 应对\n毒品威胁 的声明", "关于应对毒品威胁的声明"),
    ("《上海合作组织宪章》", "上海合作组织宪章"),
    ("打击“三股势力”的‘声明’", "打击三股势力的声明"),
    ("「一带一路」『倡议』〈〉", "一带一路倡议"),
    ("上海合作組織成員國", "上海合作组织成员国"),  # traditional → simplified
    ("", ""),
    (None, ""),
    (20, "20"),
], ids=["plain", "nfkc-fullwidth", "whitespace", "book-title-marks", "quotes", "corner-brackets",
        "traditional", "empty", "none", "number"])
def test_norm(text: object, expected: str) -> None:
    assert norm(text) == expected


# --------------------------------------------------------------------------- same item

@pytest.mark.parametrize(("pred", "names", "expected"), [
    ("俄罗斯", ["俄罗斯"], True),
    ("峰会宣言", ["宣言", "莫斯科宣言", "峰会宣言"], True),  # an alias
    ("《峰会宣言》", ["峰会 宣言"], True),
    ("俄方", ["俄罗斯"], True),  # synonyms
    ("SCO", ["上合组织"], True),
    ("中方", ["俄罗斯"], False),
    ("北京市", ["北京"], True),  # a trailing 市/省 is dropped
    ("广东省", ["广东"], True),
    ("上海合作组织成员国元首理事会关于应对毒品威胁的声明", ["关于应对毒品威胁的声明"], True),  # ends the longer
    ("关于应对毒品威胁的声明", ["上海合作组织成员国元首理事会关于应对毒品威胁的声明"], True),
    ("打击毒品", ["加强打击毒品合作"], True),  # inside, 4 of 8 characters (≥ 40 %)
    ("打击毒品", ["上海合作组织成员国打击毒品合作协定"], False),  # inside, 4 of 17 (< 40 %)
    ("数字经济", ["开展数字经济"], True),  # ends the longer, whatever the share
    ("宣言", ["峰会宣言"], False),  # the shorter name has fewer than 4 characters
    ("三股势", ["打击三股势力"], False),
    ("", ["宣言"], False),
    ("宣言", ["", None], False),
], ids=["equal", "alias", "normalised", "synonym-state", "synonym-org", "different-states", "city-suffix",
        "province-suffix", "containment-suffix", "containment-suffix-reversed", "containment-40pct",
        "containment-under-40pct", "suffix-any-share", "short-no-containment", "three-chars", "empty-pred",
        "empty-names"])
def test_same(matcher: Matcher, pred: str, names: list[str], expected: bool) -> None:
    assert matcher.same(pred, names) is expected


# --------------------------------------------------------------------------- sets

def _gold(*labels: str, optional: tuple[str, ...] = (), aliases: dict[str, list[str]] | None = None) -> list[dict]:
    items: list[dict] = [{"label": label, "aliases": (aliases or {}).get(label, [])} for label in labels]
    items += [{"label": label, "optional": True} for label in optional]
    return items


@pytest.mark.parametrize(("gold", "preds", "counts", "missing", "extra"), [
    (_gold("中国", "俄罗斯"), ["中国", "俄罗斯"], (2, 0, 0), [], []),
    (_gold("中国", "俄罗斯"), ["中国"], (1, 0, 1), ["俄罗斯"], []),
    (_gold("中国"), ["中国", "印度"], (1, 1, 0), [], ["印度"]),
    (_gold("中国"), ["中国", "中国"], (1, 0, 0), [], []),  # identical strings count once
    (_gold("中国"), ["中国", "中方"], (1, 1, 0), [], ["中方"]),  # two names of one item: a duplicate
    (_gold("峰会宣言", aliases={"峰会宣言": ["莫斯科宣言"]}), ["峰会宣言", "莫斯科宣言"], (1, 1, 0), [],
     ["莫斯科宣言"]),
    (_gold("峰会宣言", aliases={"峰会宣言": ["莫斯科宣言"]}), ["莫斯科宣言"], (1, 0, 0), [], []),
    (_gold("中国", optional=("人类命运共同体",)), ["中国"], (1, 0, 0), [], []),  # optional: not needed
    (_gold("中国", optional=("人类命运共同体",)), ["中国", "人类命运共同体"], (1, 0, 0), [], []),  # nor faulted
    (_gold(optional=("人类命运共同体",)), ["人类命运共同体", "构建人类命运共同体"], (0, 1, 0), [], []),
    (_gold("关于应对毒品威胁的声明", "关于保障国际信息安全的声明"),
     ["上海合作组织成员国元首理事会关于保障国际信息安全的声明"], (1, 0, 1), ["关于应对毒品威胁的声明"], []),
    ([], ["中国"], (0, 1, 0), [], ["中国"]),
    ([], [], (0, 0, 0), [], []),
], ids=["all-found", "one-missing", "one-extra", "identical-once", "synonym-duplicate", "alias-duplicate",
        "alias-found", "optional-not-needed", "optional-not-faulted", "optional-twice-is-duplicate",
        "longer-official-name", "nothing-to-find", "nothing-at-all"])
def test_match_set(matcher: Matcher, gold: list[dict], preds: list[str], counts: tuple[int, int, int],
                   missing: list[str], extra: list[str]) -> None:
    score = matcher.match_set(gold, preds)
    assert (score.tp, score.fp, score.fn) == counts
    assert score.missing == missing
    assert score.extra == extra


def test_match_set_is_greedy_in_answer_order(matcher: Matcher) -> None:
    # 打击毒品合作 names both items and takes the first; 加强打击毒品合作, the first item's full name,
    # then finds it taken and is a duplicate, though a best assignment would have matched both
    gold = _gold("加强打击毒品合作", "打击毒品合作协定")
    score = matcher.match_set(gold, ["打击毒品合作", "加强打击毒品合作"])
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert [(answer, item["label"]) for answer, item in score.pairs] == [("打击毒品合作", "加强打击毒品合作")]
    assert score.missing == ["打击毒品合作协定"]
    in_other_order = matcher.match_set(gold, ["加强打击毒品合作", "打击毒品合作"])
    assert (in_other_order.tp, in_other_order.fp, in_other_order.fn) == (2, 0, 0)


@pytest.mark.parametrize(("rows", "counts"), [
    ([("中国", "member"), ("蒙古国", "observer")], (2, 0, 0)),
    ([("中国", "member"), ("蒙古", "observer")], (2, 0, 0)),
    ([("中国", "observer"), ("蒙古国", "observer")], (1, 1, 1)),  # status counts
    ([("中国", "member"), ("中国", "member"), ("蒙古国", "observer")], (2, 1, 0)),  # rows are not merged
    ([("中国", "https://w3id.org/summit-kg/id/status/member")], (1, 0, 1)),
], ids=["exact", "without-guo", "wrong-status", "duplicate-row", "status-iri"])
def test_match_members(matcher: Matcher, rows: list[tuple[str, str]], counts: tuple[int, int, int]) -> None:
    score = matcher.match_members({"member": ["中国"], "observer": ["蒙古国"]},
                                  [{"label": label, "status": status} for label, status in rows])
    assert (score.tp, score.fp, score.fn) == counts


@pytest.mark.parametrize(("tp", "fp", "fn", "expected"), [
    (13, 3, 0, (0.8125, 1.0, 0.896552)),
    (2, 0, 2, (1.0, 0.5, 0.666667)),
    (0, 0, 0, (1.0, 1.0, 1.0)),  # nothing to find, nothing found
    (0, 0, 3, (0.0, 0.0, 0.0)),  # nothing found
    (0, 2, 0, (0.0, 1.0, 0.0)),  # nothing to find, something found
], ids=["fp", "fn", "empty", "nothing-found", "nothing-to-find"])
def test_prf(tp: int, fp: int, fn: int, expected: tuple[float, float, float]) -> None:
    assert prf(tp, fp, fn) == pytest.approx(expected, abs=1e-6)


# --------------------------------------------------------------------------- one article, given answers

SUMMIT_ROW = {"summit": "https://w3id.org/summit-kg/id/summit/x/1", "label": "第一次峰会",
              "organization": "上海合作组织", "ordinal": "1",
              "startDate": "2020-11-10", "format": "video", "chair": "俄罗斯"}


def test_score_article_attributes(matcher: Matcher) -> None:
    gold = {
        "summits": [{"label": "第一次峰会", "organization": "上合组织", "ordinal": 1, "start_date": "2020-11-10",
                     "end_date": "2020-11-11", "format": "video", "chair": "俄方", "city": None}],
        "documents": [{"label": "峰会宣言", "type": "declaration"},
                      {"label": "关于应对疫情的声明", "type": "statement"}],
        "persons": [{"name": "习近平", "title": "国家主席"}],
        "states": [{"label": "俄罗斯", "aliases": ["俄方"]}],
    }
    answers = {
        "summits": [SUMMIT_ROW],
        "documents": [{"label": "峰会宣言", "type": "declaration"}, {"label": "关于应对疫情的声明", "type": "plan"}],
        "persons": [{"name": "习近平", "title": "中国国家主席"}],
        "states": [{"label": "俄罗斯"}],
    }
    score = score_article(gold, answers, matcher, article="test")
    cats = score.categories
    assert (cats["summit_fields"].ok, cats["summit_fields"].all) == (5, 6)  # end_date is missing
    assert cats["summit_fields"].misses == ["end_date: want '2020-11-11', got ''"]
    assert (cats["document_types"].ok, cats["document_types"].all) == (1, 2)
    assert (cats["person_titles"].ok, cats["person_titles"].all) == (1, 1)  # the answer ends with the gold title
    # as the maintainers' scorer does, a list the gold file leaves out is scored as empty
    assert list(cats) == ["summits", "summit_fields", "documents", "document_types", "initiatives",
                          "initiative_proposers", "speeches", "speech_speakers", "persons", "person_titles",
                          "organizations", "states", "attendees", "cooperation_areas"]


def test_score_article_left_out_list_faults_every_answer(matcher: Matcher) -> None:
    score = score_article({}, {"states": [{"label": "中国"}], "members": [{"label": "中国", "status": "member"}]},
                          matcher)
    states = score.categories["states"]
    assert isinstance(states, SetScore) and (states.tp, states.fp, states.fn) == (0, 1, 0)
    assert "members" not in score.categories  # members only against a gold membership


def test_score_article_empty_list_faults_every_answer(matcher: Matcher) -> None:
    score = score_article({"states": []}, {"states": [{"label": "中国"}]}, matcher)
    assert isinstance(score.categories["states"], SetScore)
    assert score.categories["states"].fp == 1


# --------------------------------------------------------------------------- speeches without a title

SPEECH_IRI = "https://w3id.org/summit-kg/id/speech/x/"


def _speech(n: int, speaker: str, title: str = "") -> dict[str, str]:
    return {"speech": f"{SPEECH_IRI}{n}", "title": title, "speaker": speaker}


@pytest.mark.parametrize(("gold", "rows", "counts", "missing", "extra"), [
    ([{"title": None, "speaker": "习近平"}], [_speech(1, "习近平")], (1, 0, 0), [], []),
    ([{"title": None, "speaker": "习近平"}], [_speech(1, "习近平"), _speech(2, "习近平")], (1, 1, 0), [],
     [f"<untitled {SPEECH_IRI}2>"]),
    ([{"title": None, "speaker": "习近平"}], [_speech(1, "普京")], (0, 1, 1), ["(untitled, by 习近平)"],
     [f"<untitled {SPEECH_IRI}1>"]),
    ([{"title": None, "speaker": "习近平"}], [], (0, 0, 1), ["(untitled, by 习近平)"], []),
    ([{"title": None, "speaker": "习近平", "optional": True}], [_speech(1, "习近平")], (0, 0, 0), [], []),
    ([{"title": None, "speaker": "习近平", "optional": True}], [], (0, 0, 0), [], []),
    ([{"title": None, "speaker": "习近平"}], [_speech(1, "习近平", "携手共建数字未来")], (1, 0, 0), [], []),
    ([{"title": "携手共建数字未来", "speaker": "习近平"}, {"title": None, "speaker": "习近平"}],
     [_speech(1, "习近平", "携手共建数字未来"), _speech(2, "习近平")], (2, 0, 0), [], []),
    ([{"title": "携手共建数字未来", "speaker": "习近平"}, {"title": None, "speaker": "普京"}],
     [_speech(1, "习近平", "携手共建数字未来"), _speech(2, "普京"), _speech(3, "普京")], (2, 1, 0), [],
     [f"<untitled {SPEECH_IRI}3>"]),
    ([{"title": None, "speaker": "习近平"}, {"title": None, "speaker": "普京"}],
     [_speech(1, "普京"), _speech(2, "习近平")], (2, 0, 0), [], []),
    ([{"title": None, "speaker": "弗拉基米尔·普京"}], [_speech(1, "普京")], (1, 0, 0), [], []),
    ([{"title": None, "speaker": ["普京", "俄罗斯"]}], [_speech(1, "俄方")], (1, 0, 0), [], []),
], ids=["untitled-on-speaker", "second-untitled-answer-is-fp", "other-speaker", "nothing-answered",
        "optional-not-faulted", "optional-not-needed", "takes-a-titled-extra", "titled-first-then-untitled",
        "two-untitled-answers-one-gold", "two-untitled-golds-in-any-order", "speaker-alias", "speaker-list-synonym"])
def test_untitled_speeches(matcher: Matcher, gold: list[dict], rows: list[dict[str, str]],
                           counts: tuple[int, int, int], missing: list[str], extra: list[str]) -> None:
    persons = [{"name": "弗拉基米尔·普京", "aliases": ["普京"]}]
    score = score_article({"speeches": gold, "persons": persons}, {"speeches": rows}, matcher)
    speeches = score.categories["speeches"]
    assert isinstance(speeches, SetScore)
    assert (speeches.tp, speeches.fp, speeches.fn) == counts
    assert speeches.missing == missing
    assert speeches.extra == extra


def test_untitled_speech_pairs_are_not_scored_for_their_speaker(matcher: Matcher) -> None:
    gold = {"speeches": [{"title": "携手共建数字未来", "speaker": "习近平"}, {"title": None, "speaker": "普京"}]}
    rows = [_speech(1, "俄方", "携手共建数字未来"), _speech(2, "普京")]
    cats = score_article(gold, {"speeches": rows}, matcher).categories
    assert (cats["speeches"].tp, cats["speeches"].fp, cats["speeches"].fn) == (2, 0, 0)  # type: ignore[union-attr]
    assert (cats["speech_speakers"].ok, cats["speech_speakers"].all) == (0, 1)  # type: ignore[union-attr]


def test_speech_without_title_column(matcher: Matcher) -> None:
    # an OPTIONAL title left unbound: the row has no title at all
    rows = [{"speech": f"{SPEECH_IRI}1", "speaker": "习近平"}]
    score = score_article({"speeches": [{"title": None, "speaker": "习近平"}]}, {"speeches": rows}, matcher)
    assert score.categories["speeches"].tp == 1  # type: ignore[union-attr]
    assert rows == [{"speech": f"{SPEECH_IRI}1", "speaker": "习近平"}]  # the answers are left as they were


# --------------------------------------------------------------------------- the same numbers as the scorer

def _load_scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gold_score_for_tests", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Invented (gold, answers) pairs on which the maintainers' scorer and kg eval must agree.
AGREEMENT_CASES = {
    "speeches": ({"speeches": [{"title": "携手共建数字未来", "speaker": "习近平"}, {"title": None, "speaker": "普京"},
                               {"title": None, "speaker": "莫迪", "optional": True},
                               {"title": None, "speaker": "卢拉"}],
                  "persons": [{"name": "弗拉基米尔·普京", "aliases": ["普京"]}]},
                 {"speeches": [_speech(1, "习近平", "携手共建数字未来"), _speech(2, "普京"), _speech(3, "普京"),
                               _speech(4, "莫迪"), _speech(5, "习近平", "另一篇讲话")]}),
    "attributes": ({"summits": [{"label": "第一次峰会", "organization": "上合组织", "ordinal": 1,
                                 "start_date": "2031-07-03", "end_date": "2031-07-04", "format": "in_person",
                                 "chair": ["普京", "俄罗斯"], "city": "杜尚别市", "host_state": "塔吉克斯坦"}],
                    "documents": [{"label": "峰会宣言", "type": "declaration"},
                                  {"label": "行动计划", "type": ["plan"]}],
                    "initiatives": [{"label": "数字合作倡议", "proposer": "中方"}],
                    "persons": [{"name": "习近平", "title": "国家主席"}, {"name": "林海", "title": "记者"}]},
                   {"summits": [{"label": "第一次峰会", "organization": "SCO", "ordinal": "1",
                                 "startDate": "2031-07-03",
                                 "endDate": "2031-07-05", "format": "https://w3id.org/summit-kg/id/format/in-person",
                                 "chair": "俄方", "city": "杜尚别", "hostState": "塔吉克斯坦共和国"}],
                    "documents": [{"label": "峰会宣言", "type": "declaration"}, {"label": "行动计划", "type": "plan"}],
                    "initiatives": [{"label": "数字合作倡议", "proposer": "中国"}],
                    "persons": [{"name": "习近平", "title": "中国国家主席"}, {"name": "林海", "title": "摄影记者"},
                                {"name": "王五", "title": "部长"}]}),
    "sets": ({"organizations": [{"label": "上海合作组织", "aliases": ["上合组织"]},
                                {"label": "央视", "optional": True}],
              "states": ["中国", "蒙古国"], "attendees": [{"label": "中国"}, {"label": "普京"}],
              "cooperation_areas": ["数字经济", {"label": "能源", "optional": True}],
              "membership": {"member": ["中国", "俄罗斯"], "observer": ["蒙古国"]}},
             {"organizations": [{"label": "上合组织"}, {"label": "上海合作组织"}, {"label": "央视"},
                                {"label": "新华社"}],
              "states": [{"label": "中方"}, {"label": "蒙古"}, {"label": "我国"}],
              "attendees": [{"label": "中华人民共和国"}], "areas": [{"label": "数字经济合作"}, {"label": "能源"}],
              "members": [{"label": "中国", "status": "member"}, {"label": "蒙古", "status": "observer"},
                          {"label": "印度", "status": "member"}]}),
    "left-out-lists": ({"states": ["中国"]},
                       {"states": [{"label": "中国"}], "persons": [{"name": "习近平", "title": "国家主席"}],
                        "documents": [{"label": "宣言", "type": "declaration"}]}),
}


@pytest.mark.skipif(not SCORER.is_file(), reason="the maintainers' scorer is not at ../shared/tools")
@pytest.mark.parametrize("case", list(AGREEMENT_CASES), ids=list(AGREEMENT_CASES))
def test_same_numbers_as_the_scorer(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gold, answers = AGREEMENT_CASES[case]
    scorer = _load_scorer()

    def build(cmd: list[str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
        Path(cmd[cmd.index("-o") + 1]).write_text("", encoding="utf-8")  # the scorer only checks it exists
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(scorer, "run", build)
    monkeypatch.setattr(scorer, "ask", lambda kg, graph, name: (copy.deepcopy(answers.get(name, [])), None))
    article = tmp_path / "a.txt"
    article.write_text("x", encoding="utf-8")
    theirs = scorer.score_article(["kg"], article, copy.deepcopy(gold))["categories"]
    ours = score_article(gold, answers, Matcher(Synonyms.bundled(Resources()))).categories
    assert list(ours) == list(theirs)
    for name, score in ours.items():
        if isinstance(score, SetScore):
            assert (score.tp, score.fp, score.fn) == tuple(theirs[name][k] for k in ("tp", "fp", "fn")), name
            assert score.missing == [str(m) for m in theirs[name]["missing"]], name
            assert score.extra == theirs[name]["extra"], name
        else:
            assert (score.ok, score.all, score.misses) == (theirs[name]["ok"], theirs[name]["all"],
                                                          theirs[name]["misses"]), name


@pytest.mark.skipif(not SCORER.is_file(), reason="the maintainers' scorer is not at ../shared/tools")
def test_bundled_synonyms_are_the_scorers() -> None:
    scorer = _load_scorer()
    theirs = {name: group[0] for group in scorer.SYNONYMS for name in group}
    ours = {row["form"]: row["same_as"] for row in Resources().tsv("lexicon/eval_synonyms.tsv")}
    assert ours == theirs


# --------------------------------------------------------------------------- the bundled synonyms

@pytest.fixture(scope="module")
def bundled() -> Matcher:
    return Matcher(Synonyms.bundled(Resources()))


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("中国", "我国", True),
    ("中国", "中华人民共和国", True),
    ("俄罗斯", "俄方", True),
    ("上海合作组织", "上合组织", True),
    ("上海合作组织", "SCO", True),
    ("联合国", "UN", True),
    ("世界卫生组织", "WHO", True),
    ("亚洲相互协作与信任措施会议", "亚信会议", True),
    ("人民日报社", "人民日报", True),
    ("中国", "俄罗斯", False),
    ("联合国", "WHO", False),
], ids=["woguo", "official-name", "fang", "sco-short", "sco-english", "un", "who", "cica", "peoples-daily",
        "two-states", "two-organizations"])
def test_bundled_synonyms(bundled: Matcher, a: str, b: str, expected: bool) -> None:
    assert (bundled.synonyms.key(a) == bundled.synonyms.key(b)) is expected


def test_synonyms_conflict_is_an_error() -> None:
    synonyms = Synonyms([["中国", "中方"], ["俄罗斯", "俄方"]])
    with pytest.raises(ResourceError, match="中方"):
        synonyms.add("中方", "俄罗斯")
    with pytest.raises(ResourceError, match="中方"):
        Synonyms([["中国", "中方"], ["俄罗斯", "中方"]])


def test_synonyms_from_rows_start_groups_at_their_head() -> None:
    synonyms = Synonyms.from_rows([{"form": "蒙古国", "same_as": "蒙古国"}, {"form": "蒙古", "same_as": "蒙古国"}])
    assert len(synonyms) == 1 and synonyms.key("蒙古") == synonyms.key("蒙古国") != synonyms.key("中国")


# --------------------------------------------------------------------------- gold files

@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ("[]", "is a JSON object"),
    ('{"schema": "other/2"}', "unknown schema"),
    ('{"states": "中国"}', "'states' is a list"),
    ('{"persons": [{"label": "习近平"}]}', "persons item 1 has no 'name'"),
    ('{"documents": [{"label": "宣言", "aliases": "声明"}]}', "'aliases' is a list of strings"),
    ('{"documents": [3]}', "documents item 1 is a number"),
    ('{"membership": {"member": "中国"}}', "membership 'member' is a list"),
    ('{"speeches": [{"title": null}]}', "speeches item 1 has no title and no 'speaker'"),
    ('{"speeches": [{"speaker": "习近平"}, {"title": ""}]}', "speeches item 2 has no 'title'"),
], ids=["not-json", "not-object", "schema", "category-not-list", "item-without-key", "aliases-not-list",
        "item-number", "membership", "untitled-speech-without-speaker", "empty-title"])
def test_read_gold_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_gold(path)


@pytest.mark.parametrize("speech", [
    {"title": None, "speaker": "习近平"},
    {"speaker": "习近平"},
    {"title": None, "speaker": ["普京", "俄罗斯"]},
], ids=["null-title", "no-title-key", "speaker-list"])
def test_read_gold_untitled_speech(tmp_path: Path, speech: dict) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"speeches": [speech]}, ensure_ascii=False), encoding="utf-8")
    assert read_gold(path)["speeches"] == [speech]


def test_find_pairs_skips_meta_and_reports_orphans(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    for name in ("a.json", "a.meta.json", "b.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    pairs, orphans = find_pairs(tmp_path, tmp_path)
    assert pairs == [(tmp_path / "a.txt", tmp_path / "a.json")]
    assert orphans == [tmp_path / "b.json"]


# --------------------------------------------------------------------------- end to end

@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """``kg eval tests/data/eval/articles --gold tests/data/eval/gold``: the JSON report and the table."""
    out = tmp_path_factory.mktemp("eval") / "scores.json"
    proc = subprocess.run([sys.executable, "-m", "kg", "eval", str(ARTICLES), "--gold", str(GOLD), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


def _category(report: dict, name: str) -> dict:
    [article] = report["articles"]
    assert article["article"] == ARTICLE
    return article["categories"][name]


@pytest.mark.parametrize("name", ["summits", "states"])
def test_eval_end_to_end_perfect_categories(evaluated: tuple[dict, str], name: str) -> None:
    score = _category(evaluated[0], name)
    assert (score["precision"], score["recall"], score["f1"]) == (1.0, 1.0, 1.0), score
    assert score["fp"] == 0 and score["fn"] == 0 and score["tp"] > 0


@pytest.mark.parametrize(("name", "count"), [("summit_fields", 7), ("document_types", 1), ("person_titles", 3)],
                         ids=["summit_fields", "document_types", "person_titles"])
def test_eval_end_to_end_attributes(evaluated: tuple[dict, str], name: str, count: int) -> None:
    # every attribute the gold gives a matched item counts (the summit's chair is null: not counted);
    # how many are right is the extraction's business
    score = _category(evaluated[0], name)
    assert score["all"] == count and score["ok"] + len(score["misses"]) == count, score


def test_eval_end_to_end_wrong_item_is_missing(evaluated: tuple[dict, str]) -> None:
    score = _category(evaluated[0], "documents")
    assert score["missing"] == [WRONG_DOCUMENT]
    assert score["fn"] == 1
    assert ["上海合作组织成员国元首理事会关于加强数字经济合作的声明", "关于加强数字经济合作的声明"] in score["matched"]
    assert f"missing: {WRONG_DOCUMENT}" in evaluated[1]


def test_eval_end_to_end_speeches(evaluated: tuple[dict, str]) -> None:
    # the titled speech is found; the untitled one (普京致辞) is found on its speaker or missing as untitled
    score = _category(evaluated[0], "speeches")
    assert ["携手共建数字未来", "携手共建数字未来"] in score["matched"] and score["fp"] == 0
    assert score["tp"] == 2 or score["missing"] == ["(untitled, by 普京)"], score


def test_eval_end_to_end_every_category(evaluated: tuple[dict, str]) -> None:
    # lists left out or empty are scored (initiatives: []); members only with a membership
    report = evaluated[0]
    assert set(report["articles"][0]["categories"]) == {
        "summits", "summit_fields", "documents", "document_types", "initiatives", "initiative_proposers",
        "speeches", "speech_speakers", "persons", "person_titles", "organizations", "states", "attendees",
        "cooperation_areas"}
    assert set(report["summary"]["per_category"]) == set(report["articles"][0]["categories"])


def test_eval_end_to_end_table(evaluated: tuple[dict, str]) -> None:
    report, table = evaluated
    lines = table.splitlines()
    assert lines[0] == f"== {ARTICLE}"
    fields = _category(report, "summit_fields")
    assert f"   summit_fields        {fields['ok']}/7 right" in lines or any(
        line.startswith(f"   summit_fields        {fields['ok']}/7 right  [") for line in lines)
    total, per_article = lines.index("== total (1 article)"), lines.index("== per article")
    assert lines[total + 1].split() == ["category", "tp", "fp", "fn", "P", "R", "F1"]
    totals = {line[3:].split("  ")[0].strip(): line.split() for line in lines[total + 2:per_article]}
    for name, score in report["summary"]["per_category"].items():
        if "tp" in score:
            assert totals[name][-6:] == [str(score["tp"]), str(score["fp"]), str(score["fn"]),
                                         f"{score['precision']:.3f}", f"{score['recall']:.3f}", f"{score['f1']:.3f}"]
        else:
            assert totals[name][-3:] == [f"{score['ok']}/{score['all']}", "right", f"{score['accuracy']:.3f}"]
    micro, acc = report["summary"]["micro"], report["summary"]["attributes"]
    assert totals["micro (set categories)"][-6:-3] == [str(micro["tp"]), str(micro["fp"]), str(micro["fn"])]
    assert totals["attributes"][-3:-1] == [f"{acc['ok']}/{acc['all']}", "right"]
    [row] = report["summary"]["per_article"]
    assert lines[per_article + 1].split() == ["article", "tp", "fp", "fn", "P", "R", "F1", "attributes"]
    assert lines[per_article + 2].split() == [
        ARTICLE, str(row["tp"]), str(row["fp"]), str(row["fn"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
        f"{row['f1']:.3f}", f"{row['attributes']['ok']}/{row['attributes']['all']}"]
    assert (row["tp"], row["fp"], row["fn"]) == (micro["tp"], micro["fp"], micro["fn"])
    assert lines[-1] == (f"articles 1  micro P {micro['precision']:.3f} R {micro['recall']:.3f} "
                         f"F1 {micro['f1']:.3f}  attributes {acc['ok']}/{acc['all']}  errors 0")


@pytest.mark.parametrize(("args", "written"), [([], None), (["--json", "scores.json"], "scores.json")],
                         ids=["no-json-no-file", "json-asked"])
def test_eval_writes_json_only_when_asked(evaluated: tuple[dict, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str], args: list[str],
                                          written: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["eval", str(ARTICLES), "--gold", str(GOLD), *args]) == 0
    out, err = capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ([written] if written else [])  # no eval.json dropped here
    assert ("kg: scores written to" in err) is bool(written)
    assert out.splitlines()[-1].startswith("articles 1  micro P ")  # the tables on standard output either way
    if written:
        first = (tmp_path / written).read_text(encoding="utf-8")
        assert json.loads(first) == evaluated[0]
        assert first == json.dumps(json.loads(first), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_eval_json_is_deterministic(evaluated: tuple[dict, str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(ARTICLES), "--gold", str(GOLD), "-q", "--json", str(tmp_path / "again.json")]) == 0
    first = json.dumps(evaluated[0], ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == first
    out = capsys.readouterr().out
    assert out.startswith("== total (1 article)") and "== per article" in out  # -q: no article's categories


def test_report_of_no_article_is_perfect() -> None:
    assert Report([]).summary_line() == "articles 0  micro P 1.000 R 1.000 F1 1.000  attributes 0/0  errors 0"


# --------------------------------------------------------------------------- errors

def _kg_eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "eval", *args], capture_output=True, text=True, timeout=300)


def _invalid_json_gold(tmp: Path) -> list[str]:
    (tmp / f"{ARTICLE}.json").write_text('{"states": ["中国",]}', encoding="utf-8")
    return [str(ARTICLES), "--gold", str(tmp)]


def _only_meta_gold(tmp: Path) -> list[str]:
    (tmp / f"{ARTICLE}.meta.json").write_text("{}", encoding="utf-8")
    return [str(ARTICLES), "--gold", str(tmp)]


def _no_article_for_gold(tmp: Path) -> list[str]:
    (tmp / "unknown_article.json").write_text("{}", encoding="utf-8")
    return [str(ARTICLES), "--gold", str(tmp)]


@pytest.mark.parametrize(("make_args", "message"), [
    (lambda tmp: [str(tmp / "nowhere"), "--gold", str(GOLD)], "no such articles directory"),
    (lambda tmp: [str(ARTICLES), "--gold", str(tmp / "nowhere")], "no such gold directory"),
    (lambda tmp: [str(ARTICLES / f"{ARTICLE}.txt"), "--gold", str(GOLD)], "not a directory"),
    (lambda tmp: [str(ARTICLES), "--gold", str(tmp)], "no gold files"),
    (_only_meta_gold, "no gold files"),
    (_invalid_json_gold, "not valid JSON (line 1"),
    (_no_article_for_gold, "no article <id>.txt for any gold file"),
], ids=["missing-articles-dir", "missing-gold-dir", "articles-not-dir", "empty-gold-dir", "only-meta-json",
        "invalid-json", "no-matching-article"])
def test_eval_errors_are_one_line(tmp_path: Path, make_args, message: str) -> None:  # type: ignore[no-untyped-def]
    proc = _kg_eval(*make_args(tmp_path), "--json", str(tmp_path / "out.json"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and message in lines[0], proc.stderr
    assert not (tmp_path / "out.json").exists()


def test_import_kg_eval_is_cheap() -> None:
    code = "import sys, kg.eval; print('\\n'.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    heavy = ["jieba", "pyoxigraph", "rdflib", "opencc", "pyshacl", "networkx", "kg.lexicon", "kg.pipeline.builder"]
    assert not [m for m in heavy if m in loaded]


def test_eval_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", "eval", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "--gold GOLD_DIR" in proc.stdout and "--json OUT.json" in proc.stdout and "no file" in proc.stdout
