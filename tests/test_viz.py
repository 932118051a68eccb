"""``kg viz`` and ``kg stats --central``: the data read from a graph, the self-contained page (no
request to any host, UTF-8, CJK fonts), labels that look like HTML, determinism, aggregation,
GraphML/GEXF, the centrality table, one-line errors, and the pages of viz/ being current.

The page in a browser is tested in tests/test_viz_browser.py."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.cli import main
from kg.viz import data as viz_data
from kg.viz.render import FONT_STACK, render_page

ROOT = Path(__file__).resolve().parent.parent
SUMMIT = "https://w3id.org/summit-kg/id/summit/sco/heads-of-state/20"
SUMMIT_LABEL = "上海合作组织成员国元首理事会第二十次会议"
RU = "https://w3id.org/summit-kg/id/state/RU"
CHAIR_STATE = "https://w3id.org/summit-kg/ontology#chairState"
ATTENDEE = "https://schema.org/attendee"

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
XSS_TTL = (Path(__file__).resolve().parent / "data" / "viz" / "injected.ttl").read_text(encoding="utf-8")


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def payload(html: str) -> dict[str, Any]:
    """The page's data: the JSON of ``<script type="application/json" id="kg-data">``."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no #kg-data element"
    return json.loads(match.group(1))


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <style> and <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._open = (tag, dict(attrs))

    def handle_data(self, text: str) -> None:
        if self._open and self._open[0] == "style":
            self.styles.append(text)
        elif self._open:
            self.scripts.append((self._open[1], text))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._open = None


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def sco_data(sco2020: dict[str, Path]) -> dict[str, Any]:
    return viz_data.load(sco2020[".trig"])


