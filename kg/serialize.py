"""Write quads as Turtle, TriG, N-Quads, N-Triples or JSON-LD, streaming and deterministic.

Quads are N-Triples text (:mod:`kg.terms`). A writer takes whole graphs, one article's at a time,
and writes them at once, so a corpus build holds one article in memory, not the corpus:

* **N-Quads, TriG, JSON-LD** keep the named graphs. Each graph is written as it comes, its
  statements sorted; a corpus build gives the articles in the order of their ids, then the
  background graphs. Article graphs never share a quad, so nothing needs merging.
* **JSON-LD** is compact, with the project's context (``ontology/context.jsonld``) embedded at the
  top of the file; :mod:`kg.jsonld` writes the nodes.
* **N-Triples, Turtle** hold the union of the graphs, where two articles may state the same
  triple. Triples are collected in sorted runs; a run that outgrows ``run_size`` goes to a
  temporary file, and the runs are merged, without duplicates, when the writer is closed.

The same quads in the same graph order give the same bytes, whoever made them (one process,
a pool, a Dask cluster). rdflib is not used here: its serialisers hold the whole graph as
objects and order by hashing; the five writers below follow the W3C grammars and are checked
against rdflib's and pyoxigraph's parsers in the tests.
"""
from __future__ import annotations

import gzip
import heapq
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg import iris
from kg.errors import InputError
from kg.terms import XSD, Quad, Triple

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


# ---------------------------------------------------------------------------------------- rendering


UNION_FORMATS = frozenset({"nt", "turtle"})


def _nquads(graphs: list[tuple[str, list[Triple]]]) -> str:
    return "".join(f"{s} {p} {o} {g} .\n" for g, triples in graphs for s, p, o in triples)


def _trig(graphs: list[tuple[str, list[Triple]]], abbrev: Abbreviator) -> str:
    out = []
    for g, triples in graphs:
        body = "".join(turtle_subjects(triples, abbrev)).rstrip("\n")
        out.append(f"{g} {{\n{body}\n}}\n\n")
    return "".join(out)


def _jsonld(graphs: list[tuple[str, list[Triple]]]) -> str:
    from kg.jsonld import default_context

    context = default_context()
    return ",\n".join(context.graph(g, triples) for g, triples in graphs)


_ABBREVIATOR: Abbreviator | None = None


def _abbreviator() -> Abbreviator:
    global _ABBREVIATOR
    if _ABBREVIATOR is None:
        _ABBREVIATOR = Abbreviator()
    return _ABBREVIATOR


@dataclass(frozen=True)
class Renderer:
    """Turns one article's quads into what the output needs of them; runs wherever the article was
    extracted (a pool worker, a Dask worker), so the process writing the file only copies bytes.

    For N-Quads, TriG and JSON-LD: the text of the article's graphs, UTF-8, as an independent gzip
    member when ``compress``. For N-Triples and Turtle: the article's distinct triples as sorted
    N-Triples lines (the writer merges them with every other article's).
    """

    fmt: str
    compress: bool = False

    def __call__(self, quads: Iterable[Quad]) -> bytes | str:
        if self.fmt in UNION_FORMATS:
            lines = sorted({f"{s} {p} {o} .\n" for s, p, o, _ in quads})
            return "".join(lines)
        graphs = by_graph(quads)
        if self.fmt == "nquads":
            text = _nquads(graphs)
        elif self.fmt == "trig":
            text = _trig(graphs, _abbreviator())
        elif self.fmt == "json-ld":
            text = _jsonld(graphs)
        else:
            raise InputError(f"unknown output format {self.fmt!r}")
        return self.encode(text)

    def encode(self, text: str) -> bytes:
        data = text.encode("utf-8")
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if self.compress and data else data


@dataclass(frozen=True)
class Spooled:
    """A payload left in a file by the process that rendered it: ``length`` bytes at ``offset``."""

    path: str
    offset: int
    length: int

    def copy_to(self, out: BinaryIO) -> None:
        """Append the bytes to ``out``: file to file in the kernel where it can (``copy_file_range``)."""
        out.flush()
        with open(self.path, "rb") as source:
            offset, left = self.offset, self.length
            try:
                target = out.fileno()
                while left:
                    copied = os.copy_file_range(source.fileno(), target, left, offset)
                    if copied == 0:
                        break
                    offset, left = offset + copied, left - copied
            except (AttributeError, OSError, io.UnsupportedOperation):
                pass  # no such call, another file system, or no file descriptor: copy through memory
            source.seek(offset)
            while left:
                block = source.read(min(left, 1 << 20))
                if not block:
                    raise OSError(f"{self.path}: {left} bytes missing")
                out.write(block)
                left -= len(block)


#: gzip level of compressed output: about 20 times smaller than N-Quads at some 180 MB/s
GZIP_LEVEL = 3


# ---------------------------------------------------------------------------------------- output


