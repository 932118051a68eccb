"""SPARQL over a graph file: bundled named queries, ``.rq`` files or query text; results as a
table, CSV, TSV or W3C SPARQL 1.1 results JSON."""
from __future__ import annotations

import io
import unicodedata
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import QueryError

if TYPE_CHECKING:
    from kg.store import GraphStore

RESULT_FORMATS = ("table", "csv", "tsv", "json")


def bundled_queries() -> dict[str, str]:
    """Name → SPARQL text of every query shipped in ``kg/queries``."""
    folder = importlib_resources.files("kg") / "queries"
    out = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            out[entry.name[:-3]] = entry.read_text(encoding="utf-8")
    return dict(sorted(out.items()))


def resolve_query(query: str) -> str:
    """QUERY may be a bundled name, a path to a ``.rq`` file, or SPARQL text."""
    queries = bundled_queries()
    if query in queries:
        return queries[query]
    path = Path(query)
    try:
        is_file = len(query) < 256 and "\n" not in query and path.is_file()
    except (OSError, ValueError):  # text that cannot name a file (a name too long): not a file
        is_file = False
    if query.endswith(".rq") or is_file:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{query}: cannot read query file ({exc.strerror or exc})") from None
        except UnicodeDecodeError as exc:
            raise QueryError(f"{query}: a query file is UTF-8 text, and this is not (byte {exc.start})") from None
    if any(ch.isspace() or ch in "{}" for ch in query.strip()):  # SPARQL text (checked when it runs)
        return query
    raise QueryError(f"unknown bundled query {query!r}; bundled: {', '.join(queries)}")


def run_query(store: GraphStore, sparql: str, fmt: str = "table") -> str:
    """Run ``sparql`` on ``store`` (its default graph is the merge of the named graphs) and format
    the results."""
    import pyoxigraph as ox

    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    results = store.query(sparql)
    if isinstance(results, ox.QueryBoolean):
        value = bool(results)
        if fmt == "json":
            return '{"head":{},"boolean":%s}\n' % ("true" if value else "false")
        return f"{str(value).lower()}\n"
    if isinstance(results, ox.QueryTriples):
        return results.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    if fmt in ("json", "csv", "tsv"):
        target = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV}[fmt]
        text = results.serialize(format=target).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    names = [v.value for v in results.variables]
    rows = [[_plain(solution[name]) for name in names] for solution in results]
    return format_table(names, rows)


def _plain(term) -> str:  # type: ignore[no-untyped-def]
    return "" if term is None else str(term.value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table; CJK characters count as two columns."""
    widths = [_width(h) for h in header]
    for row in rows:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]
    out = io.StringIO()

    def line(cells: list[str]) -> None:
        out.write("  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n")

    line(header)
    line(["-" * w for w in widths])
    for row in rows:
        line(row)
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()
