"""Generated articles and meta files: Hypothesis strategies for the property tests, and the same
generators driven by a seeded ``random.Random`` for ``tools/fuzz.py``.

Every generator is written once against :class:`Draw`, a handful of primitive choices (an integer
in a range, one of some options, a chance, a string from an alphabet). Two drivers implement it:

* :class:`HypothesisDraw` maps each choice to a Hypothesis strategy inside ``st.composite``, so
  Hypothesis shrinks a failing case to a small one (``cases(sources, kind)``);
* :class:`RandomDraw` maps it to a ``random.Random``: fast, and the same seed gives the same case,
  which is what a long fuzz run in worker processes needs (``random_case(sources, rng)``).

A :class:`Case` is what a user could put on disk: the article's bytes and, optionally, the bytes of
its ``NAME.meta.json``. Kinds (:data:`KINDS`):

``unicode``      arbitrary code points (any plane, controls, format characters);
``han``          random Han text with Chinese punctuation, digits and words of the base articles;
``spliced``      pieces of several base articles, cut anywhere, joined;
``mutated``      a base article with random edits (deletions, repeats, odd characters, dates, titles);
``dates``        base sentences whose dates and ordinals are replaced by odd ones (第零次, 13月32日,
                 9999年, reversed ranges, 明天) with odd publication dates;
``controls``     a base article with control and format characters inserted (U+0000-001F, U+0085,
                 U+2028/2029, U+200B-200F, U+FEFF, bidi controls, noncharacters, combining marks);
``titles``       《…》 titles: long (up to four times the base text's limit: 2,400 characters in
                 the property tests, 120,000 in a fuzz run), nested, unclosed, holding 。 or a
                 line break, as a speech or an adopted document;
``traditional``  a base article converted to traditional script (OpenCC), whole or sentence by
                 sentence;
``meta``         a base article with an odd meta file (odd values of each field, JSON that is not
                 an object, deep nesting, huge integers, lone-surrogate escapes, bytes that are not
                 UTF-8);
``encoded``      article bytes in odd encodings (BOM, UTF-16, GB18030, Big5, an encoded surrogate,
                 invalid or truncated UTF-8, random bytes, empty).

The base articles are the development articles (``data/articles``) and the synthetic reports of
``tests/data/corpus``; odd values (dates, ordinals, characters) are listed here, as test data.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

ROOT = Path(__file__).resolve().parent.parent
BASE_FOLDERS = (ROOT / "data" / "articles", ROOT / "tests" / "data" / "corpus")

T = TypeVar("T")

KINDS = ("unicode", "han", "spliced", "mutated", "dates", "controls", "titles", "traditional", "meta", "encoded")

# ---------------------------------------------------------------------------------------- odd values

#: Control, separator and format characters, noncharacters, characters that NFC changes (U+0958
#: becomes two, U+F900 another ideograph, U+2126 Ω), combining marks, emoji, private use.
SPECIAL = (
    [chr(c) for c in range(0x20)]
    + ["\x7f", "\x80", "\x85", "\x9f", "\xa0", "\xad", "\u0301", "\u0958", "\u1680", "\u180e", "\u2000", "\u200a",
       "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c",
       "\u202d", "\u202e", "\u202f", "\u205f", "\u2060", "\u2061", "\u2066", "\u2067", "\u2068", "\u2069",
       "\u2126", "\u2f00", "\u3000", "\u303f", "\ue000", "\uf8ff", "\uf900", "\ufdd0", "\ufdfa", "\ufe0f",
       "\ufeff", "\ufff9", "\ufffc", "\ufffd", "\ufffe", "\uffff", "\U0001f600", "\U000e0001", "\U000e007f",
       "\U0010fffd", "\U0010ffff", "\\", '"', "'", "<", ">", "&", "{", "}", "|", "^", "`", "%", "#", "@", "\t"]
)
#: The format and line-separator characters alone (inserted in words and names).
FORMAT = ("\u0085", "\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u000b",
          "\u000c", "\u0000", "\u001f", "\u202e", "\u2066")

ODD_ORDINALS = ("第零次", "第〇次", "第0次", "第一千次", "第一万次", "第十万次", "第一百零五次",
                "第99999999999999999999次", "第-1次", "第１次", "第２０次", "第百次", "第十十次", "第两次",
                "第一千零一届", "第0届", "首次", "第一次", "第二十次", "第9999届", "第" + "九" * 40 + "次")
ODD_DATES = ("13月32日", "0月0日", "2月30日", "2月29日", "4月31日", "9999年12月31日", "0000年1月1日", "0001年1月1日",
             "9999年12月31日至1月1日", "12月31日至1月1日", "二〇二〇年十三月三十二日", "二〇二〇年二月三十日",
             "2020年6月15日至6月14日", "６月１５日", "百月百日", "十月十日", "2020年2月29日", "2021年2月29日",
             "9999年12月30日至31日", "1日", "31日", "32日", "1月1日至9999年12月31日", "1000年1月1日", "99月99日",
             "〇〇〇〇年一月一日", "九九九九年十二月三十一日", "2020年11月10日至2019年11月10日", "11月10日—12日",
             "0日", "一百月一百日", "2020年12月31日至1月1日")
ODD_YEARS = ("9999年", "0000年", "0001年", "10000年", "1900年", "2100年", "二〇二〇年", "１９９９年")
RELATIVE_DAYS = ("今天", "明天", "后天", "昨天", "前天", "今明两天", "当天", "明日")
ODD_PUBLISHED = ("9999-12-31", "9999-12-30", "0001-01-01", "0001-01-02", "2020-02-29", "2021-02-29", "2020-13-01",
                 "2020-1-1", "20200101", "2020-W01-1", "2020-01-01T00:00:00", " 2020-01-01", "", "２０２０-01-01",
                 "1970-01-01", "2038-01-19", None, 20200101, 2020.5, [], {}, True)
ODD_LANGUAGES = ("zh_CN", "zh-Hans-CN", "zh-hant", "ZH-HANT", "zh-Hant-HK", "en", "", " ", "i-klingon",
                 "zh-Latn-pinyin", "und", "zh--Hans", "-", "zh-", "123", "zh-Hans-x-private", "qaa", "sgn-BE-FR",
                 "abcdefghij",
                 "zh-abcdefghij", "x" * 20, "zh\n", "中文", "zh-Hans\u2028", "zh-Hant-TW-u-nu-hanidec", "yue-HK",
                 "zh-yue", None, 7, ["zh"])
ODD_URLS = ("javascript:alert(1)", "not a url", 'http://example.org/<a b>"{}|^`\\', "http://例子.测试/路径?查询=值#片段",
            "http://" + "a" * 5000 + ".org/", "urn:x", "", "ftp://x/\u2028y", "http://x/\u0000", "//x", "http://[::1",
            "file:///etc/passwd", "http://127.0.0.1:9/", "data:text/plain,hi", "http://x/%zz", None, 1)
ODD_STRINGS = ("", " ", "\u3000", "《》", "《" * 50, "新华社" * 2000, "\u2028\u2029\u0085", "\x00", "a\nb",
               "\ufeff标题", "标题\U0001f600", "<script>alert(1)</script>", "\\", '"', None, 0, 1.5, True, [],
               {"zh": "标题"}, ["标题"])
ODD_IDS = ("", " ", "a/b", "../../x", "a b", "A B", "名字", "%zz", "<>", "\u2028", "x" * 300, "-", ".", "..", "con",
           "\u0958", "İ", "ﷺ", 0, 1.5, True, [], {}, None, "sco2020_video_summit")
#: Meta files that are not a JSON object, do not parse, nest deeply or hold huge numbers (text).
ODD_META_DOCUMENTS = ("[]", "null", "1", '"x"', "{", '{"id": }', "\ufeff{}", '{"published": NaN}', "NaN",
                      '{"id": "a", "id": "b"}', '{"title": "\\ud800"}', '{"source": "\\udfff\\ud800"}',
                      '{"title": "\\u0000\\u2028"}', '{"url": "\\ud83d"}', '{"id": "\\ud800"}', "{}", "   ",
                      '{"published": "2020-01-01", "language": "zh_CN"}', "\u3000{}")

_DATE_RE = re.compile(r"(?:[0-9０-９]{4}年)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日(?:[至—-][0-9０-９]{1,2}日)?"
                      r"|[0-9]{1,2}日|[0-9]{4}年")
_ORDINAL_RE = re.compile(r"第[0-9〇零一二两三四五六七八九十百千]+[次届]|首次|首届")
_SENTENCE_END = re.compile(r"(?<=[。！？\n])")


# ---------------------------------------------------------------------------------------- choices


class Draw(Protocol):
    """The primitive choices every generator is made of."""

    def integer(self, low: int, high: int) -> int:
        """An integer with ``low <= n <= high``."""

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options`` (not empty)."""

    def chance(self, p: float) -> bool:
        """True with probability about ``p``."""

    def chars(self, alphabet: str | None, low: int, high: int) -> str:
        """A string of ``low``..``high`` characters of ``alphabet``; ``None`` is any code point."""


