"""Corpus builds and ``kg build --update``.

The synthetic reports in tests/data/corpus were written for these tests (they are not news text):
two outlets report the 22nd meeting of the SCO Council of Heads of State (Samarkand, 2022-09-16)
in different words, a third report is about the 24th (Astana, 2024-07-04).
"""
from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib

from kg import corpus, iris
from kg.cli import main
from kg.pipeline.read import read_article
from kg.store import GraphStore, load_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
DEVELOPMENT = ROOT / "data" / "articles"
FORMATS = {".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}
FORMAT_IDS = ["trig", "nquads", "jsonld"]

SKG = "https://w3id.org/summit-kg/ontology#"
ID = iris.ID
SAMARKAND = ID + "summit/sco/heads-of-state/22"
ASTANA = ID + "summit/sco/heads-of-state/24"
XINHUA, DAILY, ASTANA_REPORT = "sco2022_samarkand_xinhua", "sco2022_samarkand_daily", "sco2024_astana"
ARTICLES = (DAILY, XINHUA, ASTANA_REPORT)  # in file-name order

PREFIXES = f"""
PREFIX skg: <{SKG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

#: Two nodes of one class (or of subclasses of it) with the same Chinese preferred label.
SAME_LABEL = PREFIXES + """
SELECT ?class ?label ?a ?b WHERE {
  VALUES ?class { skg:Summit skg:State skg:Person skg:Organization skg:Document skg:Initiative skg:Post }
  ?a a/rdfs:subClassOf* ?class ; skos:prefLabel ?label .
  ?b a/rdfs:subClassOf* ?class ; skos:prefLabel ?label .
  FILTER(lang(?label) = "zh-Hans" && STR(?a) < STR(?b))
}
ORDER BY ?class ?label ?a ?b
"""

#: A node with more than one Chinese preferred label (SKOS allows one per language).
TWO_LABELS = PREFIXES + """
SELECT ?node (GROUP_CONCAT(?label; separator=" | ") AS ?labels) WHERE {
  SELECT DISTINCT ?node ?label WHERE { ?node skos:prefLabel ?label . FILTER(lang(?label) = "zh-Hans") }
}
GROUP BY ?node HAVING (COUNT(?label) > 1)
ORDER BY ?node
"""


def article_graph(article: str) -> str:
    return iris.article_graph(article)


def rows(store: GraphStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql)
    return [tuple(term.value for term in solution) for solution in result]  # type: ignore[union-attr]


def build(*args: str) -> int:
    return main(["build", *args])


def graphs_of(path: Path) -> dict[str, set[tuple[object, object, object]]]:
    """The triples of each named graph of a file, parsed by rdflib."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format=FORMATS[path.suffix])
    graphs: dict[str, set[tuple[object, object, object]]] = defaultdict(set)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graphs[str(g)].add((s, p, o))
    return dict(graphs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GraphStore]:
    """The synthetic corpus and the development articles, each built once into TriG."""
    out = tmp_path_factory.mktemp("corpus")
    stores = {}
    for name, source in (("synthetic", CORPUS), ("development", DEVELOPMENT)):
        path = out / f"{name}.trig"
        assert build(str(source), "-o", str(path), "-q") == 0
        stores[name] = load_store(path)
    return stores


@pytest.fixture()
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the synthetic corpus the test may change.

    The extractor fingerprint is computed once, here: these tests change articles, and must not
    see a rebuild because a source or data file was saved while they ran.
    """
    from kg.resources import Resources

    fingerprint = corpus.extractor_sha256(Resources())
    monkeypatch.setattr(corpus, "extractor_sha256", lambda resources, segmenter="jieba": fingerprint)
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder


# ------------------------------------------------------------------------------ (a) one node per entity


@pytest.mark.parametrize("corpus_name", ["synthetic", "development"])
def test_no_two_nodes_of_a_class_share_a_label(built: dict[str, GraphStore], corpus_name: str) -> None:
    clashes = rows(built[corpus_name], SAME_LABEL)
    assert clashes == [], "\n".join(" ".join(row) for row in clashes)


@pytest.mark.parametrize("corpus_name", ["synthetic", "development"])
def test_no_node_has_two_chinese_labels(built: dict[str, GraphStore], corpus_name: str) -> None:
    found = rows(built[corpus_name], TWO_LABELS)
    assert found == [], "\n".join(" ".join(row) for row in found)


ONE_NODE = {
    "summit-samarkand": ("Summit", "上海合作组织成员国元首理事会第二十二次会议", SAMARKAND, {XINHUA, DAILY}),
    "summit-astana": ("Summit", "上海合作组织成员国元首理事会第二十四次会议", ASTANA, {ASTANA_REPORT}),
    "state-uzbekistan": ("State", "乌兹别克斯坦", ID + "state/UZ", {XINHUA, DAILY}),
    "state-kazakhstan": ("State", "哈萨克斯坦", ID + "state/KZ", set(ARTICLES) - {DAILY}),
    "person-xi": ("Person", "习近平", ID + "person/习近平", set(ARTICLES)),
    "person-mirziyoyev": ("Person", "米尔季约耶夫", ID + "person/米尔季约耶夫", {XINHUA, DAILY}),
    "person-tokayev": ("Person", "托卡耶夫", ID + "person/托卡耶夫", {XINHUA, ASTANA_REPORT}),
    "org-sco": ("Organization", "上海合作组织", ID + "org/sco", set(ARTICLES)),
    "declaration": ("Document", "上海合作组织成员国元首理事会撒马尔罕宣言",
                    ID + "document/sco/heads-of-state/22/上海合作组织成员国元首理事会撒马尔罕宣言", {XINHUA, DAILY}),
}


@pytest.mark.parametrize("case", list(ONE_NODE), ids=list(ONE_NODE))
def test_one_node_per_entity_across_reports(built: dict[str, GraphStore], case: str) -> None:
    """An entity named in several reports is one node, used in each report's graph."""
    cls, label, iri, reports = ONE_NODE[case]
    store = built["synthetic"]
    nodes = rows(store, PREFIXES + f'SELECT DISTINCT ?n WHERE {{ ?n a/rdfs:subClassOf* skg:{cls} ; '
                                   f'skos:prefLabel "{label}"@zh-Hans }}')
    assert nodes == [(iri,)]
    graphs = rows(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} }}")
    assert {g for (g,) in graphs if corpus.graph_slug(g)} >= {article_graph(a) for a in reports}


