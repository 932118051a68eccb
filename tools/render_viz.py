"""Regenerate ``viz/`` (the seed article's page and the corpus page), or draw any article on demand.

    .venv/bin/python tools/render_viz.py                        # viz/: the two committed pages
    .venv/bin/python tools/render_viz.py --article sco2018_qingdao --article path/to/report.txt
    .venv/bin/python tools/render_viz.py --all --out /tmp/pages # every article's page

``viz/`` keeps only two pages: the seed article's (``viz/sco2020_video_summit.html``) and the
corpus page (``viz/corpus.html``, all of ``data/articles`` built together). A page per article
would add about 40 MB to git on every extraction change, so the others are drawn on demand.

Without ``--article``/``--all`` the tool writes those two pages into OUT (default ``viz/``) and
removes every other ``*.html`` there. The seed is built on its own (``kg build ARTICLE -o
TMP/<id>.trig``), the corpus as one graph (``TMP/corpus.trig``), in a temporary folder; each graph
is drawn with ``kg viz`` into ``OUT/<id>.html`` and ``OUT/corpus.html``.

``--article ID_OR_PATH`` (repeatable) draws one article's page: an ID is the ``id`` of an article
of ARTICLES (from its ``.meta.json``, else its file name without ``.txt``), a PATH is any ``.txt``
report. ``--all`` draws the page of every article of ARTICLES. These pages go to OUT as
``<id>.html`` and nothing is removed; ``viz/.gitignore`` keeps them out of git.

The pages are deterministic, and ``tests/test_viz.py`` regenerates the two committed pages into
a temporary folder and fails when ``viz/`` is not current: run this without options after changing
the extraction, the lexicons, the reference data or the page.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's kg, also when it is not installed

from kg.cli import main as kg  # noqa: E402
from kg.errors import InputError, KGError  # noqa: E402
from kg.pipeline.read import discover, read_meta  # noqa: E402

SEED = "sco2020_video_summit"  # the article whose page is committed in viz/
CORPUS = "corpus"  # viz/corpus.html: every article of ARTICLES in one graph
COMMITTED = (f"{SEED}.html", f"{CORPUS}.html")


def article_id(path: Path) -> str:
    """The article's id: ``id`` of its ``.meta.json``, else the file name without ``.txt``."""
    return str(read_meta(path).get("id") or path.stem)


def resolve(wanted: list[str], articles: Path) -> list[tuple[str, Path]]:
    """``(id, path)`` of each ID or PATH in ``wanted``, in the order given, without repeats.

    A value naming an existing file is a path; otherwise it is the id of an article of
    ``articles``. Two different articles with the same id would write the same page: an error."""
    known: dict[str, Path] | None = None
    chosen: dict[str, Path] = {}
    for value in wanted:
        candidate = Path(value)
        if candidate.is_file():
            path = candidate
        else:
            if known is None:
                known = {article_id(p): p for p in discover([articles])}
            if value not in known:
                raise InputError(f"{value}: neither a file nor the id of an article in {articles}")
            path = known[value]
        ident = article_id(path)
        if ident in chosen and chosen[ident].resolve() != path.resolve():
            raise InputError(f"{chosen[ident]} and {path} both have the id {ident!r}: one page each is impossible")
        chosen[ident] = path
    return list(chosen.items())


def draw(pages: list[tuple[Path, str]], out: Path) -> list[Path]:
    """Build each ``(article or folder, page name)`` into a temporary graph and draw it as ``out/NAME``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="render-viz-") as tmp:
        for source, page in pages:
            graph = Path(tmp) / f"{Path(page).stem}.trig"
            if kg(["build", str(source), "-o", str(graph), "-q"]) != 0:
                raise SystemExit(f"render_viz: kg build {source} failed")
            target = out / page
            if kg(["viz", str(graph), "-o", str(target)]) != 0:
                raise SystemExit(f"render_viz: kg viz {graph} failed")
            written.append(target)
    return written


def render(articles: Path, out: Path) -> list[Path]:
    """The committed pages: the seed article and the corpus of ``articles`` into ``out``; every
    other page in ``out`` is removed. Return the pages written."""
    seeds = [path for path in discover([articles]) if article_id(path) == SEED]
    if not seeds:
        raise InputError(f"{articles}: holds no article {SEED!r}, whose page viz/ keeps; "
                         "draw the pages of other articles with --article or --all")
    seed = seeds[0]
    pages = draw([(seed, COMMITTED[0]), (articles, COMMITTED[1])], out)
    for stale in sorted(set(out.glob("*.html")) - set(pages)):
        stale.unlink()
    return pages


def render_articles(wanted: list[str], articles: Path, out: Path) -> list[Path]:
    """The page of each article in ``wanted`` (ids or paths) into ``out``; nothing is removed."""
    return draw([(path, f"{ident}.html") for ident, path in resolve(wanted, articles)], out)


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=f"Regenerate the two committed network pages of viz/ ({COMMITTED[0]} and {COMMITTED[1]}, "
                    "removing any other page there), or, with --article/--all, draw other articles' pages "
                    "on demand.",
        epilog="Examples: render_viz.py (refresh viz/); render_viz.py --article sco2018_qingdao; "
               "render_viz.py --all --out /tmp/pages.")
    parser.add_argument("--out", type=Path, default=ROOT / "viz", help="folder of the pages (default: viz/)")
    parser.add_argument("--articles", type=Path, default=ROOT / "data" / "articles",
                        help="folder of the articles (default: data/articles/)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--article", action="append", metavar="ID_OR_PATH", default=[],
                       help="draw this article's page only, as OUT/<id>.html (repeatable): the id of an article "
                            "of --articles, or the path of any .txt report; nothing is removed")
    which.add_argument("--all", action="store_true",
                       help="draw the page of every article of --articles (one by one); nothing is removed")
    args = parser.parse_args(argv)
    try:
        if args.all:
            wanted = [str(path) for path in discover([args.articles])]
            pages = render_articles(wanted, args.articles, args.out)
        elif args.article:
            pages = render_articles(args.article, args.articles, args.out)
        else:
            pages = render(args.articles, args.out)
    except KGError as exc:
        print(f"render_viz: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for page in pages:
        print(f"{page}  {page.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
