"""The bundled queries on the development article: the facts themselves, plus golden files.

Golden files live in tests/golden/sco2020/<query>.csv; regenerate them after an intended change
with ``KG_UPDATE_GOLDEN=1 pytest tests/test_query.py`` and review the diff.
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.query import _width, bundled_queries, fit_widths, format_table, resolve_query, run_query
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
    table = format_table(["a", "b"], [["中国", "x"], ["ab", "y"]])
    lines = table.splitlines()
    x_column = _width(lines[2][: lines[2].index("x")])
    y_column = _width(lines[3][: lines[3].index("y")])
    assert x_column == y_column == 6  # 中国 is four columns wide, then two spaces
    assert lines[-1] == "(2 rows)"


# --------------------------------------------------------------------------- tables for reading (issue 9)


#: Two summits with labels and a mixed column (an IRI or a literal); one label holds a line break.
TABLE_TRIG = """
@prefix skg:  <https://w3id.org/summit-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/summit-kg/graph/article/a> {
  <https://w3id.org/summit-kg/id/summit/x/1> a skg:Summit ; skos:prefLabel "第一次会议"@zh-Hans ;
      skg:note <https://w3id.org/summit-kg/id/state/CN> .
  <https://w3id.org/summit-kg/id/summit/x/2> a skg:Summit ; skos:prefLabel "第二次\\n会议"@zh-Hans ;
      skg:note "视频" .
}
"""
TABLE_QUERY = """SELECT ?summit ?label ?note WHERE { ?summit a skg:Summit ; skos:prefLabel ?label ; skg:note ?note }
ORDER BY ?summit"""


@pytest.fixture()
def table_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "table.trig"
    path.write_text(TABLE_TRIG, encoding="utf-8")
    return load_store(path)


@pytest.mark.parametrize(("query", "iris", "header", "cells", "note"), [
    (TABLE_QUERY, False, ["label", "note"], [["第一次会议", "state:CN"], ["第二次 会议", "视频"]],
     "IRI column summit hidden: --iris shows it."),
    (TABLE_QUERY, True, ["summit", "label", "note"],
     [["kgid:summit/x/1", "第一次会议", "state:CN"], ["kgid:summit/x/2", "第二次 会议", "视频"]], None),
    ("SELECT ?summit WHERE { ?summit a skg:Summit } ORDER BY ?summit", False, ["summit"],
     [["kgid:summit/x/1"], ["kgid:summit/x/2"]], None),  # every column of IRIs: nothing else to show
], ids=["iris-hidden", "iris-shown", "only-iris"])
def test_query_table_hides_iri_columns(table_store, query: str, iris: bool, header: list[str],  # type: ignore[no-untyped-def]
                                       cells: list[list[str]], note: str | None) -> None:
    lines = run_query(table_store, query, "table", iris=iris).splitlines()
    assert lines[0].split() == header
    assert [re.split(r"\s{2,}", line.strip()) for line in lines[2:4]] == cells  # a line break is a space
    assert lines[4:] == ([note] if note else []) + ["(2 rows)"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"], ids=["csv", "tsv", "json"])
def test_query_other_formats_keep_whole_iris(table_store, fmt: str) -> None:  # type: ignore[no-untyped-def]
    text = run_query(table_store, TABLE_QUERY, fmt, width=10)
    assert "https://w3id.org/summit-kg/id/summit/x/1" in text and "https://w3id.org/summit-kg/id/state/CN" in text
    assert "…" not in text


@pytest.mark.parametrize("width", [None, 50, 30, 24], ids=["no-limit", "50", "30", "24"])
def test_query_table_fits_the_width(width: int | None) -> None:
    header = ["label", "ordinal", "startDate"]
    rows = [["上海合作组织成员国元首理事会第二十次会议", "20", "2020-11-10"],
            ["金砖国家领导人第十五次会晤", "15", "2023-08-22"]]
    lines = format_table(header, rows, width=width).splitlines()
    natural = max(_width(line) for line in lines)
    if width is None:
        assert natural == _width("上海合作组织成员国元首理事会第二十次会议  20       2020-11-10")
        assert "…" not in "".join(lines)
        return
    assert all(_width(line) <= width for line in lines), lines
    assert lines[2].split()[0].endswith("…")  # the widest column is cut first
    if width >= 30:
        assert lines[2].split()[-1] == "2020-11-10"  # short columns stay whole while the widest is cut
    assert lines[-2].startswith("Cells cut to fit") and lines[-1] == "(2 rows)"


@pytest.mark.parametrize(("headers", "cells", "width", "expected"), [
    ([5, 7], [10, 2], None, [10, 7]),
    ([5, 7], [10, 2], 19, [10, 7]),  # fits: nothing cut
    ([5, 9], [30, 2], 20, [12, 6]),  # the long header is cut to 6 first, then the widest column
    ([5, 5, 5], [20, 20, 3], 30, [11, 10, 5]),  # one common cap (10); the spare column goes left
    ([8, 8, 8, 8], [8, 8, 8, 8], 10, [6, 6, 6, 6]),  # no column below 6: the table stays wider
    ([9, 4], [2, 3], 8, [6, 4]),  # a narrow column keeps its own width below 6
], ids=["no-limit", "fits", "header-first", "common-cap", "floor", "narrow-column"])
def test_fit_widths(headers: list[int], cells: list[int], width: int | None, expected: list[int]) -> None:
    assert fit_widths(headers, cells, width) == expected


def test_query_table_cuts_wide_characters_within_the_column() -> None:
    lines = format_table(["label"], [["中国中国中国中国"]], width=7).splitlines()
    assert lines[2] == "中国中…" and _width(lines[2]) == 7


@pytest.mark.parametrize(("args", "isatty", "columns", "expected"), [
    (["--width", "50"], False, None, 50),
    (["--width", "0"], True, "90", None),
    ([], True, "90", 90),
    ([], False, "90", None),  # not a terminal: no limit
], ids=["width-given", "width-0-no-limit", "terminal", "pipe"])
def test_query_table_width_from_the_terminal(args: list[str], isatty: bool, columns: str | None,
                                             expected: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from kg.cli import _parser, _table_width

    class Stdout:
        def isatty(self) -> bool:
            return isatty

    monkeypatch.setattr("sys.stdout", Stdout())
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    parsed = _parser().parse_args(["query", "g.trig", "summits", *args])
    assert isinstance(parsed, argparse.Namespace)
    assert _table_width(parsed.width) == expected


@pytest.mark.parametrize("args", [["--width", "80"], ["--width", "80", "--iris"]], ids=["labels", "iris"])
def test_cli_query_table_fits_and_hides_iris(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                             args: list[str]) -> None:
    assert main(["query", str(sco2020[".trig"]), "summits", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(_width(line) <= 80 for line in lines), lines
    assert (lines[0].split()[0] == "summit") is ("--iris" in args)
    assert ("IRI column summit hidden: --iris shows it." in lines) is ("--iris" not in args)
    assert lines[-2].startswith("Cells cut to fit 80 columns") and lines[-1] == "(1 row)"


def test_cli_query_negative_width_is_one_line(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(sco2020[".trig"]), "summits", "--width", "-1"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "kg: error: --width must be 0 (no limit) or more, not -1\n"
