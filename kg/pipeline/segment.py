"""Split text into sentences and words. Each Segmenter owns its own ``jieba.Tokenizer``."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

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


class Segmenter:
    """Word segmentation with jieba plus the project's domain terms.

    The tokenizer is built on first use, so constructing a Segmenter is cheap; its cache file
    goes to ``cache_dir`` (a temporary directory by default), never to jieba's global one.
    """

    def __init__(self, terms: Iterable[str] = (), cache_dir: Path | None = None) -> None:
        self._terms = sorted(set(terms))
        self._cache_dir = cache_dir
        self._tokenizer = None
        self._word_tags: dict[str, str] | None = None

    @property
    def tokenizer(self):  # type: ignore[no-untyped-def]
        if self._tokenizer is None:
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
            self._tokenizer = tokenizer
        return self._tokenizer

    def word_tag(self, word: str) -> str | None:
        """jieba's part-of-speech tag of a dictionary word (None for words it does not know)."""
        if self._word_tags is None:
            import jieba.posseg

            self._word_tags = jieba.posseg.POSTokenizer(self.tokenizer).word_tag_tab
        return self._word_tags.get(word)

    def first_word(self, text: str) -> str:
        """The first word of ``text`` by dictionary segmentation alone (no HMM guesses)."""
        words = self.tokenizer.lcut(text, HMM=False)
        return words[0] if words else ""

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        out: list[Token] = []
        for word, start, end in self.tokenizer.tokenize(text):
            out.append(Token(word, offset + start, offset + end))
        return out
