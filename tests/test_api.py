"""The Python API (kg/api.py): kg.build, kg.load and the Graph they give; its docstring examples
run here too."""
from __future__ import annotations

import datetime
import doctest
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pyoxigraph import Literal

import kg
from kg import api
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "open_world"
TEXT = "东海国家联盟领导人第五次会晤12日在冰城举行。冰洲总统白山、雪国总理林海出席会晤。\n会晤发表了《冰城宣言》。"


@pytest.fixture(scope="module")
def text_graph() -> kg.Graph:
    return kg.build(TEXT, published="2031-05-13", title="东海国家联盟峰会")


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 8 and failures == 0


def test_import_kg_stays_cheap() -> None:
    code = "import sys, kg; print(sorted(m for m in ('jieba', 'rdflib', 'pyoxigraph') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
    assert set(kg.__all__) >= {"build", "load", "Graph", "KGError"} and "build" in dir(kg)


def test_a_text_with_its_meta(text_graph: kg.Graph) -> None:
    [summit] = text_graph.query("summits")
    assert summit["label"] == "东海国家联盟领导人第五次会晤"
    assert summit["ordinal"] == 5 and summit["startDate"] == datetime.date(2031, 5, 12)
    [article] = text_graph.query("SELECT ?title WHERE { ?a a skg:NewsArticle ; dct:title ?title }")
    assert article == {"title": "东海国家联盟峰会"}
    assert not text_graph.failed and "1 article" in repr(text_graph)


@pytest.mark.parametrize("query,value,expected", [
    ("ASK { ?a dct:language ?value }", "zh-Hans", True),
    ("ASK { ?a dct:language ?value }", "zh-Hant", False),
    ("ASK { ?a dct:title ?value }", Literal("东海国家联盟峰会", language="zh-Hans"), True),
    ("ASK { ?s skg:ordinal ?value ; skos:prefLabel ?l FILTER(CONTAINS(STR(?l), '东海')) }", 5, True),
    ("ASK { ?s skg:ordinal ?value ; skos:prefLabel ?l FILTER(CONTAINS(STR(?l), '东海')) }", 6, False),
    ("ASK { ?s schema:startDate ?value }", datetime.date(2031, 5, 12), True),
    ("SELECT ?value ?s WHERE { ?s schema:startDate ?value }", datetime.date(2031, 5, 12), [1]),
], ids=["str", "other-str", "term", "int", "other-int", "date", "select"])
def test_values_are_bound_not_pasted(text_graph: kg.Graph, query: str, value: object, expected: object) -> None:
    got = text_graph.query(query, value=value)
    assert (got if isinstance(got, bool) else [len(got)]) == expected


def test_a_bound_variable_out_of_scope_is_told(text_graph: kg.Graph) -> None:
    with pytest.raises(kg.KGError, match="value: a bound variable"):
        text_graph.query("SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER(?l = ?value) }", value="x")


def test_a_hostile_binding_stays_a_value(text_graph: kg.Graph) -> None:
    assert text_graph.query("ASK { ?s skos:prefLabel ?value }", value='x" } ; DROP ALL ; #') is False


def test_as_frame(text_graph: kg.Graph) -> None:
    frame = text_graph.query("attendees", as_frame=True)
    assert list(frame.columns) == ["summit", "attendee", "label", "kind", "basis"]
    assert len(frame) == len(text_graph.query("attendees")) > 0


def test_files_and_folders_like_the_cli(tmp_path: Path) -> None:
    reports = sorted(REPORTS.glob("*.txt"))
    g = kg.build([REPORTS / reports[0].name, str(REPORTS)], jobs=1)
    assert sum(o.status == "built" for o in g.outcomes) == len(reports)
    for ext in (".trig", ".ttl", ".nq.gz"):
        cli = tmp_path / f"cli{ext}"
        assert main(["build", str(REPORTS), "-o", str(cli), "-q", "--jobs", "1"]) == 0
        assert g.write(tmp_path / f"api{ext}").read_bytes() == cli.read_bytes(), ext
    loaded = kg.load(tmp_path / "api.trig")
    assert loaded.query("summits") == g.query("summits")
    assert loaded.write(tmp_path / "again.trig").read_bytes() == (tmp_path / "cli.trig").read_bytes()


