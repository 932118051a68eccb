"""Documents: 《…宣言》, unmarked names (峰会宣言, 未来5年行动计划), enumerations
(发表关于A、关于B等2份声明), the action done to them, and which names are the same document."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Ref, Value
from kg.pipeline.dates import NUM
from kg.pipeline.relate.common import PUNCT, SUMMIT_ALIASES, summit_at

#: Verbs of saying after a document's type word: they end its name (撒马尔罕宣言指出…).
_SAYS = ("指出", "强调", "表示", "重申", "呼吁", "认为", "宣布", "写道", "全文", "称", "说")


#: A period or edition written after a document's type word: （2023－2027年）, 2025, 2021-2025年.
_EDITION = re.compile(r"(?:[（(][^（()）]*[）)]|\s*[0-9０-９]{4}(?:\s*[—–－~-]\s*[0-9０-９]{4})?年?)$")

#: The most characters before a document's name searched for the verb that governs it: a clause
#: is far shorter in news text, and the bound keeps a text of unclosed 《 brackets linear.
MAX_CLAUSE = 500


@dataclass
class DocMention:
    name: str
    start: int
    end: int
    type: str
    suffix: str
    rule: str
    action: str | None = None
    action_span: tuple[int, int] | None = None
    bare: bool = False  # only the type word (宣言): refers back to a named document


@dataclass
class DocCluster:
    label: str
    type: str
    mentions: list[DocMention] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        return sorted({m.name for m in self.mentions if not m.bare and m.name != self.label})


class DocumentRule:
    name = "document"

    def __init__(self, lexicon: Lexicon, words: dict[str, list[str]]) -> None:
        self.lexicon = lexicon
        self.generic = tuple(words["generic"])
        self.stops = sorted(words["stop"], key=len, reverse=True)
        self.suffixes = sorted(lexicon.doc_types, key=len, reverse=True)
        suffix_alt = "|".join(map(re.escape, self.suffixes))
        self.suffix_re = re.compile(suffix_alt)
        self._suffix_tuple = tuple(self.suffixes)
        self._crossed: set[int] = set()
        self.verbs = sorted(lexicon.doc_verbs, key=len, reverse=True)
        self.titled_only = frozenset(words.get("titled_only", ()))
        self.verbal = frozenset(words.get("verbal", ()))
        self.list_links = tuple(words.get("list_link", ()))
        self.after_name = tuple(words.get("after_name", ()))
        self.owners = tuple(sorted(words.get("owner", ()), key=len, reverse=True))
        #: what may stand between the verb acting on a quoted name and its opening quote (通过了“…”)
        self.quote_lead = re.compile(r"(?:{})(?:{})?$".format(
            "|".join(map(re.escape, self.verbs)) or "(?!)",
            "|".join(map(re.escape, words.get("quote_link", ()))) or "(?!)"))
        lead = "|".join(map(re.escape, sorted(set(self.stops) | set(self.verbs), key=len, reverse=True)))
        #: what may stand between a clause start and a descriptive name's owner (以及, 通过了)
        self.lead_in = re.compile(rf"(?:{lead}|了)*")
        self.lead_words = tuple(set(self.stops) | set(self.verbs) | {"了"})
        self.year_start = re.compile(r"^[0-9]{4}年")
        clause_lead = "|".join(map(re.escape, sorted(words.get("clause_lead", ()), key=len, reverse=True)))
        self.clause_lead = re.compile(rf"(?:{clause_lead})+") if clause_lead else None
        self.enumeration = re.compile(
            rf"(?P<items>关于[^。；、]+?(?:、关于[^。；、]+?)+)等?(?:{NUM}[份个项])?(?P<suffix>{suffix_alt})")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        #: offsets inside a recognised name (a stop word there does not end a document name)
        self._crossed = {k for m in doc.mentions for k in range(m.start + 1, m.end)}
        found: list[DocMention] = []
        titled = [(m.start(), m.end()) for m in re.finditer(r"《[^》]+》", text)]
        for start, end in titled:
            inner = text[start + 1:end - 1]
            if text[max(0, start - 2):start] == "题为":
                continue  # a speech title
            # a period or edition may close the title: 《…实施纲要（2023－2027年）》, 《…战略2025》
            typed = self.lexicon.doc_type(_EDITION.sub("", inner))
            if typed:
                found.append(DocMention(inner, start + 1, end - 1, typed[1], typed[0], "document-title"))
        enum_spans = []
        for hit in self.enumeration.finditer(text):
            suffix = hit.group("suffix")
            typed = self.lexicon.doc_type(suffix)
            if not typed:
                continue
            items = list(re.finditer(r"关于[^、]+", hit.group("items")))
            if any(self.lexicon.doc_type(item.group()) for item in items):
                continue  # full names listed (关于A的声明、关于B的声明): each is read by the name rule
            enum_spans.append(hit.span())
            base = hit.start("items")
            for item in items:
                topic = item.group().removesuffix("的")  # 关于A、关于B的声明
                name = f"{topic}的{suffix}"
                found.append(DocMention(name, base + item.start(), base + item.start() + len(topic), typed[1], suffix,
                                        "document-enumeration"))
        for hit in self.suffix_re.finditer(text):
            if any(s <= hit.start() < e for s, e in titled) or any(s <= hit.start() < e for s, e in enum_spans):
                continue
            word = hit.group()
            if word in self.titled_only:
                continue  # 在…框架下: such a word names a document only inside 《》
            after = text[hit.end():hit.end() + 1]
            follows = text.startswith(self.after_name, hit.end()) and word not in self.verbal
            if after and "\u4e00" <= after <= "\u9fff" and after not in "中和与及等时后" and not text.startswith(
                    _SAYS + ("以及",), hit.end()) and not follows:
                continue  # part of a longer word (声明书, 计划经济…), unless the document says something
                # or a verb or noun follows a noun-only type word (宪章签署20周年, 条约生效)
            start = self._left(text, hit.start())
            start = self._descriptive(doc, start, hit.start())
            start = self._cut_lead(doc, start, hit.start())
            quote = self._quoted(text, start, hit.start(), hit.end())
            if quote is not None:
                if not self._acted_on_quoted(text, quote):
                    continue  # 提出“X伙伴计划”: a quoted name put forward is an initiative, not a document
                start = quote + 1
            name = text[start:hit.end()]
            typed = self.lexicon.doc_type(name)
            if typed is None or name.startswith(self.generic) or (re.match(NUM, name)
                                                                   and not self.year_start.match(name)):
                continue
            mention = DocMention(name, start, hit.end(), typed[1], typed[0], "document-name", bare=(name == typed[0]))
            if not self._is_named(text, mention):
                continue
            found.append(mention)
        for m in found:
            self._action(text, m)
        clusters = self._merge_summit_named(self._cluster([m for m in found if not m.bare]))
        self._attach_bare(clusters, [m for m in found if m.bare])
        self._write(doc, clusters)
        return doc

    def _left(self, text: str, end: int) -> int:
        """Read a document name leftwards from its type word until punctuation or a stop word.

        ``的`` ends the name unless a ``关于`` earlier in the clause opens it (关于…的声明).
        """
        i = end
        while i > 0:
            ch = text[i - 1]
            if ch in PUNCT and ch not in "“”" and (ch != "、" or not self._inside_about(text, i - 1, end)):
                break
            if text.startswith("关于", i - 2):
                i -= 2  # 关于 opens the name (通过关于…的决议); its 于 is no stop word here
                break
            stop = next((w for w in self.stops if text.startswith(w, i - len(w))), None)
            if stop is not None and i in self._crossed:
                stop = None  # the stop word opens a name that goes on (中 of 中国-北欧…)
            if stop is not None and not self._inside_about(text, i - len(stop), end):
                break
            if ch == "的" and not self._inside_about(text, i - 1, end):
                break
            i -= 1
        while i < end and text[i] == "”":
            i += 1
        return i

    @staticmethod
    def _quoted(text: str, start: int, word: int, end: int) -> int | None:
        """The offset of the opening quote when the name read is a quoted phrase (…“X计划”), else None."""
        if not text.startswith("”", end):
            return None
        q = text.rfind("“", start, word)
        return q if q >= 0 and "”" not in text[q:word] else None

    def _acted_on_quoted(self, text: str, quote: int) -> bool:
        """A quoted name is a document only when a document verb other than a mere mention acts on
        it directly (发表“X宣言”, 通过了“X计划”); after 提出, 倡议, 发起 or any other word it names
        an initiative or a phrase."""
        j = quote
        while j > 0 and text[j - 1] not in PUNCT:
            j -= 1
        hit = self.quote_lead.search(text, j, quote)
        if hit is None:
            return False
        verb = max((v for v in self.verbs if hit.group().startswith(v)), key=len)
        return self.lexicon.doc_verbs[verb] != "other"

    def _is_named(self, text: str, m: DocMention) -> bool:
        """False for a verb read as a document: a type word that is also a verb (会议决定，…) names a
        document only when a document verb governs it (发表联合声明, 通过了会议决定), a 关于 opens
        it, or it says something (粮食安全声明强调…)."""
        if m.suffix not in self.verbal or "关于" in m.name or text.startswith(_SAYS, m.end):
            return True
        self._action(text, m)
        return m.action is not None and m.action != "other"

    def _descriptive(self, doc: Doc, start: int, end: int) -> int:
        """A descriptive name with 的 (上合组织在多个领域开展工作的决议): when the name read so far
        stops at a 的, it goes on leftwards to a named state or organisation (or an owner word such
        as 成员国) that opens the clause part; no document verb may stand before the 的 (峰会发表的宣言)."""
        text = doc.article.text
        if start == 0 or text[start - 1] != "的":
            return start
        j = start - 1
        floor = j
        while floor > 0 and text[floor - 1] not in PUNCT and j - floor < 30:
            floor -= 1
        phrase = text[floor:j]
        if not phrase or phrase.endswith(tuple(self.verbs)) or "关于" in phrase:
            return start
        owners = [m.start for m in doc.mentions if floor <= m.start and m.end <= j and m.kind in ("org", "state")]
        for k in range(floor, j):
            if text.startswith(self.owners, k):
                owners.append(k)
        for k in sorted(owners):
            lead = text[floor:k]
            if not lead or lead.endswith(self.lead_words):
                return k
        return start

    def _cut_lead(self, doc: Doc, start: int, end: int) -> int:
        """An untitled name read up to a comma may open with words of the clause (今年适逢上海合作组织
        宪章): it starts at the first named organisation or state when words of a verb or a time stand
        before it."""
        text = doc.article.text
        first = min((m.start for m in doc.mentions if start < m.start and m.end <= end and m.kind in ("org", "state")),
                    default=None)
        if first is not None:
            lead = text[start:first]
            if self.lead_in.fullmatch(lead) or (self.clause_lead and self.clause_lead.match(lead)):
                return first
        if self.clause_lead is not None:
            hit = self.clause_lead.match(text, start, end)
            if hit and hit.end() < end:
                return hit.end()
        return start

    def _inside_about(self, text: str, pos: int, end: int) -> bool:
        """True when a 关于 opens the phrase between the clause start and ``pos`` and no type
        word closes it there (关于给予埃及、卡塔尔对话伙伴地位的决议; not 关于A的声明、B宣言)."""
        j = pos
        while j > 0 and (text[j - 1] not in PUNCT or text[j - 1] == "、"):
            j -= 1
        k = text.rfind("关于", j, pos)
        return k >= 0 and self.suffix_re.search(text, k, pos) is None

    def _action(self, text: str, m: DocMention) -> None:
        """The first document verb in the clause before the name (签署并发表 → signed)."""
        j = m.start
        floor = max(0, m.start - MAX_CLAUSE)
        while j > floor and text[j - 1] not in "。；;！？":
            j -= 1
        # the comma clause of the name, unless it holds only names before it (，以及《B》)
        # or it opens with a word that lists what an earlier verb governs (通过了14份文件，其中包括《A》)
        k = text.rfind("，", j, m.start)
        if k >= 0 and re.sub(r"《[^《》]*》|以及|[、和及与并]|\s", "", text[k + 1:m.start].removesuffix("《")) and (
                not text.startswith(self.list_links, k + 1)):
            j = k + 1
        clause = text[j:m.start]
        # the verb governing this name is the last verb group before it: scan to its first verb
        best = None
        for verb in self.verbs:
            for hit in re.finditer(re.escape(verb), clause):
                if clause[:hit.start()].endswith(self._suffix_tuple):
                    continue  # 宪章签署20周年: the verb of an earlier document's anniversary
                # the verb that ends last, and the longest of those (审议通过 over 通过)
                if best is None or hit.end() > best[0] + len(best[1]) or (
                        hit.end() == best[0] + len(best[1]) and len(verb) > len(best[1])):
                    best = (hit.start(), verb)
        if best is None:
            return
        # walk back over a chain of verbs joined by 并/和/、 (签署并发表) to take the first one
        pos, verb = best
        while True:
            prev = None
            for v in self.verbs:
                for link in ("并", "和", "、", "并且", ""):
                    k = pos - len(link) - len(v)
                    if k >= 0 and clause[k:pos] == v + link:
                        prev = (k, v)
                        break
                if prev:
                    break
            if prev is None:
                break
            pos, verb = prev
        m.action = self.lexicon.doc_verbs[verb]
        m.action_span = (j + pos, j + pos + len(verb))

    @staticmethod
    def _core(m: DocMention) -> str:
        core = _EDITION.sub("", m.name)
        core = core[: len(core) - len(m.suffix)] if core.endswith(m.suffix) else core
        core = re.sub(r"^关于", "", core)
        core = re.sub(r"的$", "", core)
        return re.sub(r"[“”\"]", "", core)

    def _cluster(self, mentions: list[DocMention]) -> list[DocCluster]:
        """Group names of one document: equal names, or a short core that is a character
        subsequence of a longer one of the same type (应对疫情 ⊂ 共同应对新冠肺炎疫情, 二战 ⊂ 第二次世界大战)."""
        clusters: list[DocCluster] = []
        for m in sorted(mentions, key=lambda m: (-len(self._core(m)), m.start)):
            core = self._core(m)
            home = None
            for c in clusters:
                if c.type != m.type:
                    continue
                if any(x.name == m.name for x in c.mentions):
                    home = c
                    break
                longest = max((self._core(x) for x in c.mentions), key=len)
                same_word = any(x.suffix.endswith(m.suffix) or m.suffix.endswith(x.suffix) for x in c.mentions)
                if len(core) >= 4 and same_word and _subsequence(core, longest):
                    home = c
                    break
            if home is None:
                home = DocCluster(m.name, m.type)
                clusters.append(home)
            home.mentions.append(m)
        clusters.sort(key=lambda c: min(x.start for x in c.mentions))
        return clusters

    @staticmethod
    def _merge_summit_named(clusters: list[DocCluster]) -> list[DocCluster]:
        """峰会宣言 / 会议公报 name a document by the meeting: when the report also gives the
        document's own name (…约翰内斯堡宣言), they are one document under that name."""
        pattern = re.compile(rf"^(?:本次|此次|这次)?(?:{'|'.join(map(re.escape, SUMMIT_ALIASES))})")
        out = list(clusters)
        for c in clusters:
            named = [m for m in c.mentions if not pattern.match(m.name)]
            if named:
                continue
            others = [o for o in out if o is not c and o.type == c.type]
            if len(others) == 1:
                others[0].mentions.extend(c.mentions)
                out.remove(c)
        return out

    @staticmethod
    def _attach_bare(clusters: list[DocCluster], bare: list[DocMention]) -> None:
        for m in bare:
            same_type = [c for c in clusters if c.type == m.type]
            if len(same_type) == 1:
                same_type[0].mentions.append(m)

    def _write(self, doc: Doc, clusters: list[DocCluster]) -> None:
        labels: dict[Ref, str] = {}  # documents written, with their label
        for c in clusters:
            first = min([m for m in c.mentions if not m.bare] or c.mentions, key=lambda x: x.start)
            # the meeting the document belongs to: the one named in the clause that acts on it (or names it)
            anchor = next((m for m in sorted(c.mentions, key=lambda x: x.start) if m.action and m.action != "other"),
                          first)
            summit = summit_at(doc, anchor.start)
            scope = summit.key if summit is not None else f"article/{iris.slug(doc.article.id)}"
            ref = Ref("document", f"{scope}/{iris.slug(c.label)}")
            if ref in labels:  # names that differ only in punctuation (《？上海宣言》, 上海宣言): one document,
                for m in c.mentions:  # which has its label, action and venue from the first
                    if not m.bare and m.name != labels[ref]:
                        doc.add(ref, "alias", Value(m.name, lang="zh-Hans"), m.start, m.end, "document-same-as")
                    doc.add(Ref("article", doc.article.id), "mentions", ref, m.start, m.end, m.rule)
                continue
            labels[ref] = c.label
            doc.entity(ref, c.label, "Document")
            span = (first.start, first.end)
            doc.add(ref, "type", Ref("class", "Document"), *span, first.rule)
            cls = {"declaration": "Declaration", "statement": "Statement", "communique": "Communique",
                   "plan": "Plan", "agreement": "Agreement", "resolution": "Resolution",
                   "strategy": "Strategy"}.get(c.type)
            if cls:
                doc.add(ref, "type", Ref("class", cls), *span, first.rule)
            doc.add(ref, "documentType", Ref("doctype", c.type), *span, first.rule)
            doc.add(ref, "label", Value(c.label, lang="zh-Hans"), *span, first.rule)
            for m in c.mentions:
                if not m.bare and m.name != c.label:
                    doc.add(ref, "alias", Value(m.name, lang="zh-Hans"), m.start, m.end, "document-same-as")
                doc.add(Ref("article", doc.article.id), "mentions", ref, m.start, m.end, m.rule)
            acted = [m for m in sorted(c.mentions, key=lambda x: x.start) if m.action and m.action != "other"]
            if acted:
                m = acted[0]
                lo = min(m.action_span[0], m.start) if m.action_span else m.start
                doc.add(ref, "action", Ref("action", m.action), lo, m.end, "document-action")  # type: ignore[arg-type]
                if summit is not None:
                    doc.add(ref, "adoptedAt", summit, lo, m.end, "document-action")
            else:
                doc.add(ref, "action", Ref("action", "other"), *span, "document-mentioned")
                if summit is not None:
                    doc.add(ref, "mentionedAt", summit, *span, "document-mentioned")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