class RandomDraw:
    """The choices made by a ``random.Random`` (fast, and one seed gives one case)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def chars(self, alphabet: str | None, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        if alphabet is not None:
            return "".join(self.rng.choices(alphabet, k=n))
        return "".join(_any_char(self.rng) for _ in range(n))


def _any_char(rng: random.Random) -> str:
    """A code point: ASCII, Han, a special character, or anything but a surrogate."""
    pool = rng.random()
    if pool < 0.25:
        return chr(rng.randint(0x20, 0x7E))
    if pool < 0.5:
        return chr(rng.randint(0x4E00, 0x9FA5))
    if pool < 0.7:
        return SPECIAL[rng.randrange(len(SPECIAL))]
    while True:
        code = rng.randint(0, 0x10FFFF) if rng.random() < 0.5 else rng.randint(0, 0xFFFF)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


class HypothesisDraw:
    """The choices drawn from Hypothesis strategies (inside ``st.composite``): they shrink."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        from hypothesis import strategies as st

        return int(self.draw(st.integers(low, high)))

    def choice(self, options: Sequence[T]) -> T:
        from hypothesis import strategies as st

        return self.draw(st.sampled_from(options))  # type: ignore[no-any-return]

    def chance(self, p: float) -> bool:
        from hypothesis import strategies as st

        return bool(self.draw(st.integers(0, 99)) >= 100 - round(p * 100))  # shrinks towards False

    def chars(self, alphabet: str | None, low: int, high: int) -> str:
        return str(self.draw(_text(alphabet, low, high)))


