#!/usr/bin/env python3
"""Check that `kg eval` and the maintainers' scorer (../shared/tools/gold_score.py) agree.

Both are run at the same moment (in parallel, on the same checkout) on the development set, and
their printed numbers are compared: each article's per-category tp/fp/fn and right/all, the
per-category totals that `kg eval` prints, and the summary line (micro P/R/F1, attributes,
number of articles). Usage, from the repository root:

    .venv/bin/python tools/check_eval_agreement.py [--articles DIR] [--gold DIR] [--kg KG] [--python PY]

--python is the interpreter that runs the scorer (default: python3, as in the README); the scorer
converts traditional script only where OpenCC is importable by that interpreter. Exit status 0
when the numbers agree, 1 when they differ (the differences are printed), 2 when a run failed.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

SET_LINE = re.compile(r"^\s+(\w+)\s+P [\d.]+ R [\d.]+ F1 [\d.]+\s+\(tp (\d+) fp (\d+) fn (\d+)\)")
ATTR_LINE = re.compile(r"^\s+(\w+)\s+(\d+)/(\d+) right")
SUMMARY = re.compile(r"^articles \d+\s+micro P [\d.]+ R [\d.]+ F1 [\d.]+\s+attributes \d+/\d+\s+errors \d+$")

Numbers = dict[str, dict[str, tuple[int, ...]]]


def parse(text: str) -> tuple[Numbers, dict[str, tuple[int, ...]], str]:
    """(per article: category → counts, totals block: category → counts, summary line)."""
    articles: Numbers = {}
    totals: dict[str, tuple[int, ...]] = {}
    current: dict[str, tuple[int, ...]] | None = None
    summary = ""
    for line in text.splitlines():
        if line.startswith("== total ("):
            current = totals
        elif line.startswith("== "):
            current = articles.setdefault(line[3:].strip(), {})
        elif SUMMARY.match(line):
            summary = line.strip()
        elif current is not None and (m := SET_LINE.match(line)):
            current[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4))
        elif current is not None and (m := ATTR_LINE.match(line)):
            current[m.group(1)] = tuple(int(x) for x in m.group(2, 3))
    return articles, totals, summary


def summed(articles: Numbers) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for cats in articles.values():
        for name, counts in cats.items():
            acc = out.setdefault(name, [0] * len(counts))
            for i, n in enumerate(counts):
                acc[i] += n
    return {name: tuple(v) for name, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", default=str(SHARED / "articles"))
    ap.add_argument("--gold", default=str(SHARED / "gold"))
    ap.add_argument("--kg", default=str(ROOT / ".venv" / "bin" / "kg"))
    ap.add_argument("--python", default="python3", help="interpreter of the scorer (default: python3)")
    ap.add_argument("--scorer", default=str(SHARED / "tools" / "gold_score.py"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "gold_score.py": [args.python, args.scorer, "--dir", args.articles, "--gold-dir", args.gold,
                              "--kg", args.kg],
            "kg eval": [args.kg, "eval", args.articles, "--gold", args.gold, "--json", str(Path(tmp) / "eval.json")],
        }
        procs = {name: subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
                 for name, cmd in commands.items()}
        outputs = {name: proc.communicate(timeout=900) for name, proc in procs.items()}
    failed = False
    for name, proc in procs.items():
        if proc.returncode != 0:
            print(f"{name}: exit {proc.returncode}: {outputs[name][1].strip()[-500:]}", file=sys.stderr)
            failed = True
    if failed:
        return 2
    (s_articles, _, s_summary), (k_articles, k_totals, k_summary) = (parse(outputs[n][0]) for n in commands)
    diffs: list[str] = []
    for article in sorted(set(s_articles) | set(k_articles)):
        a, b = s_articles.get(article), k_articles.get(article)
        if a is None or b is None:
            diffs.append(f"{article}: only in {'kg eval' if a is None else 'gold_score.py'}")
            continue
        for cat in sorted(set(a) | set(b)):
            if a.get(cat) != b.get(cat):
                diffs.append(f"{article} {cat}: gold_score.py {a.get(cat)} kg eval {b.get(cat)}")
    expected_totals = summed(s_articles)
    for cat in sorted(set(expected_totals) | set(k_totals)):
        if expected_totals.get(cat) != k_totals.get(cat):
            diffs.append(f"total {cat}: gold_score.py (summed) {expected_totals.get(cat)} kg eval {k_totals.get(cat)}")
    if not s_summary or s_summary != k_summary:
        diffs.append(f"summary:\n  gold_score.py: {s_summary}\n  kg eval:       {k_summary}")
    print(f"gold_score.py: {s_summary}")
    print(f"kg eval:       {k_summary}")
    if diffs:
        print(f"DIFFERENT ({len(diffs)}):")
        for d in diffs:
            print(f"  {d}")
        return 1
    cats = sum(len(c) for c in s_articles.values())
    print(f"agree: {len(s_articles)} articles, {cats} article categories, totals and summary line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
