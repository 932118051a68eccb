#!/usr/bin/env python3
"""Benchmark of the SPARQL store and endpoint (a benchmark, not a test: it measures and prints).

    .venv/bin/python tools/bench_serve.py [--articles 400] [--requests 10000] [--clients 50]
                                          [--repeat 201] [--budget 20] [--work DIR] [--json FILE]
                                     [--queries NAME,...] [--reuse-store]

1. Makes (or reuses, from the work folder) a synthetic corpus of ``--articles`` invented reports
   (tools/synth_corpus.py) and builds it to N-Quads (``kg build --jobs 2``); 400 articles give
   about 1.2 million quads.
2. Loads it into a fresh store with ``kg load`` (timed) and counts the named-graph quads and the
   distinct triples of the merge.
3. For every bundled query: the median of ``--repeat`` runs of pyoxigraph called directly on the
   same store (``Store.read_only(DIR).query(text, prefixes=…)``, results serialised to SPARQL JSON,
   as a client would need them), and the median of ``--repeat`` requests to ``kg serve --store DIR``
   over HTTP (POST form, ``Accept: application/sparql-results+json``, one kept-alive connection),
   after one warm-up each; the ratio endpoint ÷ direct as the median of the ratios of each pair.
4. ``--requests`` requests from ``--clients`` concurrent clients (asyncio, httpx): bundled queries
   in proportion to their cost (cheap ones more often), 2 % invalid queries (400 expected),
   1 % updates (403 expected) and ``--slow`` cartesian products that must stop at the server's
   ``--timeout`` (503 expected), on a server whose ``--queue-timeout`` (60 s) lets requests wait in
   line while two cartesian products hold both workers; queries that take more than a quarter of ``--timeout`` directly
   are left out of the mix (the latencies of step 3 run on a server with a 600 s timeout).
   Reports the status counts, the failures (anything not expected: connection errors, other
   statuses), and p50 / p99 latency.

Prints a Markdown table for the README; ``--json`` writes every figure.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def, type-arg]
    return subprocess.run(argv, check=True, cwd=ROOT, **kwargs)


def corpus(work: Path, articles: int) -> Path:
    folder = work / f"synthetic-{articles}"
    graph = work / f"synthetic-{articles}.nq"
    if not graph.exists():
        if not folder.exists():
            run([sys.executable, "tools/synth_corpus.py", "-n", str(articles), str(folder)], stdout=subprocess.DEVNULL)
        print(f"building {articles} articles …", file=sys.stderr)
        run([*KG, "build", str(folder), "-o", str(graph), "--jobs", "2", "-q"])
    return graph


def load(work: Path, graph: Path, reuse: bool) -> tuple[Path, float | None]:
    store = work / "store"
    if reuse and store.exists():
        return store, None
    if store.exists():
        run(["rm", "-rf", str(store)])
    start = time.perf_counter()
    run([*KG, "load", str(graph), "--store", str(store), "-q"])
    return store, time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


MIN_PAIRS = 5


def latency(store: Path, url: str, queries: dict[str, str], repeat: int,
            budget: float) -> dict[str, dict[str, float]]:
    """Per query, interleaved: pyoxigraph directly in this process, then the endpoint (the server
    idle meanwhile), ``repeat`` times after a warm-up of each (or as many, at least
    :data:`MIN_PAIRS`, as fit in ``budget`` seconds); medians, and the median of the
    ratios of each pair. A query of a few milliseconds runs up to half as fast again for a while
    on this virtual machine and then not (the same query, in one process, on an idle machine), so
    the ratio of a pair, measured within a few milliseconds, is steadier than a ratio of medians.
    The client (:func:`exchange`) is connected before the clock starts (as a kept-alive connection
    would be; the server closes idle ones after 5 s), so the figure is the server's, not a
    client's. The warm-up checks that both give the same rows."""
    from urllib.parse import urlsplit

    import pyoxigraph as ox

    db = ox.Store.read_only(str(store))
    where = urlsplit(url)
    out = {}
    for name, text in queries.items():
        out[name] = _pairs(db, where, name, text, repeat, budget)
    return out


