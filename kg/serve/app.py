"""The ``kg serve`` web application (Starlette): a read-only SPARQL 1.1 Protocol endpoint, its
service description, the query page and the network page of the served graph.

* ``/sparql``: GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) or
  ``application/sparql-query``; ``default-graph-uri`` and ``named-graph-uri`` (repeatable); the
  result format by ``Accept`` or ``format=`` (:mod:`kg.serve.formats`); without a query, GET gives
  the service description (:mod:`kg.serve.describe`). Queries run in worker processes
  (:mod:`kg.serve.workers`).
* Refused: SPARQL Update (``update=``, ``application/sparql-update`` or an update as ``query=``),
  ``LOAD`` and ``SERVICE`` (403); a query that does not parse (400); a result of more rows than
  the limit (400, never a cut answer); a body over the size limit (413), a URL over 65,535 bytes
  (414); another content type (415); no acceptable format (406); a query past its time (503, its worker killed).
  Errors are one line of plain text, or ``{"error": …, "status": …}`` for a client preferring JSON.
* ``/`` the query page, ``/network`` the network page (rendered once, in another process),
  ``/health`` the workers.

One line per request goes to the ``kg.serve`` logger: client, method, path, status, time, bytes,
query form, rows (or the error).
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

from kg.errors import InputError, KGError, QueryCrashed, QueryError, QueryRefused, QueryTimeout
from kg.serve.answer import ResultTooLarge
from kg.serve.formats import BadAccept, NotAcceptable, negotiate, prefers_json
from kg.serve.protocol import MAX_URL, URL_TOO_LONG, http_protocol
from kg.serve.workers import NoWorker, QueryRequest, WorkerError, WorkerPool

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

logger = logging.getLogger("kg.serve")

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
UPDATE_REFUSED = ("SPARQL Update is refused: this is a read-only endpoint; graphs are written by kg build and "
                  "kg load")


@dataclass(frozen=True)
class ServeConfig:
    """What ``kg serve`` serves and its limits."""

    store: Path  # a store folder (kg load --store, or the temporary one of kg serve GRAPH)
    label: str = "summit-kg"  # what is served, for page titles
    workers: int = 2
    timeout: float = 30.0  # seconds a query may run in a worker
    queue_timeout: float | None = None  # seconds a request may wait for a free worker (None: timeout)
    max_rows: int = 100_000
    max_request: int = 1 << 20  # bytes of a POST body (a URL: kg.serve.protocol.MAX_URL)


class HTTPError(KGError):
    """A request this endpoint refuses, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def status_of(exc: KGError) -> int:
    """The HTTP status of an error."""
    if isinstance(exc, HTTPError):
        return exc.status
    for kind, status in ((QueryRefused, 403), (QueryTimeout, 503), (NoWorker, 503), (QueryCrashed, 500),
                         (ResultTooLarge, 400), (NotAcceptable, 406), (BadAccept, 400), (QueryError, 400),
                         (InputError, 400)):
        if isinstance(exc, kind):
            return status
    return 500


