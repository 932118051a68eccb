"""``kg stats``: instances per class, triples per property, named graphs and quads; aligned,
sorted by count then name, deterministic."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cli import main
from kg.stats import stats_text
from kg.store import GraphStore, load_store

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"

SMALL_TRIG = """
@prefix skg:  <https://w3id.org/summit-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/summit-kg/graph/article/a> {
    <https://w3id.org/summit-kg/id/summit/x/1> a skg:Summit ;
        skos:prefLabel "第一次会议"@zh-Hans , "1st meeting"@en ;
        skg:ordinal "1"^^xsd:positiveInteger .
    <https://w3id.org/summit-kg/id/state/CN> a skg:State ; skos:prefLabel "中国"@zh-Hans .
    <https://w3id.org/summit-kg/id/state/RU> a skg:State ; skos:prefLabel "俄罗斯"@zh-Hans .
}
<https://w3id.org/summit-kg/graph/reference> {
    <https://w3id.org/summit-kg/id/state/CN> a skg:State ; skos:prefLabel "中国"@zh-Hans .
}
"""



@pytest.fixture()
def small_store(tmp_path: Path) -> GraphStore:
    path = tmp_path / "small.trig"
    path.write_text(SMALL_TRIG, encoding="utf-8")
    return GraphStore.from_file(path)


def _count(text: str, name: str) -> int:
    """The count on the line of ``name`` (a class or property row)."""
    match = re.search(rf"^\s+{re.escape(name)}\s+(\d+)$", text, flags=re.MULTILINE)
    assert match, f"no row {name!r} in:\n{text}"
    return int(match.group(1))


def _section(text: str, title: str) -> list[str]:
    block = text.split(title, 1)[1].split("\n\n", 1)[0]
    return [line for line in block.splitlines()[1:] if line.strip()]


def test_small_graph_counts(small_store: GraphStore) -> None:
    text = stats_text(small_store)
    assert _count(text, "skg:Summit") == 1
    assert _count(text, "skg:State") == 2
    assert _count(text, "skos:prefLabel") == 4  # the triple in two graphs counts once
    assert _count(text, "skg:ordinal") == 1
    assert _count(text, "rdf:type") == 3
    assert re.search(r"^named graphs\s+2$", text, flags=re.MULTILINE)
    assert re.search(r"^quads\s+10$", text, flags=re.MULTILINE)
    assert re.search(r"^distinct triples\s+8$", text, flags=re.MULTILINE)
    assert re.search(r"^\s+graph:reference\s+2$", text, flags=re.MULTILINE)


def test_rows_sorted_by_count_then_name_and_aligned(small_store: GraphStore) -> None:
    text = stats_text(small_store)
    for title in ("instances per class", "triples per property"):
        rows = _section(text, title)
        parsed = [(line.split()[0], int(line.split()[1])) for line in rows]
        assert parsed == sorted(parsed, key=lambda row: (-row[1], row[0])), rows
        assert len({len(line) for line in rows}) == 1, rows  # counts right-aligned in one column
    assert _section(text, "instances per class")[0].split()[0] == "skg:State"


@pytest.mark.parametrize("ext", [".ttl", ".trig"], ids=["turtle", "trig"])
def test_built_graph_counts(sco2020: dict[str, Path], ext: str) -> None:
    store = load_store(sco2020[ext])
    text = stats_text(store)
    summits = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) "
                          "WHERE { ?s a <https://w3id.org/summit-kg/ontology#Summit> }")
    labels = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
                         "{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o } }")
    assert _count(text, "skg:Summit") == int(next(iter(summits))[0].value) >= 1
    assert _count(text, "skos:prefLabel") == int(next(iter(labels))[0].value) > 0
    assert _count(text, "skg:Evidence") > 0
    assert _count(text, "skg:NewsArticle") == 1
    quads = sum(store.graph_size(g) for g in store.named_graphs()) or store.triple_count()
    assert re.search(rf"^quads\s+{quads}$", text, flags=re.MULTILINE)
    if ext == ".trig":
        assert re.search(r"^named graphs\s+4$", text, flags=re.MULTILINE)
        assert "graph:article/sco2020_video_summit/inferred" in text


def test_deterministic_and_same_for_turtle_and_trig(sco2020: dict[str, Path]) -> None:
    trig = stats_text(load_store(sco2020[".trig"]))
    assert stats_text(load_store(sco2020[".trig"])) == trig
    turtle = stats_text(load_store(sco2020[".ttl"]))
    assert turtle.split("instances per class", 1)[1] == trig.split("instances per class", 1)[1]


def test_cli_stats(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sco2020[".trig"])]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == stats_text(load_store(sco2020[".trig"]))


# --------------------------------------------------------------------------- --no-background (issue 9)

#: An article graph naming one summit and one state; background graphs typing more of both, and
#: the ontology typing the class.
BACKGROUND_TRIG = """
@prefix skg:  <https://w3id.org/summit-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .

