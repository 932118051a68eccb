"""Corpus builds: many articles into one dataset, and incremental updates (``kg build --update``).

A corpus build reads the articles one at a time and keeps only their quads: the named graphs
``graph/article/ID`` (stated facts) and ``graph/article/ID/inferred`` of each article, then the
background graphs (ontology and reference). An article that fails is reported and left out;
the others are built. Whatever stops one article, while it is read, extracted or rendered, is
that article's error: a :class:`~kg.errors.KGError` as it is, any other exception (a bug met on
this article) as an :class:`ArticleError` naming its type, with the traceback kept for
``KG_DEBUG=1``. Only broken bundled data (:class:`~kg.errors.ResourceError`) stops the build.

**Article ids.** Every article of a build needs its own id (``id`` in its ``.meta.json``, else the
file name without ``.txt``), since the id names its graphs and its node. Two inputs whose ids give
the same IRI (the same file name in two folders, or the same ``id`` in two meta files) are an
:class:`~kg.errors.InputError`, raised before any article is read: nothing is de-duplicated
silently.

**Build key.** Each article node carries three hashes: ``skg:sha256`` (the text, normalised),
``skg:metaSha256`` (the meta sidecar as canonical JSON, ``{}`` without one) and
``skg:extractorSha256`` (the extraction code, lexicons and reference data, see
:func:`extractor_sha256`). ``--update`` reuses the two graphs of an article whose three hashes
match the ones computed now, and re-extracts every other article.

**Update.** The previous output (a format with named graphs: TriG, N-Quads, JSON-LD) is read;
the graphs of unchanged articles are kept quad for quad; changed and new articles are extracted;
the background graphs are regenerated. Graphs of articles that are no longer among the inputs,
or that fail now, are dropped. So an update gives exactly the bytes a full build of the same
inputs gives, only faster.
"""
from __future__ import annotations

import hashlib
import json
import traceback
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import iris
from kg.errors import InputError, KGError, ResourceError
from kg.pipeline.read import MAX_CHARS, RawArticle, read_article, read_meta
from kg.resources import Resources
from kg.terms import Quad, iri, literal

if TYPE_CHECKING:  # the pipeline loads dictionaries: imported only when an article is extracted
    from kg.parallel import Executor
    from kg.pipeline.builder import Pipeline
    from kg.serialize import Output

ARTICLE_GRAPHS = iris.GRAPH + "article/"
INFERRED_SUFFIX = "/inferred"

#: Modules of the ``kg`` package whose code decides what an article's graphs hold (beside
#: everything under ``kg/pipeline/``); part of :func:`extractor_sha256`.
#: Lexicon files that only the network page or kg eval read: editing them changes no extraction.
NOT_EXTRACTION = frozenset({"viz_labels.tsv", "eval_synonyms.tsv"})
EXTRACTOR_MODULES = ("__init__.py", "corpus.py", "iris.py", "lexicon.py", "model.py", "ns.py", "reference.py",
                     "resources.py")


@dataclass(frozen=True)
class BuildKey:
    """What an article's graphs were built from; equal keys mean the same graphs."""

    text: str  # skg:sha256
    meta: str  # skg:metaSha256
    extractor: str  # skg:extractorSha256

    def changes(self, old: BuildKey) -> list[str]:
        """What differs from ``old``, in words (``["text", "meta"]``); empty when nothing does."""
        parts = (("text", self.text, old.text), ("meta", self.meta, old.meta),
                 ("extractor", self.extractor, old.extractor))
        return [name for name, new, before in parts if new != before]


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one input article.

    ``status`` is ``built`` (extracted), ``reused`` (graphs kept from the previous output) or
    ``failed``; ``reason`` says why an article was extracted in an update (``new``,
    ``text changed``…) and is empty in a full build; ``summits`` counts the nodes its graphs type
    ``skg:Summit`` (0: the text named no meeting).
    """

    path: Path
    status: str
    quads: int = 0
    reason: str = ""
    error: KGError | None = None
    summits: int = 0


class ArticleError(KGError):
    """An exception that is not a :class:`KGError`, raised while one article was read, extracted
    or rendered: that article's error (a bug to report), not the build's. ``traceback`` is the
    formatted traceback, shown with ``KG_DEBUG=1``."""

    def __init__(self, message: str, traceback: str = "") -> None:
        super().__init__(message)
        self.traceback = traceback


def article_error(path: Path, exc: BaseException) -> ArticleError:
    """``exc``, met on the article ``path``, as that article's one-line internal error."""
    detail = " ".join(str(exc).split())[:300]
    message = f"{path}: internal error: {type(exc).__name__}{': ' + detail if detail else ''} " \
              "(set KG_DEBUG=1 for the traceback)"
    return ArticleError(message, "".join(traceback.format_exception(exc)))


