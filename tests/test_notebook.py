"""docs/tour.ipynb runs from start to end without an error (nbclient, the Python of this venv as kernel)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "docs" / "tour.ipynb"


def test_the_tour_notebook_runs() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TOUR, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the attendance plot
    assert any("<iframe srcdoc=" in o.get("data", {}).get("text/html", "") for o in outputs)  # the page inline


def test_the_notebook_is_generated_by_its_tool(tmp_path: Path) -> None:
    import subprocess
    import sys

    made = tmp_path / "tour.ipynb"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_tour.py"), str(made)], check=True, capture_output=True)
    assert made.read_bytes() == TOUR.read_bytes(), "docs/tour.ipynb differs from tools/make_tour.py: run the tool"