<https://w3id.org/summit-kg/graph/article/a> {
    <https://w3id.org/summit-kg/id/summit/x/1> a skg:Summit ; skos:prefLabel "第一次会议"@zh-Hans ;
        skg:hostState <https://w3id.org/summit-kg/id/state/CN> .
}
<https://w3id.org/summit-kg/graph/article/a/inferred> {
    <https://w3id.org/summit-kg/id/summit/x/1> skg:chair <https://w3id.org/summit-kg/id/state/CN> .
}
<https://w3id.org/summit-kg/graph/reference> {
    <https://w3id.org/summit-kg/id/state/CN> a skg:State ; skos:prefLabel "中国"@zh-Hans .
    <https://w3id.org/summit-kg/id/state/RU> a skg:State ; skos:prefLabel "俄罗斯"@zh-Hans .
    <https://w3id.org/summit-kg/id/summit/x/1> a skg:Summit .
    <https://w3id.org/summit-kg/id/summit/x/2> a skg:Summit .
}
<https://w3id.org/summit-kg/graph/ontology> {
    skg:Summit a owl:Class .
    skg:State a owl:Class .
}
"""


@pytest.fixture()
def background_store(tmp_path: Path) -> GraphStore:
    path = tmp_path / "background.trig"
    path.write_text(BACKGROUND_TRIG, encoding="utf-8")
    return GraphStore.from_file(path)


@pytest.mark.parametrize(("background", "expected"), [
    (True, {"skg:Summit": 2, "skg:State": 2, "owl:Class": 2, "skos:prefLabel": 3, "skg:hostState": 1,
            "skg:chair": 1, "rdf:type": 6}),
    (False, {"skg:Summit": 1, "skg:State": 1, "owl:Class": None, "skos:prefLabel": 1, "skg:hostState": 1,
             "skg:chair": 1, "rdf:type": 1}),
], ids=["with-background", "no-background"])
def test_background_counted_or_left_out(background_store: GraphStore, background: bool,
                                        expected: dict[str, int | None]) -> None:
    text = stats_text(background_store, background=background)
    for name, count in expected.items():
        if count is None:
            assert not re.search(rf"^\s+{re.escape(name)}\s", text, flags=re.MULTILINE), text
        else:
            assert _count(text, name) == count, (name, text)
    graphs = _section(text, "quads per graph")
    assert any("graph:reference" in line for line in graphs) is background
    if background:
        assert "background knowledge (graph:ontology, graph:reference) is counted too: --no-background" in text
    else:  # the state named in the article is counted, typed by the reference; RU and summit 2 are not
        assert re.search(r"^article graphs\s+2$", text, flags=re.MULTILINE)
        assert re.search(r"^quads\s+4$", text, flags=re.MULTILINE)
        assert re.search(r"^quads left out \(background\)\s+8$", text, flags=re.MULTILINE)


def test_no_background_needs_article_graphs(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sco2020[".ttl"]), "--no-background"]) == 2  # Turtle: only the union
    err = capsys.readouterr().err
    assert err.startswith("kg: error: --no-background counts the article graphs") and err.count("\n") == 1
    assert "build to .trig, .nq or .jsonld" in err


def test_cli_stats_no_background(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sco2020[".trig"]), "--no-background"]) == 0
    out = capsys.readouterr().out
    assert out == stats_text(load_store(sco2020[".trig"]), background=False)
    assert _count(out, "skg:Summit") == 1  # the article's summit, not the 45 of the reference series
    assert 2 <= _count(out, "skg:State") < 20
    assert "graph:reference" not in out and "graph:ontology" not in out
