"""Untrusted input (issue 8): reading a graph file sends no request, and the graph ``kg build`` writes
conforms to ontology/shapes.ttl whatever the text says.

Each defect that generated articles found has its regression test here, on a small article written
for the test, built through the CLI and checked with ``kg.validate.validate_file``; the shapes that
were changed so that reports may differ are also shown to still refuse what one report cannot say.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from listening import Listener

from kg.cli import main
from kg.errors import InputError
from kg.model import Evidence, Sentence
from kg.pipeline.graph import LABEL_MARK, MAX_LABEL, bounded, one_label_per_language, written_sentences
from kg.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/summit-kg/id/"
SKG = "https://w3id.org/summit-kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SDO = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
GRAPH = "https://w3id.org/summit-kg/graph/"
SUMMIT = ID + "summit/sco/heads-of-state/20"
#: The 20th SCO summit, on the day the reference gives (2020-11-10).
SCO20 = "2020年11月10日，上海合作组织成员国元首理事会第二十次会议以视频方式举行。"


# --- nothing leaves the machine -------------------------------------------------------------------

@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener("/ctx")
    yield server
    server.close()


#: JSON-LD documents that name another document to load (a remote context, an imported one, a
#: context scoped to a nested node): ``url`` is the listener's.
REMOTE = {
    "context": lambda url: {"@context": url, "@id": "https://example.org/a", "name": "x"},
    "import": lambda url: {"@context": {"@version": 1.1, "@import": url},
                           "@id": "https://example.org/a", "https://schema.org/name": "x"},
    "nested-context": lambda url: {"@id": "https://example.org/a", "https://schema.org/about": {
        "@context": url, "@id": "https://example.org/b", "name": "y"}},
}


@pytest.mark.parametrize("case", list(REMOTE), ids=list(REMOTE))
def test_validate_fetches_no_remote_jsonld_document(listener: Listener, tmp_path: Path, case: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(REMOTE[case](listener.url)), encoding="utf-8")

    with pytest.raises(InputError) as info:
        validate_file(path)
    assert main(["validate", str(path)]) == 2

    assert listener.close() == []
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("case", ["context", "import"], ids=["context", "import"])
def test_update_fetches_no_remote_jsonld_document(listener: Listener, tmp_path: Path, case: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "report.txt"
    article.write_text(SCO20 + "\n", encoding="utf-8")
    previous = tmp_path / "out.jsonld"  # the output an update reads: someone put a remote context in it
    previous.write_text(json.dumps(REMOTE[case](listener.url)), encoding="utf-8")
    before = previous.read_bytes()

    status = main(["build", str(article), "-o", str(previous), "--update", "-q"])

    assert listener.close() == []
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ") and len(err.strip().splitlines()) == 1 and str(previous) in err
    assert previous.read_bytes() == before


# --- every output valid by construction -----------------------------------------------------------

def build(tmp_path: Path, articles: dict[str, str], name: str = "out.trig") -> Path:
    """``kg build`` of one small article per item (``NAME.txt``) into ``name``."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for article, text in articles.items():
        (folder / f"{article}.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / name
    assert main(["build", str(folder), "-o", str(out), "-q"]) == 0
    return out


def conforms(path: Path) -> str:
    """The report of a graph that must conform: no violation, warnings allowed."""
    ok, report = validate_file(path)
    assert ok, report
    assert "Violation" not in report, report
    return report


def quads(path: Path) -> list[tuple[str, str, object, str]]:
    """``(subject, predicate, object, graph)``: IRIs as their text, literals as pyoxigraph literals."""
    out = []
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        o = q.object.value if isinstance(q.object, ox.NamedNode) else q.object
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        out.append((q.subject.value, q.predicate.value, o, g))
    return out


def values(found: list[tuple[str, str, object, str]], s: str, p: str) -> set[object]:
    return {o.value if isinstance(o, ox.Literal) else o for qs, qp, o, _ in found if qs == s and qp == p}


@pytest.mark.parametrize("mark", ["。", "！", "？", "\n"], ids=["full-stop", "exclamation", "question", "line-break"])
def test_speech_title_holding_a_sentence_end_conforms(tmp_path: Path, mark: str) -> None:
    """A 《…》 title read across a sentence end: its evidence stays inside one (written) sentence."""
    out = build(tmp_path, {"speech": SCO20 + f"习近平发表题为《携手抗疫{mark}共创未来》的重要讲话。"})

    conforms(out)
    found = quads(out)
    (speech,) = {s for s, p, o, _ in found if p == RDF + "type" and o == SKG + "Speech"}
    title = "携手抗疫 共创未来" if mark == "\n" else f"携手抗疫{mark}共创未来"  # white space is normalised
    assert values(found, speech, "http://purl.org/dc/terms/title") == {title}


def test_document_where_no_summit_is_recognised_conforms(tmp_path: Path) -> None:
    """No meeting named: the document is the article's own (mentioned by it), with its action and no
    summit it was adopted or mentioned at."""
    out = build(tmp_path, {"agreement": "双方签署了《中哈两国政府间经济合作协定》。"})

    conforms(out)
    found = quads(out)
    document = ID + "document/article/agreement/中哈两国政府间经济合作协定"
    assert values(found, document, SKG + "action") == {ID + "action/signed"}
    assert values(found, document, SKG + "adoptedAt") | values(found, document, SKG + "mentionedAt") == set()
    assert document in values(found, ID + "article/agreement", SDO + "mentions")


def test_date_contradicting_the_reference_warns(tmp_path: Path) -> None:
    """The text says 11-12, the reference 11-10: both are kept, each in its own graph, and the end of
    one before the start of the other is a warning, not a violation."""
    out = build(tmp_path, {"late": SCO20.replace("10日", "12日")})

    report = conforms(out)
    assert "Warning: shp:SummitDateSourcesShape" in report, report
    dates = {(p.rsplit("/", 1)[-1], o.value, g) for s, p, o, g in quads(out)
             if s == SUMMIT and p in (SDO + "startDate", SDO + "endDate")}
    assert dates == {("startDate", "2020-11-12", GRAPH + "article/late"),
                     ("endDate", "2020-11-12", GRAPH + "article/late"),
                     ("startDate", "2020-11-10", GRAPH + "reference"),
                     ("endDate", "2020-11-10", GRAPH + "reference")}


REPORTS = {
    # two reports of one summit that say different things of one document: both are true
    "signed-and-issued": ({"daily": SCO20 + "成员国领导人签署并发表《莫斯科宣言》。",
                           "radio": SCO20 + "成员国领导人发表《莫斯科宣言》。"},
                          {("action", ID + "action/signed", "daily"), ("action", ID + "action/issued", "radio"),
                           ("adoptedAt", SUMMIT, "daily"), ("adoptedAt", SUMMIT, "radio")}),
    "adopted-and-mentioned": ({"daily": SCO20 + "成员国领导人通过了《莫斯科宣言》。",
                               "radio": SCO20 + "《莫斯科宣言》指出，各方将加强合作。"},
                              {("action", ID + "action/adopted", "daily"), ("action", ID + "action/other", "radio"),
                               ("adoptedAt", SUMMIT, "daily"), ("mentionedAt", SUMMIT, "radio")}),
}


@pytest.mark.parametrize("case", list(REPORTS), ids=list(REPORTS))
def test_two_reports_of_one_document_conform(tmp_path: Path, case: str) -> None:
    """Each report states its own action and venue, in its own graph; together they conform."""
    articles, expected = REPORTS[case]
    out = build(tmp_path, articles)

    conforms(out)
    document = ID + "document/sco/heads-of-state/20/莫斯科宣言"
    stated = {(p.rsplit("#", 1)[-1], o, g.rsplit("/", 1)[-1]) for s, p, o, g in quads(out)
              if s == document and p in (SKG + "action", SKG + "adoptedAt", SKG + "mentionedAt")}
    assert stated == expected


def test_two_reports_name_and_hold_a_meeting_differently(tmp_path: Path) -> None:
    """One report names the meeting in full and says nothing of its format (in person is inferred),
    the other shortens the name and says it met by video: each name and format is its report's, in
    its own graph; the union conforms, with warnings that the sources differ."""
    day = "2023年10月26日，"
    out = build(tmp_path, {"full": day + "上海合作组织成员国政府首脑(总理)理事会第二十二次会议在比什凯克举行。",
                           "short": day + "上合组织成员国政府首脑理事会第二十二次会议以视频方式举行。"})

    report = conforms(out)
    assert "Warning: shp:LabelSourcesShape" in report and "Warning: shp:SummitShape › skg:format" in report, report
    summit = ID + "summit/sco/heads-of-government/22"
    stated = {(p.rsplit("#", 1)[-1], o.value if isinstance(o, ox.Literal) else o, g.removeprefix(GRAPH))
              for s, p, o, g in quads(out) if s == summit and p.endswith(("#prefLabel", "#format"))}
    assert stated == {("prefLabel", "上海合作组织成员国政府首脑(总理)理事会第二十二次会议", "article/full"),
                      ("prefLabel", "上合组织成员国政府首脑理事会第二十二次会议", "article/short"),
                      ("format", ID + "format/in_person", "article/full/inferred"),
                      ("format", ID + "format/video", "article/short")}


def test_meeting_of_no_known_organization_warns(tmp_path: Path) -> None:
    """上海峰会 alone: a meeting the text names, of no organization it names; a warning, not a violation."""
    out = build(tmp_path, {"shanghai": "习近平出席上海峰会。"})

    report = conforms(out)
    assert "Warning: shp:SummitShape › skg:organizer" in report, report
    assert values(quads(out), ID + "summit/上海峰会/上海", SKG + "organizer") == set()


def test_names_one_iri_apart_in_one_report_conform(tmp_path: Path) -> None:
    """《？上海宣言》 and 《上海宣言》 (one IRI) in one report: one label, one action, one venue."""
    out = build(tmp_path, {"shanghai": SCO20 + "会议通过《？上海宣言》。各方发表《上海宣言》。"})

    conforms(out)
    found = quads(out)
    document = ID + "document/sco/heads-of-state/20/上海宣言"
    assert values(found, document, SKOS + "prefLabel") == {"？上海宣言"}
    assert values(found, document, SKG + "action") == {ID + "action/adopted"}


def test_same_summit_corpus_conforms(tmp_path: Path) -> None:
    """Three reports of the 2022 SCO summit (tests/data/same_summit): 签署并发表 in one, 发表 in
    another, and a start date one day apart from the reference's."""
    out = tmp_path / "same.trig"
    assert main(["build", str(ROOT / "tests" / "data" / "same_summit"), "-o", str(out), "-q"]) == 0

    report = conforms(out)
    assert "Warning: shp:SummitShape › schema:startDate" in report
    document = ID + "document/sco/heads-of-state/22/上海合作组织成员国元首理事会撒马尔罕宣言"
    assert values(quads(out), document, SKG + "action") == {ID + "action/signed", ID + "action/issued"}


def test_long_title_is_cut_in_labels_and_whole_in_evidence(tmp_path: Path) -> None:
    """A 《…》 title of 100,000 characters: its labels are cut at MAX_LABEL with a marker, its evidence
    holds it whole, the graph conforms and the network page is made at once."""
    title = "合作" * 49_999 + "宣言"
    out = build(tmp_path, {"long": SCO20 + f"成员国领导人签署并发表《{title}》。"})

    conforms(out)
    found = quads(out)
    (document,) = {s for s, p, o, _ in found if p == RDF + "type" and o == SKG + "Document"}
    label = bounded(title)
    assert len(label) == MAX_LABEL and label.endswith(LABEL_MARK)
    assert {o.value for s, p, o, _ in found if s == document and isinstance(o, ox.Literal)} == {label}
    anchors = {o.value for s, p, o, _ in found if p.endswith("#anchorOf")}
    assert title in anchors  # the evidence of the label
    started = time.monotonic()
    assert main(["viz", str(out), "-o", str(tmp_path / "page.html"), "-q"]) == 0
    assert time.monotonic() - started < 60

    from kg.viz.data import load

    nodes = {node["id"]: node for node in load(out)["nodes"]}
    assert nodes[document]["labels"]["zh"] == label
    assert max(len(node["labels"]["zh"]) for node in nodes.values()) == MAX_LABEL


def test_viz_bounds_a_long_label_of_an_older_graph(tmp_path: Path) -> None:
    """A graph written before labels were bounded (or by another tool): the page's labels are cut."""
    from kg.viz.data import load

    name = "峰会" * 50_000
    graph = tmp_path / "old.ttl"
    graph.write_text(f"""
        @prefix skg: <{SKG}> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{ID}summit/x/{name}> a skg:Summit ; skos:prefLabel "{name}"@zh-Hans ; skos:altLabel "别名{name}"@zh-Hans .
        <{ID}summit/y/{name}> a skg:Summit .
        """, encoding="utf-8")

    data = load(graph)

    labels = [node["labels"]["zh"] for node in data["nodes"]] + [a for node in data["nodes"] for a in node["alt"]]
    assert len(labels) == 3
    assert all(len(label) == MAX_LABEL and label.endswith(LABEL_MARK) for label in labels), [len(x) for x in labels]


# --- the shapes still refuse what one report cannot say -------------------------------------------

def _ev(node: str, s: str, p: str, o: str, article: str) -> str:
    """The part of an evidence node the per-report constraints read (left untyped: no other shape applies)."""
    ev = f"<{ID}article/{article}/evidence/{node}>"
    return (f"{ev} <{RDF}subject> <{s}> .\n{ev} <{RDF}predicate> <{p}> .\n{ev} <{RDF}object> {o} .\n"
            f"{ev} <{SKG}article> <{ID}article/{article}> .\n")


DOCUMENT = ID + "document/sco/heads-of-state/20/莫斯科宣言"
S99 = ID + "summit/sco/heads-of-state/99"
BROKEN = {
    # case: (N-Triples added to the build of SCO20 + 签署并发表《莫斯科宣言》 by article "one", words of the message)
    "one-report-two-actions": (
        f"<{DOCUMENT}> <{SKG}action> <{ID}action/issued> .\n"
        + _ev("x1", DOCUMENT, SKG + "action", f"<{ID}action/issued>", "one"),
        "two actions"),
    "one-report-two-names": (
        f'<{DOCUMENT}> <{SKOS}prefLabel> "莫斯科共同宣言"@zh-Hans .\n'
        + _ev("x4", DOCUMENT, SKOS + "prefLabel", '"莫斯科共同宣言"@zh-Hans', "one"),
        "are not two reports' own"),
    "two-actions-no-report": (f"<{DOCUMENT}> <{SKG}action> <{ID}action/issued> .\n", "two actions"),
    "one-report-adopted-and-mentioned": (
        f"<{DOCUMENT}> <{SKG}mentionedAt> <{SUMMIT}> .\n"
        + _ev("x2", DOCUMENT, SKG + "mentionedAt", f"<{SUMMIT}>", "one"),
        "exactly one of skg:adoptedAt and skg:mentionedAt"),
    "one-report-ends-before-start": (
        f'<{SUMMIT}> <{SDO}endDate> "2020-11-09"^^<{XSD_DATE}> .\n'
        + _ev("x3", SUMMIT, SDO + "endDate", f'"2020-11-09"^^<{XSD_DATE}>', "one"),
        "before it starts"),
    "background-ends-before-start": (
        f"<{S99}> <{RDF}type> <{SKG}Summit> .\n"
        f'<{S99}> <{SDO}startDate> "2030-01-02"^^<{XSD_DATE}> .\n<{S99}> <{SDO}endDate> "2030-01-01"^^<{XSD_DATE}> .\n',
        "before it starts"),
    "document-of-no-report": (
        f"<{ID}document/x/y> <{RDF}type> <{SKG}Document> .\n<{ID}document/x/y> <{SKG}action> <{ID}action/signed> .\n",
        "it has neither"),
}


@pytest.fixture(scope="module")
def one_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The N-Triples of one report that signs and issues a declaration at the 20th SCO summit."""
    out = build(tmp_path_factory.mktemp("one-report"), {"one": SCO20 + "成员国领导人签署并发表《莫斯科宣言》。"},
                name="one.nt")
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_shapes_refuse_what_one_report_cannot_say(one_report: str, tmp_path: Path, case: str) -> None:
    added, words = BROKEN[case]
    path = tmp_path / f"{case}.nt"
    path.write_text(one_report + added, encoding="utf-8")

    ok, report = validate_file(path)

    assert not ok
    assert words in report, report


# --- the parts -------------------------------------------------------------------------------------

TEXT = "０１２３４５６７８９０１２３４５"


def _sentences(*spans: tuple[int, int]) -> list[Sentence]:
    return [Sentence(i, s, e, TEXT[s:e]) for i, (s, e) in enumerate(spans)]


@pytest.mark.parametrize("sentences,evidence,expected", [
    ([(0, 5), (6, 10)], [(1, 3), (6, 9)], [(0, 5), (6, 10)]),
    ([(0, 5), (6, 10), (11, 14)], [(3, 8)], [(0, 10), (11, 14)]),
    ([(0, 5), (6, 10), (11, 14)], [(3, 7), (9, 12)], [(0, 14)]),
    ([(0, 5), (6, 10), (11, 14)], [(2, 13)], [(0, 14)]),
    ([(2, 5), (6, 10)], [(0, 3)], [(0, 5), (6, 10)]),
    ([(0, 5), (7, 10)], [(5, 6)], [(0, 6), (7, 10)]),
    ([], [(1, 4)], [(1, 4)]),
], ids=["none-crosses", "one-boundary", "chained", "three-sentences", "before-the-first", "in-a-gap", "no-sentences"])
def test_written_sentences_join_what_a_span_crosses(sentences: list[tuple[int, int]], evidence: list[tuple[int, int]],
                                                     expected: list[tuple[int, int]]) -> None:
    written = written_sentences(TEXT, _sentences(*sentences), [Evidence(s, e, "rule") for s, e in evidence])

    assert [(s.start, s.end) for s in written] == expected
    assert [s.index for s in written] == list(range(len(expected)))
    assert all(s.text == TEXT[s.start:s.end] for s in written)
    for start, end in evidence:  # every span inside one sentence
        assert any(s.start <= start and end <= s.end for s in written)


def test_one_label_per_language() -> None:
    from kg.model import Fact, Ref, Value

    doc, article = Ref("document", "x/上海宣言"), Ref("article", "x")
    facts = [Fact(doc, "label", Value("上海宣言", lang="zh-Hans"), Evidence(30, 34, "document-title")),
             Fact(doc, "label", Value("？上海宣言", lang="zh-Hans"), Evidence(10, 15, "document-title")),
             Fact(doc, "label", Value("上海宣言", lang="zh-Hant"), Evidence(30, 34, "document-title")),
             Fact(article, "mentions", doc, Evidence(30, 34, "document-title"))]

    written = one_label_per_language(facts)

    assert [(f.predicate, f.object.value if isinstance(f.object, Value) else str(f.object)) for f in written] == [
        ("alias", "上海宣言"), ("label", "？上海宣言"), ("label", "上海宣言"), ("mentions", "document:x/上海宣言")]
    assert [f.evidence for f in written] == [f.evidence for f in facts]


@pytest.mark.parametrize("name,expected", [
    ("上合组织", "上合组织"),
    ("宣" * MAX_LABEL, "宣" * MAX_LABEL),
    ("宣" * (MAX_LABEL + 1), "宣" * (MAX_LABEL - 1) + LABEL_MARK),
], ids=["short", "at-the-limit", "one-over"])
def test_bounded_names(name: str, expected: str) -> None:
    assert bounded(name) == expected
