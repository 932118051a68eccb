#!/usr/bin/env python3
"""Fuzz the pipeline with generated articles and meta files, for as long as it is given.

    .venv/bin/python tools/fuzz.py --minutes N | --count N [--jobs J] [--seed S] [--start I] [--timeout SEC]
                                   [--validate-every K] [--rdflib-every K] [--reduce-seconds S] [--no-save]

Article ``i`` of seed ``S`` is ``strategies.random_case`` drawn by ``random.Random("S:i")``: the
generators of the property tests (tests/strategies.py) at full size (whole base articles, titles
up to 120,000 characters, meta files with odd values, odd encodings). Worker processes (``--jobs``,
default every core) each set the pipeline up once and check every article as the property tests
do (tests/pipeline_check.py): built or refused with one line; every output format parses back in
pyoxigraph to the same statements (and in rdflib every ``--rdflib-every`` articles); every
``--validate-every`` articles (default 25) the graph, with the background graphs, is validated
against the SHACL shapes. An article that takes more than ``--timeout`` seconds of CPU (building
and checking, or validating), or that has not finished after ten times that on the clock, is a
hang: its worker is killed and replaced. CPU time, not the clock, so that a busy machine makes the
run slower, never a hang. ``--start I`` begins at article I, for a long run in parts. A worker's address space is
limited (``--memory-mb``), so a runaway article is a MemoryError or a dead worker, both crashes.

Each failing input is reduced (delta debugging on the meta file's keys and characters, then on
the article's lines and characters, while it fails in the same way, for at most
``--reduce-seconds``) and saved as ``tests/data/fuzz/<kind>-<hash>.txt`` (+ ``.meta.json``), where
tests/test_fuzz_regressions.py picks it up. One case is saved per kind of failure (its signature:
the exception and the ``kg`` function it came from, the format and parser, the shape); failures
the saved cases already show are counted, not saved again, and a failure that no longer
reproduces when it is reduced (flaky, or fixed while the run went on) is not saved.

The last line is the summary: articles, built, refused, crashes, hangs, invalid outputs, bad
messages, validated graphs that do not conform, the rate. Exit status 0 when nothing failed, 1 else.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the generators and the checks are the property tests' own

from pipeline_check import Failure  # noqa: E402
from strategies import Case, Sources, random_case  # noqa: E402

FUZZ_DIR = ROOT / "tests" / "data" / "fuzz"
KINDS_OF_FAILURE = ("crash", "hang", "invalid", "message", "nonconforming")


# ---------------------------------------------------------------------------------------- workers

#: A worker that has not finished after this many times its limit, whatever CPU it used, is stuck.
STUCK_FACTOR = 10
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) the process ``pid`` has used: the measure of a hang, so that a
    worker starved by a busy machine is slow, not hung. None when it cannot be read (no /proc, or
    the process is gone): then only the clock counts."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime: fields 14 and 15 of stat
    except (OSError, IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Job:
    """One input to check, and how thoroughly."""

    ident: int
    case: Case
    validate: bool = False
    rdflib: bool = False


@dataclass(frozen=True)
class Result:
    ident: int
    status: str  # built | refused | failed
    failure: Failure | None
    seconds: float
    validated: bool = False


def _worker(conn: Connection, folder: str, memory_mb: int) -> None:
    """Set the pipeline up, say so, then check each job sent until ``None``. Before validating a
    built article, say so (a hang there is a hang of the validation)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pipeline_check import Checker, crash_of

    checker = Checker()
    conn.send("ready")
    where = Path(folder)
    while True:
        job = conn.recv()
        if job is None:
            return
        start = time.monotonic()
        try:
            parsers = ("pyoxigraph", "rdflib") if job.rdflib else ("pyoxigraph",)
            outcome = checker.check(job.case, where, parsers=parsers)
            status, failure, validated = outcome.status, outcome.failure, False
            if job.validate and status == "built":
                conn.send(("stage", "validating"))
                failure, validated = checker.validate(where / "article.txt"), True
                status = "failed" if failure else status
        except Exception as exc:  # noqa: BLE001 - an error of the checks themselves is a failure too
            status, failure = "failed", crash_of(exc)
        # plain data: no class of this script (its name differs in the worker)
        conn.send((job.ident, status, failure, time.monotonic() - start, validated))