# ------------------------------------------------------------------------------ (b) one summit, two sources


def test_summit_reported_twice_is_about_ed_by_both_reports(built: dict[str, GraphStore]) -> None:
    store = built["synthetic"]
    about = rows(store, PREFIXES + "SELECT DISTINCT ?summit ?id WHERE { ?a schema:about ?summit ; "
                                   "dcterms:identifier ?id ; a skg:NewsArticle . ?summit a skg:Summit } "
                                   "ORDER BY ?summit ?id")
    assert about == [(SAMARKAND, DAILY), (SAMARKAND, XINHUA), (ASTANA, ASTANA_REPORT)]


def test_summit_reported_twice_has_evidence_from_both_graphs(built: dict[str, GraphStore]) -> None:
    store = built["synthetic"]
    evidence = rows(store, PREFIXES + f"""
        SELECT DISTINCT ?g ?article ?predicate WHERE {{ GRAPH ?g {{
          ?e a skg:Evidence ; rdf:subject <{SAMARKAND}> ; rdf:predicate ?predicate ; skg:article ?article }} }}""")
    by_graph = defaultdict(set)
    for graph, article, predicate in evidence:
        assert article == ID + "article/" + corpus.graph_slug(graph), (graph, article)  # type: ignore[operator]
        by_graph[graph].add(predicate.rsplit("/", 1)[-1])
    assert set(by_graph) >= {article_graph(XINHUA), article_graph(DAILY)}
    for report in (XINHUA, DAILY):  # both reports state the date, the ordinal and the chair
        assert {"startDate", "ontology#ordinal", "ontology#chairPerson"} <= by_graph[article_graph(report)], report
    assert article_graph(ASTANA_REPORT) not in by_graph


