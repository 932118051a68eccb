"""Who took part, read at clause and paragraph level.

A participant is read from the shape of the clause that names it, never from a list of names:

- the subject of a verb of taking part (…出席/参加/列席/与会) whose object is a meeting, a session of
  it (参加大范围会议) or nothing (…莫迪出席。); invited guests (邀请A、B参加…: A and B, not the inviter);
  the persons after a relative clause (出席X峰会的吉尔吉斯斯坦总统夫人扎帕罗娃);
- the subject of a joint-activity verb (…领导人共商…, 齐聚一堂) when several parties act together;
- persons who speak in turn (A、B、C先后发言);
- whoever acts at the meeting (会上，X表示… / X在会上发言 / X在峰会上指出);
- whoever presides (X主持会议) or acts as the chair (X作为主席国元首…);
- a state that holds the meeting (中方举行了…对话会);
- the attendees listed in the sentences after one that says a group attended
  (…元首悉数出席。8位元首分别是：A国总统甲、B国总理乙…).

From each person the state or organization they serve attends with them (the state written before
the title chain: 伊朗伊斯兰共和国第一副总统X, 俄罗斯联邦政府总理Y); states and organizations listed
before a group noun attend (印度、哈萨克斯坦…等共8国外长出席; 独立国家联合体、…常设机构负责人列席);
an organization whose unnamed head attends attends (联合国秘书长出席). A count (五国领导人, 其他四国
领导人, 东盟十国领导人) that equals the membership on the meeting's date makes the members
``inferred`` attendees; so does 成员国领导人 without a number. Reporters and photographers never attend.

Each participant attends the meeting its clause is about (:func:`summit_at`), never a meeting of
another time (the next one, a past one of the same series).
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict

from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.dates import NUM, cn_number
from kg.pipeline.relate.common import summit_at
from kg.resources import Resources

_GROUPS = (("member", re.compile(r"成员国[^，。；]{0,12}?(?:领导人|元首)|成员国[^，。；]{0,16}?(?:领导人|元首)")),
           ("observer", re.compile(r"观察员国[^，。；]{0,8}?(?:领导人|元首|代表)")))
#: What may stand between the parties of a list (印度、哈萨克斯坦和巴基斯坦等共8国外长).
_LIST_GLUE = re.compile(r"(?:、|和|与|及|以及|同|等|共|其他|其余)*")
#: Where a clause ends.
_CLAUSE = re.compile(r"[，。；：！？\n]")
#: A meeting's own words that a bare 会上 stands for (会上 / 在会上 / 峰会上).
_AT_MEETING = re.compile(r"(?:会|式|议|晤)上")


class AttendanceRule:
    name = "attendance"

    def __init__(self, lexicon: Lexicon, resources: Resources | None = None) -> None:
        self.lexicon = lexicon
        words = lexicon.summit_words
        self.attend = words["attend"]
        self.preside = words["preside"]
        self.clause_end = words["clause_end"]
        never = re.compile(r"(?!)")
        self.session = words.get("session", never)
        self.joint = words.get("joint", never)
        self.turns = words.get("turns", never)
        self.act = words.get("act", never)
        self.group = words.get("group", never)
        self.list_intro = words.get("list_intro", never)
        self.invite = words.get("invite", never)
        self.chair_as = words.get("chair_as", never)
        self.host_verb = words.get("host_verb", never)
        self.bilateral = words.get("bilateral", never)
        self.sub_event = words.get("sub_event", never)
        self.meeting_word = words.get("meeting_word", never)
        group = self.group.pattern
        self.count = re.compile(
            rf"(?P<other>其他|其余|另外)?(?P<n>{NUM})(?:个|位)?(?P<status>成员国|观察员国|国家|国)(?:的)?(?:{group})")
        self.count_after = re.compile(rf"(?:{NUM})(?:个|位)?(?:成员国|观察员国|国家|国)")
        self.group_after = re.compile(
            rf"(?:{_LIST_GLUE.pattern})(?:(?:{NUM})?(?:个)?(?:[\u4e00-\u9fff]{{1,4}}?)?(?:国家|国))?的?(?:{group})"
            r"(?![府办团性])")  # 等共8国外长, 等南亚国家领导人
        self.meeting_noun = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:对话会|峰会|会晤|领导人会议|部长级会议|外长会)")
        rows = (resources or Resources()).tsv("lexicon/home_titles.tsv")
        self.home_titles = {row["title"]: Ref("state", row["state"]) for row in rows}

    # -- the reading -------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        main = doc.context.get("summit")
        if not isinstance(main, Ref):
            return doc
        self._index(doc, main)
        text = doc.article.text
        floor = int(doc.context.get("dateline_end", 0))  # type: ignore[arg-type]
        self.stated: set[tuple[Ref, Ref]] = set()
        self.groups: dict[tuple[Ref, str], tuple[int, int]] = {}
        self.counts: list[tuple[Ref, Ref | None, str, int, bool, int, int]] = []
        pending_list = 0  # sentences after one that says a group attended, which may list them
        for sentence in doc.sentences:
            start = max(sentence.start, floor)
            if start >= sentence.end:
                continue
            if pending_list and self._listed(doc, sentence, start):
                pending_list = 2
            else:
                pending_list = max(0, pending_list - 1)
            for verb in self.attend.finditer(text, start, sentence.end):
                if self._attend_verb(doc, sentence, start, verb):
                    pending_list = 2
            for verb in self.joint.finditer(text, start, sentence.end):
                self._joint(doc, start, verb)
            for verb in self.turns.finditer(text, start, sentence.end):
                self._turns(doc, start, verb)
            for verb in self.preside.finditer(text, start, sentence.end):
                self._preside(doc, start, verb)
            for hit in self.chair_as.finditer(text, start, sentence.end):
                self._chair_as(doc, start, hit)
            for hit in _AT_MEETING.finditer(text, start, sentence.end):
                self._at_meeting(doc, sentence, start, hit)
            for hit in self.host_verb.finditer(text, start, sentence.end):
                self._host(doc, hit)
            for hit in self.count.finditer(text, start, sentence.end):
                self._count(doc, hit, hit.end())
        chair = doc.context.get("chair_state")
        if isinstance(chair, tuple):
            self._attend(doc, main, chair[0], chair[1], chair[2], "attendance-chair")
        for fact in [f for f in doc.facts if f.predicate == "chairState" and isinstance(f.object, Ref)]:
            meeting = self._admissible(doc, fact.subject)  # the chair of the next meeting does not attend this one
            if meeting is not None and fact.evidence is not None:
                self._attend(doc, meeting, fact.object, fact.evidence.start, fact.evidence.end,  # type: ignore[arg-type]
                             "attendance-chair")
        self._inferred(doc)
        return doc

    def _index(self, doc: Doc, main: Ref) -> None:
        """Mentions by where they start and end (so each look-up is one dict access)."""
        self.main = main
        self.by_start: dict[int, list[Mention]] = defaultdict(list)
        self.by_end: dict[int, list[Mention]] = defaultdict(list)
        for m in doc.mentions:
            self.by_start[m.start].append(m)
            self.by_end[m.end].append(m)
        self.ordered = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
        self.keys = [m.start for m in self.ordered]
        self.organizers: dict[Ref, set[object]] = {}
        self.admitted: dict[Ref, bool] = {}
        self.reporters = self._reporters(doc)

    def _in(self, start: int, end: int, *kinds: str) -> list[Mention]:
        i = bisect.bisect_left(self.keys, start)
        out = []
        while i < len(self.ordered) and self.ordered[i].start < end:
            m = self.ordered[i]
            if m.end <= end and (not kinds or m.kind in kinds):
                out.append(m)
            i += 1
        return out

    def _at(self, offset: int, kind: str) -> Mention | None:
        return next((m for m in self.by_start.get(offset, []) if m.kind == kind), None)

    def _ending(self, offset: int, *kinds: str) -> Mention | None:
        return next((m for m in self.by_end.get(offset, []) if m.kind in kinds), None)

    # -- shapes ------------------------------------------------------------------------
    def _attend_verb(self, doc: Doc, sentence, start: int, verb: re.Match[str]) -> bool:  # type: ignore[no-untyped-def]
        """A verb of taking part; True when its subject is a group whose members may be listed next."""
        text = doc.article.text
        meeting, relative_from = self._object(doc, verb)
        if meeting is None:
            return False
        if relative_from is not None:  # 出席X峰会的A、B: the persons after 的
            end = self._clause_end(text, relative_from, sentence.end)
            self._region(doc, meeting, relative_from, end, relative_from, end, "attendance-relative")
            return False
        region = self._subject_start(text, start, verb.start())
        self._region(doc, meeting, region, verb.start(), region, verb.end(), "attendance-subject")
        # a group that attended (…等太平洋岛国外长出席) whose persons the text does not name here
        named = self._in(region, verb.start(), "person")
        return not named and self.group.search(text, region, verb.start()) is not None

    def _object(self, doc: Doc, verb: re.Match[str]) -> tuple[Ref | None, int | None]:
        """The meeting a verb of taking part is about, and where a relative clause's head starts
        (出席X峰会的…). ``None`` when its object is another event (出席欢迎宴会) or another time."""
        text = doc.article.text
        at = verb.end()
        if text.startswith("了", at):
            at += 1
        obj = self._meeting_after(doc, at, verb)
        if obj is not None:
            meeting = self._admissible(doc, obj.ref)  # type: ignore[arg-type]
            if meeting is None:
                return None, None
            # attending one of its events (…会晤特别记者会) is being at the meeting too
            relative = obj.end + 1 if text.startswith("的", obj.end) else None
            return meeting, relative
        if self.session.match(text, at) or self.meeting_word.match(text, at):
            return self._admissible(doc, summit_at(doc, verb.start())), None
        if self.clause_end.match(text, verb.end()) is not None:
            return self._admissible(doc, summit_at(doc, verb.start())), None
        return None, None

    def _meeting_after(self, doc: Doc, at: int, verb: re.Match[str]) -> Mention | None:
        """A meeting named at ``at``, or after 在…举行的 (出席在阿斯塔纳举行的上合组织峰会)."""
        text = doc.article.text
        found = self._at(at, "summit") or self._at(at + 1, "summit")
        if found is not None:
            return found
        lead = re.compile(r"(?:在|于)[^，。；]{1,16}?(?:举行|召开)的").match(text, at)
        if lead:
            return self._at(lead.end(), "summit")
        return None

    def _subject_start(self, text: str, start: int, verb_start: int) -> int:
        """Where the subject of a verb begins: after a speech frame (表示，/说，) and after 邀请
        (邀请A、B参加…: the inviter does not attend by this verb)."""
        region = start
        for frame in ("表示，", "说，", "指出，"):
            at = text.rfind(frame, start, verb_start)
            if at >= 0:
                region = max(region, at + len(frame))
        for hit in self.invite.finditer(text, region, verb_start):
            region = max(region, hit.end())
        return region

    @staticmethod
    def _clause_end(text: str, start: int, limit: int) -> int:
        found = re.compile(r"[，。；！？\n]|共同|一起|一道").search(text, start, limit)
        return found.start() if found else limit

    def _joint(self, doc: Doc, start: int, verb: re.Match[str]) -> None:
        """…领导人共商…: several parties acting together at the meeting the clause is about."""
        text = doc.article.text
        clause = max(text.rfind(c, start, verb.start()) for c in "，；") + 1
        region = max(start, clause)
        parties = self._in(region, verb.start(), "person", "state", "org")
        counted = self.count.search(text, region, verb.start())
        if len(parties) < 3 and not (counted and (cn_number(counted.group("n")) or 0) >= 3) and not (
                parties and self.group.search(text, region, verb.start())):
            return  # 两国元首共商: a meeting of two, not the summit
        meeting = self._admissible(doc, summit_at(doc, verb.start()))
        if meeting is not None:
            self._region(doc, meeting, region, verb.start(), region, verb.end(), "attendance-joint")

    def _turns(self, doc: Doc, start: int, verb: re.Match[str]) -> None:
        """A、B、C先后发言: persons who speak in turn speak at the meeting the clause is about."""
        text = doc.article.text
        clause = max(text.rfind(c, start, verb.start()) for c in "，；：") + 1
        region = max(start, clause)
        if len(self._in(region, verb.start(), "person")) < 2:
            return  # one speaker: a speech anywhere, read by the other shapes
        meeting = self._admissible(doc, summit_at(doc, verb.start()))
        if meeting is not None:
            self._region(doc, meeting, region, verb.start(), region, verb.end(), "attendance-turns")

    def _preside(self, doc: Doc, start: int, verb: re.Match[str]) -> None:
        """X主持会议 / X在北京主持召开…会议: the chair person attends, with their state."""
        text = doc.article.text
        at = verb.end() + (1 if text.startswith("了", verb.end()) else 0)
        if text.startswith(("召开", "举行"), at):
            at += 2
        obj = self._meeting_after(doc, at, verb)
        if obj is not None:
            meeting = self._admissible(doc, obj.ref)  # type: ignore[arg-type]
        elif self.session.match(text, at) or self.meeting_word.match(text, at) \
                or self.clause_end.match(text, verb.end()):
            meeting = self._admissible(doc, summit_at(doc, verb.start()))
        else:
            return  # 主持欢迎宴会, 主持会谈: another event
        if meeting is None:
            return
        nearest = next((m for m in reversed(self._in(max(start, verb.start() - 14), verb.start(), "person"))), None)
        if nearest is None:
            return
        chairs = [nearest]
        if text.startswith("共同", verb.start() - 2):  # A和B共同主持: co-chairs
            clause = max(start, max(text.rfind(c, start, verb.start()) for c in "，；：") + 1)
            chairs = self._in(clause, verb.start(), "person")
        for person in chairs:
            if person.ref is None or person.ref in self.reporters:
                continue
            self._attend(doc, meeting, person.ref, person.start, verb.end(), "attendance-preside")
            doc.add(meeting, "chairPerson", person.ref, person.start, verb.end(), "summit-chair-person")
            self._person_state(doc, meeting, person, verb.end())
        if len(chairs) == 1 and chairs[0].ref not in self.reporters:
            self._chair_state_of(doc, meeting, chairs[0], verb.end())

    def _chair_state_of(self, doc: Doc, meeting: Ref, person: Mention, end: int) -> None:
        """The one person who presides (X主持会议) speaks for the chair: their state is the meeting's
        chair state (inferred) where the text states none."""
        if any(f.subject == meeting and f.predicate == "chairState" for f in doc.facts):
            return
        info_map = doc.context.get("post_info", {})
        posts = doc.context.get("person_posts", {}).get(person.ref, [])  # type: ignore[union-attr]
        state = next((holder for p in posts for holder in [info_map.get(p, (None, None))[1]]  # type: ignore[union-attr]
                      if isinstance(holder, Ref) and holder.kind == "state"), None) or self._chain_state(doc, person)
        if state is None:
            title = next((t for t in self.home_titles if doc.article.text.startswith(t, person.end)
                          or (person.text.endswith(t) and len(person.text) > len(t))), None)
            state = self.home_titles.get(title) if title else None
        if state is not None:
            doc.add(meeting, "chairState", state, person.start, end, "summit-chair-from-person", basis="inferred")

    def _chair_as(self, doc: Doc, start: int, hit: re.Match[str]) -> None:
        """X作为主席国元首…: the person who acts as the chair attends, with their state."""
        person = self._ending(hit.start(), "person")
        if person is None or person.ref is None or person.ref in self.reporters:
            return
        meeting = self._admissible(doc, summit_at(doc, hit.start()))
        if meeting is None:
            return
        self._attend(doc, meeting, person.ref, person.start, hit.end(), "attendance-chair-person")
        self._person_state(doc, meeting, person, hit.end())

    def _at_meeting(self, doc: Doc, sentence, start: int, hit: re.Match[str]) -> None:  # type: ignore[no-untyped-def]
        """Acting at the meeting: 会上，X表示… / X在会上发言 / X在峰会上指出 / 峰会后举行的记者会上，X介绍…"""
        text = doc.article.text
        meeting = self._meeting_before(doc, sentence, start, hit.start() + 1)
        if meeting is None:
            return
        after = hit.end()
        if text.startswith("，", after):  # 会上，X表示…: the subject follows
            end = self._clause_end(text, after + 1, sentence.end)
            act = self.act.search(text, after + 1, end)
            if act is None:
                return
            self._region(doc, meeting, after + 1, act.start(), hit.start(), act.end(), "attendance-at-meeting")
            return
        # X在会上发言: the subject stands before 在, the act right after 上 (or 所言)
        if not self.act.match(text, after) and not text.startswith(("所言", "所说"), after):
            return
        lead = text.rfind("在", start, hit.start())
        if lead < 0:
            return
        clause = max(start, max(text.rfind(c, start, lead) for c in "，；：") + 1)
        self._region(doc, meeting, clause, lead, clause, after + 2, "attendance-at-meeting")

    def _meeting_before(self, doc: Doc, sentence, start: int, end: int) -> Ref | None:  # type: ignore[no-untyped-def]
        """The meeting a …会上 names: a meeting's name or back-reference ending there (峰会上),
        a session (大范围会议上), a press conference of the meeting named earlier in the clause
        (峰会闭幕后举行的记者会上), or a bare 会上 (the meeting of the text around it, unless a
        meeting of two was just named: 会谈。会上，…)."""
        text = doc.article.text
        named = self._ending(end, "summit")
        if named is not None:
            return self._admissible(doc, named.ref)  # type: ignore[arg-type]
        head = text[max(start, end - 12):end]
        for session in self.session.finditer(head):
            if session.end() == len(head):
                return self._admissible(doc, summit_at(doc, end))
        sub = next((s for s in self.sub_event.finditer(head) if s.end() == len(head)), None)
        if sub is not None:
            clause = max(start, max(text.rfind(c, start, end) for c in "，；") + 1)
            owner = [m for m in self._in(clause, end, "summit") if m.end <= end - len(sub.group())]
            return self._admissible(doc, owner[-1].ref) if owner else None  # type: ignore[arg-type]
        bare = end - 1 == start or text[end - 2] in "，在：" or end - 1 == sentence.start
        if not bare:
            return None  # 论坛会上, 工商界大会上: another event
        before = text[max(0, sentence.start - 40):end]
        last_meeting = max((m.end for m in self._in(max(0, sentence.start - 40), end, "summit")), default=-1)
        last_two = max((h.end() + max(0, sentence.start - 40) for h in self.bilateral.finditer(before)), default=-1)
        if last_two > last_meeting:
            return None
        return self._admissible(doc, summit_at(doc, end))

    def _host(self, doc: Doc, hit: re.Match[str]) -> None:
        """中方举行了…对话会: the state that holds a meeting takes part in it."""
        text = doc.article.text
        state = self._ending(hit.start(), "state")
        if state is None or state.ref is None or text.endswith(("在", "于", "赴", "到"), 0, state.start):
            return  # 在俄罗斯举行的…: where a meeting is held, not who holds it
        named = self._at(hit.end(), "summit")
        noun = None if text.startswith("的", hit.end()) else self.meeting_noun.match(text, hit.end())
        if named is None and noun is None:
            return
        meeting = self._admissible(doc, named.ref if named is not None else summit_at(doc, hit.start()))
        if meeting is not None:
            end = named.end if named is not None else noun.end()  # type: ignore[union-attr]
            self._attend(doc, meeting, state.ref, state.start, end, "attendance-host")

    def _listed(self, doc: Doc, sentence, start: int) -> bool:  # type: ignore[no-untyped-def]
        """…元首悉数出席。8位元首分别是：A、B…: the parties after the colon attend."""
        text = doc.article.text
        intro = self.list_intro.search(text, start, min(sentence.end, start + 30))
        if intro is None:
            return False
        meeting = self._admissible(doc, summit_at(doc, intro.start()))
        if meeting is None:
            return False
        self._region(doc, meeting, intro.end(), sentence.end, intro.end(), sentence.end, "attendance-listed")
        return True

    # -- who is in a region ------------------------------------------------------------
    def _region(self, doc: Doc, meeting: Ref, start: int, end: int, ev_start: int, ev_end: int, rule: str) -> bool:
        """Everyone a region names as taking part; True when it names anyone."""
        text = doc.article.text
        found = False
        for m in self._in(start, end, "person"):
            if m.ref is None or m.ref in self.reporters or text.startswith(("摄", "拍摄"), m.end):
                continue
            self._attend(doc, meeting, m.ref, m.start, ev_end, rule)
            self._person_state(doc, meeting, m, ev_end)
            found = True
        for post in self._in(start, end, "post"):
            if self._at(post.end, "person") is not None:
                continue
            holder = self._ending(post.start, "org", "state")
            if holder is not None and holder.ref is not None and self._may_attend(doc, meeting, holder.ref):
                self._attend(doc, meeting, holder.ref, holder.start, ev_end, "attendance-org-head"
                             if holder.kind == "org" else "attendance-state-representative")
                found = True
        for party in self._in(start, end, "state", "org"):
            if party.ref is None or not self._before_group(text, party.end, end):
                continue
            if party.kind == "org" and self.count_after.match(text, party.end):
                continue  # 阿盟22国领导人: the organization says whose members, it is not a party
            if self._may_attend(doc, meeting, party.ref):
                self._attend(doc, meeting, party.ref, party.start, ev_end, "attendance-listed-party")
                found = True
        for status, pattern in _GROUPS:
            hit = pattern.search(text, start, end)
            if hit:
                self.groups.setdefault((meeting, status), (hit.start(), ev_end))
        for hit in self.count.finditer(text, start, end):
            self._count(doc, hit, ev_end, meeting)
        return found

    def _count(self, doc: Doc, hit: re.Match[str], end: int, meeting: Ref | None = None) -> None:
        """五国领导人 / 其他四国领导人 / 东盟十国领导人: the members of the organization named before the
        count (else the meeting's organizer) on the meeting's date, when the count matches them."""
        n = cn_number(hit.group("n"))
        if meeting is None:
            meeting = self._admissible(doc, summit_at(doc, hit.start()))
        if not n or meeting is None:
            return
        org = self._ending(hit.start() - len(hit.group("other") or ""), "org")
        status = "observer" if hit.group("status") == "观察员国" else "member"
        self.counts.append((meeting, org.ref if org is not None else None, status, n, bool(hit.group("other")),
                            hit.start(), end))

    def _before_group(self, text: str, at: int, limit: int) -> bool:
        """Whether a state or organization at ``at`` heads a list that ends in a group noun
        (印度、哈萨克斯坦…等共8国外长; 独立国家联合体、欧亚经济委员会…常设机构负责人) with no name after it."""
        pos = at
        while pos < limit:
            glue = _LIST_GLUE.match(text, pos)
            nxt = self._at(glue.end(), "state") or self._at(glue.end(), "org") if glue else None
            if nxt is None or nxt.end > limit:
                break
            pos = nxt.end
        hit = self.group_after.match(text, pos, limit)
        return hit is not None and self._at(hit.end(), "person") is None

    def _person_state(self, doc: Doc, meeting: Ref, person: Mention, end: int) -> None:
        """The state or organization a participant serves takes part with them: the holder of
        their post (the state a president serves, the organization whose head attends), else the
        state written at the head of the title chain before the name (伊朗伊斯兰共和国第一副总统X,
        俄罗斯联邦政府总理Y, 中华人民共和国国务院总理Z), else the state a bare title means in
        Chinese news (习近平主席, 习主席). Never the meeting's own organizer, a ministry, a newspaper."""
        info_map = doc.context.get("post_info", {})
        posts = doc.context.get("person_posts", {}).get(person.ref, [])  # type: ignore[union-attr]
        brought = False
        for post_ref in posts:
            info, holder = info_map.get(post_ref, (None, None))  # type: ignore[union-attr]
            if info is not None and info.kind == "reporter":
                return
            if isinstance(holder, Ref) and self._may_attend(doc, meeting, holder):
                self._attend(doc, meeting, holder, person.start, end, "attendance-leader-state"
                             if holder.kind == "state" else "attendance-head-org")
                brought = brought or holder.kind == "state"
        if brought:
            return
        chain = self._chain_state(doc, person)
        if chain is not None:
            if self._may_attend(doc, meeting, chain):
                self._attend(doc, meeting, chain, person.start, end, "attendance-leader-state")
            return
        title = next((t for t in self.home_titles if person.text.endswith(t) and len(person.text) > len(t)), None)
        if title is None:
            title = next((t for t in self.home_titles if doc.article.text.startswith(t, person.end)), None)
        if title is None:
            roles = {p.key.rsplit("/", 1)[-1] for p in posts if info_map.get(p, (None, None))[1] is None}  # type: ignore[union-attr]
            title = next((t for t in self.home_titles if t in roles), None)
        if title is not None:
            self._attend(doc, meeting, self.home_titles[title], person.start, end, "attendance-leader-state")

    def _chain_state(self, doc: Doc, person: Mention) -> Ref | None:
        """The state at the head of the title chain written before a name (posts, bodies and a few
        other characters between: 俄罗斯联邦政府总理, 伊朗伊斯兰共和国第一副总统)."""
        pos = person.start
        seen_post = False
        while pos > 0:
            before = self._ending(pos, "post", "org", "unit", "state")
            if before is None:
                if not seen_post:
                    return None
                # a short gap (政府, 第一, 代理) before the title
                for gap in range(1, 5):
                    found = self._ending(pos - gap, "state", "org", "unit")
                    if found is not None and _CLAUSE.search(doc.article.text, pos - gap, pos) is None \
                            and "、" not in doc.article.text[pos - gap:pos]:
                        before = found
                        break
                if before is None:
                    return None
            if before.kind == "state":
                return before.ref
            if before.kind == "org" and before.ref is not None:
                state = self._state_in_name(before.text)
                if state is not None:
                    return state
            seen_post = seen_post or before.kind == "post"
            pos = before.start
        return None

    def _state_in_name(self, name: str) -> Ref | None:
        """The state whose name begins an organization's name (中华人民共和国国务院)."""
        for size in range(len(name) - 1, 1, -1):
            refs = self.lexicon.names.get(name[:size], [])
            state = next((r for r in refs if r.kind == "state"), None)
            if state is not None:
                return state
        return None

    def _may_attend(self, doc: Doc, meeting: Ref, who: Ref) -> bool:
        """States and organizations that may be participants: not the meeting's own organizer,
        not a ministry, a newspaper or a broadcaster."""
        if who.kind == "state":
            return True
        if who.kind != "org":
            return False
        if meeting not in self.organizers:
            self.organizers[meeting] = {f.object for f in doc.facts if f.subject == meeting
                                        and f.predicate == "organizer"}
        if who in self.organizers[meeting]:
            return False
        return not self.lexicon.classes.get(who, set()) & {"MediaOrganization", "GovernmentBody"}

    @staticmethod
    def _reporters(doc: Doc) -> set[Ref]:
        info_map = doc.context.get("post_info", {})
        out = set()
        for person, posts in doc.context.get("person_posts", {}).items():  # type: ignore[union-attr]
            for post in posts:
                info = info_map.get(post, (None, None))[0]  # type: ignore[union-attr]
                if info is not None and info.kind == "reporter":
                    out.add(person)
        for _name, start, _end, _role in doc.context.get("reporters", []) or []:  # type: ignore[union-attr]
            out.update(m.ref for m in doc.mentions if m.kind == "person" and m.start == start and m.ref)
        return out

    # -- which meeting ----------------------------------------------------------------
    def _admissible(self, doc: Doc, meeting: Ref | None) -> Ref | None:
        """The meeting itself, or ``None`` when it is of another time: the next meeting, or an
        earlier or later meeting of the same series as the report's own."""
        if meeting is None or meeting == self.main:
            return meeting
        if meeting not in self.admitted:
            self.admitted[meeting] = self._same_time(doc, meeting)
        return meeting if self.admitted[meeting] else None

    def _same_time(self, doc: Doc, meeting: Ref) -> bool:
        for f in doc.facts:
            if f.object == meeting and f.predicate == "mentions" and f.evidence is not None \
                    and f.evidence.rule == "summit-next-meeting":
                return False
        main_series = self._series(doc, self.main)
        if main_series is not None and main_series == self._series(doc, meeting):
            return False
        mine, other = self._summit_date(doc, self.main), self._summit_date(doc, meeting)
        return mine is None or other is None or abs((mine - other).days) <= 7

    @staticmethod
    def _series(doc: Doc, summit: Ref) -> object:
        return next((f.object for f in doc.facts if f.subject == summit and f.predicate == "inSeries"), None)

    # -- facts ------------------------------------------------------------------------
    def _attend(self, doc: Doc, summit: Ref, who: Ref, start: int, end: int, rule: str,
                basis: str = "stated") -> None:
        if basis == "stated":
            if (summit, who) in self.stated:
                return
            self.stated.add((summit, who))
        part = Ref("participation", f"{summit.key}/{who.kind}-{who.key}")
        doc.entity(part, f"{who}", "Participation")
        doc.add(part, "type", Ref("class", "Participation"), start, end, rule, basis)
        doc.add(summit, "participation", part, start, end, rule, basis)
        doc.add(part, "participant", who, start, end, rule, basis)
        doc.add(part, "basis", Ref("basis", basis), start, end, rule, basis)
        doc.add(summit, "attendee", who, start, end, rule, basis)

    def _inferred(self, doc: Doc) -> None:
        """Members on the meeting's date, from 成员国领导人 and from counts that match the membership."""
        done: set[tuple[Ref, Ref]] = set()
        for meeting, org, status, n, other, start, end in self.counts:
            org = org or self._organizer(doc, meeting)
            date = self._summit_date(doc, meeting)
            if not isinstance(org, Ref) or date is None:
                continue
            members = self.lexicon.memberships_on(org, status, date)
            if len(members) != n + (1 if other else 0):
                continue  # 47个国家: not the membership
            self._infer(doc, meeting, members, start, end, "attendance-count", done)
        for (meeting, status), (start, end) in sorted(self.groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            org = self._organizer(doc, meeting)
            date = self._summit_date(doc, meeting)
            if date is None or not isinstance(org, Ref):
                continue
            self._infer(doc, meeting, self.lexicon.memberships_on(org, status, date), start, end,
                        f"attendance-{status}-group", done)

    def _infer(self, doc: Doc, meeting: Ref, members, start: int, end: int, rule: str,  # type: ignore[no-untyped-def]
               done: set[tuple[Ref, Ref]]) -> None:
        for ms in members:
            if (meeting, ms.state) in self.stated or (meeting, ms.state) in done:
                continue
            done.add((meeting, ms.state))
            self._attend(doc, meeting, ms.state, start, end, rule, basis="inferred")
            part = Ref("participation", f"{meeting.key}/{ms.state.kind}-{ms.state.key}")
            doc.add(part, "inferredFrom", ms.ref, start, end, rule, "inferred")

    def _organizer(self, doc: Doc, meeting: Ref) -> object:
        """The meeting's organizer as stated, else the organization its key names (a summit found
        by a short or city name, 上合比什凯克峰会 → sco/heads-of-state/19)."""
        stated = next((f.object for f in doc.facts if f.subject == meeting and f.predicate == "organizer"), None)
        if stated is not None:
            return stated
        org = Ref("org", meeting.key.split("/", 1)[0])
        return org if org in self.lexicon.labels else None

    def _summit_date(self, doc: Doc, summit: Ref) -> dt.date | None:
        for f in doc.facts:
            if f.subject == summit and f.predicate == "startDate" and isinstance(f.object, Value):
                return dt.date.fromisoformat(f.object.value)
        return self.lexicon.summits.get(summit)
