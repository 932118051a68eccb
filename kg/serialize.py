"""Write quads as Turtle, TriG, N-Quads, N-Triples or JSON-LD, streaming and deterministic.

Quads are N-Triples text (:mod:`kg.terms`). A writer takes whole graphs, one article's at a time,
and writes them at once, so a corpus build holds one article in memory, not the corpus:

* **N-Quads, TriG, JSON-LD** keep the named graphs. Each graph is written as it comes, its
  statements sorted; a corpus build gives the articles in the order of their ids, then the
  background graphs. Article graphs never share a quad, so nothing needs merging.
* **N-Triples, Turtle** hold the union of the graphs, where two articles may state the same
  triple. Triples are collected in sorted runs; a run that outgrows ``run_size`` goes to a
  temporary file, and the runs are merged, without duplicates, when the writer is closed.

The same quads in the same graph order give the same bytes, whoever made them (one process,
a pool, a Dask cluster). rdflib is not used here: its serialisers hold the whole graph as
objects and order by hashing; the five writers below follow the W3C grammars and are checked
against rdflib's and pyoxigraph's parsers in the tests.
"""
from __future__ import annotations

import heapq
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from kg import iris
from kg.errors import InputError
from kg.terms import XSD, Quad, Triple, split_literal

#: Extension → (format name, keeps named graphs)
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
    "xsd": XSD,
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

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#: Triples held in memory before a sorted run goes to disk (union formats).
RUN_SIZE = 400_000


def format_for(path: str | Path) -> tuple[str, bool]:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output extension {suffix or '(none)'!r}; use one of {known}")
    return FORMATS[suffix]


def by_graph(quads: Iterable[Quad]) -> list[tuple[str, list[Triple]]]:
    """The quads' graphs in order of name, each with its triples sorted."""
    graphs: dict[str, list[Triple]] = {}
    for s, p, o, g in quads:
        graphs.setdefault(g, []).append((s, p, o))
    return [(g, sorted(graphs[g])) for g in sorted(graphs)]


# ---------------------------------------------------------------------------------------- Turtle terms


_NAME = r"A-Za-z0-9_\u3001-\ud7ff"  # a safe subset of Turtle's PN_CHARS (ASCII, CJK, kana, hangul)
_PN_LOCAL = re.compile(rf"[{_NAME}](?:[{_NAME}\u00b7.-]*[{_NAME}\u00b7-])?")


class Abbreviator:
    """IRIs as prefixed names where the local part is a plain name, ``xsd:`` datatypes, ``a``."""

    def __init__(self, prefixes: dict[str, str] = PREFIXES) -> None:
        self.prefixes = prefixes
        self._by_namespace = {ns: name for name, ns in prefixes.items()}
        self._cache: dict[str, str] = {}

    def header(self) -> str:
        return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(self.prefixes.items())) + "\n"

    def iri(self, term: str) -> str:
        found = self._cache.get(term)
        if found is None:
            found = self._cache[term] = self._abbreviate(term)
            if len(self._cache) > 200_000:
                self._cache.clear()
        return found

    def _abbreviate(self, term: str) -> str:
        value = term[1:-1]
        cut = max(value.rfind("#"), value.rfind("/")) + 1
        name = self._by_namespace.get(value[:cut]) if cut else None
        local = value[cut:]
        if name is not None and _PN_LOCAL.fullmatch(local):
            return f"{name}:{local}"
        return term

    def term(self, term: str) -> str:
        if term.startswith("<"):
            return self.iri(term)
        if term.startswith('"') and term.endswith(">") and '"^^<' in term:
            at = term.rindex('"^^<')
            return term[:at + 3] + self.iri(term[at + 3:])
        return term


def turtle_subjects(triples: Iterable[Triple], abbrev: Abbreviator) -> Iterator[str]:
    """Turtle statements of sorted triples, one block per subject (``s p o ; p o, o .``)."""
    subject = predicate = None
    parts: list[str] = []
    for s, p, o in triples:
        if s != subject:
            if parts:
                parts.append(" .\n\n")
                yield "".join(parts)
                parts = []
            subject, predicate = s, None
            parts.append(abbrev.iri(s) if s.startswith("<") else s)
        if p != predicate:
            parts.append(" ;\n    " if predicate is not None else " ")
            parts.append("a" if p == RDF_TYPE else abbrev.iri(p))
            parts.append(" ")
            predicate = p
        else:
            parts.append(",\n        ")
        parts.append(abbrev.term(o))
    if parts:
        parts.append(" .\n\n")
        yield "".join(parts)


# ---------------------------------------------------------------------------------------- JSON-LD terms


def _jsonld_value(term: str) -> dict[str, str]:
    if term.startswith("<"):
        return {"@id": term[1:-1]}
    if term.startswith("_:"):
        return {"@id": term}
    value, lang, datatype = split_literal(term)
    if lang:
        return {"@language": lang, "@value": value}
    if datatype:
        return {"@type": datatype, "@value": value}
    return {"@value": value}


def _jsonld_node(subject: str, props: list[tuple[str, list[str]]]) -> str:
    node: dict[str, object] = {"@id": subject[1:-1] if subject.startswith("<") else subject}
    for p, objects in props:
        if p == RDF_TYPE and all(o.startswith("<") for o in objects):
            node["@type"] = [o[1:-1] for o in objects]
        else:
            node[p[1:-1]] = [_jsonld_value(o) for o in objects]
    return json.dumps(node, ensure_ascii=False, separators=(", ", ": "))


