"""Read articles: find them, decode their bytes, read the optional ``NAME.meta.json`` sidecar.

Articles and meta files come from outside, so everything read here is bounded and checked: an
article longer than ``--max-chars`` is refused (before it is decoded, when its size in bytes
already says so), as is one whose text would be a literal longer than a store reads
(:data:`MAX_LITERAL_BYTES`); a meta file larger than :data:`MAX_META_BYTES`, nested deeper than
:data:`MAX_META_DEPTH` or with a number of more than :data:`MAX_META_DIGITS` digits is refused
before it is parsed, and its fields are checked by type: ``language`` a BCP 47 tag (parsed by
``langcodes``), ``published`` a date YYYY-MM-DD in :data:`PUBLISHED_RANGE`. Each refusal is an
:class:`~kg.errors.InputError` that names the file and the limit.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import EncodingError, InputError

#: Encodings detection may settle on for Chinese text, beside UTF-8.
CHINESE_LEGACY = ("gb18030", "big5")
META_SUFFIX = ".meta.json"

#: The longest article read, in characters (``--max-chars`` of kg build and kg eval).
MAX_CHARS = 5_000_000
#: The most bytes an article's text may take as one N-Triples literal (``nif:isString``, escaped):
#: Oxigraph reads no longer token (16 MiB), less room for the quotes and the language tag.
MAX_LITERAL_BYTES = 16 * 1024 * 1024 - 1024
#: The largest meta file read, in bytes.
MAX_META_BYTES = 64 * 1024
#: How deep the JSON of a meta file may nest (the object itself is level 1).
MAX_META_DEPTH = 5
#: The most digits a number in a meta file may have.
MAX_META_DIGITS = 100
#: The publication dates a meta file may give.
PUBLISHED_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
#: Meta fields that are text (or null) when given.
META_TEXT_FIELDS = ("id", "title", "source", "url", "language")

#: Encodings in which no character takes more than four bytes: an article in one of them (or
#: detected) that has more than four bytes per allowed character is refused without reading it.
_AT_MOST_4_BYTES = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                              "utf-32-be", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "ascii",
                              "latin-1", "iso8859-1", "cp1252"})
_BOM_BYTES = 4  # the longest byte order mark, which decodes to no character
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@dataclass(frozen=True)
class RawArticle:
    """An article's decoded text and metadata, before normalisation."""

    id: str
    path: Path
    text: str
    meta: dict[str, object]


def discover(paths: list[str | Path]) -> list[Path]:
    """Expand files and directories into a sorted, de-duplicated list of ``.txt`` articles.

    A path that cannot be looked at or a folder that cannot be listed (no permission) is an
    :class:`InputError`, as a missing one is."""
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                texts = sorted(p for p in _listed(path)
                               if p.suffix == ".txt" and not p.name.startswith(".") and p.is_file())
                if not texts:
                    raise InputError(f"{path}: directory holds no articles (*.txt)")
                found.update(dict.fromkeys(texts))
            elif path.is_file():
                found[path] = None
            elif path.exists():
                raise InputError(f"{path}: not a regular file")
            else:
                raise InputError(f"{path}: no such file or directory")
        except OSError as exc:  # a folder on the way that cannot be traversed, a file system error
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return list(found)


def _listed(folder: Path) -> list[Path]:
    """The entries of ``folder`` (an ``OSError`` when it cannot be listed, never silently none)."""
    with os.scandir(folder) as entries:
        return [folder / entry.name for entry in entries]


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
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{name}: starts like UTF-16 but is not valid UTF-16 (byte {exc.start}); "
                                "name its encoding with --encoding") from None
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


def meta_path(path: Path) -> Path | None:
    """Where the sidecar of ``NAME.txt`` is: ``NAME.meta.json`` beside it."""
    return path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX) if path.suffix else None


