"""Small helpers shared by the relation rules."""
from __future__ import annotations

from kg.model import Doc, Mention

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



