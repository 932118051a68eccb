"""The store: its default graph is the merge of the named graphs (set semantics), ``kg load``
replaces an article's graphs, and every bundled query gives the same rows from every graph format
and from a store, on reports of one summit by three outlets."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import InputError
from kg.query import bundled_queries
from kg.store import MARKER, GraphStore

ROOT = Path(__file__).resolve().parent.parent
SAME_SUMMIT = ROOT / "tests" / "data" / "same_summit"  # three reports of the SCO Samarkand summit
RADIO = "sco2022_samarkand_radio"
TOKAYEV = "https://w3id.org/summit-kg/id/person/托卡耶夫"
RADIO_GRAPH = f"https://w3id.org/summit-kg/graph/article/{RADIO}"
ATTENDEES = "SELECT ?a WHERE { ?p a skg:Participation ; skg:participant ?a }"
IN_RADIO = f"SELECT ?a WHERE {{ GRAPH <{RADIO_GRAPH}> {{ ?p a skg:Participation ; skg:participant ?a }} }}"


def _build(source: Path, out: Path) -> Path:
    assert main(["build", str(source), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("same")
    trig = _build(SAME_SUMMIT, out / "same.trig")
    files = {"trig": trig}
    for ext in ("nq", "ttl", "nq.gz"):
        files[ext] = _build(SAME_SUMMIT, out / f"same.{ext}")
    store = out / "store"
    assert main(["load", str(files["nq"]), "--store", str(store), "-q"]) == 0
    files["store"] = store
    return files


def _open(built: dict[str, Path], kind: str) -> GraphStore:
    return GraphStore.open(built[kind], read_only=True) if kind == "store" else GraphStore.from_file(built[kind])


def _rows(graphs: GraphStore, sparql: str) -> list[tuple[str, ...]]:
    return [tuple("" if term is None else str(term) for term in solution) for solution in graphs.query(sparql)]


def _merge_holds(graphs: GraphStore) -> None:
    """The default graph is exactly the set of triples of the named graphs."""
    named = {(q.subject, q.predicate, q.object) for q in graphs.store
             if not isinstance(q.graph_name, ox.DefaultGraph)}
    default = {(q.subject, q.predicate, q.object) for q in graphs.triples()}
    assert default == named


@pytest.mark.parametrize("name", sorted(bundled_queries()), ids=sorted(bundled_queries()))
def test_every_bundled_query_same_rows_from_every_format_and_the_store(built: dict[str, Path], name: str) -> None:
    sparql = bundled_queries()[name]
    answers = {kind: _rows(_open(built, kind), sparql) for kind in ("trig", "nq", "ttl", "nq.gz", "store")}
    expected = sorted(answers["ttl"])  # a Turtle file holds each triple once: the merge by construction
    for kind, rows in answers.items():
        assert sorted(rows) == expected, kind
        duplicates = [row for row, n in Counter(rows).items() if n > 1]
        assert not duplicates, (kind, duplicates[:3])


def test_a_fact_three_reports_state_is_one_row(built: dict[str, Path]) -> None:
    graphs = _open(built, "trig")
    summit = "kgid:summit\\/sco\\/heads-of-state\\/22"
    holders = _rows(graphs, f"SELECT ?g WHERE {{ GRAPH ?g {{ {summit} skg:ordinal ?n }} }}")
    assert len(holders) >= 3  # each report's graph says it
    assert len(_rows(graphs, f"SELECT ?n WHERE {{ {summit} skg:ordinal ?n }}")) == 1
    _merge_holds(graphs)


def test_reloading_an_article_replaces_its_graphs_and_keeps_the_merge(built: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built["store"], store)
    graphs = GraphStore.open(store)
    assert (f"<{TOKAYEV}>",) in _rows(graphs, IN_RADIO)
    before = graphs.named_graphs()
    triples = graphs.triple_count()
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in SAME_SUMMIT.glob(f"{RADIO}.*"):
        shutil.copy(path, articles / path.name)
    text = articles / f"{RADIO}.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("、哈萨克斯坦总统托卡耶夫", ""), encoding="utf-8")
    loaded = graphs.load(_build(articles, tmp_path / "radio.trig"))
    # the radio report's graph and inferred graph, the ontology and the reference
    assert loaded.added == () and len(loaded.replaced) == 4
    assert graphs.named_graphs() == before
    assert (f"<{TOKAYEV}>",) not in _rows(graphs, IN_RADIO)
    assert (f"<{TOKAYEV}>",) in _rows(graphs, ATTENDEES)  # the Xinhua report names him too
    assert graphs.triple_count() < triples  # the radio report's evidence of his attendance is gone
    _merge_holds(graphs)


def test_a_triples_file_goes_to_its_own_graph_and_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "extra.ttl"
    path.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    graphs = GraphStore.open(tmp_path / "store", create=True)
    graphs.load(path)
    [graph] = graphs.named_graphs()
    assert graph.startswith("https://w3id.org/summit-kg/graph/file/extra.ttl-")
    path.write_text("<http://example.org/a> <http://example.org/p> 2 .\n", encoding="utf-8")
    assert graphs.load(path).replaced == (f"<{graph}>",)
    assert _rows(graphs, "SELECT ?o WHERE { ?s ?p ?o }") == [('"2"^^<http://www.w3.org/2001/XMLSchema#integer>',)]
    assert set(graphs.files()) == {str(path.resolve())}


def test_a_file_of_the_same_name_elsewhere_gets_its_own_graph(tmp_path: Path) -> None:
    graphs = GraphStore.open(tmp_path / "store", create=True)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.ttl").write_text(f"<http://example.org/{folder}> <http://example.org/p> 1 .\n",
                                                  encoding="utf-8")
        graphs.load(tmp_path / folder / "x.ttl")
    assert len(graphs.named_graphs()) == 2 and graphs.triple_count() == 2


BLANK = """<https://example.org/g/{name}> {{ _:b0 <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .
  _:b0 <http://example.org/p> <http://example.org/{label}> . }}
