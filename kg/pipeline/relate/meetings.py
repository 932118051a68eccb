"""Names of meetings, found by their shape: an ordinal, a mechanism's name, a meeting noun.

    第三届中国-北欧国家领导人对话会      ordinal first, then the name and its head noun
    上海合作组织成员国元首理事会第二十次会议  the name, then the ordinal and the head noun
    新兴市场国家与发展中国家对话会       a name with a mechanism's words (国家, 领导人, 理事会…)
    上合组织青岛峰会 / 厦门会晤          a name with a city
    下次会议 / 明年峰会                   another meeting of the series (``relation`` next)

The name is read leftwards from the head noun until punctuation or a word that ends names (a verb,
a preposition, a time word; :file:`data/lexicon/meeting_shapes.jsonl`). Names the gazetteer
knows (states, organizations, cities) are read as a whole, so the words inside them end nothing
(上海合作组织, 亚洲相互协作与信任措施会议). The dictionaries are hints: they tell which
organization a meeting belongs to, never whether it is a meeting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg import iris
from kg.model import Doc, Mention, Ref, Token
from kg.pipeline.dates import NUM, cn_number
from kg.pipeline.segment import Segmenter

#: The longest name read before a head noun.
MAX_NAME = 30
_NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9\-·]")
_YEARS_AGO = re.compile(rf"(?P<n>{NUM})年(?:前|以前)")
_DEFINED = re.compile(r"(?:以下简称|以下称|下称|简称)")
_ASIDE = re.compile(r"（(?:以下简称|以下称|下称|简称)[^（）]*）")
_ORDINAL_FIRST = re.compile(rf"(?:第(?P<n>{NUM})[届次]|(?P<first>首)[届次])")
#: Time units among the stop words: they end a name only after a number or a time word (26日, 同日),
#: not inside a list of states' one-character names (东盟与中日韩, 中日).
_TIME_UNITS = frozenset({"年", "月", "日"})
_TIME_LEAD = re.compile(r"[0-9〇零一二三四五六七八九十百两今同当次昨明每本翌前后上下该此这]")
#: An abbreviation in brackets inside a name: 东盟与中日韩（10+3）领导人会议, 二十国集团（G20）峰会.
_ABBREV_ASIDE = re.compile(r"（[A-Za-z0-9+\-.&]{1,12}）")



def _ordinal(hit: re.Match[str]) -> int | None:
    """The ordinal a 第…次/届 or 首 match gives: a positive number, else none (第0次 counts nothing)."""
    number = 1 if hit.group("first") else cn_number(hit.group("n"))
    return number if number else None

@dataclass(frozen=True)
class MeetingName:
    """A meeting named in the text.

    ``label`` is the name as written (without a leading determiner such as 本次); ``core`` is
    the name without its ordinal; ``org`` the organization whose name it holds (a gazetteer
    hint); ``council`` a council code read in it (heads-of-state, leaders…) or None; ``city`` a
    city named in it; ``relation`` is ``this`` or ``previous``/``next`` when a word before the
    name points to another meeting of the series.
    """

    start: int
    end: int
    label: str
    core: str
    head: str
    ordinal: int | None
    org: Ref | None
    council: str | None
    city: Ref | None
    relation: str = "this"
    name_start: int = 0  # where the words naming the mechanism start (after the ordinal)
    years_ago: int | None = None  # 6年前…: how many years before the report the meeting was


class MeetingFinder:
    """Find meeting names in a document whose gazetteer mentions are already recognised."""

    def __init__(self, rows: list[dict], councils: dict[str, str],  # type: ignore[type-arg]
                 org_names: dict[str, Ref] | None = None, segmenter: Segmenter | None = None) -> None:
        self.org_names = org_names or {}
        self.segmenter = segmenter
        roles = {row["role"]: row["words"] for row in rows}
        self.cut_pos = frozenset(roles.get("cut_pos", ()))
        self.lead_pos = tuple(roles.get("lead_pos", ())) + tuple(self.cut_pos)
        self.name_words = frozenset(roles.get("name_words", ())) | frozenset(roles["join"])
        self.place_pos = frozenset(roles.get("place_pos", ()))
        self.name_place_pos = frozenset(roles.get("name_place_pos", ()))
        heads = sorted(roles["head"], key=len, reverse=True)
        self.weak_heads = set(roles["weak_head"])
        self.head_re = re.compile(rf"(?P<ord>第(?P<n>{NUM})[次届]|(?P<first>首)[次届])?(?P<head>{_alt(heads)})")
        self.stop_re = re.compile(rf"(?:{_alt(roles['stop'])})$")
        self.join = set(roles["join"])
        self.determiners = sorted(roles["determiner"], key=len, reverse=True)
        self.previous = tuple(sorted(roles["previous"], key=len, reverse=True))
        self.next = tuple(sorted(roles["next"], key=len, reverse=True))
        self.cues = tuple(roles["cue"])
        self.bodies = tuple(roles.get("body", ()))
        self.head_end_re = re.compile(rf"(?:{_alt(heads)})$")
        # councils as written in full names (成员国元首理事会…) first, then generic role words
        self.councils = sorted(councils.items(), key=lambda kv: -len(kv[0]))
        self.role_words = sorted(roles["council"].items(), key=lambda kv: -len(kv[0]))
        # a role word in brackets inside a council's name: 政府首脑（总理）理事会
        self.role_aside = re.compile(rf"（(?:{_alt([w for w, _c in self.role_words])})）")

    def find(self, doc: Doc) -> list[MeetingName]:
        text = doc.article.text
        titles = [m.span() for m in re.finditer(r"《[^》]*》", text)]
        spans = sorted((m.start, m.end, m) for m in doc.mentions if m.kind in ("state", "org", "unit", "city"))
        by_end: dict[int, Mention] = {}
        for _s, e, m in spans:
            if e not in by_end or m.start < by_end[e].start:
                by_end[e] = m
        persons_end = {m.end for m in doc.mentions if m.kind == "person"}
        out: list[MeetingName] = []
        last_end = -1
        for hit in self.head_re.finditer(text):
            if any(a <= hit.start() < b for a, b in titles) or hit.start() < last_end:
                continue
            left = hit.start()
            start = self._read_left(text, left, by_end, persons_end)
            start = self._trim(text, start, hit.start(), spans)
            found = self._name(doc, text, start, hit, spans)
            if found is not None:
                out.append(found)
                last_end = found.end
        return out

    # -- reading -----------------------------------------------------------------------
    def _read_left(self, text: str, pos: int, by_end: dict[int, Mention], persons_end: set[int]) -> int:
        """Where the name before ``pos`` starts."""
        i = pos
        floor = max(0, pos - MAX_NAME)
        while i > floor:
            if text[i - 1] == "）":
                opening = text.rfind("（", max(0, i - MAX_NAME), i - 1)
                if opening >= 0 and (_DEFINED.match(text, opening + 1) or self.role_aside.fullmatch(text, opening, i)
                                     or _ABBREV_ASIDE.fullmatch(text, opening, i)):
                    i = opening  # 上海合作组织（以下简称“上合组织”）成员国…, 政府首脑（总理）理事会, （10+3）
                    continue
                break
            known = by_end.get(i)
            if known is not None:
                i = known.start  # a name the gazetteer knows is read whole
                continue
            if not _NAME_CHAR.match(text[i - 1]):
                break
            stop = self.stop_re.search(text, max(0, i - 4), i)
            if stop is not None and not (stop.group() in _TIME_UNITS and not _TIME_LEAD.match(text, stop.start() - 1)):
                break  # 26日, 同日 end a name; 日 of 中日韩 does not
            ch = text[i - 1]
            if ch in self.join:
                before = i - 1
                if before in persons_end or self.head_end_re.search(text, max(0, before - 8), before):
                    break  # 习近平和…, …会晤和…: two names, not one
                if i == pos or before <= floor:
                    break
            i -= 1
        return i

    def _trim(self, text: str, start: int, end: int, spans: list[tuple[int, int, Mention]]) -> int:
        """Drop what a name does not hold: everything up to its last verb, adverb or preposition
        (介绍…, 支持积极落实…), then numerals, measure words and pronouns that start it (七次…,
        这次…). Words of gazetteer names are never dropped."""
        if self.segmenter is None or end - start < 2:
            return start
        tokens = self.segmenter.tokens(text[start:end], start, hmm=False)
        protected = [(s, e) for s, e, _m in spans if start <= s and e <= end]
        protected += [m.span() for m in _ASIDE.finditer(text, start, end)]
        protected += [m.span() for m in _ABBREV_ASIDE.finditer(text, start, end)]

        def free(tok: Token) -> bool:
            return not any(s <= tok.start < e for s, e in protected) and tok.text not in self.name_words

        cut = 0
        for i, tok in enumerate(tokens):
            if free(tok) and self.segmenter.word_tag(tok.text) in self.cut_pos:
                cut = i + 1
        while cut < len(tokens) and free(tokens[cut]) and not _ORDINAL_FIRST.match(text, tokens[cut].start) and (
                (self.segmenter.word_tag(tokens[cut].text) or "?").startswith(self.lead_pos)
                or not tokens[cut].text.strip("（）-·")):
            cut += 1
        return tokens[cut].start if cut < len(tokens) else end

    def _name(self, doc: Doc, text: str, start: int, hit: re.Match[str],
              spans: list[tuple[int, int, Mention]]) -> MeetingName | None:
        end = hit.end()
        head = hit.group("head")
        label_start = start
        for word in self.determiners:
            if text.startswith(word, label_start) and label_start + len(word) < hit.start():
                label_start += len(word)
                break
        relation = "this"
        lead = text[max(0, label_start - 4):label_start]
        clause_start = max(text.rfind(mark, 0, label_start) for mark in "。！？\n") + 1
        ago = next(reversed(list(_YEARS_AGO.finditer(text, max(clause_start, label_start - 20), label_start))), None)
        years_ago = cn_number(ago.group("n")) if ago is not None else None
        if years_ago:
            relation = "previous"  # 6年前，…出席上合峰会; 三年前的…峰会: a past meeting
        name = text[label_start:hit.start()]
        shown_start = label_start  # the label keeps the words 下次, 明年…: 下次会议 is how the text names it
        for words, rel in ((self.next, "next"), (self.previous, "previous")):
            if lead.endswith(words) or name.startswith(words) or name.endswith(words):
                relation = rel
                marker = next((w for w in words if lead.endswith(w)), "")
                shown_start -= len(marker)
                skip = next((w for w in words if name.startswith(w)), "")
                label_start += len(skip)
                name = name[len(skip):]
                break
        ordinal = None
        if hit.group("ord"):
            ordinal = _ordinal(hit)
        name_start = label_start
        first = _ORDINAL_FIRST.match(name)
        if first:
            if ordinal is None:
                ordinal = _ordinal(first)
            name_start = label_start + first.end()
        core = text[name_start:hit.start()]
        inside = [m for s, e, m in spans if name_start <= s and e <= hit.start()]
        whole = self.org_names.get(core + head)
        if whole is not None and ordinal is None and head in self.weak_heads and relation == "this":
            return None  # 亚洲相互协作与信任措施会议: an organization whose name ends in 会议
        # the name with its head noun first: 中国-欧盟领导人会晤 names the China-EU mechanism, not the EU
        named_inside = next((m.ref for m in sorted(inside, key=lambda m: m.start - m.end) if m.kind == "org"), None)
        org = (whole or self._org(core) or self._org(core + head) or named_inside
               or self._named_by_meeting(core, head, ordinal))
        city = next((m.ref for m in inside if m.kind == "city"), None)
        if city is None and org is None and ordinal is None and head not in self.weak_heads and core:
            place = self._place(core)
            if place is not None:  # 冰城峰会: a place name and 峰会
                city = Ref("city", iris.slug(place))
        council = self._council(core)
        if not core:
            if relation == "this" and ordinal is None:
                return None  # 峰会, 会议: a back-reference, read by the alias rule
            if relation == "this" and head in self.weak_heads:
                return None  # 第二次会议 alone names nothing in particular
        elif not (org or city or ordinal or relation != "this" or any(c in core for c in self.cues)
                  or any(m.kind == "state" for m in inside)):
            return None  # 记者会, 双边会晤, 工作会议: no mechanism named
        if core and head in self.weak_heads and ordinal is None and org is None and relation == "this" \
                and not any(c in core for c in self.cues if c != "-"):
            return None  # 中俄会晤, 友好会议: no mechanism named
        stem = self.stem(core)
        if head in self.weak_heads and stem.endswith(self.bodies) and self._council(core) is None:
            return None  # 上合组织工商论坛会议: a meeting of one of its bodies
        if core and len(stem) <= 2 and ordinal is None and org is None and city is None:
            return None  # 中俄元首会晤, 中阿峰会: two parties meet, or a short form of a meeting named elsewhere
        label = _ASIDE.sub("", text[shown_start:end])
        core = _ASIDE.sub("", core)
        return MeetingName(shown_start, end, label, core + (head if core else ""), head, ordinal, org, council,
                           city, relation, name_start, years_ago)

    def _place(self, core: str) -> str | None:
        """``core`` when it is one place name by jieba's tags (ns, nrt), else None."""
        if self.segmenter is None:
            return None
        tokens = self.segmenter.words(core)
        if len(tokens) == 1 and self.segmenter.word_tag(tokens[0]) in self.name_place_pos:
            return core
        return None

    def _named_by_meeting(self, core: str, head: str, ordinal: int | None) -> Ref | None:
        """A mechanism named as its meetings are (东亚峰会: 第二十二届东亚峰会); with a weak head
        (会议) only with an ordinal: 亚洲相互协作与信任措施会议 alone is the organization."""
        if not core or (head in self.weak_heads and ordinal is None):
            return None
        return self.org_names.get(core + head)

    def _org(self, core: str) -> Ref | None:
        """The organization whose name (as the gazetteer has it) begins the name."""
        for k in range(min(len(core), 24), 1, -1):
            ref = self.org_names.get(core[:k])
            if ref is not None:
                return ref
        return None

    def stem(self, core: str) -> str:
        """The name without its council or role words (中俄元首 → 中俄)."""
        stem = core
        for written, _code in self.councils + self.role_words:
            if written:
                stem = stem.replace(written, "")
        return stem

    def _council(self, core: str) -> str | None:
        for written, code in self.councils:
            if written and written in core:
                return code
        for written, code in self.role_words:
            if written in core:
                return code
        return None


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, words))
