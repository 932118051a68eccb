"""Record which states, organizations and persons an article names (schema:mentions)."""
from __future__ import annotations

import re

from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.recognise import ORG_SHAPE_RULES

_CLASS = {"state": "State", "person": "Person", "city": "City"}


class MentionRule:
    name = "mention"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        article = Ref("article", doc.article.id)
        titles = [t.span() for t in re.finditer(r"《[^》]*》", doc.article.text)]
        for m in doc.mentions:
            if m.ref is None or m.kind not in ("state", "org", "person", "city", "unit"):
                continue
            if any(a < m.start and m.end < b for a, b in titles):
                continue  # words of a document's or speech's title name no organization of the report
            known = m.ref in self.lexicon.labels
            label = self.lexicon.labels.get(m.ref, m.text)
            cls = _class(m)
            doc.entity(m.ref, label, *([cls] if cls else []), known=known)
            doc.add(article, "mentions", m.ref, m.start, m.end, f"{m.rule}-{m.kind}")
            if not known:  # named by a lexicon or by the text only: the article says what it is called
                if cls:
                    doc.add(m.ref, "type", Ref("class", cls), m.start, m.end, m.rule)
                doc.add(m.ref, "label", Value(m.text, lang="zh-Hans"), m.start, m.end, m.rule)
        return doc


def _class(m: Mention) -> str | None:
    """The class of what a mention names; organizations read by shape are typed by their rule
    (an outlet is a MediaOrganization, any other an Organization)."""
    if m.kind in _CLASS:
        return _CLASS[m.kind]
    if m.kind == "org" and m.ref is not None:
        return ORG_SHAPE_RULES.get(m.rule, "Organization")
    return None
