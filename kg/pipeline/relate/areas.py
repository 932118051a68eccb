"""Areas of cooperation: the items of an enumeration before 领域 (推动数字经济、电子商务等领域合作)."""
from __future__ import annotations

import re

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Ref, Value
from kg.pipeline.segment import Segmenter

_ENUM = re.compile(r"(?P<items>[^，。；：、等“”]{1,16}(?:、[^，。；：、等“”]{1,10})+?)"
                   r"等?(?:[一二三四五六七八九十\d]+大)?(?:重点|相关|优先|各)?领域")


_COUNT = re.compile(r"(?:[一二两三四五六七八九十\d]+大)?(?:重点|相关|优先|各)?$")
_JOINS = ("以及", "和", "及", "与")


class AreaRule:
    name = "area-enumeration"

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.known = sorted(lexicon.areas, key=len, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        summit = doc.context.get("summit")
        for hit in _ENUM.finditer(text):
            base = hit.start("items")
            if "关于" in hit.group("items"):
                continue  # an enumeration of documents (关于A、关于B…领域合作的声明)
            parts = list(re.finditer(r"[^、]+", hit.group("items")))
            first = parts[0]
            head_start, head_end = base + first.start(), base + first.end()
            label, start = self._first_item(doc, text[head_start:head_end], head_start)
            items = [(label, start, head_end)] if label else []
            for part in parts[1:]:
                items.extend(self._later_item(part.group(), base + part.start(), last=part is parts[-1]))
            for label, start, end in items:
                if not 1 <= len(label) <= 12:
                    continue
                self._area(doc, summit, label, start, end, self.name)
        self._titled(doc, summit)
        return doc

    def _titled(self, doc: Doc, summit: object) -> None:
        """A document named after a field of cooperation (《…政府间科技合作协定》) names that field."""
        text = doc.article.text
        if not self.known:
            return
        known = re.compile("(" + "|".join(map(re.escape, self.known)) + ")合作")
        for title in re.finditer(r"《[^》]+》", text):
            for hit in known.finditer(text, title.start(), title.end()):
                self._area(doc, summit, hit.group(1), hit.start(1), hit.end(1), "area-document-title")

    def _area(self, doc: Doc, summit: object, label: str, start: int, end: int, rule: str) -> None:
        ref = Ref("area", iris.slug(label))
        doc.entity(ref, label, "CooperationArea")
        doc.add(ref, "type", Ref("class", "CooperationArea"), start, end, rule)
        doc.add(ref, "label", Value(label, lang="zh-Hans"), start, end, rule)
        doc.add(Ref("article", doc.article.id), "mentions", ref, start, end, rule)
        if isinstance(summit, Ref):
            doc.add(summit, "cooperationArea", ref, start, end, rule)

    @staticmethod
    def _later_item(chunk: str, start: int, last: bool) -> list[tuple[str, int, int]]:
        """An item after 、: without a count (人文四大重点领域), and the last one split at 和/及/与
        when both sides are words of their own (产能和投资三大领域)."""
        count = _COUNT.search(chunk)
        if count:
            chunk = chunk[: count.start()]
        label = chunk.strip()
        if last:
            for join in _JOINS:
                k = label.find(join)
                if k >= 2 and len(label) - k - len(join) >= 2:
                    right = k + len(join)
                    return [(label[:k], start, start + k), (label[right:], start + right, start + len(label))]
        return [(label, start, start + len(label))]

    def _first_item(self, doc: Doc, chunk: str, offset: int) -> tuple[str, int]:
        """The first item is the end of a longer phrase (推动数字经济): a known area that ends it,
        else the last word jieba finds in it."""
        for area in self.known:
            if chunk.endswith(area):
                return area, offset + len(chunk) - len(area)
        tokens = self.segmenter.tokens(chunk, offset)
        if not tokens:
            return "", offset
        last = tokens[-1]
        return last.text, last.start
