"""Untrusted input (issue 8): meta files checked by type and bounded, articles bounded by
--max-chars, one bad article never stops a corpus (in one process and in a --jobs pool), user
conditions are one-line errors (exit 2), interrupted writes leave nothing behind, and kg eval
counts a failed article's gold items as missed.

Every article here is written for the test, or copied from tests/data (never data/articles).
Permission errors are simulated (the tests may run as root, where chmod does not bite)."""
from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg.atomic
import kg.pipeline.read as read
from kg.atomic import TEMP_SUFFIX, remove_stale
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.pipeline.read import MAX_META_BYTES, MAX_META_DEPTH, MAX_META_DIGITS, discover, read_article, read_meta
from kg.query import resolve_query

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
GOOD = ("sco2022_samarkand_daily", "sco2022_samarkand_xinhua")
EVAL = ROOT / "tests" / "data" / "eval"
GRAPH = "https://w3id.org/summit-kg/graph/article/"
# A sentence written for these tests.
TEXT = "新华社撒马尔罕9月16日电 上海合作组织成员国元首理事会第二十二次会议16日在撒马尔罕举行。\n"


def _article(folder: Path, name: str, meta: str | bytes | None = None, text: str = TEXT) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    if meta is not None:
        target = folder / f"{name}.meta.json"
        target.write_bytes(meta if isinstance(meta, bytes) else meta.encode("utf-8"))
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    return lines[0]


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


# ------------------------------------------------------------------------------ meta files

def _nested(levels: int) -> str:
    return '{"x": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


BAD_META = {
    "language-underscore": ('{"language": "zh_CN"}', "write 'zh-CN'"),
    "language-subtag-9-letters": ('{"language": "zh-abcdefghi"}', "not a BCP 47 tag"),
    "language-unregistered": ('{"language": "123"}', "not a valid BCP 47 tag"),
    "language-not-text": ('{"language": 7}', "'language' must be a string"),
    "title-a-list": ('{"title": ["a"]}', "'title' must be a string"),
    "id-an-object": ('{"id": {"a": 1}}', "'id' must be a string"),
    "published-far-future": ('{"published": "9999-12-31"}', "outside 1900-01-01..2100-12-31"),
    "published-before-1900": ('{"published": "1899-12-31"}', "outside 1900-01-01..2100-12-31"),
    "published-compact": ('{"published": "20180611"}', "YYYY-MM-DD"),
    "published-fullwidth-digits": ('{"published": "２０１８-06-11"}', "YYYY-MM-DD"),
    "published-no-such-day": ('{"published": "2018-02-30"}', "YYYY-MM-DD"),
    "nested-too-deep": (_nested(MAX_META_DEPTH + 1), f"more than {MAX_META_DEPTH}"),
    "nested-1000-deep": (_nested(1000), "nested 1000 levels deep"),
    "huge-integer": ('{"x": ' + "9" * 5000 + "}", "5,000 digits"),
    "integer-one-digit-too-long": ('{"x": -' + "1" * (MAX_META_DIGITS + 1) + "}", f"more than {MAX_META_DIGITS}"),
    "too-large": ('{"note": "' + "x" * MAX_META_BYTES + '"}', "larger than 64 KiB"),
    "nan": ('{"x": NaN}', "NaN is not a JSON value"),
    "not-utf8": (b'{"title": "\xff"}', "not valid UTF-8"),
}


@pytest.mark.parametrize("case", list(BAD_META), ids=list(BAD_META))
def test_bad_meta_is_that_articles_one_line_error(tmp_path: Path, case: str) -> None:
    content, message = BAD_META[case]
    path = _article(tmp_path, "a", content)
    with pytest.raises(InputError, match=None) as caught:
        read_meta(path)
    text = str(caught.value)
    assert message in text and "a.meta.json" in text and "\n" not in text and len(text) < 400