class Pool:
    """Worker processes fed one job at a time; a job over its time (``timeout`` seconds, plus
    ``per_mb`` seconds for each MB of the article) kills its worker (a hang), and a new worker
    takes its place."""

    def __init__(self, jobs: int, timeout: float, folder: Path, memory_mb: int,
                 target: Callable[[Connection, str, int], None] | None = None, per_mb: float = 0.0) -> None:
        self.size, self.timeout, self.folder, self.memory_mb, self.per_mb = jobs, timeout, folder, memory_mb, per_mb
        self.target = target or _worker  # a test gives a worker of its own
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[dict[str, Any]] = []
        self.started = 0
        for _ in range(jobs):
            self._start()

    def _start(self) -> None:
        self.started += 1
        parent, child = self.context.Pipe()
        folder = self.folder / f"worker-{self.started}"
        folder.mkdir(parents=True, exist_ok=True)
        process = self.context.Process(target=self.target, args=(child, str(folder), self.memory_mb), daemon=True)
        process.start()
        child.close()
        self.workers.append({"process": process, "conn": parent, "folder": folder, "job": None, "deadline": 0.0,
                             "ready": False, "stage": "building"})

    def _retire(self, worker: dict[str, Any]) -> None:
        worker["process"].kill()
        worker["process"].join()
        worker["conn"].close()
        shutil.rmtree(worker["folder"], ignore_errors=True)
        self.workers.remove(worker)
        self._start()

    def run(self, jobs: Callable[[], Job | None], done: Callable[[Job, Result], None]) -> None:
        """Take jobs from ``jobs()`` until it gives None; ``done(job, result)`` for each."""
        exhausted = False
        while True:
            for worker in self.workers:
                if worker["ready"] and worker["job"] is None and not exhausted:
                    job = jobs()
                    if job is None:
                        exhausted = True
                        break
                    worker["conn"].send(job)
                    worker["job"], worker["stage"] = job, "building"
                    worker["started"], worker["cpu"] = time.monotonic(), cpu_seconds(worker["process"].pid)
            busy = [w for w in self.workers if w["job"] is not None]
            if exhausted and not busy:
                return
            ready = wait([w["conn"] for w in self.workers], timeout=0.5)
            for worker in list(self.workers):
                if worker["conn"] in ready:
                    try:
                        message = worker["conn"].recv()
                    except (EOFError, OSError):  # the worker died: out of memory, a crash of a C library
                        job = worker["job"]
                        code = worker["process"].exitcode
                        self._retire(worker)
                        if job is not None:
                            done(job, Result(job.ident, "failed",
                                             Failure("crash", "worker died", f"exit code {code}"), 0.0))
                        continue
                    if message == "ready":
                        worker["ready"] = True
                    elif message[0] == "stage":
                        worker["stage"] = message[1]
                    else:
                        job, worker["job"] = worker["job"], None
                        done(job, Result(*message))
            now = time.monotonic()
            for worker in [w for w in self.workers if w["job"] is not None]:
                job, stage = worker["job"], worker["stage"]
                limit = self.limit(job)
                if not worker["process"].is_alive():
                    continue  # dead: its pipe's end of file reports it as a crash
                cpu = cpu_seconds(worker["process"].pid)
                used = cpu - worker["cpu"] if cpu is not None and worker["cpu"] is not None else 0.0
                waited = now - worker["started"]
                if used > limit or waited > STUCK_FACTOR * limit:
                    self._retire(worker)
                    detail = f"more than {limit:.0f} s of CPU" if used > limit else \
                        f"{waited:.0f} s without finishing ({used:.0f} s of CPU)"
                    done(job, Result(job.ident, "failed", Failure("hang", f"timeout while {stage}", detail), waited))

    def limit(self, job: Job) -> float:
        """The seconds ``job`` may take."""
        return self.timeout + self.per_mb * len(job.case.text) / 1e6

    def check(self, case: Case, validate: bool = False, rdflib: bool = False) -> Result:
        """One case, waited for (reduction runs through here)."""
        results: list[Result] = []
        pending = [Job(-1, case, validate, rdflib)]
        self.run(lambda: pending.pop() if pending else None, lambda job, result: results.append(result))
        return results[0]

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker["conn"].send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker["process"].join(timeout=5)
            if worker["process"].is_alive():
                worker["process"].kill()
                worker["process"].join()
        self.workers = []


# ---------------------------------------------------------------------------------------- reduction


def ddmin(units: list[Any], persists: Callable[[list[Any]], bool], deadline: float) -> list[Any]:
    """Delta debugging: a smaller list for which ``persists`` still holds (complements first)."""
    n = 2
    while len(units) >= 2 and time.monotonic() < deadline:
        size = math.ceil(len(units) / n)
        chunks = [units[i:i + size] for i in range(0, len(units), size)]
        for i in range(len(chunks)):
            if time.monotonic() >= deadline:
                return units
            complement = [u for j, chunk in enumerate(chunks) if j != i for u in chunk]
            if persists(complement):
                units, n = complement, max(n - 1, 2)
                break
        else:
            if n >= len(units):
                return units
            n = min(len(units), n * 2)
    return units