def create_app(config: ServeConfig, pool: WorkerPool | None = None) -> Any:
    """The application (ASGI). Without ``pool`` it starts its own workers at startup (lifespan)
    and stops them at shutdown; a given pool is the caller's to start and close.

    ``GET`` and ``POST /sparql`` go straight to the endpoint, in the same access log and CORS
    middleware as the rest: the layers of Starlette's router and exception handling (whose
    errors it does not raise) are a third of a millisecond of every query's latency on a busy
    CPU. Everything else, the preflight of ``/sparql`` included, goes through the Starlette app."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.routing import Route

    own = pool is None
    service = _Service(config, pool if pool is not None else WorkerPool(config.store, config.workers))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if own:
            async with service.pool:
                yield
        else:
            yield

    routes = [Route("/sparql", service.sparql, methods=["GET", "POST"]),
              Route("/", service.index, methods=["GET"]),
              Route("/network", service.network, methods=["GET"]),
              Route("/health", service.health, methods=["GET"])]
    cors = {"allow_origins": ["*"], "allow_methods": ["GET", "POST"], "allow_headers": ["Accept", "Content-Type"],
            "allow_credentials": False}
    middleware = [Middleware(AccessLog), Middleware(CORSMiddleware, **cors)]
    pages = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    return _Front(AccessLog(CORSMiddleware(service.sparql_app, **cors)), pages)


class _Front:
    """ASGI: ``GET`` and ``POST /sparql`` to ``sparql``, anything else to ``other``; under a
    ``root_path`` (the app mounted at ``/kg``: ``/kg/sparql``) too."""

    def __init__(self, sparql: Any, other: Any) -> None:
        self.sparql = sparql
        self.other = other

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "POST") and _is_sparql(scope):
            await self.sparql(scope, receive, send)
        else:
            await self.other(scope, receive, send)


def _is_sparql(scope: dict[str, Any]) -> bool:
    """Whether the request's path is ``/sparql`` below the app's ``root_path`` (ASGI puts the root
    path at the start of ``path``, as Starlette's ``Mount`` and uvicorn's ``--root-path`` do)."""
    return scope["path"] == scope.get("root_path", "") + "/sparql"


def server_config(app: Any, config: ServeConfig) -> Any:
    """uvicorn's settings for the application: HTTP parsed by httptools where it is installed
    (:mod:`kg.serve.protocol`), no access log of its own (the app logs one line per request),
    no ``X-Forwarded-For`` trusted (a local client could forge the logged address), request heads
    under h11 as large as a body (a longer URL gets 414, not h11's bare 400), a short grace
    period on shutdown. (The event loop is the caller's: ``kg serve`` runs uvloop's where it is
    installed.)"""
    import uvicorn

    return uvicorn.Config(app, lifespan="on", http=http_protocol(), log_level="warning", access_log=False,
                          server_header=False, proxy_headers=False, timeout_graceful_shutdown=5,
                          h11_max_incomplete_event_size=config.max_request + (64 << 10))


class _Service:
    """The endpoints, the workers and what is rendered once."""

    def __init__(self, config: ServeConfig, pool: WorkerPool) -> None:
        self.config = config
        self.pool = pool
        self._page: str | None = None
        self._network: str | None = None
        self._network_lock = asyncio.Lock()
        self._counts: Any = None

    # -- /sparql ----------------------------------------------------------------------------

    async def sparql_app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """:meth:`sparql` as an ASGI application."""
        from starlette.requests import Request

        response = await self.sparql(Request(scope, receive))
        await response(scope, receive, send)

    async def sparql(self, request: Request) -> Response:
        from starlette.responses import Response

        note = request.scope.get("kg.log", {})
        try:
            params = await self._params(request)
            if "update" in params:
                raise QueryRefused(UPDATE_REFUSED)
            queries = params.get("query", [])
            if not queries:
                if request.method == "GET":
                    return await self._description(request, params)
                raise HTTPError(400, "no query: POST query=… as a form, or the query as application/sparql-query")
            if len(queries) > 1:
                raise HTTPError(400, f"{len(queries)} queries given; give one")
            from kg.sparql import check

            form = check(queries[0]).form
            note["form"] = form
            fmt = negotiate(form, request.headers.get("accept"), params.get("format", []))
            job = QueryRequest(queries[0], fmt.name, self.config.max_rows,
                               _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"))
            answer = await self.pool.run(job, self.config.timeout, self.config.queue_timeout)
        except KGError as exc:
            return _error(request, exc)
        note["rows"] = answer.rows
        return Response(answer.body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    async def _params(self, request: Request) -> dict[str, list[str]]:
        """The protocol's parameters: of the URL, and of a POST's body (a form, or the query)."""
        raw = request.scope.get("query_string", b"")
        target = len(request.scope.get("raw_path") or b"") + (1 + len(raw) if raw else 0)
        if target > MAX_URL:  # under h11 (under httptools, kg.serve.protocol refuses it first)
            raise HTTPError(414, URL_TOO_LONG)
        params = _parse(raw)
        if request.method != "POST":
            return params
        media, charset = _content_type(request.headers.get("content-type", ""))
        if media == UPDATE:
            raise QueryRefused(UPDATE_REFUSED)
        if media not in (FORM, QUERY):
            raise HTTPError(415, f"POST a query as {QUERY} or as a form ({FORM}: query=…), "
                                 f"not as {media or 'a body without Content-Type'}")
        if charset not in ("", "utf-8", "utf8", "us-ascii"):
            raise HTTPError(415, f"send the query in UTF-8, not {charset}")
        body = await self._body(request)
        if media == FORM:
            for name, values in _parse(body).items():
                params.setdefault(name, []).extend(values)
        else:
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise HTTPError(400, "the query is not UTF-8 text") from None
        return params

    async def _body(self, request: Request) -> bytes:
        limit = self.config.max_request
        too_large = HTTPError(413, f"the request body is larger than {limit:,} bytes, the most this endpoint reads")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        from starlette.requests import ClientDisconnect

        chunks = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
        except ClientDisconnect:  # the answer reaches nobody; the log line says why the request ended
            raise HTTPError(400, "the request's body did not arrive whole: the connection closed first, "
                                 "or the body was malformed") from None
        return b"".join(chunks)

    async def _description(self, request: Request, params: dict[str, list[str]]) -> Response:
        from starlette.responses import Response

        from kg.serve.describe import service_description
        from kg.serve.formats import GRAPH_FORMATS, RESULT_FORMATS

        fmt = negotiate("DESCRIBE", request.headers.get("accept"), params.get("format", []))
        endpoint = str(request.url.replace(query="", fragment=""))
        counts = await self._graph_counts()
        try:
            body = service_description(endpoint, fmt, RESULT_FORMATS + GRAPH_FORMATS, timeout=self.config.timeout,
                                       max_rows=self.config.max_rows, counts=counts)
        except ValueError:
            raise HTTPError(400, f"cannot describe the service at {endpoint!r}: not an IRI (check the Host "
                                 "header)") from None
        request.scope.get("kg.log", {})["form"] = "service description"
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    async def _graph_counts(self) -> Any:
        """The merge's size and the named graphs, asked of a worker once (None while it fails)."""
        from kg.serve.describe import COUNT_GRAPHS, COUNT_MERGE, COUNT_NAMED, parse_counts

        if self._counts is None:
            try:
                answers = [await self.pool.run(QueryRequest(text, "tsv", self.config.max_rows), self.config.timeout,
                                               self.config.queue_timeout)
                           for text in (COUNT_MERGE, COUNT_GRAPHS, COUNT_NAMED)]
            except KGError as exc:
                logger.warning("kg serve: the service description leaves the graphs out: %s", exc)
                return None
            self._counts = parse_counts(*(answer.body for answer in answers))
        return self._counts

    # -- pages ------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse

        if self._page is None:
            self._page = _query_page(self.config.label)
        return HTMLResponse(self._page)

    async def network(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse

        async with self._network_lock:
            if self._network is None:
                try:
                    self._network = await _in_process(render_network, str(self.config.store), self.config.label)
                except InputError as exc:
                    return _error(request, HTTPError(404, str(exc)))
                except KGError as exc:
                    return _error(request, exc)
        return HTMLResponse(self._network)

    async def health(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        alive = self.pool.alive
        return JSONResponse({"status": "ok" if alive else "no worker", "workers": alive, "size": self.pool.size,
                             "replaced": self.pool.replaced}, status_code=200 if alive else 503)


def render_network(store: str, label: str) -> str:
    """The network page of the store (run in a process of its own: it can take a while)."""
    from kg.store import GraphStore
    from kg.viz.data import extract
    from kg.viz.render import render_page

    data = extract(GraphStore.open(store, read_only=True))
    if not data["nodes"]:
        raise InputError("nothing to draw (no summit, state, organization, person, document… in the graph)")
    return render_page(data, title=label)


async def _in_process(function: Any, *args: Any) -> Any:
    """``function(*args)`` in a new process (forkserver or spawn), awaited without blocking."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from kg.serve.workers import process_context

    executor = ProcessPoolExecutor(max_workers=1, mp_context=process_context())
    try:
        return await asyncio.get_running_loop().run_in_executor(executor, function, *args)
    except BrokenProcessPool:
        raise WorkerError("the process drawing the network page died") from None
    finally:
        executor.shutdown(wait=False)


def _query_page(label: str) -> str:
    from kg.query import bundled_queries
    from kg.serve.page import query_page

    return str(query_page(endpoint="/sparql", examples=bundled_queries(), title=f"summit-kg SPARQL · {label}",
                          network_href="/network"))


def _error(request: Request, exc: KGError) -> Response:
    from starlette.responses import JSONResponse, PlainTextResponse

    status = status_of(exc)
    message = " ".join(str(exc).split())
    request.scope.get("kg.log", {})["error"] = message
    headers = {"X-Content-Type-Options": "nosniff"}  # the message may repeat the client's text
    if prefers_json(request.headers.get("accept")):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _parse(raw: bytes) -> dict[str, list[str]]:
    """``name=value&…`` (URL query or form body), percent-decoded as UTF-8."""
    params: dict[str, list[str]] = {}
    for name, value in _pairs(raw) if len(raw) <= _PARSED_SIZE else _pairs.__wrapped__(raw):
        params.setdefault(name, []).append(value)
    return params


#: Parameters up to this size are parsed once: a dashboard or a notebook sends the same few
#: queries again and again, and percent-decoding a query is a good part of a request's work.
_PARSED_SIZE = 16_384


@functools.lru_cache(maxsize=256)
def _pairs(raw: bytes) -> tuple[tuple[str, str], ...]:
    try:
        return tuple(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=1000))
    except UnicodeDecodeError:
        raise HTTPError(400, "the parameters are not UTF-8 (percent-encode UTF-8 text)") from None
    except ValueError as exc:
        raise HTTPError(400, f"the parameters do not parse: {exc}") from None


def _content_type(header: str) -> tuple[str, str]:
    """The media type (lower case) and the charset ("" when none) of a Content-Type."""
    media, _, rest = header.partition(";")
    charset = ""
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _graphs(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    import pyoxigraph as ox

    graphs = tuple(params.get(name, []))
    for graph in graphs:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise HTTPError(400, f"{name}: {graph[:200]!r} is not an absolute IRI") from None
    return graphs


class AccessLog:
    """ASGI middleware: one line per HTTP request on the ``kg.serve`` logger."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        note: dict[str, Any] = {"status": 500, "bytes": 0}
        scope["kg.log"] = note

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                note["status"] = message["status"]
            elif message["type"] == "http.response.body":
                note["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            logger.info("%s", _log_line(scope, note, time.perf_counter() - start))


def _log_line(scope: dict[str, Any], note: dict[str, Any], seconds: float) -> str:
    client = scope.get("client") or ("-", 0)
    # the path percent-encoded again: a %0A in a URL must not start a forged log line
    parts = [str(client[0]), scope.get("method", "-"), quote(scope.get("path", "-"), safe="/:@!$&'()*+,;=-._~"),
             str(note["status"]),
             f"{seconds * 1000:.0f} ms", f"{note['bytes']} B"]
    if "form" in note:
        parts.append(note["form"])
    if note.get("rows") is not None:
        parts.append(f"{note['rows']} rows")
    if "error" in note:
        parts.append(f"error: {note['error'][:200]}")
    return " ".join(parts)
