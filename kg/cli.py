"""The ``kg`` command line: build, load, query, serve, push, validate, stats, eval, viz.

Every failure the user can cause is a :class:`kg.errors.KGError`, printed as one line
(``kg: error: …``) with a non-zero exit status; no traceback.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from kg import __version__
from kg.errors import InputError, KGError
from kg.pipeline.read import MAX_CHARS

EPILOG_BUILD = """examples:
  kg build data/articles/sco2020_video_summit.txt -o out/sco2020.ttl
  kg build data/articles -o out/corpus.trig        # a folder: every *.txt in it
  kg build report.txt --encoding gb18030 > report.ttl
  kg build data/articles more/ -o out/corpus.trig --update   # re-extract changed articles only

Each NAME.txt may have a sidecar NAME.meta.json (id, title, source, published YYYY-MM-DD, url).
Output format follows the extension of -o: .ttl Turtle, .trig TriG, .nq N-Quads, .nt N-Triples,
.jsonld JSON-LD. TriG, N-Quads and JSON-LD keep the named graphs (one per article, one for
inferred facts, one for background knowledge); Turtle and N-Triples hold their union.

Every article needs its own id (meta "id", else the file name): two inputs with the same id are an
error. An article that fails is reported by name and left out; the others are built (exit 1). An
article in which no summit is found is built, with a warning (kg: warning: NAME: no summit found),
even with -q; the summary line counts them.
--update reads OUT (.trig, .nq or .jsonld), keeps the graphs of every article whose text, meta
and extractor are unchanged, re-extracts the others, drops the graphs of articles that are not
among the inputs, and writes what a full build would write. A missing OUT means a full build.

Archives: articles are extracted by --jobs worker processes (default: every core) and written one
at a time as they come, in the order of their ids, so memory does not grow with the archive and
the output is the same bytes for every --jobs, and for --dask:
  kg build archive/ -o archive.nq --jobs 2
  kg build archive/ -o archive.nq --dask local --jobs 4
  kg build /shared/archive -o /shared/archive.nq --dask tcp://scheduler:8786 --parts /shared/parts
On a terminal a progress bar shows the rate and the time left; -q silences it."""

EPILOG_QUERY = """examples:
  kg query out/sco2020.ttl summits
  kg query out/sco2020.ttl attendees --format csv
  kg query out/sco2020.ttl my-query.rq --format json
  kg query out/sco2020.ttl 'SELECT (COUNT(*) AS ?n) WHERE { ?s a skg:Summit }'
  kg query --store out/store members                # a store made by kg load
  kg query out/sco2020.ttl attendees --iris         # the table with the IRI columns too

A table is for reading: columns whose values are all IRIs (summit, attendee…) are left out unless
--iris is given (then IRIs are shown as prefixed names, state:CN), and it is as wide as the
terminal (--width N: N columns; no limit when standard output is not a terminal), cells cut with
…. The lines below the rows say what was left out or cut. csv, tsv and json give every value whole.

bundled queries: summits, documents, initiatives, speeches, persons, organizations, states,
attendees, members, areas, evidence (see the README for their columns).

