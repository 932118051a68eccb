"""The dateline: 本报北京11月11日电（记者刘慧、薛丹） — agency, place, date and reporters."""
from __future__ import annotations

import re

from kg.model import Doc, Mention, Ref, Value
from kg.pipeline.dates import find_dates

_REST = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{2,8}?)(?P<date>\d{1,2}月\d{1,2}日)(?:电|消息)"
    r"(?:\s*[（(](?P<role>记者|特约记者|通讯员)\s*(?P<reporters>[^）)]+)[）)])?"
)


class DatelineRule:
    """Read the dateline of the first sentence.

    The agency is the organization named first (本报 means the outlet in the sidecar's
    ``source``). Writes ``doc.context['agency']`` (a Ref or None), ``doc.context['dateline_date']``
    and reporter mentions with the post 记者.
    """

    name = "dateline"

    def __call__(self, doc: Doc) -> Doc:
        if not doc.sentences:
            return doc
        first = doc.sentences[0]
        base = first.start + (1 if first.text.startswith("据") else 0)
        agency: Ref | None = None
        if doc.article.text.startswith("本报", base):
            source = doc.context.get("source_org")
            agency = source if isinstance(source, Ref) else None
            if agency is not None:
                doc.mentions.append(Mention("org", base, base + 2, "本报", agency, rule="dateline-benbao"))
            agency_end = base + 2
        else:
            lead = next((m for m in doc.mentions if m.start == base and m.kind == "org"), None)
            if lead is None:
                return doc
            agency, agency_end = lead.ref, lead.end
        found = _REST.match(doc.article.text, agency_end, first.end)
        if not found:
            return doc
        base = 0
        doc.context["agency"] = agency
        doc.context["dateline_end"] = found.end()
        article = Ref("article", doc.article.id)
        doc.add(article, "datelinePlace", Value(found.group("place"), lang="zh-Hans"),
                base + found.start("place"), base + found.end("place"), "dateline")
        doc.context["dateline_place"] = found.group("place")
        dates = find_dates(found.group("date"), base + found.start("date"))
        if dates:
            doc.context["dateline_expr"] = dates[0]
        if found.group("reporters"):
            role = found.group("role")
            start = base + found.start("reporters")
            names = found.group("reporters")
            for part in re.finditer(r"[^、，,\s]+", names):
                doc.context.setdefault("reporters", []).append(
                    (part.group(), start + part.start(), start + part.end(), role))
        return doc
