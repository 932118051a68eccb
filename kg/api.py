"""The Python API: build a graph in one line, query it in another.

    >>> import kg
    >>> g = kg.build("上海合作组织成员国元首理事会第二十次会议11月10日以视频方式举行。"
    ...              "国家主席习近平在北京出席会议并发表重要讲话。", published="2020-11-11")
    >>> [row["label"] for row in g.query("attendees")]
    ['中国', '习近平']
    >>> [(row["label"], row["startDate"], row["format"]) for row in g.query("summits")]
    [('上海合作组织成员国元首理事会第二十次会议', datetime.date(2020, 11, 10), 'video')]
    >>> g.query('SELECT ?name WHERE { [] a skg:Person ; skos:prefLabel ?name '
    ...         'FILTER(langMatches(lang(?name), "zh-Hans")) } ORDER BY ?name')
    [{'name': '习近平'}, {'name': '吉约索夫'}, {'name': '诺罗夫'}]
    >>> from pyoxigraph import NamedNode
    >>> summit = NamedNode(g.query("summits")[0]["summit"])
    >>> g.query("SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(lang(?label) = 'en') }", s=summit)
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'s': 'https://w3id.org/summit-kg/id/summit/sco/heads-of-state/20',
      'label': '20th Meeting of the SCO Council of Heads of State'}]
    >>> g.query("ASK { ?s skg:ordinal 20 }")
    True
    >>> g.validate().conforms
    True

:func:`build` takes what ``kg build`` takes (files and folders of articles) or the text of one
article, and goes through the same code path as the command line (:func:`kg.corpus.build_corpus`
with the same executors); :func:`load` opens a graph file or a store folder. Both give a
:class:`Graph`: the named graphs kept, queried through their RDF merge (set semantics: a fact held
in two graphs is one row), exposed as a pyoxigraph store (:attr:`Graph.oxigraph`) and as an
rdflib ``Dataset`` (:meth:`Graph.rdflib`).
"""
from __future__ import annotations

import datetime
import decimal
import gzip
import io
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Union

from kg.errors import InputError, KGError, QueryError

if TYPE_CHECKING:  # pragma: no cover
    from kg.corpus import ArticleOutcome
    from kg.store import GraphStore

PathLike = Union[str, "os.PathLike[str]"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class ArticleWarning(UserWarning):
    """An article of a :func:`build` failed (the graph holds the others, :attr:`Graph.failed`), or
    no summit was found in it (as ``kg build`` warns)."""


def build(articles: PathLike | Sequence[PathLike] | str, /, *, published: str | None = None,
          title: str | None = None, id: str | None = None, source: str | None = None,  # noqa: A002
          url: str | None = None, language: str | None = None, encoding: str | None = None,
          jobs: int | None = 1, segmenter: str = "jieba", max_chars: int | None = None) -> Graph:
    """Build a graph from the text of one article, or from files and folders of articles.

    ``articles`` is read as the text of an article when it is a ``str`` that holds a line break or
    a CJK character and names no existing file; a ``str`` or ``os.PathLike`` otherwise names a
    ``.txt`` file or a folder of them, and a list may mix both kinds of path. ``published``
    (YYYY-MM-DD), ``title``, ``id``, ``source``, ``url`` and ``language`` are the meta fields of
    a text (checked as a ``.meta.json`` file is); files take theirs from their own meta files.
    ``jobs`` worker processes extract (None: every core; builds of fewer than 6 articles stay in
    this process). An article that fails is left out with an :class:`ArticleWarning` and listed
    in :attr:`Graph.failed`; when every article fails, the first one's :class:`KGError` is raised.
    An article in which no summit is found gives an :class:`ArticleWarning` too.
    """
    from kg.pipeline.read import MAX_CHARS, discover

    meta = {k: v for k, v in {"published": published, "title": title, "id": id, "source": source, "url": url,
                              "language": language}.items() if v is not None}
    limit = MAX_CHARS if max_chars is None else max_chars
    if isinstance(articles, str) and _is_text(articles):
        with tempfile.TemporaryDirectory(prefix="kg-text-") as folder:
            path = _write_text(Path(folder), articles, meta)
            return _build([path], encoding="utf-8", jobs=1, segmenter=segmenter, max_chars=limit)
    if meta:
        raise InputError(f"{', '.join(sorted(meta))}: meta fields are given for a text; "
                         "files take theirs from their .meta.json")
    paths = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
    if not paths:
        raise InputError("no articles given")
    return _build(discover(paths), encoding=encoding, jobs=jobs, segmenter=segmenter, max_chars=limit)


def load(graph: PathLike) -> Graph:
    """A graph file written by ``kg build`` (any of its formats), or a store folder made by
    ``kg load --store``, as a :class:`Graph` (a file is read into memory; a store is opened read-only)."""
    from kg.store import GraphStore

    path = Path(graph)
    if path.is_dir():
        return Graph(GraphStore.open(path, read_only=True))
    return Graph(GraphStore.from_file(path), source=_File(path))


def _is_text(value: str) -> bool:
    """Is ``value`` an article's text rather than a path? Not when it names something that exists;
    yes when it holds a line break or Chinese sentence punctuation, or is longer than a path can
    be (4,096 characters); else yes when it holds a CJK character and does not look like a path
    (ending in ``.txt`` or holding a ``/``). A missing path is then reported as missing."""
    try:
        if Path(value).exists():
            return False
    except (OSError, ValueError):  # too long, or a NUL: not a path
        return True
    if "\n" in value or len(value) > 4096 or any(ch in _SENTENCE_MARKS for ch in value):
        return True
    looks_like_path = value.endswith(".txt") or os.sep in value or "/" in value
    return any(_is_cjk(ch) for ch in value) and not looks_like_path


_SENTENCE_MARKS = frozenset("。，、；：！？")


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _write_text(folder: Path, text: str, meta: Mapping[str, str]) -> Path:
    import hashlib
    import json

    meta = {"id": f"text-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}", **meta}
    path = folder / "article.txt"  # the id travels in the meta file (a long id is no file name)
    try:
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"the text holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}), "
                         "not a character") from None
    path.with_name("article.meta.json").write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")
    return path


