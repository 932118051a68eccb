"""GEXF 1.3 of ``kg viz -o graph.gexf`` (kg/viz/export.py): valid against the format's RELAX NG
grammar (tests/data/gexf-1.3: the published XSD does not compile, see its README), no networkx
internals, and the page's positions, sizes and colours in the ``viz`` module."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.cli import main
from kg.viz import data as viz_data
from kg.viz.export import EDGE_SHAPE, GEXF_NS, VIZ_NS, export
from kg.viz.layout import positions, sizes
from kg.viz.render import EDGE_STYLE, STYLE, TINT, _tint

etree = pytest.importorskip("lxml.etree")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "data" / "gexf-1.3" / "gexf.rng"
SUMMIT = "https://w3id.org/summit-kg/id/summit/sco/heads-of-state/20"
G, V = f"{{{GEXF_NS}}}", f"{{{VIZ_NS}}}"


@pytest.fixture(scope="module")
def grammar() -> Any:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _errors(grammar: Any, data: bytes) -> str:
    return "" if grammar.validate(etree.fromstring(data)) else str(grammar.error_log)


MINIMAL = (b'<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" '
           b'xmlns:viz="http://gexf.net/1.3/viz" version="1.3"><graph defaultedgetype="directed">'
           b'<nodes><node id="a" label="A"><viz:color r="214" g="39" b="40"/><viz:position x="1" y="-2" z="0"/>'
           b'<viz:size value="3.5"/></node><node id="b"/></nodes>'
           b'<edges><edge id="0" source="a" target="b" kind="p"><viz:shape value="dashed"/></edge></edges>'
           b'</graph></gexf>')


@pytest.mark.parametrize(("change", "valid"), [
    ((b"", b""), True),
    ((b"<graph ", b'<graph name="" '), False),  # what networkx 3 writes
    ((b'r="214"', b'r="256"'), False),
    ((b'<edge id="0"', b'<edge networkx_key="0" id="0"'), False),
    ((b'version="1.3"', b'version="1.2"'), False),
], ids=["minimal", "empty-graph-name", "colour-out-of-range", "networkx-key", "version"])
def test_grammar_tells_valid_from_invalid(grammar: Any, change: tuple[bytes, bytes], valid: bool) -> None:
    """The vendored grammar compiles and is strict: each file differs from a valid one in one place."""
    assert (_errors(grammar, MINIMAL.replace(*change)) == "") is valid


@pytest.fixture(scope="module")
def sco_data(sco2020: dict[str, Path]) -> dict[str, Any]:
    return viz_data.load(sco2020[".trig"])


def test_seed_article_gexf_is_valid_with_the_pages_look(grammar: Any, sco_data: dict[str, Any]) -> None:
    data = export(sco_data, "gexf")
    assert _errors(grammar, data) == ""
    assert b"networkx" not in data and b'name=""' not in data
    root = etree.fromstring(data)
    pos, size = positions(sco_data), sizes(sco_data)
    nodes = {n["id"]: n for n in sco_data["nodes"]}
    drawn = root.findall(f"{G}graph/{G}nodes/{G}node")
    assert len(drawn) == len(nodes)
    for element in drawn:
        node = nodes[element.get("id")]
        x, y = pos[node["id"]]
        position = element.find(f"{V}position")
        assert (float(position.get("x")), float(position.get("y"))) == (x, -y)  # Gephi's y points up
        assert float(element.find(f"{V}size").get("value")) == size[node["id"]]
        colour = element.find(f"{V}color")
        rgb = "#" + "".join(f"{int(colour.get(c)):02x}" for c in "rgb")
        assert rgb == _tint(STYLE[node["class"]][0], TINT[node["kind"]])
    summit = root.find(f"{G}graph/{G}nodes/{G}node[@id='{SUMMIT}']")
    assert summit.get("label") == "上海合作组织成员国元首理事会第二十次会议"
    assert summit.find(f"{V}color").attrib == {"r": "214", "g": "39", "b": "40"}  # the page's summit red
    values = {v.get("for"): v.get("value") for v in summit.iter(f"{G}attvalue")}
    assert values == {"label_en": "20th Meeting of the SCO Council of Heads of State", "class": "Summit",
                      "articles": "sco2020_video_summit", "kind": "stated"}


def test_seed_article_gexf_edges_are_facts(sco_data: dict[str, Any]) -> None:
    root = etree.fromstring(export(sco_data, "gexf"))
    edges = root.findall(f"{G}graph/{G}edges/{G}edge")
    assert len(edges) == sum(len(e["facts"]) for e in sco_data["edges"])
    assert [e.get("id") for e in edges] == [str(i) for i in range(len(edges))]
    pairs = [(e.get("source"), e.get("target"), e.get("kind")) for e in edges]
    assert len(set(pairs)) == len(pairs)  # two facts between two nodes: two edges Gephi does not merge
    for edge in edges:
        basis = next(v.get("value") for v in edge.iter(f"{G}attvalue") if v.get("for") == "basis")
        assert edge.find(f"{V}shape").get("value") == EDGE_SHAPE[basis]
        assert float(edge.find(f"{V}thickness").get("value")) == EDGE_STYLE[basis][1]
    assert {EDGE_SHAPE[k] for k in ("stated", "inferred")} <= {e.find(f"{V}shape").get("value") for e in edges}


def test_small_corpus_gexf_is_valid(grammar: Any, tmp_path: Path) -> None:
    graph, out = tmp_path / "corpus.trig", tmp_path / "corpus.gexf"
    assert main(["build", str(ROOT / "tests" / "data" / "corpus"), "-o", str(graph), "-q", "--jobs", "1"]) == 0
    assert main(["viz", str(graph), "-o", str(out), "-q"]) == 0
    data = out.read_bytes()
    assert _errors(grammar, data) == ""
    articles = {a.get("value") for a in etree.fromstring(data).iter(f"{G}attvalue") if a.get("for") == "articles"}
    assert {"sco2022_samarkand_daily", "sco2022_samarkand_xinhua", "sco2024_astana"} <= set(" ".join(articles).split())


def test_labels_xml_cannot_carry_stay_valid(grammar: Any, tmp_path: Path) -> None:
    graph = tmp_path / "odd.ttl"
    graph.write_text(
        "@prefix skg: <https://w3id.org/summit-kg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/summit-kg/id/summit/test/1> a skg:Summit ;\n'
        '    skos:prefLabel "引号\\"<&>\\u0001\\n换行\\t"@zh-Hans ;\n'
        "    skg:chairState <https://w3id.org/summit-kg/id/state/XX> .\n"
        '<https://w3id.org/summit-kg/id/state/XX> a skg:State ; skos:prefLabel "某国"@zh-Hans .\n',
        encoding="utf-8")
    data = export(viz_data.load(graph), "gexf")
    assert _errors(grammar, data) == ""
    labels = {n.get("label") for n in etree.fromstring(data).iter(f"{G}node")}
    assert '引号"<&>\ufffd\n换行\t' in labels  # quotes and line breaks kept, the control character replaced
