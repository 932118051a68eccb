"""Normalise article text: one newline convention and Unicode NFC; offsets count in the result."""
from __future__ import annotations

import datetime as dt
import unicodedata

from kg.model import Article
from kg.pipeline.read import RawArticle


def normalise_text(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` → ``\\n``, no BOM. Full-width punctuation and spaces are kept."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def normalise(raw: RawArticle) -> Article:
    text = normalise_text(raw.text)
    meta = raw.meta
    published = meta.get("published")
    return Article(
        id=raw.id,
        text=text,
        path=raw.path,
        title=_str_or_none(meta.get("title")),
        source=_str_or_none(meta.get("source")),
        published=dt.date.fromisoformat(published) if isinstance(published, str) else None,
        url=_str_or_none(meta.get("url")),
        language=_str_or_none(meta.get("language")) or "zh-Hans",
        original_text=raw.text if raw.text != text else None,
    )


def _str_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