GOOD_META = {
    "zh-Hans": '{"language": "zh-Hans"}',
    "zh-Hant-HK": '{"language": "zh-Hant-HK"}',
    "lower-case-tag": '{"language": "zh-hant"}',
    "en": '{"language": "en"}',
    "nulls": '{"title": null, "published": null, "language": null}',
    "first-day": '{"published": "1900-01-01"}',
    "last-day": '{"published": "2100-12-31"}',
    "deepest-allowed": _nested(MAX_META_DEPTH),
    "brackets-in-strings": '{"note": "[[[[[[[[{{{{{{{{\\"[["}',
    "longest-integer": '{"x": ' + "9" * MAX_META_DIGITS + "}",
}


@pytest.mark.parametrize("case", list(GOOD_META), ids=list(GOOD_META))
def test_good_meta_is_read(tmp_path: Path, case: str) -> None:
    path = _article(tmp_path, "a", GOOD_META[case])
    assert read_meta(path) == json.loads(GOOD_META[case])


# ------------------------------------------------------------------------------ --max-chars

def test_an_article_too_long_in_bytes_is_refused_before_it_is_decoded(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"x" * 45)  # more than 4 bytes for each of 10 characters
    monkeypatch.setattr(read, "decode", lambda *a, **k: pytest.fail("decoded"))
    with pytest.raises(InputError, match=r"45 bytes, more than the limit of 10 characters can take \(--max-chars\)"):
        read_article(path, max_chars=10)


@pytest.mark.parametrize(("text", "fits"), [("x" * 11, False), ("峰" * 10, True), ("峰" * 11, False)],
                         ids=["ascii-11", "han-10", "han-11"])
def test_an_article_is_counted_in_characters(tmp_path: Path, text: str, fits: bool) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    if fits:
        assert read_article(path, max_chars=10).text == text
    else:
        with pytest.raises(InputError, match=r"11 characters, more than the limit of 10 \(--max-chars\)"):
            read_article(path, max_chars=10)


