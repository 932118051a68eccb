"""Graphs for SPARQL: a pyoxigraph store whose default graph is the RDF merge of its named graphs.

A graph file from ``kg build`` keeps each article's statements in the article's named graphs and
the background knowledge in the reference graph, so one fact may sit in several graphs (the
reference and an article, or three articles reporting one summit). SPARQL's default graph is
what queries without ``GRAPH`` read; a *union* of the graphs would return such a fact once per
graph. Here the default graph is the **merge**: every triple of every named graph, once. It is
kept in the store beside the named graphs (loading adds it, replacing an article's graphs removes
what no other graph still states), so queries read it at the engine's full speed and
``GRAPH ?g { … }`` still tells which graph says what.

:class:`GraphStore` is that store, in memory (a graph file given to ``kg query``, ``kg stats``…)
or on disk (``kg load GRAPH… --store DIR``: Oxigraph's RocksDB store). Loading a file whose named
graphs are already in the store replaces them, so loading an article's new graph again updates
it. Triples outside any named graph (a ``.ttl``, ``.nt``, a TriG's default graph) go, in a store on
disk, to the graph ``…/graph/file/<file name>-<hash of its path>``, so that loading the file again
replaces them too.

Oxigraph keeps some literals in a canonical form: integers of any XSD integer type become
``xsd:integer`` and language tags lower case. Published graphs therefore stay the output of
``kg build``, never a dump of a store; :mod:`kg.validate` restores the ontology's datatypes when it
reads a store.
"""
from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg import iris
from kg.errors import InputError, QueryError, one_line

#: Extension → pyoxigraph RdfFormat name; ``.gz`` may follow any of them.
FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD",
           ".json": "JSON_LD"}
_QUAD_FORMATS = {"TRIG", "N_QUADS", "JSON_LD"}
#: RdfFormat name → the format's own name, for messages
FORMAT_NAMES = {"TURTLE": "Turtle", "TRIG": "TriG", "N_QUADS": "N-Quads", "N_TRIPLES": "N-Triples",
                "JSON_LD": "JSON-LD"}

MARKER = "summit-kg-store.json"
STORE_FORMAT = 1