def test_rdflib_dataset_keeps_graphs_and_unions(text_graph: kg.Graph) -> None:
    dataset = text_graph.rdflib()
    rows = list(dataset.query("PREFIX skg: <https://w3id.org/summit-kg/ontology#> "
                              "SELECT DISTINCT ?s WHERE { ?s a skg:Summit }"))
    assert len(rows) >= 1
    assert len(list(dataset.graphs())) >= 3  # the article's two graphs and the background


def test_viz_and_the_notebook_view(text_graph: kg.Graph, tmp_path: Path) -> None:
    page = text_graph.viz(tmp_path / "page.html")
    assert Path(page).read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    inline = text_graph._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "东海国家联盟" in inline


def test_a_failed_article_is_a_warning_and_all_failed_an_error(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    (reports / "broken.txt").write_text(TEXT, encoding="utf-8")
    (reports / "broken.meta.json").write_text('{"published": "13 May 2031"}', encoding="utf-8")
    with pytest.warns(api.ArticleWarning, match="broken.txt"):
        g = kg.build(reports, jobs=1)
    assert [p.name for p in g.failed] == ["broken.txt"]
    with pytest.raises(kg.KGError):
        kg.build(reports / "broken.txt")


@pytest.mark.parametrize("call,message", [
    (lambda: kg.build("no/such/reports"), "no such file"),
    (lambda: kg.build([]), "no articles"),
    (lambda: kg.build(TEXT, published="13 May 2031"), "published"),
    (lambda: kg.build(str(REPORTS), published="2031-05-13"), "meta fields"),
    (lambda: kg.build(TEXT).query("SELECT * WHERE {"), "syntax error"),
    (lambda: kg.build(TEXT).query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), "SERVICE"),
    (lambda: kg.build(TEXT).query("ASK { ?s ?p ?v }", v=object()), "cannot bind"),
], ids=["missing-path", "nothing", "bad-date", "meta-for-files", "syntax", "service", "bad-binding"])
def test_errors_are_kg_errors_in_one_line(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("error", api.ArticleWarning)
        with pytest.raises(kg.KGError, match=message) as caught:
            call()
    assert "\n" not in str(caught.value)


def test_the_readme_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "data").symlink_to(ROOT / "data")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(compile(code, "README.md (Python API)", "exec"), scope)  # noqa: S102 - our own README
    assert scope["g"].query("summits")[0]["startDate"] == datetime.date(2020, 11, 10)  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "corpus.trig").stat().st_size > 0 and (tmp_path / "out" / "corpus.html").is_file()


def test_a_text_without_a_summit_warns() -> None:
    with pytest.warns(api.ArticleWarning, match="no summit found"):
        g = kg.build("今天天气很好，我们去公园散步。\n")
    assert not g.query("summits") and not g.failed


@pytest.mark.parametrize("value,is_text", [
    ("上海合作组织峰会举行。", True),
    ("上海合作组织峰会\n", True),
    ("上海合作组织峰会", True),
    ("新闻/文章.txt", False),
    ("文章.txt", False),
    ("reports/", False),
    (str(REPORTS), False),
    ("论" * 5000, True),
], ids=["sentence", "line", "cjk-name", "cjk-path", "cjk-file", "folder", "existing", "longer-than-a-path"])
def test_text_or_path(value: str, is_text: bool) -> None:
    assert api._is_text(value) is is_text


def test_a_missing_cjk_path_is_an_error_not_a_text() -> None:
    with pytest.raises(kg.KGError, match="no such file"):
        kg.build("新闻/文章.txt")


def test_a_long_id_is_a_meta_field_not_a_file_name() -> None:
    g = kg.build(TEXT, id="论" * 120)
    assert g.query("summits") and not g.failed
