"""tools/synth_corpus.py, the benchmark's corpus generator: deterministic for a seed, and its
reports are read as reports (a meeting with attendees) by the pipeline. Only a handful of
articles are made here; the benchmark itself (tools/bench_build.py) is never a test."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg.pipeline.builder import Pipeline
from kg.pipeline.read import RawArticle, discover, read_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synth():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("synth_corpus", ROOT / "tools" / "synth_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(synth, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    synth.generate(tmp_path / "a", 6, seed=7)
    synth.generate(tmp_path / "b", 6, seed=7)
    synth.generate(tmp_path / "c", 6, seed=8)
    synth.generate(tmp_path / "d", 3, seed=7)
    a = _files(tmp_path / "a")
    assert len(a) == 12 and "synth000001.txt" in a and "synth000006.meta.json" in a
    assert a == _files(tmp_path / "b")
    assert a != _files(tmp_path / "c")
    assert _files(tmp_path / "d") == {k: v for k, v in a.items() if k <= "synth000003.txt"}  # a prefix


def test_articles_are_readable_reports(synth, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    synth.generate(tmp_path, 20, seed=3)
    paths = discover([tmp_path])
    assert len(paths) == 20
    lengths = []
    for path in paths:
        raw = read_article(path)
        assert raw.id == path.stem and raw.meta["published"]
        lengths.append(len(raw.text))
        assert "第" in raw.text or "首届" in raw.text or "会议" in raw.text
    assert min(lengths) >= 350 and max(lengths) <= 2700


@pytest.mark.parametrize("index", [2, 4, 5], ids=["article-2", "article-4", "article-5"])
def test_generated_article_builds_a_summit_with_attendees(synth, pipeline: Pipeline, index: int) -> None:  # type: ignore[no-untyped-def]
    text, published = synth.Generator(0).article(index)
    doc = pipeline.document(RawArticle(f"synth{index:06d}", Path(f"synth{index:06d}.txt"), text,
                                       {"published": published}))
    summits = {str(f.object) for f in doc.facts if f.predicate == "about"}
    assert summits and all(s.startswith("summit:") for s in summits)
    attendees = {str(f.object) for f in doc.facts if f.predicate == "attendee" and str(f.subject) in summits}
    assert len(attendees) >= 3
    assert any(a.startswith("state:") for a in attendees) and any(a.startswith("person:") for a in attendees)


def test_zh_number(synth) -> None:  # type: ignore[no-untyped-def]
    assert [synth.zh_number(n) for n in (1, 10, 12, 20, 25, 99)] == ["一", "十", "十二", "二十", "二十五", "九十九"]