@pytest.fixture(scope="module")
def sco_page(sco2020: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page of the development article, written by the command line."""
    out = tmp_path_factory.mktemp("viz") / "sco2020.html"
    assert main(["viz", str(sco2020[".trig"]), "-o", str(out)]) == 0
    return out.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("injected") / "injected.ttl"
    path.write_text(XSS_TTL, encoding="utf-8")
    return path


# --- the data ------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".trig", ".ttl"], ids=["trig-named-graphs", "turtle-union"])
def test_viz_data_summit_node_classes_and_kinds(sco2020: dict[str, Path], ext: str) -> None:
    data = viz_data.load(sco2020[ext])
    nodes = {n["id"]: n for n in data["nodes"]}
    summit = nodes[SUMMIT]
    assert summit["class"] == "Summit" and summit["labels"]["zh"] == SUMMIT_LABEL
    assert summit["labels"]["en"] == "20th Meeting of the SCO Council of Heads of State"
    assert summit["kind"] == "stated" and summit["articles"] == ["sco2020_video_summit"]
    assert {"Summit", "State", "Person", "Document", "Initiative", "CooperationArea", "Post",
            "Organization", "Speech", "NewsArticle"} <= {n["class"] for n in data["nodes"]}
    assert nodes["https://w3id.org/summit-kg/id/person/习近平"]["class"] == "Person"
    assert nodes["https://w3id.org/summit-kg/id/state/KZ"]["kind"] == "inferred"  # a member taking part
    assert nodes["https://w3id.org/summit-kg/id/state/US"]["kind"] == "background"  # not in the article
    facts = {(f["p"].rsplit("/", 1)[-1], f["value"]) for f in summit["facts"]}
    assert ("startDate", "2020-11-10") in facts and ("skg:ordinal", "20") not in facts
    assert [s["id"] for s in data["summits"]] == [SUMMIT]
    assert [a["id"] for a in data["articles"]] == ["sco2020_video_summit"]


def test_viz_data_edge_with_evidence_sentence_and_offsets(sco_data: dict[str, Any], sco2020: dict[str, Path]) -> None:
    edge = next(e for e in sco_data["edges"] if e["source"] == SUMMIT and e["target"] == RU)
    facts = {f["p"]: f for f in edge["facts"]}
    assert {CHAIR_STATE, ATTENDEE} <= set(facts) and facts[CHAIR_STATE]["kind"] == "stated"
    assert edge["kind"] == "stated"
    article = _article_text(sco2020[".trig"])
    for i in facts[CHAIR_STATE]["ev"]:
        ev = sco_data["evidence"][i]
        sentence = sco_data["sentences"][ev["sentence"]]
        assert ev["article"] == "sco2020_video_summit" and ev["p"] == CHAIR_STATE
        assert article[ev["begin"]:ev["end"]] == ev["text"]  # offsets into nif:isString, half-open
        assert article[sentence["begin"]:sentence["end"]] == sentence["text"]
        assert sentence["begin"] <= ev["begin"] < ev["end"] <= sentence["end"]
        assert "轮值主席国" in sentence["text"] or "主席国" in ev["text"]


def _article_text(graph: Path) -> str:
    from kg.store import load_store

    store = load_store(graph)
    rows = list(store.query("SELECT ?t WHERE { ?a <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
                            "isString> ?t }"))
    return rows[0][0].value


def test_viz_data_membership_and_participation_become_edges(sco_data: dict[str, Any]) -> None:
    edges = {(e["source"], e["target"]): e for e in sco_data["edges"]}
    member = edges[(RU, "https://w3id.org/summit-kg/id/org/sco")]["facts"][0]
    assert member["p"] == "http://www.w3.org/ns/org#memberOf" and member["kind"] == "background"
    assert member["note"].startswith("成员国") and member["note_en"].startswith("member state")
    attends = edges[(SUMMIT, "https://w3id.org/summit-kg/id/state/KZ")]["facts"]
    assert [(f["p"], f["kind"]) for f in attends] == [(ATTENDEE, "inferred")] and attends[0]["ev"]
    assert not any(n["class"] in ("Participation", "Membership") for n in sco_data["nodes"])


def test_viz_data_words_from_the_lexicon(sco_data: dict[str, Any]) -> None:
    assert sco_data["words"][CHAIR_STATE] == {"zh": "轮值主席国", "en": "chair state"}
    assert sco_data["words"][ATTENDEE] == {"zh": "与会", "en": "attends"}


# --- the page: self-contained, UTF-8, Chinese fonts, the contract -----------------------------------

HOSTED = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ftp://…


def test_viz_page_is_self_contained(sco_page: str) -> None:
    page = parse(sco_page)
    for tag, attrs in page.tags:
        assert not (tag == "script" and attrs.get("src")), f"<script src={attrs.get('src')}>"
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), f"<{tag} {attrs}>"
        for name in ("src", "href", "srcset", "action", "data", "poster", "background"):
            value = attrs.get(name)
            assert not (value and (HOSTED.search(value) or "http:" in value or "https:" in value)), (tag, name, value)
    css = "\n".join(page.styles)
    assert "@import" not in css and "@font-face" not in css
    for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
        assert url.startswith("data:"), url
    scripts = [attrs for attrs, _ in page.scripts]
    assert scripts.count({}) == 2 and {"type": "application/json", "id": "kg-data"} in scripts
    assert "sourceMappingURL" not in sco_page
    hosts = r"cdnjs\.cloudflare\.com|cdn\.jsdelivr\.net|unpkg\.com|googleapis\.com|bootstrap(?:\.bundle)?\.min"
    assert not re.search(hosts, sco_page, re.I)  # what pyvis's own template loads


def test_viz_page_utf8_charset_and_cjk_fonts(sco_page: str) -> None:
    page = parse(sco_page)
    assert sco_page.startswith("<!DOCTYPE html>\n<html lang=\"zh-Hans\">")
    metas = [attrs for tag, attrs in page.tags if tag == "meta" and "charset" in attrs]
    assert metas == [{"charset": "utf-8"}] and sco_page.index('<meta charset="utf-8">') < 300
    css = "\n".join(page.styles)
    stack = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", '
             "sans-serif")
    assert stack == FONT_STACK and f"font-family: {stack};" in css
    assert payload(sco_page)["options"]["nodes"]["font"]["face"] == stack  # the canvas labels too
    assert SUMMIT_LABEL in sco_page  # Chinese written as UTF-8, not as \u escapes


@pytest.mark.parametrize("element", ["kg-panel", "kg-legend", "kg-search", "kg-filter-class", "kg-filter-article",
                                     "kg-filter-summit", "kg-show-background", "kg-network", "kg-data"])
def test_viz_page_contract_elements(sco_page: str, element: str) -> None:
    tags = {attrs.get("id"): (tag, attrs) for tag, attrs in parse(sco_page).tags}
    assert element in tags
    tag, attrs = tags[element]
    if element.startswith("kg-filter"):
        assert tag == "select"
    if element == "kg-show-background":
        assert (tag, attrs.get("type")) == ("input", "checkbox") and "checked" not in attrs


def test_viz_page_script_contract_and_no_html_insertion(sco_page: str) -> None:
    script = parse(sco_page).scripts[-1][1]  # the page's own script comes last
    assert "window.kgViz = {network: network, nodes: nodes, edges: edges}" in script
    assert 'document.body.dataset.state = "ready"' in script
    assert '<body data-state="loading">' in sco_page
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


def test_viz_page_nodes_edges_and_styles(sco_page: str) -> None:
    data = payload(sco_page)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[SUMMIT]["label"] == SUMMIT_LABEL and nodes[SUMMIT]["shape"] == "star"
    assert all(n["id"].startswith("https://w3id.org/summit-kg/id/") for n in data["nodes"])
    assert nodes["https://w3id.org/summit-kg/id/state/US"]["hidden"] is True  # background: hidden
    assert "hidden" not in nodes[RU]
    assert nodes["https://w3id.org/summit-kg/id/state/KZ"]["shapeProperties"] == {"borderDashes": [4, 3]}
    assert nodes[SUMMIT]["size"] == max(n["size"] for n in data["nodes"])  # the hub is the biggest
    assert not any("title" in n for n in data["nodes"] + data["edges"])  # vis renders a string title as HTML
    by_pair = {(e["from"], e["to"]): e for e in data["edges"]}
    assert by_pair[(SUMMIT, RU)]["label"] == "与会 · 轮值主席国 · 东道国" and "dashes" not in by_pair[(SUMMIT, RU)]
    assert by_pair[(SUMMIT, "https://w3id.org/summit-kg/id/state/KZ")]["dashes"] == [7, 5]  # inferred
    assert data["physics"] is True and data["options"]["physics"]["enabled"] is True  # 69 nodes: polished


def test_viz_page_legend_and_filters_list_what_is_there(sco_page: str) -> None:
    legend = sco_page[sco_page.index('id="kg-legend"'):sco_page.index('id="kg-tooltip"')]
    for word in ("峰会", "国家", "人物", "文件", "倡议", "原文陈述", "推断", "背景知识"):
        assert word in legend
    summits = sco_page[sco_page.index('id="kg-filter-summit"'):]
    assert f'<option value="{SUMMIT}">{SUMMIT_LABEL} (2020-11-10)</option>' in summits
    assert '<option value="sco2020_video_summit">' in sco_page
    assert '<option value="State">' in sco_page


def test_viz_page_english(sco2020: dict[str, Path], sco_data: dict[str, Any]) -> None:
    data = payload(render_page(sco_data, lang="en"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[RU]["label"] == "Russia"
    assert nodes[SUMMIT]["label"] == "20th Meeting of the SCO Council of Heads of State"
    assert nodes["https://w3id.org/summit-kg/id/person/乐玉成"]["label"] == "乐玉成"  # no English name: Chinese
    assert "attends" in {e["label"].split(" · ")[0] for e in data["edges"]}
    assert data["ui"]["facts"] == "Facts"


# --- labels that look like HTML ------------------------------------------------------------------------

@pytest.mark.parametrize("label", [XSS_IMG, XSS_SCRIPT], ids=["img-onerror", "script-close"])
def test_viz_injected_label_is_escaped(injected: Path, tmp_path: Path, label: str) -> None:
    out = tmp_path / "injected.html"
    proc = kg("viz", str(injected), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert label not in html and "<img" not in html and "alert(2)</script>" not in html
    scripts = parse(html).scripts  # no element closed early: the JSON, vis-network, the page's script
    assert [attrs for attrs, _ in scripts] == [{"type": "application/json", "id": "kg-data"}, {}, {}]
    assert scripts[-1][1].rstrip().endswith("}());")
    raw = re.search(r'id="kg-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.dumps(label).replace("<", "\\u003c").replace(">", "\\u003e")[1:-1] in raw
    labels = {n["label"] for n in payload(html)["nodes"]}
    assert label in labels  # the exact text, once parsed: shown literally
    shown = [n for n in payload(html)["nodes"] if n["label"] == label][0]
    assert not shown.get("hidden")  # a graph without articles is all shown, not all background


# --- determinism, aggregation, physics ------------------------------------------------------------------

def test_viz_page_is_deterministic(sco2020: dict[str, Path], sco_page: str, tmp_path: Path) -> None:
    out = tmp_path / "again.html"
    proc = kg("viz", str(sco2020[".trig"]), "-o", str(out), env={"PYTHONHASHSEED": "12345"})
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == sco_page.encode("utf-8")


@pytest.mark.parametrize("limit", [100, 60, 30], ids=["background-left-out", "grouped", "truncated"])
def test_viz_aggregates_above_max_nodes(sco_data: dict[str, Any], limit: int) -> None:
    html = render_page(sco_data, max_nodes=limit)
    data = payload(html)
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) <= limit
    assert not any(n.get("hidden") for n in data["nodes"])  # no background node left to hide
    notice = html[html.index('id="kg-notice"'):html.index('id="kg-main"')]
    assert "背景知识" in notice
    if limit == 60:  # 69 nodes the article speaks of; 8 documents and 11 initiatives become 2 nodes
        assert f"{SUMMIT}#documents" in ids and f"{SUMMIT}#initiatives" in ids and len(ids) == 52
        assert "汇总节点" in notice and "只画出" not in notice
        group = data["ni"][[n["id"] for n in data["nodes"]].index(f"{SUMMIT}#documents")]
        assert len(group[8]) == 8 and "关于应对毒品威胁的声明" in group[8]  # its members, listed in the panel
        edges = {(e["from"], e["to"]) for e in data["edges"]}
        assert (f"{SUMMIT}#documents", SUMMIT) in edges
    if limit == 30:
        assert "只画出关系最多的 30 个节点" in notice and SUMMIT in ids and len(ids) == 30


def test_viz_no_aggregation_below_max_nodes(sco_data: dict[str, Any], sco_page: str) -> None:
    assert '<div id="kg-notice" hidden>' in sco_page
    assert len(payload(sco_page)["nodes"]) == len(sco_data["nodes"])


@pytest.mark.parametrize(("mode", "count", "expected"),
                         [("auto", 40, True), ("auto", 320, False), ("off", 40, False), ("on", 320, True)],
                         ids=["auto-small", "auto-large", "off", "on"])
def test_viz_physics_threshold(tmp_path: Path, mode: str, count: int, expected: bool) -> None:
    lines = ["@prefix skg: <https://w3id.org/summit-kg/ontology#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             '<https://w3id.org/summit-kg/id/summit/t/1> a skg:Summit ; skos:prefLabel "会议"@zh-Hans .']
    lines += [f'<https://w3id.org/summit-kg/id/state/S{i}> a skg:State ; skos:prefLabel "国{i}"@zh-Hans . '
              f'<https://w3id.org/summit-kg/id/summit/t/1> <https://schema.org/attendee> '
              f'<https://w3id.org/summit-kg/id/state/S{i}> .' for i in range(count - 1)]
    graph = tmp_path / "many.ttl"
    graph.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = payload(render_page(viz_data.load(graph), physics=mode))
    assert data["physics"] is expected and data["options"]["physics"]["enabled"] is expected
    assert data["options"]["edges"]["smooth"]["enabled"] is expected


def test_viz_layout_is_spread_out(sco_data: dict[str, Any]) -> None:
    from kg.viz.layout import positions

    pos = positions(sco_data)
    front = [pos[n["id"]] for n in sco_data["nodes"] if n["kind"] != "background"]
    close = sum(1 for i, (x1, y1) in enumerate(front) for x2, y2 in front[i + 1:]
                if (x1 - x2) ** 2 + (y1 - y2) ** 2 < 30 ** 2)
    assert close <= len(front) // 20, f"{close} pairs of nodes nearly on top of each other"
    assert positions(sco_data) == pos


def test_viz_imports_nothing_heavy_until_used() -> None:
    code = "import sys, kg.viz; print('\\n'.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    assert not {"pyvis", "networkx", "pyoxigraph", "jinja2", "rdflib"} & loaded


# --- exports --------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".graphml", ".gexf"], ids=["graphml", "gexf"])
def test_viz_export_parses_back(sco2020: dict[str, Path], sco_data: dict[str, Any], tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"graph{ext}"
    assert main(["viz", str(sco2020[".trig"]), "-o", str(out)]) == 0
    graph = nx.read_graphml(out) if ext == ".graphml" else nx.read_gexf(out)
    assert graph.number_of_nodes() == len(sco_data["nodes"])
    assert graph.number_of_edges() == sum(len(e["facts"]) for e in sco_data["edges"])
    summit = graph.nodes[SUMMIT]
    assert (summit["label"], summit["class"], summit["articles"]) == (SUMMIT_LABEL, "Summit", "sco2020_video_summit")
    facts = {(d["predicate"], d["basis"]) for _, _, d in graph.edges(data=True)}
    assert (CHAIR_STATE, "stated") in facts and (ATTENDEE, "inferred") in facts
    again = tmp_path / f"again{ext}"
    assert main(["viz", str(sco2020[".trig"]), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


# --- kg stats --central ---------------------------------------------------------------------------------

def test_stats_central_table(sco2020: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sco2020[".trig"]), "--central", "-n", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("class"))
    assert lines[header].split() == ["class", "rank", "label", "links", "centrality"]
    rows = [line.split() for line in lines[header + 2:] if line and not line.startswith("(")]
    by_class: dict[str, list[list[str]]] = {}
    for row in rows:
        by_class.setdefault(row[0], []).append(row)
    assert set(by_class) == {"State", "Person", "Initiative"}
    assert all(len(v) <= 3 and [r[1] for r in v] == [str(i) for i in range(1, len(v) + 1)] for v in by_class.values())
    assert by_class["Person"][0][2] == "习近平"
    assert by_class["State"][0][2] in ("中国", "俄罗斯")
    degrees = [int(r[3]) for r in by_class["State"]]
    assert degrees == sorted(degrees, reverse=True)
    assert "美国" not in out  # background knowledge is not ranked


# --- errors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["viz", "{graph}", "-o", "{tmp}/page.png"], "unknown output extension '.png'"),
    (["viz", "{tmp}/missing.trig", "-o", "{tmp}/page.html"], "no such file"),
    (["viz", "{bad}", "-o", "{tmp}/page.html"], "does not parse"),
    (["viz", "{graph}", "-o", "{tmp}/page.html", "--max-nodes", "0"], "--max-nodes must be at least 1"),
    (["viz", "{empty}", "-o", "{tmp}/page.html"], "nothing to draw"),
    (["stats", "{graph}", "--central", "-n", "0"], "-n must be at least 1"),
], ids=["extension", "missing", "unparseable", "max-nodes", "no-entities", "top"])
def test_viz_cli_errors_one_line(sco2020: dict[str, Path], tmp_path: Path, args: list[str], message: str) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is { not turtle\n", encoding="utf-8")
    empty = tmp_path / "empty.ttl"
    empty.write_text('<https://example.org/a> <https://example.org/b> "c" .\n', encoding="utf-8")
    values = {"graph": str(sco2020[".trig"]), "tmp": str(tmp_path), "bad": str(bad), "empty": str(empty)}
    proc = kg(*[a.format(**values) for a in args])
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("kg: error: ") and message in proc.stderr
    assert not proc.stdout and not (tmp_path / "page.html").exists()


# --- viz/ is current ----------------------------------------------------------------------------------------

COMMITTED = ("sco2020_video_summit.html", "corpus.html")  # the only pages kept in viz/ (tools/render_viz.py)


def test_viz_pages_in_repository_are_current(tmp_path: Path) -> None:
    """tools/render_viz.py regenerates the two committed pages (the seed article and the corpus);
    viz/ must hold exactly those bytes. Other articles' pages are drawn on demand, never committed."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "render_viz.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.html")}
    assert set(fresh) == set(COMMITTED)
    kept = {name: (ROOT / "viz" / name).read_bytes() for name in COMMITTED if (ROOT / "viz" / name).is_file()}
    missing = sorted(set(COMMITTED) - set(kept))
    stale = sorted(name for name in kept if kept[name] != fresh[name])
    assert not stale and not missing, (f"viz/ is not current (stale {stale}, missing {missing}): "
                                       "run .venv/bin/python tools/render_viz.py")
