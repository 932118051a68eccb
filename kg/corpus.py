"""Corpus builds: many articles into one dataset, and incremental updates (``kg build --update``).

A corpus build reads the articles one at a time and keeps only their quads: the named graphs
``graph/article/ID`` (stated facts) and ``graph/article/ID/inferred`` of each article, then the
background graphs (ontology and reference). An article that fails is reported and left out;
the others are built.

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
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kg import iris
from kg.errors import InputError, KGError, ResourceError
from kg.ns import SKG
from kg.pipeline.graph import Quad
from kg.pipeline.read import RawArticle, read_article, read_meta
from kg.resources import Resources

if TYPE_CHECKING:  # the pipeline loads dictionaries: imported only when an article is extracted
    from kg.pipeline.builder import Pipeline

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
    ``text changed``…) and is empty in a full build.
    """

    path: Path
    status: str
    quads: int = 0
    reason: str = ""
    error: KGError | None = None


@dataclass
class CorpusResult:
    """All quads of a corpus build, and what happened to each article."""

    quads: list[Quad] = field(default_factory=list)
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # ids (slugs) of previous articles left out

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


@dataclass
class Previous:
    """The article graphs of an earlier output, by article slug, with their build keys."""

    graphs: dict[str, list[Quad]] = field(default_factory=dict)
    keys: dict[str, BuildKey] = field(default_factory=dict)

    def take(self, slug: str) -> list[Quad]:
        """Remove and return the quads of one article's graphs."""
        self.keys.pop(slug, None)
        return self.graphs.pop(slug, [])


# ---------------------------------------------------------------------------------------- ids


def article_id(path: Path) -> str:
    """The id :func:`kg.pipeline.read.read_article` gives the article: its meta ``id`` or file stem."""
    return str(read_meta(path).get("id") or path.stem)


def check_unique_ids(paths: Sequence[Path]) -> None:
    """Raise :class:`InputError` (one line) when two articles would get the same graphs.

    Ids are compared by the IRI segment they give (:func:`kg.iris.slug`), so ``A B`` and ``a-b``
    clash as well. An article whose meta file cannot be read is skipped here; it fails later.
    """
    seen: dict[str, tuple[str, Path]] = {}
    for path in paths:
        try:
            ident = article_id(path)
        except KGError:
            continue
        slug = iris.slug(ident)
        if slug in seen:
            other_id, other = seen[slug]
            same = f"the same id {ident!r}" if other_id == ident else f"ids {other_id!r} and {ident!r} (the same IRI)"
            raise InputError(f"{other} and {path} have {same}; give one of them another \"id\" in its "
                             ".meta.json")
        seen[slug] = (ident, path)


# ---------------------------------------------------------------------------------------- keys


def meta_sha256(meta: dict[str, object]) -> str:
    """SHA-256 of the meta sidecar as canonical JSON (sorted keys, no spaces); ``{}`` without one."""
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_sha256(raw: RawArticle) -> str:
    """SHA-256 of the text as written, normalised (NFC, newlines): the graph writer's ``skg:sha256``."""
    from kg.pipeline.normalise import normalise_text

    return hashlib.sha256(normalise_text(raw.text).encode("utf-8")).hexdigest()


def extractor_sha256(resources: Resources) -> str:
    """SHA-256 of what extraction depends on besides the article: the code under ``kg/pipeline/``
    and :data:`EXTRACTOR_MODULES`, the lexicons and the reference data. Files are named relative
    to their folder, so a source checkout and an installed wheel agree."""
    package = Path(__file__).resolve().parent
    code = sorted(package.joinpath("pipeline").rglob("*.py")) + [package / name for name in EXTRACTOR_MODULES]
    lexicon = sorted(p for p in (resources.data_dir / "lexicon").rglob("*")
                     if p.is_file() and not p.name.startswith(".") and p.name not in NOT_EXTRACTION)
    digest = hashlib.sha256()
    for root, files in ((package, code), (resources.data_dir, lexicon + list(resources.reference_files))):
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def key_quads(article: str, key: BuildKey) -> list[Quad]:
    """The build-key triples the article graph gets beside ``skg:sha256`` (written by the graph writer)."""
    node = URIRef(iris.entity("article", iris.slug(article)))
    graph = URIRef(iris.article_graph(article))
    return [(node, SKG.metaSha256, Literal(key.meta), graph),
            (node, SKG.extractorSha256, Literal(key.extractor), graph)]


