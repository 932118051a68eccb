"""One query's answer as bytes: run it on a :class:`kg.store.GraphStore` and serialise the result in
a named format (:mod:`kg.serve.formats`), refusing results of more than ``max_rows`` rows.

The limit is an error, never a cut-off answer. Rows are counted exactly while the result is
written, and the work stops as soon as the limit is passed:

* TSV has one line per row (line breaks inside values are escaped), XML one ``<result>`` element
  (``<`` inside values is escaped): counted exactly as they are written;
* JSON and CSV are written directly while an upper bound of the rows is counted (see
  :data:`_ROWS`); only when that bound passes the limit does the query run again, as TSV, counted
  exactly and converted by pyoxigraph's result parser (lossless: every term of TSV is in
  N-Triples syntax);
* a graph (CONSTRUCT, DESCRIBE) is counted triple by triple, then serialised; Turtle and RDF/XML
  with the project's prefixes (those it uses, up to 10,000 triples).
"""
from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError, one_line

if TYPE_CHECKING:
    from kg.store import GraphStore

_RESULT_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
_GRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}


class ResultTooLarge(QueryError):
    """A result with more rows (or triples) than the endpoint answers."""


@dataclass(frozen=True)
class Answer:
    """Serialised result: its bytes, its rows (triples for a graph, None for ASK) and the form."""

    body: bytes
    rows: int | None
    form: str


def answer(store: GraphStore, query: str, fmt: str, *, max_rows: int, default_graph: list[str] | None = None,
           named_graphs: list[str] | None = None) -> Answer:
    """Run ``query`` and serialise its result as ``fmt`` (a name of :mod:`kg.serve.formats`).

    Raises what :meth:`GraphStore.query` raises, :class:`ResultTooLarge` past ``max_rows``, and
    :class:`QueryError` when the engine fails while the result is read or ``fmt`` does not fit
    the result."""
    import pyoxigraph as ox

    results = store.query(query, default_graph=default_graph, named_graphs=named_graphs)
    if isinstance(results, ox.QueryBoolean):
        if fmt not in _RESULT_FORMATS:
            raise QueryError(f"an ASK result cannot be written as {fmt}")
        return Answer(results.serialize(format=getattr(ox.QueryResultsFormat, _RESULT_FORMATS[fmt])), None, "ASK")
    if isinstance(results, ox.QueryTriples):
        if fmt not in _GRAPH_FORMATS:
            raise QueryError(f"a graph (CONSTRUCT, DESCRIBE) cannot be written as {fmt}")
        return _graph(results, fmt, max_rows)
    if fmt not in _RESULT_FORMATS:
        raise QueryError(f"a SELECT result cannot be written as {fmt}")
    return _solutions(results, fmt, max_rows,
                      lambda: store.query(query, default_graph=default_graph, named_graphs=named_graphs))


def graph_format(name: str) -> Any:
    """pyoxigraph's ``RdfFormat`` of a graph format's name."""
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, _GRAPH_FORMATS[name])


def _solutions(results: Any, fmt: str, max_rows: int, rerun: Callable[[], Any]) -> Answer:
    import pyoxigraph as ox

    target = getattr(ox.QueryResultsFormat, _RESULT_FORMATS[fmt])
    pattern, extra, exact = _ROWS[fmt]
    counter = _Counter(pattern, max_rows + extra, max_rows)
    try:
        _write(results, counter, target)
    except ResultTooLarge:
        if exact or counter.size > MAX_BYTES:
            raise
        return _through_tsv(rerun(), target, max_rows)  # perhaps values that look like rows
    body = counter.getvalue()
    rows = counter.count - extra
    if fmt == "json":
        if not body.startswith(b'{"head":{"vars":['):  # not the compact layout counted here
            return _through_tsv(rerun(), target, max_rows)
        if body.endswith(b'"bindings":[]}}'):
            rows = 0
    return Answer(body, rows, "SELECT")


