"""The network page and graph exports (``kg viz``) and the centrality ranking (``kg stats --central``).

:mod:`kg.viz.data` reads a graph file into plain dicts (SPARQL on pyoxigraph), :mod:`kg.viz.layout`
turns them into a networkx graph (positions, centrality, aggregation), :mod:`kg.viz.render` writes
the self-contained HTML page (pyvis holds the nodes, edges and options; our own Jinja template),
and :mod:`kg.viz.export` writes GraphML and GEXF. Importing this package loads none of them.
"""
from __future__ import annotations

__all__ = ["OUTPUT_FORMATS"]

#: Extension of ``kg viz -o`` → what is written.
OUTPUT_FORMATS = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf"}