@dataclass
class CorpusResult:
    """What happened to each article of a corpus build, and how much was written."""

    outcomes: list[ArticleOutcome] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # ids (slugs) of previous articles left out
    statements: int = 0  # quads (named-graph formats) or distinct triples (Turtle, N-Triples) written

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


# ---------------------------------------------------------------------------------------- ids


def article_id(path: Path) -> str:
    """The id :func:`kg.pipeline.read.read_article` gives the article: its meta ``id`` or file stem."""
    return str(read_meta(path).get("id") or path.stem)


def check_unique_ids(paths: Sequence[Path]) -> dict[Path, str]:
    """Raise :class:`InputError` (one line) when two articles would get the same graphs.

    Ids are compared by the IRI segment they give (:func:`kg.iris.slug`), so ``A B`` and ``a-b``
    clash as well. An article whose meta file cannot be read is skipped here; it fails later.
    """
    seen: dict[str, tuple[str, Path]] = {}
    slugs: dict[Path, str] = {}
    for path in paths:
        try:
            ident = article_id(path)
        except KGError:
            continue
        slug = slugs[path] = iris.slug(ident)
        if slug in seen:
            other_id, other = seen[slug]
            same = f"the same id {ident!r}" if other_id == ident else f"ids {other_id!r} and {ident!r} (the same IRI)"
            raise InputError(f"{other} and {path} have {same}; give one of them another \"id\" in its "
                             ".meta.json")
        seen[slug] = (ident, path)
    return slugs


# ---------------------------------------------------------------------------------------- keys


def meta_sha256(meta: dict[str, object]) -> str:
    """SHA-256 of the meta sidecar as canonical JSON (sorted keys, no spaces); ``{}`` without one."""
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_sha256(raw: RawArticle) -> str:
    """SHA-256 of the text as written, normalised (NFC, newlines): the graph writer's ``skg:sha256``."""
    from kg.pipeline.normalise import normalise_text

    return hashlib.sha256(normalise_text(raw.text).encode("utf-8")).hexdigest()


def extractor_sha256(resources: Resources, segmenter: str = "jieba") -> str:
    """SHA-256 of what extraction depends on besides the article: the code under ``kg/pipeline/``
    and :data:`EXTRACTOR_MODULES`, the lexicons and the reference data, and the segmenter when it
    is not the default one. Files are named relative to their folder, so a source checkout and an
    installed wheel agree."""
    package = Path(__file__).resolve().parent
    code = sorted(package.joinpath("pipeline").rglob("*.py")) + [package / name for name in EXTRACTOR_MODULES]
    lexicon = sorted(p for p in (resources.data_dir / "lexicon").rglob("*")
                     if p.is_file() and not p.name.startswith(".") and p.name not in NOT_EXTRACTION)
    digest = hashlib.sha256()
    for root, files in ((package, code), (resources.data_dir, lexicon + list(resources.reference_files))):
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    if segmenter != "jieba":
        digest.update(f"segmenter={segmenter}".encode())
    return digest.hexdigest()


_SHA256 = iri(iris.ONTOLOGY + "sha256")
_META_SHA256 = iri(iris.ONTOLOGY + "metaSha256")
_EXTRACTOR_SHA256 = iri(iris.ONTOLOGY + "extractorSha256")


def key_quads(article: str, key: BuildKey) -> list[Quad]:
    """The build-key triples the article graph gets beside ``skg:sha256`` (written by the graph writer)."""
    node = iri(iris.entity("article", iris.slug(article)))
    graph = iri(iris.article_graph(article))
    return [(node, _META_SHA256, literal(key.meta), graph), (node, _EXTRACTOR_SHA256, literal(key.extractor), graph)]


# ---------------------------------------------------------------------------------------- previous output