# ---------------------------------------------------------------------------------------- previous output


def check_update_target(output: str | Path | None) -> None:
    """Raise :class:`InputError` unless ``output`` is a file format that keeps named graphs."""
    from kg.serialize import format_for

    if not output:
        raise InputError("--update needs -o OUT, the graph file to update")
    _, named = format_for(output)
    if not named:
        raise InputError(f"{output}: --update needs named graphs to replace one article's facts, and "
                         f"{Path(output).suffix} holds only their union; use .trig, .nq or .jsonld")


def read_previous(output: str | Path) -> Previous | None:
    """The article graphs of an existing output, or None when it does not exist yet."""
    from kg.serialize import format_for

    path = Path(output)
    if not path.exists():
        return None
    fmt, _ = format_for(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    spellings = language_spellings(data)
    try:
        quads = _parse_oxigraph(data, fmt, spellings) if spellings is not None else _parse_rdflib(data, fmt)
    except Exception as exc:  # the parsers raise SyntaxError, ValueError and many rdflib types
        raise InputError(f"{path}: cannot update, it does not parse as {fmt} "
                         f"({' '.join(str(exc).split())[:200]})") from None
    return previous_from_quads(quads)


def language_spellings(data: bytes) -> dict[str, str] | None:
    """Each language tag of a TriG, N-Quads or JSON-LD file in lower case → its spelling in the file.

    None when a tag is spelt two ways (``zh-Hans`` and ``zh-hans``): pyoxigraph lower-cases
    language tags and rdflib keeps them as written, so the spelling is what restores them.
    Text inside a literal that looks like a tag can only add a spelling, never hide one.
    """
    found: dict[str, str] = {}
    for match in _LANGUAGE_TAG.finditer(data):
        tag = (match.group(1) or match.group(2)).decode("ascii")
        if found.setdefault(tag.lower(), tag) != tag:
            return None
    return found


_LANGUAGE_TAG = re.compile(rb'"@language"\s*:\s*"([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)"'  # JSON-LD
                           rb'|"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)')  # TriG, N-Quads: "…"@zh-Hans
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parse_rdflib(data: bytes, fmt: str) -> list[tuple[object, object, object, object]]:
    """Every quad, parsed by rdflib (exact, slow): the fallback of :func:`read_previous`."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    return list(dataset.quads((None, None, None, None)))


def _parse_oxigraph(data: bytes, fmt: str, spellings: dict[str, str]) -> list[tuple[object, object, object, object]]:
    """The quads of article graphs, parsed by pyoxigraph (some thirty times faster than rdflib) and
    turned into rdflib terms that serialise exactly as freshly extracted ones: language tags as
    spelt in the file, a plain literal without datatype (pyoxigraph reads it as ``xsd:string``;
    the graph writer never writes ``^^xsd:string``)."""
    import pyoxigraph as ox
    from rdflib import BNode

    def term(node):  # type: ignore[no-untyped-def]
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if node.language:
            return Literal(node.value, lang=spellings.get(node.language, node.language))
        datatype = node.datatype.value
        return Literal(node.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))

    ox_format = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}[fmt]
    return [(term(q.subject), term(q.predicate), term(q.object), URIRef(q.graph_name.value))
            for q in ox.parse(data, format=ox_format)
            if isinstance(q.graph_name, ox.NamedNode) and graph_slug(q.graph_name.value) is not None]


def previous_from_quads(quads: Iterable[tuple[object, object, object, object]]) -> Previous:
    """Group the quads of article graphs by article slug; read each article's build key."""
    previous = Previous()
    for s, p, o, g in quads:
        slug = graph_slug(str(g))
        if slug is not None and isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef):
            previous.graphs.setdefault(slug, []).append((s, p, o, g))  # type: ignore[arg-type]
    for slug, graph_quads in previous.graphs.items():
        key = _stored_key(slug, graph_quads)
        if key is not None:
            previous.keys[slug] = key
    return previous


