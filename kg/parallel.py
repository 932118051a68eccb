"""Who extracts the articles of a corpus build: this process, a pool of processes, or a Dask cluster.

Every executor takes the build's tasks in the order their graphs are written and gives back
``(outcome, quads)`` in that same order, so the output is the same bytes whichever runs it.
Whatever stops one article (reading, extracting or rendering it) is that article's failed
outcome, in every executor (:func:`kg.corpus.rendered`); in a pool, so is a worker's death
while it builds the article. The executors:

* :class:`SerialExecutor` — this process (``--jobs 1``, and any build with few articles);
* :class:`PoolExecutor` — ``--jobs N`` worker processes, each setting the pipeline up once; at
  most a few chunks of articles are in flight, so memory does not grow with the corpus;
* :class:`DaskExecutor` — ``--dask local`` (a ``LocalCluster`` on 127.0.0.1) or
  ``--dask tcp://scheduler:8786``: the articles are cut into contiguous partitions; each is built
  on a worker into its own N-Quads file in a folder every worker and this process can reach
  (``--parts DIR``), and the parts are read back in order. The workers need summit-kg installed
  and the articles at the same paths. Parts in a ``--parts`` folder stay (``part-NNNNNN.nq``, the
  article graphs of each partition), for loading into a store; temporary ones are removed.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from kg.corpus import ArticleOutcome, Extractor, Rendered, Task, background_quads, failed, rendered
from kg.errors import InputError, KGError
from kg.resources import Resources
from kg.terms import Quad

Render = Callable[[list[Quad]], "bytes | str"]


class WorkerDied(KGError):
    """A pool worker process died while it built an article: that article's error."""

#: Below this many articles a pool costs more to start than it saves: they are built in-process.
POOL_MINIMUM = 6


class Executor(Protocol):
    segmenter: str  # part of every article's build key

    def map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        """Extract ``tasks`` and ``render`` their quads; results in the same order."""

    def background(self) -> list[Quad]:
        """The ontology and reference graphs as quads."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class SerialExecutor:
    """Extract in this process."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor
        self.segmenter = extractor.segmenter

    def map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        for task in tasks:
            yield rendered(task, self.extractor(task), render)

    def background(self) -> list[Quad]:
        return background_quads(self.extractor.resources, self.extractor)


def make_executor(jobs: int | None = None, segmenter: str = "jieba", *, dask: str | None = None,
                  parts: str | None = None, resources: Resources | None = None) -> Executor:
    """The executor of a build: ``jobs`` worker processes (None: every core), or a Dask cluster
    (``dask``: ``local`` or a scheduler address). ``kg build`` and :func:`kg.build` both use it."""
    resources = resources or Resources()
    if dask:
        return DaskExecutor(dask, resources, segmenter, parts=parts, workers=jobs)
    return PoolExecutor(jobs or default_jobs(), resources, segmenter)


# ---------------------------------------------------------------------------------------- process pool

_worker: Extractor | None = None  # the pipeline of a pool worker process, set up once by _init_worker
_setup_error: BaseException | None = None  # why it could not be set up: raised by every chunk

#: This many articles in a row that each kill a worker stop the build: the workers, not the articles, are failing.
MAX_DEATHS_IN_A_ROW = 5


def _init_worker(resources: Resources, segmenter: str) -> None:
    """Set the pipeline up; a failure (broken bundled data…) is kept and raised by each chunk, so
    that it reaches the build as the error it is, not as a dead worker."""
    global _worker, _setup_error
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writing process's to handle
    try:
        _worker = Extractor(resources, segmenter)
        _ = _worker.pipeline  # set up once (and frozen out of the garbage collector's way)
    except Exception as exc:  # noqa: BLE001 - raised again by _run_chunk, in the writing process
        _worker, _setup_error = None, exc


def _run_chunk(tasks: Sequence[Task], render: Render, spool: str | None) -> list[Rendered]:
    """Extract and render a chunk of articles. With ``spool`` (a file name), byte payloads are
    written there and given back as :class:`~kg.serialize.Spooled` ranges: the writing process
    copies them file to file in the kernel instead of receiving them through a pipe."""
    from kg.serialize import Spooled

    if _setup_error is not None:
        raise _setup_error
    assert _worker is not None, "pool worker not initialised"
    out: list[Rendered] = []
    handle = open(spool, "wb") if spool is not None else None  # noqa: SIM115 - closed below
    try:
        offset = 0
        for task in tasks:
            outcome, payload = rendered(task, _worker(task), render)
            if handle is not None and isinstance(payload, bytes) and payload:
                handle.write(payload)
                out.append((outcome, Spooled(spool, offset, len(payload))))  # type: ignore[arg-type]
                offset += len(payload)
            else:
                out.append((outcome, payload))
    finally:
        if handle is not None:
            handle.close()
    return out


