"""Check a graph file against the SHACL shapes (``ontology/shapes.ttl``): ``kg validate``.

The file is read with pyoxigraph, which never fetches anything: a JSON-LD ``@context`` or
``@import`` that names a remote document is refused, so validating a file sends no request and
checks only what the file holds. The union of all its graphs, merged with the bundled ontology
(``ontology/summit.ttl`` and ``ontology/vocabularies.ttl``, so that ``sh:targetClass`` and
``sh:class`` follow ``rdfs:subClassOf`` and the SKOS vocabularies are there), is validated with
pyshacl, ``inference="none"``. Results of severity ``sh:Warning`` are reported but do not make the
graph non-conforming.

Importing this module is cheap: rdflib and pyshacl are imported when a file is validated.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, ResourceError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

#: Extension → the name of pyoxigraph's ``RdfFormat``.
FORMATS: dict[str, str] = {
    ".ttl": "TURTLE",
    ".trig": "TRIG",
    ".nq": "N_QUADS",
    ".nt": "N_TRIPLES",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
}

#: At most this many lines of violations in a report; the rest is counted.
MAX_LINES = 50

_SH = "http://www.w3.org/ns/shacl#"
_ID = "https://w3id.org/summit-kg/id/"
#: Prefixes for the report, besides kg.serialize.PREFIXES.
_EXTRA_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "sh": _SH,
    "shp": "https://w3id.org/summit-kg/shapes#",
    "summit": _ID + "summit/",
    "document": _ID + "document/",
    "participation": _ID + "participation/",
    "speech": _ID + "speech/",
    "post": _ID + "post/",
    "membership": _ID + "membership/",
    "article": _ID + "article/",
    "series": _ID + "series/",
}


def validate_file(path: str | Path | None, stage: Callable[[str], None] = lambda _: None,
                  store: str | Path | None = None) -> tuple[bool, str]:
    """``(conforms, report)`` of the graph file at ``path``, or of the store folder ``store``;
    ``InputError`` when it cannot be read. ``stage`` is told what is being done (for a progress display)."""
    from kg.resources import Resources

    resources = Resources()
    if (path is None) == (store is None):
        raise InputError("give a graph file or --store DIR (one of them)")
    stage(f"reading {path or store}")
    data = load_union(path) if store is None else load_store_union(
        store, [*resources.ontology_files, resources.shapes_file])
    for ontology in resources.ontology_files:
        _parse_bundled(data, ontology)
    shapes = _load_shapes(resources.shapes_file)
    stage(f"checking {len(data)} triples against the SHACL shapes")

    from pyshacl import validate

    conforms, results, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        inplace=True,  # ``data`` is our own merged copy
    )
    conforms = bool(conforms)
    return conforms, Report(shapes, results, _count_focus_nodes(shapes, data), data).text(conforms)


def load_union(path: str | Path) -> Graph:
    """The union of all graphs of the file, as one rdflib Graph.

    pyoxigraph parses the file (rdflib's JSON-LD parser would fetch a remote ``@context`` or
    ``@import``; pyoxigraph has no way to load a document, and refuses one that needs it), and the
    triples are given to rdflib, which pyshacl validates."""
    import pyoxigraph as ox

    from kg.store import FORMAT_NAMES, graph_file

    path, suffix = graph_file(path, FORMATS)
    name = FORMAT_NAMES[FORMATS[suffix]]
    union = _query_cache_graph()
    to_rdflib = _RdflibTerms(path)
    try:
        with path.open("rb") as handle:
            for quad in ox.parse(handle, format=getattr(ox.RdfFormat, FORMATS[suffix])):
                union.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        message = _one_line(exc)
        if _REMOTE_DOCUMENT in message:  # pyoxigraph's words for a remote @context or @import
            message = "it names a remote JSON-LD @context or @import, which is never fetched"
        raise InputError(f"{path}: does not parse as {name}: {message}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read ({_one_line(exc)})") from None
    if len(union) == 0:
        raise InputError(f"{path}: the graph is empty")
    return union


#: What pyoxigraph's JSON-LD parser says of a context it would have to load from elsewhere.
_REMOTE_DOCUMENT = "LoadDocumentCallback"


class _RdflibTerms:
    """pyoxigraph terms as rdflib terms; language tags in the case RFC 5646 recommends (pyoxigraph
    gives them in lower case), ``xsd:string`` literals plain, as rdflib's own parsers make them."""

    def __init__(self, path: Path) -> None:
        import pyoxigraph as ox
        import rdflib

        self.path = path  # for messages
        self.ox, self.rdflib = ox, rdflib
        self._iris: dict[str, Any] = {}

    def __call__(self, term: Any) -> Any:
        from kg.terms import XSD_STRING, language_case

        ox, rdflib = self.ox, self.rdflib
        if isinstance(term, ox.NamedNode):
            found = self._iris.get(term.value)
            if found is None:
                found = self._iris[term.value] = rdflib.URIRef(term.value)
            return found
        if isinstance(term, ox.Literal):
            if term.language:
                return rdflib.Literal(term.value, lang=language_case(term.language))
            datatype = term.datatype.value
            return rdflib.Literal(term.value) if datatype == XSD_STRING else \
                rdflib.Literal(term.value, datatype=self(term.datatype))
        if isinstance(term, ox.BlankNode):
            return rdflib.BNode(term.value)
        raise InputError(f"{self.path}: holds an RDF term that SHACL validation does not take: {str(term)[:200]}")


