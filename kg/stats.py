"""Counts of a graph: instances per class, triples per property, named graphs and quads (``kg stats``).

Classes and properties are counted over the union of all graphs, each distinct triple once (a
triple asserted in two named graphs counts once), so a TriG file and the Turtle file of the same
build give the same counts. The text is deterministic: rows are sorted by count, descending,
then by name.

The background knowledge (the ontology and the reference facts: every summit of the known series,
every state) is counted with the rest, and says so; ``background=False`` (``kg stats
--no-background``) counts the article graphs only, ``…/graph/article/ID`` and their ``…/inferred``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg import iris
from kg.errors import InputError
from kg.terms import iri, literal

if TYPE_CHECKING:
    from kg.store import GraphStore

#: The named graphs of the background knowledge that kg build writes.
ONTOLOGY_GRAPH = iris.GRAPH + "ontology"
BACKGROUND_GRAPHS = (ONTOLOGY_GRAPH, iris.REFERENCE_GRAPH)
ARTICLE_GRAPHS = iris.GRAPH + "article/"

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
# Without background: the nodes the article graphs (whose IRIs start with ARTICLE_GRAPHS) speak of,
# as subject or object (not as a class), with their classes from any graph but the ontology's (a
# state named in an article is typed by the reference facts); the triples of the article graphs,
# each once. The two IRIs are this module's constants.
_ARTICLE_CLASSES = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      GRAPH ?g {{ {{ ?s ?p ?o }} UNION {{ ?x ?q ?s FILTER(?q != rdf:type) }} }}
      FILTER(STRSTARTS(STR(?g), {literal(ARTICLE_GRAPHS)})) }} }}
  GRAPH ?h {{ ?s a ?class }} FILTER(?h != {iri(ONTOLOGY_GRAPH)})
}} GROUP BY ?class
"""
_ARTICLE_TRIPLES = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {literal(ARTICLE_GRAPHS)})) }}
"""
_ARTICLE_PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_ARTICLE_TRIPLES} }} GROUP BY ?p"
_ARTICLE_TRIPLE_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_ARTICLE_TRIPLES} }}"


def stats_text(store: GraphStore, *, background: bool = True) -> str:
    """The counts of a graph store as aligned text; without ``background``, of its article graphs
    only (:class:`InputError` when it has none: a Turtle or N-Triples file holds only the union)."""
    import pyoxigraph as ox

    from kg.corpus import graph_slug
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

    named = store.named_graphs()
    articles = [g for g in named if graph_slug(g) is not None]

    def rows(sparql: str) -> list[tuple[str, int]]:
        found = [(name(solution[0]), int(solution[1].value))
                 for solution in store.query(sparql)
                 if solution[0] is not None]
        return sorted(found, key=lambda row: (-row[1], row[0]))

    if background:
        graphs = sorted((name(ox.NamedNode(g)), store.graph_size(g)) for g in named)
        default_quads = int(next(iter(store.query(_DEFAULT_ONLY)))[0].value) if graphs else store.triple_count()
        classes, properties = rows(_CLASSES), rows(_PROPERTIES)
        summary = [("named graphs", len(graphs)), ("quads", sum(n for _, n in graphs) + default_quads),
                   ("distinct triples", store.triple_count())]
        graph_rows = graphs + ([("(default graph)", default_quads)] if default_quads and graphs else [])
        shown = [g for g in BACKGROUND_GRAPHS if g in named]
        note = f"background knowledge ({', '.join(name(ox.NamedNode(g)) for g in shown)}) is counted too: " \
            "--no-background leaves it out\n" if shown else ""
        scope = class_scope = ""
    else:
        if not articles:
            raise InputError("--no-background counts the article graphs (…/graph/article/ID), and there are "
                             "none: Turtle and N-Triples hold only the union of a build's graphs, background "
                             "included; build to .trig, .nq or .jsonld")
        graph_rows = sorted((name(ox.NamedNode(g)), store.graph_size(g)) for g in articles)
        classes, properties = rows(_ARTICLE_CLASSES), rows(_ARTICLE_PROPERTIES)
        quads = sum(n for _, n in graph_rows)
        everything = sum(store.graph_size(g) for g in named) + \
            int(next(iter(store.query(_DEFAULT_ONLY)))[0].value)
        summary = [("article graphs", len(graph_rows)), ("quads", quads),
                   ("distinct triples", int(next(iter(store.query(_ARTICLE_TRIPLE_COUNT)))[0].value)),
                   ("quads left out (background)", everything - quads)]
        note, scope = "", "; article graphs only"
        class_scope = "; the nodes the article graphs name"
    out = _table("", summary) + note
    if graph_rows:
        out += "\n" + _table("quads per graph", graph_rows)
    out += "\n" + _table(f"instances per class ({len(classes)} classes{class_scope})", classes)
    out += "\n" + _table(f"triples per property ({len(properties)} properties{scope})", properties)
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