def check_update_target(output: str | Path | None) -> None:
    """Raise :class:`InputError` unless ``output`` is a file format that keeps named graphs."""
    from kg.serialize import UNION_FORMATS, output_format

    if not output:
        raise InputError("--update needs -o OUT, the graph file to update")
    fmt, _ = output_format(output)
    if fmt in UNION_FORMATS:
        raise InputError(f"{output}: --update needs named graphs to replace one article's facts, and "
                         f"{Path(output).suffix} holds only their union; use .trig, .nq or .jsonld (or .gz of them)")


def graph_slug(graph: str) -> str | None:
    """The article slug of ``…/graph/article/SLUG`` or ``…/graph/article/SLUG/inferred`` (bare IRI or
    ``<…>``), else None."""
    if graph.startswith("<"):
        graph = graph[1:-1]
    if not graph.startswith(ARTICLE_GRAPHS):
        return None
    rest = graph[len(ARTICLE_GRAPHS):]
    rest = rest[: -len(INFERRED_SUFFIX)] if rest.endswith(INFERRED_SUFFIX) else rest
    return rest if rest and "/" not in rest else None


class Previous:
    """The article graphs of an earlier output (TriG, N-Quads or JSON-LD), with their build keys.

    A first pass reads only the build keys. The graphs themselves are read again, article by
    article, as :meth:`take` asks for them: a file written by ``kg build`` holds each article's
    graphs together, in the order of their ids, which is the order a build asks in, so an update
    holds one article at a time. A file in another order (edited, or written by another tool) is
    held in memory instead. Articles never asked for are :meth:`dropped`.
    """

    def __init__(self, path: Path | None = None, fmt: str | None = None) -> None:
        self.path, self.fmt = path, fmt
        self.keys: dict[str, BuildKey] = {}
        self._slugs: list[str] = []  # in the order of the file
        self._present: set[str] = set()
        self._taken: set[str] = set()
        self._held: dict[str, list[Quad]] | None = None
        self._stream: Iterator[tuple[str, list[Quad]]] | None = None
        self._ahead: tuple[str, list[Quad]] | None = None  # a block read but not yet asked for
        if path is not None:
            self._scan()

    def _quads(self) -> Iterator[Quad]:
        """The quads of article graphs in file order, as N-Triples text."""
        import pyoxigraph as ox

        from kg.terms import from_oxigraph

        assert self.path is not None and self.fmt is not None
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}
        ox_format = formats[self.fmt]
        try:
            with _open_graph(self.path) as handle:
                for q in ox.parse(handle, format=ox_format):
                    graph = q.graph_name
                    if isinstance(graph, ox.NamedNode) and graph_slug(graph.value) is not None:
                        yield (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object),
                               iri(graph.value))
        except (SyntaxError, ValueError, OSError, EOFError, zlib.error) as exc:  # EOF, zlib: a broken .gz
            raise InputError(f"{self.path}: cannot update, it does not parse as {self.fmt} "
                             f"({' '.join(str(exc).split())[:200]})") from None

    def _blocks(self) -> Iterator[tuple[str, list[Quad]]]:
        """``(slug, quads)`` for each run of consecutive quads of one article."""
        slug, block = None, []
        for quad in self._quads():
            this = graph_slug(quad[3])
            if this != slug and block:
                yield slug, block  # type: ignore[misc]
                block = []
            slug = this
            block.append(quad)
        if block:
            yield slug, block  # type: ignore[misc]

    def _scan(self) -> None:
        found: dict[str, dict[str, str]] = {}
        contiguous = True
        for slug, block in self._blocks():  # consecutive blocks are of different articles
            if slug in found:
                contiguous = False  # an article's graphs in two places
            else:
                found[slug] = {}
                self._slugs.append(slug)
            node = iri(iris.entity("article", slug))
            graph = iri(iris.GRAPH + "article/" + slug)
            for s, p, o, g in block:
                if s == node and g == graph and p in (_SHA256, _META_SHA256, _EXTRACTOR_SHA256):
                    found[slug][p] = o
        self._present = set(found)
        for slug, values in found.items():
            if len(values) == 3:  # else built before build keys: rebuilt
                self.keys[slug] = BuildKey(*(split_value(values[p]) for p in (_SHA256, _META_SHA256,
                                                                                  _EXTRACTOR_SHA256)))
        if not contiguous or self._slugs != sorted(self._slugs):
            self._held = {}
            for slug, block in self._blocks():
                self._held.setdefault(slug, []).extend(block)

    def take(self, slug: str) -> list[Quad]:
        """The quads of one article's graphs (empty when the file has none); asked in order of slugs."""
        self._taken.add(slug)
        if self.path is None:
            return []
        if self._held is not None:
            return self._held.pop(slug, [])
        if self._stream is None:
            self._stream = self._blocks()
        while True:
            if self._ahead is None:
                self._ahead = next(self._stream, None)
                if self._ahead is None:
                    return []
            found, block = self._ahead
            if found > slug:  # not in the file: the block waits for a later request
                return []
            self._ahead = None
            if found == slug:
                return block

    def claim(self, slug: str) -> None:
        """Mark an article as among the inputs, its old graphs not to be written (it is extracted again)."""
        self._taken.add(slug)
        if self._held is not None:
            self._held.pop(slug, None)

    def has(self, slug: str) -> bool:
        """Whether the file has graphs of this article."""
        return slug in self._present

    def dropped(self) -> list[str]:
        """Slugs of the file's articles that no build asked for."""
        return sorted(self._present - self._taken)