def load_store_union(directory: str | Path, ontology_files: list[Path]) -> Graph:
    """The merge of a store's named graphs, as one rdflib Graph, with the literals the store
    normalised restored: the datatype the ontology gives a property's values (a store keeps every
    XSD integer as ``xsd:integer``) and the case of language tags (a store keeps them lower case)."""
    import pyoxigraph as ox
    from rdflib import Graph as RdfGraph

    from kg.store import GraphStore
    from kg.terms import XSD, from_oxigraph, iri, literal

    ranges: dict[str, str] = {}  # property → the integer type the ontology or a shape gives its values
    paths: dict[str, str] = {}
    datatypes: dict[str, str] = {}
    for ontology in ontology_files:
        for quad in ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE):
            p, o = quad.predicate.value, quad.object
            if not isinstance(o, ox.NamedNode):
                continue
            if p == _RDFS_RANGE and o.value in _INTEGER_TYPES:
                ranges[quad.subject.value] = o.value
            elif p == _SH + "path":
                paths[str(quad.subject)] = o.value
            elif p == _SH + "datatype" and o.value in _INTEGER_TYPES:
                datatypes[str(quad.subject)] = o.value
    for shape, datatype in datatypes.items():
        if shape in paths:
            ranges.setdefault(paths[shape], datatype)
    graphs = GraphStore.open(directory, read_only=True)
    # a reified statement's rdf:object takes the datatype of its rdf:predicate's values
    reified = {str(quad.subject): ranges[quad.object.value] for quad in graphs.triples()
               if quad.predicate.value == _RDF_PREDICATE and quad.object.value in ranges}
    lines = []
    for quad in graphs.triples():
        o, p = quad.object, quad.predicate.value
        datatype = reified.get(str(quad.subject)) if p == _RDF_OBJECT else ranges.get(p)
        if datatype and isinstance(o, ox.Literal) and o.datatype.value == XSD + "integer":
            obj = literal(o.value, None, datatype)
        else:
            obj = from_oxigraph(o)
        lines.append(f"{from_oxigraph(quad.subject)} {iri(p)} {obj} .\n")
    union = _query_cache_graph()
    union.parse(data="".join(lines), format="nt")
    if len(union) == 0:
        raise InputError(f"{directory}: the store is empty")
    assert isinstance(union, RdfGraph)
    return union


_RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_RDF_PREDICATE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
_RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
_INTEGER_TYPES = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long", "int", "short",
    "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def _query_cache_graph() -> Graph:
    """An rdflib Graph whose ``query`` parses each distinct SPARQL text once.

    pyshacl runs a SHACL-SPARQL constraint once per focus node, passing the query as text;
    rdflib would parse it every time, which is ~99% of the cost (~25 s instead of ~2 s on one
    article with its ~400 evidence nodes). Prepared queries give the same results.
    """
    from rdflib import Graph
    from rdflib.plugins.sparql import prepareQuery

    prepared_queries: dict[str, Any] = {}

    class QueryCacheGraph(Graph):
        def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            init_ns = kwargs.get("initNs") if "initNs" in kwargs else (args[2] if len(args) > 2 else None)
            if isinstance(query_object, str) and not init_ns:
                if query_object not in prepared_queries:
                    prepared_queries[query_object] = prepareQuery(query_object)
                query_object = prepared_queries[query_object]
            return super().query(query_object, *args, **kwargs)

    return QueryCacheGraph()


def _parse_bundled(graph: Graph, path: Path) -> None:
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise ResourceError(f"bundled file missing: {path.name}") from None
    except Exception as exc:  # noqa: BLE001
        raise ResourceError(f"{path.name}: bundled Turtle does not parse ({_one_line(exc)})") from None


def _load_shapes(path: Path) -> Graph:
    from rdflib import Graph

    shapes = Graph()
    _parse_bundled(shapes, path)
    return shapes


def _count_focus_nodes(shapes: Graph, data: Graph) -> int:
    """How many distinct nodes the shapes' targets select in ``data`` (SHACL instances follow
    ``rdfs:subClassOf*``, as pyshacl does)."""
    from rdflib import RDF, RDFS, URIRef

    def sh(name: str) -> URIRef:
        return URIRef(_SH + name)

    nodes: set[Node] = set()
    for cls in set(shapes.objects(None, sh("targetClass"))):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for prop in set(shapes.objects(None, sh("targetSubjectsOf"))):
        nodes.update(data.subjects(prop, None))
    for prop in set(shapes.objects(None, sh("targetObjectsOf"))):
        nodes.update(data.objects(None, prop))
    nodes.update(shapes.objects(None, sh("targetNode")))
    return len(nodes)


