"""The page's graph with networkx: positions, node sizes from degree centrality, the ranking of
``kg stats --central``, and the aggregation of graphs too big to draw.

Positions are computed here, once, so the browser does not have to. The layout is force-directed
(ForceAtlas2-like, with grid-cell repulsion: O(n) a step), run on the networkx graph component by
component from a radial start, then packed. It is plain Python arithmetic: + − × ÷ and
``math.sqrt``, which IEEE 754 rounds exactly, with sines and cosines as Taylor sums rather than the
C library's. It is seeded with :class:`random.Random`. So the same graph gives the same positions
on every machine. networkx's own layouts need numpy, whose vectorised sums may differ in the last
bit from one CPU to another, and a layout iterates on such differences. Coordinates are rounded to
whole pixels.

The entities that only background knowledge speaks of are laid out after the others, around them,
with the others held fixed: the page hides them by default, and showing them moves nothing.
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx is imported where it is used: `import kg.cli` stays cheap
    import networkx as nx

#: Ideal edge length in page pixels.
EDGE_LENGTH = 110.0
SEED = 20201110

GROUPED_CLASSES = ("Document", "Initiative")
GROUP_LINKS = ("https://w3id.org/summit-kg/ontology#adoptedAt", "https://w3id.org/summit-kg/ontology#mentionedAt",
               "https://w3id.org/summit-kg/ontology#proposedAt")
CENTRAL_CLASSES = ("State", "Person", "Initiative")
_RANK = {"stated": 0, "inferred": 1, "background": 2}


# networkx graphs ---------------------------------------------------------------------------------

def simple_graph(data: dict[str, Any], *, background: bool = True) -> nx.Graph:
    """Undirected graph of the page: one edge per pair of linked nodes. ``background=False`` leaves
    out the background nodes and the facts only background knowledge gives."""
    import networkx as nx

    graph = nx.Graph()
    keep = {n["id"] for n in data["nodes"] if background or n["kind"] != "background"}
    for node in data["nodes"]:
        if node["id"] in keep:
            graph.add_node(node["id"], cls=node["class"], kind=node["kind"], label=node["labels"]["zh"])
    for edge in data["edges"]:
        if edge["source"] in keep and edge["target"] in keep and (background or edge["kind"] != "background"):
            graph.add_edge(edge["source"], edge["target"], kind=edge["kind"])
    return graph


def fact_graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Directed multigraph with one edge per fact, for GraphML and GEXF (attributes are strings)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in data["nodes"]:
        graph.add_node(node["id"], label=node["labels"]["zh"], label_en=node["labels"]["en"] or "",
                       **{"class": node["class"]}, articles=" ".join(node["articles"]), kind=node["kind"])
    for edge in data["edges"]:
        for i, fact in enumerate(edge["facts"]):
            graph.add_edge(edge["source"], edge["target"], key=i, predicate=fact["p"], basis=fact["kind"],
                           label=data["words"].get(fact["p"], {}).get("zh", ""),
                           articles=" ".join(fact["articles"]))
    return graph


# centrality --------------------------------------------------------------------------------------

def sizes(data: dict[str, Any]) -> dict[str, float]:
    """Node size (radius in pixels) from degree centrality: over the facts the articles give for the
    nodes they speak of, over all facts for background nodes (drawn smaller)."""
    import networkx as nx

    front = nx.degree_centrality(simple_graph(data, background=False)) if len(data["nodes"]) > 1 else {}
    full = nx.degree_centrality(simple_graph(data)) if len(data["nodes"]) > 1 else {}
    top_front = max(front.values(), default=0.0) or 1.0
    top_full = max(full.values(), default=0.0) or 1.0
    out = {}
    for node in data["nodes"]:
        if node["kind"] == "background":
            out[node["id"]] = round(7 + 9 * math.sqrt(full.get(node["id"], 0.0) / top_full), 1)
        else:
            out[node["id"]] = round(10 + 26 * math.sqrt(front.get(node["id"], 0.0) / top_front), 1)
    return out


def label_sizes(data: dict[str, Any], base: float = 14.0, extra: float = 12.0) -> dict[str, float]:
    """Label font size (page pixels) of each node, the level of detail of the page: ``base`` plus up
    to ``extra`` growing with degree centrality over the facts the articles give, so that the most
    connected nodes stay named when the view is zoomed out and the others' names appear as it is
    zoomed in. Background nodes keep ``base``."""
    import networkx as nx

    front = nx.degree_centrality(simple_graph(data, background=False)) if len(data["nodes"]) > 1 else {}
    top = max(front.values(), default=0.0) or 1.0
    return {node["id"]: base if node["kind"] == "background"
            else round(base + extra * math.sqrt(front.get(node["id"], 0.0) / top), 1) for node in data["nodes"]}


def main_summit(data: dict[str, Any]) -> str | None:
    """The node the page frames first: of a single article, the first summit it is about; else the
    summit with most links over the facts the articles give (ties: the later date, then the IRI);
    without a summit, the most connected node. ``None`` only when there is no node."""
    nodes = {n["id"]: n for n in data["nodes"]}
    front = {i for i, n in nodes.items() if n["kind"] != "background"}
    if len(data["articles"]) == 1:
        about = [s for s in data["articles"][0].get("summits", []) if s in front]
        if about:
            return about[0]
    graph = simple_graph(data, background=False)
    summits = [s["id"] for s in data["summits"] if s["id"] in front]
    if summits:
        dates = {s["id"]: s["date"] for s in data["summits"]}
        summits.sort()
        summits.sort(key=lambda s: dates.get(s) or "", reverse=True)  # stable sorts: IRI, later date,
        summits.sort(key=graph.degree, reverse=True)  # then most links first
        return summits[0]
    pool = sorted(front) or sorted(nodes)
    if not pool:
        return None
    return min(pool, key=lambda n: (-(graph.degree(n) if n in graph else 0), n))


def lead(data: dict[str, Any], top: int = 10) -> list[str]:
    """The nodes the page always names, whatever the zoom: the summits the articles speak of and the
    ``top`` most central entities of :func:`central` (most links first, across its classes)."""
    summits = [s["id"] for s in data["summits"]]
    rows = sorted(central(data, top=top), key=lambda r: (-r["degree"], r["label"], r["id"]))
    return list(dict.fromkeys(summits + [r["id"] for r in rows[:top]]))


def central(data: dict[str, Any], top: int = 10, classes: tuple[str, ...] = CENTRAL_CLASSES) -> list[dict[str, Any]]:
    """The ``top`` most connected entities of each class: degree centrality over the entity–entity
    facts the articles give (stated or inferred). Ties go by label, then IRI."""
    import networkx as nx

    graph = simple_graph(data, background=False)
    centrality = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {n: 0.0 for n in graph}
    rows = []
    for cls in classes:
        members = [n for n, attrs in graph.nodes(data=True) if attrs["cls"] == cls]
        members.sort(key=lambda n: (-graph.degree(n), graph.nodes[n]["label"], n))
        for rank, node in enumerate(members[:top], 1):
            rows.append({"class": cls, "rank": rank, "label": graph.nodes[node]["label"], "id": node,
                         "degree": graph.degree(node), "centrality": centrality[node]})
    return rows


# aggregation -------------------------------------------------------------------------------------

def aggregate(data: dict[str, Any], max_nodes: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """At most ``max_nodes`` nodes: leave out background nodes, then collapse each summit's documents
    and initiatives into one group node, then keep the most connected nodes. Returns the data and
    what was done (``{"code": "background" | "grouped" | "truncated", …}``) for the page to say."""
    notes: list[dict[str, Any]] = []
    total = len(data["nodes"])
    if total <= max_nodes:
        return data, notes
    front = [n for n in data["nodes"] if n["kind"] != "background"]
    if len(front) < total:
        notes.append({"code": "background", "count": total - len(front), "limit": max_nodes})
        data = _restrict(data, {n["id"] for n in front})
    if len(data["nodes"]) > max_nodes:
        data, groups, members = _group(data)
        if groups:
            notes.append({"code": "grouped", "groups": groups, "members": members})
    if len(data["nodes"]) > max_nodes:
        graph = simple_graph(data)
        ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:max_nodes]
        notes.append({"code": "truncated", "shown": max_nodes, "total": len(data["nodes"])})
        data = _restrict(data, set(ranked))
    return data, notes


def _restrict(data: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    return {**data, "nodes": [n for n in data["nodes"] if n["id"] in keep],
            "edges": [e for e in data["edges"] if e["source"] in keep and e["target"] in keep],
            "summits": [s for s in data["summits"] if s["id"] in keep]}


def _group(data: dict[str, Any]) -> tuple[dict[str, Any], int, int]:
    """Collapse the documents and initiatives of each summit (the first summit they link to, by
    IRI) into one node ``<summit IRI>#documents`` / ``#initiatives``; their edges move to it."""
    nodes = {n["id"]: n for n in data["nodes"]}
    home: dict[str, str] = {}
    for edge in data["edges"]:
        member, summit = edge["source"], edge["target"]
        if (nodes[member]["class"] in GROUPED_CLASSES and nodes[summit]["class"] == "Summit"
                and any(f["p"] in GROUP_LINKS for f in edge["facts"])):
            home[member] = min(home.get(member, summit), summit)
    by_group: dict[tuple[str, str], list[str]] = defaultdict(list)
    for member, summit in sorted(home.items()):
        by_group[(summit, nodes[member]["class"])].append(member)
    target: dict[str, str] = {}
    new_nodes = {k: v for k, v in nodes.items()}
    groups = members_total = 0
    for (summit, cls), members in sorted(by_group.items()):
        if len(members) < 2:
            continue
        gid = f"{summit}#{cls.lower()}s"
        groups += 1
        members_total += len(members)
        parts = [nodes[m] for m in members]
        for m in members:
            target[m] = gid
            del new_nodes[m]
        new_nodes[gid] = {
            "id": gid, "class": cls, "types": [], "alt": sorted({p["labels"]["zh"] for p in parts}),
            "labels": {"zh": f"{nodes[summit]['labels']['zh']} · {len(members)}",
                       "en": f"{nodes[summit]['labels']['en'] or nodes[summit]['labels']['zh']} · {len(members)}"},
            "kind": min((p["kind"] for p in parts), key=_RANK.__getitem__),
            "articles": sorted({a for p in parts for a in p["articles"]}), "facts": [],
            "ev": sorted({i for p in parts for i in p["ev"]}),
            "group": {"summit": summit, "count": len(members),
                      "members": sorted((p["labels"]["zh"], p["labels"]["en"] or "", p["id"]) for p in parts)},
        }
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in data["edges"]:
        s, t = target.get(edge["source"], edge["source"]), target.get(edge["target"], edge["target"])
        if s == t:
            continue
        into = merged.setdefault((s, t), {"source": s, "target": t, "facts": {}, "articles": set()})
        for fact in edge["facts"]:
            key = (fact["p"], fact["kind"], fact.get("note") or "")
            have = into["facts"].setdefault(key, {**fact, "ev": set(), "articles": set()})
            have["ev"] |= set(fact["ev"])
            have["articles"] |= set(fact["articles"])
    edges = []
    for (s, t), edge in sorted(merged.items()):
        facts = [{**f, "ev": sorted(f["ev"]), "articles": sorted(f["articles"])}
                 for _, f in sorted(edge["facts"].items())]
        edges.append({"source": s, "target": t, "facts": facts,
                      "kind": min((f["kind"] for f in facts), key=_RANK.__getitem__),
                      "articles": sorted({a for f in facts for a in f["articles"]})})
    out = {**data, "nodes": [new_nodes[k] for k in sorted(new_nodes)], "edges": edges}
    return out, groups, members_total


