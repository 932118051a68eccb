"""The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query): an
``sd:Service`` with its endpoint, language, result formats, limits and dataset, written by
pyoxigraph from terms (never by pasting text)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.serve.formats import Format

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: Result format name (:mod:`kg.serve.formats`) → its IRI in W3C's format registry.
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
               "rdfxml": "RDF_XML"}

#: Named graphs listed one by one at most; above, the description gives their number only.
MAX_LISTED = 1000

DEFAULT_GRAPH = ("The default graph is the RDF merge of the named graphs: every triple of every named graph, "
                 "once, however many graphs state it (not their union with duplicates). GRAPH ?g { … } tells "
                 "which graph states what; default-graph-uri and named-graph-uri choose other graphs.")

# The graphs and their sizes, asked of a worker (answers in TSV; see :func:`parse_counts`).
COUNT_MERGE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_GRAPHS = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g "
                f"LIMIT {MAX_LISTED + 1}")
COUNT_NAMED = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class GraphCounts:
    """Triples in the merge, the number of named graphs and the first :data:`MAX_LISTED` of them
    with their sizes."""

    merge: int
    named: int
    listed: tuple[tuple[str, int], ...]


def parse_counts(merge_tsv: bytes, graphs_tsv: bytes, named_tsv: bytes) -> GraphCounts:
    """:class:`GraphCounts` from the TSV answers to :data:`COUNT_MERGE`, :data:`COUNT_GRAPHS` and
    :data:`COUNT_NAMED`."""
    merge = int(_rows(merge_tsv)[0]["n"].value)
    named = int(_rows(named_tsv)[0]["n"].value)
    listed = tuple((row["g"].value, int(row["n"].value)) for row in _rows(graphs_tsv)[:MAX_LISTED])
    return GraphCounts(merge, named, listed)


def _rows(tsv: bytes) -> list[Any]:
    import pyoxigraph as ox

    return list(ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV))


def service_description(endpoint: str, fmt: Format, formats: tuple[Format, ...], *, timeout: float, max_rows: int,
                        counts: GraphCounts | None) -> bytes:
    """The description of the service at ``endpoint`` (an absolute IRI) in the graph format ``fmt``;
    ``counts`` None leaves the graphs out. :class:`ValueError` when ``endpoint`` is not an IRI."""
    import pyoxigraph as ox

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=iri(XSD_INTEGER))

    triples: list[ox.Triple] = []

    def add(subject: ox.NamedNode | ox.BlankNode, predicate: str,
            obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        triples.append(ox.Triple(subject, iri(predicate), obj))

    service = ox.BlankNode()
    add(service, RDF_TYPE, iri(SD + "Service"))
    add(service, SD + "endpoint", iri(endpoint))
    add(service, RDFS + "label", ox.Literal("summit-kg SPARQL endpoint (read-only)"))
    add(service, RDFS + "comment", ox.Literal(
        f"SPARQL 1.1 Query only: SPARQL Update, LOAD and SERVICE are refused. A query stops after {timeout:g} s "
        f"(HTTP 503); a result of more than {max_rows:,} rows is refused (HTTP 400), never cut. The project's "
        "prefixes (skg:, schema:, org:, prov:, skos:, dct:, rdfs:, xsd:, nif:…) are predeclared."))
    add(service, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    add(service, SD + "defaultEntailmentRegime", iri("http://www.w3.org/ns/entailment/Simple"))
    for each in formats:
        add(service, SD + "resultFormat", iri(FORMATS + FORMAT_IRIS[each.name]))
    dataset = ox.BlankNode()
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF_TYPE, iri(SD + "Dataset"))
    add(dataset, RDFS + "comment", ox.Literal(DEFAULT_GRAPH))
    default = ox.BlankNode()
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF_TYPE, iri(SD + "Graph"))
    if counts is not None:
        add(default, VOID + "triples", integer(counts.merge))
        if counts.named > len(counts.listed):
            add(dataset, RDFS + "comment", ox.Literal(
                f"{counts.named:,} named graphs; the first {len(counts.listed):,} by name are listed here."))
        for name, size in counts.listed:
            named = ox.BlankNode()
            graph = ox.BlankNode()
            add(dataset, SD + "namedGraph", named)
            add(named, RDF_TYPE, iri(SD + "NamedGraph"))
            add(named, SD + "name", iri(name))
            add(named, SD + "graph", graph)
            add(graph, RDF_TYPE, iri(SD + "Graph"))
            add(graph, VOID + "triples", integer(size))
    from kg.serve.answer import graph_format

    return ox.serialize(triples, format=graph_format(fmt.name),
                        prefixes={"sd": SD, "formats": FORMATS, "void": VOID, "rdfs": RDFS})
