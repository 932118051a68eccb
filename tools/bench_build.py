#!/usr/bin/env python3
"""Benchmark of end-to-end corpus builds on synthetic corpora (a benchmark, not a test: it measures and prints).

    .venv/bin/python tools/bench_build.py [--sizes 1000 10000 100000] [--jobs 1 2] [--formats nq ...]
                                          [--seed S] [--work DIR] [--json FILE] [--build-args ARGS]
    .venv/bin/python tools/bench_build.py --dev      # the bundled development articles instead

For every size N: makes (or reuses, from the work folder) a corpus of N invented reports with
tools/synth_corpus.py; runs bare ``jieba.lcut`` over the same texts (default dictionary, in a
subprocess; wall time of the segmentation alone, dictionary loading apart); then runs
``kg build DIR -o OUT.nq --jobs J -q`` as a subprocess for every J of ``--jobs``, and each further
format of ``--formats`` at the largest J. Each build is timed by wall clock while a thread samples,
every ``--interval`` seconds, the resident memory of the kg process and of all its descendants
(peak of the sum = "tree"; the kg process's own peak, with its VmHWM = "main"). Reported per
build: seconds, characters per second, the lcut rate of the same text in the same run, build ÷
lcut, speed-up over ``--jobs 1`` (same format), peak RSS, output bytes per input character and,
for N-Quads and N-Triples, quads (lines). Prints a Markdown table for the README; ``--json``
writes every figure. When ``kg build`` has no ``--jobs`` the builds run without it (one process),
and a note says so.

``--dev``: per-article extraction times on data/articles (in-process Pipeline) and an end-to-end
build of data/articles in each format of ``--formats``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(__file__).resolve().parent
DEFAULT_WORK = Path(os.environ.get("TMPDIR", "/tmp")) / "kg-bench"
FORMAT_EXT = {"nq": ".nq", "nt": ".nt", "ttl": ".ttl", "trig": ".trig", "jsonld": ".jsonld", "nq.gz": ".nq.gz"}
LINE_FORMATS = ("nq", "nt", "nq.gz")
DISK_PER_ARTICLE = 12_000  # bytes: text + meta + file-system blocks, with room to spare


@dataclass
class Build:
    articles: int
    chars: int
    format: str
    jobs: int | None          # None: kg build has no --jobs (one process)
    seconds: float
    returncode: int
    peak_tree_mb: float
    peak_main_mb: float
    output_bytes: int
    quads: int | None
    lcut_chars_per_s: float | None = None
    speedup: float | None = None
    load_before: float = 0.0
    note: str = ""

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0

    @property
    def vs_lcut(self) -> float | None:
        return self.chars_per_s / self.lcut_chars_per_s if self.lcut_chars_per_s else None


@dataclass
class Corpus:
    articles: int
    chars: int
    path: Path
    generated_seconds: float | None = None      # None: reused from the work folder
    lcut: dict[str, float] = field(default_factory=dict)


# ---- the tools -----------------------------------------------------------------------------

def kg_command(source: Path | None = None) -> list[str]:
    """The ``kg`` console script beside this interpreter, else on PATH, else kg.cli run by this interpreter
    (always the latter for ``--source``, with PYTHONPATH set by ``kg_env``)."""
    by_python = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
    if source is not None:
        return by_python
    beside = Path(sys.executable).with_name("kg")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("kg")
    return [found] if found else by_python


def kg_env(source: Path | None) -> dict[str, str] | None:
    """The environment of the kg subprocesses: ``source`` first on PYTHONPATH, else inherited."""
    if source is None:
        return None
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")])))


def build_has_jobs(kg: list[str], env: dict[str, str] | None) -> bool:
    result = subprocess.run([*kg, "build", "--help"], capture_output=True, text=True, check=True, env=env,
                            cwd=Path.home())  # not the checkout: "python -c" puts the working folder first
    return "--jobs" in result.stdout


def _generator_digest() -> str:
    digest = hashlib.sha256()
    for path in [TOOLS / "synth_corpus.py", *sorted((ROOT / "data" / "bench").glob("*"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in ("states.tsv", "capitals.tsv"):
        digest.update((ROOT / "data" / "reference" / "sources" / name).read_bytes())
    return digest.hexdigest()[:16]


def corpus(work: Path, n: int, seed: int) -> Corpus:
    """The corpus of ``n`` articles of ``seed`` in the work folder, made unless a complete one is there."""
    folder = work / f"corpus-seed{seed}-n{n}"
    stamp = folder / "COMPLETE.json"
    digest = _generator_digest()
    if stamp.is_file():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("digest") == digest and info.get("articles") == n:
            return Corpus(n, info["chars"], folder)
    if folder.exists():
        shutil.rmtree(folder)
    work.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(work).free
    if free < n * DISK_PER_ARTICLE * 2:
        raise SystemExit(f"bench_build: {free / 1e9:.1f} GB free in {work}; a corpus of {n} articles and its "
                         f"outputs need about {n * DISK_PER_ARTICLE * 2 / 1e9:.1f} GB")
    sys.path.insert(0, str(TOOLS))
    import synth_corpus

    print(f"generating {n} articles (seed {seed}) in {folder} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    articles, chars = synth_corpus.generate(folder, n, seed)
    elapsed = time.perf_counter() - started
    stamp.write_text(json.dumps({"articles": articles, "chars": chars, "seed": seed, "digest": digest}),
                     encoding="utf-8")
    print(f"  {articles} articles, {chars} characters in {elapsed:.1f} s", file=sys.stderr, flush=True)
    return Corpus(articles, chars, folder, generated_seconds=elapsed)


def lcut(folder: Path) -> dict[str, float]:
    """Bare jieba.lcut over the corpus's texts, in a fresh interpreter (see ``_lcut_worker``)."""
    result = subprocess.run([sys.executable, __file__, "--lcut-worker", str(folder)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _lcut_worker(folder: Path) -> int:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.initialize()
    load = time.perf_counter() - started
    texts = [p.read_bytes().decode("utf-8-sig") for p in sorted(folder.glob("*.txt"))]
    started = time.perf_counter()
    tokens = 0
    for text in texts:
        tokens += len(jieba.lcut(text))
    seconds = time.perf_counter() - started
    chars = sum(map(len, texts))
    print(json.dumps({"chars": chars, "tokens": tokens, "seconds": seconds, "load_seconds": load,
                      "chars_per_s": chars / seconds if seconds else 0.0}))
    return 0


# ---- one measured build --------------------------------------------------------------------

def _vm_hwm(pid: int) -> int:
    """The process's own peak resident set (VmHWM, bytes), 0 when unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measured_run(cmd: list[str], interval: float, timeout: float | None, log: Path,
                 env: dict[str, str] | None = None) -> tuple[float, int, int, int]:
    """Run ``cmd``; (wall seconds, return code, peak tree RSS, peak main RSS) in bytes."""
    import psutil

    peaks = {"tree": 0, "main": 0}
    done = threading.Event()
    with log.open("wb") as err:
        started = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=log.parent)

        def sample() -> None:
            while not done.is_set():
                try:
                    main = proc.memory_info().rss
                    hwm = _vm_hwm(proc.pid)
                    children = proc.children(recursive=True)
                except psutil.Error:
                    break
                tree = main
                for child in children:
                    try:
                        tree += child.memory_info().rss
                    except psutil.Error:
                        pass
                peaks["main"] = max(peaks["main"], main, hwm)
                peaks["tree"] = max(peaks["tree"], tree)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            returncode = proc.wait(timeout=timeout)
        except psutil.TimeoutExpired:
            for child in proc.children(recursive=True):  # only the tree this benchmark started
                child.kill()
            proc.kill()
            returncode = proc.wait()
            returncode = returncode if returncode else -9
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    peaks["tree"] = max(peaks["tree"], peaks["main"])
    return elapsed, returncode, peaks["tree"], peaks["main"]


def count_lines(path: Path) -> int:
    count = 0
    with (gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")) as data:
        for block in iter(lambda: data.read(1 << 22), b""):
            count += block.count(b"\n")
    return count


def run_build(kg: list[str], inputs: Path, chars: int, articles: int, fmt: str, jobs: int | None,
              args: argparse.Namespace) -> Build:
    out_dir = args.work / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{inputs.name}-j{jobs or 0}{FORMAT_EXT[fmt]}"
    out.unlink(missing_ok=True)
    cmd = [*kg, "build", str(inputs), "-o", str(out), "-q", *shlex.split(args.build_args)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    need = chars * args.bytes_per_char * (1 if args.keep_output else 1.1)
    free = shutil.disk_usage(out_dir).free
    if free < need:
        print(f"WARNING: {free / 1e9:.1f} GB free in {out_dir}, the output may need {need / 1e9:.1f} GB "
              f"({args.bytes_per_char:.0f} bytes a character)", file=sys.stderr)
    load = os.getloadavg()[0]
    label = f"{articles} articles, {fmt}, jobs {jobs if jobs is not None else '(none)'}"
    print(f"building: {label} …", file=sys.stderr, flush=True)
    log = out.with_suffix(out.suffix + ".log")
    seconds, rc, tree, main = measured_run(cmd, args.interval, args.timeout, log, kg_env(args.source))
    size = out.stat().st_size if out.is_file() else 0
    quads = count_lines(out) if fmt in LINE_FORMATS and out.is_file() else None
    note = ""
    if rc:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        note = f"exit {rc}" + (": " + " | ".join(tail) if tail else "")
        print(f"  WARNING: {note}", file=sys.stderr)
    print(f"  {seconds:.1f} s, {chars / seconds:,.0f} chars/s, peak {tree / 1e6:,.0f} MB "
          f"(main {main / 1e6:,.0f} MB), {size / 1e6:,.1f} MB", file=sys.stderr, flush=True)
    if not args.keep_output:
        out.unlink(missing_ok=True)
    if size and chars:
        args.bytes_per_char = size / chars
    return Build(articles, chars, fmt, jobs, seconds, rc, tree / 1e6, main / 1e6, size, quads, load_before=load,
                 note=note)


# ---- the report ----------------------------------------------------------------------------

def _num(value: float | None, spec: str, missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def markdown(builds: list[Build], show_format: bool) -> str:
    head = ["articles", "chars"] + (["format"] if show_format else []) + [
        "jobs", "seconds", "chars/s", "lcut chars/s", "build/lcut %", "speed-up", "peak RSS MB (tree / main)",
        "bytes/char", "quads"]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if h not in ("format",) else "---"
                                                        for h in head) + "|"]
    for b in builds:
        ratio = b.vs_lcut
        cells = [f"{b.articles:,}", f"{b.chars:,}"] + ([b.format] if show_format else []) + [
            str(b.jobs) if b.jobs is not None else "1 (no --jobs)",
            f"{b.seconds:,.1f}" + ("" if not b.returncode else f" (exit {b.returncode})"),
            f"{b.chars_per_s:,.0f}", _num(b.lcut_chars_per_s, ",.0f"),
            _num(None if ratio is None else ratio * 100, ".2f"), _num(b.speedup, ".2f"),
            f"{b.peak_tree_mb:,.0f} / {b.peak_main_mb:,.0f}", f"{b.output_bytes / b.chars:.1f}" if b.chars else "–",
            _num(b.quads, ","),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def environment(kg: list[str], has_jobs: bool) -> dict[str, object]:
    def git(*argv: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *argv], capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    import psutil

    return {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "-uno", "kg")),
            "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 1e9, 1), "kg": " ".join(kg),
            "build_has_jobs": has_jobs}


# ---- --dev: the development articles -------------------------------------------------------

def dev(args: argparse.Namespace, kg: list[str], has_jobs: bool) -> list[Build]:
    from kg.pipeline.builder import Pipeline
    from kg.pipeline.read import discover, read_article

    folder = ROOT / "data" / "articles"
    started = time.perf_counter()
    pipeline = Pipeline()
    print(f"pipeline set-up            {time.perf_counter() - started:8.2f} s")
    raws = [read_article(p) for p in discover([folder])]
    pipeline.document(raws[0])  # warm up jieba
    writer = getattr(pipeline, "writer", None)
    total = 0.0
    for raw in raws:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            doc = pipeline.document(raw)
            if writer is not None:
                writer(doc)
            times.append(time.perf_counter() - t)
        total += statistics.median(times)
        print(f"extract {raw.id:<30} {statistics.median(times) * 1000:8.1f} ms  {len(raw.text):6d} chars")
    chars = sum(len(r.text) for r in raws)
    print(f"extract all {len(raws)} articles   {total:8.2f} s  {chars / total:,.0f} chars/s"
          f"{' (document + writer)' if writer else ' (document)'}")
    jobs = max(args.jobs) if has_jobs else None
    return [run_build(kg, folder, chars, len(raws), fmt, jobs, args) for fmt in args.formats]


# ---- main ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], metavar="N",
                        help="corpus sizes in articles (default: 1000 10000 100000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], metavar="J",
                        help="kg build --jobs values timed in N-Quads (default: 1 2)")
    parser.add_argument("--formats", nargs="+", default=["nq"], choices=sorted(FORMAT_EXT),
                        help="output formats: the first is timed at every --jobs, the others at the largest "
                             "(default: nq; nq.gz for archives whose N-Quads would not fit on disk)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora (default 0)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help=f"work folder: corpora (kept and reused) and outputs (default {DEFAULT_WORK})")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--build-args", default="", metavar="ARGS",
                        help="further options of kg build, one shell-quoted string (e.g. '--segmenter rjieba')")
    parser.add_argument("--interval", type=float, default=0.1, help="memory sampling interval, s (default 0.1)")
    parser.add_argument("--timeout", type=float, help="give up a build after this many seconds")
    parser.add_argument("--source", type=Path, metavar="DIR",
                        help="run kg from this source tree instead of the installed one (PYTHONPATH=DIR), e.g. "
                             "a commit exported with: git archive COMMIT | tar -x -C DIR")
    parser.add_argument("--no-lcut", action="store_true", help="skip the jieba.lcut reference")
    parser.add_argument("--keep-output", action="store_true", help="keep the built files in WORK/out")
    parser.add_argument("--dev", action="store_true", help="the development articles instead (see above)")
    parser.add_argument("--repeat", type=int, default=3, help="--dev: runs per article (median is shown)")
    parser.add_argument("--lcut-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.lcut_worker:
        return _lcut_worker(args.lcut_worker)
    args.work = args.work.resolve()
    args.bytes_per_char = 1000.0  # output size guess for the disk-space warning until a build has run
    args.jobs = sorted(set(args.jobs))
    args.formats = list(dict.fromkeys(args.formats))

    if args.source is not None:
        args.source = args.source.resolve()
        if not (args.source / "kg" / "cli.py").is_file():
            parser.error(f"--source {args.source}: no kg/cli.py there")
        sys.path.insert(0, str(args.source))  # --dev imports the pipeline in this process
    kg = kg_command(args.source)
    has_jobs = build_has_jobs(kg, kg_env(args.source))
    notes = []
    if not has_jobs:
        notes.append("kg build has no --jobs option yet: every build runs without it (one process).")
        print("NOTE: " + notes[-1], file=sys.stderr)
    env = environment(kg, has_jobs)
    env["source"] = str(args.source) if args.source else str(ROOT)

    builds: list[Build] = []
    corpora: list[Corpus] = []
    if args.dev:
        builds = dev(args, kg, has_jobs)
    else:
        for n in args.sizes:
            c = corpus(args.work, n, args.seed)
            corpora.append(c)
            if not args.no_lcut:
                c.lcut = lcut(c.path)
                print(f"jieba.lcut: {c.lcut['chars_per_s']:,.0f} chars/s ({c.lcut['seconds']:.1f} s; "
                      f"dictionary {c.lcut['load_seconds']:.1f} s)", file=sys.stderr, flush=True)
            main_format = args.formats[0]  # timed at every --jobs; the others at the largest
            runs: list[tuple[str, int | None]] = ([(main_format, j) for j in args.jobs] if has_jobs
                                                  else [(main_format, None)])
            top = max(args.jobs) if has_jobs else None
            runs += [(fmt, top) for fmt in args.formats[1:]]
            base: dict[str, Build] = {}
            for fmt, jobs in runs:
                b = run_build(kg, c.path, c.chars, c.articles, fmt, jobs, args)
                b.lcut_chars_per_s = c.lcut.get("chars_per_s")
                if jobs == 1 or jobs is None:
                    base[fmt] = b
                elif fmt in base:
                    b.speedup = base[fmt].seconds / b.seconds
                builds.append(b)

    show_format = len({b.format for b in builds}) > 1
    print()
    print(markdown(builds, show_format))
    print()
    for c in corpora:
        made = f"generated in {c.generated_seconds:.1f} s" if c.generated_seconds is not None else "reused"
        print(f"- corpus of {c.articles:,} articles: {c.chars:,} characters (seed {args.seed}, {made})"
              + (f"; jieba.lcut {c.lcut['chars_per_s']:,.0f} chars/s over {c.lcut['seconds']:.1f} s" if c.lcut else ""))
    code = f"kg from {args.source}" if args.source else \
        f"commit {env['commit']}{' with uncommitted changes in kg/' if env['dirty'] else ''}"
    print(f"- machine: {env['cpus']} CPUs, {env['memory_gb']} GB; {code}; Python {env['python']}"
          + (f"; kg build {args.build_args}" if args.build_args else ""))
    for note in notes + [f"{b.articles} {b.format} jobs {b.jobs}: {b.note}" for b in builds if b.note]:
        print(f"- {note}")
    if args.json:
        record = {"environment": env, "notes": notes, "build_args": args.build_args, "seed": args.seed,
                  "corpora": [dict(asdict(c), path=str(c.path)) for c in corpora],
                  "builds": [dict(asdict(b), chars_per_s=b.chars_per_s, vs_lcut=b.vs_lcut) for b in builds]}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if any(b.returncode for b in builds) else 0


if __name__ == "__main__":
    raise SystemExit(main())