# ------------------------------------------------------------------------------ build keys


def test_article_nodes_carry_their_build_key(built: dict[str, GraphStore]) -> None:
    found = rows(built["synthetic"], PREFIXES + """
        SELECT ?id ?text ?meta ?extractor WHERE { ?a a skg:NewsArticle ; dcterms:identifier ?id ;
          skg:sha256 ?text ; skg:metaSha256 ?meta ; skg:extractorSha256 ?extractor } ORDER BY ?id""")
    assert [row[0] for row in found] == sorted(ARTICLES)
    from kg.resources import Resources

    extractor = corpus.extractor_sha256(Resources())
    for article, text, meta, fingerprint in found:
        raw = read_article(CORPUS / f"{article}.txt")
        assert (text, meta, fingerprint) == (corpus.text_sha256(raw), corpus.meta_sha256(raw.meta), extractor)


def test_meta_hash_ignores_layout_not_content() -> None:
    assert corpus.meta_sha256({"id": "a", "title": "标题"}) == corpus.meta_sha256({"title": "标题", "id": "a"})
    assert corpus.meta_sha256({"id": "a"}) != corpus.meta_sha256({"id": "b"})
    assert corpus.meta_sha256({}) != corpus.meta_sha256({"id": "a"})


# ------------------------------------------------------------------------------ (c) --update


def _reports(stderr: str) -> dict[str, str]:
    """``{file name: what happened}`` from the progress lines ``[i/n] NAME: WHAT, N quads``."""
    out = {}
    for line in stderr.splitlines():
        if line.startswith("["):
            name, _, rest = line.split("] ", 1)[1].partition(": ")
            out[name] = rest.rsplit(", ", 1)[0] if ", " in rest else ""
    return out


def _full_build(articles: Path, like: Path) -> bytes:
    fresh = like.with_name("fresh" + like.suffix)
    assert build(str(articles), "-o", str(fresh), "-q") in (0, 1)
    return fresh.read_bytes()


@pytest.mark.parametrize("ext", list(FORMATS), ids=FORMAT_IDS)
def test_update_after_a_text_change_replaces_only_that_article(articles: Path, tmp_path: Path, ext: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"corpus{ext}"
    assert build(str(articles), "-o", str(out), "-q") == 0
    before = graphs_of(out)
    with (articles / f"{ASTANA_REPORT}.txt").open("a", encoding="utf-8") as handle:
        handle.write("会后，习近平同与会领导人共同出席欢迎宴会。\n")
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), "--update") == 0
    err = capsys.readouterr().err
    assert _reports(err) == {f"{DAILY}.txt": "reused", f"{XINHUA}.txt": "reused",
                             f"{ASTANA_REPORT}.txt": "text changed"}
    assert f"kg: updated {out}: 1 extracted, 2 reused, 0 dropped" in err
    after = graphs_of(out)
    changed = {article_graph(ASTANA_REPORT), article_graph(ASTANA_REPORT) + "/inferred"}
    assert set(before) == set(after)
    for graph in sorted(set(before) - changed):
        assert before[graph] == after[graph], graph  # every other graph, quad for quad
    assert before[article_graph(ASTANA_REPORT)] != after[article_graph(ASTANA_REPORT)]
    assert any("欢迎宴会" in str(o) for _, _, o in after[article_graph(ASTANA_REPORT)])
    assert out.read_bytes() == _full_build(articles, out)  # an update writes what a full build writes


@pytest.mark.parametrize("ext", list(FORMATS), ids=FORMAT_IDS)
def test_update_with_nothing_changed_rebuilds_nothing(articles: Path, tmp_path: Path, ext: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"corpus{ext}"
    assert build(str(articles), "-o", str(out), "-q") == 0
    first = out.read_bytes()
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), "--update") == 0
    err = capsys.readouterr().err
    assert set(_reports(err).values()) == {"reused"}
    assert "0 extracted, 3 reused, 0 dropped" in err
    assert out.read_bytes() == first


