"""A pool of worker processes that answer SPARQL queries on one store, for an asyncio server.

pyoxigraph cannot cancel a query, and a query can crash the engine (a stack overflow is a
segmentation fault, not an exception). So queries never run in the server's process: each worker
opens the store read-only once and answers one request at a time (:func:`kg.serve.answer.answer`),
and the server awaits the reply on a socket pair without blocking its event loop. A request waits
for a free worker for a limited time, then its query runs for a limited time. When that passes
while the query runs, the worker is killed (SIGKILL) and a fresh one started: :class:`QueryTimeout`.
When a worker dies under a query, the query gets :class:`QueryCrashed` and the worker is replaced.
The server stays up either way.

Workers are started by ``forkserver`` (``spawn`` where there is none), never forked from the
server's own process. Messages go both ways as 12 bytes (header and body lengths, network order),
a JSON header and a body.
"""
from __future__ import annotations

import asyncio
import collections
import json
import logging
import multiprocessing
import os
import signal
import socket
import struct
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError, QueryCrashed, QueryError, QueryRefused, QueryTimeout
from kg.isolate import exit_cause
from kg.serve.answer import Answer, ResultTooLarge

logger = logging.getLogger("kg.serve")

_FRAME = struct.Struct("!IQ")
_ERRORS: dict[str, type[KGError]] = {cls.__name__: cls for cls in (QueryRefused, ResultTooLarge, QueryError,
                                                                   InputError)}


class WorkerError(KGError):
    """A worker could not answer for a reason that is not the query's: it could not start, or a bug
    (the message says which; the server's log has the traceback)."""


class NoWorker(WorkerError):
    """No worker can take a request: the server is stopping, or none could be started."""