def _worker_background() -> list[Quad]:
    assert _worker is not None, "pool worker not initialised"
    return background_quads(_worker.resources, _worker)


class PoolExecutor:
    """Extract in ``jobs`` worker processes (started with ``forkserver`` where there is one, else
    ``spawn``: no worker inherits this process's threads or open files)."""

    def __init__(self, jobs: int, resources: Resources, segmenter: str = "jieba") -> None:
        if jobs < 1:
            raise InputError(f"--jobs must be at least 1, not {jobs}")
        self.jobs, self.resources, self.segmenter = jobs, resources, segmenter
        self._local: SerialExecutor | None = None
        self._pool = None
        self._deaths = 0  # articles in a row that killed their worker
        self._spool: tempfile.TemporaryDirectory[str] | None = None

    def _serial(self) -> SerialExecutor:
        if self._local is None:
            self._local = SerialExecutor(Extractor(self.resources, self.segmenter))
        return self._local

    def map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        if self.jobs == 1 or len(tasks) < POOL_MINIMUM:
            return self._serial().map(tasks, render)
        return self._map(tasks, render)

    def _start(self):  # type: ignore[no-untyped-def]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context(method),
                                         initializer=_init_worker, initargs=(self.resources, self.segmenter))
        return self._pool

    def _map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        if self._spool is None:
            self._spool = tempfile.TemporaryDirectory(prefix="kg-spool-")
        size = max(1, min(16, len(tasks) // (self.jobs * 8)))
        pending: deque[tuple[object, Sequence[Task]]] = deque()  # (future, its tasks), oldest first
        ahead = self.jobs * 3
        numbers = itertools.count()
        try:
            for i in range(0, len(tasks), size):
                chunk = tasks[i:i + size]
                spool = os.path.join(self._spool.name, f"chunk-{next(numbers):08d}")
                future = self._submit(chunk, render, spool)
                future.spool = spool  # type: ignore[attr-defined]
                pending.append((future, chunk))
                while len(pending) >= ahead:
                    yield from self._collect(pending, render)
            while pending:
                yield from self._collect(pending, render)
        finally:
            for future, _ in pending:
                future.cancel()  # type: ignore[attr-defined]

    def _submit(self, chunk: Sequence[Task], render: Render, spool: str):  # type: ignore[no-untyped-def]
        """The chunk's future; when a worker has died since the last chunk was collected, the pool
        refuses new work: a future that failed the same way, so that :meth:`_collect` rebuilds
        the chunk with the others in flight, in order."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return (self._pool or self._start()).submit(_run_chunk, chunk, render, spool)
        except BrokenProcessPool as exc:
            future: Future[object] = Future()
            future.set_exception(exc)
            return future

    def _collect(self, pending: deque[tuple[object, Sequence[Task]]], render: Render) -> Iterator[Rendered]:
        """The results of the oldest chunk in flight. When a worker has died (killed, out of
        memory, a crash in native code), every chunk in flight is lost with the pool: those
        articles are built again one at a time in a new pool, so only the article that kills a
        worker fails (and the build goes on)."""
        from concurrent.futures.process import BrokenProcessPool

        future, chunk = pending.popleft()
        try:
            results = future.result()  # type: ignore[attr-defined]
        except BrokenProcessPool:
            lost = [task for task in chunk] + [task for _, tasks in pending for task in tasks]
            pending.clear()
            self._restart()
            for task in lost:
                yield self._alone(task, render)
            return
        yield from results
        os.unlink(future.spool)  # type: ignore[attr-defined]  # every range of it has been copied

    def _alone(self, task: Task, render: Render) -> Rendered:
        from concurrent.futures.process import BrokenProcessPool

        try:
            [result] = (self._pool or self._start()).submit(_run_chunk, [task], render, None).result()
        except BrokenProcessPool:
            self._restart()
            self._deaths += 1
            if self._deaths >= MAX_DEATHS_IN_A_ROW:
                raise KGError(f"worker processes died on {self._deaths} articles in a row (out of memory? "
                              "try fewer --jobs); nothing was written") from None
            return failed(task, WorkerDied("a worker process died while building this article "
                                           "(out of memory, killed, or a crash in native code)")), render([])
        self._deaths = 0
        return result

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def background(self) -> list[Quad]:
        if self._pool is None:
            return self._serial().background()
        return self._pool.submit(_worker_background).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._spool is not None:
            self._spool.cleanup()
            self._spool = None


# ---------------------------------------------------------------------------------------- Dask


@functools.lru_cache(maxsize=2)
def _part_extractor(resources: Resources, segmenter: str) -> Extractor:
    """One pipeline per Dask worker process (and per resources and segmenter)."""
    return Extractor(resources, segmenter)


def build_part(tasks: Sequence[Task], part: str, resources: Resources, segmenter: str) -> list[ArticleOutcome]:
    """On a Dask worker: build ``tasks`` into the N-Quads file ``part`` (written whole, then renamed)."""
    from kg.serialize import Renderer

    extractor = _part_extractor(resources, segmenter)
    render = Renderer("nquads")
    outcomes = []
    partial = f"{part}.partial"
    try:
        with open(partial, "wb") as handle:
            for task in tasks:
                outcome, payload = rendered(task, extractor(task), render)
                handle.write(payload)  # type: ignore[arg-type]  # graph by graph, each sorted
                outcomes.append(outcome)
        os.replace(partial, part)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return outcomes


class DaskExecutor:
    """Extract on a Dask cluster: ``address`` is ``local`` or a scheduler (``tcp://host:8786``)."""

    def __init__(self, address: str, resources: Resources, segmenter: str = "jieba", parts: str | Path | None = None,
                 workers: int | None = None, partition: int | None = None) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError("--dask needs Dask: pip install 'summit-kg[dask]'") from None
        self.address, self.resources, self.segmenter = address, resources, segmenter
        self.parts = Path(parts) if parts is not None else None
        self.workers = workers or default_jobs()
        self.partition = partition
        self._client = None
        self._cluster = None
        self._tmp = None

    def _connect(self):  # type: ignore[no-untyped-def]
        from distributed import Client, LocalCluster

        if self._client is None:
            if self.address == "local":
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None)
                self._client = Client(self._cluster)
            else:
                try:
                    self._client = Client(self.address, timeout="30s")
                except (OSError, TimeoutError) as exc:
                    raise InputError(f"--dask {self.address}: cannot reach the scheduler ({exc})") from None
        return self._client

    def _parts_dir(self) -> Path:
        if self.parts is not None:
            try:
                self.parts.mkdir(parents=True, exist_ok=True)
                for stale in self.parts.glob("part-*.nq"):  # of an earlier run: not to be loaded with these
                    stale.unlink()
            except OSError as exc:
                raise InputError(f"--parts {self.parts}: cannot use the folder ({exc.strerror or exc})") from None
            return self.parts.resolve()
        import tempfile

        self._tmp = tempfile.TemporaryDirectory(prefix="kg-parts-")
        return Path(self._tmp.name)

    def map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        if not tasks:
            return iter(())
        return self._map(tasks, render)

    def _map(self, tasks: Sequence[Task], render: Render) -> Iterator[Rendered]:
        from kg.serialize import split_nquad

        client = self._connect()
        folder = self._parts_dir()
        tasks = [dataclasses.replace(task, path=task.path.resolve()) for task in tasks]
        size = self.partition or max(1, math.ceil(len(tasks) / (self.workers * 4)))
        partitions = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        names = [str(folder / f"part-{n:06d}.nq") for n in range(len(partitions))]
        # Client.map has keywords of its own (``resources``, ``workers``…): bind ours first
        job = functools.partial(build_part, resources=self.resources, segmenter=self.segmenter)
        futures = client.map(job, partitions, names, pure=False)
        for future, name, partition in zip(futures, names, partitions, strict=True):
            try:
                outcomes = future.result()
            except KGError:
                raise
            except Exception as exc:  # a worker lost (KilledWorker), a broken cluster
                raise KGError(f"--dask: a partition failed on the cluster ({type(exc).__name__}: "
                              f"{' '.join(str(exc).split())[:200]})") from None
            if not os.path.exists(name):
                raise InputError(f"--dask: {name} was written by a worker but is not here; --parts must be a "
                                 "folder the workers and this machine share")
            with open(name, encoding="utf-8", newline="\n") as handle:
                for task, outcome in zip(partition, outcomes, strict=True):
                    quads = [split_nquad(line) for line in itertools.islice(handle, outcome.quads)]
                    yield rendered(task, (outcome, quads), render)
            future.release()

    def background(self) -> list[Quad]:
        return background_quads(self.resources)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


__all__ = ["DaskExecutor", "Executor", "PoolExecutor", "SerialExecutor", "build_part", "default_jobs"]
