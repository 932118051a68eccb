"""GraphML and GEXF of the page's graph, for Gephi, yEd, Cytoscape…

The graph is the whole of it, not aggregated: every node (an entity, its IRI as id) and one edge per
fact. Node attributes: ``label`` (zh-Hans), ``label_en``, ``class`` (Summit, State…), ``articles``
(the ids of the articles that speak of it, space-separated) and ``kind`` (stated / inferred /
background). Edge attributes: ``predicate`` (its IRI), ``label`` (the plain word), ``basis``
(stated / inferred / background) and ``articles``. The bytes are deterministic.

GraphML is written by networkx. GEXF is GEXF 1.3 (``http://gexf.net/1.3``), written here: it
conforms to the format's RELAX NG grammar (tests/data/gexf-1.3, the normative schema; the published
1.3 XSD does not compile), has no attribute networkx would add (``networkx_key``, ``name=""``), and
carries the page's look in the ``viz`` module: each node's position (:func:`kg.viz.layout.positions`,
the page's pixels with y pointing up, as Gephi has it), its size (:func:`kg.viz.layout.sizes`) and
fill colour (its class colour from :data:`kg.viz.render.STYLE`, lightened for inferred and background
nodes as the page does), each edge's colour, thickness and line (solid stated, dashed inferred,
dotted background facts). Each edge has ``kind`` set to its predicate, so Gephi keeps two facts
between the same nodes as two edges instead of merging them.
"""
from __future__ import annotations

import re
from typing import Any

FORMATS = ("graphml", "gexf")

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
NODE_ATTRIBUTES = ("label_en", "class", "articles", "kind")
EDGE_ATTRIBUTES = ("predicate", "basis", "articles")
#: The page's dashes (kg.viz.render.EDGE_STYLE) as a GEXF edge shape.
EDGE_SHAPE = {"stated": "solid", "inferred": "dashed", "background": "dotted"}

#: Characters XML 1.0 cannot carry at all; a label holding one gets U+FFFD instead.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                      "\r": "&#13;"}
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')


def export(data: dict[str, Any], fmt: str) -> bytes:
    """The data of :func:`kg.viz.data.extract` as GraphML or GEXF (UTF-8 XML)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "gexf":
        return gexf(data).encode("utf-8")
    import networkx as nx

    from kg.viz.layout import fact_graph

    text = "\n".join(nx.generate_graphml(fact_graph(data), encoding="utf-8", prettyprint=True))
    return (text.rstrip("\n") + "\n").encode("utf-8")


def _attr(value: object) -> str:
    """An XML attribute value, quoted; characters XML cannot hold become U+FFFD."""
    text = _NOT_XML.sub("\ufffd", str(value))
    return '"' + _ATTRIBUTE_SPECIAL.sub(lambda m: _ATTRIBUTE_ESCAPES[m.group()], text) + '"'


def _element(name: str, attributes: dict[str, object], indent: int) -> str:
    """``<name a="…" …/>`` on its own line."""
    attrs = "".join(f" {key}={_attr(value)}" for key, value in attributes.items())
    return f"{'  ' * indent}<{name}{attrs}/>\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _rgb(colour: str) -> dict[str, int]:
    """``#rrggbb`` as GEXF's ``r``, ``g``, ``b``."""
    return {channel: int(colour[i:i + 2], 16) for channel, i in (("r", 1), ("g", 3), ("b", 5))}


def _attvalues(values: list[tuple[str, str]], indent: int) -> str:
    lines = "".join(_element("attvalue", {"for": key, "value": value}, indent + 1) for key, value in values)
    return f"{'  ' * indent}<attvalues>\n{lines}{'  ' * indent}</attvalues>\n"


def _declarations(kind: str, names: tuple[str, ...]) -> str:
    lines = "".join(_element("attribute", {"id": name, "title": name, "type": "string"}, 3) for name in names)
    return f'    <attributes class="{kind}">\n{lines}    </attributes>\n'


def gexf(data: dict[str, Any]) -> str:
    """GEXF 1.3 text of the data, with the page's positions, sizes and colours (see the module)."""
    from kg import __version__
    from kg.viz.layout import positions, sizes
    from kg.viz.render import EDGE_STYLE, STYLE, TINT, _tint

    pos = positions(data)
    size = sizes(data)
    edges = sum(len(edge["facts"]) for edge in data["edges"])
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">\n',
           "  <meta>\n", f"    <creator>summit-kg {__version__}</creator>\n", "  </meta>\n",
           '  <graph defaultedgetype="directed" mode="static">\n',
           _declarations("node", NODE_ATTRIBUTES), _declarations("edge", EDGE_ATTRIBUTES),
           f'    <nodes count="{len(data["nodes"])}">\n']
    for node in data["nodes"]:
        label = node["labels"]["zh"]
        out.append(f"      <node id={_attr(node['id'])}" + (f" label={_attr(label)}" if label else "") + ">\n")
        out.append(_attvalues([("label_en", node["labels"]["en"] or ""), ("class", node["class"]),
                               ("articles", " ".join(node["articles"])), ("kind", node["kind"])], 4))
        colour = _tint(STYLE[node["class"]][0], TINT[node["kind"]])
        x, y = pos[node["id"]]
        out.append(_element("viz:color", _rgb(colour), 4))
        out.append(_element("viz:position", {"x": _number(x), "y": _number(-y), "z": "0"}, 4))
        out.append(_element("viz:size", {"value": _number(size[node["id"]])}, 4))
        out.append("      </node>\n")
    out.append(f'    </nodes>\n    <edges count="{edges}">\n')
    number = 0
    for edge in data["edges"]:
        for fact in edge["facts"]:
            colour, width, _ = EDGE_STYLE[fact["kind"]]
            label = data["words"].get(fact["p"], {}).get("zh", "")
            attributes = {"id": number, "source": edge["source"], "target": edge["target"], "kind": fact["p"]}
            if label:
                attributes["label"] = label
            head = "".join(f" {key}={_attr(value)}" for key, value in attributes.items())
            out.append(f"      <edge{head}>\n")
            out.append(_attvalues([("predicate", fact["p"]), ("basis", fact["kind"]),
                                   ("articles", " ".join(fact["articles"]))], 4))
            out.append(_element("viz:color", _rgb(colour), 4))
            out.append(_element("viz:thickness", {"value": _number(width)}, 4))
            out.append(_element("viz:shape", {"value": EDGE_SHAPE[fact["kind"]]}, 4))
            out.append("      </edge>\n")
            number += 1
    out.append("    </edges>\n  </graph>\n</gexf>\n")
    return "".join(out)


__all__ = ["EDGE_SHAPE", "FORMATS", "GEXF_NS", "VIZ_NS", "export", "gexf"]
