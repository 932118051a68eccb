"""The dateline: 本报北京11月11日电（记者刘慧、薛丹） — agency, place, date and reporters.

The agency is a known organization or an outlet read by its SHAPE (a name ending with one of the
``outlet`` words of ``data/lexicon/name_shapes.tsv``: 某某网, 某某社, 某某台…) followed by the rest of
a dateline: ``[place] date 电|讯|消息`` or ``讯`` alone (某某网讯（记者…）). The dateline is looked for
at the start of the first lines (a photo caption may come first); its reporters may be written
over two lines (a wrapped dateline). Outlets cited as sources (据某某网报道) are organizations too.
"""
from __future__ import annotations

import re

from kg import iris
from kg.lexicon import Lexicon
from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.dates import find_dates
from kg.pipeline.recognise import HAN

_DATE = r"\d{1,2}\s*月\s*\d{1,2}\s*日"
#: What follows the agency: place, date and 电/讯/消息 (or the reporters' bracket), or 讯 alone.
_REST = re.compile(
    rf"\s*(?:(?:(?P<place>[{HAN}]{{2,8}}?)\s*)?(?P<date>{_DATE})\s*(?:电|讯|消息|(?=（))|(?P<xun>讯|电)(?=\s*（|\s|：))"
    r"(?:\s*（\s*(?P<role>特约记者|见习记者|实习记者|摄影记者|记者|通讯员)\s*(?P<reporters>[^）]{1,60})）)?"
)
#: The names in a reporters' bracket: separated by 、，, spaces or a line break.
_REPORTER = re.compile(rf"[{HAN}·]+")
#: How far from the start of the text a dateline may be (after a title line or a photo caption).
DATELINE_WINDOW = 600
MAX_OUTLET = 10


class DatelineRule:
    """Read the dateline of the report.

    The agency is the organization named first (本报 means the outlet in the sidecar's
    ``source``). Writes ``doc.context['agency']`` (a Ref or None), ``doc.context['dateline_date']``
    and reporter mentions with the post 记者.
    """

    name = "dateline"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        suffixes = sorted((lexicon.shapes.get("outlet", {}) if lexicon else {}), key=len, reverse=True)
        self._outlet_end = tuple(suffixes)
        alternation = "|".join(map(re.escape, suffixes))
        self._cited = re.compile(
            rf"据(?P<outlet>[{HAN}]{{1,{MAX_OUTLET}}}?(?:{alternation}))(?:报道|报导|消息|援引)"
            # a photo credit: （某某日报记者王五摄）
            rf"|(?:^|(?<=[（\s]))(?P<credit>[{HAN}]{{1,{MAX_OUTLET}}}?(?:{alternation}))(?=(?:特约|摄影|见习)?记者)",
            re.M) if suffixes else None

    def __call__(self, doc: Doc) -> Doc:
        if not doc.sentences:
            return doc
        self._cited_outlets(doc)
        for line_start in self._line_starts(doc):
            if self._read(doc, line_start):
                break
        return doc

    @staticmethod
    def _line_starts(doc: Doc) -> list[int]:
        """Where a dateline may begin: the start of each line in the window, skipping spaces and 据."""
        text = doc.article.text
        starts = [0] + [m.end() for m in re.finditer("\n", text[:DATELINE_WINDOW])]
        out = []
        for start in starts:
            while start < len(text) and text[start] in " \t\u3000■△▲●":
                start += 1
            if text.startswith("据", start):
                start += 1
            out.append(start)
        return out

    def _read(self, doc: Doc, base: int) -> bool:
        text = doc.article.text
        agency: Ref | None = None
        mention: Mention | None = None
        if text.startswith("本报", base):
            source = doc.context.get("source_org")
            agency = source if isinstance(source, Ref) else None
            if agency is not None:
                mention = Mention("org", base, base + 2, "本报", agency, rule="dateline-benbao")
            agency_end = base + 2
            found = _REST.match(text, agency_end)
        else:
            lead = next((m for m in doc.mentions if m.start == base and m.kind == "org"), None)
            found = _REST.match(text, lead.end) if lead is not None else None
            if lead is not None and found:
                agency = lead.ref
            else:
                mention, found = self._outlet(doc, base)
                if mention is None:
                    return False
                agency = mention.ref
        if not found:
            return False
        if mention is not None:
            doc.mentions.append(mention)
            doc.mentions.sort(key=lambda m: (m.start, -m.end))
        doc.context["agency"] = agency
        doc.context["dateline_start"] = base
        doc.context["dateline_end"] = found.end()
        article = Ref("article", doc.article.id)
        if found.group("place"):
            doc.add(article, "datelinePlace", Value(found.group("place"), lang="zh-Hans"),
                    found.start("place"), found.end("place"), "dateline")
            doc.context["dateline_place"] = found.group("place")
        if found.group("date"):
            dates = find_dates(re.sub(r"\s", "", found.group("date")), found.start("date"))
            if dates:
                doc.context["dateline_expr"] = dates[0]
        if found.group("reporters"):
            role = found.group("role")
            start = found.start("reporters")
            for part in _REPORTER.finditer(found.group("reporters")):
                doc.context.setdefault("reporters", []).append(
                    (part.group(), start + part.start(), start + part.end(), role))
        return True

    def _outlet(self, doc: Doc, base: int) -> tuple[Mention | None, re.Match[str] | None]:
        """An outlet no list holds, read by its shape: the shortest name ending with an outlet word
        that the rest of a dateline follows (美都新闻网 9月1日, 某某网讯（记者…）)."""
        text = doc.article.text
        if not self._outlet_end:
            return None, None
        for end in range(base + 2, min(base + MAX_OUTLET, len(text)) + 1):
            if not re.fullmatch(f"[{HAN}]+", text[base:end]) or not text[base:end].endswith(self._outlet_end):
                continue
            if any(base <= m.start and m.end <= end and m.kind != "org" for m in doc.mentions):
                return None, None  # a state, city or title inside: not an outlet's name
            found = _REST.match(text, end)
            if found:
                # a word read across the outlet's last character (北方电视台北京: 台北) is none
                doc.mentions[:] = [m for m in doc.mentions if not (m.start < end < m.end)]
                word = text[base:end]
                ref = Ref("org", iris.slug(word))
                return Mention("org", base, end, word, ref, rule="org-outlet"), found
        return None, None

    def _cited_outlets(self, doc: Doc) -> None:
        """据某某网报道: an outlet cited as the source of a report; （某某日报记者王五摄）: a photographer's."""
        if self._cited is None:
            return
        text = doc.article.text
        for hit in self._cited.finditer(text):
            group = "outlet" if hit.group("outlet") else "credit"
            start, end = hit.span(group)
            if any(m.start < end and start < m.end for m in doc.mentions):
                continue
            word = hit.group(group)
            doc.mentions.append(Mention("org", start, end, word, Ref("org", iris.slug(word)), rule="org-outlet"))
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
