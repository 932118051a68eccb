"""Recognise names in text with the gazetteer: states, organizations, cities, persons, titles."""
from __future__ import annotations

from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref


class Recogniser:
    """Leftmost-longest dictionary matching over the whole text.

    Known names become mentions of their entity; titles become ``post`` mentions (resolved to
    persons later); blockers (主席国, 记者会…) only stop shorter words from matching inside them.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.pattern = lexicon.gazetteer_pattern()

    def __call__(self, doc: Doc) -> Doc:
        doc.mentions.extend(self.match(doc.article.text))
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return doc

    def match(self, text: str) -> list[Mention]:
        lex = self.lexicon
        out: list[Mention] = []
        for found in self.pattern.finditer(text):
            word, start, end = found.group(), found.start(), found.end()
            if word in lex.names:
                ref = self._pick(lex.names[word])
                if ref.kind == "org" and "UnitOnly" in lex.classes.get(ref, set()):
                    out.append(Mention("unit", start, end, word, ref))
                else:
                    out.append(Mention(ref.kind, start, end, word, ref))
            elif word in lex.posts:
                out.append(Mention("post", start, end, word, Ref("post", word)))
            # blockers produce no mention
        return out

    @staticmethod
    def _pick(refs: list[Ref]) -> Ref:
        """One entity per written form: states before organizations before the rest."""
        order = {"state": 0, "org": 1, "person": 2, "city": 3, "initiative": 4}
        return sorted(refs, key=lambda r: (order.get(r.kind, 9), r.key))[0]