def test_an_article_whose_literal_a_store_cannot_read_is_refused(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Control characters are written \\uXXXX: six bytes each in the nif:isString literal."""
    monkeypatch.setattr(read, "MAX_LITERAL_BYTES", 600)
    path = tmp_path / "controls.txt"
    path.write_text("峰会" + "\x01" * 120, encoding="utf-8")
    with pytest.raises(InputError, match="as an RDF literal, more than the limit of 600"):
        read_article(path)
    path.write_text("峰会" + "x" * 120, encoding="utf-8")
    assert read_article(path).text.startswith("峰会")


def test_max_chars_in_build_and_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / f"{name}.txt", articles)
        shutil.copy(CORPUS / f"{name}.meta.json", articles)
    _article(articles, "long", None, TEXT * 10)  # 470 characters
    out = tmp_path / "out.nq"
    assert main(["build", str(articles), "-o", str(out), "-q", "--max-chars", "400"]) == 1
    err = capsys.readouterr().err
    assert _one_line(err).endswith("470 characters, more than the limit of 400 (--max-chars)") and "long.txt" in err
    assert "/long>" not in out.read_text(encoding="utf-8")
    assert main(["build", str(articles), "-o", str(out), "--max-chars", "0"]) == 2
    assert "--max-chars must be at least 1" in _one_line(capsys.readouterr().err)
    eval_dir = tmp_path / "eval"
    shutil.copytree(EVAL / "articles", eval_dir)
    report = tmp_path / "e.json"
    assert main(["eval", str(eval_dir), "--gold", str(EVAL / "gold"), "-q", "--json", str(report),
                 "--max-chars", "50"]) == 1
    article = json.loads(report.read_text(encoding="utf-8"))["articles"][0]
    assert article["failed"] and article["errors"][0].endswith("(--max-chars)")


# ------------------------------------------------------------------------------ one bad article

def _inject(set_attribute) -> None:  # type: ignore[no-untyped-def]
    """Faults for the tests: an article named boom* raises ZeroDivisionError (not a KGError)
    while it is extracted; opening a file named unreadable* is a permission error."""
    import pathlib

    import kg.model

    doc_init = kg.model.Doc.__init__

    def init(self, article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if article.id.startswith("boom"):
            raise ZeroDivisionError("injected fault")
        doc_init(self, article, *args, **kwargs)

    path_open = pathlib.Path.open

    def open_(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name.startswith("unreadable"):
            raise PermissionError(13, "Permission denied", str(self))
        return path_open(self, *args, **kwargs)

    set_attribute(kg.model.Doc, "__init__", init)
    set_attribute(pathlib.Path, "open", open_)


def _sitecustomize(folder: Path) -> dict[str, str]:
    """An environment whose Python processes (the command, its pool workers) run :func:`_inject`."""
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(inspect.getsource(_inject) + "\n_inject(setattr)\n", encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


#: One broken article of each kind: its name, meta file (or None) and text.
BROKEN = {
    "lang_underscore": ('{"language": "zh_CN"}', TEXT),
    "lang_long_subtag": ('{"language": "zh-Hans-abcdefghi"}', TEXT),
    "published_9999": ('{"published": "9999-12-31"}', "新华社北京12月31日电 上海合作组织峰会明天在北京举行。\n"),
    "deep_meta": (_nested(200), TEXT),
    "huge_integer": ('{"x": ' + "7" * 5000 + "}", TEXT),
    "large_meta": ('{"note": "' + "x" * (MAX_META_BYTES + 10) + '"}', TEXT),
    "meta_not_json": ("{broken", TEXT),
    "too_long": (None, TEXT * 50),  # 2,350 characters: more than --max-chars 2000
    "empty": (None, " \n"),
    "boom": (None, TEXT),
    "unreadable": (None, TEXT),
}
#: Articles that look odd but are good input: built.
ODD_BUT_GOOD = {
    "dateline_9999": (None, "新华社北京9999年12月31日电 上海合作组织成员国元首理事会会议明天在北京举行。\n"),
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / f"{name}.txt", folder)
        shutil.copy(CORPUS / f"{name}.meta.json", folder)
    for name, (meta, text) in {**BROKEN, **ODD_BUT_GOOD}.items():
        _article(folder, name, meta, text)
    (folder / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 4)
    return folder


def _check_corpus_build(code: int, err: str, out: Path) -> None:
    import pyoxigraph as ox

    assert code == 1, err
    errors = [re.match(r"kg: error: (\S+?)\.txt: ", line) for line in err.splitlines()
              if line.startswith("kg: error: ")]
    broken = sorted([*BROKEN, "undecodable"])
    assert sorted(Path(found.group(1)).name for found in errors if found) == broken, err
    assert len(errors) == len(broken)
    assert "internal error: ZeroDivisionError: injected fault" in err
    assert "Traceback" not in err
    assert err.rstrip().endswith(f"; {len(broken)} failed")
    graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)
              if isinstance(q.graph_name, ox.NamedNode)}
    built = {g[len(GRAPH):] for g in graphs if g.startswith(GRAPH) and not g.endswith("/inferred")}
    assert built == {*GOOD, *ODD_BUT_GOOD}


def test_a_corpus_with_one_broken_article_of_each_kind_builds_the_good_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """In this process (--jobs 1); a stale temporary file of the output's name from a killed run goes."""
    folder = _corpus(tmp_path / "articles")
    _inject(monkeypatch.setattr)
    out = tmp_path / "out.nq"
    stale = tmp_path / f".out.nq.{_dead_pid()}.0123abcd{TEMP_SUFFIX}"
    stale.write_bytes(b"<a> <b> <c> .\n")
    os.utime(stale, (time.time() - 60, time.time() - 60))
    code = main(["build", str(folder), "-o", str(out), "--jobs", "1", "--max-chars", "2000"])
    _check_corpus_build(code, capsys.readouterr().err, out)
    assert _temp_files(tmp_path) == []


def test_a_corpus_with_one_broken_article_of_each_kind_builds_the_good_ones_in_a_pool(tmp_path: Path) -> None:
    from kg.parallel import POOL_MINIMUM

    folder = _corpus(tmp_path / "articles")
    assert len(list(folder.glob("*.txt"))) >= POOL_MINIMUM  # the pool really starts
    out = tmp_path / "out.nq"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(folder), "-o", str(out), "--jobs", "2",
                           "--max-chars", "2000"], capture_output=True, text=True, timeout=300,
                          env=_sitecustomize(tmp_path / "site"))
    _check_corpus_build(proc.returncode, proc.stderr, out)