@lru_cache(maxsize=64)
def _text(alphabet: str | None, low: int, high: int):  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    if alphabet is not None:
        return st.text(st.sampled_from(alphabet), min_size=low, max_size=high)
    chars = st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL),
                      st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5))
    return st.text(chars, min_size=low, max_size=high)


def size(draw: Draw, high: int) -> int:
    """A length up to ``high``, small ones more often (a scale is drawn first)."""
    scales = [s for s in (4, 32, 256, 2048) if s < high] + [high]
    return draw.integer(0, draw.choice(scales))


# ---------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Base:
    """One base article: its text and its meta file (a dict, empty without one)."""

    name: str
    text: str
    meta: dict[str, Any]

    def sentences(self) -> list[str]:
        return [s for s in _SENTENCE_END.split(self.text) if s]


@dataclass(frozen=True)
class Sources:
    """The base articles generated articles are made from, and the Han characters they use."""

    articles: tuple[Base, ...]
    han: str

    @classmethod
    def load(cls, folders: Sequence[Path] = BASE_FOLDERS) -> Sources:
        articles = []
        for folder in folders:
            for path in sorted(folder.glob("*.txt")):
                meta_path = path.with_name(path.stem + ".meta.json")
                meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
                articles.append(Base(path.stem, path.read_text(encoding="utf-8"), meta))
        han = "".join(sorted({ch for base in articles for ch in base.text if "\u4e00" <= ch <= "\u9fff"}))
        return cls(tuple(articles), han)

    def sentences(self) -> list[str]:
        return [s for base in self.articles for s in base.sentences()]