class Report:
    """The readable text of a pyshacl results graph: results grouped by severity, shape and
    message, each with its focus nodes (and path and value where they help)."""

    #: Constraint components whose results carry no sh:value: the row lists the focus node's values.
    _COUNTS = ("MaxCountConstraintComponent", "QualifiedMaxCountConstraintComponent")

    def __init__(self, shapes: Graph, results: Graph, focus_nodes: int, data: Graph | None = None) -> None:
        from kg.serialize import PREFIXES

        self.data = data
        self.shapes = shapes
        self.results = results
        self.focus_nodes = focus_nodes
        self.prefixes = sorted({**PREFIXES, **_EXTRA_PREFIXES}.items(), key=lambda kv: -len(kv[1]))

    def text(self, conforms: bool) -> str:
        """``conforms: …`` or ``does not conform: …``, then the results, at most MAX_LINES lines
        of them and a count of the rest."""
        groups = self._groups()
        violations = sum(len(rows) for (severity, _, _), rows in groups.items() if severity == "Violation")
        others = sum(len(rows) for rows in groups.values()) - violations
        checked = f"{self.focus_nodes} focus node{'s' if self.focus_nodes != 1 else ''} checked"
        if conforms:
            head = f"conforms: {checked}"
            if others:
                head += f"; {_plural(others, 'warning')}"
        else:
            head = f"does not conform: {_plural(violations, 'violation')}"  # distinct rows below
            if others:
                head += f" and {_plural(others, 'warning')}"
            head += f" ({checked})"
        lines = [head]
        shown = 0
        total = sum(len(rows) for rows in groups.values())
        for (severity, shape, message), rows in groups.items():
            if len(lines) >= MAX_LINES:
                break
            lines.append(f"{severity}: {shape} ({len(rows)})")
            lines.append(f"  {message}")
            for row in rows:
                if len(lines) >= MAX_LINES:
                    break
                lines.append(f"    - {row}")
                shown += 1
        if shown < total:
            lines.append(f"… and {total - shown} more")
        return "\n".join(lines) + "\n"

    def _groups(self) -> dict[tuple[str, str, str], list[str]]:
        from rdflib import RDF, URIRef

        def sh(name: str) -> URIRef:
            return URIRef(_SH + name)

        groups: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for result in self.results.subjects(RDF.type, sh("ValidationResult")):
            value = self.results.value
            severity = str(value(result, sh("resultSeverity")) or sh("Violation")).rsplit("#", 1)[-1]
            source = value(result, sh("sourceShape"))
            path = value(result, sh("resultPath"))
            message = self._message(result) or self._component(value(result, sh("sourceConstraintComponent")))
            row = self.name(value(result, sh("focusNode")))
            if path is not None and not self._shape_has_path(source, path):
                row += f"  path {self.name(path)}"
            val = value(result, sh("value"))
            component = str(value(result, sh("sourceConstraintComponent")) or "")
            if val is not None and val != value(result, sh("focusNode")):
                row += f"  value {self.name(val)}"
            elif self.data is not None and isinstance(path, URIRef) and component.endswith(self._COUNTS):
                values = sorted(self.name(v) for v in self.data.objects(value(result, sh("focusNode")), path))
                row += f"  values {', '.join(values)}"
            groups[(severity, self._shape_name(source, path), message)].add(row)
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        return {key: sorted(groups[key]) for key in sorted(groups, key=lambda k: (order.get(k[0], 3), k[1], k[2]))}

    def _message(self, result: Any) -> str:
        """The English message of a result (else an untagged one, else any), on one line."""
        from rdflib import Literal, URIRef

        messages = sorted((m for m in self.results.objects(result, URIRef(_SH + "resultMessage"))
                           if isinstance(m, Literal)), key=lambda m: (_lang_rank(m.language), str(m)))
        return " ".join(str(messages[0]).split()) if messages else ""

    def _component(self, component: Any) -> str:
        if component is None:
            return "constraint not met"
        return f"{self.name(component)} not met"

    def _shape_has_path(self, shape: Any, path: Any) -> bool:
        from rdflib import URIRef

        return shape is not None and self.shapes.value(shape, URIRef(_SH + "path")) == path

    def _shape_name(self, shape: Any, path: Any) -> str:
        """``shp:SummitShape › skos:prefLabel`` for a property shape of one node shape, the
        property shape's own name (and path) when it is shared, the node shape's name else."""
        from rdflib import BNode, URIRef

        if shape is None:
            return "(unknown shape)"
        own_path = self.shapes.value(shape, URIRef(_SH + "path"))
        if own_path is None and not isinstance(shape, BNode):
            return self.name(shape)
        shown_path = self.name(own_path if own_path is not None else path) if (own_path, path) != (None, None) else ""
        parents = sorted({p for p in self.shapes.subjects(URIRef(_SH + "property"), shape) if not isinstance(p, BNode)},
                         key=str)
        if len(parents) == 1:
            base = self.name(parents[0])
        else:
            base = "" if isinstance(shape, BNode) else self.name(shape)
        return " › ".join(part for part in (base, shown_path) if part) or "(anonymous shape)"

    def name(self, node: Any) -> str:
        """A prefixed name where a known namespace fits, the N-Triples form else; long literals cut."""
        from rdflib import BNode, Literal, URIRef

        if isinstance(node, URIRef):
            iri = str(node)
            for prefix, ns in self.prefixes:
                if iri.startswith(ns) and len(iri) > len(ns):
                    return f"{prefix}:{iri[len(ns):]}"
            return f"<{iri}>"
        if isinstance(node, Literal):
            text = node.n3(self.results.namespace_manager)
            return text if len(text) <= 80 else text[:77] + "…"
        if isinstance(node, BNode):
            return "[]"
        return str(node)


def _lang_rank(lang: str | None) -> int:
    if lang and (lang.lower() == "en" or lang.lower().startswith("en-")):
        return 0
    return 1 if not lang else 2


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "…"
