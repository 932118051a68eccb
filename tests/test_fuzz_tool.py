"""tools/fuzz.py and the generators it shares with the property tests (tests/strategies.py): one
seed gives one case, every kind is made, delta debugging keeps the failure while it cuts, a hang
kills its worker and the next article gets a new one, and a short run prints its summary line."""
from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from pipeline_check import Failure
from strategies import KINDS, Case, Sources, random_case

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Sources.load()


def _load_fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz_tool", ROOT / "tools" / "fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@pytest.mark.parametrize("kind", KINDS)
def test_one_seed_gives_one_case_of_the_kind(kind: str) -> None:
    first = random_case(SOURCES, random.Random(f"7:{kind}"), kind)
    assert first == random_case(SOURCES, random.Random(f"7:{kind}"), kind)
    assert first.kind == kind
    others = {random_case(SOURCES, random.Random(f"{seed}:{kind}"), kind).digest for seed in range(8)}
    assert len(others) > 1


def test_ddmin_cuts_down_to_what_fails() -> None:
    units = list(range(200))
    assert fuzz.ddmin(units, lambda kept: 37 in kept and 150 in kept, time.monotonic() + 30) == [37, 150]


def test_reduce_case_keeps_the_same_failure(tmp_path: Path) -> None:
    """A made-up defect: 明天 in the text with a meta 'published' of 9999-12-31 crashes; the
    reducer keeps those two and drops the rest, and never keeps a cut that fails otherwise."""
    def check(case: Case) -> Failure | None:
        text = case.text.decode("utf-8", "replace")
        try:
            meta = json.loads(case.meta) if case.meta else {}
        except ValueError:  # the reducer cut the meta file into something that is not JSON
            meta = {}
        if "明天" in text and meta.get("published") == "9999-12-31":
            return Failure("crash", "OverflowError in kg/pipeline/dates.py:resolve", "date value out of range")
        if "明" in text:
            return Failure("crash", "ValueError in kg/other.py:f", "another failure")
        return None

    text = "新华社北京电。\n会议明天在北京举行。\n各方表示满意。\n".encode()
    meta = json.dumps({"id": "x", "published": "9999-12-31", "title": "标题"}).encode()
    signature = "crash: OverflowError in kg/pipeline/dates.py:resolve"
    small = fuzz.reduce_case(Case("dates", text, meta), signature, check, 30)
    assert small.text.decode() == "明天"
    assert json.loads(small.meta or b"") == {"published": "9999-12-31"}


def _worker(conn: Connection, folder: str, memory_mb: int) -> None:
    """A stand-in worker: answers at once, except to the text b'hang'."""
    conn.send("ready")
    while True:
        job = conn.recv()
        if job is None:
            return
        if job.case.text == b"hang":
            time.sleep(60)
        conn.send((job.ident, "built", None, 0.0, False))


def test_a_hang_kills_its_worker_and_the_next_article_gets_a_new_one(tmp_path: Path) -> None:
    pool = fuzz.Pool(1, 1.0, tmp_path, 0, target=_worker)
    jobs = [fuzz.Job(i, Case("unicode", text)) for i, text in enumerate([b"a", b"hang", b"b"])]
    results: dict[int, object] = {}
    try:
        pool.run(lambda: jobs.pop(0) if jobs else None, lambda job, result: results.__setitem__(job.ident, result))
    finally:
        pool.close()
    assert [results[i].status for i in range(3)] == ["built", "failed", "built"]  # type: ignore[attr-defined]
    assert results[1].failure.kind == "hang"  # type: ignore[attr-defined]
    assert pool.started == 2


def test_a_short_run_prints_its_summary(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "fuzz.py"), "--count", "2", "--jobs", "1", "--seed",
                           "3", "--no-save", "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("fuzz: 2 articles in "), done.stdout
    assert "crashes" in done.stdout and "hangs" in done.stdout and "invalid outputs" in done.stdout
