"""The ``kg serve`` subcommand: :func:`add_arguments` for its parser, :func:`run` to serve.

Importing this module is cheap (Starlette, uvicorn and pyoxigraph are imported by :func:`run`).
"""
from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import logging
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError

if TYPE_CHECKING:
    from kg.serve.app import ServeConfig
    from kg.serve.workers import WorkerPool

DESCRIPTION = ("Serve a graph file or a store (kg load --store) as a read-only SPARQL 1.1 endpoint at /sparql, "
               "with a query page at / and the network page at /network. Queries run in worker processes: a "
               "query past --timeout is stopped (HTTP 503), one that crashes the engine gets an error, and the "
               "server stays up.")

EPILOG = """examples:
  kg serve out/corpus.trig                        # http://127.0.0.1:8000/ (Ctrl-C to stop)
  kg serve --store out/store --port 8080 --timeout 10 --workers 4
  kg serve out/corpus.nq --port 0                  # any free port; the URL is printed

query it with curl (results as SPARQL JSON, XML, CSV or TSV; graphs as Turtle, N-Triples, JSON-LD, RDF/XML):
  curl http://127.0.0.1:8000/sparql --data-urlencode 'query=SELECT ?s WHERE { ?s a skg:Summit } LIMIT 5'
  curl http://127.0.0.1:8000/sparql -H 'Accept: text/csv' --data-urlencode query@my-query.rq
  curl http://127.0.0.1:8000/sparql -H 'Content-Type: application/sparql-query' --data-binary @my-query.rq
  curl 'http://127.0.0.1:8000/sparql?format=turtle' --data-urlencode 'query=DESCRIBE state:CN'
  curl http://127.0.0.1:8000/sparql                  # the service description (Turtle)

or from Python with SPARQLWrapper:
  from SPARQLWrapper import SPARQLWrapper, JSON
  sparql = SPARQLWrapper("http://127.0.0.1:8000/sparql")
  sparql.setQuery("SELECT ?s ?label WHERE { ?s a skg:Summit ; rdfs:label ?label }")
  sparql.setReturnFormat(JSON)
  rows = sparql.query().convert()["results"]["bindings"]

The default graph is the RDF merge of the named graphs (each triple once); the project's prefixes
(skg:, schema:, org:, prov:, skos:, dct:, rdfs:, xsd:, nif:…) need no PREFIX line. Read-only:
SPARQL Update, LOAD and SERVICE are refused (403); nothing is fetched from other hosts. A result
of more than --max-rows rows is an error (400), never a cut answer; add LIMIT. The server listens
on 127.0.0.1 only unless --host says otherwise. A GRAPH file is first loaded into a temporary store
(removed on exit) that the workers share; --store serves a store folder as it is, read-only."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kg serve`` (give ``parser`` the :data:`DESCRIPTION` and :data:`EPILOG` with
    ``RawDescriptionHelpFormatter``)."""
    parser.add_argument("graph", nargs="?", metavar="GRAPH",
                        help="graph file to serve (.trig, .nq, .ttl, .nt, .jsonld, optionally .gz)")
    parser.add_argument("--store", metavar="DIR", help="serve this store folder (made by kg load --store) instead")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every "
                             "interface)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time a query may run; past it the query is stopped, its worker replaced, and the "
                             "answer is 503 (default: 30)")
    parser.add_argument("--queue-timeout", type=float, metavar="SECONDS",
                        help="time a request may wait for a free worker, then 503 (default: as --timeout); "
                             "a query that waited still has its whole --timeout to run")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="worker processes, each answering one query at a time (default: 2)")
    parser.add_argument("--max-rows", type=int, default=100_000, metavar="N",
                        help="largest result answered, in rows or triples (default: 100000)")


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; the workers are stopped and a temporary store removed."""
    from kg.serve.app import ServeConfig
    from kg.serve.workers import WorkerPool

    if (args.graph is None) == (args.store is None):
        raise InputError("give a graph file or --store DIR (one of them)")
    missing = [name for name in ("starlette", "uvicorn", "mimeparse") if importlib.util.find_spec(name) is None]
    if missing:
        raise InputError(f"kg serve needs {', '.join(missing)}: pip install 'summit-kg[serve]'")
    if args.queue_timeout is None:
        args.queue_timeout = args.timeout
    for name, value, least in (("--timeout", args.timeout, 0.001), ("--queue-timeout", args.queue_timeout, 0.0),
                               ("--workers", args.workers, 1), ("--max-rows", args.max_rows, 1)):
        if not value >= least:
            raise InputError(f"{name} must be at least {least:g}, not {value}")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, not {args.port}")
    sock = _listen(args.host, args.port)
    temporary = None
    pool = None
    try:
        if args.graph is not None:
            temporary = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            store = temporary / "store"
            _load(Path(args.graph), store)
            label = Path(args.graph).name
        else:
            store = Path(args.store).resolve()
            _check_store(store)
            label = store.name
        config = ServeConfig(store=store, label=label, workers=args.workers, timeout=args.timeout,
                             queue_timeout=args.queue_timeout, max_rows=args.max_rows)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        if not _loopback(args.host):
            print(f"kg: warning: listening on {args.host}: other machines can reach this endpoint and run queries "
                  "on it (it is read-only); use --host 127.0.0.1 to keep it to this machine", file=sys.stderr)
        banner = (f"kg: serving {label} at http://{shown}:{port}/ (SPARQL at /sparql; {args.workers} workers, "
                  f"{args.timeout:g} s per query; Ctrl-C to stop)")
        _log_to_stderr()
        pool = WorkerPool(store, args.workers)
        _run_loop(config, pool, sock, banner)
    finally:
        sock.close()
        if pool is not None:
            pool.kill_all()
        if temporary is not None:
            try:
                shutil.rmtree(temporary)
            except OSError as exc:
                print(f"kg: warning: could not remove the temporary store {temporary}: {exc.strerror}",
                      file=sys.stderr)
    return 0


def _run_loop(config: ServeConfig, pool: WorkerPool, sock: socket.socket, banner: str) -> None:
    # not asyncio.run: its SIGINT handler would cancel the clean-up below when uvicorn, having
    # stopped on Ctrl-C, raises the signal again for the caller
    loop = _new_loop()
    try:
        loop.run_until_complete(_serve(config, pool, sock, banner))
    finally:
        loop.close()


def _new_loop() -> Any:
    """uvloop's event loop where it is installed (the ``serve`` extra: about 0.2 ms less a
    request), asyncio's otherwise."""
    try:
        import uvloop
    except ImportError:
        import asyncio

        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _serve(config: ServeConfig, pool: WorkerPool, sock: socket.socket, banner: str) -> None:
    import uvicorn

    from kg.serve.app import create_app, server_config

    try:
        await pool.start()
        server = uvicorn.Server(server_config(create_app(config, pool=pool), config))
        print(banner, file=sys.stderr, flush=True)
        await server.serve(sockets=[sock])
    finally:
        await pool.close()


def _load(graph: Path, store: Path) -> None:
    from kg.store import GraphStore, graph_file

    graph_file(graph)
    print(f"kg: loading {graph} into a temporary store", file=sys.stderr, flush=True)
    graphs = GraphStore.open(store, create=True)
    graphs.load(graph)
    if graphs.triple_count() == 0:
        raise InputError(f"{graph}: the graph is empty")
    # the last reference goes with this frame: the store is closed before the workers open it


def _check_store(store: Path) -> None:
    from kg.store import GraphStore

    GraphStore.open(store, read_only=True)  # a one-line error now rather than in every worker


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port``; :class:`InputError` when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InputError(f"--host {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log_to_stderr() -> None:
    logger = logging.getLogger("kg.serve")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
