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
from kg.pipeline.relate.common import agent_before


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


class InitiativeRule:
    name = "initiative"

    def __init__(self, lexicon: Lexicon, words: dict[str, list[str]]) -> None:
        self.lexicon = lexicon
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
            # the name may hold a hyphen: 中国－中亚命运共同体
            rf"(?:{build})(?:{qual})?(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff\-－]{{1,11}}?共同体)")
        self.appeal = re.compile(r"倡议(?![，。；、：])")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        titles = [m.span() for m in re.finditer(r"《[^》]*》", text)]
        self._titles = titles
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
                agent = next((m for m in doc.mentions if m.end == hit.start() and m.kind in ("state", "person")), None)
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-own",
                                 agent, (agent.start if agent else hit.start(), hit.end()))
            for hit in self.quoted_initiative.finditer(text, s, e):
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-quoted")
            for hit in self.community.finditer(text, s, e):
                self._initiative(doc, hit.group("name"), hit.start("name"), hit.end("name"), "initiative-community")
            for hit in self.appeal.finditer(text, s, e):
                if self._noun(doc, hit.start(), hit.end()):
                    continue
                self._clauses(doc, hit.end(), e, agent_before(doc, hit.start(), s), hit.start())
        for m in [m for m in doc.mentions if m.kind == "initiative"]:
            lead = text[max(0, m.start - 3):m.start].rstrip("“")
            if m.text.endswith(self.heads) or lead.endswith(self.support) or m.text.startswith(self.support):
                self._initiative(doc, m.text, m.start, m.end, "initiative-known", ref=m.ref)
        return doc

    @staticmethod
    def _noun(doc: Doc, start: int, end: int) -> bool:
        """True when 倡议 is a noun, not the verb of an appeal: “大欧亚伙伴关系”倡议得到支持,
        提出的倡议, 这一倡议, 重大倡议, 全球发展倡议提出以来."""
        text = doc.article.text
        if start > 0 and text[start - 1] in "”\"的项该此一大要":
            return True
        if text.startswith(("得到", "获得", "受到", "提出", "的", "是", "已"), end):
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
            if clause.startswith(self.next_acts) or not 4 <= len(clause) <= 30:
                break
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
            summit = doc.context.get("summit")
            if isinstance(summit, Ref):
                doc.add(ref, "proposedAt", summit, start, end, rule)
        doc.add(Ref("article", doc.article.id), "mentions", ref, start, end, rule)
        if agent is not None and agent.ref is not None and agent_span is not None:
            doc.add(ref, "proposedBy", agent.ref, agent_span[0], agent_span[1], rule)
