"""The network page: one self-contained HTML file, UTF-8, that works offline.

pyvis's :class:`~pyvis.network.Network` holds the nodes, edges and vis-network options; the page
is rendered through our own Jinja template (``templates/page.html.j2``), never pyvis's, which loads
vis-network and Bootstrap from CDNs. vis-network (``vis-network.min.js`` and ``vis-network.css`` of
the vis 9.0.4 copy shipped inside pyvis), the page's script and its style sheet are inlined. All
data goes into one ``<script type="application/json">`` element, with ``<``, ``>`` and ``&``
escaped as ``\\u003c``…, and the script inserts every text with ``textContent``. Nodes carry no
``title``: vis-network renders a string title as HTML.

The output is deterministic: the same data and options give the same bytes.
"""
from __future__ import annotations

import json
import re
from importlib import resources as importlib_resources
from typing import Any

from kg import __version__
from kg.errors import InputError
from kg.viz.data import CLASS_IRIS, CLASS_KEYS, KINDS

#: Fonts with Chinese glyphs, first found wins (no web fonts: nothing is downloaded).
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", '
              '"Microsoft YaHei", sans-serif')
PHYSICS_THRESHOLD = 300
DEFAULT_MAX_NODES = 5000
LABEL_WIDTH = 170  # px at the base font size: longer labels wrap (vis-network breaks CJK text between characters)
LABEL_FONT = 14.0  # px: the label font size of the least connected nodes; hubs get up to LABEL_EXTRA more
LABEL_EXTRA = 12.0
READABLE_PX = 12  # on screen: no label is drawn smaller (11–12 px: fading in); the lead nodes' never are

#: Display class → (colour, vis shape). Shapes with the label below the node, so size shows degree.
STYLE = {
    "Summit": ("#d62728", "star"),
    "SummitSeries": ("#8c564b", "hexagon"),
    "NewsArticle": ("#7f7f7f", "square"),
    "Document": ("#9467bd", "diamond"),
    "Speech": ("#b8860b", "diamond"),
    "Initiative": ("#e377c2", "triangle"),
    "Person": ("#2ca02c", "dot"),
    "Post": ("#7a9a01", "triangleDown"),
    "State": ("#1f77b4", "dot"),
    "Organization": ("#ff7f0e", "square"),
    "City": ("#17becf", "hexagon"),
    "CooperationArea": ("#00897b", "triangleDown"),
}
#: Edge look per kind of fact: colour, width, dashes.
EDGE_STYLE = {"stated": ("#4a4a4a", 1.6, False), "inferred": ("#6f8fb0", 1.3, [7, 5]),
              "background": ("#c2c2c2", 1.0, [2, 5])}
#: How much of a class colour is kept for inferred and background nodes (the rest is white).
TINT = {"stated": 1.0, "inferred": 0.55, "background": 0.35}
DIM = {"node": "#e8e8e8", "border": "#d6d6d6", "edge": "#e6e6e6", "font": "#c8c8c8",
       "context": "#8a8a8a"}  # context: the label of a neighbour the class filter keeps, greyed but legible

