"""Find and read the bundled data: lexicons (TSV/JSONL), reference knowledge and ontology (Turtle).

In a source checkout the files are the top-level ``data/`` and ``ontology/`` folders; in an
installed wheel they are ``kg/_data`` and ``kg/_ontology`` (see ``pyproject.toml``). This module
is the one loader: no other module opens a data file by path.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kg.errors import ResourceError

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise ResourceError(f"bundled data not found (looked in {', '.join(map(str, candidates))})")


@dataclass(frozen=True)
class Resources:
    """Paths of the bundled data; read methods return plain lists and dicts."""

    data_dir: Path = field(default_factory=lambda: _first_existing(_PACKAGE / "_data", _PACKAGE.parent / "data"))
    ontology_dir: Path = field(
        default_factory=lambda: _first_existing(_PACKAGE / "_ontology", _PACKAGE.parent / "ontology")
    )

    def path(self, relative: str) -> Path:
        path = self.data_dir / relative
        if not path.is_file():
            raise ResourceError(f"bundled data file missing: {relative}")
        return path

    def tsv(self, relative: str) -> list[dict[str, str]]:
        """Rows of a tab-separated file with a header; lines starting with '#' are comments."""
        path = self.path(relative)
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise ResourceError(f"{relative}: row {number} has the wrong number of columns")
            rows.append({k: v.strip() for k, v in row.items()})
        return rows

    def jsonl(self, relative: str) -> list[dict[str, Any]]:
        """Objects of a JSON-lines file; blank lines and lines starting with '//' are skipped."""
        rows = []
        for number, line in enumerate(self.path(relative).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ResourceError(f"{relative}:{number}: not JSON ({exc.msg})") from None
        return rows

    def words(self, relative: str) -> list[str]:
        """One entry per line; '#' starts a comment."""
        out = []
        for line in self.path(relative).read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                out.append(word)
        return out

    @cached_property
    def reference_files(self) -> list[Path]:
        """The Turtle files of background knowledge, in a fixed order."""
        return sorted((self.data_dir / "reference").glob("*.ttl"))

    @cached_property
    def ontology_files(self) -> list[Path]:
        return [self.ontology_dir / "summit.ttl", self.ontology_dir / "vocabularies.ttl"]

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def articles_dir(self) -> Path:
        return self.data_dir / "articles"
