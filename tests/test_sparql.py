"""The query text before the engine: updates and SERVICE refused, nesting bounded, prefixes
predeclared, syntax errors on one line with their position."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from listening import Listener

from kg.cli import main
from kg.errors import KGError, QueryError, QueryRefused
from kg.sparql import CHECK_CACHE_CHARS, MAX_DEPTH, PREFIXES, Checked, check
from kg.store import GraphStore

TRIG = """<https://w3id.org/summit-kg/graph/article/a> {
  <https://w3id.org/summit-kg/id/state/CN> a <https://w3id.org/summit-kg/ontology#State> ;
      <http://www.w3.org/2004/02/skos/core#prefLabel> "中国"@zh-Hans , "China"@en .
}
<https://w3id.org/summit-kg/graph/reference> {
  <https://w3id.org/summit-kg/id/state/CN> <http://www.w3.org/2004/02/skos/core#prefLabel> "中国"@zh-Hans .
}
"""


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    path = tmp_path_factory.mktemp("sparql") / "small.trig"
    path.write_text(TRIG, encoding="utf-8")
    return GraphStore.from_file(path)


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "load silent <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://g>",
    "CLEAR ALL",
    "DROP GRAPH <http://g>",
    "CREATE GRAPH <http://g>",
    "ADD DEFAULT TO <http://g>",
    "MOVE <http://a> TO <http://b>",
    "COPY <http://a> TO <http://b>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
], ids=["insert-data", "delete-where", "load", "load-lowercase", "clear", "drop", "create", "add", "move", "copy",
        "with"])
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="Update"):
        check(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { ?s ?p 1.SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { ?s ?p \"x\"SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { ?s ?p ?o } # a comment\nSERVICE",
    "ASK { SERVICE ?endpoint { } }",
    "SELECT * { SERVICE:x { } }",
    "SELECT * { SERVICEwd:Q1 { } }",
    "SELECT * { ?s ?p trueSERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * { ?s ?p 1SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * { ?s ?p ?o;SERVICE <http://127.0.0.1:9/> { } }",
], ids=["plain", "lowercase-silent", "after-dot", "after-number", "after-string", "after-comment", "variable",
        "service-colon", "service-prefixed-name", "after-true", "after-digit", "after-semicolon"])
def test_service_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        check(text)


@pytest.mark.parametrize("text, form", [
    ('SELECT ?s WHERE { ?s ?p "SERVICE" }', "SELECT"),
    ("SELECT ?s WHERE { ?s ?p '''INSERT\nSERVICE''' }", "SELECT"),
    ("# SERVICE <http://x>\nASK { ?s ?p ?o }", "ASK"),
    ("SELECT ?service WHERE { ?service <http://e/SERVICE> ?o }", "SELECT"),
    ("PREFIX ex: <http://e/> CONSTRUCT WHERE { ?s ex:customerSERVICE ?o }", "CONSTRUCT"),
    ("PREFIX add: <http://e/> DESCRIBE add:x", "DESCRIBE"),
    ('SELECT ?s WHERE { ?s ?p "a \\" SERVICE" }', "SELECT"),
], ids=["in-string", "in-long-string", "in-comment", "variable-and-iri", "prefixed-names", "prefix-named-add",
        "escaped-quote"])
def test_data_that_looks_like_keywords_passes(text: str, form: str) -> None:
    assert check(text).form == form


def test_nesting_is_bounded() -> None:
    deep = "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)
    with pytest.raises(QueryError, match=f"more than {MAX_DEPTH} deep"):
        check(deep)
    # brackets the lexer reads as part of an IRI: ?a<((((…1))))&&?b>0 is a comparison to the engine
    hidden = "SELECT * { FILTER(?a<" + "(" * 2000 + "1" + ")" * 2000 + "&&?b>0) }"
    with pytest.raises(QueryError, match="deep"):
        check(hidden)
    # the depth that crashed the engine (a stack overflow, not an error) is refused before it
    with pytest.raises(QueryError, match="deep"):
        check("SELECT * WHERE {" + "{" * 5000 + "}" * 5000 + "}")
    assert check("SELECT * WHERE " + "{" * 20 + "}" * 20).form == "SELECT"


def test_text_that_is_not_a_query() -> None:
    with pytest.raises(QueryError, match="no SELECT, ASK, CONSTRUCT or DESCRIBE"):
        check("hello world")


@pytest.mark.parametrize("padding", [0, CHECK_CACHE_CHARS], ids=["remembered", "too-long-to-remember"])
def test_a_verdict_is_the_same_the_second_time(padding: int) -> None:
    comment = "#" + "x" * padding + "\n"
    accepted = comment + "SELECT * WHERE { ?s ?p ?o }"
    assert check(accepted) == check(accepted) == Checked(accepted, "SELECT")
    refused = comment + "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(2):  # a refusal is never remembered as an answer
        with pytest.raises(QueryRefused, match="SERVICE"):
            check(refused)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_result_or_one_query_error(graphs: GraphStore, text: str) -> None:
    try:
        graphs.query(text)
    except QueryError as exc:
        assert "\n" not in str(exc)


@given(st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]), st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_text_after_a_query_form_never_escapes_the_error_family(graphs: GraphStore, form: str, tail: str) -> None:
    try:
        graphs.query(f"{form} {tail}")
    except KGError as exc:
        assert isinstance(exc, QueryError) and "\n" not in str(exc)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { ?s skx:p ?o }", "at line 1, column 26: undeclared prefix skx:"),
    ("SELECT * WHERE {\n  ?s ?p ?o ", "at line 2, column 12: expected"),
    ("SELECT * WHERE { ?s ?p }", "at line 1, column 25: expected"),
], ids=["undeclared-prefix", "unclosed-brace", "missing-object"])
def test_syntax_errors_are_one_line_with_the_position(graphs: GraphStore, text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        graphs.query(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value) and "\\u{" not in str(info.value) and len(str(info.value)) < 400


def test_project_prefixes_need_no_declaration(graphs: GraphStore) -> None:
    rows = list(graphs.query("SELECT ?l WHERE { state:CN a skg:State ; skos:prefLabel ?l }"))
    assert sorted(r[0].value for r in rows) == ["China", "中国"]  # the label in two graphs: one row
    assert {"skg", "schema", "org", "prov", "skos", "dct", "dcterms", "rdfs", "xsd", "nif"} <= set(PREFIXES)


def test_a_query_may_redeclare_a_prefix(graphs: GraphStore) -> None:
    assert bool(graphs.query("ASK { ?s a skg:State }"))
    assert not bool(graphs.query("PREFIX skg: <http://example.org/> ASK { ?s a skg:State }"))


@pytest.mark.parametrize("sparql, expected", [
    ('SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(langMatches(lang(?l), "zh-Hans")) }', ["中国"]),
    ('SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(lang(?l) = "zh-hans") }', ["中国"]),
    ('SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(lang(?l) = "zh-Hans") }', []),
], ids=["langMatches-ignores-case", "lower-case-equals", "mixed-case-equals-does-not-match"])
def test_language_tags_compare_as_the_readme_says(graphs: GraphStore, sparql: str, expected: list[str]) -> None:
    assert [r[0].value for r in graphs.query(sparql)] == expected


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "LOAD <http://127.0.0.1:{port}/x.ttl>",
    "SELECT * WHERE {{ ?s ?p trueSERVICE <http://127.0.0.1:{port}/> {{ }} }}",
    "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICEx:sparql {{ }} }}",
], ids=["service", "load", "after-true", "glued-prefix"])
def test_kg_query_sends_no_request(tmp_path: Path, template: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "small.trig"
    path.write_text(TRIG, encoding="utf-8")
    listener = Listener()
    try:
        assert main(["query", str(path), template.format(port=listener.port)]) == 2
        assert "refused" in capsys.readouterr().err
    finally:
        arrived = listener.close()
    assert arrived == []


@pytest.fixture()
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(20)) + " }"  # 3^20 rows
CRASH = "SELECT * WHERE { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }"  # the engine's stack overflows


@pytest.mark.parametrize("query, argv, status, message", [
    (CARTESIAN, ["--timeout", "0.5"], 124, "did not finish in 0.5 s and was stopped"),
    (CRASH, [], 2, "the SPARQL engine crashed on this query (SIGSEGV)"),
    ("summits", ["--timeout", "0"], 2, "--timeout must be more than 0 seconds"),
], ids=["timeout", "engine-crash", "bad-timeout"])
def test_kg_query_stops_or_survives_the_engine(small_file: Path, tmp_path: Path, query: str, argv: list[str],
                                               status: int, message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(query, encoding="utf-8")
    assert main(["query", str(small_file), str(rq) if query != "summits" else query, *argv]) == status
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1 and captured.out == ""


def test_kg_query_answers_within_its_timeout(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(small_file), "SELECT ?l WHERE { ?s skos:prefLabel ?l }", "--timeout", "30",
                 "--format", "csv"]) == 0
    assert "中国" in capsys.readouterr().out