@dataclass(frozen=True)
class QueryRequest:
    """What a worker needs to answer: the query, the format's name (:mod:`kg.serve.formats`), the
    row limit and the dataset of the SPARQL protocol (empty: the merge and every named graph)."""

    query: str
    format: str
    max_rows: int
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class WorkerPool:
    """``size`` worker processes on the store folder ``store``; use ``async with`` or
    :meth:`start` and :meth:`close` inside one event loop."""

    def __init__(self, store: str | Path, size: int = 2, *, start_timeout: float = 120.0) -> None:
        if size < 1:
            raise InputError(f"--workers must be at least 1, not {size}")
        self.store = str(store)
        self.size = size
        self.start_timeout = start_timeout
        self.replaced = 0  # workers started after a timeout or a crash
        self.last_error = ""  # why the last worker could not start
        # the last to finish goes first (warm caches); None: a wake-up for those waiting (_wake_waiting)
        self._idle: asyncio.LifoQueue[_Worker | None] | None = None
        self._workers: set[_Worker] = set()
        self._starting = 0
        self._waiting = 0  # requests waiting for an idle worker
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def __aenter__(self) -> WorkerPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def alive(self) -> int:
        """Workers ready now (busy or idle), not counting those starting."""
        return len(self._workers)

    async def start(self) -> None:
        """Start the workers and wait until each has opened the store; the first worker's error
        (:class:`InputError` for a store it cannot open) when one cannot."""
        self._idle = asyncio.LifoQueue()
        started = await asyncio.gather(*(self._spawn() for _ in range(self.size)), return_exceptions=True)
        for worker in started:
            if isinstance(worker, _Worker):
                self._idle.put_nowait(worker)
        errors = [e for e in started if isinstance(e, BaseException)]
        if errors:
            await self.close()
            raise errors[0]

    async def run(self, request: QueryRequest, timeout: float, wait: float | None = None) -> Answer:
        """The answer to ``request``: it waits at most ``wait`` seconds (default: ``timeout``) for a
        free worker, then runs at most ``timeout`` seconds. The two are apart so that a request
        that waited in line still has its whole time to run: a cheap query is never stopped, and
        its worker killed, because others were slow.

        Raises what the query raises in the worker (:class:`QueryError` and its kinds),
        :class:`QueryTimeout` (busy workers, or the query's time), :class:`QueryCrashed` or
        :class:`WorkerError`."""
        loop = asyncio.get_running_loop()
        wait = timeout if wait is None else wait
        worker = await self._acquire(loop.time() + wait, wait)
        deadline = loop.time() + timeout
        try:
            header, body = await _within(worker.call(_request_header(request)), deadline)
        except asyncio.TimeoutError:
            self._retire(worker)
            raise QueryTimeout(f"the query did not finish within {timeout:g} s, the time limit of this endpoint; "
                               "its work was stopped") from None
        except (ConnectionError, OSError):
            code = await worker.wait_exit(2.0)
            self._retire(worker)
            raise QueryCrashed(f"the query crashed the SPARQL engine ({_death(code)}); the worker was replaced; "
                               "simplify the query") from None
        except BaseException:  # cancelled (shutdown, client gone): the worker is mid-query
            self._retire(worker)
            raise
        assert self._idle is not None
        self._idle.put_nowait(worker)
        if "error" in header:
            raise _error(header)
        return Answer(body, header["rows"], header["form"])

    async def close(self) -> None:
        """Stop every worker (SIGKILL: they only read) and wait for them to end."""
        self._closed = True
        if self._idle is not None:
            self._wake_waiting()
        while self._tasks:  # replacements starting, processes being reaped (cancelling may add some)
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        workers = list(self._workers)
        for worker in workers:
            worker.kill()
        self._workers.clear()
        await asyncio.gather(*(worker.bury() for worker in workers))

    def kill_all(self) -> None:
        """Kill every worker now, without an event loop (a last resort on the way out)."""
        for worker in list(self._workers):
            worker.kill()

    # -- inside ------------------------------------------------------------------------------

    async def _acquire(self, deadline: float, wait: float) -> _Worker:
        assert self._idle is not None, "start() the pool first"
        while True:
            if self._closed:
                raise NoWorker("the server is stopping")
            if not self._workers and not self._starting:
                self._replace_later()
                raise NoWorker(f"no worker is running; the last one could not start: {self.last_error}")
            if not self._waiting and not self._idle.empty():  # the usual case: no task, no loop turn
                got = self._idle.get_nowait()
            else:
                got = await self._wait_idle(deadline, wait)
            if got is None:  # a wake-up: look again (closed? no worker coming?)
                continue
            if got.alive:
                return got
            self._retire(got)  # it died while idle (killed from outside)

    async def _wait_idle(self, deadline: float, wait: float) -> _Worker | None:
        """The next idle worker (or a wake-up) for those waiting in line, in turn."""
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        # not asyncio.wait_for(queue.get()): on Python 3.10 it can drop an item it got as it times out
        getter = asyncio.ensure_future(self._idle.get())
        self._waiting += 1
        try:
            await asyncio.wait({getter}, timeout=max(deadline - loop.time(), 0.0))
        except BaseException:  # cancelled (the client went away, shutdown): what it got goes back
            if getter.done() and not getter.cancelled() and getter.result() is not None:
                self._idle.put_nowait(getter.result())
            getter.cancel()
            raise
        finally:
            self._waiting -= 1
        if not getter.done():
            getter.cancel()
        try:
            return await getter
        except asyncio.CancelledError:
            raise QueryTimeout(f"all {self.size} workers of this endpoint were busy for {wait:g} s; "
                               "try again later") from None

    def _wake_waiting(self) -> None:
        """Wake those waiting in line to look again: the pool is closing, or no worker is coming."""
        assert self._idle is not None
        for _ in range(self._waiting):
            self._idle.put_nowait(None)

    async def _spawn(self) -> _Worker:
        """Start one worker and wait until it has opened the store."""
        parent, child = socket.socketpair()
        process = process_context().Process(target=_worker_main, args=(child, self.store),
                                            name="kg-serve-worker", daemon=True)
        self._starting += 1
        worker = None
        try:
            try:
                process.start()
            except OSError as exc:
                raise WorkerError(f"cannot start a worker process: {exc}") from None
            finally:
                child.close()
            _, link = await asyncio.get_running_loop().create_connection(_Link, sock=parent)
            worker = _Worker(process, link)
            header, _ = await asyncio.wait_for(worker.receive(), self.start_timeout)
        except (asyncio.TimeoutError, ConnectionError) as exc:
            code = await worker.wait_exit(1.0) if worker is not None else None
            self._forget(worker, process, parent)
            why = "it did not start in time" if isinstance(exc, asyncio.TimeoutError) else _death(code)
            raise WorkerError(f"a worker could not open {self.store}: {why}") from None
        except BaseException:
            self._forget(worker, process, parent)
            raise
        finally:
            self._starting -= 1
        if "error" in header:
            self._forget(worker, process, parent)
            raise _error(header)
        self._workers.add(worker)
        return worker

    def _forget(self, worker: _Worker | None, process: Any, sock: socket.socket) -> None:
        if worker is not None:
            worker.kill()
            self._bury_later(worker)
        else:
            if process.pid is not None and process.exitcode is None:
                process.kill()
            sock.close()

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that is mid-query or dead, and start another in its place."""
        self._workers.discard(worker)
        worker.kill()
        self._bury_later(worker)
        self._replace_later()

    def _replace_later(self) -> None:
        if not self._closed:
            self._starting += 1  # from now: a request waits for the replacement rather than failing
            self._later(self._replace()).add_done_callback(self._started)

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting -= 1
        if not self._workers and not self._starting:  # it failed, and none is left or coming
            self._wake_waiting()

    def _bury_later(self, worker: _Worker) -> None:
        self._later(worker.bury())

    def _later(self, coroutine: Any) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _replace(self) -> None:
        try:
            worker = await self._spawn()
        except KGError as exc:
            self.last_error = str(exc)
            logger.error("kg serve: a worker could not be started: %s", exc)
            return
        if self._closed:
            self._workers.discard(worker)
            worker.kill()
            await worker.bury()
            return
        self.replaced += 1
        assert self._idle is not None
        self._idle.put_nowait(worker)


class _Link(asyncio.Protocol):
    """The server's end of a worker's socket: messages written, and read whole as they arrive (a
    protocol rather than a stream reader: one wake-up and no task switch for an answer)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False  # the worker closed its end: it has exited, or is exiting
        self._buffer = bytearray()
        self._messages: collections.deque[tuple[dict[str, Any], bytes]] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _FRAME.size:
            head_size, body_size = _FRAME.unpack_from(self._buffer)
            end = _FRAME.size + head_size + body_size
            if len(self._buffer) < end:
                break
            header = json.loads(self._buffer[_FRAME.size:_FRAME.size + head_size])
            self._messages.append((header, bytes(self._buffer[_FRAME.size + head_size:end])))
            del self._buffer[:end]
        if self._messages:
            self._wake()

    def eof_received(self) -> bool:
        self.connection_lost(None)
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def send(self, header: dict[str, Any]) -> None:
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        assert self.transport is not None
        self.transport.write(_FRAME.pack(len(head), 0) + head)

    async def receive(self) -> tuple[dict[str, Any], bytes]:
        """The next message; :class:`ConnectionResetError` when the worker closed its end first."""
        while not self._messages:
            if self.closed:
                raise ConnectionResetError("the worker closed its socket")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._messages.popleft()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class _Worker:
    """The server's end of one worker: its process and its socket."""

    def __init__(self, process: Any, link: _Link) -> None:
        self.process = process
        self.link = link
        self.buried = False

    @property
    def alive(self) -> bool:
        """Whether it can take a request: a worker that dies closes its socket (no system call
        here, unlike asking the process)."""
        return not self.link.closed and self.link.transport is not None and not self.link.transport.is_closing()

    async def call(self, header: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        self.link.send(header)
        return await self.link.receive()

    async def receive(self) -> tuple[dict[str, Any], bytes]:
        return await self.link.receive()

    def kill(self) -> None:
        if not self.buried and self.process.exitcode is None:
            self.process.kill()
        self.link.close()

    async def wait_exit(self, timeout: float) -> int | None:
        """The exit code once the process has ended (negative: killed by that signal), or None
        when it is still running after ``timeout`` seconds; never blocks the loop."""
        if self.buried or self.process.exitcode is not None:
            return int(self.process.exitcode) if not self.buried else None
        loop = asyncio.get_running_loop()
        ended = loop.create_future()
        fd = self.process.sentinel
        loop.add_reader(fd, lambda: ended.done() or ended.set_result(None))
        try:
            await asyncio.wait({ended}, timeout=timeout)
        finally:
            loop.remove_reader(fd)
        code = self.process.exitcode
        return None if code is None else int(code)

    async def bury(self) -> None:
        """Wait for a killed process to end and release what it holds."""
        if not self.buried and await self.wait_exit(10.0) is not None:
            self.buried = True
            self.process.close()


async def _within(awaitable: Any, deadline: float) -> Any:
    """``await awaitable``, cancelled at the loop time ``deadline`` (:class:`asyncio.TimeoutError`).
    On Python 3.11 and later in the calling task itself: ``asyncio.wait_for`` runs it in a task of
    its own, two more turns of the event loop for every request."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout_at(deadline):
            return await awaitable
    return await asyncio.wait_for(awaitable, max(deadline - asyncio.get_running_loop().time(), 0.0))


def _request_header(request: QueryRequest) -> dict[str, Any]:
    return {"query": request.query, "format": request.format, "max_rows": request.max_rows,
            "default_graph": list(request.default_graph), "named_graphs": list(request.named_graphs)}


def _error(header: dict[str, Any]) -> KGError:
    if header["error"] == "internal":
        logger.error("kg serve: a worker failed: %s\n%s", header["message"], header.get("traceback", ""))
        return WorkerError(f"internal error: {header['message']}")
    return _ERRORS.get(header["error"], WorkerError)(header["message"])


def _death(code: int | None) -> str:
    if code is None:
        return "its process stopped answering"
    return f"its process {'was killed by' if code < 0 else 'exited with'} {exit_cause(code)}"


def process_context() -> Any:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


# -- the worker's side -------------------------------------------------------------------------


def _worker_main(sock: socket.socket, store: str) -> None:
    """A worker process: open the store, then answer requests until the server closes the socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server decides
    from kg.serve.answer import answer
    from kg.store import GraphStore

    try:
        graphs = GraphStore.open(store, read_only=True)
    except KGError as exc:
        _send(sock, {"error": type(exc).__name__, "message": str(exc)})
        return
    _send(sock, {"ready": os.getpid()})
    while True:
        message = _receive(sock)
        if message is None:
            return
        request = message[0]
        try:
            result = answer(graphs, request["query"], request["format"], max_rows=request["max_rows"],
                            default_graph=request["default_graph"] or None,
                            named_graphs=request["named_graphs"] or None)
        except KGError as exc:
            _send(sock, {"error": type(exc).__name__, "message": str(exc)})
        except Exception as exc:  # a bug: reported to the server, which logs it with the traceback
            _send(sock, {"error": "internal", "message": f"{type(exc).__name__}: {' '.join(str(exc).split())}",
                         "traceback": traceback.format_exc()})
        else:
            _send(sock, {"rows": result.rows, "form": result.form}, result.body)


def _send(sock: socket.socket, header: dict[str, Any], body: bytes = b"") -> None:
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    start = _FRAME.pack(len(head), len(body)) + head
    if len(body) <= _ONE_SEND:  # one write: the server wakes once for the whole answer
        sock.sendall(start + body)
    else:
        sock.sendall(start)
        sock.sendall(body)


#: Answers up to this size go in one write with their header (at the cost of copying the body).
_ONE_SEND = 1 << 20


def _receive(sock: socket.socket) -> tuple[dict[str, Any], bytes] | None:
    frame = _read(sock, _FRAME.size)
    if frame is None:
        return None
    head_size, body_size = _FRAME.unpack(frame)
    head = _read(sock, head_size)
    body = _read(sock, body_size) if body_size else b""
    if head is None or body is None:
        return None
    return json.loads(head), body


def _read(sock: socket.socket, size: int) -> bytes | None:
    """Exactly ``size`` bytes, or None when the server closed the socket."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            return None
        got += n
    return bytes(buffer)
