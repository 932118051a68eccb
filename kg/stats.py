"""Counts of a graph: instances per class, triples per property, named graphs and quads (``kg stats``).

Classes and properties are counted over the union of all graphs, each distinct triple once (a
triple asserted in two named graphs counts once), so a TriG file and the Turtle file of the same
build give the same counts. The text is deterministic: rows are sorted by count, descending,
then by name.
"""
from __future__ import annotations

from typing import Any

_EXTRA_PREFIXES = {
    "graph": "https://w3id.org/summit-kg/graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "sh": "http://www.w3.org/ns/shacl#",
}

_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class
"""
_PROPERTIES = """
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p
"""
_TRIPLES = """
SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
"""


def stats_text(store: Any) -> str:
    """The counts of a pyoxigraph Store as aligned text."""
    import pyoxigraph as ox

    from kg.serialize import PREFIXES

    namespaces = sorted({**PREFIXES, **_EXTRA_PREFIXES}.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def name(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            iri = term.value
            for prefix, ns in namespaces:
                if iri.startswith(ns) and len(iri) > len(ns):
                    return f"{prefix}:{iri[len(ns):]}"
            return f"<{iri}>"
        return str(term)

    def rows(sparql: str) -> list[tuple[str, int]]:
        found = [(name(solution[0]), int(solution[1].value))
                 for solution in store.query(sparql, use_default_graph_as_union=True)
                 if solution[0] is not None]
        return sorted(found, key=lambda row: (-row[1], row[0]))

    graphs = sorted((name(g), _quads_in(store, g)) for g in store.named_graphs())
    default_quads = _quads_in(store, ox.DefaultGraph())
    triples = next(iter(store.query(_TRIPLES, use_default_graph_as_union=True)))[0]
    classes = rows(_CLASSES)
    properties = rows(_PROPERTIES)

    summary = [("named graphs", len(graphs)), ("quads", len(store)), ("distinct triples", int(triples.value))]
    graph_rows = graphs + ([("(default graph)", default_quads)] if default_quads and graphs else [])
    out = _table("", summary)
    if graph_rows:
        out += "\n" + _table("quads per graph", graph_rows)
    out += "\n" + _table(f"instances per class ({len(classes)} classes)", classes)
    out += "\n" + _table(f"triples per property ({len(properties)} properties)", properties)
    return out


def _quads_in(store: Any, graph: Any) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def _table(title: str, rows: list[tuple[str, int]]) -> str:
    """A title line, then one ``name  count`` line per row, names left- and counts right-aligned."""
    lines = [title] if title else []
    if not rows:
        return "\n".join(lines + ["  (none)"]) + "\n"
    width = max(len(label) for label, _ in rows)
    digits = max(len(str(count)) for _, count in rows)
    indent = "  " if title else ""
    lines += [f"{indent}{label.ljust(width)}  {str(count).rjust(digits)}" for label, count in rows]
    return "\n".join(lines) + "\n"
