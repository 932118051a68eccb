"""Who took part: persons named before 出席/参加/列席, organizations through their heads
(联合国秘书长), states through their leaders and the chair, and — marked as inferred — the
member and observer states on the summit's date when the text says their leaders attended."""
from __future__ import annotations

import datetime as dt
import re

from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value  # noqa: F401
from kg.pipeline.relate.common import mentions_in

_GROUPS = (("member", re.compile(r"成员国[^，。；]{0,12}?(?:领导人|元首)|成员国[^，。；]{0,16}?(?:领导人|元首)")),
           ("observer", re.compile(r"观察员国[^，。；]{0,8}?(?:领导人|元首|代表)")))


class AttendanceRule:
    name = "attendance"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.attend = lexicon.summit_words["attend"]
        self.preside = lexicon.summit_words["preside"]
        self.clause_end = lexicon.summit_words["clause_end"]

    def __call__(self, doc: Doc) -> Doc:
        summit = doc.context.get("summit")
        if not isinstance(summit, Ref):
            return doc
        text = doc.article.text
        floor = int(doc.context.get("dateline_end", 0))  # type: ignore[arg-type]
        stated: set[Ref] = set()
        groups: dict[str, tuple[int, int]] = {}
        for sentence in doc.sentences:
            for verb in self.attend.finditer(text, sentence.start, sentence.end):
                if not self._takes_part(doc, summit, verb):
                    continue
                region = max(sentence.start, floor)
                frame = max(text.rfind("表示，", region, verb.start()), text.rfind("说，", region, verb.start()))
                if frame >= 0:
                    region = frame + 2
                self._region(doc, summit, region, verb.start(), verb.end(), stated, groups)
            for verb in self.preside.finditer(text, sentence.start, sentence.end):
                person = next((m for m in doc.mentions if m.kind == "person" and 0 <= verb.start() - m.end <= 12
                               and m.start >= sentence.start), None)
                if person is not None and person.ref is not None:
                    self._attend(doc, summit, person.ref, "person", person.start, verb.end(), "attendance-preside",
                                 stated)
                    doc.add(summit, "chairPerson", person.ref, person.start, verb.end(), "summit-chair-person")
                    self._leader_state(doc, summit, person, verb.end(), stated)
        chair = doc.context.get("chair_state")
        if isinstance(chair, tuple):
            self._attend(doc, summit, chair[0], "state", chair[1], chair[2], "attendance-chair", stated)
        self._inferred(doc, summit, groups, stated)
        return doc

    def _takes_part(self, doc: Doc, summit: Ref, verb: re.Match[str]) -> bool:
        """Whether the verb says someone takes part in the report's summit: its object is the
        summit (出席上海合作组织…会议, 出席峰会), or it has none (…莫迪出席。 / 在出席的名单当中), which
        in a report about one summit means that summit. 与会 is a verb only when nothing follows it
        in the clause (与会各国领导人 is "the attending leaders")."""
        text = doc.article.text
        obj = next((m for m in doc.mentions if m.kind == "summit" and verb.end() <= m.start <= verb.end() + 1), None)
        if obj is not None:
            # attending one of its events (…会晤特别记者会) is being at the summit too
            return obj.ref == summit
        return self.clause_end.match(text, verb.end()) is not None

    def _region(self, doc: Doc, summit: Ref, start: int, verb_start: int, verb_end: int, stated: set[Ref],
                groups: dict[str, tuple[int, int]]) -> None:
        text = doc.article.text
        for m in mentions_in(doc, start, verb_start, "person"):
            if m.ref is None:
                continue
            self._attend(doc, summit, m.ref, "person", m.start, verb_end, "attendance-subject", stated)
            self._leader_state(doc, summit, m, verb_end, stated)
        for post in mentions_in(doc, start, verb_start, "post"):
            has_name = any(p.kind == "person" and p.start == post.end for p in doc.mentions)
            holder = next((m for m in doc.mentions if m.end == post.start and m.kind == "org"), None)
            if not has_name and holder is not None and holder.ref is not None:
                self._attend(doc, summit, holder.ref, "org", holder.start, verb_end, "attendance-org-head", stated)
        for status, pattern in _GROUPS:
            hit = pattern.search(text, start, verb_start)
            if hit:
                groups.setdefault(status, (hit.start(), verb_end))

    def _leader_state(self, doc: Doc, summit: Ref, person: Mention, verb_end: int, stated: set[Ref]) -> None:
        """A participant's state or organization takes part with them: the state a president,
        minister or envoy serves, the organization whose head attends (独联体执委会主席X) — but not
        the summit's own organizer, a ministry (its official does not bring a state), nor a
        newspaper a reporter writes for."""
        info_map = doc.context.get("post_info", {})
        key = f"organizers:{summit}"
        if key not in doc.context:
            doc.context[key] = {f.object for f in doc.facts if f.subject == summit and f.predicate == "organizer"}
        organizers: set[object] = doc.context[key]  # type: ignore[assignment]
        for post_ref in doc.context.get("person_posts", {}).get(person.ref, []):  # type: ignore[union-attr]
            info, holder = info_map.get(post_ref, (None, None))  # type: ignore[union-attr]
            if not isinstance(holder, Ref) or holder in organizers or (info is not None and info.kind == "reporter"):
                continue
            if holder.kind == "state":
                self._attend(doc, summit, holder, "state", person.start, verb_end, "attendance-leader-state", stated)
            elif holder.kind == "org" and not self.lexicon.classes.get(holder, set()) & {"MediaOrganization",
                                                                                        "GovernmentBody"}:
                self._attend(doc, summit, holder, "org", person.start, verb_end, "attendance-head-org", stated)

    def _attend(self, doc: Doc, summit: Ref, who: Ref, kind: str, start: int, end: int, rule: str,
                stated: set[Ref], basis: str = "stated") -> None:
        if basis == "stated":
            if who in stated:
                return
            stated.add(who)
        part = Ref("participation", f"{summit.key}/{who.kind}-{who.key}")
        doc.entity(part, f"{who}", "Participation")
        doc.add(part, "type", Ref("class", "Participation"), start, end, rule, basis)
        doc.add(summit, "participation", part, start, end, rule, basis)
        doc.add(part, "participant", who, start, end, rule, basis)
        doc.add(part, "basis", Ref("basis", basis), start, end, rule, basis)
        doc.add(summit, "attendee", who, start, end, rule, basis)

    def _inferred(self, doc: Doc, summit: Ref, groups: dict[str, tuple[int, int]], stated: set[Ref]) -> None:
        date = self._summit_date(doc, summit)
        org = next((f.object for f in doc.facts if f.subject == summit and f.predicate == "organizer"), None)
        if date is None or not isinstance(org, Ref):
            return
        for status, (start, end) in sorted(groups.items()):
            for ms in self.lexicon.memberships_on(org, status, date):
                if ms.state in stated:
                    continue
                self._attend(doc, summit, ms.state, "state", start, end, f"attendance-{status}-group", stated,
                             basis="inferred")
                part = Ref("participation", f"{summit.key}/{ms.state.kind}-{ms.state.key}")
                doc.add(part, "inferredFrom", ms.ref, start, end, f"attendance-{status}-group", "inferred")

    def _summit_date(self, doc: Doc, summit: Ref) -> dt.date | None:
        for f in doc.facts:
            if f.subject == summit and f.predicate == "startDate" and isinstance(f.object, Value):
                return dt.date.fromisoformat(f.object.value)
        return self.lexicon.summits.get(summit)
