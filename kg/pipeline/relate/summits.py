"""Summits: every meeting a report names (by shape), back-references, and per meeting the date,
format, chair and city its own clauses state."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.dates import DateExpr, find_dates, find_relative
from kg.pipeline.fold import surface
from kg.pipeline.relate.common import SUMMIT_ALIASES, mentions_in, summit_at
from kg.pipeline.relate.meetings import MeetingFinder, MeetingName
from kg.pipeline.segment import Segmenter

#: Words before 主席国 that name the chair of an earlier or later meeting, not of this one.
_OTHER_TERM = ("下任", "下一任", "下届", "下一届", "候任", "前任", "上任", "上一任", "上届", "上一届")


#: Characters that make a run of single characters no place name (在此地举行, 在那里召开).
_NOT_PLACE_CHAR = frozenset("此那这该其本各每某何哪上下中内外前后里处地时年月日")


#: Words that date a meeting by the report's own meeting (同日，…会议在…举行).
_SAME_DAY = re.compile(r"同日|当日|当天|同一天|同天")


#: Back-references without a determiner, and the words that may stand right before them.
_BARE = ("峰会", "会晤", "会议")
_BEFORE_BARE = ("出席", "参加", "列席", "主持", "举行", "召开", "结束", "出席了", "参加了", "主持了", "举行了",
                "召开了", "在", "于", "次", "届", "本", "此", "该", "这", "上述", "整个", "了")


#: A state right before one of these verbs holds the meeting named after them (中方举行了…对话会).
_HOLDS = re.compile(r"(?:举行|主办|承办|举办)了?$")
#: Councils of leaders' meetings: a name without a council word means the first one a series has.
_TOP_LEVEL = ("heads-of-state", "leaders", "heads-of-government")


@dataclass(frozen=True)
class Meeting:
    """What a meeting name resolves to: its node and the series it belongs to."""

    ref: Ref
    org: Ref | None
    council: str | None
    series: str
    core: str
    city: Ref | None
    ordinal: int | None = None

    def at(self, key: str, ordinal: int | None = None) -> "Meeting":
        return replace(self, ref=Ref("summit", key), ordinal=ordinal)


class SummitRule:
    """Every meeting a report names, each its own node, and the attributes stated for each.

    Names are found by their shape (:class:`~kg.pipeline.relate.meetings.MeetingFinder`); the
    gazetteer only says which organization a name belongs to. The report's own meeting (the main
    summit) is the first one named with an ordinal, else the first one named; back-references
    (峰会, 本次会议…) refer to it. A meeting of a mechanism no dictionary holds gets a node keyed
    by its name as written and its ordinal.
    """

    name = "summit"

    def __init__(self, lexicon: Lexicon, shapes: list[dict], segmenter: Segmenter | None = None) -> None:  # type: ignore[type-arg]
        self.lexicon = lexicon
        orgs: dict[str, Ref] = {}
        for written, refs in lexicon.names.items():
            ref = next((r for r in refs if r.kind == "org" and "UnitOnly" not in lexicon.classes.get(r, set())), None)
            if ref is not None:
                orgs[written] = ref
        # a summit mechanism (中国-中亚峰会机制) names its meetings by its stem: 第二届中国-中亚峰会;
        # a cooperation mechanism (X合作机制) by its parties: X外长会, X领导人会议
        for written, ref in list(orgs.items()):
            for suffix in ("峰会机制", "合作机制", "机制"):
                if written.endswith(suffix) and len(written) - len(suffix) >= 2:
                    orgs.setdefault(written[: -len(suffix)], ref)
                    break
        councils = {c.pattern: c.council for c in lexicon.councils if c.pattern}
        self.finder = MeetingFinder(shapes, councils, orgs, segmenter)
        # the council of an organization's meetings when a name gives none: its one series
        by_org: dict[str, set[str]] = {}
        for series in lexicon.series:
            org_key, _, council = series.key.partition("/")
            by_org.setdefault(org_key, set()).add(council)
        self.default_council = {}
        for org_key, councils_of in by_org.items():
            top = [c for c in _TOP_LEVEL if c in councils_of]
            self.default_council[org_key] = top[0] if top else next(iter(sorted(councils_of)))
        self.next_meeting = re.compile(
            r"下一?[次届][^，。；]{0,8}?将于(?:(?P<year>\d{4})年)?(?:\d{1,2}月)?(?:[^，。；]{0,6}?)在[^，。；]{1,12}?举行")
        self.next_chair = re.compile(r"(?:将)?(?:接任|担任)(?:下一?[任届]|新一?[任届])?(?:的)?轮值主席国")
        self.words = lexicon.summit_words
        self.alias_re = re.compile("|".join(map(re.escape, SUMMIT_ALIASES)))
        roles = {row["role"]: row["words"] for row in shapes}
        self.segmenter = segmenter
        self.venues = tuple(roles.get("venue", ()))
        self.place_re = re.compile(r"在(?P<place>[\u4e00-\u9fff·]{2,8}?)市?(?:举行|召开|举办|开幕|闭幕|会晤|聚首)")

    def __call__(self, doc: Doc) -> Doc:
        self._places(doc)
        names = self.finder.find(doc)
        if not names:
            return doc
        anchor = self._anchor(doc, None)
        order = sorted(range(len(names)), key=lambda i: (names[i].relation != "this", names[i].ordinal is None, i))
        main: Meeting | None = None
        found: list[tuple[MeetingName, Meeting]] = []
        for i in order:
            meeting = self._identity(doc, names[i], main, anchor)
            if meeting is None:
                continue
            if main is None and names[i].relation == "this":
                main = meeting
            found.append((names[i], meeting))
        if main is None:
            return doc
        found.sort(key=lambda item: item[0].start)
        doc.context["summit"] = main.ref
        article = Ref("article", doc.article.id)
        spans: list[tuple[Ref, int, int]] = []
        for name, meeting in found:
            self._node(doc, name, meeting)
            mention = Mention("summit", name.start, name.end, name.label, meeting.ref, rule=self.name)
            doc.mentions.append(mention)
            spans.append((meeting.ref, name.start, name.end))
            doc.add(article, "about" if meeting.ref == main.ref else "mentions", meeting.ref, name.start, name.end,
                    self.name)
        first = next(Mention("summit", n.start, n.end, n.label, m.ref) for n, m in found if m.ref == main.ref)
        self._aliases(doc, main.ref, first, found)
        spans += [(m.ref, m.start, m.end) for m in doc.mentions if m.rule == "summit-alias" and m.ref is not None]
        doc.context["summit_spans"] = sorted(spans, key=lambda s: (s[1], s[2]))
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        self._date(doc, main.ref)
        self._format(doc, main.ref)
        self._chair(doc, main.ref)
        self._city(doc, main.ref)
        self._next(doc, main.ref)
        for name, meeting in found:
            if meeting.ref != main.ref:
                self._other(doc, name, meeting)
            self._city_in_name(doc, name, meeting)
            self._host_by_verb(doc, name, meeting)
        return doc

    def _host_by_verb(self, doc: Doc, name: MeetingName, meeting: Meeting) -> None:
        """A state that holds the meeting: 中方举行了…对话会, 南非主办…峰会 (stated)."""
        text = doc.article.text
        hit = _HOLDS.search(text, max(0, name.start - 6), name.start)
        if hit is None or any(f.subject == meeting.ref and f.predicate == "hostState" for f in doc.facts):
            return
        state = next((m for m in doc.mentions if m.kind == "state" and m.end == hit.start() and m.ref), None)
        if state is not None:
            doc.add(meeting.ref, "hostState", state.ref, state.start, name.end, "summit-host-holds")  # type: ignore[arg-type]

    def _city_in_name(self, doc: Doc, name: MeetingName, meeting: Meeting) -> None:
        """A city the meeting's name holds (厦门会晤, 冰城峰会), where no clause states one."""
        if name.city is None or any(f.subject == meeting.ref and f.predicate == "city" for f in doc.facts):
            return
        if meeting.ref in self.lexicon.summit_city:
            return  # the reference knows where it met
        if not any(m.kind == "city" and m.ref == name.city for m in doc.mentions):
            place = name.core.removesuffix(name.head)
            at = doc.article.text.find(place, name.name_start, name.end)
            if at < 0:
                return
            doc.mentions.append(Mention("city", at, at + len(place), place, name.city, rule="city-shape"))
        doc.add(meeting.ref, "city", name.city, name.start, name.end, "summit-city-in-name")

    def _places(self, doc: Doc) -> None:
        """Cities the gazetteer does not know, by shape: 在冰城举行, 在乌兹别克斯坦冰城举行 — a
        place name (jieba's ns/nr/nrt/nz, or words it does not know) that is no state, no
        organization and no building (人民大会堂, 独立宫)."""
        text = doc.article.text
        taken = [(m.start, m.end) for m in doc.mentions]
        found = []
        for hit in self.place_re.finditer(text):
            start, end = hit.span("place")
            state = next((m for m in doc.mentions if m.start == start and m.kind == "state" and m.end < end), None)
            if state is not None:
                start = state.end
            place = text[start:end]
            if len(place) < 2 or place.endswith(self.venues) or any(a < end and start < b for a, b in taken):
                continue
            if not self._place_like(place):
                continue
            ref = Ref("city", iris.slug(place))
            found.append(Mention("city", start, end, place, ref, rule="city-shape"))
            taken.append((start, end))
        if found:
            doc.mentions.extend(found)
            doc.mentions.sort(key=lambda m: (m.start, -m.end))

    def _place_like(self, place: str) -> bool:
        if self.segmenter is None:
            return False
        if place in self.lexicon.names:
            return False  # a state, an organization or a person the gazetteer knows
        tokens = self.segmenter.words(place)
        tags = [self.segmenter.word_tag(t) for t in tokens]
        if len(tokens) == 1:
            return tags[0] is None or tags[0] in self.finder.place_pos
        if all(len(t) == 1 for t in tokens) and not any(t in _NOT_PLACE_CHAR for t in tokens):
            return True  # a word jieba does not know, cut into characters (楠迪): a transliterated name
        return all(t in self.finder.place_pos for t in tags)

    # -- identity ------------------------------------------------------------------------
    def _identity(self, doc: Doc, name: MeetingName, main: Meeting | None, anchor: dt.date | None) -> Meeting | None:
        """Which meeting a name stands for: a reference summit where the gazetteer knows its
        organization (上海合作组织成员国元首理事会第二十次会议 → summit/sco/heads-of-state/20), the
        report's own meeting when the name is a shorter one of it (中国-中亚峰会, 青岛峰会), else a
        meeting keyed by the series' name as written and its ordinal, city or year."""
        lex = self.lexicon
        org = name.org
        stem_only = not self.finder.stem(name.core.removesuffix(name.head)) if name.core else True
        if org is None and main is not None and stem_only:
            org = main.org  # 领导人第十次会晤, 第二次峰会, 下次会议: the series of the report's meeting
        if org is None and main is not None and name.core and name.core == main.core:
            org = main.org
        council = name.council or (self.default_council.get(org.key) if org else None) or (
            main.council if main is not None and org == main.org else None)
        if org is not None:
            series = f"{org.key}/{council or 'meetings'}"
        elif name.core and not stem_only:
            series = iris.slug(name.core)
        elif main is not None:
            series = main.series
        else:
            return None
        same_series = main is not None and main.series == series
        core = name.core or (main.core if main is not None and same_series else name.head)
        meeting = Meeting(Ref("summit", ""), org, council, series, core, name.city)
        if name.ordinal is not None:
            return meeting.at(f"{series}/{name.ordinal}", name.ordinal)
        if name.years_ago is not None:  # 6年前的上合峰会: the series' meeting of that year
            if anchor is None:
                return None
            year = anchor.year - name.years_ago
            held = sorted((r for r, d in lex.summits.items()
                           if r.key.startswith(series + "/") and d and d.year == year), key=lambda r: lex.summits[r])
            if len(held) != 1:
                return None
            number = held[0].key.rsplit("/", 1)[-1]
            return meeting.at(held[0].key, int(number) if number.isdigit() else None)
        if name.relation in ("next", "previous") and main is not None and same_series:
            number = main.ref.key.rsplit("/", 1)[-1]
            if number.isdigit():
                step = 1 if name.relation == "next" else -1
                return meeting.at(f"{series}/{int(number) + step}", int(number) + step)
            return None
        if name.relation != "this":
            return None  # 下次会议 of a meeting with no ordinal: nothing to name it by
        if name.city is not None:
            if org is None and main is not None:
                org = main.org  # 上海峰会 in a report of a CICA summit: a meeting of that mechanism first
            if main is not None and self._city_of(doc, main.ref) == name.city and (org is None or org == main.org):
                return main
            held = [s for s, c in lex.summit_city.items() if c == name.city
                    and (org is None or s.key.startswith(f"{org.key}/"))]
            if len(held) > 1 and anchor is not None:
                dated = [s for s in held if lex.summits.get(s)]
                held = [min(dated, key=lambda s: abs((lex.summits[s] - anchor).days))] if dated else []
            if not held and main is not None and (org is None or org == main.org):
                return main  # 杭州峰会 in a report of the G20 summit in Hangzhou
            if len(held) == 1:
                key = held[0].key
                number = key.rsplit("/", 1)[-1]
                return replace(meeting, series=key.rsplit("/", 1)[0]).at(key, int(number) if number.isdigit() else None)
            return meeting.at(f"{series}/{iris.slug(lex.labels.get(name.city, name.city.key))}")
        if main is not None and same_series:
            return main
        if main is not None and org is not None and org == main.org and name.council is None:
            return main  # 上合组织峰会 in a report of an SCO summit
        if anchor is None:  # no year to tell this meeting of the series from others: the report's own
            return meeting.at(f"{series}/article-{iris.slug(doc.article.id)}")
        held = [r for r, d in lex.summits.items() if r.key.startswith(series + "/") and d
                and abs((d - anchor).days) <= 200]
        if held:
            key = min(held, key=lambda r: abs((lex.summits[r] - anchor).days)).key
            number = key.rsplit("/", 1)[-1]
            return meeting.at(key, int(number) if number.isdigit() else None)
        return meeting.at(f"{series}/{anchor.year}")

    def _city_of(self, doc: Doc, summit: Ref) -> Ref | None:
        stated = next((f.object for f in doc.facts if f.subject == summit and f.predicate == "city"), None)
        return stated if isinstance(stated, Ref) else self.lexicon.summit_city.get(summit)

    def _node(self, doc: Doc, name: MeetingName, meeting: Meeting) -> None:
        """The meeting's node: class, name, organizer, ordinal and series (once per meeting)."""
        lex = self.lexicon
        ref = meeting.ref
        span = (name.start, name.end)
        known = ref in lex.summits
        seen = doc.context.setdefault("summits_seen", set())
        label = name.label
        # compared as written: 首届中国—中亚峰会 is another name than the reference's 首届中国-中亚峰会
        written = surface(doc.article.text, doc.article.hans_text, label, name.start, name.end) or label
        if ref in seen:  # type: ignore[operator]
            if written != lex.labels.get(ref) and not any(
                    f.subject == ref and f.predicate in ("label", "alias") and getattr(f.object, "value", None) == label
                    for f in doc.facts):
                doc.add(ref, "alias", Value(label, lang="zh-Hans"), *span, self.name)
            return
        seen.add(ref)  # type: ignore[union-attr]
        doc.entity(ref, lex.labels.get(ref, label), "Summit", known=known)
        doc.add(ref, "type", Ref("class", "Summit"), *span, self.name)
        if not known:
            doc.add(ref, "label", Value(label, lang="zh-Hans"), *span, self.name)
        elif written != lex.labels.get(ref):
            doc.add(ref, "alias", Value(label, lang="zh-Hans"), *span, self.name)
        if meeting.org is not None:
            doc.add(ref, "organizer", meeting.org, *span, self.name)
        if meeting.ordinal is not None:
            doc.add(ref, "ordinal", Value(str(meeting.ordinal), "positiveInteger"), *span, self.name)
        series = Ref("series", meeting.series)
        if series not in lex.series:
            series_label = meeting.core if not meeting.org else (
                f"{lex.labels.get(meeting.org, '')}{meeting.core.removeprefix(lex.labels.get(meeting.org, ''))}")
            doc.entity(series, series_label, "SummitSeries")
            doc.add(series, "type", Ref("class", "SummitSeries"), *span, self.name)
            doc.add(series, "label", Value(series_label or meeting.series, lang="zh-Hans"), *span, self.name)
            if meeting.council:
                doc.add(series, "council", Value(meeting.council), *span, self.name)
        doc.add(ref, "inSeries", series, *span, self.name)

    def _other(self, doc: Doc, name: MeetingName, meeting: Meeting) -> None:
        """What the text states of a meeting other than the report's own: the city its name
        holds (厦门会晤), and a date or a city written in its own clause."""
        ref = meeting.ref
        sentence = doc.sentence_at(name.start)
        if any(f.subject == ref and f.predicate == "startDate" for f in doc.facts):
            return
        anchor = doc.context.get("anchor")
        for expr in find_dates(sentence.text, sentence.start):
            if summit_at(doc, expr.start) != ref:
                continue
            resolved = expr.resolve(anchor if isinstance(anchor, dt.date) else None)
            if resolved is not None:
                doc.add(ref, "startDate", Value(resolved[0].isoformat(), "date"), expr.start, expr.end,
                        "summit-other-date")
                doc.add(ref, "endDate", Value(resolved[1].isoformat(), "date"), expr.start, expr.end,
                        "summit-other-date")
                return
        self._same_day(doc, name, meeting, sentence)

    def _same_day(self, doc: Doc, name: MeetingName, meeting: Meeting, sentence) -> None:  # type: ignore[no-untyped-def]
        """同日，…会议在…举行: a meeting held the same day as the report's own has its date, and is
        held in person unless its clause says it is a video meeting."""
        text = doc.article.text
        same = _SAME_DAY.search(text, sentence.start, name.start)
        main = doc.context.get("summit")
        if same is None or name.relation != "this" or not isinstance(main, Ref):
            return
        day = next((f.object for f in doc.facts if f.subject == main and f.predicate == "startDate"), None)
        if day is None:
            return
        for predicate in ("startDate", "endDate"):  # the day it was held, not the main meeting's range
            doc.add(meeting.ref, predicate, day, same.start(), same.end(), "summit-same-day")
        if any(f.subject == meeting.ref and f.predicate == "format" for f in doc.facts):
            return
        video = self.words["video"].search(text, sentence.start, sentence.end)
        held = self.words["held"].search(text, name.end, sentence.end)
        if video is None and held is not None and meeting.ref not in self.lexicon.summit_formats:
            doc.add(meeting.ref, "format", Ref("format", "in_person"), name.start, held.end(),
                    "summit-format-default", basis="inferred")

    def _next(self, doc: Doc, main: Ref) -> None:
        """The next meeting of the series as its own node: 下次会议将于2025年在天津举行,
        哈萨克斯坦将接任下一任轮值主席国 — with its ordinal, city, year and chair as stated."""
        text = doc.article.text
        parts = main.key.rsplit("/", 1)
        if len(parts) != 2 or not parts[1].isdigit():
            return
        nxt = Ref("summit", f"{parts[0]}/{int(parts[1]) + 1}")
        org = next((f.object for f in doc.facts if f.subject == main and f.predicate == "organizer"), None)
        series = next((f.object for f in doc.facts if f.subject == main and f.predicate == "inSeries"), None)
        for hit in self.next_meeting.finditer(text):
            city = next((m for m in doc.mentions if m.kind == "city" and hit.start() <= m.start < hit.end()), None)
            if city is not None and city.ref is not None:
                doc.add(nxt, "city", city.ref, city.start, city.end, "summit-next-meeting")
            self._next_node(doc, nxt, org, series, hit.start(), hit.end())
        for hit in self.next_chair.finditer(text):
            state = next((m for m in doc.mentions if m.kind == "state" and m.end == hit.start()), None)
            if state is None or state.ref is None:
                continue
            doc.add(nxt, "chairState", state.ref, state.start, hit.end(), "summit-next-chair")
            self._next_node(doc, nxt, org, series, state.start, hit.end(), named=False)

    def _next_node(self, doc: Doc, nxt: Ref, org: object, series: object, start: int, end: int,
                   named: bool = True) -> None:
        """The next meeting's node; the article mentions it only where the text names the meeting
        (下次会议将于…), not where it only names its chair (哈萨克斯坦将接任轮值主席国)."""
        if nxt in doc.context.setdefault("summits_seen", set()):  # type: ignore[operator]
            return
        doc.context["summits_seen"].add(nxt)  # type: ignore[union-attr]
        rule = "summit-next-meeting"
        if named:
            doc.add(Ref("article", doc.article.id), "mentions", nxt, start, end, rule)
        doc.add(nxt, "type", Ref("class", "Summit"), start, end, rule)
        ordinal = nxt.key.rsplit("/", 1)[1]
        doc.add(nxt, "ordinal", Value(ordinal, "positiveInteger"), start, end, rule)
        if isinstance(org, Ref):
            doc.add(nxt, "organizer", org, start, end, rule)
        if isinstance(series, Ref):
            doc.add(nxt, "inSeries", series, start, end, rule)
        if nxt not in self.lexicon.labels:
            series_label = self.lexicon.labels.get(series) if isinstance(series, Ref) else None
            label = f"{series_label or ''}第{ordinal}次会议" if series_label else f"下一次会议（{nxt.key}）"
            doc.add(nxt, "label", Value(label, lang="zh-Hans"), start, end, rule)


    # -- names ---------------------------------------------------------------------------
    def _aliases(self, doc: Doc, main: Ref, first: Mention,
                 found: list[tuple[MeetingName, Meeting]] | None = None) -> None:
        text = doc.article.text
        # a bare 会议/峰会 refers to the meeting last named before it in its paragraph (同日，第三十次
        # …领导人会议在…举行。会议通过了…): the report's own meeting where the paragraph names none
        named = sorted(((n.start, m.ref) for n, m in found or [] if n.relation == "this"),
                       key=lambda item: (item[0], str(item[1])))  # two names may start at one offset
        explicit = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[“\"]?(?P<alias>[^”\"）)]+)[”\"]?[）)]")
        found = explicit.match(text, first.end)
        if found:
            doc.add(main, "alias", Value(found.group("alias"), lang="zh-Hans"), found.start("alias"),
                    found.end("alias"), "summit-alias-defined")
        covered = [(m.start, m.end) for m in doc.mentions if m.kind == "summit"]
        for hit in self.alias_re.finditer(text):
            if any(s <= hit.start() < e for s, e in covered):
                continue
            if hit.group() in _BARE and not self._bare_refers(doc, hit.start()):
                continue  # the end of another meeting's name (工商论坛会议, 双边会晤)
            ref = main
            if hit.group() in _BARE:
                paragraph = text.rfind("\n", 0, hit.start()) + 1
                last = [r for at, r in named if paragraph <= at < hit.start()]
                ref = last[-1] if last else main
            doc.mentions.append(Mention("summit", hit.start(), hit.end(), hit.group(), ref, rule="summit-alias"))

    @staticmethod
    def _bare_refers(doc: Doc, start: int) -> bool:
        """A bare 峰会/会晤/会议 refers to the report's meeting when nothing is written before
        it, or a verb (出席会议), or a name of a state, organization or city (青岛峰会)."""
        text = doc.article.text
        if start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff":
            return True
        if text.endswith(_BEFORE_BARE, 0, start):
            return True
        return any(m.end == start and m.kind in ("state", "org", "city", "unit") for m in doc.mentions)

    # -- attributes ---------------------------------------------------------------------
    def _anchor(self, doc: Doc, main: Ref) -> dt.date | None:
        if doc.article.published:
            return doc.article.published
        if self.lexicon.summits.get(main):
            return self.lexicon.summits[main]  # before any year the text names (a founding date…)
        for expr in find_dates(doc.article.text):
            if expr.year and expr.month:
                try:
                    return dt.date(expr.year, expr.month, expr.day)
                except ValueError:  # 2月30日: a slip of the pen, not an anchor
                    continue
        return None

    def _date(self, doc: Doc, main: Ref) -> None:
        text = doc.article.text
        anchor = self._anchor(doc, main)
        dateline = doc.context.get("dateline_expr")
        month_anchor = None
        if isinstance(dateline, DateExpr):
            resolved = dateline.resolve(anchor)
            month_anchor = resolved[0] if resolved else None
        doc.context["anchor"] = anchor
        filed = month_anchor or doc.article.published  # the day 今天 means
        sub_event = self.words["sub_event"]
        for sentence in doc.sentences:
            refs = [m for m in mentions_in(doc, sentence.start, sentence.end, "summit") if m.ref == main]
            if not refs:
                continue
            if all(sub_event.match(text, m.end) for m in refs if m.rule == self.name) and any(
                    m.rule == self.name for m in refs):
                continue
            found = [f for f in self._sentence_dates(doc, sentence, dateline, anchor, month_anchor, filed)
                     if summit_at(doc, f[1][0]) == main]
            if not found:
                continue
            (start, end), span = min(found, key=lambda f: min(abs(f[1][0] - m.start) for m in refs))
            rule = "summit-date"
            if start == end:  # a range elsewhere that starts that day (今明两天…将聚首杭州) gives the end
                longer = self._range_from(doc, start, dateline, anchor, month_anchor, filed)
                if longer is not None:
                    (start, end), span2 = longer
                    doc.add(main, "endDate", Value(end.isoformat(), "date"), *span2, "summit-date-range")
                    doc.add(main, "startDate", Value(start.isoformat(), "date"), *span, rule)
                    return
            doc.add(main, "startDate", Value(start.isoformat(), "date"), *span, rule)
            doc.add(main, "endDate", Value(end.isoformat(), "date"), *span, rule)
            return

    @staticmethod
    def _sentence_dates(doc: Doc, sentence, dateline, anchor, month_anchor, filed):  # type: ignore[no-untyped-def]
        """Resolved dates written in a sentence, with their spans: absolute (11月10日) and relative
        to the filing day (今天, 今明两天)."""
        out = []
        for e in find_dates(sentence.text, sentence.start):
            if isinstance(dateline, DateExpr) and e.start == dateline.start:
                continue
            resolved = e.resolve(anchor, month_anchor)
            if resolved is not None:
                out.append((resolved, (e.start, e.end)))
        for r in find_relative(sentence.text, sentence.start):
            resolved = r.resolve(filed)
            if resolved is not None:
                out.append((resolved, (r.start, r.end)))
        return out

    def _range_from(self, doc: Doc, start, dateline, anchor, month_anchor, filed):  # type: ignore[no-untyped-def]
        """A multi-day range starting on ``start`` in a sentence where leaders meet or the summit is held."""
        text = doc.article.text
        verbs = self.words["attend"], self.words["held"]
        for sentence in doc.sentences:
            if not any(v.search(text, sentence.start, sentence.end) for v in verbs):
                continue
            for (first, last), span in self._sentence_dates(doc, sentence, dateline, anchor, month_anchor, filed):
                if first == start and last > first:
                    return (first, last), span
        return None

    def _format(self, doc: Doc, main: Ref) -> None:
        text = doc.article.text
        for hit in self.words["video"].finditer(text):
            if summit_at(doc, hit.start()) != main:
                continue
            doc.add(main, "format", Ref("format", "video"), hit.start(), hit.end(), "summit-format-video")
            return
        if main not in self.lexicon.summit_formats:
            first = next(m for m in doc.mentions if m.ref == main)
            doc.add(main, "format", Ref("format", "in_person"), first.start, first.end, "summit-format-default",
                    basis="inferred")

    def _chair(self, doc: Doc, main: Ref) -> None:
        text = doc.article.text
        chair_re = re.compile(r"(?:轮值)?主席国")
        for hit in chair_re.finditer(text):
            if summit_at(doc, hit.start()) != main:
                continue
            if text[max(0, hit.start() - 3):hit.start()].endswith(_OTHER_TERM):
                continue  # 下任主席国俄罗斯, 担任下一任轮值主席国: the chair of another meeting
            after = next((m for m in doc.mentions if m.start == hit.end() and m.kind == "state"), None)
            before = None
            floor = max(0, hit.start() - 12)
            head = max(text.rfind("作为", floor, hit.start()), text.rfind("担任", floor, hit.start()))
            if head >= 0:
                before = next((m for m in doc.mentions if m.end == head and m.kind == "state"), None)
            state = after or before
            if state is not None and state.ref is not None:
                lo, hi = min(state.start, hit.start()), max(state.end, hit.end())
                doc.add(main, "chairState", state.ref, lo, hi, "summit-chair-state")
                doc.context["chair_state"] = (state.ref, lo, hi)
                return

    def _city(self, doc: Doc, main: Ref) -> None:
        text = doc.article.text
        held = self.words["held"]
        for m in (m for m in doc.mentions if m.kind == "city" and summit_at(doc, m.start) == main):
            state_before = next((x for x in doc.mentions if x.kind == "state" and x.end == m.start), None)
            lead = text[max(0, (state_before or m).start - 1):(state_before or m).start]
            if lead == "在" or text[max(0, m.start - 3):m.start].endswith("首都") or self._region_before(text, m.start):
                # 在(乌兹别克斯坦)撒马尔罕, 在俄首都莫斯科, 在广东深圳
                tail = text[m.end:m.end + 24]
                if held.search(tail.split("。")[0]):
                    doc.add(main, "city", m.ref, m.start, m.end, "summit-city")  # type: ignore[arg-type]
                    self._host(doc, main, m)
                    return

    def _region_before(self, text: str, start: int) -> bool:
        """在广东深圳, 在云南昆明: a province or region (one word jieba tags as a place) between 在
        and the city."""
        if self.segmenter is None:
            return False
        for size in (2, 3, 4):
            if start - size - 1 >= 0 and text[start - size - 1] == "在":
                word = text[start - size:start]
                tokens = self.segmenter.words(word)
                if len(tokens) == 1 and self.segmenter.word_tag(word) == "ns":
                    return True
        return False

    def _host(self, doc: Doc, main: Ref, city: Mention) -> None:
        """The host state: 东道国X as stated, else the state the summit's city lies in (inferred
        with the reference knowledge of where cities are)."""
        text = doc.article.text
        for hit in re.finditer(r"东道国", text):
            state = next((m for m in doc.mentions if m.start == hit.end() and m.kind == "state"), None)
            if state is not None and state.ref is not None:
                doc.add(main, "hostState", state.ref, hit.start(), state.end, "summit-host-stated")
                return
        state_ref = self.lexicon.city_state.get(city.ref)  # type: ignore[arg-type]
        if state_ref is None:  # 在斐济楠迪举行: a city the reference does not know, after its state
            before = next((m for m in doc.mentions if m.kind == "state" and m.end == city.start and m.ref), None)
            state_ref = before.ref if before is not None else None
        if state_ref is not None:
            doc.add(main, "hostState", state_ref, city.start, city.end, "summit-host-from-city", basis="inferred")
