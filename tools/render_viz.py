"""Regenerate ``viz/``: the network page of each bundled article and of the whole corpus.

    .venv/bin/python tools/render_viz.py [--out viz] [--articles data/articles]

Every ``ARTICLES/*.txt`` is built on its own (``kg build ARTICLE -o TMP/<id>.trig``) and all of
them together (``TMP/corpus.trig``) in a temporary folder; each graph is then drawn with
``kg viz`` into ``OUT/<id>.html`` and ``OUT/corpus.html``. Pages in OUT that are no longer made
are removed. The pages are deterministic, and ``tests/test_viz.py`` regenerates them into a
temporary folder and fails when ``viz/`` is not current: run this after changing the extraction,
the lexicons, the reference data or the page.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's kg, also when it is not installed

from kg.cli import main as kg  # noqa: E402
from kg.pipeline.read import discover, read_meta  # noqa: E402


def render(articles: Path, out: Path) -> list[Path]:
    """Build and draw every article of ``articles`` and the corpus into ``out``; return the pages."""
    paths = discover([articles])
    ids = {path: str(read_meta(path).get("id") or path.stem) for path in paths}
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    with tempfile.TemporaryDirectory(prefix="render-viz-") as tmp:
        graphs = []
        for path in paths:
            graph = Path(tmp) / f"{ids[path]}.trig"
            if kg(["build", str(path), "-o", str(graph), "-q"]) != 0:
                raise SystemExit(f"render_viz: kg build {path} failed")
            graphs.append((graph, out / f"{ids[path]}.html"))
        corpus = Path(tmp) / "corpus.trig"
        if kg(["build", str(articles), "-o", str(corpus), "-q"]) != 0:
            raise SystemExit(f"render_viz: kg build {articles} failed")
        graphs.append((corpus, out / "corpus.html"))
        for graph, page in graphs:
            if kg(["viz", str(graph), "-o", str(page)]) != 0:
                raise SystemExit(f"render_viz: kg viz {graph} failed")
            pages.append(page)
    for stale in sorted(set(out.glob("*.html")) - set(pages)):
        stale.unlink()
    return pages


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the network pages of viz/ (one per bundled "
                                                 "article, and corpus.html).")
    parser.add_argument("--out", type=Path, default=ROOT / "viz", help="folder of the pages (default: viz/)")
    parser.add_argument("--articles", type=Path, default=ROOT / "data" / "articles",
                        help="folder of the articles (default: data/articles/)")
    args = parser.parse_args(argv)
    for page in render(args.articles, args.out):
        print(f"{page}  {page.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