UI = {
    "zh": {
        "title": "峰会知识图谱", "corpus": "{n} 篇报道", "search": "搜索名称…", "allClasses": "全部类别",
        "allArticles": "全部报道", "allSummits": "全部峰会", "showBackground": "显示背景节点",
        "classFilter": "按类别筛选", "articleFilter": "按报道筛选", "summitFilter": "按峰会筛选",
        "legend": "图例", "nodes": "节点", "edges": "连线", "edge": "连线",
        "hint": "点击节点或连线，查看事实与来源句；点击空白处取消。",
        "facts": "事实", "links": "关系", "sources": "来源句", "articles": "报道", "members": "包含",
        "stated": "原文陈述", "inferred": "推断", "background": "背景知识", "noSources": "没有来源句（背景知识）。",
        "matches": "{n} 个匹配", "noMatch": "无匹配", "more": "另有 {n} 条未列出", "of": "：",
        "id": "标识", "rule": "规则", "group": "汇总节点", "offsets": "偏移",
        "background_note": "节点超过 {limit} 个：未画出 {count} 个只见于背景知识的节点。",
        "grouped_note": "每次峰会的文件和倡议合为一个汇总节点（{groups} 个汇总节点，共 {members} 项）。",
        "truncated_note": "只画出关系最多的 {shown} 个节点（共 {total} 个）。",
        "physics_note": "节点较多，位置已预先算好，未开启物理模拟。",
        "nodeCount": "{n} 个节点，{m} 条连线",
    },
    "en": {
        "title": "Summit knowledge graph", "corpus": "{n} articles", "search": "Search names…",
        "allClasses": "All classes", "allArticles": "All articles", "allSummits": "All summits",
        "showBackground": "Show background nodes", "classFilter": "Filter by class",
        "articleFilter": "Filter by article", "summitFilter": "Filter by summit", "legend": "Legend",
        "nodes": "Nodes", "edges": "Edges", "edge": "Edge",
        "hint": "Click a node or an edge to see its facts and source sentences; click the background to clear.",
        "facts": "Facts", "links": "Links", "sources": "Source sentences",
        "articles": "Articles", "members": "Contains", "stated": "stated", "inferred": "inferred",
        "background": "background", "noSources": "No source sentence (background knowledge).",
        "matches": "{n} matches", "noMatch": "no match", "more": "{n} more not listed", "of": ": ",
        "id": "IRI", "rule": "rule", "group": "group node", "offsets": "offsets",
        "background_note": "More than {limit} nodes: {count} nodes that only background knowledge "
        "speaks of are left out.",
        "grouped_note": "The documents and initiatives of each summit are collapsed into one group node "
        "({groups} group nodes, {members} items).",
        "truncated_note": "Only the {shown} most connected nodes are drawn (of {total}).",
        "physics_note": "Many nodes: positions are precomputed and physics is off.",
        "nodeCount": "{n} nodes, {m} edges",
    },
}


