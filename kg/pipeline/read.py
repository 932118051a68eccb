"""Read articles: find them, decode their bytes, read the optional ``NAME.meta.json`` sidecar."""
from __future__ import annotations

import codecs
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import EncodingError, InputError

#: Encodings detection may settle on for Chinese text, beside UTF-8.
CHINESE_LEGACY = ("gb18030", "big5")
META_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class RawArticle:
    """An article's decoded text and metadata, before normalisation."""

    id: str
    path: Path
    text: str
    meta: dict[str, object]


def discover(paths: list[str | Path]) -> list[Path]:
    """Expand files and directories into a sorted, de-duplicated list of ``.txt`` articles."""
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            texts = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not texts:
                raise InputError(f"{path}: directory holds no articles (*.txt)")
            found.update(dict.fromkeys(texts))
        elif path.is_file():
            found[path] = None
        elif path.exists():
            raise InputError(f"{path}: not a regular file")
        else:
            raise InputError(f"{path}: no such file or directory")
    return list(found)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode article bytes: UTF-8, or a legacy Chinese encoding when detection is certain.

    GB18030 accepts almost any byte string, so a legacy encoding is only taken when exactly one
    of GB18030 and Big5 decodes the bytes into plausible Chinese text.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{name}: not valid {encoding} (byte {exc.start})") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Short GB18030 or Big5 byte strings can be valid UTF-8 by accident (员 → Ա): a UTF-8
        # reading without one ideograph is only taken when no legacy reading is Chinese text.
        if text.isascii() or _has_han(text) or not _legacy_readings(data):
            return text
        raise EncodingError(f"{name}: the encoding is uncertain (UTF-8 or a legacy Chinese encoding); "
                            "name it with --encoding (e.g. --encoding utf-8 or --encoding gb18030)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    plausible = _legacy_readings(data)
    if len(plausible) == 1:
        return plausible[0][1]
    raise EncodingError(f"{name}: not UTF-8 and the encoding is uncertain; "
                        "name it with --encoding (e.g. --encoding gb18030)")


def _legacy_readings(data: bytes) -> list[tuple[str, str]]:
    """The legacy Chinese encodings that decode ``data`` into plausible Chinese text."""
    plausible = []
    for candidate in CHINESE_LEGACY:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            plausible.append((candidate, text))
    return plausible


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _looks_chinese(text: str) -> bool:
    """True when most characters are common CJK ideographs, ASCII or CJK punctuation."""
    if not text:
        return False
    common = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fa5" or ch.isascii() or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…·")
    rare = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fa5" and ch in _RARE_HINT)
    return common / len(text) > 0.97 and rare / len(text) < 0.02


# Ideographs that appear often when Big5 bytes are read as GB18030 (or the reverse) and
# rarely in news text; a cheap second test beside the code-point ranges.
_RARE_HINT = frozenset("銝銵鋆摰撣蝪蝭閮璅甇瘥皜摨蝡箔嚗敺瘚")


def read_meta(path: Path) -> dict[str, object]:
    """The sidecar ``NAME.meta.json`` beside ``NAME.txt``, or an empty dict."""
    meta_path = path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX) if path.suffix else None
    if meta_path is None or not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{meta_path}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{meta_path}: expected a JSON object")
    published = meta.get("published")
    if published is not None:
        if not isinstance(published, str):
            raise InputError(f"{meta_path}: 'published' must be YYYY-MM-DD")
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            raise InputError(f"{meta_path}: 'published' must be YYYY-MM-DD, got {published!r}") from None
    return meta


def read_article(path: Path, encoding: str | None = None) -> RawArticle:
    """Read one article file; raise :class:`InputError` for anything that is not a usable article."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode(data, str(path), encoding)
    if not text.strip():
        raise InputError(f"{path}: empty article")
    meta = read_meta(path)
    article_id = str(meta.get("id") or path.stem)
    return RawArticle(article_id, path, text, meta)