# ---------------------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """A generated input: the article's bytes, the bytes of its meta file (None: no meta file)."""

    kind: str
    text: bytes
    meta: bytes | None = None

    @property
    def digest(self) -> str:
        """12 hex digits of SHA-256 of the article and meta bytes: the name of a saved case."""
        h = hashlib.sha256(self.text + b"\0" + (self.meta if self.meta is not None else b"\1"))
        return h.hexdigest()[:12]

    def write(self, folder: Path, stem: str = "article") -> Path:
        """Write ``stem.txt`` (and ``stem.meta.json``, or remove a stale one) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.txt"
        path.write_bytes(self.text)
        meta_path = folder / f"{stem}.meta.json"
        if self.meta is None:
            meta_path.unlink(missing_ok=True)
        else:
            meta_path.write_bytes(self.meta)
        return path

    @classmethod
    def read(cls, path: Path, kind: str = "saved") -> Case:
        """The case saved as ``path`` (``NAME.txt``) and its ``NAME.meta.json``, if any."""
        meta_path = path.with_name(path.stem + ".meta.json")
        return cls(kind, path.read_bytes(), meta_path.read_bytes() if meta_path.is_file() else None)

    def __repr__(self) -> str:  # what Hypothesis prints for a falsifying example
        meta = "None" if self.meta is None else _short(self.meta)
        return f"Case(kind={self.kind!r}, text={_short(self.text)}, meta={meta})"


def _short(data: bytes, limit: int = 600) -> str:
    shown = repr(data[:limit])
    return shown + (f"…(+{len(data) - limit} bytes)" if len(data) > limit else "")


# ---- text generators


def base_text(draw: Draw, sources: Sources, limit: int) -> str:
    """A base article, or a window of ``limit`` characters of it (its beginning half the time)."""
    text = draw.choice(sources.articles).text
    if len(text) <= limit:
        return text
    start = 0 if draw.chance(0.5) else draw.integer(0, len(text) - limit)
    return text[start:start + limit]


def unicode_text(draw: Draw, sources: Sources, limit: int) -> str:
    """Arbitrary code points, sometimes around a base sentence."""
    text = draw.chars(None, 1, 1 + size(draw, min(400, limit)))
    if draw.chance(0.4):
        sentence = draw.choice(sources.sentences())
        at = draw.integer(0, len(text))
        text = text[:at] + sentence + text[at:]
    return text


def han_text(draw: Draw, sources: Sources, limit: int) -> str:
    """Random Han text: characters of the base articles, punctuation, digits, base words."""
    alphabet = sources.han + "，。、；：？！“”《》（）—…·0123456789年月日第次届\n"
    text = draw.chars(alphabet, 1, 1 + size(draw, min(1500, limit)))
    for _ in range(draw.integer(0, 6)):  # words of the base articles, so that names are recognised
        sentence = draw.choice(sources.sentences())
        start = draw.integer(0, max(0, len(sentence) - 2))
        word = sentence[start:start + draw.integer(2, 12)]
        at = draw.integer(0, len(text))
        text = text[:at] + word + text[at:]
    return text


def spliced_text(draw: Draw, sources: Sources, limit: int) -> str:
    """Pieces of two to four base articles, each cut at any character."""
    parts = []
    for _ in range(draw.integer(2, 4)):
        text = draw.choice(sources.articles).text
        start = draw.integer(0, len(text) - 1)
        end = draw.integer(start + 1, min(len(text), start + 1 + size(draw, min(3000, limit // 2))))
        parts.append(text[start:end])
    joint = draw.choice(["", "\n", "。", "\n\n", " "])
    return joint.join(parts)


def mutated_text(draw: Draw, sources: Sources, limit: int) -> str:
    """A base article with one to twelve random edits."""
    text = base_text(draw, sources, limit)
    for _ in range(draw.integer(1, 12)):
        text = _edit(draw, text)
    return text or "。"


def _edit(draw: Draw, text: str) -> str:
    at = draw.integer(0, len(text))
    edit = draw.choice(["delete", "repeat", "insert", "replace", "date", "ordinal", "title", "format", "swap"])
    if edit == "delete":
        return text[:at] + text[at + 1 + size(draw, 200):]
    if edit == "repeat":
        piece = text[at:at + 1 + size(draw, 300)]
        return text[:at] + piece * draw.integer(2, 5) + text[at:]
    if edit == "insert":
        return text[:at] + draw.chars(None, 1, 8) + text[at:]
    if edit == "replace":
        return text[:at] + draw.chars(None, 1, 1) + text[at + 1:]
    if edit == "date":
        return text[:at] + draw.choice(ODD_DATES + ODD_YEARS + RELATIVE_DAYS) + text[at:]
    if edit == "ordinal":
        return text[:at] + draw.choice(ODD_ORDINALS) + text[at:]
    if edit == "title":
        return text[:at] + title(draw, 300) + text[at:]
    if edit == "format":
        return text[:at] + draw.choice(FORMAT) + text[at:]
    sentences = _SENTENCE_END.split(text)  # swap two sentences
    if len(sentences) > 2:
        i, j = draw.integer(0, len(sentences) - 1), draw.integer(0, len(sentences) - 1)
        sentences[i], sentences[j] = sentences[j], sentences[i]
    return "".join(sentences)


def dates_text(draw: Draw, sources: Sources, limit: int) -> str:
    """Base sentences whose dates and ordinals become odd ones, and relative days (明天)."""
    base = draw.choice(sources.articles)
    sentences = base.sentences()
    start = draw.integer(0, len(sentences) - 1)
    chosen = sentences[start:start + draw.integer(1, 8)]
    if not any(_DATE_RE.search(s) or _ORDINAL_RE.search(s) for s in chosen):  # the sentences of a summit
        chosen = [s for s in sentences if _DATE_RE.search(s) or _ORDINAL_RE.search(s)][:4] or chosen
    out = []
    for sentence in chosen:
        sentence = _DATE_RE.sub(lambda m: draw.choice(ODD_DATES + ODD_YEARS) if draw.chance(0.7) else m.group(),
                                sentence)
        sentence = _ORDINAL_RE.sub(lambda m: draw.choice(ODD_ORDINALS) if draw.chance(0.7) else m.group(),
                                   sentence)
        if draw.chance(0.3):
            sentence = draw.choice(RELATIVE_DAYS) + sentence
        out.append(sentence)
    return "".join(out)


def controls_text(draw: Draw, sources: Sources, limit: int) -> str:
    """A base article (or part of one) with control and format characters inserted."""
    text = base_text(draw, sources, limit)
    if draw.chance(0.5):
        start = draw.integer(0, len(text) - 1)
        text = text[start:start + 1 + size(draw, 800)]
    for _ in range(draw.integer(1, 20)):
        at = draw.integer(0, len(text))
        text = text[:at] + draw.choice(SPECIAL if draw.chance(0.5) else FORMAT) + text[at:]
    return text


def title(draw: Draw, longest: int) -> str:
    """A 《…》 title: Han, any characters, 。 or a line break inside, nested, long or unclosed."""
    words = "携手构建命运共同体合作发展宣言倡议。\n《》"
    unit = draw.chars(None, 1, 6) if draw.chance(0.3) else draw.chars(words, 1, 12)
    body = unit * max(1, size(draw, longest) // len(unit))
    shape = draw.choice(["plain", "plain", "nested", "unclosed", "unopened", "empty", "sentence"])
    if shape == "nested":
        return f"《{body}《{unit}》{body[:20]}》"
    if shape == "unclosed":
        return "《" + body
    if shape == "unopened":
        return body + "》"
    if shape == "empty":
        return "《》"
    if shape == "sentence":
        return f"《{body[:30]}。{body[30:]}》"
    return f"《{body}》"


TITLE_FRAMES = ("习近平发表题为{t}的重要讲话。", "会议通过并发表了{t}。", "各方签署了{t}宣言。",
                "与会领导人共同发表{t}。", "他提出{t}倡议。", "{t}", "会议批准了{t}等文件。",
                "习近平在会上发表题为{t}的讲话，全文如下：{t}")


def titles_text(draw: Draw, sources: Sources, limit: int) -> str:
    """A base article with long, nested or broken 《…》 titles in speech and document sentences;
    the titles together may be four times longer than ``limit`` (at most 120,000 characters)."""
    text = base_text(draw, sources, limit)
    longest = min(4 * limit, 120_000)
    count = draw.integer(1, 3)
    for _ in range(count):
        frame = draw.choice(TITLE_FRAMES)
        at = draw.integer(0, len(text))
        text = text[:at] + frame.replace("{t}", title(draw, longest // (count * frame.count("{t}")))) + text[at:]
    return text


def traditional_text(draw: Draw, sources: Sources, limit: int) -> str:
    """A base article in traditional script (OpenCC), whole or sentence by sentence."""
    convert = _opencc(draw.choice(["s2hk", "s2t", "s2tw"]))
    text = base_text(draw, sources, limit)
    if draw.chance(0.6):
        return convert(text)
    sentences = _SENTENCE_END.split(text)
    return "".join(convert(s) if draw.chance(0.5) else s for s in sentences)


@lru_cache(maxsize=4)
def _opencc(config: str) -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC(config).convert  # type: ignore[no-any-return]


# ---- meta files


def meta_record(draw: Draw, sources: Sources, odd: bool) -> dict[str, Any]:
    """A base article's meta (without ``note`` or ``id`` most of the time), some fields odd."""
    record = dict(draw.choice(sources.articles).meta)
    record.pop("note", None)
    if draw.chance(0.7):
        record.pop("id", None)
    if not odd:
        return record
    fields = {"id": ODD_IDS, "title": ODD_STRINGS, "source": ODD_STRINGS, "published": ODD_PUBLISHED,
              "url": ODD_URLS, "language": ODD_LANGUAGES, "note": ODD_STRINGS}
    for _ in range(draw.integer(1, 4)):
        name = draw.choice(sorted(fields))
        value = draw.choice(fields[name])
        record[name] = value if draw.chance(0.8) else draw.chars(None, 0, 40)
    if draw.chance(0.2):
        record[draw.chars(None, 0, 8)] = draw.choice(ODD_STRINGS)
    if draw.chance(0.1):
        record["title"] = title(draw, 5000)
    return record


