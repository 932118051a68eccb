"""kg.pipeline.read: finding articles, decoding their bytes, reading the sidecar metadata."""
from __future__ import annotations

import codecs
import json

import pytest

from kg.errors import EncodingError, InputError
from kg.pipeline.read import decode, discover, read_article, read_meta

# Sentences written for these tests (not taken from any report).
SIMPLIFIED = [
    "新华社阿斯塔纳7月4日电 上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行。",
    "国家主席习近平出席会议并发表题为《凝聚上合力量 共创美好家园》的重要讲话。",
    "与会领导人签署并发表《阿斯塔纳宣言》，批准关于能源合作、关于打击毒品的两份声明。",
    "中方愿同各方一道，推动经贸、金融、科技、人文等领域合作取得新进展。",
    "金砖国家领导人第十四次会晤以视频方式举行，中方作为主席国主持会晤。",
    "俄罗斯总统普京、印度总理莫迪、巴西总统博索纳罗、南非总统拉马福萨出席。",
    "记者：王小明；编辑：陈红",
]
TRADITIONAL = [
    "上海合作組織成員國元首理事會第二十二次會議在撒馬爾罕舉行。",
    "國家主席習近平出席會議並發表重要講話，會議發表宣言。",
    "與會領導人簽署並發表宣言，批准關於維護國際糧食安全、關於維護國際能源安全等聲明。",
    "中方願同各方一道，推動經貿、金融、科技、人文等領域合作取得新進展。",
    "亞洲相互協作與信任措施會議第六次峰會在阿斯塔納舉行。",
    "俄羅斯總統普京、印度總理莫迪、巴西總統博索納羅、南非總統拉馬福薩出席。",
]


def _decoded_or_refused(data: bytes, expected: str) -> None:
    """Either the exact text, or an EncodingError that tells the user to name --encoding."""
    try:
        got = decode(data, "article.txt")
    except EncodingError as exc:
        assert "--encoding" in str(exc)
        assert "article.txt" in str(exc)
    else:
        assert got == expected, f"mojibake: {got!r} for {expected!r}"


