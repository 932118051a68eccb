"""Speeches: 发表题为《…》的重要讲话 — title, speaker, summit."""
from __future__ import annotations

import re

from kg import iris
from kg.model import Doc, Ref, Value
from kg.pipeline.relate.common import nearest_before

_SPEECH = re.compile(r"发表(?:了)?题为《(?P<title>[^》]+)》的(?:[^，。《》]{0,4}?)"
                     r"(?:讲话|发言|致辞|演讲|书面讲话|贺词)")


class SpeechRule:
    name = "speech-title"

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        for hit in _SPEECH.finditer(text):
            title = re.sub(r"\s+", " ", hit.group("title")).strip()
            sentence = doc.sentence_at(hit.start())
            speaker = nearest_before(doc, hit.start(), sentence.start, "person")
            if speaker is None and sentence.index > 0:
                previous = doc.sentences[sentence.index - 1]
                speaker = nearest_before(doc, previous.end, previous.start, "person")
            summit = doc.context.get("summit")
            scope = summit.key if isinstance(summit, Ref) else f"article/{iris.slug(doc.article.id)}"
            ref = Ref("speech", f"{scope}/{iris.slug(title)}")
            doc.entity(ref, title, "Speech")
            span = hit.span()
            doc.add(ref, "type", Ref("class", "Speech"), *span, self.name)
            doc.add(ref, "title", Value(title, lang="zh-Hans"), hit.start("title"), hit.end("title"), self.name)
            doc.add(ref, "label", Value(title, lang="zh-Hans"), hit.start("title"), hit.end("title"), self.name)
            if speaker is not None and speaker.ref is not None:
                doc.add(ref, "speaker", speaker.ref, min(speaker.start, hit.start()), hit.end(), self.name)
            if isinstance(summit, Ref):
                doc.add(ref, "deliveredAt", summit, *span, self.name)
            doc.add(Ref("article", doc.article.id), "mentions", ref, *span, self.name)
        return doc