def _tint(colour: str, keep: float) -> str:
    """``colour`` mixed with white, keeping ``keep`` of it."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in (r, g, b))


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` (nor U+2028/9) left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return (importlib_resources.files("kg.viz") / "templates" / name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    """vis-network 9.0.4 as shipped inside pyvis, without its source-map comment (a request)."""
    path = importlib_resources.files("pyvis") / "templates" / "lib" / "vis-9.0.4" / name
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", text)


def _inline_safe(text: str, element: str) -> str:
    """Refuse text that would end its ``<script>``/``<style>`` element early."""
    if re.search(rf"</{element}|<!--", text, re.IGNORECASE):
        raise InputError(f"cannot inline an asset that contains '</{element}' or '<!--'")
    return text


def render_page(data: dict[str, Any], *, lang: str = "zh", physics: str = "auto",
                max_nodes: int = DEFAULT_MAX_NODES, title: str | None = None) -> str:
    """The HTML page of the plain data from :func:`kg.viz.data.extract`."""
    import jinja2
    from pyvis.network import Network

    from kg.viz import layout

    if lang not in UI:
        raise InputError(f"unknown language {lang!r}; use zh or en")
    ui = UI[lang]
    data, notes = layout.aggregate(data, max_nodes)
    data = _used_evidence(data)
    pos = layout.positions(data)
    size = layout.sizes(data)
    font = layout.label_sizes(data, LABEL_FONT, LABEL_EXTRA)
    focus = layout.main_summit(data)
    lead = set(layout.lead(data)) | ({focus} if focus else set())
    nodes = data["nodes"]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    front = sum(1 for n in nodes if n["kind"] != "background")
    show_background = front == 0  # nothing but background knowledge: show it rather than an empty page
    moving = len(nodes) if show_background else front  # background nodes stay where they are put
    physics_on = {"on": True, "off": False}.get(physics, moving <= PHYSICS_THRESHOLD)
    if physics not in ("auto", "on", "off"):
        raise InputError(f"unknown physics mode {physics!r}; use auto, on or off")

    def word(iri: str) -> str:
        words = data["words"].get(iri)
        return (words or {}).get(lang) or (words or {}).get("zh") or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def name(node: dict[str, Any]) -> str:
        return (node["labels"]["en"] if lang == "en" else None) or node["labels"]["zh"]

    net = Network(directed=True, cdn_resources="in_line")
    for node in nodes:
        colour, shape = STYLE[node["class"]]
        fill = _tint(colour, TINT[node["kind"]])
        border = _tint(colour, min(1.0, TINT[node["kind"]] + 0.25)) if node["kind"] != "stated" else _tint(colour, 0.7)
        options: dict[str, Any] = {
            "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#111111"},
                      "hover": {"background": fill, "border": "#111111"}},
            "size": size[node["id"]], "x": pos[node["id"]][0], "y": pos[node["id"]][1],
            "borderWidth": 3 if node.get("group") else 1.5,
        }
        if font[node["id"]] != LABEL_FONT:  # level of detail: hubs' names are bigger, drawn from further out
            options["font"] = {"size": font[node["id"]]}
            options["widthConstraint"] = {"maximum": round(LABEL_WIDTH * font[node["id"]] / LABEL_FONT)}
        if node["kind"] == "background":
            options.update(hidden=not show_background, physics=show_background)
        if node["kind"] == "inferred":
            options["shapeProperties"] = {"borderDashes": [4, 3]}
        net.add_node(node["id"], label=name(node), shape=shape, **options)
    pairs = {(e["source"], e["target"]) for e in data["edges"]}
    for i, edge in enumerate(data["edges"]):
        colour, width, dashes = EDGE_STYLE[edge["kind"]]
        options: dict[str, Any] = {"id": f"e{i}", "color": {"color": colour}, "width": width,
                                   "label": " · ".join(dict.fromkeys(word(f["p"]) for f in edge["facts"]))}
        if dashes:
            options["dashes"] = dashes
        if (edge["target"], edge["source"]) in pairs:  # a pair linked both ways: curve them apart
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2}
        if any(nodes[index[end]]["kind"] == "background" for end in (edge["source"], edge["target"])):
            options.update(hidden=not show_background, physics=show_background)
        net.add_edge(edge["source"], edge["target"], **options)
    net.options = _vis_options(physics_on, moving)
    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()

    articles = data["articles"]
    article_index = {a["id"]: i for i, a in enumerate(articles)}
    words = sorted({f["p"] for n in nodes for f in n["facts"]} | {f["p"] for e in data["edges"] for f in e["facts"]}
                   | {e["p"] for e in data["evidence"]})
    word_index = {w: i for i, w in enumerate(words)}
    kind_index = {k: i for i, k in enumerate(KINDS)}
    class_index = {k: i for i, k in enumerate(CLASS_KEYS)}

    def node_info(node: dict[str, Any]) -> list[Any]:
        facts = [[word_index[f["p"]], (f.get("value_en") if lang == "en" else None) or f["value"],
                  kind_index[f["kind"]], f["ev"], index.get(f["target"], -1) if f.get("target") else -1, f["lang"]]
                 for f in node["facts"]]
        subtypes = [word(t) for t in node["types"] if t != CLASS_IRIS[node["class"]]]
        search = "\n".join(dict.fromkeys([node["labels"]["zh"], node["labels"]["en"] or "", *node["alt"]])).lower()
        group = None
        if node.get("group"):
            group = [(en if lang == "en" and en else zh) for zh, en, _ in node["group"]["members"]]
        return [class_index[node["class"]], kind_index[node["kind"]], name(node), " · ".join(subtypes),
                [article_index[a] for a in node["articles"] if a in article_index], facts, node["ev"], search, group]

    def edge_info(edge: dict[str, Any]) -> list[Any]:
        return [kind_index[edge["kind"]],
                [[word_index[f["p"]], kind_index[f["kind"]], f["ev"],
                  ((f.get("note_en") if lang == "en" else None) or f.get("note") or "")] for f in edge["facts"]]]

    present = {n["class"] for n in nodes}
    counts = {key: sum(1 for n in nodes if n["class"] == key and (show_background or n["kind"] != "background"))
              for key in CLASS_KEYS}  # what is drawn before any filter
    classes = [{"key": key, "name": word(CLASS_IRIS[key]), "colour": STYLE[key][0], "shape": STYLE[key][1],
                "count": counts[key]} for key in CLASS_KEYS if key in present]
    notices = [ui[f"{note['code']}_note"].format(**note) for note in notes]
    if not physics_on and physics == "auto":
        notices.append(ui["physics_note"])
    summits = [{"id": s["id"], "label": ((s["label_en"] if lang == "en" else None) or s["label"])
                + (f" ({s['date']})" if s["date"] else "")} for s in data["summits"]]
    if title is None:
        about = [s["label"] for s in summits]
        title = about[0] if len(articles) == 1 and about else ui["corpus"].format(n=len(articles)) if articles \
            else ui["title"]
    payload = {
        "lang": lang, "ui": ui, "physics": physics_on, "options": json.loads(options_json),
        "classes": [[c["key"], c["name"]] for c in classes], "classKeys": CLASS_KEYS, "kinds": list(KINDS),
        "articles": [[a["id"], a["title"]] for a in articles], "words": [word(w) for w in words],
        "nodes": vis_nodes, "edges": vis_edges, "focus": focus, "readable": READABLE_PX,
        "lead": [i for i, n in enumerate(nodes) if n["id"] in lead],
        "ni": [node_info(n) for n in nodes], "ei": [edge_info(e) for e in data["edges"]],
        "ev": [[article_index.get(e["article"], -1), e["sentence"] if e["sentence"] is not None else -1,
                e["begin"], e["end"], kind_index[e["basis"]], e["rule"], word_index[e["p"]], e["text"]]
               for e in data["evidence"]],
        "se": [[article_index.get(s["article"], -1), s["begin"], s["end"], s["text"]] for s in data["sentences"]],
        "dim": DIM,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             loader=jinja2.FunctionLoader(lambda name: _asset(name)))
    template = env.get_template("page.html.j2")
    edge_legend = [{"kind": kind, "name": ui[kind], "colour": EDGE_STYLE[kind][0],
                    "dashed": bool(EDGE_STYLE[kind][2])} for kind in KINDS]
    return template.render(
        lang="zh-Hans" if lang == "zh" else "en", title=f"{title} — {ui['title']}" if title != ui["title"] else title,
        heading=title, ui=ui, version=__version__, font_stack=FONT_STACK, classes=classes, edge_legend=edge_legend,
        articles=articles, summits=summits, notices=notices,
        background_count=sum(1 for n in nodes if n["kind"] == "background"), show_background=show_background,
        count_text=ui["nodeCount"].format(n=sum(1 for n in vis_nodes if not n.get("hidden")),
                                          m=sum(1 for e in vis_edges if not e.get("hidden"))),
        vis_css=_inline_safe(_vis_asset("vis-network.css"), "style"),
        page_css=_inline_safe(_asset("page.css").replace("FONT_STACK", FONT_STACK), "style"),
        vis_js=_inline_safe(_vis_asset("vis-network.min.js"), "script"),
        page_js=_inline_safe(_asset("page.js"), "script"),
        payload=script_json(payload),
    )


def _used_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """Only the evidence (and sentences) the nodes and edges still refer to, renumbered."""
    used = sorted({i for n in data["nodes"] for i in n["ev"]} | {i for n in data["nodes"] for f in n["facts"]
                                                                    for i in f["ev"]}
                  | {i for e in data["edges"] for f in e["facts"] for i in f["ev"]})
    if len(used) == len(data["evidence"]):
        return data
    renumber = {old: new for new, old in enumerate(used)}
    evidence = [dict(data["evidence"][i]) for i in used]
    sentences_used = sorted({e["sentence"] for e in evidence if e["sentence"] is not None})
    sentence_number = {old: new for new, old in enumerate(sentences_used)}
    for entry in evidence:
        if entry["sentence"] is not None:
            entry["sentence"] = sentence_number[entry["sentence"]]

    def ev(values: list[int]) -> list[int]:
        return [renumber[i] for i in values]

    nodes = [{**n, "ev": ev(n["ev"]), "facts": [{**f, "ev": ev(f["ev"])} for f in n["facts"]]} for n in data["nodes"]]
    edges = [{**e, "facts": [{**f, "ev": ev(f["ev"])} for f in e["facts"]]} for e in data["edges"]]
    return {**data, "nodes": nodes, "edges": edges, "evidence": evidence,
            "sentences": [data["sentences"][i] for i in sentences_used]}


def _vis_options(physics: bool, count: int) -> dict[str, Any]:
    """vis-network options: precomputed positions, physics only to polish small graphs (``count``
    nodes move), stopped by the page after the stabilisation iterations."""
    big = count > PHYSICS_THRESHOLD
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "nodes": {"font": {"face": FONT_STACK, "size": LABEL_FONT, "color": "#222222", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}, "widthConstraint": {"maximum": LABEL_WIDTH},
                  "scaling": {"label": {"enabled": False, "drawThreshold": READABLE_PX}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"highlight": "#111111", "hover": "#111111", "inherit": False},
                  "font": {"face": FONT_STACK, "size": 10, "color": "#555555", "strokeWidth": 3,
                           "strokeColor": "#ffffff", "align": "middle"},
                  "smooth": {"enabled": physics, "type": "continuous", "roundness": 0.3},
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.004, "springLength": 90,
                                         "springConstant": 0.05, "damping": 0.6, "avoidOverlap": 0.5},
                    "minVelocity": 1.0, "maxVelocity": 40,
                    "stabilization": {"enabled": physics, "iterations": 1000 if count <= 100 else 400,
                                      "updateInterval": 100, "fit": False}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
    }
