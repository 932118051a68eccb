#!/usr/bin/env python3
"""Check that `kg eval` and the maintainers' scorer (../shared/tools/gold_score.py) agree.

Both are run at the same moment (in parallel, on the same checkout) on the development set, and
their printed numbers are compared: each article's per-category tp/fp/fn and right/all, and the
summary line (micro P/R/F1, attributes, number of articles, errors). The tables that only `kg eval`
prints are checked against the scorer's numbers too: the totals per category (`== total`, with
the micro and attribute rows) are the scorer's per-article counts summed, the `== per article`
table gives each article's set categories summed and its attributes, and every P, R, F1 and
accuracy printed there is the one of its counts. Last, the synonym table kg eval reads
(data/lexicon/eval_synonyms.tsv) must be the scorer's SYNONYMS, group for group. Usage, from the
repository root:

    .venv/bin/python tools/check_eval_agreement.py [--articles DIR] [--gold DIR] [--kg KG] [--python PY]

Both run on a snapshot of the project taken at the start (kg/, data/ and ontology/ copied to a
temporary folder and put first on PYTHONPATH), so that edits made to the working tree while the
scorer runs (about 90 s) cannot make the two disagree; --no-snapshot runs the working tree.
--python is the interpreter that runs the scorer (default: this one, the project's venv, so that
OpenCC is importable and the scorer converts traditional script as kg eval does). Exit status 0
when the numbers agree, 1 when they differ (the differences are printed), 2 when a run failed.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

#: a category of one article, as both print it
SET_LINE = re.compile(r"^\s+(\w+)\s+P [\d.]+ R [\d.]+ F1 [\d.]+\s+\(tp (\d+) fp (\d+) fn (\d+)\)")
ATTR_LINE = re.compile(r"^\s+(\w+)\s+(\d+)/(\d+) right")
SUMMARY = re.compile(r"^articles \d+\s+micro P [\d.]+ R [\d.]+ F1 [\d.]+\s+attributes \d+/\d+\s+errors \d+$")
#: a row of kg eval's tables: name, tp fp fn P R F1 (then, per article, attributes k/n)
TABLE_SET = re.compile(r"^   (\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                       r"(?:\s+(\d+)/(\d+))?(?:\s+errors \d+)?$")
TABLE_ATTR = re.compile(r"^   (\S.*?)\s+(\d+)/(\d+) right\s+([\d.]+)$")

Counts = tuple[int, ...]
Numbers = dict[str, dict[str, Counts]]


class Parsed:
    """The numbers of one printed report."""

    def __init__(self, text: str) -> None:
        self.articles: Numbers = {}  # article → category → (tp, fp, fn) or (ok, all)
        self.totals: dict[str, Counts] = {}  # kg eval's == total table
        self.per_article: dict[str, tuple[Counts, Counts]] = {}  # kg eval's == per article table
        self.summary = ""
        self.bad: list[str] = []  # table rows whose P/R/F1 or accuracy is not that of their counts
        section, current = "", None
        for line in text.splitlines():
            if line.startswith("== total ("):
                section = "total"
            elif line == "== per article":
                section = "per article"
            elif line.startswith("== "):
                section, current = "article", self.articles.setdefault(line[3:].strip(), {})
            elif SUMMARY.match(line):
                self.summary = line.strip()
            elif section == "article" and (m := SET_LINE.match(line)):
                current[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4))  # type: ignore[index]
            elif section == "article" and (m := ATTR_LINE.match(line)):
                current[m.group(1)] = tuple(int(x) for x in m.group(2, 3))  # type: ignore[index]
            elif section in ("total", "per article") and (m := TABLE_SET.match(line)):
                counts = tuple(int(x) for x in m.group(2, 3, 4))
                if m.group(5, 6, 7) != _prf_text(*counts):
                    self.bad.append(line.strip())
                if section == "total":
                    self.totals[m.group(1)] = counts
                else:
                    attrs = tuple(int(x) for x in m.group(8, 9)) if m.group(8) else ()
                    self.per_article[m.group(1)] = (counts, attrs)
            elif section == "total" and (m := TABLE_ATTR.match(line)):
                ok, total = int(m.group(2)), int(m.group(3))
                if m.group(4) != f"{ok / total if total else 1.0:.3f}":
                    self.bad.append(line.strip())
                self.totals[m.group(1)] = (ok, total)


def _prf_text(tp: int, fp: int, fn: int) -> tuple[str, str, str]:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"


def summed(categories: list[dict[str, Counts]]) -> dict[str, Counts]:
    """Counts of the same category added up."""
    out: dict[str, list[int]] = {}
    for cats in categories:
        for name, counts in cats.items():
            acc = out.setdefault(name, [0] * len(counts))
            for i, n in enumerate(counts):
                acc[i] += n
    return {name: tuple(v) for name, v in out.items()}


def split_kinds(cats: dict[str, Counts]) -> tuple[Counts, Counts]:
    """(tp, fp, fn) of the set categories together, (right, all) of the attributes together."""
    sets = summed([{"x": c} for c in cats.values() if len(c) == 3]).get("x", (0, 0, 0))
    attrs = summed([{"x": c} for c in cats.values() if len(c) == 2]).get("x", (0, 0))
    return sets, attrs


def synonym_differences(scorer: Path, table: Path) -> list[str]:
    """How data/lexicon/eval_synonyms.tsv differs from the scorer's SYNONYMS (group heads and names)."""
    spec = importlib.util.spec_from_file_location("gold_score", scorer)
    if spec is None or spec.loader is None:
        return [f"synonyms: cannot load {scorer}"]
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    theirs = {name: group[0] for group in module.SYNONYMS for name in group}
    with table.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if line.strip() and not line.startswith("#")),
                              delimiter="\t", quoting=csv.QUOTE_NONE)
        ours = {row["form"].strip(): row["same_as"].strip() for row in rows}
    return [f"synonyms: {name}: gold_score.py {theirs.get(name)!r} eval_synonyms.tsv {ours.get(name)!r}"
            for name in sorted(set(theirs) | set(ours)) if theirs.get(name) != ours.get(name)]


