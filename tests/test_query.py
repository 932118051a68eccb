"""The bundled queries on the development article: the facts themselves, plus golden files.

Golden files live in tests/golden/sco2020/<query>.csv; regenerate them after an intended change
with ``KG_UPDATE_GOLDEN=1 pytest tests/test_query.py`` and review the diff.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.query import bundled_queries, format_table, resolve_query, run_query
from kg.store import load_store

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
GOLDEN = ROOT / "tests" / "golden" / "sco2020"
ID = "https://w3id.org/summit-kg/id/"
COLUMNS = {
    "summits": ["summit", "label", "organization", "ordinal", "startDate", "endDate", "city", "hostState", "format",
                "chair"],
    "documents": ["document", "label", "type", "action", "summit"],
    "initiatives": ["initiative", "label", "proposer", "summit"],
    "speeches": ["speech", "title", "speaker", "summit"],
    "persons": ["person", "name", "title", "affiliation"],
    "organizations": ["organization", "label"],
    "states": ["state", "label"],
    "attendees": ["summit", "attendee", "label", "kind", "basis"],
    "members": ["summit", "organization", "state", "label", "status", "since"],
    "areas": ["area", "label"],
    "evidence": ["subject", "predicate", "object", "sentence", "article", "start", "end"],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("q") / "sco2020.trig"
    assert main(["build", str(ARTICLE), "-o", str(out), "-q"]) == 0
    return load_store(out)


def rows(store, name: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = run_query(store, resolve_query(name), "csv")
    return list(csv.DictReader(io.StringIO(text)))


def test_query_bundled_names_are_the_public_interface() -> None:
    assert sorted(bundled_queries()) == sorted(COLUMNS)


@pytest.mark.parametrize("name", sorted(COLUMNS), ids=sorted(COLUMNS))
def test_query_columns(store, name: str) -> None:  # type: ignore[no-untyped-def]
    header = run_query(store, resolve_query(name), "csv").splitlines()[0]
    assert header.split(",") == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS), ids=sorted(COLUMNS))
def test_query_golden(store, name: str) -> None:  # type: ignore[no-untyped-def]
    text = run_query(store, resolve_query(name), "csv").replace("\r\n", "\n")
    golden = GOLDEN / f"{name}.csv"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_query_summit_facts(store) -> None:  # type: ignore[no-untyped-def]
    (summit,) = rows(store, "summits")
    assert summit["summit"] == ID + "summit/sco/heads-of-state/20"
    assert summit["label"] == "上海合作组织成员国元首理事会第二十次会议"
    assert summit["organization"] == "上海合作组织"
    assert (summit["ordinal"], summit["startDate"], summit["endDate"]) == ("20", "2020-11-10", "2020-11-10")
    assert (summit["format"], summit["chair"]) == ("video", "俄罗斯")


def test_query_document_facts(store) -> None:  # type: ignore[no-untyped-def]
    got = {r["label"]: (r["type"], r["action"]) for r in rows(store, "documents")}
    assert got == {
        "峰会宣言": ("declaration", "signed"),
        "关于共同应对新冠肺炎疫情的声明": ("statement", "issued"),
        "关于第二次世界大战胜利75周年的声明": ("statement", "issued"),
        "关于打击利用互联网传播“三股势力”思想的声明": ("statement", "issued"),
        "关于保障国际信息安全的声明": ("statement", "issued"),
        "关于应对毒品威胁的声明": ("statement", "issued"),
        "关于开展数字经济领域合作的声明": ("statement", "issued"),
        "未来5年行动计划": ("plan", "approved"),
    }


def test_query_initiative_and_speech_facts(store) -> None:  # type: ignore[no-untyped-def]
    proposer = {r["label"]: r["proposer"] for r in rows(store, "initiatives")}
    for community in ("卫生健康共同体", "安全共同体", "发展共同体", "人文共同体"):
        assert proposer[community] == "习近平"
    assert proposer["全球数据安全倡议"] == "中国"
    assert proposer["设立成员国疾控中心间热线联系"] == "习近平"
    (speech,) = rows(store, "speeches")
    assert speech["title"] == "弘扬“上海精神” 深化团结协作 构建更加紧密的命运共同体"
    assert speech["speaker"] == "习近平"


def test_query_person_and_attendee_facts(store) -> None:  # type: ignore[no-untyped-def]
    persons = {(r["name"], r["title"], r["affiliation"]) for r in rows(store, "persons")}
    assert {("乐玉成", "外交部副部长", "外交部"), ("习近平", "国家主席", "中国"), ("刘慧", "记者", "人民日报社"),
            ("薛丹", "记者", "人民日报社")} <= persons
    basis = {r["label"]: (r["kind"], r["basis"]) for r in rows(store, "attendees")}
    assert basis["习近平"] == ("person", "stated")
    assert basis["联合国"] == ("organization", "stated")
    assert basis["中国"] == basis["俄罗斯"] == ("state", "stated")
    inferred = {label for label, (kind, b) in basis.items() if b == "inferred"}
    assert inferred == {"印度", "巴基斯坦", "哈萨克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦", "乌兹别克斯坦",
                        "阿富汗", "白俄罗斯", "伊朗", "蒙古国"}
    assert {r["label"] for r in rows(store, "states")} == {"中国", "俄罗斯"}


def test_query_members_on_the_summit_date(store) -> None:  # type: ignore[no-untyped-def]
    got = {(r["label"], r["status"]) for r in rows(store, "members")}
    members = {s for s, status in got if status == "member"}
    observers = {s for s, status in got if status == "observer"}
    assert members == {"中国", "俄罗斯", "印度", "巴基斯坦", "哈萨克斯坦", "吉尔吉斯斯坦", "塔吉克斯坦",
                       "乌兹别克斯坦"}
    assert observers == {"阿富汗", "白俄罗斯", "伊朗", "蒙古国"}


def test_query_evidence_points_into_the_text(store) -> None:  # type: ignore[no-untyped-def]
    text = ARTICLE.read_text(encoding="utf-8")
    evidence = rows(store, "evidence")
    assert len(evidence) > 100
    for row in evidence:
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start <= end <= len(text)
        assert text[start:end] in row["sentence"]


@pytest.mark.parametrize("bad", ["summitz", "attendees.csv"], ids=["misspelt-name", "not-a-query-file"])
def test_query_unknown_name(bad: str) -> None:
    with pytest.raises(QueryError, match="unknown bundled query"):
        resolve_query(bad)


def test_query_text_that_is_not_sparql(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match="not a SPARQL query"):
        run_query(store, resolve_query("nonsense words"))


def test_query_table_aligns_cjk() -> None:
    from kg.query import _width

    table = format_table(["a", "b"], [["中国", "x"], ["ab", "y"]])
    lines = table.splitlines()
    x_column = _width(lines[2][: lines[2].index("x")])
    y_column = _width(lines[3][: lines[3].index("y")])
    assert x_column == y_column == 6  # 中国 is four columns wide, then two spaces
    assert lines[-1] == "(2 rows)"
