"""Small helpers shared by the relation rules."""
from __future__ import annotations

from kg.model import Doc, Mention, Ref

HAN = r"\u3400-\u9fff"
PUNCT = set("，。、；：！？“”‘’《》（）()〈〉「」『』,.;:!?\n \u3000\xa0")
#: Summit words that refer back to the report's own meeting.
SUMMIT_ALIASES = ("本次峰会", "此次峰会", "这次峰会", "视频峰会", "本届峰会", "本次会议", "此次会议", "这次会议",
                  "本次会晤", "此次会晤", "这次会晤", "峰会", "会晤", "会议")


def mentions_in(doc: Doc, start: int, end: int, *kinds: str) -> list[Mention]:
    return [m for m in doc.mentions if start <= m.start and m.end <= end and (not kinds or m.kind in kinds)]


def nearest_before(doc: Doc, offset: int, floor: int, *kinds: str) -> Mention | None:
    """The mention of one of ``kinds`` that ends closest before ``offset`` (not before ``floor``)."""
    best = None
    for m in doc.mentions:
        if m.kind in kinds and floor <= m.start and m.end <= offset and (best is None or m.end > best.end):
            best = m
    return best


def agent_before(doc: Doc, offset: int, floor: int) -> Mention | None:
    """Who does what is written at ``offset``: the nearest person, else the nearest state."""
    return nearest_before(doc, offset, floor, "person") or nearest_before(doc, offset, floor, "state")




def summit_at(doc: Doc, offset: int) -> Ref | None:
    """The meeting that what is written at ``offset`` belongs to.

    A report may name several meetings (a history paragraph, the next meeting, a dialogue held
    alongside); the summit rule records each one it finds. A fact read at ``offset`` belongs to
    the meeting its sentence names (the one named nearest before ``offset``, else the one after
    it in the same sentence); a sentence that names none is about the report's main summit
    (``doc.context["summit"]``). ``None`` when the report names no meeting at all.
    """
    main = doc.context.get("summit")
    spans = doc.context.get("summit_spans")
    if isinstance(spans, list) and spans:
        sentence = doc.sentence_at(offset)
        inside = [(ref, s, e) for ref, s, e in spans if sentence.start <= s < sentence.end]
        before = [item for item in inside if item[1] <= offset]
        pick = before[-1] if before else (inside[0] if inside else None)
        if pick is not None:
            return pick[0]
    return main if isinstance(main, Ref) else None
