"""Corpus builds by a pool of processes and by a Dask LocalCluster give the bytes of a build in one
process, in every format; an update with a pool is a full build's bytes too.

The eight invented reports of tests/data/open_world are the corpus (more than POOL_MINIMUM, so
the pool really starts)."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.parallel import POOL_MINIMUM

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "open_world"


def _build(tmp_path: Path, name: str, *args: str) -> bytes:
    out = tmp_path / name
    assert main(["build", str(REPORTS), "-o", str(out), "-q", *args]) == 0
    return out.read_bytes()


def test_the_corpus_is_big_enough_for_a_pool() -> None:
    assert len(list(REPORTS.glob("*.txt"))) >= POOL_MINIMUM


@pytest.mark.parametrize("ext", [".nq", ".ttl", ".jsonld.gz"], ids=["nquads", "turtle", "jsonld-gzip"])
def test_jobs_2_gives_the_bytes_of_jobs_1(tmp_path: Path, ext: str) -> None:
    one = _build(tmp_path, f"one{ext}", "--jobs", "1")
    two = _build(tmp_path, f"two{ext}", "--jobs", "2")
    assert one == two
    if ext.endswith(".gz"):
        assert gzip.decompress(one).startswith(b"{\"@context\": {")  # compact JSON-LD, the context inline


def test_dask_local_cluster_gives_the_bytes_of_jobs_1(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    parts = tmp_path / "parts"
    one = _build(tmp_path, "one.trig", "--jobs", "1")
    dask = _build(tmp_path, "dask.trig", "--dask", "local", "--jobs", "2", "--parts", str(parts))
    assert one == dask
    assert sorted(p.name for p in parts.iterdir())[0] == "part-000000.nq"  # kept for loading into a store


def test_update_with_a_pool_gives_the_bytes_of_a_full_build(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    out = tmp_path / "corpus.nq"
    assert main(["build", str(reports), "-o", str(out), "-q", "--jobs", "2"]) == 0
    first = sorted(reports.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n会议期间，各方还举行了双边会见。\n", encoding="utf-8")
    assert main(["build", str(reports), "-o", str(out), "-q", "--update", "--jobs", "2"]) == 0
    full = tmp_path / "full.nq"
    assert main(["build", str(reports), "-o", str(full), "-q", "--jobs", "1"]) == 0
    assert out.read_bytes() == full.read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--parts", "somewhere"], "--parts is the shared folder of a --dask build"),
], ids=["no-jobs", "parts-without-dask"])
def test_bad_options_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                  message: str) -> None:
    assert main(["build", str(REPORTS), "-o", str(tmp_path / "x.nq"), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "x.nq").exists()


def _bytes(payload: object) -> object:
    """A payload as bytes: a spooled one is read while its chunk file is still there."""
    from kg.serialize import Spooled

    if isinstance(payload, Spooled):
        with open(payload.path, "rb") as handle:
            handle.seek(payload.offset)
            return handle.read(payload.length)
    return payload


class KillOn:
    """A render that kills its worker process when the article holds ``marker`` (a crash in native
    code, or the kernel's out-of-memory killer, as the pool sees it)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, quads: list) -> bytes:  # type: ignore[type-arg]
        import os
        import signal

        if any(self.marker in str(term) for quad in quads for term in quad):
            os.kill(os.getpid(), signal.SIGKILL)
        return repr(sorted(quads)).encode("utf-8")


def test_a_worker_that_dies_fails_its_article_only(tmp_path: Path) -> None:
    from kg.corpus import Extractor, Task
    from kg.parallel import PoolExecutor, SerialExecutor, WorkerDied
    from kg.resources import Resources

    reports = sorted(REPORTS.glob("*.txt"))
    deadly = tmp_path / "deadly.txt"
    deadly.write_text("东海国家联盟领导人第五次会晤12日在冰城举行。与会领导人讨论了毒丸议题。\n", encoding="utf-8")
    paths = reports[:3] + [deadly] + reports[3:]
    tasks = [Task(p, "utf-8", "") for p in paths]
    pool = PoolExecutor(2, Resources())
    try:
        got = [(outcome, _bytes(payload)) for outcome, payload in pool.map(tasks, KillOn("毒丸"))]
    finally:
        pool.close()
    assert [o.path for o, _ in got] == paths
    assert [o.status for o, _ in got] == ["built"] * 3 + ["failed"] + ["built"] * (len(paths) - 4)
    assert isinstance(got[3][0].error, WorkerDied)
    alone = list(SerialExecutor(Extractor(Resources())).map([t for t in tasks if t.path != deadly],
                                                           KillOn("毒丸")))
    assert [payload for o, payload in got if o.status == "built"] == [payload for _, payload in alone]


def test_a_chunk_offered_to_a_pool_that_just_broke_is_built_again_with_the_rest() -> None:
    """A worker can die between two chunks: the pool then refuses the next one at once."""
    from concurrent.futures.process import BrokenProcessPool

    from kg.corpus import Extractor, Task
    from kg.parallel import PoolExecutor, SerialExecutor
    from kg.resources import Resources

    class JustBroken:
        def submit(self, *args: object, **kwargs: object) -> None:
            raise BrokenProcessPool("A child process terminated abruptly")

        def shutdown(self, **kwargs: object) -> None:
            pass

    tasks = [Task(p, "utf-8", "") for p in sorted(REPORTS.glob("*.txt"))[:6]]
    pool = PoolExecutor(2, Resources())
    pool._pool = JustBroken()
    try:
        got = [(outcome, _bytes(payload)) for outcome, payload in pool.map(tasks, KillOn("毒丸"))]
    finally:
        pool.close()
    assert [o.path for o, _ in got] == [t.path for t in tasks] and {o.status for o, _ in got} == {"built"}
    alone = list(SerialExecutor(Extractor(Resources())).map(tasks, KillOn("毒丸")))
    assert [payload for _, payload in got] == [payload for _, payload in alone]


def test_a_pipeline_that_cannot_be_set_up_stops_the_build_with_its_error(tmp_path: Path) -> None:
    from kg.corpus import Task
    from kg.errors import ResourceError
    from kg.parallel import PoolExecutor
    from kg.resources import Resources

    broken = Resources(data_dir=tmp_path / "no-data")  # every bundled file missing, in the workers too
    tasks = [Task(p, "utf-8", "") for p in sorted(REPORTS.glob("*.txt"))]
    pool = PoolExecutor(2, broken)
    try:
        with pytest.raises(ResourceError, match="bundled data file missing"):
            list(pool.map(tasks, KillOn("毒丸")))
    finally:
        pool.close()
