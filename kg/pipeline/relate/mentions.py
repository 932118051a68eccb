"""Record which states, organizations and persons an article names (schema:mentions)."""
from __future__ import annotations

from kg.lexicon import Lexicon
from kg.model import Doc, Ref, Value

_CLASS = {"state": "State", "person": "Person", "city": "City"}


class MentionRule:
    name = "mention"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        article = Ref("article", doc.article.id)
        for m in doc.mentions:
            if m.ref is None or m.kind not in ("state", "org", "person", "city", "unit"):
                continue
            known = m.ref in self.lexicon.labels
            label = self.lexicon.labels.get(m.ref, m.text)
            doc.entity(m.ref, label, *([_CLASS[m.kind]] if m.kind in _CLASS else []), known=known)
            doc.add(article, "mentions", m.ref, m.start, m.end, f"{m.rule}-{m.kind}")
            if not known and m.kind != "person":
                doc.add(m.ref, "label", Value(m.text, lang="zh-Hans"), m.start, m.end, m.rule)
        return doc