#: Format → (pattern, count of it minus rows, whether the count is exact). TSV has one line per
#: row after the header (line breaks in values are escaped); XML one ``<result>`` per row (``<``
#: in values is escaped). In compact SPARQL JSON each row after the first starts with ``,{``
#: (outside strings nothing else does); in CSV each row ends with CRLF; a value containing ``,{``
#: or CRLF adds to those two counts, so they are upper bounds of the rows.
_ROWS = {"tsv": (b"\n", 1, True), "xml": (b"<result>", 0, True), "json": (b",{", -1, False),
         "csv": (b"\r\n", 1, False)}


def _through_tsv(results: Any, target: Any, max_rows: int) -> Answer:
    """Rows counted exactly as TSV, then converted by pyoxigraph's result parser."""
    import pyoxigraph as ox

    tsv = _solutions(results, "tsv", max_rows, lambda: None)
    body = ox.parse_query_results(tsv.body, ox.QueryResultsFormat.TSV).serialize(format=target)
    return Answer(body, tsv.rows, "SELECT")


def _write(results: Any, counter: _Counter, target: Any) -> None:
    try:
        results.serialize(counter, format=target)
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: the engine failed evaluating
        if counter.exceeded:
            raise ResultTooLarge(counter.message) from None
        raise QueryError(f"query failed: {one_line(exc)}") from None


def _graph(results: Any, fmt: str, max_rows: int) -> Answer:
    import pyoxigraph as ox

    from kg.sparql import PREFIXES

    triples = []
    try:
        for triple in results:
            triples.append(triple)
            if len(triples) > max_rows:
                raise ResultTooLarge(_too_many(max_rows, "triples"))
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {one_line(exc)}") from None
    target = getattr(ox.RdfFormat, _GRAPH_FORMATS[fmt])
    if fmt in ("turtle", "rdfxml"):
        prefixes = PREFIXES
        if len(triples) <= _FEW_TRIPLES:  # only the prefixes it uses; a large graph gets them all (faster)
            plain = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            prefixes = {name: ns for name, ns in PREFIXES.items() if b"<" + ns.encode() in plain}
        options = {"prefixes": prefixes}
    else:
        options = {}
    sink = _Counter(b"\n", sys.maxsize, max_rows)  # the triples are counted above; this bounds the bytes
    try:
        ox.serialize(triples, sink, format=target, **options)
    except OSError:
        if sink.exceeded:
            raise ResultTooLarge(sink.message) from None
        raise
    return Answer(sink.getvalue(), len(triples), "GRAPH")


_FEW_TRIPLES = 10_000


class _Counter(io.RawIOBase):
    """A binary sink that keeps what pyoxigraph writes and counts ``pattern`` (which cannot overlap
    itself); writing fails once the count passes ``limit`` (the serialiser then stops, and the
    query with it)."""

    def __init__(self, pattern: bytes, limit: int, max_rows: int) -> None:
        super().__init__()
        self.pattern = pattern
        self.limit = limit
        self.count = 0
        self.size = 0
        self.exceeded = False
        self.message = _too_many(max_rows, "rows")
        self._chunks: list[bytes] = []
        self._keep = len(pattern) - 1
        self._tail = b""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        # a pattern split between two chunks is found in the tail (shorter than a pattern) + chunk
        joined = self._tail + chunk if self._tail else chunk
        self.count += joined.count(self.pattern)
        self._tail = joined[len(joined) - self._keep:] if self._keep else b""
        self.size += len(chunk)
        if self.count > self.limit or self.size > MAX_BYTES:
            self.exceeded = True
            if self.size > MAX_BYTES:
                self.message = (f"the result is larger than {MAX_BYTES >> 20} MiB, the most this endpoint returns; "
                                "add LIMIT (and OFFSET to page) or select shorter values")
            raise OSError(self.message)
        self._chunks.append(chunk)
        return len(chunk)

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)


#: Largest answer body: a few rows of huge values (CONCAT doubling a string 30 times) would
#: otherwise take gigabytes in the worker and the server.
MAX_BYTES = 256 << 20


def _too_many(max_rows: int, what: str) -> str:
    return (f"the result has more than {max_rows:,} {what}, the most this endpoint returns; "
            "add LIMIT (and OFFSET to page) or narrow the query")