def _pairs(db: Any, where: Any, name: str, text: str, repeat: int, budget: float) -> dict[str, float]:
    """One query's interleaved pairs (see :func:`latency`)."""
    import pyoxigraph as ox

    from kg.sparql import PREFIXES

    direct, endpoint = [], []
    rows = 0
    request = form_request(where.path, text)
    began = time.perf_counter()
    for i in range(repeat + 1):
        if len(direct) >= MIN_PAIRS and time.perf_counter() - began > budget:
            break  # a slow query: fewer pairs
        start = time.perf_counter()
        body = db.query(text, prefixes=PREFIXES).serialize(format=ox.QueryResultsFormat.JSON)
        elapsed = time.perf_counter() - start
        if i:
            direct.append(elapsed)
        with socket.create_connection((where.hostname, where.port), timeout=600) as sock:
            start = time.perf_counter()
            status, answer = exchange(sock, request)
            elapsed = time.perf_counter() - start
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status}: {answer[:200]!r}")
        if i:
            endpoint.append(elapsed)
        else:  # the warm-up: the same rows both ways
            rows = len(json.loads(body)["results"]["bindings"])
            if len(json.loads(answer)["results"]["bindings"]) != rows:
                raise SystemExit(f"{name}: the endpoint's rows differ from pyoxigraph's")
    return {"rows": rows, "pairs": len(direct), "direct_s": statistics.median(direct),
            "endpoint_s": statistics.median(endpoint),
            "ratio": statistics.median(e / d for d, e in zip(direct, endpoint, strict=True))}


def form_request(path: str, query: str) -> bytes:
    """The bytes of a POST of ``query`` as a form, made before the clock starts: encoding the
    request is the client's work, not the server's."""
    from urllib.parse import quote_plus

    body = b"query=" + quote_plus(query).encode("ascii")
    return (b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Accept: application/sparql-results+json\r\nContent-Length: %d\r\n\r\n%s"
            % (path.encode("ascii"), len(body), body))


def exchange(sock: socket.socket, request: bytes) -> tuple[int, bytes]:
    """Send ``request`` (:func:`form_request`) on a connected socket; the status and the body.
    HTTP/1.1 by hand, for a measuring client only: a request written in one piece and an answer
    read to its ``Content-Length`` (uvicorn always sends one for this endpoint), where
    http.client parses the headers with the email package, a tenth of a millisecond or more of
    the client's own."""
    sock.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the server closed the connection before its answer")
        received += chunk
    head, _, answer = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:"))
    parts = [answer]
    size = len(answer)
    while size < length:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the server closed the connection in the middle of its answer")
        parts.append(chunk)
        size += len(chunk)
    return status, b"".join(parts)


INVALID = "SELECT * WHERE { ?s ?p "
UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


async def load_test(url: str, queries: dict[str, str], cost: dict[str, float], requests: int, clients: int,
                    slow: int, seed: int) -> dict[str, object]:
    import httpx

    rng = random.Random(seed)
    names = sorted(queries)
    weights = [1.0 / max(cost[name], 1e-3) for name in names]  # cheap queries more often
    plan: list[tuple[str, str, int]] = []
    for _ in range(requests):
        roll = rng.random()
        if roll < 0.02:
            plan.append(("invalid", INVALID, 400))
        elif roll < 0.03:
            plan.append(("update", UPDATE, 403))
        else:
            name = rng.choices(names, weights)[0]
            plan.append((name, queries[name], 200))
    for index in rng.sample(range(requests), slow):
        plan[index] = ("timeout", SLOW, 503)
    queue: asyncio.Queue[tuple[str, str, int]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    latencies: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    failures: list[str] = []

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            try:
                kind, text, expected = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            try:
                response = await http.post(url, data={"query": text},
                                           headers={"Accept": "application/sparql-results+json"})
                status = response.status_code
            except httpx.HTTPError as exc:
                status = -1
                failures.append(f"{kind}: {type(exc).__name__}")
            latencies.setdefault(kind, []).append(time.perf_counter() - start)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status != expected and status != -1:
                failures.append(f"{kind}: {status} (expected {expected})")

    start = time.perf_counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=900, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    wall = time.perf_counter() - start
    every = sorted(x for values in latencies.values() for x in values)
    ok = sorted(x for kind, values in latencies.items() if kind not in ("timeout",) for x in values)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] if values else float("nan")

    return {"requests": requests, "clients": clients, "wall_s": wall, "statuses": statuses,
            "failures": len(failures), "failure_examples": failures[:10],
            "p50_s": pct(every, 0.5), "p99_s": pct(every, 0.99),
            "p50_without_timeouts_s": pct(ok, 0.5), "p99_without_timeouts_s": pct(ok, 0.99),
            "per_kind": {kind: {"n": len(v), "p50_s": pct(sorted(v), 0.5), "p99_s": pct(sorted(v), 0.99)}
                         for kind, v in sorted(latencies.items())}}


