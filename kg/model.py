"""Typed records passed between pipeline stages.

Offsets are Python ``str`` indices (code points) into :attr:`Article.text`, the normalised
text, half-open ``[start, end)`` — the NIF and ``oa:TextPositionSelector`` convention.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One report: its normalised text and what its sidecar ``.meta.json`` says.

    ``text`` is what every stage reads and every offset counts in: always simplified script, with
    its punctuation folded (:mod:`kg.pipeline.fold`: one dash, full-width commas and brackets…).
    ``unfolded`` is the simplified text before folding (``None`` when folding changed nothing): the
    names the rules read are shown in it. A report written in traditional script (``language``
    ``zh-Hant``) is converted position for position, and ``original_text`` keeps it as written
    (normalised the same way). All have the same length, so an offset into one is the same offset
    into the others; ``original_text`` is ``None`` when no script conversion took place.
    """

    id: str
    text: str
    path: Path | None = None
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str = "zh-Hans"
    original_text: str | None = None  # the text in its own (traditional) script, same offsets
    unfolded: str | None = None  # the simplified text before folding, same offsets

    def __post_init__(self) -> None:
        for name in ("original_text", "unfolded"):
            other = getattr(self, name)
            if other is not None and len(other) != len(self.text):
                raise ValueError(f"article {self.id}: {name} and text differ in length "
                                 f"({len(other)} != {len(self.text)}); offsets must be valid in both")

    @property
    def own_text(self) -> str:
        """The text as written: in its own script and with its own punctuation."""
        if self.original_text is not None:
            return self.original_text
        return self.text if self.unfolded is None else self.unfolded

    @property
    def hans_text(self) -> str:
        """The text in simplified script with its own punctuation (where zh-Hans names are read)."""
        return self.text if self.unfolded is None else self.unfolded

    @property
    def converted(self) -> bool:
        """Whether ``text`` is a script conversion of ``original_text``."""
        return self.original_text is not None


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Ref:
    """A reference to an entity: ``kind`` (state, org, person, summit…) and a stable ``key``."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class Mention:
    """A span of text that names something (a state, an organization, a post, an area…)."""

    kind: str
    start: int
    end: int
    text: str
    ref: Ref | None = None
    rule: str = "gazetteer"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the span of the words that state it and the rule that fired."""

    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Value:
    """A literal object: ``datatype`` is an XSD local name (date, integer…) or a language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None


Object = Ref | Value


@dataclass(frozen=True)
class Fact:
    """One extracted statement ``subject predicate object`` with its evidence.

    ``predicate`` is a short name mapped to an IRI by :mod:`kg.pipeline.graph`. ``basis`` is
    ``stated`` for facts read in the text and ``inferred`` for facts that also rest on
    background knowledge.
    """

    subject: Ref
    predicate: str
    object: Object
    evidence: Evidence | None = None
    basis: str = "stated"


@dataclass
class Entity:
    """What the article says an entity is called and what it is."""

    ref: Ref
    label: str
    classes: set[str] = field(default_factory=set)
    known: bool = False  # described in the reference knowledge


@dataclass
class Doc:
    """The working document that flows through the pipeline; each stage fills its own fields."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[Ref, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    context: dict[str, object] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding ``offset`` (binary search: sentences are in text order)."""
        if len(self._starts) != len(self.sentences):
            self._starts = [s.start for s in self.sentences]
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return self.sentences[max(index, 0)] if index >= 0 else self.sentences[0]

    def entity(self, ref: Ref, label: str, *classes: str, known: bool = False) -> Entity:
        """Register (or update) an entity and return it."""
        found = self.entities.get(ref)
        if found is None:
            found = self.entities[ref] = Entity(ref, label, known=known)
        found.classes.update(classes)
        found.known = found.known or known
        return found

    def add(self, subject: Ref, predicate: str, obj: Object, start: int, end: int, rule: str,
            basis: str = "stated") -> None:
        self.facts.append(Fact(subject, predicate, obj, Evidence(start, end, rule), basis))