@pytest.mark.parametrize("text", SIMPLIFIED, ids=[f"simplified-{i}" for i in range(len(SIMPLIFIED))])
def test_read_decode_utf8(text):
    assert decode(text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("text", SIMPLIFIED[:3], ids=["dateline", "speech", "documents"])
def test_read_decode_utf8_bom_is_dropped(text):
    got = decode(codecs.BOM_UTF8 + text.encode("utf-8"), "a.txt")
    assert got == text
    assert not got.startswith("\ufeff")


@pytest.mark.parametrize("text", SIMPLIFIED + ["".join(SIMPLIFIED)],
                         ids=[f"sentence-{i}" for i in range(len(SIMPLIFIED))] + ["whole-report"])
def test_read_decode_gb18030_decoded_or_refused(text):
    _decoded_or_refused(text.encode("gb18030"), text)


def test_read_decode_gb18030_report_is_decoded():
    """A report of several sentences in GB18030 is recognised, not refused."""
    text = "".join(SIMPLIFIED)
    assert decode(text.encode("gb18030"), "a.txt") == text


@pytest.mark.parametrize("text", TRADITIONAL + ["".join(TRADITIONAL)],
                         ids=[f"sentence-{i}" for i in range(len(TRADITIONAL))] + ["whole-report"])
def test_read_decode_big5_decoded_or_refused(text):
    _decoded_or_refused(text.encode("big5"), text)


def test_read_decode_big5_report_is_decoded():
    text = "".join(TRADITIONAL)
    assert decode(text.encode("big5"), "a.txt") == text


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
@pytest.mark.parametrize("length", [1, 2, 3, 4, 6, 10])
def test_read_decode_short_legacy_text_never_mojibake(encoding, length):
    """Short legacy byte strings may also be valid UTF-8 (员 in GB18030 reads as Ա): every
    fragment of every sentence is decoded right or refused, never returned garbled."""
    pool = "".join(SIMPLIFIED if encoding == "gb18030" else TRADITIONAL)
    for start in range(0, len(pool) - length):
        fragment = pool[start:start + length]
        try:
            data = fragment.encode(encoding)
        except UnicodeEncodeError:
            continue
        _decoded_or_refused(data, fragment)


@pytest.mark.parametrize("fragment,encoding", [("员", "gb18030"), ("十", "gb18030"), ("愿同", "gb18030"),
                                               ("糧", "big5"), ("於維", "gb18030")],
                         ids=["yuan-armenian", "shi-greek", "yuantong", "liang-superscript", "yuwei-hangul"])
def test_read_decode_accidental_utf8_is_refused(fragment, encoding):
    data = fragment.encode(encoding)
    data.decode("utf-8")  # the trap: these bytes are valid UTF-8 too
    with pytest.raises(EncodingError, match="--encoding"):
        decode(data, "short.txt")


def test_read_decode_named_encoding_is_used():
    text = TRADITIONAL[0]
    assert decode(text.encode("big5"), "a.txt", "big5") == text
    assert decode(SIMPLIFIED[0].encode("gb18030"), "a.txt", "gb18030") == SIMPLIFIED[0]


def test_read_decode_named_encoding_that_does_not_fit_is_an_encoding_error():
    with pytest.raises(EncodingError, match="not valid utf-8"):
        decode(SIMPLIFIED[1].encode("gb18030"), "a.txt", "utf-8")


def test_read_decode_unknown_encoding_is_an_input_error():
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", "a.txt", "no-such-codec")


def test_read_decode_ascii_and_latin_utf8():
    assert decode(b"G20 summit", "a.txt") == "G20 summit"
    # UTF-8 with an ideograph is always taken as UTF-8
    assert decode("峰会 Café".encode(), "a.txt") == "峰会 Café"


# -- files ----------------------------------------------------------------------------------
def test_read_article_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty article"):
        read_article(path)


def test_read_article_blank_file_is_refused(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\u3000\u3000\n\r\n  ", encoding="utf-8")
    with pytest.raises(InputError, match="empty article"):
        read_article(path)


def test_read_article_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path / "missing.txt")


def test_read_article_gb18030_file_with_meta(tmp_path):
    path = tmp_path / "sco2018_qingdao.txt"
    path.write_bytes(SIMPLIFIED[0].encode("gb18030"))
    meta = {"id": "qingdao", "published": "2018-06-11", "source": "新华社"}
    (tmp_path / "sco2018_qingdao.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    raw = read_article(path)
    assert raw.text == SIMPLIFIED[0]
    assert raw.id == "qingdao"
    assert raw.meta["source"] == "新华社"


def test_read_article_id_defaults_to_file_stem(tmp_path):
    path = tmp_path / "brics2022_video.txt"
    path.write_text(SIMPLIFIED[4], encoding="utf-8")
    raw = read_article(path)
    assert raw.id == "brics2022_video"
    assert raw.meta == {}


def test_read_article_undecidable_file_names_encoding_option(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("员".encode("gb18030"))
    with pytest.raises(EncodingError, match="--encoding"):
        read_article(path)


@pytest.mark.parametrize("content,message", [
    ('{"published": "2018/06/11"}', "YYYY-MM-DD"),
    ('{"published": 20180611}', "YYYY-MM-DD"),
    ('["not", "an", "object"]', "JSON object"),
    ("{broken", "not valid UTF-8 JSON"),
], ids=["slashed-date", "number-date", "list", "broken-json"])
def test_read_meta_bad_sidecar_is_refused(tmp_path, content, message):
    path = tmp_path / "a.txt"
    path.write_text(SIMPLIFIED[0], encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_meta(path)


def test_read_discover_directory_sorted_and_deduplicated(tmp_path):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(SIMPLIFIED[0], encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{}", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "a.txt"])
    assert [p.name for p in found] == ["a.txt", "b.txt"]


def test_read_discover_errors(tmp_path):
    with pytest.raises(InputError, match="holds no articles"):
        discover([tmp_path])
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "nothing.txt"])
