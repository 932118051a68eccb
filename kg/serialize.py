"""Write quads in the format the output file's extension names (Turtle, TriG, N-Quads,
N-Triples, JSON-LD). Output is deterministic: the same quads give the same bytes."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import Dataset, Graph, Namespace, URIRef

from kg import iris
from kg.errors import InputError
from kg.pipeline.graph import Quad

#: Extension → (rdflib format name, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    ".ttl": ("turtle", False),
    ".trig": ("trig", True),
    ".nq": ("nquads", True),
    ".nt": ("nt", False),
    ".jsonld": ("json-ld", True),
    ".json": ("json-ld", True),
}

PREFIXES = {
    "skg": iris.ONTOLOGY,
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "state": iris.ID + "state/",
    "orgid": iris.ID + "org/",
    "person": iris.ID + "person/",
    "city": iris.ID + "city/",
    "area": iris.ID + "area/",
    "initiative": iris.ID + "initiative/",
    "status": iris.ID + "status/",
    "rule": iris.ID + "rule/",
}


def format_for(path: str | Path) -> tuple[str, bool]:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output extension {suffix or '(none)'!r}; use one of {known}")
    return FORMATS[suffix]


def _bind(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)


def serialize(quads: Iterable[Quad], fmt: str, named_graphs: bool) -> bytes:
    """Serialise sorted quads; formats without named graphs get the union of all graphs."""
    ordered = sorted(set(quads))
    if fmt in ("nt", "nquads"):
        return _lines(ordered, fmt == "nquads")
    if named_graphs:
        dataset = Dataset()
        _bind(dataset)
        for s, p, o, g in ordered:
            dataset.add((s, p, o, URIRef(g)))
        data = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        graph = Graph()
        _bind(graph)
        for s, p, o, _ in ordered:
            graph.add((s, p, o))
        data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _lines(quads: list[Quad], with_graph: bool) -> bytes:
    """N-Triples / N-Quads, one statement per line, sorted and without duplicates."""
    lines = set()
    for s, p, o, g in quads:
        line = f"{s.n3()} {p.n3()} {o.n3()}"
        lines.add(f"{line} {URIRef(g).n3()} .\n" if with_graph else f"{line} .\n")
    return "".join(sorted(lines)).encode("utf-8")