@contextlib.contextmanager
def serve(store: Path, workers: int, timeout: float, queue_timeout: float | None = None) -> Iterator[str]:
    """``kg serve --store`` on a free port of 127.0.0.1, ready; its /sparql URL."""
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    server = subprocess.Popen([*KG, "serve", "--store", str(store), "--port", str(port), "--workers", str(workers),
                               "--timeout", str(timeout),
                               "--queue-timeout", str(timeout if queue_timeout is None else queue_timeout),
                               "--max-rows", "10000000"],
                              cwd=ROOT, stderr=subprocess.DEVNULL if not os.environ.get("BENCH_LOG") else None)
    try:
        for _ in range(600):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=201, help="pairs of runs per query (at most)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per query for those pairs (at least 5 pairs are run)")
    parser.add_argument("--slow", type=int, default=10, help="cartesian products that must time out")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --timeout")
    parser.add_argument("--queue-timeout", type=float, default=60.0,
                        help="the server's --queue-timeout: 50 clients wait in line for 2 workers")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-serve"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--queries", help="only these bundled queries (comma-separated names)")
    parser.add_argument("--reuse-store", action="store_true",
                        help="query the store the last run loaded (no load time is measured)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from kg.query import bundled_queries
    from kg.store import GraphStore

    args.work.mkdir(parents=True, exist_ok=True)
    graph = corpus(args.work, args.articles)
    store, load_s = load(args.work, graph, args.reuse_store)
    graphs = GraphStore.open(store, read_only=True)
    quads = sum(graphs.graph_size(g) for g in graphs.named_graphs())
    triples = graphs.triple_count()
    del graphs
    loaded = "reused" if load_s is None else f"kg load {load_s:.1f} s"
    print(f"store: {quads:,} quads in {len(GraphStore.open(store, read_only=True).named_graphs())} named graphs, "
          f"{triples:,} distinct triples; {loaded}", file=sys.stderr)

    queries = bundled_queries()
    if args.queries:
        unknown = set(args.queries.split(",")) - set(queries)
        if unknown:
            parser.error(f"--queries: no bundled query {', '.join(sorted(unknown))}")
        queries = {name: text for name, text in queries.items() if name in args.queries.split(",")}
    with serve(store, args.workers, timeout=600) as url:
        latencies = latency(store, url, queries, args.repeat, args.budget)
    cost = {name: latencies[name]["direct_s"] for name in queries}
    mix = {name: text for name, text in queries.items() if cost[name] < args.timeout / 4}
    stress: dict[str, object] = {}
    if args.requests:
        with serve(store, args.workers, timeout=args.timeout, queue_timeout=args.queue_timeout) as url:
            stress = asyncio.run(load_test(url, mix, cost, args.requests, args.clients, args.slow, args.seed))
        stress["mix"] = sorted(mix)
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "quads": quads, "triples": triples,
                                         "load_s": load_s, "latency": latencies, "stress": stress}, indent=1),
                             encoding="utf-8")
    rows = []
    for name in queries:
        figures = latencies[name]
        rows.append((name, figures["rows"], figures["pairs"], figures["direct_s"] * 1000, figures["endpoint_s"] * 1000,
                     figures["ratio"]))
    loaded = "store reused" if load_s is None else f"kg load {load_s:.1f} s ({quads / load_s:,.0f} quads/s)"
    print(f"\n{args.articles} synthetic articles: {quads:,} quads, {triples:,} distinct triples; "
          f"{loaded}; {platform.python_version()}, {os.cpu_count()} cores\n")
    print("| query | rows | pairs | pyoxigraph direct (ms) | endpoint (ms) | endpoint ÷ direct (median of pairs) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, n, pairs, d, e, r in rows:
        print(f"| {name} | {n:,} | {pairs} | {d:.1f} | {e:.1f} | {r:.2f} |")
    if not stress:
        return 0
    print(f"\nmix: {', '.join(stress['mix'])}")
    print(f"{stress['requests']:,} requests, {stress['clients']} clients, {stress['wall_s']:.0f} s: "
          f"statuses {stress['statuses']}; unexpected failures {stress['failures']}; "
          f"p50 {stress['p50_s'] * 1000:.0f} ms, p99 {stress['p99_s'] * 1000:.0f} ms "
          f"(without the timeouts: p50 {stress['p50_without_timeouts_s'] * 1000:.0f} ms, "
          f"p99 {stress['p99_without_timeouts_s'] * 1000:.0f} ms)")
    if stress["failure_examples"]:
        print("failures:", stress["failure_examples"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
