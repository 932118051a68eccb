"""Every input ``tools/fuzz.py`` found failing, reduced and saved under tests/data/fuzz
(``<kind>-<hash>.txt`` and its ``.meta.json``, if any), is a regression test: it is checked as the
property tests check an input (tests/pipeline_check.py): built, or refused with a one-line error;
every output format parses back to the same statements in pyoxigraph and rdflib; a
``nonconforming-`` case is validated against the shapes too. A ``hang-`` case is built by
``kg build`` and its output checked by ``kg validate``, each in a child process that must finish
within :data:`HANG_SECONDS`.

A case whose defect is not fixed yet is listed in :data:`XFAIL` with the reason (xfail, not strict:
it passes silently once fixed; then remove it from the list).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pipeline_check import Checker

FUZZ = Path(__file__).resolve().parent / "data" / "fuzz"
HANG_SECONDS = 60

#: Saved cases of defects still open, with the file and the reason.
XFAIL: dict[str, str] = {}


def _cases() -> list[object]:
    params = []
    for path in sorted(FUZZ.glob("*.txt")):
        # an open hang is not run (it would take HANG_SECONDS each time): drop it from XFAIL once fixed
        marks = [pytest.mark.xfail(strict=False, reason=XFAIL[path.stem], run=not path.stem.startswith("hang-"))] \
            if path.stem in XFAIL else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def test_every_open_case_is_a_saved_case() -> None:
    assert sorted(set(XFAIL) - {p.stem for p in FUZZ.glob("*.txt")}) == []


@pytest.mark.parametrize("path", [p for p in _cases() if not p.values[0].name.startswith("hang-")])  # type: ignore[attr-defined]
def test_saved_case_is_built_or_refused_and_every_output_is_valid(checker: Checker, path: Path) -> None:
    outcome = checker.run(path, validate=path.name.startswith("nonconforming-"))
    assert outcome.failure is None, str(outcome.failure)


@pytest.mark.parametrize("path", [p for p in _cases() if p.values[0].name.startswith("hang-")])  # type: ignore[attr-defined]
def test_saved_hang_finishes(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nq"
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(path), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=HANG_SECONDS)
    assert done.returncode in (0, 1, 2), done.stderr
    if done.returncode == 0:
        checked = subprocess.run([sys.executable, "-m", "kg", "validate", str(out), "-q"],
                                 capture_output=True, text=True, timeout=HANG_SECONDS)
        assert checked.returncode in (0, 1), checked.stderr
