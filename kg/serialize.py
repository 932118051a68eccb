"""Write quads in the format the output file's extension names (Turtle, TriG, N-Quads,
N-Triples, JSON-LD). Output is deterministic: the same quads give the same bytes."""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

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
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
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
    if fmt == "trig":
        return _trig(ordered)
    if named_graphs:
        dataset = Dataset()
        _bind(dataset)
        for s, p, o, g in ordered:
            dataset.add((s, p, o, URIRef(g)))
        with warnings.catch_warnings():  # rdflib's own JSON-LD writer calls a deprecated method
            warnings.simplefilter("ignore", DeprecationWarning)
            data = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        graph = Graph()
        _bind(graph)
        for s, p, o, _ in ordered:
            graph.add((s, p, o))
        data = graph.serialize(format=fmt, encoding="utf-8")
    if fmt in ("nt", "nquads"):  # one statement per line: sort them
        lines = sorted(set(data.decode("utf-8").splitlines()) - {""})
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "json-ld":
        return _canonical_json(data)
    return data


def _trig(quads: list[Quad]) -> bytes:
    """TriG written graph by graph (rdflib's TriG order depends on hashing): the prefixes once,
    then each named graph, sorted by name, as a Turtle block."""
    by_graph: dict[str, list[Quad]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad[3]), []).append(quad)
    head: dict[str, str] = {}
    blocks = []
    for name in sorted(by_graph):
        graph = Graph()
        _bind(graph)
        for s, p, o, _ in by_graph[name]:
            graph.add((s, p, o))
        body = graph.serialize(format="turtle")
        for line in body.splitlines():
            if line.startswith("@prefix"):
                prefix = line.split()[1]
                if head.setdefault(prefix, line) != line:  # pragma: no cover - all namespaces are bound
                    raise RuntimeError(f"TriG prefix {prefix} bound twice")
        lines = [line for line in body.splitlines() if not line.startswith("@prefix")]
        inner = "\n".join(lines).strip("\n")  # not indented: that would change multi-line literals
        blocks.append(f"<{name}> {{\n{inner}\n}}\n")
    return ("\n".join(sorted(head.values())) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _canonical_json(data: bytes) -> bytes:
    """JSON-LD with keys sorted and every array of nodes or values sorted."""
    import json

    def norm(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        if isinstance(value, list):
            items = [norm(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return value

    doc = json.loads(data.decode("utf-8"))
    return (json.dumps(norm(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
