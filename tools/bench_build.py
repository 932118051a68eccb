#!/usr/bin/env python3
"""Benchmark of extraction and serialisation (a benchmark, not a test: it prints, asserts nothing).

    .venv/bin/python tools/bench_build.py [--repeat N] [--long K]

Times, for the bundled development articles: pipeline set-up, extraction per article, and
serialisation of the corpus in each output format; then one long article made of K copies of
the longest development article, to show how extraction grows with length.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median is shown)")
    parser.add_argument("--long", type=int, default=20, help="copies of the longest article in the long one")
    args = parser.parse_args()

    started = time.perf_counter()
    from kg.pipeline.builder import Pipeline
    from kg.pipeline.read import discover, read_article
    from kg.serialize import FORMATS, serialize

    pipeline = Pipeline()
    print(f"pipeline set-up            {time.perf_counter() - started:8.2f} s")
    paths = discover([ROOT / "data" / "articles"])
    raws = [read_article(p) for p in paths]
    pipeline.document(raws[0])  # warm up jieba
    quads = []
    for raw in raws:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            doc = pipeline.document(raw)
            found = pipeline.writer(doc)
            times.append(time.perf_counter() - t)
        quads.extend(found)
        print(f"extract {raw.id:<30} {statistics.median(times) * 1000:8.1f} ms  {len(raw.text):6d} chars"
              f"  {len(found):6d} quads")
    for name, graph in pipeline.background.graphs():
        quads.extend((s, p, o, name) for s, p, o in graph)
    for ext, (fmt, named) in sorted(FORMATS.items()):
        t = time.perf_counter()
        data = serialize(quads, fmt, named)
        print(f"serialise corpus {ext:<9} {time.perf_counter() - t:8.2f} s  {len(data) / 1e6:6.1f} MB")
    longest = max(paths, key=lambda p: p.stat().st_size)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "long.txt"
        big.write_text(longest.read_text(encoding="utf-8") * args.long, encoding="utf-8")
        raw = read_article(big)
        t = time.perf_counter()
        doc = pipeline.document(raw)
        found = pipeline.writer(doc)
        elapsed = time.perf_counter() - t
        print(f"extract long ({args.long} x {longest.stem}) {elapsed:8.2f} s  {len(raw.text)} chars"
              f"  {len(found)} quads  {len(raw.text) / elapsed / 1000:.1f} k chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
