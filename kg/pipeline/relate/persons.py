"""Persons with their posts: 国名/机构 + 职务 + 人名 (俄罗斯总统普京, 外交部副部长乐玉成), reporters."""
from __future__ import annotations

import re

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref
from kg.pipeline.segment import Segmenter

_MINISTRY = re.compile(r"[\u4e00-\u9fff和与及]{2,12}")
_NAME_CHAR = re.compile(r"[\u3400-\u9fff·•]")
MAX_NAME = 10
#: Words before a title that make it a plural noun (两国元首, 成员国元首, 各国总统): no name follows.
_GROUP = re.compile(r"(?:[一二两三四五六七八九十几多各诸数]|成员|观察员|伙伴|与会|东道)国$")


class PersonRule:
    """Find persons after titles, give each a post, and find their later mentions by name."""

    name = "person-post"

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter | None = None) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        found: list[Mention] = []
        taken = {(m.start, m.end) for m in doc.mentions}
        dateline_end = int(doc.context.get("dateline_end", 0))  # type: ignore[arg-type]
        for post in [m for m in doc.mentions if m.kind == "post"]:
            if post.end <= dateline_end and doc.context.get("reporters"):
                continue  # the dateline's reporters are read by the dateline rule
            before = next((m for m in doc.mentions if m.kind == "person" and m.end == post.start), None)
            if before is not None and before.ref is not None:
                # name + title (习近平主席): the title belongs to the name before it
                holder, _ = self._holder(doc, post)
                if holder is None:  # 习近平主席 after 国家主席习近平: the same state
                    info_map = doc.context.get("post_info", {})
                    holder = next((info_map[p][1] for p in doc.context.get("person_posts", {}).get(before.ref, [])
                                   if info_map.get(p, (None, None))[1] is not None), None)
                self._post(doc, before.ref, post, holder, post.start, post.end)
                continue
            holder, title_start = self._holder(doc, post)
            known = next((m for m in doc.mentions if m.kind == "person" and m.start == post.end), None)
            if known is not None and doc.article.text.startswith(("·", "•"), known.end):
                known = None  # a longer name that begins with a known one (夏巴兹·谢里夫)
            if known is not None:
                name_span = (known.start, known.end)
            else:
                if _GROUP.search(text, max(0, post.start - 4), post.start):
                    continue  # 六国元首, 成员国元首: the heads of a group of states, not a title before a name
                length = self.read_name(doc, post.end)
                if not length:
                    continue
                name_span = (post.end, post.end + length)
            name = text[name_span[0]:name_span[1]]
            person = self._person(doc, name, name_span, known)
            if person is not None and (known is None and name_span not in taken):
                found.append(person)
                taken.add(name_span)
            self._post(doc, person.ref if person else Ref("person", iris.slug(name)), post, holder,
                       title_start, name_span[1])
        for name, start, end, role in doc.context.get("reporters", []):  # type: ignore[union-attr]
            if len(name) < 2 or not all(_NAME_CHAR.match(ch) for ch in name):
                continue
            person = self._person(doc, name, (start, end), None)
            if person and (start, end) not in taken:
                found.append(person)
                taken.add((start, end))
            agency = doc.context.get("agency")
            post = Mention("post", start, start, role, Ref("post", role))
            self._post(doc, person.ref, post, agency if isinstance(agency, Ref) else None, start, end,
                       rule="dateline-reporter")
        doc.mentions.extend(found)
        self._repeat(doc)
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return doc

    def _holder(self, doc: Doc, post: Mention) -> tuple[Ref | None, int]:
        """The state or organization written right before the title, and where the title starts."""
        before = [m for m in doc.mentions if m.end == post.start and m.kind in ("state", "org", "unit")]
        if before:
            m = before[0]
            # an organization prefix is part of the title as written (外交部副部长); a state is not
            return m.ref, (m.start if m.kind in ("org", "unit") else post.start)
        info = self.lexicon.posts.get(post.text)
        if info and info.kind == "minister":
            # 印度石油和天然气部长: a ministry's name between the state and the title is part of it
            state = next((m for m in doc.mentions if m.kind == "state" and 0 < post.start - m.end <= 12
                          and _MINISTRY.fullmatch(doc.article.text, m.end, post.start)
                          and not any(o.start >= m.end and o.end <= post.start for o in doc.mentions)), None)
            if state is not None and state.ref is not None:
                return state.ref, state.end
        if info and info.state:
            return Ref("state", info.state), post.start
        return None, post.start

    def read_name(self, doc: Doc, start: int) -> int:
        """Length of the name written at ``start`` (0 when there is none)."""
        text = doc.article.text
        end = start
        while end < len(text) and end - start < MAX_NAME and _NAME_CHAR.match(text[end]):
            end += 1
        limit = end
        if any(m.start in (start, start + 1) and m.kind == "post" for m in doc.mentions):
            return 0  # a title at the first or second character (总统新闻秘书…, 向记者…): no name here
        for i in range(start + 2, limit):
            if text.startswith(self.lexicon.name_boundaries, i) or any(
                m.start == i and m.kind in ("state", "org", "post", "person", "unit") for m in doc.mentions
            ):
                end = i
                break
        if end - start > 2 and text[end - 1] == "摄" and (end == len(text) or not _NAME_CHAR.match(text[end])):
            end -= 1  # a photo credit: 新华社记者王晔摄
        length = end - start
        name = text[start:end]
        if length < 2 or name in self.lexicon.blockers or name.startswith(self.lexicon.name_starts_not):
            return 0
        if self.segmenter is not None and name not in self.lexicon.names:
            first = self.segmenter.first_word(name)  # 访问期间双方: 访问 is a verb, no name
            if len(first) >= 2 and self.segmenter.word_tag(first) in self.lexicon.non_name_pos:
                return 0
        if name.startswith(self._word_boundaries):
            return 0  # a verb right after the title (向记者介绍…, 普京总统举行会谈): no name written
        return length

    @property
    def _word_boundaries(self) -> tuple[str, ...]:
        """Boundary words of two or more characters: verbs and phrases no name starts with
        (one-character ones such as 于 or 向 may be surnames)."""
        return tuple(w for w in self.lexicon.name_boundaries if len(w) >= 2)

    def _person(self, doc: Doc, name: str, span: tuple[int, int], known: Mention | None) -> Mention | None:
        ref = known.ref if known is not None and known.ref else Ref("person", iris.slug(name))
        entity = doc.entity(ref, self.lexicon.labels.get(ref, name), "Person", known=ref in self.lexicon.labels)
        doc.add(ref, "type", Ref("class", "Person"), span[0], span[1], self.name)
        if not entity.known:
            doc.add(ref, "label", _zh(name), span[0], span[1], self.name)
        return known or Mention("person", span[0], span[1], name, ref, rule=self.name)

    def _post(self, doc: Doc, person: Ref, post: Mention, holder: Ref | None, title_start: int, end: int,
              rule: str | None = None) -> None:
        text = doc.article.text
        title = text[title_start:post.end] if post.end > post.start else post.text
        # A post is one position in one state or organization: its label names both
        # (俄罗斯总统), the title as written is its schema:roleName (总统).
        if holder is not None:
            post_ref = Ref("post", f"{holder.kind}-{holder.key}/{iris.slug(title)}")
            holder_label = self.lexicon.labels.get(holder, "")
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
        info = self.lexicon.posts.get(post.text)
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