def _open_graph(path: Path):  # type: ignore[no-untyped-def]
    """A graph file for reading, decompressed when it ends in ``.gz``."""
    import gzip

    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def split_value(term: str) -> str:
    from kg.terms import split_literal

    return split_literal(term)[0]


def read_previous(output: str | Path) -> Previous | None:
    """The article graphs of an existing output, or None when it does not exist yet."""
    from kg.serialize import output_format

    path = Path(output)
    if not path.exists():
        return None
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    fmt, _ = output_format(path)
    return Previous(path, fmt)


# ---------------------------------------------------------------------------------------- build


@dataclass(frozen=True)
class Task:
    """One article to extract: where it is, how to decode it, why it is extracted (in an update),
    the most characters it may have."""

    path: Path
    encoding: str | None
    extractor_key: str
    reason: str = ""
    max_chars: int = MAX_CHARS


Extracted = tuple[ArticleOutcome, list[Quad]]
Rendered = tuple[ArticleOutcome, "bytes | str"]  # the quads as the output's Renderer made them


class Extractor:
    """The pipeline, built on first use: an update that reuses every article loads no dictionary."""

    def __init__(self, resources: Resources, segmenter: str = "jieba") -> None:
        self.resources = resources
        self.segmenter = segmenter
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            import gc

            from kg.pipeline.builder import Pipeline

            self._pipeline = Pipeline(self.resources, segmenter=self.segmenter)
            gc.freeze()  # dictionaries and reference graphs live as long as the process: not garbage to walk
        return self._pipeline

    def __call__(self, task: Task) -> Extracted:
        """One article's quads, or the error that stopped it (see :func:`article_error`)."""
        try:
            raw = read_article(task.path, task.encoding, task.max_chars)
            key = BuildKey(text_sha256(raw), meta_sha256(raw.meta), task.extractor_key)
            doc = self.pipeline.document(raw)
            quads = self.pipeline.writer(doc) + key_quads(raw.id, key)  # the Renderer sorts each graph
            return ArticleOutcome(task.path, "built", len(quads), task.reason, summits=count_summits(quads)), quads
        except ResourceError:  # broken bundled data fails the whole build, not each article
            raise
        except KGError as exc:
            return failed(task, exc), []
        except Exception as exc:  # a bug met on this article: its error, reported; the others are built
            return failed(task, article_error(task.path, exc)), []


_RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUMMIT = iri(iris.ONTOLOGY + "Summit")


def count_summits(quads: list[Quad]) -> int:
    """How many distinct nodes ``quads`` type ``skg:Summit``."""
    return len({s for s, p, o, _ in quads if p == _RDF_TYPE and o == _SUMMIT})


def failed(task: Task, error: KGError) -> ArticleOutcome:
    """The outcome of an article that ``error`` stopped."""
    return ArticleOutcome(task.path, "failed", error=error)


def rendered(task: Task, extracted: Extracted, render: Callable[[list[Quad]], bytes | str]) -> Rendered:
    """An extracted article as ``render`` makes it; an exception while rendering is the article's
    error (nothing of it is written)."""
    outcome, quads = extracted
    try:
        return outcome, render(quads)
    except ResourceError:
        raise
    except KGError as exc:
        return failed(task, exc), render([])
    except Exception as exc:
        return failed(task, article_error(task.path, exc)), render([])