def _build(paths: list[Path], *, encoding: str | None, jobs: int | None, segmenter: str, max_chars: int) -> Graph:
    from kg.corpus import build_corpus
    from kg.parallel import make_executor
    from kg.serialize import Output
    from kg.store import GraphStore

    buffer = io.BytesIO()
    output = Output("nquads", buffer, compress=True)  # kept for write(): about 20 times smaller
    executor = make_executor(jobs, segmenter)
    try:
        result = build_corpus(paths, output, encoding=encoding, executor=executor, max_chars=max_chars)
    finally:
        close = getattr(executor, "close", None)
        if close is not None:
            close()
    failed = [outcome for outcome in result.outcomes if outcome.status == "failed"]
    if len(failed) == len(result.outcomes):
        assert failed[0].error is not None
        raise failed[0].error
    for outcome in result.outcomes:
        if outcome.status == "failed":
            warnings.warn(f"{outcome.path}: {outcome.error}", ArticleWarning, stacklevel=3)
        elif outcome.summits == 0:
            warnings.warn(f"{outcome.path}: no summit found", ArticleWarning, stacklevel=3)
    store = GraphStore.memory()
    store.add_nquads(gzip.decompress(buffer.getvalue()))
    return Graph(store, result.outcomes, source=_Built(buffer.getvalue()))


# ---------------------------------------------------------------------------------------- the graph


@dataclass(frozen=True)
class Validation:
    """What :meth:`Graph.validate` found: true when the graph conforms to the SHACL shapes."""

    conforms: bool
    report: str

    def __bool__(self) -> bool:
        return self.conforms

    def __str__(self) -> str:
        return self.report


