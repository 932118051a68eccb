"""kg.pipeline.segment: sentences with offsets, and words with the project's domain terms."""
from __future__ import annotations

import pytest

from kg.pipeline.segment import Segmenter, split_sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text,sentences", [
    ("峰会在撒马尔罕举行。各方签署宣言。", ["峰会在撒马尔罕举行。", "各方签署宣言。"]),
    ("各方能否达成共识？答案是肯定的！", ["各方能否达成共识？", "答案是肯定的！"]),
    ("他强调：“上合组织要团结协作。”会议通过了宣言。", ["他强调：“上合组织要团结协作。”", "会议通过了宣言。"]),
    ("“我们来了。”他说。", ["“我们来了。”", "他说。"]),
    ("她问：“准备好了吗？”众人答应。", ["她问：“准备好了吗？”", "众人答应。"]),
    ("宣言指出（详见全文。）各方赞同。", ["宣言指出（详见全文。）", "各方赞同。"]),
    ("标题没有句号\n正文第一句。", ["标题没有句号", "正文第一句。"]),
    ("　　第一段。\n\n　　第二段！", ["第一段。", "第二段！"]),
    ("真的吗？！当然。", ["真的吗？！", "当然。"]),
    ("会议结束", ["会议结束"]),
], ids=["two-sentences", "question-exclamation", "quote-closes-sentence", "quote-first", "quoted-question",
        "bracket", "line-break", "indent-and-blank-lines", "mixed-marks", "no-final-mark"])
def test_segment_split_sentences(text, sentences):
    assert _texts(text) == sentences


def test_segment_split_sentences_quote_with_two_sentences_is_split_inside():
    """Each 。 ends a sentence, also inside a quotation; the closing quote stays with the last one."""
    text = "他说：“第一，加强合作。第二，扩大开放。”各方赞同。"
    assert _texts(text) == ["他说：“第一，加强合作。", "第二，扩大开放。”", "各方赞同。"]


def test_segment_split_sentences_never_starts_with_closing_mark():
    text = "习近平指出：“要弘扬‘上海精神’。”“要坚持开放。”普京表示赞同。（完）"
    for sentence in split_sentences(text):
        assert sentence.text[0] not in "”’」』）)"


def test_segment_split_sentences_offsets_and_indexes():
    text = "　　新华社青岛6月10日电 峰会举行。\n　　各方发表宣言。"
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == [0, 1]
    for s in sentences:
        assert text[s.start:s.end] == s.text
    assert sentences[0].start == 2  # the ideographic indent is not part of the sentence
    assert sentences[1].text == "各方发表宣言。"


def test_segment_split_sentences_blank_text():
    assert split_sentences("") == []
    assert split_sentences("\n\u3000 \n") == []


@pytest.fixture(scope="module")
def segmenter(tmp_path_factory):
    return Segmenter(["上海合作组织", "数字经济", "人工智能"], cache_dir=tmp_path_factory.mktemp("jieba"))


def test_segment_tokens_keep_domain_terms(segmenter):
    words = [t.text for t in segmenter.tokens("推动数字经济和人工智能合作")]
    assert "数字经济" in words and "人工智能" in words


def test_segment_tokens_offsets(segmenter):
    text = "上海合作组织峰会举行"
    tokens = segmenter.tokens(text, 50)
    assert tokens[0].text == "上海合作组织"
    assert (tokens[0].start, tokens[0].end) == (50, 56)
    assert "".join(t.text for t in tokens) == text
    for t in tokens:
        assert text[t.start - 50:t.end - 50] == t.text


def test_segment_tokenizer_is_built_lazily(tmp_path):
    seg = Segmenter(["金砖国家"], cache_dir=tmp_path)
    assert seg._tokenizer is None
    assert [t.text for t in seg.tokens("金砖国家")] == ["金砖国家"]
    assert seg._tokenizer is not None
