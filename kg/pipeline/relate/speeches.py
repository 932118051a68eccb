"""Speeches: 发表题为《…》的重要讲话 (title, speaker, meeting), and speeches without a title
(习近平发表重要讲话, 普京在会上发言, 在发言中…) with their speaker.

One speech per speaker and meeting: an untitled mention of a speaker who gave a titled speech at
the same meeting is that speech (讲话指出… after the title), and so are later untitled mentions.
"""
from __future__ import annotations

import re

from kg import iris
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.relate.common import nearest_before, summit_at

_SPEECH = re.compile(r"发表(?:了)?题为《(?P<title>[^》]+)》的(?:[^，。《》]{0,4}?)"
                     r"(?:讲话|发言|致辞|演讲|书面讲话|贺词)")
#: A speech without a title: 发表（重要/主旨…）讲话, 在会上发言, 在发言中, 并致辞.
_UNTITLED = re.compile(
    r"发表(?:了)?(?:重要|主旨|视频|书面|即席|热情洋溢的|简短)?\s*(?:讲话|致辞|演讲|发言)(?!稿)"
    r"|在(?:会上|会议上|峰会上|会晤上|开幕式上|闭幕式上|对话会上)?(?:发言|致辞|讲话)(?![稿人])"
    r"|在[^，。；、]{0,6}(?:讲话|发言|致辞)(?:中|时)"
    r"|并(?:发言|致辞|讲话)")
#: Words that put the speech in the future (将在峰会上发表讲话): a preview reports no speech.
_FUTURE = ("将", "拟", "即将", "将要", "计划")
#: A speech at a press event is not a speech at the meeting.
_PRESS = re.compile(r"记者会|新闻发布会|记者招待会|答记者问|吹风会")


class SpeechRule:
    name = "speech-title"

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        given: dict[tuple[Ref | None, Ref], Ref] = {}  # (meeting, speaker) -> speech
        titled_spans: list[tuple[int, int]] = []
        for hit in _SPEECH.finditer(text):
            title = re.sub(r"\s+", " ", hit.group("title")).strip()
            sentence = doc.sentence_at(hit.start())
            speaker = nearest_before(doc, hit.start(), sentence.start, "person")
            if speaker is None and sentence.index > 0:
                previous = doc.sentences[sentence.index - 1]
                speaker = nearest_before(doc, previous.end, previous.start, "person")
            summit = summit_at(doc, hit.start())
            ref = Ref("speech", f"{self._scope(doc, summit)}/{iris.slug(title)}")
            doc.entity(ref, title, "Speech")
            span = hit.span()
            titled_spans.append(span)
            doc.add(ref, "type", Ref("class", "Speech"), *span, self.name)
            doc.add(ref, "title", Value(title, lang="zh-Hans"), hit.start("title"), hit.end("title"), self.name)
            doc.add(ref, "label", Value(title, lang="zh-Hans"), hit.start("title"), hit.end("title"), self.name)
            if speaker is not None and speaker.ref is not None:
                doc.add(ref, "speaker", speaker.ref, min(speaker.start, hit.start()), hit.end(), self.name)
                given.setdefault((summit, speaker.ref), ref)
            if summit is not None:
                doc.add(ref, "deliveredAt", summit, *span, self.name)
            doc.add(Ref("article", doc.article.id), "mentions", ref, *span, self.name)
        for hit in _UNTITLED.finditer(text):
            if any(s <= hit.start() < e for s, e in titled_spans):
                continue
            speaker = self._speaker(doc, hit.start())
            if speaker is None:
                continue
            summit = summit_at(doc, hit.start())
            span = (speaker.start, hit.end())
            ref = given.get((summit, speaker.ref))  # type: ignore[arg-type]
            if ref is None:
                ref = Ref("speech", f"{self._scope(doc, summit)}/speech-{iris.slug(speaker.ref.key)}")  # type: ignore[union-attr]
                given[(summit, speaker.ref)] = ref  # type: ignore[index]
                doc.entity(ref, f"{speaker.text}讲话", "Speech")
                doc.add(ref, "type", Ref("class", "Speech"), *span, "speech-untitled")
                doc.add(ref, "speaker", speaker.ref, *span, "speech-untitled")  # type: ignore[arg-type]
                if summit is not None:
                    doc.add(ref, "deliveredAt", summit, *span, "speech-untitled")
            doc.add(Ref("article", doc.article.id), "mentions", ref, *span, "speech-untitled")
        return doc

    @staticmethod
    def _scope(doc: Doc, summit: Ref | None) -> str:
        return summit.key if summit is not None else f"article/{iris.slug(doc.article.id)}"

    @staticmethod
    def _by_surname(doc: Doc, post: Mention) -> Mention | None:
        """习主席, 普总统: a surname before a title names the one person of the report whose name starts
        with it; the mention returned spans the surname and the title."""
        text = doc.article.text
        if post.start == 0 or not "\u4e00" <= text[post.start - 1] <= "\u9fff":
            return None
        surname = text[post.start - 1]
        named = {m.ref for m in doc.mentions if m.kind == "person" and m.ref is not None and m.text.startswith(surname)}
        if len(named) != 1:
            return None
        (ref,) = named
        return Mention("person", post.start - 1, post.end, text[post.start - 1:post.end], ref, "speech-surname-title")

    @staticmethod
    def _speaker(doc: Doc, offset: int) -> Mention | None:
        """The one person who speaks at ``offset``: the nearest person before it in the clause, when
        the clause is not about the future (将发表讲话), a list of speakers (A、B列席并发言) or a
        press event (记者会)."""
        text = doc.article.text
        sentence = doc.sentence_at(offset)
        floor = max(sentence.start, text.rfind("；", sentence.start, offset) + 1)
        speaker = nearest_before(doc, offset, floor, "person")
        post = nearest_before(doc, offset, floor, "post")
        if post is not None and (speaker is None or speaker.end <= post.start - 1):
            speaker = SpeechRule._by_surname(doc, post) or speaker
        if speaker is None or speaker.ref is None:
            return None
        between = text[speaker.end:offset]
        if any(w in between for w in _FUTURE) or "。" in between:
            return None
        persons = [m for m in doc.mentions if m.kind == "person" and floor <= m.start and m.end <= offset]
        if len(persons) >= 2 and "、" in text[persons[-2].end:persons[-1].start]:
            return None  # 甲、乙、丙列席并发言: a list, not one speech
        context_start = doc.sentences[max(0, sentence.index - 2)].start
        if _PRESS.search(text, context_start, sentence.end):
            return None
        return speaker
