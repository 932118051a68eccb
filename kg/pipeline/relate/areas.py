"""Areas of cooperation, fields named as fields: the items of an enumeration before 领域
(推动数字经济、电子商务等领域合作), a single field before 合作 after a verb (深化能源合作,
A合作和B合作, A和B合作), 在A、B方面, 在A领域, and A合作 inside a document's name. Never a verb
phrase (参与, 在50多个), never a word that only qualifies cooperation (务实合作, 区域合作)."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.relate.common import summit_at
from kg.pipeline.segment import Segmenter

#: At most 24 items: the bound keeps a long list of 、 that never reaches 领域 linear to search.
_ENUM = re.compile(r"(?P<items>[^，。；：、等“”]{1,16}(?:、[^，。；：、等“”]{1,10}){1,24}?)"
                   r"等?(?:[一二三四五六七八九十\d]+大)?(?:重点|相关|优先|各)?领域")


_COUNT = re.compile(r"(?:[一二两三四五六七八九十\d]+大)?(?:重点|相关|优先|各)?$")
_JOINS = ("以及", "和", "及", "与")
#: Kinds of names inside which 合作 is no field's cooperation (上海合作组织, 上海合作组织成员国元首理事会).
_NAMES = frozenset({"org", "unit", "summit", "person", "state", "city", "initiative"})


class AreaRule:
    name = "area-enumeration"

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter, words: dict[str, list[str]] | None = None) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter
        self._names: tuple[list[int], list[int]] = ([], [])  # the article's name spans (starts, ends)
        self.known = sorted(lexicon.areas, key=len, reverse=True)
        words = words or {}
        self.not_field = frozenset(words.get("not_field", ()))
        self.not_field_end = tuple(words.get("not_field_end", ()))
        self.verb_field = tuple(words.get("verb_field", ()))
        #: a group of parties, not a field (中东欧国家, 沿线国家, 拉美地区): such a label is no area
        self.party_end = tuple(words.get("party_end", ()))
        #: tags of a word that, before a known field, belongs to it (数字贸易, 服务贸易)
        self.modifier_tags = frozenset(words.get("modifier_tag", ()))
        self._known_before_co = re.compile("(" + "|".join(map(re.escape, self.known)) + ")合作") if self.known \
            else re.compile("(?!)")
        self.prepositions = tuple(words.get("preposition", ()))
        self.after_not = tuple(words.get("after_not", ()))
        owners = "|".join(map(re.escape, sorted(words.get("owner", ()), key=len, reverse=True))) or "(?!)"
        tails = "|".join(map(re.escape, sorted(words.get("owner_tail", ()), key=len, reverse=True))) or "(?!)"
        self.owner = re.compile(rf"(?:{owners})+(?:{tails})?")
        self.owner_tail = re.compile(rf"(?:{tails})")
        self.tails = tuple(words.get("owner_tail", ()))
        self.verbs = tuple(sorted(words.get("verb", ()), key=len, reverse=True))
        verbs = "|".join(map(re.escape, sorted(words.get("verb", ()), key=len, reverse=True))) or "(?!)"
        self.chain = re.compile(r"[和与及、](?P<a>[\u4e00-\u9fff]{2,8}?)合作")
        #: 在A、B方面, 在A方面
        self.aspect = re.compile(r"在(?P<items>[^，。；：在“”]{2,40}?)方面")
        #: 在A领域, 关于A领域合作, 开展A领域合作
        self.field = re.compile(rf"(?:在|关于|{verbs})(?P<a>[\u4e00-\u9fff]{{2,10}}?)领域")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        self._names = _merged_spans(m for m in doc.mentions if m.kind in _NAMES)
        for hit in _ENUM.finditer(text):
            base = hit.start("items")
            if "关于" in hit.group("items"):
                continue  # an enumeration of documents (关于A、关于B…领域合作的声明)
            parts = list(re.finditer(r"[^、]+", hit.group("items")))
            first = parts[0]
            head_start, head_end = base + first.start(), base + first.end()
            label, start = self._first_item(doc, text[head_start:head_end], head_start)
            start = self._modifier(doc, label, start, head_start)
            label = text[start:head_end] if label else label
            items = [(label, start, head_end)] if label else []
            for part in parts[1:]:
                items.extend(self._later_item(part.group(), base + part.start(), last=part is parts[-1]))
            items = [(label, start, end) for label, start, end in items if 1 <= len(label) <= 12]
            if any(not self._is_field(label) for label, _, _ in items[1:]) or (
                    items and not self._is_field(items[0][0]) and len(items) < 3):
                continue  # 推动完善…机制、深化各领域合作; 26国参与、在50多个领域: verbs, not fields
            for label, start, end in items:
                if self._is_field(label):
                    self._area(doc, label, start, end, self.name)
        self._single(doc)
        self._aspects(doc)
        self._fields(doc)
        self._titled(doc)
        self._document_names(doc)
        return doc

    def _is_strict_field(self, label: str) -> bool:
        """A field read from one word before 合作 (no enumeration to vouch for it): also no place name
        (北欧合作, 澜湄合作) and no phrase jieba cuts into single characters (国际抗疫, 澜湄)."""
        if label in self.lexicon.areas:
            return True
        if not self._is_field(label):
            return False
        if label.startswith(self.verb_field) and len(label) == 2:
            return True
        if (self.segmenter.word_tag(label) or "").startswith(("ns", "nr", "nt")):
            return False
        return all(len(word) > 1 for word in self.segmenter.words(label))

    def _is_field(self, label: str) -> bool:
        """A field's name: a known area, or a word that is no verb, adverb or number, does not start with
        a preposition and does not only qualify cooperation (务实, 区域)."""
        if label in self.lexicon.areas:
            return True
        if len(label) < 2 or re.search(r"[0-9一二三四五六七八九十多几各每]", label[:1]) or re.search(r"[0-9]", label):
            return False
        if label.startswith(self.prepositions) or label in self.not_field or label.endswith(self.not_field_end):
            return False
        if label.endswith(("的", "等", "和", "与", "及")):
            return False
        if "领域" in label or "方面" in label:
            return False
        tag = self.segmenter.word_tag(label)
        if len(label) <= 4 and label.startswith(self.verb_field):
            return True  # 反毒, 禁毒, 抗疫: a field named by what it fights
        if tag is not None and (tag[:1] in "vdpcrmju" and tag != "vn" or tag in ("a", "ad")):
            return False
        first = self.segmenter.first_word(label)
        if first != label and self.segmenter.word_tag(first) in ("p", "c", "d", "r"):
            return False
        return True

    def _strip_owner(self, doc: Doc, start: int, end: int) -> int:
        """Cut who cooperates off the front of a field (本组织执法安全, 上合组织框架内经贸)."""
        text = doc.article.text
        while start < end:
            mention = next((m for m in doc.mentions if m.start == start and m.end <= end
                            and m.kind in ("org", "state", "summit")), None)
            if mention is not None:
                start = mention.end
                tail = self.owner_tail.match(text, start, end)
                if tail:
                    start = tail.end()
                continue
            hit = self.owner.match(text, start, end)
            if hit and hit.end() > start:
                start = hit.end()
                continue
            break
        return start

    def _inside_name(self, doc: Doc, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a name (:data:`_NAMES`): a binary search in the
        article's name spans, merged once per article (this rule adds no names)."""
        ends = self._names[1]
        k = bisect.bisect_right(ends, start)  # the first merged span ending after ``start``
        return k < len(ends) and self._names[0][k] < end and start < end

    def _split(self, doc: Doc, start: int, end: int) -> list[tuple[str, int, int]]:
        """A and B of A和B (经贸和人文): both sides when both are fields, else the whole."""
        text = doc.article.text
        label = text[start:end]
        for join in _JOINS:
            k = label.find(join)
            if k >= 2 and len(label) - k - len(join) >= 2:
                left, right = (label[:k], start, start + k), (label[k + len(join):], start + k + len(join), end)
                if self._is_field(left[0]) and self._is_field(right[0]):
                    return [left, right]
        return [(label, start, end)]

    def _single(self, doc: Doc) -> None:
        """深化能源合作, 深化本组织执法安全合作, 加强…框架内经贸和人文合作, 深化A合作和B合作."""
        text = doc.article.text
        for hit in re.finditer("合作", text):
            a_end = hit.start()
            if self._inside_name(doc, a_end, hit.end()):
                continue
            window_start = max(0, a_end - 18)
            verb_end = None
            for k in range(a_end - 2, window_start - 1, -1):
                if text[k] in "，。；：“”《》（）" or (
                        text.startswith("合作", k) and not self._inside_name(doc, k, k + 2)):
                    break
                verb = next((v for v in self.verbs if text.startswith(v, k)), None)
                if verb is not None:
                    verb_end = k + len(verb) + (1 if text.startswith("了", k + len(verb)) else 0)
                    break
            if verb_end is None or a_end - verb_end < 2:
                continue
            pieces = [(verb_end, a_end, hit.end())]
            pos = hit.end()
            while True:
                more = self.chain.match(text, pos)
                if not more:
                    break
                pieces.append((more.start("a"), more.end("a"), more.end()))
                pos = more.end()
            for a_start, a_end, co_end in pieces:
                if text.startswith(self.after_not, co_end) or self._inside_name(doc, co_end - 2, co_end):
                    continue  # 合作组织, 上海合作组织
                a_start = self._strip_owner(doc, a_start, a_end)
                if "、" in text[a_start:a_end] or not 2 <= a_end - a_start <= 8:
                    continue
                if self._inside_name(doc, a_start, a_end):
                    continue
                for label, start, end in self._split(doc, a_start, a_end):
                    if self._is_strict_field(label):
                        self._area(doc, label, start, end, "area-single")

    def _aspects(self, doc: Doc) -> None:
        """在A、B方面 and 在A方面 (在成员国产业协同、市场对接、技术交流方面)."""
        text = doc.article.text
        for hit in self.aspect.finditer(text):
            base = hit.start("items")
            parts = [(base + p.start(), base + p.end()) for p in re.finditer(r"[^、]+", hit.group("items"))]
            items: list[tuple[str, int, int]] = []
            for k, (start, end) in enumerate(parts):
                if k == 0:
                    start = self._strip_owner(doc, start, end)
                if k == len(parts) - 1:
                    items.extend(self._split(doc, start, end))
                else:
                    items.append((text[start:end], start, end))
            if not items or any(not 2 <= len(label) <= 8 or not self._is_field(label) or self._verb_first(label)
                                or self._inside_name(doc, start, end) for label, start, end in items):
                continue
            for label, start, end in items:
                self._area(doc, label, start, end, "area-aspect")

    def _verb_first(self, label: str) -> bool:
        """促进不同文明对话: a phrase opened by a verb is no field (unless it is a known area)."""
        if label in self.lexicon.areas:
            return False
        first = self.segmenter.first_word(label)
        return first != label and (self.segmenter.word_tag(first) or "").startswith("v") and \
            self.segmenter.word_tag(first) != "vn"

    def _fields(self, doc: Doc) -> None:
        """在A领域, 关于A领域合作, 开展A领域合作: one field before 领域 (no enumeration)."""
        text = doc.article.text
        for hit in self.field.finditer(text):
            start, end = self._strip_owner(doc, hit.start("a"), hit.end("a")), hit.end("a")
            label = text[start:end]
            if "、" in label or not 2 <= len(label) <= 8 or not self._is_field(label) or self._verb_first(label):
                continue
            if self._inside_name(doc, start, end):
                continue
            self._area(doc, label, start, end, "area-field")

    def _document_names(self, doc: Doc) -> None:
        """A合作 inside a document's name (边防合作协定, 政府间科技合作协定, 反毒合作协议): the words between
        the owner (成员国, 政府间, an organisation) or the start of the name and 合作."""
        text = doc.article.text
        spans = {(f.evidence.start, f.evidence.end) for f in doc.facts
                 if f.subject.kind == "document" and f.predicate in ("label", "alias") and f.evidence is not None}
        spans |= {m.span() for m in re.finditer(r"《[^》]+》", text)}
        owner_ends = {m.end for m in doc.mentions if m.kind in ("org", "state")}
        owner_tails = (*self.tails, "成员国")
        for s, e in sorted(spans):
            for hit in re.finditer("合作", text[s:e]):
                co = s + hit.start()
                if self._inside_name(doc, co, co + 2) or text[co - 2:co] == "领域":
                    continue
                i, floor = co, max(s, co - 7)  # a field has 2 to 6 characters: a 7th shows it is longer
                while i > floor and "\u4e00" <= text[i - 1] <= "\u9fff" and not text.startswith("关于", i - 2) and \
                        text[i - 1] != "的" and i not in owner_ends \
                        and not text.endswith(owner_tails, 0, i):
                    i -= 1
                if i > s and (text[i - 1] == "的" or text[i - 1] in "0123456789"):
                    continue  # …的极端化合作, 2009年合作纲要: no field of its own
                label = text[i:co]
                if any(f.evidence is not None and f.evidence.end == co for f in doc.facts
                       if f.subject.kind == "area" and f.predicate == "label"):
                    continue  # read already as a known area (贸易投资合作纲要 → 投资)
                if 2 <= len(label) <= 6 and self._is_strict_field(label) and not self._verb_first(label):
                    self._area(doc, label, i, co, "area-document-name")

    def _titled(self, doc: Doc) -> None:
        """A document named after a field of cooperation (《…政府间科技合作协定》) names that field."""
        text = doc.article.text
        if not self.known:
            return
        for title in re.finditer(r"《[^》]+》", text):
            for hit in self._known_before_co.finditer(text, title.start(), title.end()):
                start = hit.start(1)
                # a noun before the known field belongs to it (粮食安全合作 → 粮食安全, not 安全)
                words = self.segmenter.words(text[title.start() + 1:start])
                if words and len(words[-1]) >= 2 and self.segmenter.word_tag(words[-1]) == "n" and \
                        not self._inside_name(doc, start - len(words[-1]), start) and \
                        not self._is_party(doc, words[-1], start - len(words[-1]), start):
                    start -= len(words[-1])
                self._area(doc, text[start:hit.end(1)], start, hit.end(1), "area-document-title")

    def _modifier(self, doc: Doc, label: str, start: int, floor: int) -> int:
        """A known field read as the end of a longer phrase takes the noun before it (在数字贸易 →
        数字贸易, not 贸易): one dictionary word of two characters or more tagged as a noun, that
        is no owner, no qualifier of cooperation and no part of a name."""
        if label not in self.lexicon.areas or start <= floor or not self.modifier_tags:
            return start
        tokens = self.segmenter.tokens(doc.article.text[floor:start], floor)
        if not tokens:
            return start
        word = tokens[-1]
        if len(word.text) < 2 or (self.segmenter.word_tag(word.text) or "") not in self.modifier_tags:
            return start
        if word.text in self.not_field or self.owner.fullmatch(word.text) or word.text.startswith(self.prepositions) \
                or self._inside_name(doc, word.start, word.end) or self._is_party(doc, word.text, word.start, word.end):
            return start
        return word.start

    def _is_party(self, doc: Doc, label: str, start: int, end: int) -> bool:
        """Who cooperates, not a field: a known name (a state, a region, an organisation, a
        mechanism), a group of parties by its shape (…国家, …地区, …各国), or a party of a pair
        written with a dash (中国-X合作, X-中国合作)."""
        text = doc.article.text
        if label in self.lexicon.areas:
            return False
        if label in self.lexicon.names or label.endswith(self.party_end):
            return True
        if (start > 0 and text[start - 1] == "-") or text.startswith("-", end):
            return True
        return any(m.start < end and start < m.end and m.kind in ("state", "org", "summit", "city")
                   for m in doc.mentions)

    def _area(self, doc: Doc, label: str, start: int, end: int, rule: str) -> None:
        if self._is_party(doc, label, start, end):
            return  # 深化中国-中东欧国家合作: the mechanism's own cooperation, named by its parties
        ref = Ref("area", iris.slug(label))
        doc.entity(ref, label, "CooperationArea")
        doc.add(ref, "type", Ref("class", "CooperationArea"), start, end, rule)
        doc.add(ref, "label", Value(label, lang="zh-Hans"), start, end, rule)
        doc.add(Ref("article", doc.article.id), "mentions", ref, start, end, rule)
        summit = summit_at(doc, start)  # the meeting the clause is about
        if summit is not None:
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


def _merged_spans(mentions: Iterable[Mention]) -> tuple[list[int], list[int]]:
    """The starts and ends of the union of the mentions' spans, as disjoint sorted spans."""
    starts: list[int] = []
    ends: list[int] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.end <= m.start:
            continue
        if ends and m.start <= ends[-1]:
            ends[-1] = max(ends[-1], m.end)
        else:
            starts.append(m.start)
            ends.append(m.end)
    return starts, ends

