"""Normalise article text: one newline convention and Unicode NFC, simplified script, folded
punctuation (:mod:`kg.pipeline.fold`); offsets count in the result and in the text as written.

A report in traditional script (繁體, e.g. from a Hong Kong or Taiwan outlet) is converted to
simplified script, which is what the gazetteer, the lexicon and every rule are written in. The
conversion keeps the length: ``Article.text`` (simplified) and ``Article.original_text`` (as
written) have the same length, so one offset is valid in both.

Detection: the share of Han characters that the conversion changes. The development articles
(People's Daily, Xinhua) score 0.000; their OpenCC ``s2t``/``s2hk``/``s2tw`` renderings score
0.27–0.42. A text is traditional from :data:`TRADITIONAL_SHARE` = 0.10 on, and with at least
:data:`TRADITIONAL_MIN_CHANGED` changed characters, so that a simplified report quoting a
traditional name or two stays as it is.

Conversion: OpenCC ``hk2s`` (opencc-python-reimplemented): Hong Kong variants (衞→衛) and then
OpenCC's traditional→simplified phrases and characters, i.e. ``t2s`` plus the Hong Kong variant
step; it converts ``s2t`` and ``s2hk`` renderings of the development articles back without an
error. The phrase step matters (指明瞭→指明了, 反覆→反复, where a character-by-character ``t2s``
gets them wrong) and runs at about 375 000 characters a second. All its entries map a string to
one of the same length in code points; still, a piece whose conversion changes length is
converted character by character instead, and a character whose conversion changes length is
kept, so the invariant holds for any dictionary.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable

from kg.model import Article
from kg.pipeline.fold import fold
from kg.pipeline.read import RawArticle

#: A text whose Han characters are changed by the conversion at least this often is traditional.
TRADITIONAL_SHARE = 0.10
#: …and at least this many of them (a very short simplified text with one stray character is not).
TRADITIONAL_MIN_CHANGED = 2
#: The OpenCC configuration used (t2s with the Hong Kong variant step first).
OPENCC_CONFIG = "hk2s"
#: Language tag of a text detected as traditional (unless the meta file gives a more specific one).
TRADITIONAL = "zh-Hant"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A subset of the separators OpenCC splits on itself (no dictionary entry spans one), so that
# converting piece by piece gives the same result as converting the whole text.
_SEPARATORS = re.compile(r"(\s+|[，。、；：？！…“”‘’「」『』（）《》〈〉—])")


def normalise_text(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` → ``\\n``, no BOM. Full-width punctuation and spaces are kept."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    from opencc import OpenCC  # loads its dictionaries: only when a text is normalised

    return OpenCC(OPENCC_CONFIG).convert  # type: ignore[no-any-return]


def to_simplified(text: str) -> str:
    """``text`` in simplified script, of the same length, character ``i`` for character ``i``."""
    convert = _converter()
    out = []
    for piece in _SEPARATORS.split(text):
        if not piece or not _HAN.search(piece):
            out.append(piece)
            continue
        converted = convert(piece)
        if len(converted) != len(piece):
            converted = "".join(_one(convert, char) for char in piece)
        out.append(converted)
    return "".join(out)


def _one(convert: Callable[[str], str], char: str) -> str:
    converted = convert(char)
    return converted if len(converted) == 1 else char


def traditional_share(text: str, simplified: str) -> tuple[float, int]:
    """(share of Han characters that differ between ``text`` and its conversion, how many do)."""
    han = changed = 0
    for before, after in zip(text, simplified, strict=True):
        if _HAN.match(before):
            han += 1
            changed += before != after
    return (changed / han if han else 0.0), changed


def is_traditional(text: str, simplified: str | None = None) -> bool:
    share, changed = traditional_share(text, to_simplified(text) if simplified is None else simplified)
    return share >= TRADITIONAL_SHARE and changed >= TRADITIONAL_MIN_CHANGED


def normalise(raw: RawArticle) -> Article:
    text = normalise_text(raw.text)
    meta = raw.meta
    published = meta.get("published")
    language = _str_or_none(meta.get("language"))
    original = None
    simplified = to_simplified(text)
    if is_traditional(text, simplified):
        text, original = simplified, text
        if not (language or "").lower().startswith(TRADITIONAL.lower()):
            language = TRADITIONAL
    folded = fold(text)
    unfolded = text if folded != text else None
    return Article(
        id=raw.id,
        text=folded,
        path=raw.path,
        title=_str_or_none(meta.get("title")),
        source=_str_or_none(meta.get("source")),
        published=dt.date.fromisoformat(published) if isinstance(published, str) else None,
        url=_str_or_none(meta.get("url")),
        language=language or "zh-Hans",
        original_text=original,
        unfolded=unfolded,
    )


def _str_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