def background_quads(resources: Resources, extractor: Extractor | None = None) -> list[Quad]:
    """The ontology and reference graphs as quads."""
    from kg.terms import from_rdflib

    if extractor is not None and extractor._pipeline is not None:
        background = extractor._pipeline.background
    else:
        from kg.reference import Background

        background = Background.load(resources)
    out = []
    for name, graph in background.graphs():
        g = iri(str(name))
        out.extend((from_rdflib(s), from_rdflib(p), from_rdflib(o), g) for s, p, o in graph)
    return out


def ordered(paths: Sequence[Path]) -> list[Path]:
    """The articles in the order their graphs are written: by id (slug), so the output does not
    depend on the order the inputs were given in. Checks that ids are unique."""
    slugs = check_unique_ids(paths)
    return sorted(paths, key=lambda path: (slugs.get(path, ""), str(path)))


def build_corpus(paths: Sequence[Path], output: Output, *, encoding: str | None = None,
                 previous: Previous | None = None, resources: Resources | None = None,
                 executor: Executor | None = None,
                 progress: Callable[[int, ArticleOutcome], None] | None = None,
                 max_chars: int = MAX_CHARS) -> CorpusResult:
    """Build every article of ``paths`` (already discovered) into ``output``, one article at a time.

    Articles are written in the order of their ids; ``executor`` extracts and renders them (in
    this process by default; a process pool or a Dask cluster, see :mod:`kg.parallel`), in the
    same order, so the bytes do not depend on who did the work.
    With ``previous`` (an update), articles whose build key is unchanged keep their old graphs.
    ``progress(i, outcome)`` is called after each article (``i`` counts from 1). The background
    graphs are written at the end, unless every article failed. An article of more than
    ``max_chars`` characters fails.
    """
    from kg.parallel import SerialExecutor

    resources = resources or Resources()
    executor = executor or SerialExecutor(Extractor(resources))
    extractor_key = extractor_sha256(resources, executor.segmenter)
    result = CorpusResult()
    plan: list[tuple[Path, str] | Task] = []  # reused (path, slug) or to extract
    for path in ordered(paths):
        plan.append(_plan(path, encoding, previous, extractor_key, max_chars))
    extracted = executor.map([item for item in plan if isinstance(item, Task)], output.renderer)
    for index, item in enumerate(plan, start=1):
        if isinstance(item, Task):
            outcome, payload = next(extracted)
            output.add(payload, outcome.quads)
        else:
            path, slug = item
            quads = previous.take(slug) if previous is not None else []
            outcome = ArticleOutcome(path, "reused", len(quads), summits=count_summits(quads))
            output.add_quads(quads)
        result.outcomes.append(outcome)
        if progress is not None:
            progress(index, outcome)
    if previous is not None:
        result.dropped = previous.dropped()
    if result.count("failed") < len(paths):  # else nothing is published: no need to finish the document
        output.add_quads(executor.background())
        output.close()
    result.statements = output.statements
    return result


def _plan(path: Path, encoding: str | None, previous: Previous | None,
          extractor_key: str, max_chars: int = MAX_CHARS) -> tuple[Path, str] | Task:
    """Reuse (path, slug) when ``previous`` has the article with the same build key, else a task."""
    if previous is None:
        return Task(path, encoding, extractor_key, max_chars=max_chars)
    try:
        raw = read_article(path, encoding, max_chars)
    except Exception:  # raised again in the extractor, and reported there as the article's error
        return Task(path, encoding, extractor_key, max_chars=max_chars)
    slug = iris.slug(raw.id)
    key = BuildKey(text_sha256(raw), meta_sha256(raw.meta), extractor_key)
    old = previous.keys.get(slug)
    if old is not None and not key.changes(old):
        return path, slug
    previous.claim(slug)  # its old graphs are not written
    changed = key.changes(old) if old is not None else []
    reason = " and ".join(changed) + " changed" if changed else "no build key" if previous.has(slug) else "new"
    return Task(path, encoding, extractor_key, reason, max_chars)


__all__ = ["ArticleError", "ArticleOutcome", "BuildKey", "CorpusResult", "Extractor", "Previous", "Task",
           "article_error", "background_quads", "build_corpus", "check_unique_ids", "check_update_target",
           "count_summits", "extractor_sha256", "failed", "meta_sha256", "ordered", "read_previous", "rendered"]