def meta_bytes(draw: Draw, sources: Sources, odd: bool) -> bytes:
    """The bytes of a meta file: JSON of a record, or an odd document."""
    if odd and draw.chance(0.35):
        shape = draw.choice(["document", "deep", "huge", "encoding", "long"])
        if shape == "document":
            return draw.choice(ODD_META_DOCUMENTS).encode("utf-8")
        if shape == "deep":
            depth = draw.choice([10, 100, 1000, 5000, 100_000])
            return (('{"a": ' * depth) + "1" + "}" * depth).encode() if draw.chance(0.5) else \
                ("[" * depth + "]" * depth).encode()
        if shape == "huge":
            digits = draw.choice([20, 400, 4300, 4301, 10_000, 100_000])
            key = draw.choice(["published", "id", "title", "extra"])
            return f'{{"{key}": {"9" * digits}}}'.encode()
        if shape == "encoding":
            text = json.dumps(meta_record(draw, sources, False), ensure_ascii=False)
            return text.encode(draw.choice(["gb18030", "utf-16", "big5"]), errors="replace")
        return json.dumps({"title": "标题" * draw.integer(10_000, 200_000)}, ensure_ascii=False).encode("utf-8")
    record = meta_record(draw, sources, odd)
    return json.dumps(record, ensure_ascii=draw.chance(0.3)).encode("utf-8", errors="surrogatepass")


