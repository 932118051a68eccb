"""Wire the stages together: read → normalise → segment → recognise → relate → graph."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.lexicon import Lexicon
from kg.model import Doc, Ref
from kg.pipeline.fold import fold, restore_names
from kg.pipeline.graph import GraphWriter, Quad
from kg.pipeline.normalise import normalise, to_simplified
from kg.pipeline.read import RawArticle, discover, read_article
from kg.pipeline.recognise import Recogniser
from kg.pipeline.relate.areas import AreaRule
from kg.pipeline.relate.attendance import AttendanceRule
from kg.pipeline.relate.dateline import DatelineRule
from kg.pipeline.relate.documents import DocumentRule
from kg.pipeline.relate.initiatives import InitiativeRule
from kg.pipeline.relate.mentions import MentionRule
from kg.pipeline.relate.persons import PersonRule
from kg.pipeline.relate.speeches import SpeechRule
from kg.pipeline.relate.summits import SummitRule
from kg.pipeline.segment import Segmenter, split_sentences
from kg.reference import Background
from kg.resources import Resources

Stage = Callable[[Doc], Doc]


@dataclass
class ArticleResult:
    """The outcome of one article: its document and quads, or the error that stopped it."""

    path: Path
    doc: Doc | None = None
    quads: list[Quad] = field(default_factory=list)
    error: KGError | None = None


class Pipeline:
    """All stages, built once from the bundled data and reused for every article."""

    def __init__(self, resources: Resources | None = None, segmenter: str = "jieba") -> None:
        self.resources = resources or Resources()
        self.background = Background.load(self.resources)
        self.lexicon = Lexicon.load(self.resources, self.background.reference)
        self.segmenter = Segmenter(self.lexicon.terms(), backend=segmenter)
        self.recogniser = Recogniser(self.lexicon)
        doc_words = _roles(self.resources.jsonl("lexicon/document_words.jsonl"))
        initiative_words = _roles(self.resources.jsonl("lexicon/initiative_words.jsonl"))
        meeting_shapes = self.resources.jsonl("lexicon/meeting_shapes.jsonl")
        meeting_heads = next(row["words"] for row in meeting_shapes if row["role"] == "head")
        self.stages: list[Stage] = [
            self.recogniser,
            DatelineRule(self.lexicon),
            PersonRule(self.lexicon, self.segmenter, meeting_heads),
            SummitRule(self.lexicon, meeting_shapes, self.segmenter),
            DocumentRule(self.lexicon, doc_words),
            InitiativeRule(self.lexicon, initiative_words, self.segmenter),
            SpeechRule(),
            AttendanceRule(self.lexicon, self.resources),
            AreaRule(self.lexicon, self.segmenter, _roles(self.resources.jsonl("lexicon/area_words.jsonl"))),
            MentionRule(self.lexicon),
            restore_names,
        ]
        self.writer = GraphWriter()

    def document(self, raw: RawArticle) -> Doc:
        """Run every stage on one article."""
        article = normalise(raw)
        doc = Doc(article, sentences=split_sentences(article.text))
        if article.source:
            source_name = fold(to_simplified(article.source) if article.original_text is not None else article.source)
            source = next((m for m in self.recogniser.match(source_name) if m.kind == "org"), None)
            doc.context["source_org"] = source.ref if source else None
        for stage in self.stages:
            doc = stage(doc)
        if article.converted:  # the reference's zh-Hant names of what the article names
            hant = self.lexicon.hant_labels
            doc.context["reference_hant"] = {ref: hant[ref] for ref in doc.entities if ref in hant}
        return doc

    def run(self, paths: list[str | Path], encoding: str | None = None) -> Iterator[ArticleResult]:
        """Process articles one by one; an article that fails yields its error and the run goes on."""
        for path in discover(paths):
            try:
                raw = read_article(path, encoding)
                doc = self.document(raw)
                yield ArticleResult(path, doc, self.writer(doc))
            except KGError as exc:
                yield ArticleResult(path, error=exc)


def _roles(rows: list[dict]) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {row["role"]: row["words"] for row in rows}


__all__ = ["ArticleResult", "Pipeline", "Ref"]
