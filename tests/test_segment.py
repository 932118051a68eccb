"""kg.pipeline.segment: sentences with offsets, and words with the project's domain terms."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from kg.errors import InputError
from kg.pipeline.segment import Segmenter, split_sentences

BACKENDS = [pytest.param("jieba", id="jieba"),
            pytest.param("rjieba", id="rjieba", marks=pytest.mark.skipif(importlib.util.find_spec("rjieba") is None,
                                                                         reason="rjieba is not installed"))]


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_segment_tokenizer_is_built_lazily(tmp_path, backend):
    seg = Segmenter(["金砖国家"], cache_dir=tmp_path, backend=backend)
    assert seg._tokenizer is None
    assert [t.text for t in seg.tokens("金砖国家")] == ["金砖国家"]
    assert seg._tokenizer is not None


# --------------------------------------------------------------------------- backends

TERMS = ["澜湄合作", "东盟地区论坛", "数字丝绸之路", "绿色低碳", "全球发展倡议", "湄公河-澜沧江合作"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same terms in each installed backend."""
    cache = tmp_path_factory.mktemp("jieba-both")
    installed = ["jieba"] + (["rjieba"] if importlib.util.find_spec("rjieba") else [])
    return {backend: Segmenter(TERMS, cache_dir=cache, backend=backend) for backend in installed}


@pytest.mark.parametrize("text", [
    "澜湄合作第五次领导人会议在万象举行",
    "东盟地区论坛外长会讨论了数字丝绸之路建设",
    "各方同意推进绿色低碳转型，支持全球发展倡议。",
    "湄公河-澜沧江合作机制成立十周年",
    "会议由轮值主席国主持，与会代表一致通过联合声明",
    "双方签署了关于深化新能源合作的谅解备忘录",
], ids=["term-at-start", "two-terms", "terms-and-punctuation", "term-with-hyphen", "no-terms", "hmm-names"])
@pytest.mark.parametrize("hmm", [True, False], ids=["hmm", "dictionary"])
def test_segment_backends_give_the_same_tokens(both, text, hmm):
    pytest.importorskip("rjieba")
    jieba_tokens = both["jieba"].tokens(text, 7, hmm=hmm)
    assert both["rjieba"].tokens(text, 7, hmm=hmm) == jieba_tokens
    assert both["rjieba"].words(text, hmm=hmm) == both["jieba"].words(text, hmm=hmm) == [t.text for t in jieba_tokens]


@pytest.mark.parametrize("text,term", [
    ("推进澜湄合作走深走实", "澜湄合作"),
    ("共建数字丝绸之路", "数字丝绸之路"),
    ("湄公河-澜沧江合作机制", "湄公河-澜沧江合作"),
], ids=["four-characters", "six-characters", "hyphenated"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_segment_backends_keep_domain_terms(both, backend, text, term):
    assert term in both[backend].words(text)
    assert term in [t.text for t in both[backend].tokens(text)]


@pytest.mark.parametrize("text", [
    "G20峰会在Rio de Janeiro举行",
    "BRICS+ 2025 summit, Kazan",
    "𠀀𠀁澜湄合作𝄞会议",
    "会议代表𠮷野先生😀发言",
], ids=["ascii-in-han", "ascii-only", "non-bmp-han-and-symbol", "non-bmp-and-emoji"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_segment_offsets_are_character_offsets(both, backend, text):
    """Offsets count characters (code points), not bytes or UTF-16 units, in every backend."""
    tokens = both[backend].tokens(text, 100)
    assert "".join(t.text for t in tokens) == text
    position = 100
    for token in tokens:
        assert token.start == position and text[token.start - 100:token.end - 100] == token.text
        position = token.end
    assert position == 100 + len(text)


@pytest.mark.parametrize("word,tag", [("举行", "v"), ("峰会", "n"), ("北京", "ns"), ("澜湄合作", None)],
                         ids=["verb", "noun", "place", "added-term-has-no-tag"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_segment_word_tags_come_from_jiebas_dictionary(both, backend, word, tag):
    assert both[backend].word_tag(word) == tag


def test_segment_first_word_is_the_same_in_both_backends(both):
    pytest.importorskip("rjieba")
    for text in ("澜湄合作会议", "在万象举行", "支持全球发展倡议"):
        assert both["rjieba"].first_word(text) == both["jieba"].first_word(text)


def test_segment_unknown_backend_is_an_input_error():
    with pytest.raises(InputError, match="unknown segmenter 'pkuseg'"):
        Segmenter(backend="pkuseg")


def test_segment_missing_rjieba_is_reported_at_construction(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rjieba" else real(name, *a))
    with pytest.raises(InputError, match=r"pip install 'summit-kg\[fast\]'") as caught:
        Segmenter(["澜湄合作"], backend="rjieba")
    assert "\n" not in str(caught.value)


def test_segment_rjieba_that_cannot_be_imported_is_an_input_error(monkeypatch):
    pytest.importorskip("rjieba")
    seg = Segmenter(["澜湄合作"], backend="rjieba")
    monkeypatch.setitem(sys.modules, "rjieba", None)  # makes `import rjieba` raise ImportError
    with pytest.raises(InputError, match=r"pip install 'summit-kg\[fast\]'") as caught:
        seg.words("澜湄合作")
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value.__cause__, ImportError)


def test_segment_default_backend_is_jieba():
    assert Segmenter().backend == "jieba"


def test_segment_word_tags_are_those_of_jieba_posseg():
    """The tag table read from jieba's dictionary file is the one jieba's own tagger loads."""
    import jieba
    import jieba.posseg

    from kg.pipeline.segment import jieba_word_tags

    assert jieba_word_tags() == jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
