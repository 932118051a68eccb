"""Counts of a graph: instances per class, triples per property, named graphs and quads (``kg stats``).

Classes and properties are counted over the union of all graphs, each distinct triple once (a
triple asserted in two named graphs counts once), so a TriG file and the Turtle file of the same
build give the same counts. The text is deterministic: rows are sorted by count, descending,
then by name.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.store import GraphStore

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
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p
"""
# triples of the file's own default graph: in the merge but in no named graph
_DEFAULT_ONLY = """
SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }
"""


def stats_text(store: GraphStore) -> str:
    """The counts of a graph store as aligned text."""
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
                 for solution in store.query(sparql)
                 if solution[0] is not None]
        return sorted(found, key=lambda row: (-row[1], row[0]))

    graphs = sorted((name(ox.NamedNode(g)), store.graph_size(g)) for g in store.named_graphs())
    default_quads = int(next(iter(store.query(_DEFAULT_ONLY)))[0].value) if graphs else store.triple_count()
    classes = rows(_CLASSES)
    properties = rows(_PROPERTIES)

    summary = [("named graphs", len(graphs)), ("quads", sum(n for _, n in graphs) + default_quads),
               ("distinct triples", store.triple_count())]
    graph_rows = graphs + ([("(default graph)", default_quads)] if default_quads and graphs else [])
    out = _table("", summary)
    if graph_rows:
        out += "\n" + _table("quads per graph", graph_rows)
    out += "\n" + _table(f"instances per class ({len(classes)} classes)", classes)
    out += "\n" + _table(f"triples per property ({len(properties)} properties)", properties)
    return out


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
