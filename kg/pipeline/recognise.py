"""Recognise names in text: the gazetteer (states, organizations, cities, persons, titles), then
names read by their SHAPE with the gazetteer's words as hints.

* Titles: a listed title is a title's HEAD; the words written before it that belong to it are read
  by shape (``data/lexicon/name_shapes.tsv``): modifiers (第一副总统, 代理总统, 轮值主席) and a body of
  the holder (政府总理, 理事会轮值主席). Two titles joined by 兼 are one post (国务委员兼外长), and so
  is a title + 夫人 (总统夫人). A ministry the gazetteer knows followed by 长 is a minister's title
  (财政部长: the minister of the state written before it, not the ministry of the gazetteer).
* Organizations: a parent organization + a body noun (上合组织实业家委员会, 东盟秘书处), an item ending
  with a body noun in a list of organizations (独联体、欧亚经济委员会、…), and a quoted name ending
  with one (加入“丝路大学联盟”).
"""
from __future__ import annotations

import re

from kg import iris
from kg.lexicon import Lexicon, Post
from kg.model import Doc, Mention, Ref

HAN = "\u3400-\u9fff"
_HAN_CHAR = re.compile(f"[{HAN}]")
#: Rules of organizations found by shape; :mod:`kg.pipeline.relate.mentions` types them.
ORG_SHAPE_RULES = {"org-body": "Organization", "org-list": "Organization", "org-quoted": "Organization",
                   "org-outlet": "MediaOrganization"}
#: Characters after 部长 that make 长 part of another word (部长期, 部长远).
_NOT_CHANG = re.compile(r"长(?:期|远|城|江|河|久|达|足|短|大|寿|处|廊|辈|者)")
#: Post kinds of titles that follow a person's name and belong to someone else (习近平夫人彭丽媛).
POSSESSIVE = frozenset({"spouse", "envoy"})
#: Characters no organization's name read by shape holds (function words: 上合组织框架内的机构 is no name).
_NOT_IN_ORG = re.compile("[的在了是将对为与和及等各把被向从其这那该]")


