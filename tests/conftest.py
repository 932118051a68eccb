"""Shared fixtures of the pipeline tests: one Pipeline per session and helpers that run it on a
sentence written for the test (never a sentence of the development articles in data/articles)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.model import Doc, Fact, Ref, Value
from kg.pipeline.builder import Pipeline
from kg.pipeline.read import RawArticle


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The whole pipeline, built once (building it reads all bundled data, about a second)."""
    return Pipeline()


def key(obj: Ref | Value) -> str:
    """A short, easy-to-assert form of a fact's subject or object.

    Refs become ``kind:key`` (``state:CN``, ``summit:sco/heads-of-state/18``); values their text.
    """
    return str(obj) if isinstance(obj, Ref) else obj.value


@dataclass
class Result:
    """A processed text: the Doc and its facts in a form that is easy to assert."""

    doc: Doc

    @property
    def text(self) -> str:
        return self.doc.article.text

    @property
    def facts(self) -> list[Fact]:
        return self.doc.facts

    @property
    def triples(self) -> set[tuple[str, str, str]]:
        """Every fact as ``(subject key, predicate, object key or value)``."""
        return {(key(f.subject), f.predicate, key(f.object)) for f in self.doc.facts}

    def objects(self, subject: str, predicate: str) -> set[str]:
        return {key(f.object) for f in self.doc.facts if key(f.subject) == subject and f.predicate == predicate}

    def subjects(self, predicate: str, obj: str | None = None) -> set[str]:
        return {key(f.subject) for f in self.doc.facts
                if f.predicate == predicate and (obj is None or key(f.object) == obj)}

    def find(self, subject: str, predicate: str, obj: str | None = None) -> list[Fact]:
        return [f for f in self.doc.facts if key(f.subject) == subject and f.predicate == predicate
                and (obj is None or key(f.object) == obj)]

    def evidence(self, subject: str, predicate: str, obj: str | None = None) -> str:
        """The text the (first) matching fact was read from."""
        found = self.find(subject, predicate, obj)
        assert found, f"no fact {subject} {predicate} {obj}; facts: {sorted(self.triples)}"
        ev = found[0].evidence
        assert ev is not None
        return self.doc.article.own_text[ev.start:ev.end]  # as written (the rules read the folded text)

    def labels(self, kind: str, predicate: str = "label") -> set[str]:
        """Labels (or another literal predicate) of every subject of one kind."""
        return {key(f.object) for f in self.doc.facts
                if f.subject.kind == kind and f.predicate == predicate and isinstance(f.object, Value)}

    def of_class(self, cls: str) -> set[str]:
        return self.subjects("type", f"class:{cls}")


@pytest.fixture(scope="session")
def run(pipeline):
    """``run(text, meta=None)`` → a :class:`Result` for the text (meta as in a ``.meta.json``)."""

    def _run(text: str, meta: dict[str, object] | None = None, article_id: str = "test") -> Result:
        raw = RawArticle(article_id, Path(f"{article_id}.txt"), text, dict(meta or {}))
        return Result(pipeline.document(raw))

    return _run


@pytest.fixture(scope="session")
def facts(run):
    """``facts(text, meta=None)`` → the set of ``(subject, predicate, object)`` tuples."""

    def _facts(text: str, meta: dict[str, object] | None = None) -> set[tuple[str, str, str]]:
        return run(text, meta).triples

    return _facts


@pytest.fixture(scope="session")
def sco2020(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The development article sco2020 built once, as Turtle (union of graphs) and TriG (named graphs)."""
    from kg.cli import main

    article = Path(__file__).resolve().parent.parent / "data" / "articles" / "sco2020_video_summit.txt"
    out = tmp_path_factory.mktemp("sco2020-built")
    paths = {}
    for ext in (".ttl", ".trig"):
        path = out / f"sco2020{ext}"
        assert main(["build", str(article), "-o", str(path), "-q"]) == 0
        paths[ext] = path
    return paths
