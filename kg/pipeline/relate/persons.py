"""Persons with their posts: 国名/机构 + 职务 + 人名 (俄罗斯总统普京, 外交部副部长乐玉成), name + title
(习近平主席), a spouse or envoy after a name (国家主席习近平夫人彭丽媛), reporters and photo credits.

Titles come from the recogniser, read by shape (第一副总统, 政府总理, 理事会轮值主席, 总统夫人); a
minister's title takes the field written before 部长/大臣 (石油和天然气部长, 外交大臣). A name is the
run of name characters after the title, cut before the next word: a boundary word
(``name_boundaries.txt``), a mention, or a dictionary word whose part of speech no name has
(``non_name_pos.txt``: 钱七赞赏 → 钱七).

Every post records ``doc.context["post_info"][post] = (Post, holder)``: the attendance rule lets a
holder's state or organization take part through a person only when the post's kind is not
``reporter`` (reporters and photographers never attend); a spouse's post has no holder.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kg import iris
from kg.lexicon import Lexicon, Post
from kg.model import Doc, Mention, Ref
from kg.pipeline.recognise import HAN, POSSESSIVE, TitleInfo
from kg.pipeline.segment import Segmenter
from kg.resources import Resources

_NAME_CHAR = re.compile(r"[\u3400-\u9fff·•]")
_FIELD_CHAR = re.compile(f"[{HAN}]")
MAX_NAME = 10
MAX_DOTTED_NAME = 18  # 穆罕默德·本·萨勒曼·阿勒沙特
MAX_FIELD = 12
#: Words before a title that make it a plural noun (两国元首, 成员国元首, 各国总统): no name follows.
_GROUP = re.compile(r"(?:[一二两三四五六七八九十几多各诸数]|成员|观察员|伙伴|与会|东道)国$")
#: Part-of-speech tags of the words a ministry's field is made of (石油和天然气部长, 外交大臣).
_FIELD_TAGS = frozenset({"n", "nz", "vn", "l", "an", "j", "ng", "nt", "b"})
_FIELD_JOINS = ("和", "与", "及")
#: Post kinds whose title never follows the name it belongs to (X代表 is "X represents").
_NOT_AFTER_NAME = frozenset({"representative", "reporter"})
#: A photo credit without 记者: （王五摄）, 新华社发 王五 摄 at the end of a line.
_CREDIT = re.compile(rf"(?:(?<=[（\s])|^)(?P<name>[{HAN}]{{2,3}})\s?(?:拍摄|摄)(?=\s*(?:）|\n|$))", re.M)
CREDIT_ROLE = "摄影记者"
_CLAUSE_END = re.compile("[，。；！？\n]")
#: After a state's or city's name, the rest of a foreign name's first part and its middle dot
#: (马里|奥·贝尔纳尔, 乍得|利·…): the state's name is the start of a person's name.
_DOTTED_AFTER = re.compile(r"[\u3400-\u9fff]{1,6}[·•]")
#: An appointment: 批准/任命 X（国名）担任/出任 title — the name before the bracketed state.
_APPOINTED = re.compile(rf"(?:批准|任命|推举|选举|选派|委派|同意)(?P<name>[{HAN}·]{{2,18}}?)"
                        rf"（(?P<state>[{HAN}]{{2,12}})）[^，。；\n]{{0,20}}?(?:担任|出任|任)")


class PersonRule:
    """Find persons after titles, give each a post, and find their later mentions by name."""

    name = "person-post"

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter | None = None,
                 meeting_heads: Iterable[str] | None = None) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter
        if meeting_heads is None:  # the head nouns of meeting names (meeting_shapes.jsonl)
            rows = Resources().jsonl("lexicon/meeting_shapes.jsonl")
            meeting_heads = next((row["words"] for row in rows if row.get("role") == "head"), ())
        #: A title that begins a meeting's head noun (外长会, 部长会议) is no title before a name.
        self._meeting_heads = tuple(sorted(meeting_heads, key=len, reverse=True))
        self.title_info = TitleInfo(lexicon)
        #: Boundary words of two or more characters: verbs and phrases no name starts with
        #: (one-character ones such as 于 or 向 may be surnames).
        self._word_boundaries = tuple(w for w in lexicon.name_boundaries if len(w) >= 2)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        found: list[Mention] = []
        taken = {(m.start, m.end) for m in doc.mentions}
        dateline_end = int(doc.context.get("dateline_end", 0))  # type: ignore[arg-type]
        for post in [m for m in doc.mentions if m.kind == "post"]:
            if post.end <= dateline_end and doc.context.get("reporters"):
                continue  # the dateline's reporters are read by the dateline rule
            if any(len(h) > post.end - post.start and text.startswith(h, post.start) for h in self._meeting_heads):
                continue  # 外长会联合声明, 下次外长会于…: a meeting's name, not a title and a name
            info = self.title_info(post.text)
            kind = info.kind if info else None
            before = next((m for m in (*doc.mentions, *found) if m.kind == "person" and m.end == post.start), None)
            if before is not None and before.ref is not None and kind in POSSESSIVE:
                # 国家主席习近平夫人彭丽媛: the title names the person before it (国家主席习近平夫人)
                lead = next((m for m in doc.mentions if m.kind == "post" and m.end == before.start), None)
                self._title_then_name(doc, post, None, lead.start if lead else before.start, found, taken)
                continue
            if before is not None and before.ref is not None and kind not in _NOT_AFTER_NAME:
                # name + title (习近平主席): the title belongs to the name before it
                holder, _ = self._holder(doc, post, info)
                if holder is None:  # 习近平主席 after 国家主席习近平: the same state
                    info_map = doc.context.get("post_info", {})
                    holder = next((info_map[p][1] for p in doc.context.get("person_posts", {}).get(before.ref, [])
                                   if info_map.get(p, (None, None))[1] is not None), None)
                self._post(doc, before.ref, post, holder, post.start, post.end)
                continue
            holder, title_start = self._holder(doc, post, info)
            if kind == "spouse":
                holder = None  # a spouse holds no post of the state
            if _GROUP.search(text, max(0, title_start - 4), title_start):
                continue  # 六国元首, 成员国元首: the heads of a group of states, not a title before a name
            self._title_then_name(doc, post, holder, title_start, found, taken)
        for name, start, end, role in doc.context.get("reporters", []):  # type: ignore[union-attr]
            if len(name) < 2 or not all(_NAME_CHAR.match(ch) for ch in name):
                continue
            agency = doc.context.get("agency")
            self._reporter(doc, name, start, end, role, agency if isinstance(agency, Ref) else None,
                           "dateline-reporter", found, taken)
        self._credits(doc, found, taken)
        self._appointed(doc, found, taken)
        doc.mentions.extend(found)
        self._repeat(doc)
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return doc

    def _title_then_name(self, doc: Doc, post: Mention, holder: Ref | None, title_start: int,
                         found: list[Mention], taken: set[tuple[int, int]]) -> None:
        """The person named right after ``post`` gets the post (nothing when no name is written)."""
        text = doc.article.text
        known = next((m for m in doc.mentions if m.kind == "person" and m.start == post.end), None)
        if known is not None and text.startswith("·", known.end):
            known = None  # a longer name that begins with a known one (夏巴兹·谢里夫)
        if known is not None:
            name_span = (known.start, known.end)
        else:
            length = self.read_name(doc, post.end)
            if not length:
                return
            name_span = (post.end, post.end + length)
            self._drop_inside(doc, name_span)
        name = text[name_span[0]:name_span[1]]
        person = self._person(doc, name, name_span, known)
        if person is not None and (known is None and name_span not in taken):
            found.append(person)
            taken.add(name_span)
        self._post(doc, person.ref if person else Ref("person", iris.slug(name)), post, holder,
                   title_start, name_span[1])

    @staticmethod
    def _drop_inside(doc: Doc, span: tuple[int, int]) -> None:
        """A known name inside a longer one read after a title (谢尔达尔·别尔德穆哈梅多夫) is not a mention,
        nor is a state or city inside a foreign name (马里 of 马里奥·贝尔纳尔)."""
        dotted = "·" in doc.article.text[span[0]:span[1]]
        kinds = ("person", "state", "city") if dotted else ("person",)
        doc.mentions[:] = [m for m in doc.mentions
                           if not (m.kind in kinds and span[0] <= m.start and m.end <= span[1]
                                   and (m.start, m.end) != span)]

    def _holder(self, doc: Doc, post: Mention, info: Post | None = None) -> tuple[Ref | None, int]:
        """The state or organization written right before the title, and where the title starts."""
        before = [m for m in doc.mentions if m.end == post.start and m.kind in ("state", "org", "unit")]
        if before:
            m = before[0]
            # an organization prefix is part of the title as written (外交部副部长); a state is not
            return m.ref, (m.start if m.kind in ("org", "unit") else post.start)
        if info is None:
            info = self.title_info(post.text)
        if info and info.kind == "minister":
            # 印度石油和天然气部长, 外交大臣: a ministry's field before the title is part of it
            holder, start = self._field(doc, post)
            if start < post.start:
                return holder, start
        if info and info.state:
            return Ref("state", info.state), post.start
        return None, post.start

    def _field(self, doc: Doc, post: Mention) -> tuple[Ref | None, int]:
        """The field of a minister's title (石油和天然气 before 部长) and the state written before it."""
        text = doc.article.text
        begin = post.start
        ends = {m.end: m for m in doc.mentions if m.kind in ("state", "org", "unit", "post", "person")}
        inside = {i for m in doc.mentions for i in range(max(m.start, post.start - MAX_FIELD), m.end)
                  if m.end <= post.start}
        while begin > 0 and post.start - begin < MAX_FIELD and begin not in ends and begin - 1 not in inside \
                and _FIELD_CHAR.match(text[begin - 1]):
            begin -= 1
        holder = ends.get(begin)
        if begin == post.start:
            return None, post.start
        if holder is not None and holder.kind == "state" and self.segmenter is None:
            return holder.ref, begin
        if self.segmenter is None:
            return None, post.start
        words = self.segmenter.words(text[begin:post.start])
        if holder is not None and holder.kind == "state" and all(
                self.segmenter.word_tag(w) not in ("v", "p", "u", "uj", "ul", "d", "r") or w in _FIELD_JOINS
                for w in words):
            return holder.ref, begin  # 俄罗斯紧急情况部长: all the words between the state and the title
        kept = 0
        for word in reversed(words):  # the longest run of nouns right before the title
            if self.segmenter.word_tag(word) in _FIELD_TAGS or (word in _FIELD_JOINS and kept):
                kept += len(word)
            else:
                break
        while kept and text[post.start - kept] in _FIELD_JOINS:
            kept -= 1
        if not kept:
            return None, post.start
        start = post.start - kept
        return (holder.ref if holder is not None and start == begin and holder.kind == "state" else None), start

    def read_name(self, doc: Doc, start: int) -> int:
        """Length of the name written at ``start`` (0 when there is none)."""
        text = doc.article.text
        if any(m.start in (start, start + 1) and m.kind == "post" for m in doc.mentions):
            return 0  # a title at the first or second character (总统新闻秘书…, 向记者…): no name here
        for m in doc.mentions:
            if m.start == start and m.kind in ("state", "org", "unit", "city") and not (
                    m.kind in ("state", "city") and _DOTTED_AFTER.match(text, m.end)):
                return 0  # 代表中国政府: a name, not a state, follows a title (but 马里奥·贝尔纳尔 is a name)
        by_start = {m.start: m for m in doc.mentions if start < m.start <= start + MAX_DOTTED_NAME
                    and m.kind in ("state", "org", "post", "person", "unit", "city")}
        end = start
        while end < len(text) and _NAME_CHAR.match(text[end]):
            limit = MAX_DOTTED_NAME if "·" in text[start:end + 1] or "•" in text[start:end + 1] else MAX_NAME
            if end - start >= limit:
                break
            m = by_start.get(end)
            if end >= start + 2 and m is not None:
                if text[end - 1] in "·•" and m.kind in ("person", "city", "state"):
                    end = m.end  # 谢尔达尔·别尔德穆哈梅多夫, 罗萨·门多萨: after a middle dot, a name part
                    continue
                break
            if end >= start + 2 and text.startswith(self.lexicon.name_boundaries, end):
                break
            end += 1
        while end > start and text[end - 1] in "·•":
            end -= 1
        if end - start > 2 and text[end - 1] == "摄" and (end == len(text) or not _NAME_CHAR.match(text[end])):
            end -= 1  # a photo credit: 新华社记者王晔摄
        end = start + self._cut_at_word(text[start:end])
        length = end - start
        name = text[start:end]
        if length < 2 or name in self.lexicon.blockers or name.startswith(self.lexicon.name_starts_not):
            return 0
        if self.segmenter is not None and name not in self.lexicon.names and "·" not in name and "•" not in name:
            # 访问期间双方: 访问 is a verb, no name (a name with a middle dot is a foreign name: 特科陶·伊恩蒂)
            first = self.segmenter.first_word(name)
            if len(first) >= 2 and self.segmenter.word_tag(first) in self.lexicon.non_name_pos:
                return 0
        if name.startswith(self._word_boundaries):
            return 0  # a verb right after the title (向记者介绍…, 普京总统举行会谈): no name written
        return length

    def _cut_at_word(self, run: str) -> int:
        """Where a name read in ``run`` ends: before the first dictionary word (from its third
        character on) whose part of speech no name has (钱七赞赏 → 钱七)."""
        if self.segmenter is None or len(run) <= 2 or run in self.lexicon.names:
            return len(run)
        offset = 0
        for word in self.segmenter.words(run):
            end = offset + len(word)
            dotted = run[offset - 1:offset] in ("·", "•") or run[end:end + 1] in ("·", "•")
            if offset >= 2 and len(word) >= 2 and not dotted and word not in self.lexicon.names \
                    and self.segmenter.word_tag(word) in self.lexicon.non_name_pos:
                return offset  # a word beside a middle dot is a part of the name (安娜·维加)
            offset = end
        return len(run)

    def _person(self, doc: Doc, name: str, span: tuple[int, int], known: Mention | None) -> Mention | None:
        ref = known.ref if known is not None and known.ref else Ref("person", iris.slug(name))
        entity = doc.entity(ref, self.lexicon.labels.get(ref, name), "Person", known=ref in self.lexicon.labels)
        doc.add(ref, "type", Ref("class", "Person"), span[0], span[1], self.name)
        if not entity.known:
            doc.add(ref, "label", _zh(name), span[0], span[1], self.name)
        return known or Mention("person", span[0], span[1], name, ref, rule=self.name)

    def _reporter(self, doc: Doc, name: str, start: int, end: int, role: str, agency: Ref | None, rule: str,
                  found: list[Mention], taken: set[tuple[int, int]]) -> None:
        """A reporter or photographer: a person with a post of kind ``reporter`` (never an attendee)."""
        person = self._person(doc, name, (start, end), None)
        if person is None:
            return
        if (start, end) not in taken:
            found.append(person)
            taken.add((start, end))
        post = Mention("post", start, start, role, Ref("post", role))
        self._post(doc, person.ref, post, agency, start, end, rule=rule)  # type: ignore[arg-type]

    def _credits(self, doc: Doc, found: list[Mention], taken: set[tuple[int, int]]) -> None:
        """Photo credits without 记者 (（王五摄）): the name is a photographer's."""
        text = doc.article.text
        if "摄" not in text:
            return
        covered = [(m.start, m.end) for m in doc.mentions + found if m.kind in ("person", "post", "state", "org")]
        for hit in _CREDIT.finditer(text):
            start, end = hit.span("name")
            name = hit.group("name")
            if any(s < end and start < e for s, e in covered) or name in self.lexicon.blockers:
                continue
            if self.segmenter is not None and self.segmenter.word_tag(name) in self.lexicon.non_name_pos:
                continue  # 航拍, 现场摄: a word, not a name
            agency = next((m.ref for m in reversed(doc.mentions) if m.kind == "org" and m.end <= start
                           and start - m.end <= 4 and "\n" not in text[m.end:start]), None)
            self._reporter(doc, name, start, end, CREDIT_ROLE, agency, "photo-credit", found, taken)

    def _appointed(self, doc: Doc, found: list[Mention], taken: set[tuple[int, int]]) -> None:
        """批准X（哈萨克斯坦共和国）担任本组织秘书长: the person appointed and the post they take."""
        text = doc.article.text
        if "（" not in text:
            return
        for hit in _APPOINTED.finditer(text):
            start, end = hit.span("name")
            state = next((m for m in doc.mentions if m.kind == "state" and (m.start, m.end) == hit.span("state")),
                         None)
            name = hit.group("name")
            if state is None or any(m.start < end and start < m.end for m in doc.mentions + found) \
                    or name in self.lexicon.blockers or self._cut_at_word(name) != len(name):
                continue
            person = self._person(doc, name, (start, end), None)
            if person is None:
                continue
            if (start, end) not in taken:
                found.append(person)
                taken.add((start, end))
            sentence = doc.sentence_at(hit.end())
            post = next((m for m in doc.mentions if m.kind == "post" and hit.end() <= m.start < sentence.end
                         and _CLAUSE_END.search(text, hit.end(), m.start) is None), None)
            if post is not None:
                holder, title_start = self._holder(doc, post)
                self._post(doc, person.ref, post, holder, title_start, post.end, rule="person-appointed")  # type: ignore[arg-type]

    def _post(self, doc: Doc, person: Ref, post: Mention, holder: Ref | None, title_start: int, end: int,
              rule: str | None = None) -> None:
        text = doc.article.text
        title = text[title_start:post.end] if post.end > post.start else post.text
        # A post is one position in one state or organization: its label names both
        # (俄罗斯总统), the title as written is its schema:roleName (总统).
        if holder is not None:
            post_ref = Ref("post", f"{holder.kind}-{holder.key}/{iris.slug(title)}")
            holder_label = self.lexicon.labels.get(holder) or (
                doc.entities[holder].label if holder in doc.entities else "")
            label = title if title.startswith(holder_label) or title_start < post.start else holder_label + title
        else:
            post_ref = Ref("post", f"person-{person.key}/{iris.slug(title)}")
            label = f"{title}（{self.lexicon.labels.get(person, person.key)}）"
        doc.entity(post_ref, label, "Post")
        rule = rule or self.name
        start = min(title_start, post.start)
        doc.add(post_ref, "type", Ref("class", "Post"), start, end, rule)
        doc.add(post_ref, "label", _zh(label), start, end, rule)
        doc.add(post_ref, "roleName", _zh(title), start, end, rule)
        doc.add(person, "holds", post_ref, start, end, rule)
        if holder is not None:
            doc.add(post_ref, "postIn", holder, start, end, rule)
        info = self.title_info(post.text)
        doc.context.setdefault("post_info", {})[post_ref] = (info, holder)  # type: ignore[index]
        doc.context.setdefault("person_posts", {}).setdefault(person, []).append(post_ref)  # type: ignore[union-attr]

    def _repeat(self, doc: Doc) -> None:
        """Later mentions of a name found after a title (乐玉成表示…) become person mentions too."""
        text = doc.article.text
        names = {m.text: m.ref for m in doc.mentions if m.kind == "person" and m.rule != "gazetteer"}
        if not names:
            return
        pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        covered = bytearray(len(text) + 1)  # characters already inside a mention
        for m in doc.mentions:
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
        for hit in pattern.finditer(text):
            if any(covered[hit.start():hit.end()]):
                continue
            doc.mentions.append(Mention("person", hit.start(), hit.end(), hit.group(), names[hit.group()],
                                        rule="name-repeat"))


def _zh(text: str):  # noqa: ANN202 - tiny helper
    from kg.model import Value

    return Value(text, lang="zh-Hans")