def _jsonld_nodes(triples: Iterable[Triple]) -> Iterator[str]:
    subject = None
    props: list[tuple[str, list[str]]] = []
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                yield _jsonld_node(subject, props)
            subject, props = s, []
        if props and props[-1][0] == p:
            props[-1][1].append(o)
        else:
            props.append((p, [o]))
    if subject is not None:
        yield _jsonld_node(subject, props)


# ---------------------------------------------------------------------------------------- writers


class QuadWriter:
    """Base of the five writers: ``write_graphs`` whole graphs, then ``close``."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.statements = 0  # quads (named formats) or distinct triples (union formats) written

    def write_graphs(self, quads: Iterable[Quad]) -> None:
        for graph, triples in by_graph(quads):
            self.write_graph(graph, triples)

    def write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the document (the writer does not close ``out``)."""


class NQuadsWriter(QuadWriter):
    def write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        tail = f" {graph} .\n"
        self.out.write("".join(f"{s} {p} {o}{tail}" for s, p, o in triples).encode("utf-8"))
        self.statements += len(triples)


class TrigWriter(QuadWriter):
    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        self.abbrev = Abbreviator()
        out.write(self.abbrev.header().encode("utf-8"))

    def write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        body = "".join(turtle_subjects(triples, self.abbrev)).rstrip("\n")
        self.out.write(f"{graph} {{\n{body}\n}}\n\n".encode())
        self.statements += len(triples)


class JsonLdWriter(QuadWriter):
    """Expanded JSON-LD: an array of named graphs, one node object per line."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out)
        self._first = True
        out.write(b"[")

    def write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        nodes = ",\n".join(_jsonld_nodes(triples))
        sep = "\n" if self._first else ",\n"
        self._first = False
        self.out.write(f'{sep}{{"@id": {json.dumps(graph[1:-1], ensure_ascii=False)}, "@graph": [\n{nodes}\n]}}'
                       .encode())
        self.statements += len(triples)

    def close(self) -> None:
        self.out.write(b"\n]\n")


class UnionWriter(QuadWriter):
    """The union of all graphs as N-Triples or Turtle: sorted runs, merged without duplicates."""

    def __init__(self, out: BinaryIO, turtle: bool, run_size: int = RUN_SIZE,
                 tmp_dir: str | Path | None = None) -> None:
        super().__init__(out)
        self.turtle = turtle
        self.run_size = run_size
        self._tmp_dir = tmp_dir
        self._runs: list[Path] = []
        self._buffer: list[str] = []
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def write_graphs(self, quads: Iterable[Quad]) -> None:
        self._buffer.extend(f"{s} {p} {o} .\n" for s, p, o, _ in quads)
        if len(self._buffer) >= self.run_size:
            self._spill()

    def write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        self.write_graphs((s, p, o, graph) for s, p, o in triples)

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="kg-runs-", dir=self._tmp_dir)
        path = Path(self._dir.name) / f"run-{len(self._runs):06d}.nt"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(sorted(set(self._buffer)))
        self._runs.append(path)
        self._buffer = []

    def _lines(self) -> Iterator[str]:
        if not self._runs:
            yield from sorted(set(self._buffer))
            return
        if self._buffer:
            self._spill()
        handles = [path.open(encoding="utf-8", newline="\n") for path in self._runs]
        try:
            previous = None
            for line in heapq.merge(*handles):
                if line != previous:
                    yield line
                    previous = line
        finally:
            for handle in handles:
                handle.close()

    def close(self) -> None:
        try:
            if self.turtle:
                abbrev = Abbreviator()
                self.out.write(abbrev.header().encode("utf-8"))
                triples = (_split_ntriple(line) for line in self._counted(self._lines()))
                for block in _batched_text(turtle_subjects(triples, abbrev)):
                    self.out.write(block.encode("utf-8"))
            else:
                for block in _batched_text(self._counted(self._lines())):
                    self.out.write(block.encode("utf-8"))
        finally:
            if self._dir is not None:
                self._dir.cleanup()

    def _counted(self, lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            self.statements += 1
            yield line


def _batched_text(parts: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Join small strings into pieces of about ``size`` characters (fewer writes)."""
    batch: list[str] = []
    length = 0
    for part in parts:
        batch.append(part)
        length += len(part)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


def _split_ntriple(line: str) -> Triple:
    """``(s, p, o)`` of an N-Triples line written here (subject and predicate hold no space)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-3]  # " .\n"


def split_nquad(line: str) -> Quad:
    """``(s, p, o, g)`` of an N-Quads line written by :class:`NQuadsWriter`."""
    s, p, rest = line.split(" ", 2)
    o, g = rest[:-3].rsplit(" ", 1)
    return s, p, o, g


def open_writer(fmt: str, out: BinaryIO, tmp_dir: str | Path | None = None) -> QuadWriter:
    """The writer of ``fmt`` (a name of :data:`FORMATS`) on a binary stream."""
    if fmt == "nquads":
        return NQuadsWriter(out)
    if fmt == "trig":
        return TrigWriter(out)
    if fmt == "json-ld":
        return JsonLdWriter(out)
    if fmt in ("nt", "turtle"):
        return UnionWriter(out, turtle=fmt == "turtle", tmp_dir=tmp_dir)
    raise InputError(f"unknown output format {fmt!r}")


def serialize(quads: Iterable[Quad], fmt: str, named_graphs: bool | None = None) -> bytes:
    """All ``quads`` in one format, as bytes (for small graphs; builds stream through a writer)."""
    import io

    buffer = io.BytesIO()
    writer = open_writer(fmt, buffer)
    writer.write_graphs(quads)
    writer.close()
    return buffer.getvalue()


__all__ = ["FORMATS", "PREFIXES", "Abbreviator", "QuadWriter", "by_graph", "format_for", "open_writer",
           "serialize", "split_nquad"]
