"""The ``kg`` command line end to end: outputs, determinism, and one-line errors for bad input."""
from __future__ import annotations

import json
import os
import re
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


# ------------------------------------------------------------------------------ honest output (issue 9)

MEETING = "上海合作组织成员国元首理事会第二十次会议11月10日以视频方式举行。"  # one summit
NOTHING = "今天天气很好，我们去公园散步。"  # no summit, no state, nothing


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    (folder / "meeting.txt").write_text(MEETING, encoding="utf-8")
    (folder / "nothing.txt").write_text(NOTHING, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("names", "quiet", "warned", "summary"), [
    (["meeting.txt"], False, [], "kg: built 1 article → {out} ("),
    (["nothing.txt"], False, ["nothing.txt"], "; 1 without a summit"),
    (["meeting.txt", "nothing.txt"], False, ["nothing.txt"], "; 1 without a summit"),
    (["nothing.txt"], True, ["nothing.txt"], None),
], ids=["summit", "no-summit", "corpus-of-both", "no-summit-quiet"])
def test_cli_build_warns_of_an_article_without_a_summit(texts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         names: list[str], quiet: bool, warned: list[str],
                                                         summary: str | None) -> None:
    out = tmp_path / "out.trig"
    assert main(["build", *(str(texts / name) for name in names), "-o", str(out), *(["-q"] if quiet else [])]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if line.startswith("kg: warning: ")] == \
        [f"kg: warning: {texts / name}: no summit found" for name in warned]  # one line each, even with -q
    if summary is None:
        assert len(lines) == len(warned)
    else:
        assert summary.format(out=out) in lines[-1] and lines[-1].startswith("kg: built ")
        assert ("without a summit" in lines[-1]) is bool(warned)
    assert out.exists()  # a warning, not an error: the graph is written


def test_cli_update_warns_of_a_reused_article_without_a_summit(texts: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.nq"
    args = ["build", str(texts / "meeting.txt"), str(texts / "nothing.txt"), "-o", str(out)]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--update"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert "[2/2] nothing.txt: reused, 19 quads" in lines  # its graphs come from the previous output
    assert lines.count(f"kg: warning: {texts / 'nothing.txt'}: no summit found") == 1
    assert lines[-1].endswith("; 1 without a summit") and "0 extracted, 2 reused" in lines[-1]


VALIDATE_GRAPHS = {
    "conforms": '<https://example.org/a> <https://example.org/b> "c" .\n',
    "warning": ('<https://w3id.org/summit-kg/id/summit/x/1> a <https://w3id.org/summit-kg/ontology#Summit> ;'
                ' <http://www.w3.org/2004/02/skos/core#prefLabel> "第一次会议"@zh-Hans .\n'),
    "violation": ('<https://w3id.org/summit-kg/id/summit/x/1> a <https://w3id.org/summit-kg/ontology#Summit> ;'
                  ' <http://www.w3.org/2004/02/skos/core#prefLabel> "第一次会议"@zh-Hans , "首次会议"@zh-Hans .\n'),
}


@pytest.mark.parametrize(("graph", "quiet", "status", "verdict"), [
    ("conforms", False, 0, "conforms, 0 violations, 0 warnings"),
    ("warning", False, 0, "conforms, 0 violations, 1 warning"),
    ("violation", False, 1, "does not conform, 1 violation, 2 warnings"),
    ("violation", True, 1, None),
], ids=["conforms", "warning", "violation", "violation-quiet"])
def test_cli_validate_shows_stages_and_a_closing_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], graph: str,
                                                      quiet: bool, status: int, verdict: str | None) -> None:
    path = tmp_path / f"{graph}.ttl"
    path.write_text(VALIDATE_GRAPHS[graph], encoding="utf-8")
    assert main(["validate", str(path), *(["-q"] if quiet else [])]) == status
    out, err = capsys.readouterr()
    assert out.startswith("does not conform: " if status else "conforms: ")  # the report, as before
    if verdict is None:
        assert err == ""
        return
    lines = err.splitlines()
    assert len(lines) == 3, err  # in a log: each stage when done, with its time; then the closing line
    assert re.fullmatch(rf"reading {re.escape(str(path))} \(\d+\.\d s\)", lines[0])
    assert re.fullmatch(r"checking \d+ triples against the SHACL shapes \(\d+\.\d s\)", lines[1])
    assert re.fullmatch(rf"kg: validated {re.escape(str(path))} in \d+\.\d s: {verdict}", lines[2])


@pytest.mark.parametrize(("head", "verdict"), [
    ("conforms: 12 focus nodes checked", "conforms, 0 violations, 0 warnings"),
    ("conforms: 1 focus node checked; 1 warning", "conforms, 0 violations, 1 warning"),
    ("does not conform: 1 violation (1 focus node checked)", "does not conform, 1 violation, 0 warnings"),
    ("does not conform: 30 violations and 12 warnings (400 focus nodes checked)",
     "does not conform, 30 violations, 12 warnings"),
], ids=["conforms", "conforms-warning", "one-violation", "violations-and-warnings"])
def test_cli_validate_verdict_reads_the_report_head(head: str, verdict: str) -> None:
    from kg.cli import _verdict

    assert _verdict(head + "\nViolation: shp:X (3)\n  3 warnings of a message\n") == verdict


@pytest.mark.parametrize(("ext", "quiet"), [(".gexf", False), (".html", False), (".gexf", True)],
                         ids=["gexf", "html", "quiet"])
def test_cli_viz_shows_stages_and_a_closing_line(built: dict[str, Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str], ext: str, quiet: bool) -> None:
    from kg.viz.data import load

    out = tmp_path / f"page{ext}"
    assert main(["viz", str(built[".trig"]), "-o", str(out), *(["-q"] if quiet else [])]) == 0
    err = capsys.readouterr().err
    if quiet:
        assert err == ""
        return
    graph = load(built[".trig"])
    nodes, edges = len(graph["nodes"]), len(graph["edges"])
    background = sum(1 for node in graph["nodes"] if node["kind"] == "background")
    lines = err.splitlines()
    assert len(lines) == 3, err
    assert re.fullmatch(rf"reading {re.escape(str(built['.trig']))} \(\d+\.\d s\)", lines[0])
    assert re.fullmatch(rf"drawing {nodes} nodes and {edges} edges \(\d+\.\d s\)", lines[1])
    assert re.fullmatch(rf"kg: wrote {re.escape(str(out))} \(\d+\.\d MB\): {nodes} nodes \({background} background\), "
                        rf"{edges} edges, in \d+\.\d s", lines[2])
    assert 0 < background < nodes and edges > 0


@pytest.mark.parametrize("command", [["build"], ["query"], ["stats"], ["eval"], ["validate"], ["viz"]],
                         ids=["build", "query", "stats", "eval", "validate", "viz"])
def test_cli_help_tells_the_new_options(command: list[str]) -> None:
    text = kg(*command, "--help").stdout
    expected = {"build": ["no summit found", "errors and warnings are printed all the same"],
                "query": ["--iris", "--width N", "prefixed names"],
                "stats": ["--no-background", "article graphs"],
                "eval": ["--json OUT.json", "default: no file"],
                "validate": ["closing line", "conforms", "-q"],
                "viz": ["closing line", "edges"]}[command[0]]
    flat = " ".join(text.split())
    assert all(" ".join(phrase.split()) in flat for phrase in expected), text