def read_meta(path: Path) -> dict[str, object]:
    """The sidecar ``NAME.meta.json`` beside ``NAME.txt``, checked, or an empty dict without one."""
    where = meta_path(path)
    try:
        if where is None or not where.is_file():
            return {}
        with where.open("rb") as handle:
            data = handle.read(MAX_META_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{where}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_META_BYTES:
        raise InputError(f"{where}: larger than {MAX_META_BYTES // 1024} KiB, the limit for a meta file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 JSON (byte {exc.start})") from None
    depth = json_depth(text)
    if depth > MAX_META_DEPTH:
        raise InputError(f"{where}: nested {depth} levels deep, more than {MAX_META_DEPTH}, the limit for a meta file")
    try:
        meta = json.loads(text, parse_int=_bounded_int(where), parse_constant=_no_constant(where))
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{where}: expected a JSON object")
    try:  # a \\ud800 escape gives a lone surrogate, which no UTF-8 output can carry
        json.dumps(meta, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{where}: a \\u escape gives a lone surrogate (U+{ord(exc.object[exc.start]):04X}), "
                         "not a character") from None
    check_meta(meta, str(where))
    return meta


def check_meta(meta: dict[str, object], where: str) -> None:
    """Raise :class:`InputError` unless every known field of ``meta`` has its type: text (or null)
    for :data:`META_TEXT_FIELDS`, a BCP 47 tag for ``language``, YYYY-MM-DD in
    :data:`PUBLISHED_RANGE` for ``published``."""
    for name in META_TEXT_FIELDS:
        value = meta.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: {name!r} must be a string, not {_json_type(value)}")
    language = meta.get("language")
    if isinstance(language, str) and language.strip():
        check_language(language.strip(), where)
    published = meta.get("published")
    if published is not None:
        check_published(published, where)


def check_published(value: object, where: str) -> dt.date:
    """The date of a meta ``published`` value: YYYY-MM-DD within :data:`PUBLISHED_RANGE`."""
    if not isinstance(value, str):
        raise InputError(f"{where}: 'published' must be YYYY-MM-DD, not {_json_type(value)}")
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: 'published' must be YYYY-MM-DD, got {value[:40]!r}") from None
    first, last = PUBLISHED_RANGE
    if not first <= date <= last:
        raise InputError(f"{where}: 'published' {value} is outside {first}..{last}, the dates a meta file may give")
    return date


def check_language(tag: str, where: str) -> None:
    """Raise :class:`InputError` unless ``tag`` is a valid BCP 47 language tag (``zh-Hans``,
    ``zh-Hant-HK``, ``en``): well-formed (subtags of at most 8 letters or digits, separated by
    ``-``) and made of registered subtags, as ``langcodes`` parses and checks it."""
    import langcodes
    from langcodes.tag_parser import LanguageTagError, parse_tag

    shown = tag if len(tag) <= 40 else tag[:40] + "…"
    if "_" in tag:
        raise InputError(f"{where}: 'language' {shown!r} is not a BCP 47 tag: subtags are separated by '-', "
                         f"not '_' (write {tag.replace('_', '-')[:40]!r})")
    try:
        parse_tag(tag)
    except LanguageTagError as exc:
        raise InputError(f"{where}: 'language' {shown!r} is not a BCP 47 tag ({exc})") from None
    if not langcodes.tag_is_valid(tag):
        raise InputError(f"{where}: 'language' {shown!r} is not a valid BCP 47 tag (a subtag is not in the "
                         "registry); write a tag such as zh-Hans or zh-Hant")


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a bare value), counted without
    parsing it; brackets inside strings do not count."""
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        bracket = match.group(1)
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket:
            depth -= 1
    return deepest


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|([\[\]{}])', re.DOTALL)  # a string, or a bracket


def _bounded_int(where: Path):  # type: ignore[no-untyped-def]
    def parse(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_META_DIGITS:
            raise InputError(f"{where}: a number of {len(digits.lstrip('-')):,} digits, more than {MAX_META_DIGITS}, "
                             "the limit for a meta file")
        return int(digits)

    return parse


def _no_constant(where: Path):  # type: ignore[no-untyped-def]
    def parse(name: str) -> object:
        raise InputError(f"{where}: not valid UTF-8 JSON ({name} is not a JSON value)")

    return parse


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def read_article(path: Path, encoding: str | None = None, max_chars: int = MAX_CHARS) -> RawArticle:
    """Read one article file; raise :class:`InputError` for anything that is not a usable article,
    among them an article of more than ``max_chars`` characters."""
    data = _read_bounded(path, _max_bytes(max_chars, encoding), max_chars)
    text = decode(data, str(path), encoding)
    if len(text) > max_chars:
        raise InputError(f"{path}: {len(text):,} characters, more than the limit of {max_chars:,} "
                         "(--max-chars)")
    if 6 * len(text) > MAX_LITERAL_BYTES:  # else even a text of escaped characters fits
        from kg.terms import escape

        size = len(escape(text).encode("utf-8"))
        if size > MAX_LITERAL_BYTES:
            raise InputError(f"{path}: the text takes {size:,} bytes as an RDF literal, more than the limit of "
                             f"{MAX_LITERAL_BYTES:,} (16 MiB, the longest literal an RDF store such as Oxigraph "
                             "reads)")
    if not text.strip():
        raise InputError(f"{path}: empty article")
    meta = read_meta(path)
    article_id = str(meta.get("id") or path.stem)
    return RawArticle(article_id, path, text, meta)


def _max_bytes(max_chars: int, encoding: str | None) -> int | None:
    """The most bytes an article of ``max_chars`` characters can have in ``encoding`` (None when
    the encoding does not say)."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            return None  # decode() says so
        if name not in _AT_MOST_4_BYTES:
            return None
    return 4 * max_chars + _BOM_BYTES


def _read_bounded(path: Path, max_bytes: int | None, max_chars: int) -> bytes:
    """The bytes of ``path``; an :class:`InputError` when there are more than ``max_bytes``,
    found from the file's size before anything is read."""
    try:
        with path.open("rb") as handle:
            if max_bytes is None:
                return handle.read()
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(max_bytes + 1) if size <= max_bytes else b""
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > max_bytes or len(data) > max_bytes:
        raise InputError(f"{path}: {max(size, len(data)):,} bytes, more than the limit of {max_chars:,} "
                         "characters can take (--max-chars)")
    return data