def compare(scorer: Parsed, ours: Parsed) -> list[str]:
    """Every difference between the scorer's numbers and kg eval's, as lines."""
    diffs: list[str] = []
    for article in sorted(set(scorer.articles) | set(ours.articles)):
        a, b = scorer.articles.get(article), ours.articles.get(article)
        if a is None or b is None:
            diffs.append(f"{article}: only in {'kg eval' if a is None else 'gold_score.py'}")
            continue
        for cat in sorted(set(a) | set(b)):
            if a.get(cat) != b.get(cat):
                diffs.append(f"{article} {cat}: gold_score.py {a.get(cat)} kg eval {b.get(cat)}")
    expected = summed(list(scorer.articles.values()))
    expected["micro (set categories)"], expected["attributes"] = split_kinds(expected)
    for cat in sorted(set(expected) | set(ours.totals)):
        if expected.get(cat) != ours.totals.get(cat):
            diffs.append(f"total {cat}: gold_score.py (summed) {expected.get(cat)} kg eval {ours.totals.get(cat)}")
    for article in sorted(set(scorer.articles) | set(ours.per_article)):
        want = split_kinds(scorer.articles[article]) if article in scorer.articles else None
        if want != ours.per_article.get(article):
            got = ours.per_article.get(article)
            diffs.append(f"per article {article}: gold_score.py (summed) {want} kg eval {got}")
    diffs.extend(f"kg eval prints figures that are not those of its counts: {line}" for line in ours.bad)
    if not scorer.summary or scorer.summary != ours.summary:
        diffs.append(f"summary:\n  gold_score.py: {scorer.summary}\n  kg eval:       {ours.summary}")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles"))
    ap.add_argument("--gold", default=str(SHARED / "gold"))
    ap.add_argument("--kg", help="the kg command (default: this interpreter with -m kg, on the snapshot)")
    ap.add_argument("--no-snapshot", action="store_true", help="run the working tree, not a snapshot of it")
    ap.add_argument("--python", default=sys.executable, help="interpreter of the scorer (default: this one)")
    ap.add_argument("--scorer", default=str(SHARED / "tools" / "gold_score.py"))
    args = ap.parse_args()
    articles, gold, scorer_path = (str(Path(p).resolve()) for p in (args.articles, args.gold, args.scorer))
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_snapshot:
            snapshot = Path(tmp) / "snapshot"
            for folder in ("kg", "data", "ontology"):
                if (ROOT / folder).is_dir():
                    shutil.copytree(ROOT / folder, snapshot / folder, ignore=shutil.ignore_patterns("__pycache__"))
            env["PYTHONPATH"] = os.pathsep.join([str(snapshot)] + [p for p in [env.get("PYTHONPATH")] if p])
        kg = shlex.split(args.kg) if args.kg else [sys.executable, "-m", "kg"]
        commands = {
            "gold_score.py": [args.python, scorer_path, "--dir", articles, "--gold-dir", gold,
                              "--kg", shlex.join(kg)],
            "kg eval": kg + ["eval", articles, "--gold", gold, "--json", str(Path(tmp) / "eval.json")],
        }
        procs = {name: subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp,
                                        env=env)
                 for name, cmd in commands.items()}
        outputs = {name: proc.communicate(timeout=900) for name, proc in procs.items()}
    failed = False
    for name, proc in procs.items():
        if proc.returncode != 0:
            print(f"{name}: exit {proc.returncode}: {outputs[name][1].strip()[-500:]}", file=sys.stderr)
            failed = True
    if failed:
        return 2
    scorer, ours = Parsed(outputs["gold_score.py"][0]), Parsed(outputs["kg eval"][0])
    diffs = synonym_differences(Path(scorer_path), ROOT / "data" / "lexicon" / "eval_synonyms.tsv")
    diffs += compare(scorer, ours)
    print(f"gold_score.py: {scorer.summary}")
    print(f"kg eval:       {ours.summary}")
    if diffs:
        print(f"DIFFERENT ({len(diffs)}):")
        for d in diffs:
            print(f"  {d}")
        return 1
    cats = sum(len(c) for c in scorer.articles.values())
    print(f"agree: {len(scorer.articles)} articles, {cats} article categories, the synonym table, "
          f"{len(ours.totals)} total rows, {len(ours.per_article)} per-article rows and the summary line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