# positions ---------------------------------------------------------------------------------------

def positions(data: dict[str, Any], seed: int = SEED) -> dict[str, tuple[int, int]]:
    """Deterministic page coordinates of every node (see the module docstring)."""
    graph = simple_graph(data)
    front = sorted(n["id"] for n in data["nodes"] if n["kind"] != "background")
    back = sorted(n["id"] for n in data["nodes"] if n["kind"] == "background")
    pos = _components(graph.subgraph(front), seed)
    if back:
        pos = _around(graph, pos, back, seed)
    return {node: (int(round(x)), int(round(y))) for node, (x, y) in sorted(pos.items())}


def _components(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Lay out each connected component, then pack them in rows, biggest first, singletons last."""
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    blocks: list[dict[str, tuple[float, float]]] = []
    singles = [c[0] for c in comps if len(c) == 1]
    for comp in comps:
        if len(comp) > 1:
            edges = sorted(tuple(sorted(e)) for e in graph.subgraph(comp).edges())
            blocks.append(_force(comp, edges, random.Random(f"{seed}:{comp[0]}")))
    if singles:
        columns = max(1, math.isqrt(len(singles) - 1) + 1)
        blocks.append({node: ((i % columns) * EDGE_LENGTH, (i // columns) * EDGE_LENGTH * 0.6)
                       for i, node in enumerate(singles)})
    return _pack(blocks)


def _pack(blocks: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: blocks left to right in rows about as wide as the whole is tall; centred on 0."""
    if not blocks:
        return {}
    margin = EDGE_LENGTH
    boxes = []
    for block in blocks:
        xs = [p[0] for p in block.values()]
        ys = [p[1] for p in block.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + margin, max(ys) - min(ys) + margin))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(math.sqrt(area) * 1.4, max(w for _, _, w, _ in boxes))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (x0, y0, w, h) in zip(blocks, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in block.items():
            out[node] = (px - x0 + x, py - y0 + y)
        x += w
        row_height = max(row_height, h)
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {node: (px - cx, py - cy) for node, (px, py) in out.items()}


def _around(graph: nx.Graph, pos: dict[str, tuple[float, float]], back: list[str],
            seed: int) -> dict[str, tuple[float, float]]:
    """Place background nodes around the fixed others: start next to a placed neighbour or on a
    ring outside them, then relax with the others held still."""
    rng = random.Random(f"{seed}:background")
    if pos:
        radius = max(math.sqrt(x * x + y * y) for x, y in pos.values()) + 2 * EDGE_LENGTH
    else:
        radius = EDGE_LENGTH
    start: dict[str, tuple[float, float]] = dict(pos)
    for node in back:
        placed = sorted(n for n in graph.neighbors(node) if n in pos)
        if placed:
            x = sum(pos[n][0] for n in placed) / len(placed)
            y = sum(pos[n][1] for n in placed) / len(placed)
            norm = math.sqrt(x * x + y * y) or 1.0
            scale = (radius + rng.random() * EDGE_LENGTH * 3) / norm
            start[node] = (x * scale, y * scale)
        else:
            a, r = rng.random() * 2 * math.pi, radius + rng.random() * EDGE_LENGTH * 4
            c, si = _cos_sin(a)
            start[node] = (r * c, r * si)
    nodes = sorted(start)
    edges = sorted(tuple(sorted(e)) for e in graph.edges() if e[0] in start and e[1] in start)
    return _force(nodes, edges, rng, initial=start, fixed=set(pos))


def _force(nodes: list[str], edges: list[tuple[str, str]], rng: random.Random, *,
           initial: dict[str, tuple[float, float]] | None = None,
           fixed: set[str] | None = None) -> dict[str, tuple[float, float]]:
    """A ForceAtlas2-like layout: linear attraction along edges, repulsion ``kr·(m_i + m_j)/d`` with
    the mass ``m = degree + 1`` (a hub pushes its many neighbours out into a wide ring; two hubs do
    not fly apart as with FA2's product of masses), a pull to the centre, steps capped by a cooling
    temperature. Repulsion is exact between the heaviest nodes and all others, and between any two
    hubs (degree ≥ 5); between the rest it is limited to nodes closer than 2.5 k, found through a
    grid: O(n) a step."""
    n = len(nodes)
    k = EDGE_LENGTH
    index = {node: i for i, node in enumerate(nodes)}
    links = [(index[a], index[b]) for a, b in edges]
    mass = [1.0] * n
    for a, b in links:
        mass[a] += 1.0
        mass[b] += 1.0
    side = k * math.sqrt(n) * 1.5
    if initial is None:
        xs, ys = _radial(n, links, mass, rng)
    else:
        xs = [initial[node][0] for node in nodes]
        ys = [initial[node][1] for node in nodes]
    moves = [not (fixed is not None and node in fixed) for node in nodes]
    kr = k * k / 4  # two leaves joined by an edge rest about k apart
    by_mass = sorted(range(n), key=lambda i: (-mass[i], i))
    heavy = [i for i in by_mass[:40 if n <= 1500 else 15] if mass[i] >= 6]  # repel every node
    hubs = [i for i in by_mass[:200] if mass[i] >= 6 and i not in heavy]  # repel each other exactly
    is_heavy = [False] * n
    is_hub = [False] * n
    for i in heavy:
        is_heavy[i] = True
    for i in hubs:
        is_hub[i] = True
    exact = [(h, j) for h in heavy for j in range(n) if j != h and not (is_heavy[j] and j < h)]
    exact += [(a, b) for x, a in enumerate(hubs) for b in hubs[x + 1:]]
    iterations = 200 if n <= 200 else 100 if n <= 1500 else 40
    cell = 2.5 * k
    reach2 = cell * cell
    gravity = 0.5 * k
    t0 = side / 10 if initial is None else 2 * k
    forward = ((1, 0), (1, 1), (0, 1), (-1, 1))
    floor = math.floor
    sqrt = math.sqrt
    for step in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            if not is_heavy[i]:
                grid[(floor(xs[i] / cell), floor(ys[i] / cell))].append(i)
        for (cx, cy), members in grid.items():
            near = [(members, True)] + [(grid[(cx + ax, cy + ay)], False) for ax, ay in forward
                                        if (cx + ax, cy + ay) in grid]
            for others, same in near:
                for a, i in enumerate(members):
                    xi, yi, mi, hi = xs[i], ys[i], mass[i], is_hub[i]
                    for j in (others[a + 1:] if same else others):
                        if hi and is_hub[j]:
                            continue  # below, exactly
                        ddx, ddy = xi - xs[j], yi - ys[j]
                        d2 = ddx * ddx + ddy * ddy
                        if d2 >= reach2:
                            continue
                        if d2 < 1e-6:  # on top of each other: a fixed nudge apart
                            ddx, ddy, d2 = 0.1 * (1 + (i - j) % 7), 0.1, 0.01 * ((1 + (i - j) % 7) ** 2 + 1)
                        f = (mi + mass[j]) * kr / d2
                        dx[i] += ddx * f
                        dy[i] += ddy * f
                        dx[j] -= ddx * f
                        dy[j] -= ddy * f
        for h, j in exact:
            ddx, ddy = xs[h] - xs[j], ys[h] - ys[j]
            d2 = ddx * ddx + ddy * ddy
            if d2 < 1e-6:
                ddx, ddy, d2 = 0.1 * (1 + (h - j) % 7), 0.1, 0.01 * ((1 + (h - j) % 7) ** 2 + 1)
            f = (mass[h] + mass[j]) * kr / d2
            dx[h] += ddx * f
            dy[h] += ddy * f
            dx[j] -= ddx * f
            dy[j] -= ddy * f
        for i, j in links:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            dx[i] -= ddx
            dy[i] -= ddy
            dx[j] += ddx
            dy[j] += ddy
        t = t0 * (1 - step / iterations) + k / 50
        for i in range(n):
            if not moves[i]:
                continue
            r = sqrt(xs[i] * xs[i] + ys[i] * ys[i])
            fx, fy = dx[i], dy[i]
            if r > 0:
                fx -= xs[i] / r * gravity
                fy -= ys[i] / r * gravity
            d = sqrt(fx * fx + fy * fy)
            if d > 0:
                s = min(d, t) / d
                xs[i] += fx * s
                ys[i] += fy * s
    return {node: (xs[i], ys[i]) for i, node in enumerate(nodes)}


def _radial(n: int, links: list[tuple[int, int]], mass: list[float],
            rng: random.Random) -> tuple[list[float], list[float]]:
    """A starting point the force layout converges from quickly: a radial tree of a breadth-first
    search from the heaviest node, each node in a slice of its parent's angle as wide as its subtree,
    at a radius growing with its depth; a little seeded jitter keeps equal points apart."""
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)
    root = min(range(n), key=lambda i: (-mass[i], i))
    parent = [-1] * n
    depth = [-1] * n
    depth[root] = 0
    order = [root]
    for i in order:  # grows while it is read: breadth-first
        for j in sorted(neighbours[i]):
            if depth[j] < 0:
                depth[j], parent[j] = depth[i] + 1, i
                order.append(j)
    for i in range(n):  # not reached (cannot happen in a component): one ring further out
        if depth[i] < 0:
            depth[i], parent[i] = 1, root
            order.append(i)
    size = [1] * n
    for i in reversed(order[1:]):
        size[parent[i]] += size[i]
    children: list[list[int]] = [[] for _ in range(n)]
    for i in order[1:]:
        children[parent[i]].append(i)
    per_depth: dict[int, int] = defaultdict(int)
    for d in depth:
        per_depth[d] += 1
    radius = {d: max(d * 1.6 * EDGE_LENGTH, count * EDGE_LENGTH / (2 * math.pi)) if d else 0.0
              for d, count in per_depth.items()}
    start = [0.0] * n
    width = [2 * math.pi] * n
    xs, ys = [0.0] * n, [0.0] * n
    for i in order:
        a = start[i] + width[i] / 2
        r = radius[depth[i]]
        c, si = _cos_sin(a)
        xs[i] = r * c + (rng.random() - 0.5) * EDGE_LENGTH * 0.2
        ys[i] = r * si + (rng.random() - 0.5) * EDGE_LENGTH * 0.2
        offset = start[i]
        for j in children[i]:
            start[j] = offset
            width[j] = width[i] * size[j] / (size[i] - 1)
            offset += width[j]
    return xs, ys


def _cos_sin(angle: float) -> tuple[float, float]:
    """cos and sin by Taylor sums after reduction to [−π, π]: only + − × ÷, so every machine gets
    the same bits (C libraries may round the last bit of their sin and cos differently)."""
    turn = 2 * math.pi
    a = angle - turn * math.floor(angle / turn + 0.5)
    term_c, term_s = 1.0, a
    cos_sum, sin_sum = 1.0, a
    a2 = a * a
    for k in range(1, 16):
        term_c = -term_c * a2 / ((2 * k - 1) * (2 * k))
        term_s = -term_s * a2 / ((2 * k) * (2 * k + 1))
        cos_sum += term_c
        sin_sum += term_s
    return cos_sum, sin_sum
