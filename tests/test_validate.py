"""``kg validate``: the built graph conforms to ontology/shapes.ttl; graphs broken on purpose do not,
and the report names the problem; unreadable files are one-line InputErrors."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg.cli import main
from kg.errors import InputError
from kg.validate import MAX_LINES, validate_file

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
SKG = Namespace("https://w3id.org/summit-kg/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ID = "https://w3id.org/summit-kg/id/"
SUMMIT = URIRef(ID + "summit/sco/heads-of-state/20")
DOCUMENT = URIRef(ID + "document/sco/heads-of-state/20/峰会宣言")
SUMMIT_SHORT = "summit:sco/heads-of-state/20"
DOCUMENT_SHORT = "document:sco/heads-of-state/20/峰会宣言"



@pytest.fixture(scope="module")
def base_graph(sco2020: dict[str, Path]) -> Graph:
    return Graph().parse(sco2020[".ttl"], format="turtle")


def _first_evidence(g: Graph, predicate: URIRef) -> URIRef:
    found = sorted(ev for ev in g.subjects(RDF.type, SKG.Evidence) if g.value(ev, RDF.predicate) == predicate)
    assert found, f"no evidence for {predicate}"
    return found[0]


def _second_zh_label(g: Graph) -> str:
    g.add((SUMMIT, SKOS.prefLabel, Literal("上合组织视频峰会", lang="zh-Hans")))
    return SUMMIT_SHORT


def _document_without_venue(g: Graph) -> str:
    g.remove((DOCUMENT, SKG.adoptedAt, None))
    g.remove((DOCUMENT, SKG.mentionedAt, None))
    for ev in list(g.subjects(RDF.subject, DOCUMENT)):  # keep the graph otherwise consistent
        if g.value(ev, RDF.predicate) in (SKG.adoptedAt, SKG.mentionedAt):
            g.remove((ev, None, None))
    return DOCUMENT_SHORT


def _document_with_both(g: Graph) -> str:
    g.add((DOCUMENT, SKG.mentionedAt, SUMMIT))
    return DOCUMENT_SHORT


def _evidence_begin_after_end(g: Graph) -> str:
    ev = _first_evidence(g, SKG.documentType)
    begin = int(g.value(ev, NIF.beginIndex))
    end = int(g.value(ev, NIF.endIndex))
    g.set((ev, NIF.beginIndex, Literal(end + 3, datatype=XSD.nonNegativeInteger)))
    g.set((ev, NIF.endIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
    return ev.rsplit("/", 1)[-1]


def _evidence_without_rule(g: Graph) -> str:
    ev = _first_evidence(g, SKG.action)
    g.remove((ev, SKG.rule, None))
    return ev.rsplit("/", 1)[-1]


def _evidence_wrong_anchor(g: Graph) -> str:
    ev = _first_evidence(g, SKG.action)
    g.set((ev, NIF.anchorOf, Literal("并非原文", lang="zh-Hans")))
    return ev.rsplit("/", 1)[-1]


def _state_bad_iso(g: Graph) -> str:
    g.set((URIRef(ID + "state/CN"), SKG.iso3166Alpha2, Literal("cn")))
    return "state:CN"


def _organizer_not_an_organization(g: Graph) -> str:
    g.set((SUMMIT, SKG.organizer, URIRef(ID + "state/RU")))
    return SUMMIT_SHORT


BROKEN: dict[str, tuple[Callable[[Graph], str], str]] = {
    # case: (how to break the graph (returns what the report must name), words of the message)
    "summit-two-zh-preflabels": (_second_zh_label, "exactly one Chinese (zh) skos:prefLabel"),
    "document-neither-adopted-nor-mentioned": (_document_without_venue,
                                               "exactly one of skg:adoptedAt and skg:mentionedAt"),
    "document-both-adopted-and-mentioned": (_document_with_both, "exactly one of skg:adoptedAt and skg:mentionedAt"),
    "evidence-begin-after-end": (_evidence_begin_after_end, "is greater than nif:endIndex"),
    "evidence-without-rule": (_evidence_without_rule, "exactly one skg:rule"),
    "evidence-anchor-not-article-text": (_evidence_wrong_anchor, "nif:anchorOf is not the article text"),
    "state-lowercase-iso-code": (_state_bad_iso, "two capital letters"),
    "summit-organizer-not-an-organization": (_organizer_not_an_organization, "skg:InternationalOrganization"),
}


@pytest.fixture(scope="module")
def built_results(sco2020: dict[str, Path]) -> dict[str, tuple[bool, str]]:
    return {ext: validate_file(path) for ext, path in sco2020.items()}


@pytest.mark.parametrize("ext", [".ttl", ".trig"], ids=["turtle", "trig"])
def test_built_graph_conforms(built_results: dict[str, tuple[bool, str]], ext: str) -> None:
    conforms, report = built_results[ext]
    assert conforms, report
    assert re.match(r"conforms: \d+ focus nodes checked", report)
    assert "Violation" not in report


def test_turtle_and_trig_reports_agree(built_results: dict[str, tuple[bool, str]]) -> None:
    assert built_results[".ttl"] == built_results[".trig"]


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_graph_does_not_conform(base_graph: Graph, tmp_path: Path, case: str) -> None:
    breaker, words = BROKEN[case]
    g = Graph()
    for triple in base_graph:
        g.add(triple)
    focus = breaker(g)
    path = tmp_path / f"{case}.ttl"
    g.serialize(path, format="turtle")

    conforms, report = validate_file(path)

    assert not conforms
    assert report.startswith("does not conform: ")
    assert "Violation: " in report
    assert words in report, report
    assert focus in report, report
    assert len(report.splitlines()) <= MAX_LINES + 1


def test_many_violations_are_cut_short(base_graph: Graph, tmp_path: Path) -> None:
    g = Graph()
    for s, p, o in base_graph:
        if not (p == SKOS.prefLabel and str(s).startswith(ID + "state/")):
            g.add((s, p, o))
    path = tmp_path / "no-state-labels.ttl"
    g.serialize(path, format="turtle")

    conforms, report = validate_file(path)

    assert not conforms
    lines = report.splitlines()
    assert len(lines) <= MAX_LINES + 1
    assert re.fullmatch(r"… and \d+ more", lines[-1]), lines[-1]
    assert "A state needs a Chinese (zh) skos:prefLabel." in report
    violations = int(re.match(r"does not conform: (\d+) violations", report).group(1))
    assert violations >= 190  # every state of the reference knowledge


BAD_FILES = {
    "turtle-syntax": ("broken.ttl", "<a> <b> ."),
    "trig-syntax": ("broken.trig", "<g> { <a> <b> "),
    "nquads-syntax": ("broken.nq", "<a> <b> <c> <d> <e> .\n"),
    "jsonld-syntax": ("broken.jsonld", '{"@id": '),
    "empty": ("empty.ttl", "# nothing\n"),
    "unknown-extension": ("graph.xyz", "<a> <b> <c> ."),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_unreadable_file_is_an_input_error(tmp_path: Path, case: str) -> None:
    name, text = BAD_FILES[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert name in message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate_file(tmp_path / "missing.ttl")


@pytest.mark.parametrize("case,expected", [("good", 0), ("broken", 1), ("unparseable", 2)],
                         ids=["conforms-exit-0", "violations-exit-1", "unparseable-exit-2"])
def test_cli_validate_exit_status(sco2020: dict[str, Path], base_graph: Graph, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str], case: str, expected: int) -> None:
    if case == "good":
        path = sco2020[".trig"]
    elif case == "broken":
        g = Graph()
        for triple in base_graph:
            g.add(triple)
        _second_zh_label(g)
        path = tmp_path / "broken.ttl"
        g.serialize(path, format="turtle")
    else:
        path = tmp_path / "unparseable.ttl"
        path.write_text("<a> <b> .", encoding="utf-8")

    assert main(["validate", str(path)]) == expected

    out, err = capsys.readouterr()
    if case == "good":
        assert out.startswith("conforms: ") and err.endswith(": conforms, 0 violations, 0 warnings\n")
    elif case == "broken":
        assert out.startswith("does not conform: ") and SUMMIT_SHORT in out
    else:
        assert out == "" and err.startswith("kg: error: ") and len(err.strip().splitlines()) == 1


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, kg.validate; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "pyshacl" not in loaded and "rdflib" not in loaded
