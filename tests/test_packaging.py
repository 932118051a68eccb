"""A non-editable install carries the ontology, dictionaries, reference data and queries, and works
from any working directory."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("summit_kg-*.whl")
    return path


@pytest.mark.parametrize("member", ["kg/_ontology/summit.ttl", "kg/_ontology/vocabularies.ttl",
                                    "kg/_data/reference/states.ttl", "kg/_data/lexicon/posts.tsv",
                                    "kg/queries/summits.rq", "kg/ns.py"],
                         ids=["ontology", "vocabularies", "reference", "lexicon", "queries", "namespace"])
def test_packaging_wheel_ships_data(wheel: Path, member: str) -> None:
    assert member in zipfile.ZipFile(wheel).namelist()


def test_packaging_installed_wheel_runs_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    article = ROOT / "data" / "articles" / "sco2020_video_summit.txt"
    build = subprocess.run([sys.executable, "-m", "kg", "build", str(article), "-o", "g.ttl", "-q"], cwd=work,
                           env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    query = subprocess.run([sys.executable, "-c", "import kg, sys; print(kg.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True)
    assert query.stdout.startswith(str(target))  # the installed copy, not the source tree
    summits = subprocess.run([sys.executable, "-m", "kg", "query", "g.ttl", "summits", "--format", "csv"],
                             cwd=work, env=env, capture_output=True, text=True)
    assert "2020-11-10" in summits.stdout
