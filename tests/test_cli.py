"""The ``kg`` command line end to end: outputs, determinism, and one-line errors for bad input."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld"}


def kg(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess (as a user would)."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The development article built once into every output format."""
    out = tmp_path_factory.mktemp("built")
    paths = {}
    for ext in FORMATS:
        path = out / f"sco2020{ext}"
        assert main(["build", str(ARTICLE), "-o", str(path), "-q"]) == 0
        paths[ext] = path
    return paths


def _triples(path: Path) -> set[tuple[object, object, object]]:
    ds = rdflib.Dataset()
    ds.parse(path, format=FORMATS[path.suffix])
    return {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}


def test_cli_every_format_parses_to_the_same_triples(built: dict[str, Path]) -> None:
    reference = _triples(built[".ttl"])
    assert len(reference) > 1000
    for ext, path in built.items():
        assert _triples(path) == reference, ext


@pytest.mark.parametrize("ext", [".trig", ".nq", ".jsonld"], ids=["trig", "nquads", "jsonld"])
def test_cli_named_graphs_are_kept(built: dict[str, Path], ext: str) -> None:
    ds = rdflib.Dataset()
    ds.parse(built[ext], format=FORMATS[ext])
    names = {str(g.identifier) for g in ds.graphs()}
    assert "https://w3id.org/summit-kg/graph/article/sco2020_video_summit" in names
    assert "https://w3id.org/summit-kg/graph/article/sco2020_video_summit/inferred" in names
    assert "https://w3id.org/summit-kg/graph/reference" in names


def test_cli_no_blank_nodes(built: dict[str, Path]) -> None:
    for s, _, o in _triples(built[".nt"]):
        assert not isinstance(s, rdflib.BNode) and not isinstance(o, rdflib.BNode)


@pytest.mark.parametrize("ext", list(FORMATS), ids=[e[1:] for e in FORMATS])
def test_cli_two_builds_are_byte_identical(built: dict[str, Path], tmp_path: Path, ext: str) -> None:
    again = tmp_path / f"again{ext}"
    proc = kg("build", str(ARTICLE), "-o", str(again), "-q", env={"PYTHONHASHSEED": "12345"})
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == built[ext].read_bytes()


def test_cli_build_writes_turtle_to_stdout() -> None:
    proc = kg("build", str(ARTICLE), "-q")
    assert proc.returncode == 0, proc.stderr
    graph = rdflib.Graph().parse(data=proc.stdout, format="turtle")
    assert len(graph) > 1000
    assert proc.stdout.startswith("@prefix")