def graph_file(path: str | Path, formats: dict[str, str] = FORMATS) -> tuple[Path, str]:
    """Check that ``path`` is an existing graph file with one of ``formats``' extensions (a
    ``.gz`` after it is allowed when ``formats`` is this module's); ``(path, extension)``."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix not in formats:
        known = ", ".join(sorted(formats))
        raise InputError(f"{path}: unknown graph format {suffix or '(none)'!r}; use one of {known}")
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
    return path, suffix


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = path.with_suffix("").suffix.lower()
    return suffix


@dataclass(frozen=True)
class Loaded:
    """What loading one file did: graphs new to the store, graphs replaced, quads read."""

    path: str
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    quads: int


class GraphStore:
    """A pyoxigraph ``Store`` whose default graph is the merge of its named graphs."""

    def __init__(self, store: Any, location: Path | None = None, writable: bool = True) -> None:
        self.store = store
        self.location = location
        self.writable = writable

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def memory(cls) -> GraphStore:
        import pyoxigraph as ox

        return cls(ox.Store())

    @classmethod
    def from_file(cls, path: str | Path) -> GraphStore:
        """A store in memory holding one graph file; one-line :class:`InputError` when it cannot."""
        graphs = cls.memory()
        graphs.load(path)
        if next(iter(graphs.triples()), None) is None:
            raise InputError(f"{path}: the graph is empty")
        return graphs

    @classmethod
    def open(cls, directory: str | Path, *, create: bool = False, read_only: bool = False) -> GraphStore:
        """The store on disk at ``directory`` (made when ``create``); :class:`InputError` when the
        folder is not a summit-kg store or another process holds it."""
        import pyoxigraph as ox

        directory = Path(directory)
        marker = directory / MARKER
        if directory.exists() and not directory.is_dir():
            raise InputError(f"{directory}: not a folder (a store is a folder made by kg load --store)")
        if not marker.is_file():
            if not create:
                what = "no such folder" if not directory.exists() else "not a summit-kg store (made by kg load --store)"
                raise InputError(f"{directory}: {what}")
            if directory.exists() and any(directory.iterdir()):
                raise InputError(f"{directory}: the folder is not empty and not a summit-kg store; "
                                 "give a new or empty folder")
        try:
            if not marker.is_file():
                directory.mkdir(parents=True, exist_ok=True)
                store = ox.Store(str(directory))
                _write_marker(marker, {"format": STORE_FORMAT, "files": {}})
            else:
                loading = _check_marker(marker).get("loading")
                if loading and read_only:
                    raise InputError(f"{directory}: a kg load of {loading} did not finish, so the store is "
                                     "incomplete; load that file again")
                store = ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
        except OSError as exc:
            reason = " ".join(str(exc).split())
            if "lock" in reason.lower():
                reason = "another process (kg load, kg serve…) has it open for writing"
            raise InputError(f"{directory}: cannot open the store: {reason}") from None
        return cls(store, directory, writable=not read_only)

    # -- loading ---------------------------------------------------------------------------

    def load(self, path: str | Path) -> Loaded:
        """Add one graph file, replacing the named graphs the store already has by the file's."""
        import pyoxigraph as ox

        if not self.writable:
            raise InputError(f"{self.location}: the store is open read-only")
        path, suffix = graph_file(path)
        fmt = getattr(ox.RdfFormat, FORMATS[suffix])
        graphs, quads = self._read_graphs(path, fmt)
        default = ox.DefaultGraph()
        # on disk, triples outside any named graph (a .ttl, or a TriG's default graph) go to the
        # file's own graph, so that loading the file again replaces them; in memory they stay
        target = None
        if self.location is not None and default in graphs:
            target = ox.NamedNode(f"{iris.GRAPH}file/{iris.slug(path.name)}-{iris.short_hash(path.resolve())[:8]}")
            graphs = (graphs - {default}) | {target}
        present = set(self.store.named_graphs())
        replaced = sorted((g for g in graphs if g in present), key=str)
        named = sorted((g for g in graphs if not isinstance(g, ox.DefaultGraph)), key=str)
        if self.location is not None:
            self._mark_loading(path)
        try:
            if replaced:
                self.store.update(_DROP_MERGED.replace("VALUES_GRAPHS", _values(replaced))
                                  .replace("LIST_GRAPHS", _values(replaced, ", ")))
                for graph in replaced:
                    self.store.remove_graph(graph)
            if self.location is None:  # in memory: one transaction, then the merge of the new graphs
                with _open(path) as handle:
                    self.store.load(handle, format=fmt)
                if named:
                    self.store.update(_ADD_MERGED.replace("VALUES_GRAPHS", _values(named)))
            else:  # on disk: Oxigraph's bulk loader (sorted files straight into RocksDB), several times faster
                with _open(path) as handle:
                    if target is None:
                        self.store.bulk_load(handle, format=fmt)
                    else:
                        self.store.bulk_extend(q if q.graph_name != default else
                                               ox.Quad(q.subject, q.predicate, q.object, target)
                                               for q in ox.parse(handle, format=fmt))
                # the merge from the quads as stored (the loader gives blank nodes their own ids),
                # one graph read at a time
                self.store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for graph in named
                                       for q in list(self.store.quads_for_pattern(None, None, None, graph)))
        except (OSError, ValueError, SyntaxError) as exc:
            dropped = f"; its {len(replaced)} graphs already in the store were removed: load it again" \
                if replaced else ""
            raise InputError(f"{path}: cannot load ({one_line(exc)}){dropped}") from None
        if self.location is not None:
            self._record(path, graphs)
        return Loaded(str(path), tuple(str(g) for g in sorted(set(graphs) - set(replaced), key=str)),
                      tuple(str(g) for g in replaced), quads)

    def _read_graphs(self, path: Path, fmt: Any) -> tuple[set[Any], int]:
        """The graph names of the file and its number of quads: a first pass that also proves the
        whole file parses before the store changes."""
        import pyoxigraph as ox

        names: set[Any] = set()
        count = 0
        try:
            with _open(path) as handle:
                for quad in ox.parse(handle, format=fmt):
                    names.add(quad.graph_name)
                    count += 1
        except SyntaxError as exc:
            raise InputError(f"{path}: does not parse as {FORMAT_NAMES[FORMATS[_suffix(path)]]}: "
                             f"{one_line(exc)}") from None
        except (OSError, EOFError, ValueError) as exc:
            raise InputError(f"{path}: cannot read ({one_line(exc)})") from None
        return names, count

    def _mark_loading(self, path: Path) -> None:
        """Say in the marker which file is being loaded, until :meth:`_record` says it was: a load
        stopped half-way (Ctrl-C, a full disk) is then told, not served."""
        assert self.location is not None
        marker = self.location / MARKER
        data = _check_marker(marker)
        data["loading"] = str(path.resolve())
        _write_marker(marker, data)

    def _record(self, path: Path, graphs: set[Any]) -> None:
        assert self.location is not None
        marker = self.location / MARKER
        data = _check_marker(marker)
        data.pop("loading", None)
        data["files"][str(path.resolve())] = sorted(str(g) for g in graphs)
        _write_marker(marker, data)

    # -- reading ---------------------------------------------------------------------------

    def add_nquads(self, data: bytes) -> None:
        """Add N-Quads text (as ``kg build`` writes it) to a store in memory, and its graphs to the merge."""
        import pyoxigraph as ox

        if self.location is not None:
            raise InputError(f"{self.location}: N-Quads text is added to a store in memory; load files with kg load")
        self.store.load(data, format=ox.RdfFormat.N_QUADS)
        named = sorted(self.store.named_graphs(), key=str)
        if named:
            self.store.update(_ADD_MERGED.replace("VALUES_GRAPHS", _values(named)))

    def query(self, text: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None, substitutions: dict[Any, Any] | None = None) -> Any:
        """Run a checked query (:func:`kg.sparql.check`) with the predeclared prefixes; pyoxigraph's
        result object. ``default_graph`` / ``named_graphs``: the dataset by graph IRIs (SPARQL
        protocol's ``default-graph-uri`` / ``named-graph-uri``: named graphs alone leave the default
        graph empty, as the protocol says); by default the merge and every named graph."""
        import pyoxigraph as ox

        from kg.sparql import PREFIXES, check, syntax_message

        check(text)
        options: dict[str, Any] = {}
        if default_graph or named_graphs:  # a dataset given: its default graph is the merge of default_graph
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph or ()]  # (none: empty)
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            options["substitutions"] = substitutions
        try:
            return self.store.query(text, prefixes=PREFIXES, **options)
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, text)) from None
        except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: the engine failed evaluating
            raise QueryError(f"query failed: {one_line(exc)}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def graph_size(self, graph: str | None) -> int:
        """Quads in one named graph, or (None) triples in the merge."""
        import pyoxigraph as ox

        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, name))

    def triple_count(self) -> int:
        return self.graph_size(None)

    def triples(self) -> Iterator[Any]:
        """The merge: every distinct triple, as pyoxigraph quads of the default graph."""
        import pyoxigraph as ox

        return self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())

    def files(self) -> dict[str, list[str]]:
        """Loaded file → its graphs (a store on disk only)."""
        if self.location is None:
            return {}
        return dict(_check_marker(self.location / MARKER)["files"])


