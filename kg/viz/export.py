"""GraphML and GEXF of the page's graph, written with networkx, for Gephi, yEd, Cytoscape…

The graph is the whole of it, not aggregated: every node (an entity, its IRI as id) and one edge per
fact. Node attributes: ``label`` (zh-Hans), ``label_en``, ``class`` (Summit, State…), ``articles``
(the ids of the articles that speak of it, space-separated) and ``kind`` (stated / inferred /
background). Edge attributes: ``predicate`` (its IRI), ``label`` (the plain word), ``basis``
(stated / inferred / background) and ``articles``. The bytes are deterministic.
"""
from __future__ import annotations

import re
from typing import Any

FORMATS = ("graphml", "gexf")


def export(data: dict[str, Any], fmt: str) -> bytes:
    """The data of :func:`kg.viz.data.extract` as GraphML or GEXF (UTF-8 XML)."""
    import networkx as nx

    from kg.viz.layout import fact_graph

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    graph = fact_graph(data)
    if fmt == "graphml":
        text = "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True))
    else:
        text = "\n".join(nx.generate_gexf(graph, encoding="utf-8", prettyprint=True, version="1.2draft"))
        text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)  # today's date: not deterministic
    return (text.rstrip("\n") + "\n").encode("utf-8")