def test_cli_summit_date_same_with_and_without_meta(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(ARTICLE, bare / ARTICLE.name)  # no .meta.json beside it
    dates = []
    for source in (ARTICLE, bare / ARTICLE.name):
        out = tmp_path / f"{source.parent.name}.ttl"
        assert main(["build", str(source), "-o", str(out), "-q"]) == 0
        proc = kg("query", str(out), "summits", "--format", "json")
        rows = json.loads(proc.stdout)["results"]["bindings"]
        dates.append([(r["startDate"]["value"], r["endDate"]["value"]) for r in rows])
    assert dates[0] == dates[1] == [("2020-11-10", "2020-11-10")]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"], ids=["table", "csv", "tsv", "json"])
def test_cli_query_formats(built: dict[str, Path], fmt: str) -> None:
    proc = kg("query", str(built[".ttl"]), "states", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert "俄罗斯" in proc.stdout and "中国" in proc.stdout
    if fmt == "json":
        data = json.loads(proc.stdout)
        assert data["head"]["vars"] == ["state", "label"]


def test_cli_query_from_rq_file_and_text(built: dict[str, Path], tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/summit-kg/ontology#Summit> }",
                  encoding="utf-8")
    from_file = kg("query", str(built[".trig"]), str(rq), "--format", "csv")
    from_text = kg("query", str(built[".trig"]), rq.read_text(encoding="utf-8"), "--format", "csv")
    assert from_file.returncode == from_text.returncode == 0
    assert from_file.stdout == from_text.stdout
    assert int(from_file.stdout.splitlines()[1]) >= 20  # the SCO series from the reference knowledge


@pytest.mark.parametrize("command", [["--help"], ["build", "--help"], ["query", "--help"], ["validate", "--help"],
                                     ["stats", "--help"], ["eval", "--help"]],
                         ids=["kg", "build", "query", "validate", "stats", "eval"])
def test_cli_help(command: list[str]) -> None:
    proc = kg(*command)
    assert proc.returncode == 0
    assert "usage: kg" in proc.stdout


def _bad_inputs(tmp: Path, graph: Path) -> dict[str, list[str]]:
    (tmp / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp / "no-articles").mkdir()
    (tmp / "broken.ttl").write_text("<a> <b> .", encoding="utf-8")
    (tmp / "uncertain.txt").write_bytes("上海合作组织峰会".encode("gb18030"))
    (tmp / "binary.txt").write_bytes(bytes(range(128, 256)) * 4)
    (tmp / "badmeta.txt").write_text("上海合作组织成员国元首理事会第十八次会议在青岛举行。", encoding="utf-8")
    (tmp / "badmeta.meta.json").write_text('{"published": "10 June 2018"}', encoding="utf-8")
    return {
        "missing-file": ["build", str(tmp / "nope.txt")],
        "empty-file": ["build", str(tmp / "empty.txt")],
        "dir-without-articles": ["build", str(tmp / "no-articles")],
        "unknown-extension": ["build", str(ARTICLE), "-o", str(tmp / "out.xyz")],
        "uncertain-encoding": ["build", str(tmp / "uncertain.txt")],
        "undecodable": ["build", str(tmp / "binary.txt")],
        "bad-meta-date": ["build", str(tmp / "badmeta.txt")],
        "sparql-syntax": ["query", str(graph), "SELECT ?s WHERE { ?s ?p }"],
        "unknown-query-name": ["query", str(graph), "summitz"],
        "graph-does-not-parse": ["query", str(tmp / "broken.ttl"), "summits"],
        "graph-missing": ["query", str(tmp / "missing.ttl"), "summits"],
        "graph-unknown-extension": ["stats", str(ARTICLE)],
        "validate-broken": ["validate", str(tmp / "broken.ttl")],
    }


BAD = ["missing-file", "empty-file", "dir-without-articles", "unknown-extension", "uncertain-encoding",
       "undecodable", "bad-meta-date", "sparql-syntax", "unknown-query-name", "graph-does-not-parse",
       "graph-missing", "graph-unknown-extension", "validate-broken"]


@pytest.mark.parametrize("case", BAD, ids=BAD)
def test_cli_bad_input_is_one_line_and_nonzero(built: dict[str, Path], tmp_path: Path, case: str) -> None:
    args = _bad_inputs(tmp_path, built[".ttl"])[case]
    proc = kg(*args)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("kg: error: ")
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_cli_encoding_error_names_the_option(tmp_path: Path) -> None:
    article = tmp_path / "short.txt"
    article.write_bytes("上海合作组织峰会".encode("gb18030"))
    proc = kg("build", str(article))
    assert "--encoding" in proc.stderr
    named = kg("build", str(article), "--encoding", "gb18030", "-q")
    assert named.returncode == 0, named.stderr


def test_cli_gb18030_article_is_decoded_like_utf8(built: dict[str, Path], tmp_path: Path) -> None:
    """A long GB18030 article is detected with certainty and gives the same graph as UTF-8."""
    article = tmp_path / ARTICLE.name
    article.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("gb18030"))
    shutil.copy(ARTICLE.with_suffix("").with_suffix(".meta.json"), tmp_path / "sco2020_video_summit.meta.json")
    out = tmp_path / "gb.ttl"
    proc = kg("build", str(article), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == built[".ttl"].read_bytes()


def test_cli_failed_build_keeps_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("# previous result\n", encoding="utf-8")
    proc = kg("build", str(tmp_path / "missing.txt"), "-o", str(out))
    assert proc.returncode != 0
    assert out.read_text(encoding="utf-8") == "# previous result\n"


def test_cli_runs_from_another_directory(built: dict[str, Path], tmp_path: Path) -> None:
    proc = kg("query", str(built[".ttl"]), "summits", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "上海合作组织成员国元首理事会第二十次会议" in proc.stdout
