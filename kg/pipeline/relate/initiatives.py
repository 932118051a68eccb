"""Initiatives and proposals, with who put them forward.

Rules: quoted names after a verb of proposing (提出构建“卫生健康共同体”…的重大倡议); an agent's
own initiative (中方发起的“全球数据安全倡议”); quoted names ending in 倡议; known initiatives
from the reference knowledge (一带一路); communities to be built (构建人类命运共同体); and the
clauses that follow the verb 倡议 (倡议加强地区联防联控，设立…热线联系).
"""
from __future__ import annotations

import re

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.relate.common import PUNCT, agent_before, nearest_before, summit_at
from kg.pipeline.segment import Segmenter

#: A list item of numbered proposals: 一、… 二、…
_LIST_ITEM = re.compile(r"[一二三四五六七八九十]+、")


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


class InitiativeRule:
    name = "initiative"

    def __init__(self, lexicon: Lexicon, words: dict[str, list[str]], segmenter: Segmenter | None = None) -> None:
        self.lexicon = lexicon
        self.document_verbs = tuple(lexicon.doc_verbs)  # a clause starting with one is a new act
        self.segmenter = segmenter
        self.repeat = tuple(words.get("repeat", ()))
        self.heads = tuple(words["head"])
        self.after = tuple(words["after"])
        self.addressees = tuple(words["addressee"])
        self.next_acts = tuple(words["next_act"])
        self.support = tuple(words["support"])
        propose, build, qual = _alt(words["propose"]), _alt(words["build"]), _alt(words["qualifier"])
        self.quoted_after_verb = re.compile(
            rf"(?P<verb>{propose})了?(?:{build})?(?P<q>(?:“[^”]{{2,30}}”[、和与及]?)+)")
        self.own = re.compile(r"(?P<verb>提出|发起|倡议|首倡)的“(?P<name>[^”]{2,30})”")
        self.quoted_initiative = re.compile(r"“(?P<name>[^”]{2,30}倡议)”")
        self.community = re.compile(
            # the name may hold a hyphen: 中国-中亚命运共同体; a modifier with 的 may stand before it
            # (打造休戚与共、安危共担的上合命运共同体)
            rf"(?:{build})(?:{qual}|[^，。；：“”《》]{{2,24}}?的)?(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff\-－]{{1,11}}?共同体)")
        self.appeal = re.compile(r"倡议(?![，。；、：])")
        numbered, heads = _alt(words.get("numbered", [])), _alt(words.get("quoted_head", []))
        self.numbered = re.compile(
            rf"(?<![0-9一二两三四五六七八九十第])(?:[0-9]+|[一二两三四五六七八九十]+)点(?:{numbered})")
        self.concept = re.compile(_alt(words.get("concept", []))) if words.get("concept") else None
        self.concept_stops = tuple(sorted(words.get("concept_stop", []), key=len, reverse=True))
        self.proposing = tuple(words.get("proposing", []))
        # a word or two may qualify the head noun: “X”评选活动, “X”交流计划
        self.quoted_head = re.compile(rf"“(?P<name>[^“”]{{2,24}})”(?P<head>[\u4e00-\u9fff]{{0,2}}?(?:{heads}))")
        launch = _alt(words.get("launch", []))
        #: 中方将实施“中非数字创新伙伴计划”: a launched programme whose quoted name ends in a head noun
        self.launched = re.compile(rf"(?:{launch})了?“(?P<name>[^“”]{{1,22}}(?P<head>{heads}))”") if launch else None
        self.joint = re.compile(rf"(?:{_alt(words.get('joint', []))})(?:携手|共同|全力)?(?:{build}|弘扬|践行)?"
                                rf"(?:{qual})?“(?P<name>[^“”]{{2,24}})”(?![\u4e00-\u9fff]{{0,2}}(?:{heads}))")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        titles = [m.span() for m in re.finditer(r"《[^》]*》", text)]
        self._titles = titles
        self._numbered_agent: Mention | None = None  # who made the numbered proposals (提出六点建议：一、…)
        for sentence in doc.sentences:
            s, e = sentence.start, sentence.end
            for hit in self.quoted_after_verb.finditer(text, s, e):
                tail = text[hit.end():hit.end() + 6]
                tail_ok = re.match(rf"的?(?:重大|重要)?(?:{_alt(list(self.after))})", tail) is not None
                agent = agent_before(doc, hit.start("verb"), s)
                for q in re.finditer(r"“([^”]+)”", hit.group("q")):
                    name = q.group(1)
                    if name.endswith(self.heads) or tail_ok:
                        q0 = hit.start("q") + q.start(1)
                        self._initiative(doc, name, q0, q0 + len(name), "initiative-proposed", agent,
                                         (min(hit.start(), agent.start) if agent else hit.start(), hit.end()))
            for hit in self.own.finditer(text, s, e):
                if self.quoted_head.match(text, hit.start("name") - 1):
                    continue  # 泰方提出的“X”合作倡议: the quoted name with its head noun (below)
                agent = next((m for m in doc.mentions if m.end == hit.start() and m.kind in ("state", "person")), None)
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-own",
                                 agent, (agent.start if agent else hit.start(), hit.end()))
            for hit in self.quoted_initiative.finditer(text, s, e):
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-quoted")
            item_agent = self._numbered_agent if _LIST_ITEM.match(text, s) else None
            for hit in self.community.finditer(text, s, e):
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-community",
                                 item_agent, (s, hit.end()) if item_agent else None)
            for hit in self.appeal.finditer(text, s, e):
                if self._noun(doc, hit.start(), hit.end()):
                    continue
                self._clauses(doc, hit.end(), e, agent_before(doc, hit.start(), s), hit.start())
            self._shapes(doc, s, e)
        for m in [m for m in doc.mentions if m.kind == "initiative"]:
            lead = text[max(0, m.start - 3):m.start].rstrip("“")
            if m.text.endswith(self.heads) or lead.endswith(self.support) or m.text.startswith(self.support) or (
                    self._after_verb(text, m.start)):
                self._initiative(doc, m.text, m.start, m.end, "initiative-known", ref=m.ref)
        return doc

    def _after_verb(self, text: str, start: int) -> bool:
        """A known initiative counts after any verb (加强“一带一路”建设): the word before it is a verb."""
        if self.segmenter is None:
            return False
        j = start - 1 if start > 0 and text[start - 1] == "“" else start
        before = text[max(0, j - 4):j]
        if not before or before[-1] in "，。；：、“”《》（）" or before.endswith(self.repeat):
            return False
        words = self.segmenter.words(before)
        tag = self.segmenter.word_tag(words[-1]) if words else None
        return bool(tag) and tag.startswith("v") and tag != "vn"

    def _shapes(self, doc: Doc, s: int, e: int) -> None:
        """Initiatives found by their shape in the sentence ``s:e``: numbered proposals (六点建议),
        concepts (…的亚洲安全观), quoted names with a head noun (“X”合作模式, “X”计划), and what the
        leaders jointly decide to build (一致决定弘扬“X”), which has no proposer."""
        text = doc.article.text
        for hit in self.numbered.finditer(text, s, e):
            agent = agent_before(doc, hit.start(), s)
            self._numbered_agent = agent
            self._initiative(doc, hit.group(), hit.start(), hit.end(), "initiative-numbered", agent,
                             (agent.start if agent else hit.start(), hit.end()))
        if self.concept is not None:
            for hit in self.concept.finditer(text, s, e):
                if text[hit.end():hit.end() + 1] in ("念", "点", "察", "众", "看", "测"):
                    continue  # 安全观念, 观点: not a concept's head
                start = self._concept_start(text, s, hit.start())
                if hit.end() - start < 3:
                    continue
                before = text[max(s, start - 4):start]
                agent = None
                if before.endswith(self.proposing) or before.endswith(tuple("积极" + v for v in self.proposing)):
                    agent = agent_before(doc, start, s)
                self._initiative(doc, text[start:hit.end()], start, hit.end(), "initiative-concept", agent,
                                 (agent.start if agent else start, hit.end()))
        for hit in self.quoted_head.finditer(text, s, e):
            if any(m.start <= hit.start("name") and hit.end("name") <= m.end and m.kind in ("org", "summit")
                   for m in doc.mentions):
                continue  # a quoted organisation or meeting, not a proposal
            agent = None if self._joint_before(text, s, hit.start()) else agent_before(doc, hit.start(), s)
            self._initiative(doc, hit.group(), hit.start(), hit.end(), "initiative-quoted-head", agent,
                             (agent.start if agent else hit.start(), hit.end()))
        if self.launched is not None:
            for hit in self.launched.finditer(text, s, e):
                if hit.start("head") - hit.start("name") < 3:
                    continue  # 提出“中国方案”: a phrase, not a named programme
                # the subject of the clause (王毅宣布，中方将实施…: 中方), else of the sentence
                clause = max(s, text.rfind("，", s, hit.start()) + 1)
                agent = nearest_before(doc, hit.start(), clause, "person", "state") or agent_before(doc, hit.start(), s)
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-launched",
                                 agent, (agent.start if agent else hit.start(), hit.end()))
                speaker = nearest_before(doc, clause, s, "person")
                if agent is not None and agent.kind == "state" and speaker is not None:
                    # 王毅宣布，中方将实施…: the state proposes, by the mouth of the person who announces it
                    self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"),
                                     "initiative-launched", speaker, (speaker.start, hit.end()))
        for hit in self.joint.finditer(text, s, e):
            self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-joint")

    def _joint_before(self, text: str, s: int, start: int) -> bool:
        return any(w in text[s:start] for w in ("一致认为", "一致同意", "一致决定", "共同决定", "商定"))

    def _concept_start(self, text: str, floor: int, head: int) -> int:
        """Read a concept's name leftwards from its head: over Han characters, and over 、 where a
        的 closes the enumerated modifiers (共同、综合、合作、可持续的), to a stop word or punctuation."""
        i = head
        while i > floor:
            ch = text[i - 1]
            if ch in PUNCT and ch != "、":
                break
            if not ("\u4e00" <= ch <= "\u9fff" or ch == "、"):
                break
            if any(text.startswith(w, i - len(w)) for w in self.concept_stops):
                break
            i -= 1
        name = text[i:head]
        if "、" in name and "的" not in name[name.rfind("、"):]:
            i += name.rfind("、") + 1  # 新安全观、新发展观: an enumeration of concepts, not of modifiers
        return i

    @staticmethod
    def _noun(doc: Doc, start: int, end: int) -> bool:
        """True when 倡议 is a noun, not the verb of an appeal: “大欧亚伙伴关系”倡议得到支持,
        提出的倡议, 这一倡议, 重大倡议, 全球发展倡议提出以来."""
        text = doc.article.text
        if start > 0 and text[start - 1] in "”\"的项该此一大要":
            return True
        if text.startswith(("得到", "获得", "受到", "提出", "的", "是", "已", "与", "和", "同", "对接"), end):
            return True
        if text[max(0, start - 2):start] == "合作":
            return True  # 区域合作倡议与…对接: the noun
            return True
        return any(m.kind == "initiative" and m.start < start and end <= m.end for m in doc.mentions)

    def _clauses(self, doc: Doc, start: int, end: int, agent: Mention | None, verb_start: int) -> None:
        """The clauses after the verb 倡议, up to the sentence end or a new act (承诺…)."""
        text = doc.article.text
        if text.startswith(self.addressees, start):
            return
        stop = end
        for mark in "；;。":
            k = text.find(mark, start, end)
            if k >= 0:
                stop = min(stop, k)
        pos = start
        for part in re.split(r"([，,])", text[start:stop]):
            if part in ("，", ","):
                pos += len(part)
                continue
            clause = part.strip()
            act = clause[1:] if clause[:1] in "并和及" else clause
            if clause.startswith(self.next_acts) or act.startswith(self.document_verbs) or not 4 <= len(clause) <= 30:
                break  # 承诺…, 并发表“…联合声明”: a new act, not the appeal's content
            self._initiative(doc, clause, pos, pos + len(part), "initiative-appeal-clause", agent,
                             (agent.start if agent else verb_start, pos + len(part)))
            pos += len(part)

    def _initiative(self, doc: Doc, name: str, start: int, end: int, rule: str, agent: Mention | None = None,
                    agent_span: tuple[int, int] | None = None, ref: Ref | None = None) -> None:
        if any(a <= start < b for a, b in self._titles):
            return  # words of a speech or document title
        if ref is None:
            known = self.lexicon.names.get(name, [])
            ref = next((r for r in known if r.kind == "initiative"), None) or Ref("initiative", iris.slug(name))
        known_ref = ref in self.lexicon.labels
        seen = doc.context.setdefault("initiatives_seen", set())
        if ref not in seen:  # type: ignore[operator]
            seen.add(ref)  # type: ignore[union-attr]
            doc.entity(ref, self.lexicon.labels.get(ref, name), "Initiative", known=known_ref)
            doc.add(ref, "type", Ref("class", "Initiative"), start, end, rule)
            if not known_ref:
                doc.add(ref, "label", Value(name, lang="zh-Hans"), start, end, rule)
            summit = summit_at(doc, start)  # the meeting the clause is about
            if summit is not None:
                doc.add(ref, "proposedAt", summit, start, end, rule)
        doc.add(Ref("article", doc.article.id), "mentions", ref, start, end, rule)
        if agent is not None and agent.ref is not None and agent_span is not None:
            doc.add(ref, "proposedBy", agent.ref, agent_span[0], agent_span[1], rule)