The default graph is the merge of the file's named graphs: each triple once, however many
graphs state it; GRAPH ?g { … } reads the named graphs themselves. The prefixes of kg build's
Turtle are declared for you: skg:, schema:, org:, prov:, skos:, dct:/dcterms:, nif:, rdf:, rdfs:,
xsd:, owl:, time:, foaf:, sem:, sh:, wd:, and for ids state: (state:CN), orgid:, person:, city:,
area:, initiative:, graph: and kgid:. Language tags compare in lower case (the store keeps them so):
use langMatches(lang(?l), "zh-Hans"), which ignores case, rather than lang(?l) = "zh-Hans".
Read-only: SPARQL Update and SERVICE (a request to another host) are refused. The query runs in
a child process: --timeout and Ctrl-C stop it, and a query that crashes the SPARQL engine is
reported in one line (exit 2)."""

EPILOG_LOAD = """examples:
  kg load out/corpus.trig --store out/store         # make the store, or add to it
  kg load archive/parts/*.nq --store out/store      # the parts of a --dask build
  kg load out/corpus.trig --store out/store         # again after kg build --update: graphs replaced
  kg query --store out/store attendees
  kg serve --store out/store

A store is a folder (Oxigraph's RocksDB files and summit-kg-store.json). Loading a file whose named
graphs (one per article, its inferred facts, the reference) are already in the store replaces
them; the default graph, the merge of all named graphs, follows. A file of triples (.ttl, .nt)
goes to the graph .../graph/file/NAME-HASH. Each file is read once to check it before the store
changes. The store normalises literals (integers become xsd:integer, language tags lower case):
publish the files kg build writes, not a dump of the store. One process writes a store at a time;
stop kg serve before loading into its store."""

EPILOG_EVAL = """examples:
  kg eval my-articles --gold my-gold                  # the tables on standard output, no file
  kg eval my-articles --gold my-gold --json out/scores.json -q   # and the scores as JSON

Only articles with a gold file are built, all in this one process. The numbers are those of the
maintainers' scorer (gold_score.py); after each article's categories come the totals per category
and a table of each article's tp/fp/fn, P, R and F1. The gold format is described in the README
("Evaluating on your own annotations"). Exit 0 when every article was scored, 1 when an article
failed to build, 2 for bad input (a missing folder, no gold files, a gold file that is not JSON)."""


EPILOG_VIZ = """examples:
  kg viz out/sco2020.trig -o sco2020.html              # the network page (one offline HTML file)
  kg viz out/corpus.trig -o corpus.html --lang en      # English names where the reference has them
  kg viz out/corpus.trig -o corpus.graphml             # GraphML (or .gexf) for Gephi, yEd, Cytoscape

The page is self-contained (vis-network inlined, no request to any host) and UTF-8. Click a node or
an edge for its facts and source sentences; filter by class, article and summit; search by name.
Stated facts are solid, inferred ones dashed, background knowledge dotted and light; nodes only
background knowledge speaks of are hidden until "show background nodes" is ticked. Positions are
precomputed; --physics auto lets the browser polish them up to 300 nodes. Above --max-nodes the
page leaves out background nodes, then collapses each summit's documents and initiatives into one
group node, and says so. Standard error shows the stages (a spinner on a terminal, a line each in a
log) and a closing line: kg: wrote OUT (size): N nodes (B background), E edges, in S s. -q silences them."""

EPILOG_VALIDATE = """examples:
  kg validate out/sco2020.trig
  kg validate --store out/store -q

The report goes to standard output. Standard error shows the stages (reading, checking N triples
against the shapes; a spinner with the time spent on a terminal, a line each in a log) and a closing
line: kg: validated GRAPH in S s: conforms (or does not conform), V violations, W warnings. -q
silences them."""

EPILOG_STATS = """examples:
  kg stats out/sco2020.ttl
  kg stats out/corpus.trig --central          # the 10 most connected states, persons, initiatives
  kg stats out/corpus.trig --central -n 5
  kg stats out/corpus.trig --no-background    # what the articles say, without ontology and reference

The counts are over every graph, background knowledge (the ontology and the reference facts, such as
every SCO summit and member state) included. --no-background counts the article graphs only (their
stated and inferred facts; a file with named graphs, .trig, .nq or .jsonld, or a store).

--central ranks entities by degree centrality over the entity–entity facts the articles give
(stated or inferred; background knowledge left out), as drawn by kg viz."""


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
    build.add_argument("--update", action="store_true", help="update OUT: re-extract only the articles whose text, "
                                                             "meta or extractor changed, keep the graphs of the "
                                                             "others (needs -o with .trig, .nq or .jsonld)")
    build.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="worker processes extracting articles (default: the number of cores); the output is "
                            "the same bytes for every N")
    build.add_argument("--dask", metavar="ADDRESS",
                       help="extract on a Dask cluster: 'local' (a LocalCluster of --jobs workers on 127.0.0.1) or "
                            "a scheduler address such as tcp://scheduler:8786 (pip install 'summit-kg[dask]')")
    build.add_argument("--parts", metavar="DIR",
                       help="with --dask: a folder every worker can write and this machine can read, for the "
                            "partitions' N-Quads files (default: a temporary folder, for --dask local)")
    build.add_argument("--segmenter", default="jieba", choices=("jieba", "rjieba"),
                       help="word segmenter: jieba, or rjieba (jieba-rs, the same tokens, faster to set up; "
                            "pip install 'summit-kg[fast]') (default: jieba)")
    build.add_argument("--max-chars", type=int, default=MAX_CHARS, metavar="N",
                       help=f"longest article, in characters: a longer one fails (default: {MAX_CHARS:,})")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="no progress or summary on standard error (errors and warnings are printed all the same)")

    load = sub.add_parser("load", help="load graph files into a persistent SPARQL store",
                          description="Load graph files into an on-disk store (made if missing) for fast "
                                      "queries: kg query/stats/viz/validate/serve --store DIR.",
                          epilog=EPILOG_LOAD, formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("graphs", nargs="+", metavar="GRAPH",
                      help="graph files (.trig, .nq, .jsonld keep named graphs; .ttl, .nt; any of them .gz)")
    load.add_argument("--store", required=True, metavar="DIR", help="the store folder")
    load.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on standard error")

    query = sub.add_parser("query", help="run a SPARQL query on a graph file or store",
                           description="Run SPARQL on a graph file built by `kg build`, or on a store "
                                       "made by `kg load`: kg query GRAPH QUERY, or kg query --store DIR QUERY.",
                           usage="kg query (GRAPH | --store DIR) QUERY [--format FORMAT]",
                           epilog=EPILOG_QUERY, formatter_class=argparse.RawDescriptionHelpFormatter)
    query.add_argument("operands", nargs="+", metavar="GRAPH QUERY",
                       help="a graph file (.ttl, .trig, .nq, .nt, .jsonld, optionally .gz) unless --store is "
                            "given, then a bundled query name, a .rq file, or SPARQL text")
    _store_option(query)
    query.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="stop the query after this long (default: no limit; Ctrl-C stops it at any time)")
    query.add_argument("--format", default="table", choices=("table", "csv", "tsv", "json"),
                       help="result format; json is W3C SPARQL 1.1 results JSON (default: table)")
    query.add_argument("--iris", action="store_true",
                       help="table: keep the columns of IRIs, shown as prefixed names (state:CN); by default "
                            "they are left out (csv, tsv and json always give every IRI whole)")
    query.add_argument("--width", type=int, metavar="N",
                       help="table: at most N columns wide, cells cut with … (default: the terminal's width; "
                            "no limit when standard output is not a terminal; 0: no limit)")

    from kg import push_cli
    from kg.serve import cli as serve_cli

    serve = sub.add_parser("serve", help="serve a graph file or store as a read-only SPARQL 1.1 endpoint",
                           description=serve_cli.DESCRIPTION, epilog=serve_cli.EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    serve_cli.add_arguments(serve)

    push = sub.add_parser("push", help="send a graph file to a SPARQL server (Graph Store protocol)",
                          description=push_cli.DESCRIPTION, epilog=push_cli.EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    push_cli.add_arguments(push)

    validate = sub.add_parser("validate", help="check a graph file against the SHACL shapes",
                              description="Validate a graph against ontology/shapes.ttl. Exit 0 when it "
                                          "conforms, 1 with a report when it does not.",
                              epilog=EPILOG_VALIDATE, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("graph", nargs="?", metavar="GRAPH")
    _store_option(validate)
    validate.add_argument("-q", "--quiet", action="store_true",
                          help="no stages or closing line on standard error (the report is printed all the same)")

    stats = sub.add_parser("stats", help="count instances per class and triples per property",
                           description="Print how many instances each class has and how many triples use "
                                       "each property.", epilog=EPILOG_STATS,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    stats.add_argument("graph", nargs="?", metavar="GRAPH")
    _store_option(stats)
    stats.add_argument("--central", action="store_true",
                       help="rank the most connected states, persons and initiatives instead")
    stats.add_argument("-n", "--top", type=int, default=10, metavar="N",
                       help="with --central: how many of each class (default: 10)")
    stats.add_argument("--no-background", action="store_true",
                       help="count only the article graphs, leaving out the ontology and the reference facts")

    evaluate = sub.add_parser("eval", help="score the graphs of annotated articles against gold files",
                              description="Build every article of ARTICLES_DIR that has a gold annotation "
                                          "GOLD_DIR/<id>.json (schema summit-gold/1), run the bundled queries "
                                          "on its graph and score them per category: precision, recall and F1 "
                                          "(tp/fp/fn), attribute accuracy, and the micro average.",
                              epilog=EPILOG_EVAL, formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("articles", metavar="ARTICLES_DIR", help="folder of articles <id>.txt "
                                                                   "(with optional <id>.meta.json)")
    evaluate.add_argument("--gold", required=True, metavar="GOLD_DIR", help="folder of gold files <id>.json")
    evaluate.add_argument("--json", metavar="OUT.json",
                          help="also write the scores as JSON (sorted keys) to OUT.json (default: no file)")
    evaluate.add_argument("--max-chars", type=int, default=MAX_CHARS, metavar="N",
                          help=f"longest article, in characters: a longer one fails (default: {MAX_CHARS:,})")
    evaluate.add_argument("-q", "--quiet", action="store_true",
                          help="print only the totals and the per-article table, not each article's categories")

    viz = sub.add_parser("viz", help="draw a graph file as an offline HTML network page, or export it",
                         description="Write the network page of a graph file: one self-contained HTML file "
                                     "(nodes by class, edges labelled in plain words, the facts and source "
                                     "sentences of whatever is clicked), or GraphML / GEXF for other tools.",
                         epilog=EPILOG_VIZ, formatter_class=argparse.RawDescriptionHelpFormatter)
    viz.add_argument("graph", nargs="?", metavar="GRAPH", help="graph file (.ttl, .trig, .nq, .nt, .jsonld)")
    _store_option(viz)
    viz.add_argument("-o", "--output", required=True, metavar="OUT",
                     help="output file; its extension picks what is written: .html page, .graphml, .gexf")
    viz.add_argument("--lang", default="zh", choices=("zh", "en"),
                     help="labels and page text in Chinese or English (English where the graph has it; "
                          "default: zh)")
    viz.add_argument("--max-nodes", type=int, default=5000, metavar="N",
                     help="aggregate above N nodes instead of drawing them all (default: 5000)")
    viz.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on standard error")
    viz.add_argument("--physics", default="auto", choices=("auto", "on", "off"),
                     help="let the browser move nodes after loading: auto = up to 300 nodes (default: auto)")
    return parser


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR", help="read a store made by kg load instead of a graph file")


def _graph_store(graph: str | None, store: str | None):  # type: ignore[no-untyped-def]
    from kg.store import open_graph

    return open_graph(graph, store)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (kill, a job scheduler's time limit) ends the command like Ctrl-C: temporary files go."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    handles_signals = threading.current_thread() is threading.main_thread()
    # SIGTERM (kill, a scheduler's time limit) and SIGHUP (the terminal closed) end a command like Ctrl-C
    previous = {number: signal.signal(number, _terminate) for number in (signal.SIGTERM, signal.SIGHUP)} \
        if handles_signals else {}
    try:
        return {"build": _build, "load": _load, "query": _query, "push": _push, "serve": _serve,
                "validate": _validate, "stats": _stats,
                "eval": _eval, "viz": _viz}[args.command](args)
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
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _build(args: argparse.Namespace) -> int:
    from kg.corpus import ArticleOutcome, Previous, build_corpus, check_update_target, read_previous
    from kg.pipeline.read import discover
    from kg.progress import Progress
    from kg.serialize import Output, output_format

    if args.update:
        check_update_target(args.output)
    fmt, compress = output_format(args.output) if args.output else ("turtle", False)
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {args.jobs}")
    if args.max_chars < 1:
        raise InputError(f"--max-chars must be at least 1, not {args.max_chars}")
    if args.parts and not args.dask:
        raise InputError("--parts is the shared folder of a --dask build; give --dask too")
    paths = discover(args.articles)  # fail early on missing files, before loading anything
    debug = bool(os.environ.get("KG_DEBUG"))
    try:
        with contextlib.ExitStack() as stack:
            # the temporary output is made first: a folder that cannot be written fails before any extraction
            out = stack.enter_context(_output(args.output))
            previous = read_previous(args.output) if args.update else None
            if args.update and previous is None:
                if not args.quiet:
                    print(f"kg: {args.output} does not exist yet: full build", file=sys.stderr)
                previous = Previous()  # every article is new
            from kg.parallel import make_executor

            executor = make_executor(args.jobs, args.segmenter, dask=args.dask, parts=args.parts)
            close = getattr(executor, "close", None)
            if close is not None:
                stack.callback(close)
            progress = stack.enter_context(Progress("building", len(paths), quiet=args.quiet))

            def report(index: int, outcome: ArticleOutcome) -> None:
                if outcome.error is not None:
                    message = str(outcome.error)
                    named_message = message if str(outcome.path) in message else f"{outcome.path}: {message}"
                    progress.log(f"kg: error: {named_message}", always=True)
                    details = getattr(outcome.error, "traceback", "")
                    if debug and details:
                        progress.log(details.rstrip("\n"), always=True)
                    progress.advance()
                elif len(paths) > 1 or args.update:
                    what = {"reused": "reused, ",
                            "built": f"{outcome.reason}, " if outcome.reason else ""}[outcome.status]
                    progress.advance(f"[{index}/{len(paths)}] {outcome.path.name}: {what}{outcome.quads} quads")
                else:
                    progress.advance()
                if outcome.error is None and not outcome.summits:
                    progress.log(f"kg: warning: {outcome.path}: no summit found", always=True)

            output = Output(fmt, out, compress=compress)
            stack.callback(output.cleanup)
            result = build_corpus(paths, output, encoding=args.encoding, previous=previous,
                                  executor=executor, progress=report, max_chars=args.max_chars)
            if result.count("failed") == len(paths):
                raise _NothingBuilt()  # nothing is published: an existing output stays as it was
    except _NothingBuilt:
        return 2
    failed = result.count("failed")
    if not args.quiet:
        for dropped in result.dropped:
            print(f"kg: dropped the graphs of article {dropped} (not built from the inputs)", file=sys.stderr)
        print(_build_summary(result, args.output or "standard output", args.update), file=sys.stderr)
    return 1 if failed else 0


class _NothingBuilt(Exception):
    """Every article failed: nothing is written (an existing output stays as it was)."""


def _build_summary(result, where: str, update: bool) -> str:  # type: ignore[no-untyped-def]
    """``kg: built 3 articles → OUT (N quads)``; an update also counts reused and dropped articles;
    then the articles without a summit and those that failed, if any."""
    built, failed = result.count("built"), result.count("failed")
    quads = result.statements
    if update:
        counts = f"{built} extracted, {result.count('reused')} reused, {len(result.dropped)} dropped"
        line = f"kg: updated {where}: {counts} ({quads} quads)"
    else:
        line = f"kg: built {built} article{'s' if built != 1 else ''} → {where} ({quads} quads)"
    no_summit = sum(1 for outcome in result.outcomes if outcome.status != "failed" and not outcome.summits)
    return line + (f"; {no_summit} without a summit" if no_summit else "") + (f"; {failed} failed" if failed else "")


@contextlib.contextmanager
def _output(output: str | None) -> Iterator[BinaryIO]:
    """A binary stream for a command's output: standard output, or a temporary file beside OUT,
    made at once (an unwritable folder is an error before any work), that replaces OUT only when
    the command succeeds; stale temporary files of OUT from killed runs are removed (kg.atomic)."""
    from kg.atomic import atomic_output

    with atomic_output(output) as handle:
        yield handle


def _load(args: argparse.Namespace) -> int:
    from kg.progress import Progress
    from kg.store import GraphStore, graph_file

    for path in args.graphs:
        graph_file(path)  # every file exists and has a known format before the store is touched
    store = GraphStore.open(args.store, create=True)
    added = replaced = 0
    with Progress("loading", total=len(args.graphs), quiet=args.quiet) as progress:
        for path in args.graphs:
            loaded = store.load(path)
            added += len(loaded.added)
            replaced += len(loaded.replaced)
            progress.advance(f"{path}: {loaded.quads} quads, {len(loaded.added)} graphs added, "
                             f"{len(loaded.replaced)} replaced")
    if not args.quiet:
        print(f"kg: {args.store}: {len(args.graphs)} file{'s' if len(args.graphs) != 1 else ''} loaded, "
              f"{added} graphs added, {replaced} replaced; {len(store.named_graphs())} named graphs, "
              f"{store.triple_count()} distinct triples", file=sys.stderr)
    return 0


def _query(args: argparse.Namespace) -> int:
    from kg.query import resolve_query, run_query

    expected = 1 if args.store else 2
    if len(args.operands) != expected:
        usage = "kg query --store DIR QUERY" if args.store else "kg query GRAPH QUERY (or kg query --store DIR QUERY)"
        raise InputError(f"expected {usage}")
    graph, query = (None, args.operands[0]) if args.store else args.operands
    if args.timeout is not None and args.timeout <= 0:
        raise InputError(f"--timeout must be more than 0 seconds, not {args.timeout:g}")
    sparql = resolve_query(query)
    from kg.isolate import run_isolated
    from kg.sparql import check

    check(sparql)  # refused before any file is read

    width = _table_width(args.width)

    def work() -> str:
        return run_query(_graph_store(graph, args.store), sparql, args.format, width=width, iris=args.iris)

    sys.stdout.write(run_isolated(work, args.timeout))
    return 0


def _table_width(width: int | None) -> int | None:
    """The widest a table may be: ``--width`` (0: no limit), else the terminal's width when
    standard output is a terminal, else no limit."""
    import shutil

    if width is not None:
        if width < 0:
            raise InputError(f"--width must be 0 (no limit) or more, not {width}")
        return width or None
    isatty = getattr(sys.stdout, "isatty", None)
    return shutil.get_terminal_size().columns if isatty is not None and isatty() else None


def _serve(args: argparse.Namespace) -> int:
    from kg.serve.cli import run

    return run(args)


def _push(args: argparse.Namespace) -> int:
    from kg import push_cli

    return push_cli.run(args)


def _validate(args: argparse.Namespace) -> int:
    from kg.progress import Progress
    from kg.validate import validate_file

    with Progress("validating", quiet=args.quiet) as progress:
        conforms, report = validate_file(args.graph, stage=progress.stage, store=args.store)
    sys.stdout.write(report if report.endswith("\n") else report + "\n")
    sys.stdout.flush()
    if not args.quiet:
        print(f"kg: validated {args.graph or args.store} in {progress.seconds:.1f} s: {_verdict(report)}",
              file=sys.stderr)
    return 0 if conforms else 1


def _verdict(report: str) -> str:
    """``conforms, 0 violations, 2 warnings`` from the first line of a :func:`kg.validate.validate_file` report."""
    import re

    head = report.split("\n", 1)[0]
    counts = {kind: int(found.group(1)) if found else 0 for kind in ("violation", "warning")
              for found in [re.search(rf"\b(\d+) {kind}s?\b", head)]}
    word = "does not conform" if head.startswith("does not conform") else "conforms"
    return (f"{word}, {counts['violation']} violation{'s' if counts['violation'] != 1 else ''}, "
            f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}")


def _stats(args: argparse.Namespace) -> int:
    if args.central:
        return _stats_central(args)
    store = _graph_store(args.graph, args.store)
    from kg.stats import stats_text

    sys.stdout.write(stats_text(store, background=not args.no_background))
    return 0


def _stats_central(args: argparse.Namespace) -> int:
    """``kg stats --central``: the most connected states, persons and initiatives, as a table."""
    from kg.query import format_table
    from kg.viz.data import CLASS_IRIS, load
    from kg.viz.layout import central

    if args.top < 1:
        raise InputError(f"-n must be at least 1, not {args.top}")
    graph = load(_graph_store(args.graph, args.store))
    rows = central(graph, args.top)
    words = graph["words"]
    sys.stdout.write("most connected entities: degree centrality over the entity–entity facts the articles give\n\n")
    sys.stdout.write(format_table(["class", "rank", "label", "links", "centrality"],
                                  [[words[CLASS_IRIS[r["class"]]]["en"], str(r["rank"]), r["label"], str(r["degree"]),
                                    f"{r['centrality']:.3f}"] for r in rows], width=_table_width(None)))
    return 0


def _viz(args: argparse.Namespace) -> int:
    from kg.viz import OUTPUT_FORMATS

    out = Path(args.output)
    kind = OUTPUT_FORMATS.get(out.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(OUTPUT_FORMATS))
        raise InputError(f"{out}: unknown output extension {out.suffix or '(none)'!r} for kg viz; use one of {known}")
    if args.max_nodes < 1:
        raise InputError(f"--max-nodes must be at least 1, not {args.max_nodes}")
    from kg.progress import Progress
    from kg.viz import data as viz_data

    source = args.graph or args.store
    # the temporary output is made before the work: a folder that cannot be written fails at once
    with _output(str(out)) as handle, Progress(f"reading {source}", quiet=args.quiet) as progress:
        progress.stage(f"reading {source}")
        graph = viz_data.load(_graph_store(args.graph, args.store))
        nodes, edges = len(graph["nodes"]), len(graph["edges"])
        progress.stage(f"drawing {nodes} nodes and {edges} edges")
        if kind == "html":
            from kg.viz.render import render_page

            payload = render_page(graph, lang=args.lang, physics=args.physics,
                                  max_nodes=args.max_nodes).encode("utf-8")
        else:
            from kg.viz.export import export

            payload = export(graph, kind)
        handle.write(payload)
    if not args.quiet:
        background = sum(1 for node in graph["nodes"] if node["kind"] == "background")
        aggregated = f"; more than --max-nodes {args.max_nodes}: aggregated, as the page says" \
            if kind == "html" and nodes > args.max_nodes else ""
        print(f"kg: wrote {out} ({len(payload) / 1e6:.1f} MB): {nodes} nodes ({background} background), "
              f"{edges} edges, in {progress.seconds:.1f} s{aggregated}", file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from kg.eval import Evaluator, find_pairs, read_gold

    if args.max_chars < 1:
        raise InputError(f"--max-chars must be at least 1, not {args.max_chars}")
    pairs, orphans = find_pairs(args.articles, args.gold)
    for _, gold in pairs:
        read_gold(gold)  # a malformed gold file stops the run before the pipeline is loaded
    for gold in orphans:
        print(f"kg: warning: {gold}: no article {gold.stem}.txt in {args.articles}; not scored", file=sys.stderr)
    # the temporary JSON file is made before the evaluation: a place that cannot be written fails at once
    with _output(args.json) if args.json else contextlib.nullcontext() as handle:
        report = Evaluator(max_chars=args.max_chars).evaluate(pairs)
        if os.environ.get("KG_DEBUG"):
            for article in report.articles:
                if article.traceback:
                    print(article.traceback.rstrip("\n"), file=sys.stderr)
        sys.stdout.write(report.table(per_article=not args.quiet))
        sys.stdout.flush()
        if handle is not None:
            handle.write(report.json_text().encode("utf-8"))
    if args.json and not args.quiet:
        print(f"kg: scores written to {args.json}", file=sys.stderr)
    return 1 if any(a.failed for a in report.articles) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
