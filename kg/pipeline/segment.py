"""Split text into sentences and words. Each Segmenter owns its own tokenizer (jieba, or rjieba if chosen)."""
from __future__ import annotations

import importlib.util
import re
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError, ResourceError
from kg.model import Sentence, Token

# A sentence ends at 。！？!? (plus closing quotes or brackets) or at a line break.
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?|[。！？!?]+")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; leading and trailing white space (incl. U+3000) is trimmed."""
    out: list[Sentence] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(len(out), start, end, text[start:end]))
    return out


@lru_cache(maxsize=1)
def jieba_word_tags() -> dict[str, str]:
    """word → part-of-speech tag, from jieba's dictionary file (what ``jieba.posseg`` loads as
    ``word_tag_tab``), read without importing jieba or its tagger's model."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError("jieba is not installed: its dictionary gives the part-of-speech tags")
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"jieba's dictionary {path} cannot be read: {exc}") from exc
    tags: dict[str, str] = {}
    for line in lines:
        parts = line.split(" ")
        if len(parts) == 3:  # word frequency tag
            tags[parts[0]] = parts[2]
    return tags


class Segmenter:
    """Word segmentation with the project's domain terms, by one of two backends.

    ``backend="jieba"`` (the default) is jieba's Python tokenizer; ``backend="rjieba"`` is jieba-rs
    through rjieba (``pip install 'summit-kg[fast]'``), the same dictionary and HMM model in Rust.
    Both load the domain terms with the same frequency rule. Part-of-speech tags (:meth:`word_tag`)
    always come from jieba's dictionary file, whichever backend segments.

    The segmenter is built on first use, so constructing a Segmenter is cheap; jieba's cache file
    goes to ``cache_dir`` (a temporary directory by default), never to jieba's global one.
    """

    BACKENDS = ("jieba", "rjieba")

    def __init__(self, terms: Iterable[str] = (), cache_dir: Path | None = None, backend: str = "jieba") -> None:
        if backend not in self.BACKENDS:
            raise InputError(f"unknown segmenter {backend!r}: choose one of {', '.join(self.BACKENDS)}")
        if backend == "rjieba" and importlib.util.find_spec("rjieba") is None:
            raise InputError("the rjieba segmenter is not installed: pip install 'summit-kg[fast]'")
        self.backend = backend
        self._terms = sorted(set(terms))
        self._cache_dir = cache_dir
        self._tokenizer = None  # jieba.Tokenizer or rjieba.Jieba, built on first use
        self._word_tags: dict[str, str] | None = None

    def _engine(self):  # type: ignore[no-untyped-def]
        if self._tokenizer is None:
            self._tokenizer = self._build_rjieba() if self.backend == "rjieba" else self._build_jieba()
        return self._tokenizer

    def _build_jieba(self):  # type: ignore[no-untyped-def]
        import logging

        import jieba

        jieba_logger = logging.getLogger("jieba")
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(self._cache_dir or Path(tempfile.gettempdir()))
        previous = jieba_logger.level
        jieba_logger.setLevel(logging.WARNING)  # jieba logs its cache use at DEBUG/INFO
        try:
            tokenizer.initialize()
        finally:
            jieba_logger.setLevel(previous)
        for term in self._terms:
            tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, tune=False), 1000))
        return tokenizer

    def _build_rjieba(self):  # type: ignore[no-untyped-def]
        try:
            import rjieba
        except ImportError as exc:
            raise InputError(f"the rjieba segmenter cannot be loaded ({exc}): pip install 'summit-kg[fast]'") from exc

        tokenizer = rjieba.Jieba()
        for term in self._terms:  # the same rule, in the same order, as for jieba
            tokenizer.add_word(term, max(tokenizer.suggest_freq(term), 1000), None)
        return tokenizer

    def word_tag(self, word: str) -> str | None:
        """jieba's part-of-speech tag of a dictionary word (None for words it does not know)."""
        if self._word_tags is None:
            self._word_tags = jieba_word_tags()
        return self._word_tags.get(word)

    def words(self, text: str, hmm: bool = False) -> list[str]:
        """The words of ``text``; by dictionary segmentation alone unless ``hmm`` (HMM guesses for unknown runs)."""
        if self.backend == "rjieba":
            return self._engine().cut(text, hmm)  # type: ignore[no-any-return]
        return self._engine().lcut(text, HMM=hmm)  # type: ignore[no-any-return]

    def first_word(self, text: str) -> str:
        """The first word of ``text`` by dictionary segmentation alone (no HMM guesses)."""
        words = self.words(text)
        return words[0] if words else ""

    def tokens(self, text: str, offset: int = 0, hmm: bool = True) -> list[Token]:
        """The words of ``text`` with character offsets, shifted by ``offset``."""
        if self.backend == "rjieba":
            spans = self._engine().tokenize(text, "default", hmm)
        else:
            spans = self._engine().tokenize(text, HMM=hmm)
        return [Token(word, offset + start, offset + end) for word, start, end in spans]
