"""Fold the variants of punctuation that reports write for the same thing, character for character.

Reports write one dash as ``—``, ``－``, ``‐`` or ``-`` (中国—中亚峰会, 中国－中亚峰会), keep ASCII
commas and brackets as published (``5月19日上午,国家主席…``), quote with ``「」`` in traditional
script or with ASCII ``"``, and write digits full width (２０２３). The rules match one form of each:

* every dash-like character becomes ASCII ``-``;
* ASCII ``, ; : ! ? ( )`` become ``，；：！？（）`` (a comma or colon between two digits stays:
  1,000 and 10:30 are numbers);
* other full-width ASCII (digits, letters, ``％``…) becomes ASCII;
* ``「」`` become ``“”``, ``『』`` become ``‘’``, ASCII ``"`` alternates ``“``/``”`` within a line;
* middle dots of foreign names (``•``, ``・``, ``‧``, ``･``) become ``·``; a no-break space becomes a space.

Folding never changes the length of the text, so an offset into the folded text is an offset into
the text as written: names are read in the folded text and shown as written (see
:func:`surface`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.model import Value

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import Doc

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\ufe63\ufe58\u2e3a\u2e3b"
_TABLE: dict[int, str] = {ord(ch): "-" for ch in _DASHES}
_KEEP_WIDE = "！（），：；？"
_TABLE.update({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_WIDE})
_TABLE.update({ord(a): b for a, b in zip(",;:!?()", "，；：！？（）", strict=True)})
_TABLE.update({ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", ord("\xa0"): " "})
_TABLE.update({ord(ch): "·" for ch in "•・‧･∙"})

_NUMBER_SEP = re.compile(r"(?<=[0-9])[,:](?=[0-9])")
_ASCII_QUOTE = re.compile(r'"')


def fold(text: str) -> str:
    """``text`` with its punctuation folded; the result has the same length."""
    out = text.translate(_TABLE)
    if "," in text or ":" in text:
        keep = [m.start() for m in _NUMBER_SEP.finditer(text)]
        if keep:
            chars = list(out)
            for i in keep:
                chars[i] = text[i]
            out = "".join(chars)
    if '"' in out:
        out = _alternate_quotes(out)
    return out


def _alternate_quotes(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        count = 0

        def swap(_m: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return "“" if count % 2 else "”"

        lines.append(_ASCII_QUOTE.sub(swap, line))
    return "\n".join(lines)


def surface(folded: str, written: str, value: str, start: int, end: int) -> str | None:
    """``value`` as written, if it is a span of ``folded`` inside ``[start, end)`` (else anywhere);
    ``None`` when it is not a span of the text (a name a rule composed)."""
    at = folded.find(value, start, end)
    if at < 0:
        at = folded.find(value)
    if at < 0:
        return None
    return written[at:at + len(value)]


#: Predicates whose values are names read in the text (shown as written).
NAME_PREDICATES = frozenset({"label", "alias", "title", "roleName"})


def restore_names(doc: "Doc") -> "Doc":
    """The last stage: names the rules read in the folded text are given as the article writes
    them (中国—中亚峰会, not 中国-中亚峰会). A name that is no span of the text stays as it is."""
    from dataclasses import replace

    article = doc.article
    if article.unfolded is None:
        return doc
    folded, written = article.text, article.unfolded
    out = []
    for fact in doc.facts:
        value, ev = fact.object, fact.evidence
        if (fact.predicate in NAME_PREDICATES and ev is not None and isinstance(value, Value)
                and value.datatype is None and value.lang in (None, "zh-Hans") and value.value):
            shown = surface(folded, written, value.value, ev.start, ev.end)
            if shown is not None and shown != value.value:
                fact = replace(fact, object=replace(value, value=shown))
        out.append(fact)
    doc.facts = out
    return doc
