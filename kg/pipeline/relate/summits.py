"""Summits: full names (ORG + council + 第N次会议), back-references, date, format, chair, city."""
from __future__ import annotations

import datetime as dt
import re

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.dates import NUM, DateExpr, cn_number, find_dates, find_relative
from kg.pipeline.relate.common import SUMMIT_ALIASES, mentions_in

#: Words before 主席国 that name the chair of an earlier or later meeting, not of this one.
_OTHER_TERM = ("下任", "下一任", "下届", "下一届", "候任", "前任", "上任", "上一任", "上届", "上一届")


#: Back-references without a determiner, and the words that may stand right before them.
_BARE = ("峰会", "会晤", "会议")
_BEFORE_BARE = ("出席", "参加", "列席", "主持", "举行", "召开", "结束", "出席了", "参加了", "主持了", "举行了",
                "召开了", "在", "于", "次", "届", "本", "此", "该", "这", "上述", "整个", "了")


#: Words before a meeting's name that make it another meeting of the series.
_OTHER_MEETING = ("上", "下", "前", "历", "每", "首", "本届以前", "上一", "下一", "往届", "历届")


class SummitRule:
    """Recognise the summits a report names and the attributes it states for the main one.

    The main summit is the first one named in full; short forms (峰会, 本次会议…) refer to it.
    """

    name = "summit"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        orgs = sorted((n for n, refs in lexicon.names.items()
                       if any(r.kind == "org" and "UnitOnly" not in lexicon.classes.get(r, set()) for r in refs)),
                      key=lambda n: (-len(n), n))
        councils = sorted({c.pattern for c in lexicon.councils if c.pattern}, key=lambda p: (-len(p), p))
        # a summit mechanism (中国-中亚峰会机制, 中国-中亚机制) names its meetings by its stem:
        # 第二届中国-中亚峰会
        self.stems: dict[str, str] = {}
        for name in orgs:
            for suffix in ("峰会机制", "机制"):
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    self.stems.setdefault(name[: -len(suffix)], name)
                    break
        org_alt = "|".join(map(re.escape, orgs))
        edition_alt = "|".join(map(re.escape, sorted(set(orgs) | set(self.stems), key=lambda n: (-len(n), n))))
        council_alt = "|".join(map(re.escape, councils))
        self.full_name = re.compile(
            rf"(?P<org>{org_alt})(?P<council>{council_alt})?第(?P<ord>{NUM})次(?P<unit>会议|会晤|峰会)"
            rf"|(?P<first>首届|首次|第(?P<ord2>{NUM})届)(?P<org2>{edition_alt})(?P<council2>{council_alt})?(?P<unit2>峰会|会议|会晤)"
        )
        self.council_of = {c.pattern: c.council for c in lexicon.councils}
        self.next_meeting = re.compile(
            r"下[一]?[次届](?:会议|峰会|会晤)?将于(?:(?P<year>\d{4})年)?(?:\d{1,2}月)?(?:[^，。；]{0,6}?)在[^，。；]{1,12}?举行")
        self.next_chair = re.compile(r"(?:将)?(?:接任|担任)(?:下一?[任届]|新一?[任届])?(?:的)?轮值主席国")
        self.plain_name = re.compile(rf"(?P<org>{edition_alt})(?P<council>{council_alt})?(?P<unit>峰会|会议|会晤)")
        cities = sorted({n for n, refs in lexicon.names.items() if any(r.kind == "city" for r in refs)},
                        key=lambda n: (-len(n), n))
        self.city_summit = re.compile(
            rf"(?P<org>{org_alt})?(?P<city>{'|'.join(map(re.escape, cities))})峰会") if cities else re.compile("(?!)")
        self.words = lexicon.summit_words
        self.alias_re = re.compile("|".join(map(re.escape, SUMMIT_ALIASES)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        summits: list[tuple[Ref, Mention]] = []
        for found in self.full_name.finditer(text):
            ref, label = self._summit(doc, found)
            mention = Mention("summit", found.start(), found.end(), found.group(), ref, rule=self.name)
            summits.append((ref, mention))
            doc.mentions.append(mention)
        if not summits:
            found = sorted(self._city_summits(doc, None) + self._plain_summits(doc, None),
                           key=lambda f: f[1].start)
            if not found:
                return doc
            summits = found[:1]  # the first meeting the report names
            doc.mentions.append(summits[0][1])
        main, first = summits[0]
        doc.context["summit"] = main
        article = Ref("article", doc.article.id)
        for ref, mention in summits:
            doc.add(article, "about" if ref == main else "mentions", ref, mention.start, mention.end, self.name)
        self._aliases(doc, main, first)
        self._date(doc, main)
        self._format(doc, main)
        self._chair(doc, main)
        self._city(doc, main)
        self._next(doc, main)
        for ref, mention in self._city_summits(doc, main) + self._plain_summits(doc, main):
            if mention.start == first.start or any(m.start == mention.start and m.kind == "summit"
                                                   and m.rule != "summit-alias" for m in doc.mentions):
                continue
            doc.mentions[:] = [m for m in doc.mentions if not (m.rule == "summit-alias"
                                                               and mention.start <= m.start < mention.end)]
            doc.mentions.append(mention)
            if ref != main:
                doc.add(article, "mentions", ref, mention.start, mention.end, "summit-city-name")
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return doc

    def _city_summits(self, doc: Doc, main: Ref | None) -> list[tuple[Ref, Mention]]:
        """Summits named by their city (青岛峰会, 上合组织杜尚别峰会): the report's own summit when
        it met in that city, else the summit of the reference series held there (nearest in time
        to the report). The name becomes an altLabel of that summit."""
        lex = self.lexicon
        text = doc.article.text
        taken = [(m.start, m.end) for m in doc.mentions if m.kind == "summit" and m.rule == self.name]
        main_city = next((f.object for f in doc.facts if f.subject == main and f.predicate == "city"), None)
        if main is not None and main_city is None:
            main_city = lex.summit_city.get(main)
        main_org = next((f.object for f in doc.facts if f.subject == main and f.predicate == "organizer"), None)
        anchor = doc.article.published
        out: list[tuple[Ref, Mention]] = []
        for hit in self.city_summit.finditer(text):
            if any(s <= hit.start() < e for s, e in taken):
                continue
            city = Ref("city", hit.group("city"))
            org = next((r for r in lex.names.get(hit.group("org") or "", []) if r.kind == "org"), None) or main_org
            if main is not None and city == main_city and (org is None or org == main_org):
                ref = main
            else:
                candidates = [s for s, c in lex.summit_city.items() if c == city
                              and (not isinstance(org, Ref) or s.key.startswith(f"{org.key}/"))]
                if len(candidates) > 1 and anchor is not None:
                    dated = [s for s in candidates if lex.summits.get(s)]
                    candidates = [min(dated, key=lambda s: abs((lex.summits[s] - anchor).days))] if dated else []
                if len(candidates) != 1:
                    continue
                ref = candidates[0]
            mention = Mention("summit", hit.start(), hit.end(), hit.group(), ref, rule="summit-city-name")
            if ref in lex.labels and hit.group() != lex.labels[ref]:
                doc.add(ref, "alias", Value(hit.group(), lang="zh-Hans"), hit.start(), hit.end(), "summit-city-name")
            out.append((ref, mention))
        return out

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
            self._next_node(doc, nxt, org, series, state.start, hit.end())

    def _next_node(self, doc: Doc, nxt: Ref, org: object, series: object, start: int, end: int) -> None:
        if nxt in doc.context.setdefault("summits_seen", set()):  # type: ignore[operator]
            return
        doc.context["summits_seen"].add(nxt)  # type: ignore[union-attr]
        rule = "summit-next-meeting"
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

    def _plain_summits(self, doc: Doc, main: Ref | None) -> list[tuple[Ref, Mention]]:
        """Summits named without an ordinal (上合组织峰会, 亚信峰会, 金砖国家领导人会晤): the report's
        own summit when it is of the same organization and council, else the one the reference
        series held in the report's year, else a summit keyed by organization, council and year."""
        lex = self.lexicon
        text = doc.article.text
        taken = [(m.start, m.end) for m in doc.mentions if m.kind == "summit" and m.rule != "summit-alias"]
        titles = [t.span() for t in re.finditer(r"《[^》]*》", text)]
        anchor = self._anchor(doc, main) if main is None else None
        main_org = next((f.object for f in doc.facts if f.subject == main and f.predicate == "organizer"), None)
        main_series = next((f.object for f in doc.facts if f.subject == main and f.predicate == "inSeries"), None)
        out: list[tuple[Ref, Mention]] = []
        for hit in self.plain_name.finditer(text):
            if any(s <= hit.start() < e for s, e in taken + titles):
                continue
            if text[max(0, hit.start() - 2):hit.start()].endswith(_OTHER_MEETING):
                continue  # 上一次/下届/历届 … : another meeting of the series
            if hit.group("council") is None and hit.group("unit") != "峰会":
                continue  # 上合组织会议 names no particular meeting
            org_name = self.stems.get(hit.group("org"), hit.group("org"))
            org = next(r for r in lex.names[org_name] if r.kind == "org")
            council = self.council_of.get(hit.group("council") or "", "heads-of-state")
            if org.key == "brics" and not hit.group("council"):
                council = "leaders"
            series_key = f"{org.key}/{council}"
            if main is not None:
                if org != main_org or (isinstance(main_series, Ref) and main_series.key != series_key):
                    continue
                ref = main
            else:
                if anchor is None:
                    continue
                held = [r for r, d in lex.summits.items() if r.key.startswith(series_key + "/") and d
                        and abs((d - anchor).days) <= 200]
                ref = (min(held, key=lambda r: abs((lex.summits[r] - anchor).days)) if held
                       else Ref("summit", f"{series_key}/{anchor.year}"))
                if ref not in lex.summits and ref not in doc.context.setdefault("summits_seen", set()):
                    doc.context["summits_seen"].add(ref)  # type: ignore[union-attr]
                    doc.entity(ref, hit.group(), "Summit")
                    doc.add(ref, "type", Ref("class", "Summit"), *hit.span(), "summit-plain-name")
                    doc.add(ref, "label", Value(hit.group(), lang="zh-Hans"), *hit.span(), "summit-plain-name")
                    doc.add(ref, "organizer", org, *hit.span(), "summit-plain-name")
            mention = Mention("summit", hit.start(), hit.end(), hit.group(), ref, rule="summit-plain-name")
            if ref in lex.labels and hit.group() != lex.labels[ref]:
                doc.add(ref, "alias", Value(hit.group(), lang="zh-Hans"), *hit.span(), "summit-plain-name")
            out.append((ref, mention))
        return out

    # -- names ---------------------------------------------------------------------------
    def _summit(self, doc: Doc, found: re.Match[str]) -> tuple[Ref, str]:
        lex = self.lexicon
        org_name = found.group("org") or found.group("org2")
        org_name = self.stems.get(org_name, org_name)
        org = next(r for r in lex.names[org_name] if r.kind == "org")
        council_text = found.group("council") or found.group("council2") or ""
        council = self.council_of.get(council_text, "heads-of-state")
        if found.group("ord"):
            ordinal = cn_number(found.group("ord"))
        elif found.group("ord2"):
            ordinal = cn_number(found.group("ord2"))
        else:
            ordinal = 1
        label = found.group()
        key = f"{org.key}/{council}/{ordinal}" if ordinal else f"{org.key}/{iris.slug(label)}"
        ref = Ref("summit", key)
        known = ref in lex.summits
        doc.entity(ref, lex.labels.get(ref, label), "Summit", known=known)
        span = found.span()
        if ref not in doc.context.setdefault("summits_seen", set()):  # type: ignore[union-attr]
            doc.context["summits_seen"].add(ref)  # type: ignore[union-attr]
            doc.add(ref, "type", Ref("class", "Summit"), *span, self.name)
            if not known:
                doc.add(ref, "label", Value(label, lang="zh-Hans"), *span, self.name)
            elif label != lex.labels.get(ref):
                doc.add(ref, "alias", Value(label, lang="zh-Hans"), *span, self.name)
            doc.add(ref, "organizer", org, *span, self.name)
            if ordinal:
                doc.add(ref, "ordinal", Value(str(ordinal), "positiveInteger"), *span, self.name)
            series = Ref("series", f"{org.key}/{council}")
            if series not in lex.series:
                doc.entity(series, f"{lex.labels.get(org, org_name)}{council_text}会议", "SummitSeries")
                doc.add(series, "type", Ref("class", "SummitSeries"), *span, self.name)
                doc.add(series, "label", Value(f"{lex.labels.get(org, org_name)}{council_text}会议", lang="zh-Hans"),
                        *span, self.name)
                doc.add(series, "council", Value(council), *span, self.name)
            doc.add(ref, "inSeries", series, *span, self.name)
        return ref, label

    def _aliases(self, doc: Doc, main: Ref, first: Mention) -> None:
        text = doc.article.text
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
            doc.mentions.append(Mention("summit", hit.start(), hit.end(), hit.group(), main, rule="summit-alias"))

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
            found = self._sentence_dates(doc, sentence, dateline, anchor, month_anchor, filed)
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
        for m in (m for m in doc.mentions if m.kind == "city"):
            state_before = next((x for x in doc.mentions if x.kind == "state" and x.end == m.start), None)
            lead = text[max(0, (state_before or m).start - 1):(state_before or m).start]
            if lead == "在" or text[max(0, m.start - 3):m.start].endswith("首都"):  # 在(乌兹别克斯坦)撒马尔罕
                tail = text[m.end:m.end + 24]
                if held.search(tail.split("。")[0]):
                    doc.add(main, "city", m.ref, m.start, m.end, "summit-city")  # type: ignore[arg-type]
                    self._host(doc, main, m)
                    return

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
        if state_ref is not None:
            doc.add(main, "hostState", state_ref, city.start, city.end, "summit-host-from-city", basis="inferred")
