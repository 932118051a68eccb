"""SPARQL over a graph file: bundled named queries, ``.rq`` files or query text; results as a
table (for reading: IRIs left out, as wide as the terminal), CSV, TSV or W3C SPARQL 1.1 results
JSON (every value whole)."""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def run_query(store: GraphStore, sparql: str, fmt: str = "table", *, width: int | None = None,
              iris: bool = False) -> str:
    """Run ``sparql`` on ``store`` (its default graph is the merge of the named graphs) and format
    the results.

    CSV, TSV and JSON give every value whole. A table is for reading (:func:`format_table`): its
    columns whose values are all IRIs are left out unless ``iris`` (or unless every column is
    one), IRIs shown in mixed columns as prefixed names (``state:CN``), and it is at most ``width``
    columns wide (None: no limit), cells cut with ``…``."""
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
    solutions = [[solution[name] for name in names] for solution in results]
    return results_table(names, solutions, width=width, iris=iris)


def results_table(names: list[str], solutions: list[list[Any]], *, width: int | None = None,
                  iris: bool = False) -> str:
    """The table of query solutions (pyoxigraph terms, None for unbound): see :func:`run_query`."""
    nodes = [_node_column([row[i] for row in solutions]) for i in range(len(names))]
    keep = [i for i in range(len(names)) if iris or all(nodes) or not nodes[i]]
    hidden = [names[i] for i in range(len(names)) if i not in keep]
    compact = _compactor()
    rows = [[_cell(row[i], compact) for i in keep] for row in solutions]
    notes = [f"IRI column{'s' if len(hidden) != 1 else ''} {', '.join(hidden)} hidden: --iris shows "
             f"{'them' if len(hidden) != 1 else 'it'}"] if hidden else []
    return format_table([names[i] for i in keep], rows, width=width, notes=notes)


def _node_column(values: list[Any]) -> bool:
    """Whether a column holds nodes only (IRIs or blank nodes, some bound)."""
    import pyoxigraph as ox

    bound = [v for v in values if v is not None]
    return bool(bound) and all(isinstance(v, (ox.NamedNode, ox.BlankNode)) for v in bound)


def _compactor() -> Callable[[str], str]:
    """IRI → a prefixed name with the longest of the predeclared namespaces (``state:CN``), else ``<IRI>``."""
    from kg.sparql import PREFIXES

    namespaces = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def compact(value: str) -> str:
        for prefix, namespace in namespaces:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return f"<{value}>"

    return compact


#: Characters that would break a table's line (line and paragraph separators, tabs…): a space each.
_BREAKS = {ord(ch): " " for ch in "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"}


def _cell(term: Any, compact: Callable[[str], str]) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value).translate(_BREAKS)


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


#: A column is not cut narrower than this (or its own width, when less).
MIN_COLUMN = 6
_GAP = 2  # spaces between columns


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns: cut, ending with ``…``, when it is wider."""
    if _width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        if used + _char_width(ch) > width - 1:
            break
        kept.append(ch)
        used += _char_width(ch)
    return "".join(kept) + "…"


def fit_widths(headers: list[int], cells: list[int], width: int | None) -> list[int]:
    """Column widths whose table (2 spaces between columns) is at most ``width`` wide, given the
    width of each column's header and of its widest cell. Headers wider than their cells are cut
    first (to :data:`MIN_COLUMN`); then the widest columns are narrowed, to one common width, none
    below :data:`MIN_COLUMN` (or its own width), so a table of many columns may stay wider."""
    natural = [max(h, c) for h, c in zip(headers, cells, strict=True)]
    gaps = _GAP * max(len(natural) - 1, 0)
    if width is None or sum(natural) + gaps <= width:
        return natural
    budget = width - gaps
    widths = [max(c, min(h, MIN_COLUMN)) for h, c in zip(headers, cells, strict=True)]
    if sum(widths) > budget:
        widths = _capped(widths, budget)
    spare = budget - sum(widths)
    for i, w in enumerate(natural):  # what is left goes to the columns cut, one each, left to right
        if spare <= 0:
            break
        if widths[i] < w:
            widths[i] += 1
            spare -= 1
    return widths


def _capped(widths: list[int], budget: int) -> list[int]:
    """Each width at most the largest common cap whose total is within ``budget``, none below
    :data:`MIN_COLUMN` (or itself)."""
    floors = [min(w, MIN_COLUMN) for w in widths]

    def total(cap: int) -> int:
        return sum(max(min(w, cap), f) for w, f in zip(widths, floors, strict=True))

    low, high = 0, max(widths)  # the widest common cap that fits: total(low) <= budget < total(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if total(middle) <= budget else (low, middle)
    return [max(min(w, low), f) for w, f in zip(widths, floors, strict=True)]


def format_table(header: list[str], rows: list[list[str]], *, width: int | None = None,
                 notes: Sequence[str] = ()) -> str:
    """An aligned plain-text table, at most ``width`` columns wide when it can be (cells cut with
    ``…``; see :func:`fit_widths`); CJK characters count as two columns. Below the rows a line for
    each of ``notes`` and one when cells were cut; the last line counts the rows."""
    headers = [_width(h) for h in header]
    cells = [0] * len(header)
    for row in rows:
        cells = [max(w, _width(c)) for w, c in zip(cells, row, strict=True)]
    natural = [max(h, c) for h, c in zip(headers, cells, strict=True)]
    widths = fit_widths(headers, cells, width)
    out = io.StringIO()

    def line(cells: list[str]) -> None:
        cells = [_cut(c, w) for c, w in zip(cells, widths, strict=True)]
        out.write("  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n")

    line(header)
    line(["-" * w for w in widths])
    for row in rows:
        line(row)
    said = [*notes]
    if widths != natural:
        said.append(f"cells cut to fit {width} columns: --format csv, tsv or json gives them whole")
    for note in said:
        out.write(_cut(note[0].upper() + note[1:] + ".", width or _width(note) + 1) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()