def test_update_after_a_meta_change_rebuilds_that_article(articles: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus.trig"
    assert build(str(articles), "-o", str(out), "-q") == 0
    before = graphs_of(out)
    meta = articles / f"{DAILY}.meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace("召开（", "隆重召开（"), encoding="utf-8")
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), "--update") == 0
    assert _reports(capsys.readouterr().err)[f"{DAILY}.txt"] == "meta changed"
    after = graphs_of(out)
    titles = [str(o) for _, p, o in after[article_graph(DAILY)] if str(p) == "http://purl.org/dc/terms/title"]
    assert titles == ["上合组织元首理事会会议在撒马尔罕隆重召开（测试用合成报道）"]
    for graph in set(before) - {article_graph(DAILY), article_graph(DAILY) + "/inferred"}:
        assert before[graph] == after[graph], graph
    assert out.read_bytes() == _full_build(articles, out)


def test_update_drops_articles_no_longer_among_the_inputs(articles: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus.nq"
    assert build(str(articles), "-o", str(out), "-q") == 0
    for path in articles.glob(f"{ASTANA_REPORT}.*"):
        path.unlink()
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), "--update") == 0
    err = capsys.readouterr().err
    assert f"kg: dropped the graphs of article {ASTANA_REPORT} (not built from the inputs)" in err
    assert "0 extracted, 2 reused, 1 dropped" in err
    assert not any(ASTANA_REPORT in graph for graph in graphs_of(out))
    assert out.read_bytes() == _full_build(articles, out)


def test_update_rebuilds_every_article_when_the_extractor_changes(articles: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "corpus.trig"
    assert build(str(articles), "-o", str(out), "-q") == 0
    monkeypatch.setattr(corpus, "extractor_sha256", lambda resources, segmenter="jieba": "0" * 64)
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), "--update") == 0
    assert set(_reports(capsys.readouterr().err).values()) == {"extractor changed"}