def open_graph(graph: str | None, store: str | None) -> GraphStore:
    """What a command reads: a graph file (into memory) or a store folder (read-only)."""
    if (graph is None) == (store is None):
        raise InputError("give a graph file or --store DIR (one of them)")
    if store is not None:
        return GraphStore.open(store, read_only=True)
    assert graph is not None
    return GraphStore.from_file(graph)


def load_store(path: str | Path) -> GraphStore:
    """A graph file in memory (kept for callers of the earlier name)."""
    return GraphStore.from_file(path)


# The merge kept by two updates over the named graphs just dropped or just loaded. VALUES lists
# graph names written by pyoxigraph's own N-Triples term serialiser (``_values``), never text.
_DROP_MERGED = """
DELETE { ?s ?p ?o } WHERE {
  VALUES ?g { VALUES_GRAPHS }
  GRAPH ?g { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER(?other NOT IN (LIST_GRAPHS)) }
}"""
_ADD_MERGED = """
INSERT { ?s ?p ?o } WHERE { VALUES ?g { VALUES_GRAPHS } GRAPH ?g { ?s ?p ?o } }"""


def _values(graphs: list[Any], separator: str = " ") -> str:
    return separator.join(str(g) for g in graphs)


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as handle:
            yield handle
    else:
        with path.open("rb") as handle:
            yield handle


def _check_marker(marker: Path) -> dict[str, Any]:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{marker.parent}: cannot read {MARKER} ({one_line(exc)})") from None
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT or not isinstance(data.get("files"), dict):
        raise InputError(f"{marker.parent}: {MARKER} is not a summit-kg store description of format {STORE_FORMAT}")
    return data


def _write_marker(marker: Path, data: dict[str, Any]) -> None:
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, marker)


__all__ = ["FORMATS", "GraphStore", "Loaded", "graph_file", "load_store", "open_graph"]