class Output:
    """The document being written: the header, then each article's rendered graphs in order, then
    the background's, then the end. ``close`` finishes it (it does not close ``out``)."""

    def __init__(self, fmt: str, out: BinaryIO, *, compress: bool = False, tmp_dir: str | Path | None = None,
                 run_size: int = RUN_SIZE) -> None:
        if fmt not in {name for name, _ in FORMATS.values()}:
            raise InputError(f"unknown output format {fmt!r}")
        self.fmt, self.out, self.compress = fmt, out, compress
        self.renderer = Renderer(fmt, compress)
        self.statements = 0  # quads (named-graph formats) or distinct triples (N-Triples, Turtle) written
        self._blocks = 0
        self._union = _SortedRuns(run_size, tmp_dir) if fmt in UNION_FORMATS else None
        if fmt == "trig":
            self._write(Abbreviator().header())
        elif fmt == "json-ld":
            from kg.jsonld import default_context

            self._write(default_context().header())

    def _write(self, text: str) -> None:
        self.out.write(self.renderer.encode(text))

    def add(self, payload: bytes | str | Spooled, statements: int) -> None:
        """One article's graphs, as :attr:`renderer` made them (or left them in a file)."""
        if isinstance(payload, Spooled):
            if self.fmt == "json-ld" and self._blocks:
                self._write(",\n")
            payload.copy_to(self.out)
            self._blocks += 1
            self.statements += statements
            return
        if not payload:
            return
        if self._union is not None:
            assert isinstance(payload, str)
            self._union.add(payload)
            return
        assert isinstance(payload, bytes)
        if self.fmt == "json-ld" and self._blocks:
            self._write(",\n")
        self.out.write(payload)
        self._blocks += 1
        self.statements += statements

    def add_quads(self, quads: Sequence[Quad]) -> None:
        """Graphs given as quads (reused in an update, the background): rendered here."""
        self.add(self.renderer(quads), len(quads))

    def close(self) -> None:
        if self.fmt == "json-ld":
            from kg.jsonld import FOOTER

            self._write(FOOTER)
        if self._union is None:
            return
        sink = gzip.GzipFile(filename="", mode="wb", fileobj=self.out, compresslevel=GZIP_LEVEL, mtime=0) \
            if self.compress else None
        out = sink or self.out
        try:
            lines = self._union.merged()
            if self.fmt == "turtle":
                abbrev = Abbreviator()
                out.write(abbrev.header().encode("utf-8"))
                pieces = turtle_subjects((_split_ntriple(line) for line in self._counted(lines)), abbrev)
            else:
                pieces = self._counted(lines)
            for block in _batched_text(pieces):
                out.write(block.encode("utf-8"))
        finally:
            if sink is not None:
                sink.close()
            self._union.cleanup()

    def _counted(self, lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            self.statements += 1
            yield line

    def cleanup(self) -> None:
        """Remove temporary runs now (``close`` does; this is for a build that stops before it)."""
        if self._union is not None:
            self._union.cleanup()


class _SortedRuns:
    """N-Triples lines kept sorted in runs; a run beyond ``run_size`` lines goes to a temporary file."""

    def __init__(self, run_size: int, tmp_dir: str | Path | None) -> None:
        self.run_size, self.tmp_dir = run_size, tmp_dir
        self._runs: list[Path] = []
        self._buffer: list[str] = []
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def add(self, lines: str) -> None:
        self._buffer.extend(line + "\n" for line in lines.split("\n")[:-1])
        if len(self._buffer) >= self.run_size:
            self._spill()

    def _sorted(self) -> Iterator[str]:
        previous = None
        for line in sorted(self._buffer):  # sorted runs of articles: timsort merges them
            if line != previous:
                yield line
                previous = line

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="kg-runs-", dir=self.tmp_dir)
        path = Path(self._dir.name) / f"run-{len(self._runs):06d}.nt"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(self._sorted())
        self._runs.append(path)
        self._buffer = []

    def merged(self) -> Iterator[str]:
        """Every line once, in order."""
        if not self._runs:
            yield from self._sorted()
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

    def cleanup(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


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


def serialize(quads: Iterable[Quad], fmt: str, named_graphs: bool | None = None) -> bytes:
    """All ``quads`` in one format, as bytes (for small graphs; builds stream through an :class:`Output`)."""
    import io

    buffer = io.BytesIO()
    output = Output(fmt, buffer)
    output.add_quads(list(quads))
    output.close()
    return buffer.getvalue()


def output_format(path: str | Path) -> tuple[str, bool]:
    """``(format, compressed)`` of an output file name: ``corpus.nq`` → nquads; ``corpus.nq.gz`` → nquads, gzip."""
    path = Path(path)
    if path.suffix.lower() == ".gz":
        return format_for(path.with_suffix(""))[0], True
    return format_for(path)[0], False


__all__ = ["FORMATS", "PREFIXES", "Abbreviator", "Output", "Renderer", "by_graph", "format_for", "output_format",
           "Spooled", "serialize", "split_nquad"]