def test_update_of_a_missing_output_is_a_full_build(articles: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new" / "corpus.trig"
    assert build(str(articles), "-o", str(out), "--update") == 0
    err = capsys.readouterr().err
    assert f"kg: {out} does not exist yet: full build" in err
    assert set(_reports(err).values()) == {"new"}
    assert out.read_bytes() == _full_build(articles, out)


@pytest.mark.parametrize("ext", list(FORMATS), ids=FORMAT_IDS)
def test_previous_graphs_are_the_quads_written(articles: Path, tmp_path: Path, ext: str) -> None:
    """Read back for an update, each article's graphs are exactly the quads the build wrote,
    term for term (datatypes, language tags as spelt)."""
    from kg.serialize import split_nquad

    out, reference = tmp_path / f"corpus{ext}", tmp_path / "corpus.nq"
    assert build(str(articles), "-o", str(out), "-q") == 0
    assert build(str(articles), "-o", str(reference), "-q") == 0
    written: dict[str, set] = {}
    for line in reference.read_text(encoding="utf-8").splitlines(keepends=True):
        quad = split_nquad(line)
        slug = corpus.graph_slug(quad[3])
        if slug is not None:
            written.setdefault(slug, set()).add(quad)
    previous = corpus.read_previous(out)
    assert previous is not None and len(previous.keys) == 3
    for slug in sorted(written):
        assert set(previous.take(slug)) == written[slug]
    assert previous.dropped() == []


def test_update_ignores_graphs_of_no_article_and_any_tag_spelling(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.nq"
    assert build(str(articles), "-o", str(out), "-q") == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    lines.append('<https://w3id.org/summit-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@zh-hans '
                 '<https://w3id.org/summit-kg/graph/reference> .')
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    previous = corpus.read_previous(out)
    assert previous is not None and len(previous.keys) == 3
    assert build(str(articles), "-o", str(out), "--update", "-q") == 0
    assert out.read_bytes() == _full_build(articles, out)  # the stray graph is regenerated away


# ------------------------------------------------------------------------------ (d) --update needs named graphs


@pytest.mark.parametrize("target", ["corpus.ttl", "corpus.nt", None], ids=["turtle", "ntriples", "no-output"])
def test_update_needs_an_output_with_named_graphs(articles: Path, tmp_path: Path, target: str | None,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(articles), "--update"]
    if target:
        (tmp_path / target).write_text("# previous result\n", encoding="utf-8")
        args += ["-o", str(tmp_path / target)]
    assert build(*args) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and "--update" in lines[0], err
    assert out == ""
    if target:
        assert ".trig, .nq or .jsonld" in lines[0]
        assert (tmp_path / target).read_text(encoding="utf-8") == "# previous result\n"


def test_update_of_an_output_that_does_not_parse(articles: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus.trig"
    out.write_text("<a> { <b> <c> .", encoding="utf-8")
    assert build(str(articles), "-o", str(out), "--update") == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {out}: cannot update"), lines


# ------------------------------------------------------------------------------ (e) failures, ids, progress


@pytest.mark.parametrize("update", [False, True], ids=["build", "update"])
def test_failing_article_is_reported_and_the_others_are_built(articles: Path, tmp_path: Path, update: bool,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus.trig"
    if update:
        assert build(str(articles), "-o", str(out), "-q") == 0
    empty = articles / "blank_report.txt"
    empty.write_text(" \n", encoding="utf-8")
    capsys.readouterr()
    assert build(str(articles), "-o", str(out), *(["--update"] if update else [])) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("kg: error:")]
    assert errors == [f"kg: error: {empty}: empty article"]
    assert err.rstrip().endswith("; 1 failed")
    graphs = set(graphs_of(out))
    assert {article_graph(a) for a in ARTICLES} <= graphs
    assert not any("blank_report" in graph for graph in graphs)


DUPLICATES = {
    "same-file-name": ({"a/report.txt": None, "b/report.txt": None}, "the same id 'report'"),
    "same-meta-id": ({"x.txt": "r1", "y.txt": "r1"}, "the same id 'r1'"),
    "same-iri": ({"x.txt": "Report 1", "y.txt": "report-1"}, "ids 'Report 1' and 'report-1' (the same IRI)"),
}


@pytest.mark.parametrize("case", list(DUPLICATES), ids=list(DUPLICATES))
def test_two_articles_with_one_id_are_an_error(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    files, message = DUPLICATES[case]
    text = (CORPUS / f"{ASTANA_REPORT}.txt").read_text(encoding="utf-8")
    inputs = []
    for name, ident in files.items():
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if ident:
            path.with_suffix(".meta.json").write_text(f'{{"id": "{ident}"}}', encoding="utf-8")
        inputs.append(path)
    out = tmp_path / "corpus.trig"
    assert build(*map(str, inputs), "-o", str(out)) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0] == (f"kg: error: {inputs[0]} and {inputs[1]} have {message}; "
                        'give one of them another "id" in its .meta.json')
    assert not out.exists()


def test_progress_line_per_article_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus.trig"
    assert build(str(CORPUS), "-o", str(out)) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [f"[{i}/3] {a}.txt" for i, a in enumerate(ARTICLES, 1)]
    assert all(line.endswith(" quads") for line in lines[:3])
    assert lines[3].startswith(f"kg: built 3 articles → {out} (") and len(lines) == 4
    assert build(str(CORPUS), "-o", str(out), "-q", "--update") == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("order", ["as-built", "reversed"], ids=["streams", "held-whole"])
def test_update_streams_its_own_files_and_holds_others(articles: Path, tmp_path: Path, order: str) -> None:
    """A file kg build wrote is read article by article; one in another order (here: its lines
    reversed) is held whole. Both updates write the bytes of a full build."""
    out = tmp_path / "corpus.nq"
    assert build(str(articles), "-o", str(out), "-q") == 0
    if order == "reversed":
        lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
        out.write_text("".join(reversed(lines)), encoding="utf-8")
    previous = corpus.read_previous(out)
    assert previous is not None and (previous._held is None) == (order == "as-built")
    edited = articles / f"{ASTANA_REPORT}.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会议期间，各方还举行了双边会见。\n", encoding="utf-8")
    assert build(str(articles), "-o", str(out), "--update", "-q") == 0
    assert out.read_bytes() == _full_build(articles, out)