def test_an_internal_error_of_one_article_shows_its_traceback_with_kg_debug(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _inject(monkeypatch.setattr)
    monkeypatch.setenv("KG_DEBUG", "1")
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    boom = tmp_path / "boom.txt"
    boom.write_text(TEXT, encoding="utf-8")
    assert main(["build", str(good), str(boom), "-o", str(tmp_path / "out.trig"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "boom.txt: internal error: ZeroDivisionError: injected fault" in err
    assert "Traceback (most recent call last)" in err and "raise ZeroDivisionError" in err
    assert "/good>" in (tmp_path / "out.trig").read_text(encoding="utf-8")


def test_an_article_that_cannot_be_rendered_is_that_articles_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.serialize import Renderer

    render = Renderer.__call__

    def fragile(self, quads):  # type: ignore[no-untyped-def]
        quads = list(quads)
        if any("/boomrender" in q[3] for q in quads):
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "injected")
        return render(self, quads)

    monkeypatch.setattr(Renderer, "__call__", fragile)
    for name in ("good", "boomrender"):
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.nq"
    assert main(["build", str(tmp_path / "good.txt"), str(tmp_path / "boomrender.txt"), "-o", str(out), "-q"]) == 1
    assert "boomrender.txt: internal error: UnicodeEncodeError" in _one_line(capsys.readouterr().err)
    text = out.read_text(encoding="utf-8")
    assert "/good>" in text and "/boomrender" not in text


# ------------------------------------------------------------------------------ kg eval

def test_eval_counts_the_gold_items_of_a_failed_article_as_missed(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from kg.eval import GOLD_KEYS, read_gold

    articles = tmp_path / "articles"
    shutil.copytree(EVAL / "articles", articles)
    meta = articles / "invented_sco30.meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text(encoding="utf-8")), "language": "zh_CN"}),
                    encoding="utf-8")
    report = tmp_path / "e.json"
    assert main(["eval", str(articles), "--gold", str(EVAL / "gold"), "-q", "--json", str(report)]) == 1
    out = capsys.readouterr().out
    assert "micro P 0.000 R 0.000 F1 0.000" in out.splitlines()[-1]
    scores = json.loads(report.read_text(encoding="utf-8"))
    article = scores["articles"][0]
    assert article["failed"] and "write 'zh-CN'" in article["errors"][0]
    gold = read_gold(EVAL / "gold" / "invented_sco30.json")
    needed = sum(1 for category in GOLD_KEYS for item in gold.get(category) or []
                 if not (isinstance(item, dict) and item.get("optional")))
    assert scores["summary"]["micro"]["fn"] == needed and scores["summary"]["micro"]["tp"] == 0


def test_eval_isolates_an_internal_error(pipeline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.eval import Evaluator, find_pairs

    _inject(monkeypatch.setattr)
    articles = tmp_path / "articles"
    shutil.copytree(EVAL / "articles", articles)
    shutil.copy(articles / "invented_sco30.txt", articles / "boom.txt")
    gold = tmp_path / "gold"
    shutil.copytree(EVAL / "gold", gold)
    shutil.copy(gold / "invented_sco30.json", gold / "boom.json")
    report = Evaluator(pipeline).evaluate(find_pairs(articles, gold)[0])
    failed, good = report.articles  # boom.json sorts first
    assert failed.failed and "internal error: ZeroDivisionError" in failed.errors[0] and failed.traceback
    assert not good.failed and good.micro().tp > 0
    assert failed.micro().fn == good.micro().tp + good.micro().fn  # every item of the same gold missed


# ------------------------------------------------------------------------------ user conditions: exit 2

def test_an_untraversable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    _article(folder, "a")
    scandir = os.scandir

    def locked(path):  # type: ignore[no-untyped-def]
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", locked)
    with pytest.raises(InputError, match="locked: cannot read"):
        discover([folder])
    assert main(["build", str(folder), "-q"]) == 2
    assert "Permission denied" in _one_line(capsys.readouterr().err)


def test_a_path_under_an_untraversable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    inner = tmp_path / "locked" / "a.txt"
    is_dir = Path.is_dir

    def stat_refused(self):  # type: ignore[no-untyped-def]
        if self == inner:
            raise PermissionError(13, "Permission denied", str(self))
        return is_dir(self)

    monkeypatch.setattr(Path, "is_dir", stat_refused)
    assert main(["build", str(inner), "-q"]) == 2
    assert "a.txt: cannot read (Permission denied)" in _one_line(capsys.readouterr().err)


def _refuse_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder where nothing can be created (read-only), as far as the output goes."""
    real_open = os.open

    def refused(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(TEMP_SUFFIX):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(kg.atomic.os, "open", refused)


def test_a_read_only_output_folder_fails_before_any_extraction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import kg.corpus

    _refuse_temp_files(monkeypatch)
    monkeypatch.setattr(kg.corpus.Extractor, "__call__", lambda self, task: pytest.fail("extracted"))
    article = _article(tmp_path, "a")
    assert main(["build", str(article), "-o", str(tmp_path / "out" / "g.trig"), "-q"]) == 2
    assert "g.trig: cannot write (Permission denied)" in _one_line(capsys.readouterr().err)


def test_eval_json_where_it_cannot_be_written_fails_before_the_evaluation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kg.eval

    monkeypatch.setattr(kg.eval.Evaluator, "__init__", lambda *a, **k: pytest.fail("evaluated"))
    (tmp_path / "file").write_text("", encoding="utf-8")
    args = ["eval", str(EVAL / "articles"), "--gold", str(EVAL / "gold"), "-q"]
    assert main([*args, "--json", str(tmp_path / "file" / "e.json")]) == 2  # its folder would be a file
    assert "e.json: cannot write" in _one_line(capsys.readouterr().err)
    _refuse_temp_files(monkeypatch)
    assert main([*args, "--json", str(tmp_path / "missing" / "e.json")]) == 2
    assert "e.json: cannot write (Permission denied)" in _one_line(capsys.readouterr().err)


def test_eval_json_into_a_missing_folder_makes_it(tmp_path: Path, pipeline, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import kg.pipeline.builder

    monkeypatch.setattr(kg.pipeline.builder, "Pipeline", lambda *a, **k: pipeline)  # the session's, set up once
    report = tmp_path / "missing" / "deeper" / "e.json"
    assert main(["eval", str(EVAL / "articles"), "--gold", str(EVAL / "gold"), "-q", "--json", str(report)]) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["schema"] == "summit-kg-eval/1"


@pytest.mark.parametrize("content", [b"SELECT * WHERE { ?s ?p ?o } # \xff\n", b"\xfe\xff\x00S"],
                         ids=["latin1-byte", "utf16-bom"])
def test_a_query_file_that_is_not_utf8_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   content: bytes) -> None:
    rq = tmp_path / "q.rq"
    rq.write_bytes(content)
    with pytest.raises(QueryError, match="not"):
        resolve_query(str(rq))
    assert main(["query", str(tmp_path / "g.ttl"), str(rq)]) == 2
    assert "q.rq: a query file is UTF-8 text, and this is not" in _one_line(capsys.readouterr().err)


def test_query_text_too_long_to_be_a_file_name_is_not_looked_up_as_one() -> None:
    with pytest.raises(QueryError, match="unknown bundled query"):
        resolve_query("峰" * 100)  # 300 bytes: too long for a file name


# ------------------------------------------------------------------------------ interrupted writes

def _interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise KeyboardInterrupt


@pytest.mark.parametrize("writer", ["build", "viz", "eval"])
def test_an_interrupted_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    writer: str) -> None:
    import kg.corpus
    import kg.eval
    import kg.viz.data

    out = tmp_path / {"build": "g.trig", "viz": "page.html", "eval": "e.json"}[writer]
    out.write_text("previous\n", encoding="utf-8")
    created = []
    atomic_output = kg.atomic.atomic_output

    def watched(output):  # type: ignore[no-untyped-def]
        created.append(output)
        return atomic_output(output)

    monkeypatch.setattr(kg.atomic, "atomic_output", watched)
    if writer == "build":
        monkeypatch.setattr(kg.corpus, "build_corpus", _interrupt)
        args = ["build", str(_article(tmp_path, "a")), "-o", str(out)]
    elif writer == "viz":
        graph = tmp_path / "g.nt"
        graph.write_text('<https://example.org/a> <https://example.org/b> "c" .\n', encoding="utf-8")
        monkeypatch.setattr(kg.viz.data, "load", _interrupt)
        args = ["viz", str(graph), "-o", str(out)]
    else:
        monkeypatch.setattr(kg.eval.Evaluator, "__init__", _interrupt)
        args = ["eval", str(EVAL / "articles"), "--gold", str(EVAL / "gold"), "--json", str(out)]
    assert main([*args, "-q"]) == 130
    assert created == [str(out)]  # the temporary file was made before the interruption
    assert _temp_files(tmp_path) == []
    assert out.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_during_a_build_removes_the_temporary_file(tmp_path: Path, signum: int) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / f"{name}.txt", folder)
    out = tmp_path / "out" / "g.trig"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(folder), "-o", str(out), "-q"],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out.parent.exists() and _temp_files(out.parent)):
        assert proc.poll() is None and time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.01)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    # 130, or (under load, now and then) the interpreter ending itself by SIGINT after the command
    # returned 130, which a shell reports as the same status 130 (128 + SIGINT)
    assert proc.returncode in (130, -signal.SIGINT) and err.strip() == "kg: interrupted", (proc.returncode, err)
    assert list(out.parent.iterdir()) == []


def _dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_of_the_output_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "corpus.trig"
    now = time.time()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        files = {
            f".corpus.trig.{_dead_pid()}.89abcdef{TEMP_SUFFIX}": True,  # a killed run's: removed
            f".corpus.trig.{os.getpid()}.00000000{TEMP_SUFFIX}": True,  # an earlier run under this pid
            f".corpus.trig.{alive.pid}.12345678{TEMP_SUFFIX}": False,  # a run still going
            f".other.trig.{_dead_pid()}.89abcdef{TEMP_SUFFIX}": False,  # another output's
            ".corpus.trig.backup12": False,  # the user's own file
            f"corpus.trig.{_dead_pid()}.89abcdef{TEMP_SUFFIX}": False,  # not hidden: not our name
        }
        for name in files:
            (tmp_path / name).write_text("x", encoding="utf-8")
            os.utime(tmp_path / name, (now - 60, now - 60))
        fresh = tmp_path / f".corpus.trig.{_dead_pid()}.fedcba98{TEMP_SUFFIX}"
        fresh.write_text("x", encoding="utf-8")  # written after the run started: left alone
        os.utime(fresh, (now + 5, now + 5))
        removed = remove_stale(out, now)
    finally:
        alive.kill()
        alive.wait()
    assert sorted(p.name for p in removed) == sorted(name for name, stale in files.items() if stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name] + [n for n, s in files.items() if not s])


def test_a_utf16_bom_with_a_broken_surrogate_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "broken.txt"
    article.write_bytes(b"\xff\xfe" + "会议".encode("utf-16-le") + b"\x00\xdc\x41\x00")  # a lone low surrogate
    assert main(["build", str(article), "-o", str(tmp_path / "out.nq"), "-q"]) == 2  # its only article
    err = capsys.readouterr().err
    assert "not valid UTF-16" in err and "internal error" not in err


def test_a_meta_escape_of_a_lone_surrogate_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("上海合作组织成员国元首理事会会议在北京举行。", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"title": "x\\ud800y"}', encoding="utf-8")
    assert main(["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out.nq"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "lone surrogate (U+D800)" in err and "internal error" not in err