class TitleInfo:
    """What a title read by shape is: the kind and leader flag of its head, changed by its modifiers."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.posts = lexicon.posts
        self.modifiers = lexicon.shapes.get("title-modifier", {})
        self._heads = sorted(self.posts, key=len, reverse=True)
        self._cache: dict[str, Post | None] = {}

    def __call__(self, title: str) -> Post | None:
        if title in self.posts:
            return self.posts[title]
        if title not in self._cache:
            self._cache[title] = self._derive(title)
        return self._cache[title]

    def _derive(self, title: str) -> Post | None:
        if "兼" in title:  # 国务委员兼外长: the holder's highest role counts
            parts = [self(p) for p in title.split("兼") if p]
            known = [p for p in parts if p is not None]
            if not known:
                return None
            best = next((p for p in known if p.leader), known[-1])
            states = {p.state for p in known}
            return Post(title, best.kind, states.pop() if len(states) == 1 else None, best.leader)
        head = next((h for h in self._heads if title.endswith(h) and h != title), None)
        if head is None:
            return None
        info = self.posts[head]
        if info.kind in POSSESSIVE or info.kind == "reporter":
            return Post(title, info.kind, None, False)
        rest = title[: -len(head)]
        effects = {effect for word, effect in self.modifiers.items() if word in rest}
        # the post the title modifies (国家副主席 → 国家主席) gives its state
        base = self.posts.get(self.unmodified(title))
        state = base.state if base is not None else None
        if "deputy" in effects:
            return Post(title, "official", state, False)
        return Post(title, info.kind, state, info.leader)

    def unmodified(self, title: str) -> str:
        """The title without its modifiers (国家副主席 → 国家主席, 代理总统 → 总统)."""
        for word in sorted(self.modifiers, key=len, reverse=True):
            title = title.replace(word, "")
        return title


class Recogniser:
    """Leftmost-longest dictionary matching over the whole text, then names by shape.

    Known names become mentions of their entity; titles become ``post`` mentions (resolved to
    persons later); blockers (主席国, 记者会…) only stop shorter words from matching inside them.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.pattern = lexicon.gazetteer_pattern()
        self.title_info = TitleInfo(lexicon)
        shapes = lexicon.shapes
        mods = _alternation(shapes.get("title-modifier", {}))
        bodies = _alternation(shapes.get("title-body", {}))
        org_bodies = _alternation(shapes.get("org-body", {}))
        # what may be written between a holder and a title's head: a body, then modifiers
        self._title_prefix = re.compile(f"(?:{bodies})?(?:{mods})*") if mods and bodies else None
        self._max_prefix = max((len(w) for role in ("title-modifier", "title-body")
                                for w in shapes.get(role, {})), default=0) * 3
        # a body noun right after a parent organization (上合组织 + 银行联合体)
        self._bodies = sorted(shapes.get("org-body", {}), key=len, reverse=True)
        self._org_after = re.compile(f"[{HAN}]{{0,10}}(?:{org_bodies})") if org_bodies else None
        self._org_item = re.compile(f"[{HAN}]{{2,14}}(?:{org_bodies})") if org_bodies else None
        self._org_quoted = re.compile(f"“([{HAN}]{{2,16}}(?:{org_bodies}))”") if org_bodies else None
        generic = _alternation(shapes.get("org-generic", {}))
        self._org_generic = re.compile(f"(?:{generic})*") if generic else re.compile("")

    def __call__(self, doc: Doc) -> Doc:
        doc.mentions.extend(self.match(doc.article.text))
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return doc

    def match(self, text: str) -> list[Mention]:
        out = self.gazetteer(text)
        out = self._ministers(text, out)
        out = self._titles(text, out)
        out = self._organizations(text, out)
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def gazetteer(self, text: str) -> list[Mention]:
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

    # -- titles -----------------------------------------------------------------------------------
    def _ministers(self, text: str, found: list[Mention]) -> list[Mention]:
        """财政部长, 国防部长: a ministry of the gazetteer followed by 长 is the minister's title."""
        out = []
        for m in found:
            if (m.kind == "org" and m.text.endswith("部") and text.startswith("长", m.end)
                    and not _NOT_CHANG.match(text, m.end)):
                word = text[m.start:m.end + 1]
                out.append(Mention("post", m.start, m.end + 1, word, Ref("post", word), rule="title-shape"))
            else:
                out.append(m)
        return out

    def _titles(self, text: str, found: list[Mention]) -> list[Mention]:
        """Extend each title to the modifiers and body written before it, then join 兼 and 夫人."""
        if self._title_prefix is None:
            return found
        out: list[Mention] = []
        for m in found:
            if m.kind != "post":
                out.append(m)
                continue
            floor = out[-1].end if out else 0
            start = m.start
            for k in range(min(self._max_prefix, m.start - floor), 0, -1):
                if self._title_prefix.fullmatch(text, m.start - k, m.start):
                    start = m.start - k
                    break
            if start < m.start:
                word = text[start:m.end]
                m = Mention("post", start, m.end, word, Ref("post", word), rule="title-shape")
            m = self._inside_listed(text, m, floor)
            prev = out[-1] if out else None
            if prev is not None and prev.kind == "post" and self._joins(text, prev, m):
                word = text[prev.start:m.end]
                out[-1] = Mention("post", prev.start, m.end, word, Ref("post", word), rule="title-shape")
                continue
            out.append(m)
        return out

    def _inside_listed(self, text: str, m: Mention, floor: int) -> Mention:
        """A modifier written inside a listed title (国家副主席: 国家 + 副 + 主席 of 国家主席) is one title."""
        bare = self.title_info.unmodified(m.text)
        if bare == m.text:
            return m
        for k in range(1, min(4, m.start - floor) + 1):
            lead = text[m.start - k:m.start]
            if _HAN_CHAR.fullmatch(lead[0]) and lead + bare in self.lexicon.posts:
                word = lead + m.text
                return Mention("post", m.start - k, m.end, word, Ref("post", word), rule="title-shape")
        return m

    def _joins(self, text: str, first: Mention, second: Mention) -> bool:
        """总统夫人, 总统特使 (a title and 夫人 or 特使), 国务委员兼外长 (two titles joined by 兼)."""
        info = self.title_info(second.text)
        if first.end == second.start:
            return info is not None and info.kind in POSSESSIVE
        return second.start == first.end + 1 and text[first.end] == "兼"

    # -- organizations ----------------------------------------------------------------------------
    def _organizations(self, text: str, found: list[Mention]) -> list[Mention]:
        if self._org_after is None:
            return found
        covered = bytearray(len(text) + 1)
        for m in found:
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
        out: list[Mention] = []
        for m in found:
            if m.kind in ("org", "unit") and not (out and out[-1].end > m.start):
                longer = self._body_after(text, m, covered)
                if longer is not None:
                    out.append(longer)
                    continue
            if out and out[-1].end > m.start:
                continue  # inside a longer organization found by shape
            out.append(m)
        out = self._listed(text, out, covered)
        out = self._quoted(text, out, covered)
        return out

    def _body_after(self, text: str, parent: Mention, covered: bytearray) -> Mention | None:
        """上合组织 + 实业家委员会: the longest body noun written right after the parent."""
        end = parent.end
        while end < len(text) and end - parent.end < 10 and not covered[end] and _HAN_CHAR.match(text[end]):
            end += 1
        if end == parent.end:
            return None
        hit = self._org_after.match(text, parent.end, end)
        if hit is None or _NOT_IN_ORG.search(text, parent.end, hit.end()):
            return None
        best = hit.end()
        body = next(b for b in self._bodies if text.endswith(b, parent.end, best))
        if best - len(body) > parent.end and self._org_generic.fullmatch(text, parent.end, best - len(body)):
            return None  # 上合组织常设机构: the parent's bodies, not one named organization
        word = text[parent.start:best]
        return Mention("org", parent.start, best, word, Ref("org", iris.slug(word)), rule="org-body")

    def _listed(self, text: str, found: list[Mention], covered: bytearray) -> list[Mention]:
        """独立国家联合体、欧亚经济委员会、…: an item with a body noun among listed organizations."""
        orgs = [m for m in found if m.kind in ("org", "unit")]
        if not orgs:
            return found
        by_end = {m.end: m for m in orgs}
        by_start = {m.start: m for m in orgs}
        added = []
        for sep in re.finditer("、", text):
            # the item after an organization and 、, and the item before 、 and an organization
            if sep.start() in by_end:
                hit = self._org_item.match(text, sep.end())
                if (hit and not any(covered[hit.start():hit.end()]) and _item_ends(text, hit.end())
                        and not _NOT_IN_ORG.search(hit.group())):
                    added.append(hit.span())
            if sep.end() in by_start:
                begin = sep.start()
                while begin > 0 and _HAN_CHAR.match(text[begin - 1]) and not covered[begin - 1]:
                    begin -= 1
                hit = self._org_item.fullmatch(text, begin, sep.start())
                if hit and _item_starts(text, begin) and not _NOT_IN_ORG.search(hit.group()):
                    added.append(hit.span())
        for start, end in sorted(set(added)):
            word = text[start:end]
            found.append(Mention("org", start, end, word, Ref("org", iris.slug(word)), rule="org-list"))
            covered[start:end] = b"\x01" * (end - start)
        return found

    def _quoted(self, text: str, found: list[Mention], covered: bytearray) -> list[Mention]:
        """支持…加入“丝路大学联盟”: a quoted name with a body noun is an organization."""
        for hit in self._org_quoted.finditer(text):
            start, end = hit.span(1)
            if any(covered[start:end]):
                continue
            word = hit.group(1)
            known = self.lexicon.names.get(word)
            ref = self._pick(known) if known else Ref("org", iris.slug(word))
            if ref.kind != "org":
                continue
            found.append(Mention("org", start, end, word, ref, rule="org-quoted"))
            covered[start:end] = b"\x01" * (end - start)
        return found

    @staticmethod
    def _pick(refs: list[Ref]) -> Ref:
        """One entity per written form: states before organizations before the rest."""
        order = {"state": 0, "org": 1, "person": 2, "city": 3, "initiative": 4}
        return sorted(refs, key=lambda r: (order.get(r.kind, 9), r.key))[0]


def _alternation(words: dict[str, str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _item_ends(text: str, end: int) -> bool:
    """An item of a list ends at 、，。 or before 和/及/等 or the end of the text."""
    return end >= len(text) or text[end] in "、，。；）" or text.startswith(("和", "及", "以及", "等"), end)


def _item_starts(text: str, start: int) -> bool:
    return start == 0 or text[start - 1] in "、，。；（：\n 和及"


__all__ = ["ORG_SHAPE_RULES", "POSSESSIVE", "Recogniser", "TitleInfo"]