def graph_slug(graph: str) -> str | None:
    """The article slug of ``…/graph/article/SLUG`` or ``…/graph/article/SLUG/inferred``, else None."""
    if not graph.startswith(ARTICLE_GRAPHS):
        return None
    rest = graph[len(ARTICLE_GRAPHS):]
    rest = rest[: -len(INFERRED_SUFFIX)] if rest.endswith(INFERRED_SUFFIX) else rest
    return rest if rest and "/" not in rest else None


def _stored_key(slug: str, quads: list[Quad]) -> BuildKey | None:
    node = URIRef(iris.entity("article", slug))
    graph = URIRef(iris.GRAPH + "article/" + slug)
    found = {p: str(o) for s, p, o, g in quads if s == node and g == graph
             and p in (SKG.sha256, SKG.metaSha256, SKG.extractorSha256)}
    if len(found) != 3:
        return None  # built before build keys: rebuild
    return BuildKey(found[SKG.sha256], found[SKG.metaSha256], found[SKG.extractorSha256])


# ---------------------------------------------------------------------------------------- build


class _Extractor:
    """The pipeline, built on first use: an update that reuses every article loads no dictionary."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from kg.pipeline.builder import Pipeline

            self._pipeline = Pipeline(self.resources)
        return self._pipeline

    def quads(self, raw: RawArticle, key: BuildKey) -> list[Quad]:
        doc = self.pipeline.document(raw)
        return self.pipeline.writer(doc) + key_quads(raw.id, key)

    def background(self) -> list[Quad]:
        """The ontology and reference graphs as quads."""
        if self._pipeline is not None:
            background = self._pipeline.background
        else:
            from kg.reference import Background

            background = Background.load(self.resources)
        return [(s, p, o, name) for name, graph in background.graphs() for s, p, o in graph]  # type: ignore[misc]


def build_corpus(paths: Sequence[Path], *, encoding: str | None = None, previous: Previous | None = None,
                 resources: Resources | None = None,
                 progress: Callable[[int, ArticleOutcome], None] | None = None) -> CorpusResult:
    """Build every article of ``paths`` (already discovered) into one list of quads.

    With ``previous`` (an update), articles whose build key is unchanged keep their old graphs.
    ``progress(i, outcome)`` is called after each article (``i`` counts from 1). The background
    graphs are added at the end, unless every article failed.
    """
    check_unique_ids(paths)
    resources = resources or Resources()
    extractor = _Extractor(resources)
    extractor_key = extractor_sha256(resources)
    result = CorpusResult()
    for index, path in enumerate(paths, start=1):
        outcome, quads = _article(path, encoding, previous, extractor, extractor_key)
        result.quads.extend(quads)
        result.outcomes.append(outcome)
        if progress is not None:
            progress(index, outcome)
    if previous is not None:
        result.dropped = sorted(previous.graphs)
    if result.count("failed") < len(paths):
        result.quads.extend(extractor.background())
    return result


def _article(path: Path, encoding: str | None, previous: Previous | None, extractor: _Extractor,
             extractor_key: str) -> tuple[ArticleOutcome, list[Quad]]:
    """One article: reused from ``previous`` when its key is unchanged, else extracted."""
    try:
        raw = read_article(path, encoding)
        key = BuildKey(text_sha256(raw), meta_sha256(raw.meta), extractor_key)
        reason = ""
        if previous is not None:
            slug = iris.slug(raw.id)
            old = previous.keys.get(slug)
            changed = key.changes(old) if old is not None else []
            old_quads = previous.take(slug)  # taken in every case: what is left is dropped
            if old is not None and not changed:
                return ArticleOutcome(path, "reused", len(old_quads)), old_quads
            reason = (" and ".join(changed) + " changed" if changed
                      else "new" if not old_quads else "no build key")
        quads = extractor.quads(raw, key)
        return ArticleOutcome(path, "built", len(quads), reason), quads
    except ResourceError:  # broken bundled data fails the whole build, not each article
        raise
    except KGError as exc:  # its old graphs, if any, stay in ``previous`` and are dropped
        return ArticleOutcome(path, "failed", error=exc), []


__all__ = ["ArticleOutcome", "BuildKey", "CorpusResult", "Previous", "build_corpus", "check_unique_ids",
           "check_update_target", "extractor_sha256", "meta_sha256", "read_previous"]