# ---- bytes


def encode(draw: Draw, text: str) -> bytes:
    """The article's bytes: UTF-8 mostly, else an odd encoding or broken bytes."""
    how = draw.choice(["utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32", "gb18030", "big5", "surrogate-utf-8",
                       "surrogate-utf-16", "invalid", "truncated", "random", "empty", "blank", "crlf"])
    if how in ("utf-8-sig", "utf-16", "utf-32", "gb18030"):
        return text.encode(how, errors="surrogatepass" if how != "gb18030" else "strict")
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if how == "big5":
        return text.encode("big5", errors="replace")
    if how.startswith("surrogate"):
        at = draw.integer(0, len(text))
        broken = text[:at] + draw.choice(["\ud800", "\udfff", "\udc00\ud800"]) + text[at:]
        return broken.encode("utf-8" if how == "surrogate-utf-8" else "utf-16", errors="surrogatepass")
    data = text.encode("utf-8")
    if how == "invalid":
        for _ in range(draw.integer(1, 5)):
            at = draw.integer(0, len(data))
            bad = draw.choice([b"\xff", b"\xc0\xaf", b"\xe4\xb8", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
            data = data[:at] + bad + data[at:]
        return data
    if how == "truncated":
        return data[:max(0, len(data) - draw.integer(1, 2))]
    if how == "random":
        return bytes(draw.integer(0, 255) for _ in range(draw.integer(0, 64)))
    if how == "empty":
        return b""
    if how == "blank":
        return draw.chars(" \t\n\r\u3000\ufeff\u2028\x0b\x0c\x85", 0, 20).encode("utf-8")
    return data.replace(b"\n", b"\r\n") + b"\r"


# ---- one case

TEXTS: dict[str, Callable[[Draw, Sources, int], str]] = {
    "unicode": unicode_text, "han": han_text, "spliced": spliced_text, "mutated": mutated_text,
    "dates": dates_text, "controls": controls_text, "titles": titles_text, "traditional": traditional_text,
}


def case(draw: Draw, sources: Sources, kind: str | None = None, limit: int = 100_000) -> Case:
    """One generated input of ``kind`` (any kind when None); ``limit`` bounds the base text taken
    (and the longest title drawn: four times that, at most 120,000 characters)."""
    kind = kind or draw.choice(KINDS)
    make = TEXTS[kind] if kind in TEXTS else TEXTS[draw.choice(["spliced", "mutated", "dates", "han"])]
    text = make(draw, sources, limit)
    data = encode(draw, text) if kind == "encoded" else text.encode("utf-8")
    if kind == "meta":
        meta: bytes | None = meta_bytes(draw, sources, odd=True)
    elif kind == "dates" and draw.chance(0.7):  # odd publication dates with odd dates in the text
        record = meta_record(draw, sources, odd=False)
        record["published"] = draw.choice(ODD_PUBLISHED[:8])
        meta = json.dumps(record, ensure_ascii=False).encode("utf-8")
    else:
        meta = meta_bytes(draw, sources, odd=draw.chance(0.2)) if draw.chance(0.5) else None
    return Case(kind, data, meta)


def cases(sources: Sources, kind: str | None = None, limit: int = 600):  # type: ignore[no-untyped-def]
    """A Hypothesis strategy of :class:`Case` (one kind, or any), base text cut to ``limit``."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw):  # type: ignore[no-untyped-def]
        return case(HypothesisDraw(draw), sources, kind, limit)

    return build()


def random_case(sources: Sources, rng: random.Random, kind: str | None = None, limit: int = 100_000) -> Case:
    """One case drawn by ``rng`` (the fuzz tool's driver)."""
    return case(RandomDraw(rng), sources, kind, limit)


__all__ = ["Base", "Case", "Draw", "HypothesisDraw", "KINDS", "RandomDraw", "Sources", "case", "cases",
           "random_case"]