class Graph:
    """A knowledge graph: named graphs (one pair per article, the background apart) in a
    pyoxigraph store, queried through their merge."""

    def __init__(self, store: GraphStore, outcomes: Iterable[ArticleOutcome] = (), *,
                 source: _Source | None = None) -> None:
        self.store = store
        self.outcomes = list(outcomes)
        self._source: _Source = source or _Stored(store)
        self._rdflib: Any = None
        self._length: int | None = None

    # -- what it holds -----------------------------------------------------------------------

    @property
    def oxigraph(self) -> Any:
        """The ``pyoxigraph.Store`` (language tags in lower case, as Oxigraph keeps them)."""
        return self.store.store

    @property
    def failed(self) -> dict[Path, KGError]:
        """The articles of :func:`build` that failed, with their errors."""
        return {o.path: o.error for o in self.outcomes if o.status == "failed" and o.error is not None}

    def quads(self) -> Iterator[tuple[str, str, str, str]]:
        """Every quad as N-Triples text ``(s, p, o, g)``, as built or read (language tags in RFC 5646
        case, datatypes as written; a graph opened from a store gives them as Oxigraph keeps them)."""
        return self._source.quads()

    def __len__(self) -> int:
        """Quads in the named graphs (counted once)."""
        if self._length is None:
            self._length = sum(1 for _ in self.quads())
        return self._length

    def __repr__(self) -> str:
        built = sum(1 for o in self.outcomes if o.status == "built")
        articles = f"{built} article{'s' if built != 1 else ''}, " if self.outcomes else ""
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return f"<kg.Graph: {articles}{len(self):,} quads{failed}>"

    def rdflib(self) -> Any:
        """The graph as an rdflib ``Dataset`` with ``default_union=True`` (named graphs kept; a
        query without ``GRAPH`` sees their union). Made once, on first use."""
        if self._rdflib is None:
            from rdflib import Dataset, URIRef

            from kg.terms import to_rdflib

            dataset = Dataset(default_union=True)
            for s, p, o, g in self.quads():
                dataset.graph(URIRef(g[1:-1])).add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
            self._rdflib = dataset
        return self._rdflib

    # -- querying -----------------------------------------------------------------------------

    def query(self, query: str, /, *, as_frame: bool = False, **bindings: Any) -> Any:
        """Run a bundled query by name (``"summits"``, ``"attendees"``… see ``kg query --help``),
        a ``.rq`` file or SPARQL text, on the merge of the named graphs, with the project's
        prefixes predeclared. ``bindings`` give variables values (``summit=NamedNode(…)``, a
        ``str``, ``int``, ``float``, ``bool`` or ``datetime.date``), never pasted into the text;
        a bound variable must be one the query matches in its pattern and, in a SELECT, one it
        selects (listed, or ``SELECT *``).

        SELECT gives a list of dicts, one per row, of Python values (an IRI as its ``str``, numbers
        as ``int``/``float``/``Decimal``, ``xsd:date`` as ``datetime.date``, an unbound variable as
        None), or a pandas ``DataFrame`` with ``as_frame=True``; ASK a ``bool``; CONSTRUCT and
        DESCRIBE a list of ``(s, p, o)`` tuples of Python values.
        """
        import pyoxigraph as ox

        from kg.query import resolve_query

        text = resolve_query(query)
        try:
            results = self.store.query(text, substitutions=_terms(bindings))
        except QueryError as exc:
            if "in its SELECT projection" in str(exc):
                raise QueryError(f"{', '.join(sorted(bindings))}: a bound variable must be one the query "
                                 "selects (listed after SELECT, or SELECT *) and matches in its pattern") from None
            raise
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QueryTriples):
            return [(python_value(t.subject), python_value(t.predicate), python_value(t.object)) for t in results]
        names = [v.value for v in results.variables]
        rows = [{name: python_value(solution[name]) for name in names} for solution in results]
        if not as_frame:
            return rows
        try:
            import pandas
        except ImportError:
            raise KGError("as_frame=True needs pandas: pip install 'summit-kg[notebook]'") from None
        return pandas.DataFrame(rows, columns=names)

    # -- output -----------------------------------------------------------------------------

    def write(self, path: PathLike) -> Path:
        """Write the graph as ``kg build -o PATH`` would (the extension picks the format, ``.gz``
        compresses), atomically; the same bytes as the command line for the same articles."""
        from kg.atomic import atomic_output
        from kg.serialize import Output, output_format

        path = Path(path)
        fmt, compress = output_format(path)
        with atomic_output(str(path)) as handle:
            output = Output(fmt, handle, compress=compress)
            try:
                for block in _article_blocks(self.quads(), ordered=isinstance(self._source, _Built)):
                    output.add_quads(block)
                output.close()
            finally:
                output.cleanup()
        return path

    def viz(self, path: PathLike | None = None, *, lang: str = "zh", max_nodes: int = 3000) -> str | Path:
        """The interactive network page (``kg viz``): written to ``path`` when given (``.html``,
        or ``.graphml``/``.gexf`` exports), else returned as HTML text."""
        from kg.viz import OUTPUT_FORMATS
        from kg.viz import data as viz_data

        graph = viz_data.load(self.store)
        kind = "html" if path is None else OUTPUT_FORMATS.get(Path(path).suffix.lower())
        if kind is None:
            raise InputError(f"{path}: unknown extension for a page or an export; use one of "
                             f"{', '.join(sorted(OUTPUT_FORMATS))}")
        if kind == "html":
            from kg.viz.render import render_page

            payload = render_page(graph, lang=lang, max_nodes=max_nodes).encode("utf-8")
        else:
            from kg.viz.export import export

            payload = export(graph, kind)
        if path is None:
            return payload.decode("utf-8")
        from kg.atomic import atomic_output

        with atomic_output(str(path)) as handle:
            handle.write(payload)
        return Path(path)

    def validate(self) -> Validation:
        """Check the graph against the SHACL shapes, as ``kg validate`` does; true when it conforms."""
        from kg.validate import validate_file

        with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
            path = self.write(Path(folder) / "graph.nq")
            conforms, report = validate_file(path)
        return Validation(conforms, report)

    def _repr_html_(self) -> str:
        """In Jupyter: the network page, inline (an ``iframe`` holding the whole offline page)."""
        import html

        page = self.viz()
        assert isinstance(page, str)
        return (f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:640px;border:0" '
                'sandbox="allow-scripts"></iframe>')


