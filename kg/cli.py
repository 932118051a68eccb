"""The ``kg`` command line: build, query, validate, stats.

Every failure the user can cause is a :class:`kg.errors.KGError`, printed as one line
(``kg: error: …``) with a non-zero exit status; no traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import InputError, KGError

EPILOG_BUILD = """examples:
  kg build data/articles/sco2020_video_summit.txt -o out/sco2020.ttl
  kg build data/articles -o out/corpus.trig        # a folder: every *.txt in it
  kg build report.txt --encoding gb18030 > report.ttl

Each NAME.txt may have a sidecar NAME.meta.json (id, title, source, published YYYY-MM-DD, url).
Output format follows the extension of -o: .ttl Turtle, .trig TriG, .nq N-Quads, .nt N-Triples,
.jsonld JSON-LD. TriG, N-Quads and JSON-LD keep the named graphs (one per article, one for
inferred facts, one for background knowledge); Turtle and N-Triples hold their union."""

EPILOG_QUERY = """examples:
  kg query out/sco2020.ttl summits
  kg query out/sco2020.ttl attendees --format csv
  kg query out/sco2020.ttl my-query.rq --format json
  kg query out/sco2020.ttl 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'

bundled queries: summits, documents, initiatives, speeches, persons, organizations, states,
attendees, members, areas, evidence (see the README for their columns).
All named graphs of the file are queried together as the default graph."""

EPILOG_EVAL = """examples:
  kg eval my-articles --gold my-gold                  # writes eval.json in the current folder
  kg eval my-articles --gold my-gold --json out/scores.json -q

Only articles with a gold file are built. The gold format is described in the README
("Evaluating on your own annotations"). Exit 0 when every article was scored, 1 when an article
failed to build, 2 for bad input (a missing folder, no gold files, a gold file that is not JSON)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build RDF knowledge graphs of multilateral summits from Chinese news reports, "
                    "query them with SPARQL and check them against the ontology's SHACL shapes.",
    )
    parser.add_argument("--version", action="version", version=f"summit-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="extract a knowledge graph from articles",
                           description="Extract facts from articles (UTF-8 text) into RDF with provenance.",
                           epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files (.txt) or folders of them")
    build.add_argument("-o", "--output", metavar="OUT", help="output file; its extension picks the format "
                                                             "(default: Turtle on standard output)")
    build.add_argument("--encoding", metavar="ENC", help="encoding of the articles when not UTF-8 "
                                                         "(e.g. gb18030, big5); default: UTF-8, or a legacy "
                                                         "Chinese encoding when detection is certain")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on standard error")

    query = sub.add_parser("query", help="run a SPARQL query on a graph file",
                           description="Run SPARQL on a graph file built by `kg build`.",
                           epilog=EPILOG_QUERY, formatter_class=argparse.RawDescriptionHelpFormatter)
    query.add_argument("graph", metavar="GRAPH", help="graph file (.ttl, .trig, .nq, .nt, .jsonld)")
    query.add_argument("query", metavar="QUERY", help="bundled query name, a .rq file, or SPARQL text")
    query.add_argument("--format", default="table", choices=("table", "csv", "tsv", "json"),
                       help="result format; json is W3C SPARQL 1.1 results JSON (default: table)")

    validate = sub.add_parser("validate", help="check a graph file against the SHACL shapes",
                              description="Validate a graph against ontology/shapes.ttl. Exit 0 when it "
                                          "conforms, 1 with a report when it does not.")
    validate.add_argument("graph", metavar="GRAPH")

    stats = sub.add_parser("stats", help="count instances per class and triples per property",
                           description="Print how many instances each class has and how many triples use "
                                       "each property.")
    stats.add_argument("graph", metavar="GRAPH")

    evaluate = sub.add_parser("eval", help="score the graphs of annotated articles against gold files",
                              description="Build every article of ARTICLES_DIR that has a gold annotation "
                                          "GOLD_DIR/<id>.json (schema summit-gold/1), run the bundled queries "
                                          "on its graph and score them per category: precision, recall and F1 "
                                          "(tp/fp/fn), attribute accuracy, and the micro average.",
                              epilog=EPILOG_EVAL, formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("articles", metavar="ARTICLES_DIR", help="folder of articles <id>.txt "
                                                                   "(with optional <id>.meta.json)")
    evaluate.add_argument("--gold", required=True, metavar="GOLD_DIR", help="folder of gold files <id>.json")
    evaluate.add_argument("--json", default="eval.json", metavar="OUT.json",
                          help="where to write the scores as JSON (default: eval.json)")
    evaluate.add_argument("-q", "--quiet", action="store_true", help="print only the totals, not each article")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return {"build": _build, "query": _query, "validate": _validate, "stats": _stats,
                "eval": _eval}[args.command](args)
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback on request
        if os.environ.get("KG_DEBUG"):
            raise
        print(f"kg: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
              "(set KG_DEBUG=1 for the traceback)", file=sys.stderr)
        return 70


def _build(args: argparse.Namespace) -> int:
    from kg.pipeline.builder import Pipeline
    from kg.reference import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.serialize import format_for, serialize

    fmt, named = format_for(args.output) if args.output else ("turtle", False)
    if args.output and Path(args.output).is_dir():
        raise InputError(f"{args.output}: is a directory")
    from kg.pipeline.read import discover

    paths = discover(args.articles)  # fail early on missing files, before loading anything
    pipeline = Pipeline()
    quads = []
    failed = 0
    done = 0
    for result in pipeline.run(paths, encoding=args.encoding):
        if result.error is not None:
            failed += 1
            print(f"kg: error: {result.error}", file=sys.stderr)
            continue
        done += 1
        quads.extend(result.quads)
        if not args.quiet and len(paths) > 1:
            print(f"[{done + failed}/{len(paths)}] {result.path.name}: {len(result.quads)} quads", file=sys.stderr)
    if done == 0:
        return 2 if failed else 1
    for name, graph in pipeline.background.graphs():
        graph_name = ONTOLOGY_GRAPH if name == ONTOLOGY_GRAPH else REFERENCE_GRAPH
        quads.extend((s, p, o, graph_name) for s, p, o in graph)
    data = serialize(quads, fmt, named)
    if args.output:
        _write_atomic(Path(args.output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if not args.quiet:
        where = args.output or "standard output"
        print(f"kg: built {done} article{'s' if done != 1 else ''} → {where} ({len(set(quads))} quads)"
              + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it: a failure leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None


def _query(args: argparse.Namespace) -> int:
    from kg.query import resolve_query, run_query
    from kg.store import load_store

    sparql = resolve_query(args.query)
    store = load_store(args.graph)
    sys.stdout.write(run_query(store, sparql, args.format))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kg.validate import validate_file

    conforms, report = validate_file(args.graph)
    sys.stdout.write(report if report.endswith("\n") else report + "\n")
    return 0 if conforms else 1


def _stats(args: argparse.Namespace) -> int:
    from kg.store import load_store

    store = load_store(args.graph)
    from kg.stats import stats_text

    sys.stdout.write(stats_text(store))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from kg.eval import evaluate_dirs

    report, orphans = evaluate_dirs(args.articles, args.gold)
    for gold in orphans:
        print(f"kg: warning: {gold}: no article {gold.stem}.txt in {args.articles}; not scored", file=sys.stderr)
    sys.stdout.write(report.table(per_article=not args.quiet))
    sys.stdout.flush()
    _write_atomic(Path(args.json), report.json_text().encode("utf-8"))
    if not args.quiet:
        print(f"kg: scores written to {args.json}", file=sys.stderr)
    return 1 if any(a.errors and not a.categories for a in report.articles) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