def _split(data: bytes) -> tuple[list[Any], Callable[[list[Any]], bytes], list[Any], Callable[[list[Any]], bytes]]:
    """Lines and characters of UTF-8 text, else lines and bytes, with how to join each back."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return (data.splitlines(keepends=True), b"".join, list(data), bytes)
    return (text.splitlines(keepends=True), lambda units: "".join(units).encode("utf-8"), list(text),
            lambda units: "".join(units).encode("utf-8"))


def reduce_case(case: Case, signature: str, check: Callable[[Case], Failure | None], seconds: float) -> Case | None:
    """``case`` made smaller while ``check`` fails with the same ``signature``; None when ``case``
    itself no longer fails so (a flaky failure, or one fixed while the run went on)."""
    deadline = time.monotonic() + seconds

    def same(candidate: Case) -> bool:
        failure = check(candidate)
        return failure is not None and failure.signature == signature

    if not same(case):
        return None
    if case.meta is not None:
        if same(Case(case.kind, case.text, None)):
            case = Case(case.kind, case.text, None)
        else:
            try:
                record = json.loads(case.meta)
            except ValueError:
                record = None
            if isinstance(record, dict) and record:
                items = ddmin(list(record.items()), lambda kept: same(
                    Case(case.kind, case.text, json.dumps(dict(kept), ensure_ascii=False).encode("utf-8",
                                                                                            "surrogatepass"))),
                    deadline)
                candidate = Case(case.kind, case.text,
                                 json.dumps(dict(items), ensure_ascii=False).encode("utf-8", "surrogatepass"))
                if same(candidate):
                    case = candidate
            assert case.meta is not None
            lines, join_lines, _, _ = _split(case.meta)
            meta = join_lines(ddmin(lines, lambda kept: same(Case(case.kind, case.text, join_lines(kept))), deadline))
            _, _, chars, join_chars = _split(meta)
            meta = join_chars(ddmin(chars, lambda kept: same(Case(case.kind, case.text, join_chars(kept))), deadline))
            case = Case(case.kind, case.text, meta)
    lines, join_lines, _, _ = _split(case.text)
    text = join_lines(ddmin(lines, lambda kept: same(Case(case.kind, join_lines(kept), case.meta)), deadline))
    _, _, chars, join_chars = _split(text)
    text = join_chars(ddmin(chars, lambda kept: same(Case(case.kind, join_chars(kept), case.meta)), deadline))
    return Case(case.kind, text, case.meta)


# ---------------------------------------------------------------------------------------- the run


@dataclass
class Tally:
    articles: int = 0
    status: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)  # failures by kind
    validated: int = 0
    rdflib: int = 0
    failures: dict[str, tuple[Case, Failure, bool]] = field(default_factory=dict)  # signature → smallest case
    signatures: Counter[str] = field(default_factory=Counter)

    def add(self, job: Job, result: Result) -> None:
        self.articles += 1
        self.status[result.status] += 1
        self.validated += result.validated or (result.failure is not None and result.failure.kind == "hang"
                                               and result.failure.where.endswith("validating"))
        self.rdflib += job.rdflib
        if result.failure is not None:
            failure = result.failure
            self.kinds[failure.kind] += 1
            self.signatures[failure.signature] += 1
            known = self.failures.get(failure.signature)
            if known is None or len(job.case.text) + len(job.case.meta or b"") < \
                    len(known[0].text) + len(known[0].meta or b""):
                self.failures[failure.signature] = (job.case, failure, job.validate)


def saved_signatures(pool: Pool, folder: Path) -> dict[str, str]:
    """Signature → name of each saved case that still fails (checked as the regression test does)."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        case = Case.read(path)
        result = pool.check(case, validate=path.name.startswith("nonconforming-"), rdflib=True)
        if result.failure is not None:
            found.setdefault(result.failure.signature, path.stem)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    amount = parser.add_mutually_exclusive_group(required=True)
    amount.add_argument("--minutes", type=float,
                        help="draw articles for this long (those being checked then finish, then the reduction)")
    amount.add_argument("--count", type=int, help="this many articles")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="worker processes")
    parser.add_argument("--seed", type=int, default=0, help="article i is drawn by random.Random('SEED:i')")
    parser.add_argument("--start", type=int, default=0, metavar="I",
                        help="first article index (a long run in parts: --start 50000 --count 50000)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds an article may take (else a hang), plus --seconds-per-mb for its size")
    parser.add_argument("--seconds-per-mb", type=float, default=300.0,
                        help="more seconds an article may take for each MB of it (default: 300)")
    parser.add_argument("--validate-every", type=int, default=25, metavar="K", help="validate every K-th article")
    parser.add_argument("--rdflib-every", type=int, default=10, metavar="K",
                        help="parse every K-th article's outputs with rdflib too (pyoxigraph parses all)")
    parser.add_argument("--reduce-seconds", type=float, default=180.0, help="time to reduce each failing case")
    parser.add_argument("--memory-mb", type=int, default=3000, help="address space of a worker (0: no limit)")
    parser.add_argument("--out", type=Path, default=FUZZ_DIR, help="where reduced failing cases are saved")
    parser.add_argument("--no-save", action="store_true", help="report failures, save nothing")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line")
    args = parser.parse_args(argv)
    if args.jobs < 1 or (args.count is not None and args.count < 1) or args.validate_every < 1 \
            or args.rdflib_every < 1:
        parser.error("--jobs, --count, --validate-every and --rdflib-every must be at least 1")

    def say(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    sources = Sources.load()
    tally = Tally()
    scratch = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    pool = Pool(args.jobs, args.timeout, scratch, args.memory_mb, per_mb=args.seconds_per_mb)
    start = time.monotonic()
    stop_at = start + args.minutes * 60 if args.minutes is not None else math.inf
    next_index = args.start
    last_report = start
    saved: list[Path] = []
    try:
        known = saved_signatures(pool, args.out) if args.out.is_dir() and not args.no_save else {}
        if known:
            say(f"fuzz: {len(known)} saved cases still fail: {', '.join(sorted(known.values()))}")
        start = time.monotonic()
        stop_at = start + args.minutes * 60 if args.minutes is not None else math.inf

        def jobs() -> Job | None:
            nonlocal next_index
            if (args.count is not None and next_index >= args.start + args.count) or time.monotonic() >= stop_at:
                return None
            index = next_index
            next_index += 1
            case = random_case(sources, random.Random(f"{args.seed}:{index}"))
            return Job(index, case, validate=index % args.validate_every == 0, rdflib=index % args.rdflib_every == 0)

        def done(job: Job, result: Result) -> None:
            nonlocal last_report
            tally.add(job, result)
            if result.failure is not None:
                say(f"fuzz: article {args.seed}:{job.ident} ({job.case.kind}): {result.failure}")
            if time.monotonic() - last_report > 60:
                last_report = time.monotonic()
                say(f"fuzz: {tally.articles} articles, {sum(tally.kinds.values())} failures, "
                    f"{tally.articles / (last_report - start):.1f}/s")

        pool.run(jobs, done)
        elapsed = time.monotonic() - start
        if not args.no_save:
            args.out.mkdir(parents=True, exist_ok=True)
            for signature, (case, failure, validate) in sorted(tally.failures.items()):
                if signature in known:
                    continue
                say(f"fuzz: reducing {signature} ({len(case.text)} bytes)")

                def check(candidate: Case, validate: bool = validate) -> Failure | None:
                    return pool.check(candidate, validate=validate, rdflib=True).failure

                small = reduce_case(case, signature, check, args.reduce_seconds)
                if small is None:
                    say(f"fuzz: {signature}: the case no longer fails so (flaky, or fixed meanwhile); not saved")
                    continue
                saved.append(save(Case(failure.kind, small.text, small.meta), args.out))
                say(f"fuzz: saved {saved[-1].relative_to(ROOT) if saved[-1].is_relative_to(ROOT) else saved[-1]} "
                    f"({len(small.text)} bytes{', meta ' + str(len(small.meta)) + ' bytes' if small.meta else ''})")
    except KeyboardInterrupt:
        elapsed = time.monotonic() - start
        say("fuzz: interrupted")
    finally:
        pool.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(summary(tally, elapsed, args, len(saved)))
    return 1 if tally.kinds else 0


def save(case: Case, folder: Path) -> Path:
    """Write a reduced case as ``<kind>-<hash>.txt`` (+ ``.meta.json``)."""
    return case.write(folder, f"{case.kind}-{case.digest}")


def summary(tally: Tally, elapsed: float, args: argparse.Namespace, saved: int) -> str:
    k = tally.kinds
    rate = tally.articles / elapsed if elapsed > 0 else 0.0
    span = f"seed {args.seed}, articles {args.start}–{args.start + tally.articles - 1}"
    return (f"fuzz: {tally.articles} articles in {elapsed:.0f} s ({rate:.1f}/s, {args.jobs} jobs, {span}): "
            f"{tally.status['built']} built, {tally.status['refused']} refused; {k['crash']} crashes, "
            f"{k['hang']} hangs, {k['invalid']} invalid outputs, {k['message']} bad messages, "
            f"{k['nonconforming']} of {tally.validated} validated not conforming ({tally.rdflib} also read by rdflib); "
            f"{len(tally.signatures)} kinds of failure, {saved} new cases saved")


if __name__ == "__main__":
    raise SystemExit(main())