def _article_blocks(quads: Iterable[tuple[str, str, str, str]], *, ordered: bool) -> Iterator[list[Any]]:
    """The quads as ``kg build`` writes them: each article's graphs (by id), then the background.
    ``ordered`` quads (a build's own output) already come so and are passed on an article at a
    time; others are grouped first."""
    from kg.corpus import graph_slug

    if ordered:
        block: list[Any] = []
        current: str | None = None
        for quad in quads:
            slug = graph_slug(quad[3])
            if block and slug != current:
                yield block
                block = []
            current = slug
            block.append(quad)
        if block:
            yield block
        return
    articles: dict[str, list[Any]] = {}
    background: list[Any] = []
    for quad in quads:
        slug = graph_slug(quad[3])
        (articles.setdefault(slug, []) if slug is not None else background).append(quad)
    for slug in sorted(articles):
        yield articles[slug]
    yield background


# ---------------------------------------------------------------------------------------- where quads come from


class _Source(Protocol):
    def quads(self) -> Iterator[tuple[str, str, str, str]]: ...


@dataclass(frozen=True)
class _Built:
    """The gzipped N-Quads of a build, as the build wrote them."""

    data: bytes

    def quads(self) -> Iterator[tuple[str, str, str, str]]:
        from kg.serialize import split_nquad

        with gzip.open(io.BytesIO(self.data), "rt", encoding="utf-8", newline="\n") as lines:
            for line in lines:
                yield split_nquad(line)


@dataclass(frozen=True)
class _File:
    """A graph file, parsed again by pyoxigraph (which keeps datatypes as written) each time its
    quads are asked for: triples outside any named graph go to the graph ``…/graph/file/NAME``."""

    path: Path

    def quads(self) -> Iterator[tuple[str, str, str, str]]:
        import pyoxigraph as ox

        from kg import iris
        from kg.store import FORMATS, _open, graph_file
        from kg.terms import from_oxigraph, iri

        path, suffix = graph_file(self.path)
        own = iri(f"{iris.GRAPH}file/{iris.slug(path.name)}")
        with _open(path) as handle:
            for q in ox.parse(handle, format=getattr(ox.RdfFormat, FORMATS[suffix])):
                graph = own if isinstance(q.graph_name, ox.DefaultGraph) else from_oxigraph(q.graph_name)
                yield from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object), graph


@dataclass(frozen=True)
class _Stored:
    """The named graphs of a store (integers of every XSD type as ``xsd:integer``, as Oxigraph keeps them)."""

    store: GraphStore

    def quads(self) -> Iterator[tuple[str, str, str, str]]:
        import pyoxigraph as ox

        from kg.terms import from_oxigraph

        for q in self.store.store.quads_for_pattern(None, None, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):  # the default graph is the merge
                yield from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object), \
                    from_oxigraph(q.graph_name)


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a Python value: IRIs as ``str``, literals by datatype, None as None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    value = term.value
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype == f"{_XSD}decimal":
            return decimal.Decimal(value)
        if datatype in (f"{_XSD}double", f"{_XSD}float"):
            return float(value)
        if datatype == f"{_XSD}boolean":
            return value in ("true", "1")
        if datatype == f"{_XSD}date":
            return datetime.date.fromisoformat(value)
        if datatype == f"{_XSD}dateTime":
            return datetime.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:  # an ill-typed literal (2020-02-30): its text
        return value
    return value


def _terms(bindings: Mapping[str, Any]) -> dict[Any, Any] | None:
    """``bindings`` as pyoxigraph substitutions."""
    import pyoxigraph as ox

    if not bindings:
        return None
    out = {}
    for name, value in bindings.items():
        if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            term = value
        elif type(value).__module__.startswith("rdflib"):
            from kg.terms import from_rdflib, to_oxigraph

            term = to_oxigraph(from_rdflib(value))
        elif isinstance(value, bool):
            term = ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
        elif isinstance(value, int):
            term = ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
        elif isinstance(value, float):
            term = ox.Literal(repr(value), datatype=ox.NamedNode(f"{_XSD}double"))
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            term = ox.Literal(value.isoformat(), datatype=ox.NamedNode(f"{_XSD}date"))
        elif isinstance(value, str):
            term = ox.Literal(value)
        else:
            raise InputError(f"{name}: cannot bind a {type(value).__name__}; give a str, int, float, bool, "
                             "datetime.date or an RDF term")
        out[ox.Variable(name)] = term
    return out


__all__ = ["ArticleWarning", "Graph", "Validation", "build", "load", "python_value"]
