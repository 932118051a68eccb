"""``import kg`` stays cheap: no jieba, no RDF store, no network page library, no data read."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ["jieba", "pyoxigraph", "pyvis", "pyshacl", "rdflib", "networkx", "kg.lexicon", "kg.pipeline.builder"]


def test_imports_kg_is_cheap() -> None:
    code = "import sys, kg, kg.cli, kg.errors; print('\\n'.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    assert not [m for m in HEAVY if m in loaded]