"""


def test_blank_nodes_keep_apart_and_follow_a_reload(tmp_path: Path) -> None:
    graphs = GraphStore.open(tmp_path / "store", create=True)
    for name, label in (("a", "A"), ("b", "B")):  # both files call their node _:b0
        (tmp_path / f"{name}.trig").write_text(BLANK.format(name=name, label=label), encoding="utf-8")
        graphs.load(tmp_path / f"{name}.trig")
    both = "SELECT ?n WHERE { ?n rdfs:label 'A' , 'B' }"
    assert _rows(graphs, both) == []  # two nodes, not one
    _merge_holds(graphs)
    (tmp_path / "a.trig").write_text(BLANK.format(name="a", label="C"), encoding="utf-8")
    graphs.load(tmp_path / "a.trig")
    assert _rows(graphs, "SELECT ?n WHERE { ?n rdfs:label 'A' }") == []
    _merge_holds(graphs)


def test_an_interrupted_load_is_told_not_served(built: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built["store"], store)
    graphs = GraphStore.open(store)

    class FullDisk:  # the store, whose bulk loader fails half-way
        def __init__(self, store: object) -> None:
            self.inner = store

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def bulk_load(self, *args: object, **kwargs: object) -> None:
            raise OSError("No space left on device")

    graphs.store = FullDisk(graphs.store)
    with pytest.raises(InputError, match="graphs already in the store were removed: load it again"):
        graphs.load(built["trig"])
    del graphs
    with pytest.raises(InputError, match="did not finish"):
        GraphStore.open(store, read_only=True)
    GraphStore.open(store).load(built["trig"])  # loading it again mends the store
    _merge_holds(GraphStore.open(store, read_only=True))


def test_a_file_that_does_not_parse_leaves_the_store_as_it_was(built: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built["store"], store)
    graphs = GraphStore.open(store)
    count = graphs.triple_count()
    broken = tmp_path / "broken.nq"
    good = built["nq"].read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(good[:50]) + "<http://a> <http://b> \"unterminated .\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not parse as N-Quads"):
        graphs.load(broken)
    assert graphs.triple_count() == count


@pytest.mark.parametrize("setup, message", [
    ("missing", "no such folder"),
    ("foreign", "not a summit-kg store"),
    ("file", "not a folder"),
    ("bad-marker", "is not a summit-kg store description"),
], ids=["missing", "foreign-folder", "a-file", "bad-marker"])
def test_opening_what_is_not_a_store_is_one_line(tmp_path: Path, setup: str, message: str) -> None:
    where = tmp_path / "s"
    if setup == "foreign":
        where.mkdir()
        (where / "notes.txt").write_text("x", encoding="utf-8")
    elif setup == "file":
        where.write_text("x", encoding="utf-8")
    elif setup == "bad-marker":
        where.mkdir()
        (where / MARKER).write_text('{"format": 99, "files": {}}', encoding="utf-8")
    with pytest.raises(InputError, match=message):
        GraphStore.open(where, read_only=True)


def test_a_non_empty_foreign_folder_is_not_made_a_store(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        GraphStore.open(tmp_path, create=True)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_a_read_only_store_refuses_to_load(built: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="read-only"):
        GraphStore.open(built["store"], read_only=True).load(built["trig"])


def test_cli_load_query_and_stats_on_a_store(built: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert main(["load", str(built["trig"]), "--store", str(store)]) == 0
    err = capsys.readouterr().err
    assert "1 file loaded" in err and "0 replaced" in err
    assert main(["load", str(built["trig"]), "--store", str(store), "-q"]) == 0
    assert main(["query", "--store", str(store), "summits", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.count("heads-of-state/22") == 1
    assert main(["stats", "--store", str(store)]) == 0
    assert "distinct triples" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["query", "summits"], "expected kg query GRAPH QUERY"),
    (["query", "--store", "S", "a.trig", "summits"], "expected kg query --store DIR QUERY"),
    (["stats"], "give a graph file or --store DIR"),
    (["load", "missing.trig", "--store", "S"], "missing.trig: no such file"),
], ids=["query-no-graph", "query-graph-and-store", "stats-nothing", "load-missing-file"])
def test_cli_operand_errors_are_one_line(argv: list[str], message: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "S").exists()  # nothing made before the operands were checked


def test_validate_reads_a_store_as_the_file_it_was_loaded_from(built: dict[str, Path],
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # the store keeps xsd:nonNegativeInteger as xsd:integer and tags in lower case; validate restores them
    status = main(["validate", str(built["nq"]), "-q"])
    report = capsys.readouterr().out
    assert main(["validate", "--store", str(built["store"]), "-q"]) == status
    assert capsys.readouterr().out == report
    assert "xsd:integer" not in report


def test_viz_and_central_read_a_store(built: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    assert main(["viz", "--store", str(built["store"]), "-o", str(page), "-q"]) == 0
    assert "撒马尔罕" in page.read_text(encoding="utf-8")
    assert main(["stats", "--store", str(built["store"]), "--central", "-n", "3"]) == 0
    assert "most connected" in capsys.readouterr().out
