"""Run a query in a child process that can be stopped: a time limit, Ctrl-C, and a crash of the
SPARQL engine that does not take the command down with it.

pyoxigraph cannot cancel a running query, does not return to Python while it runs (so Ctrl-C
waits), and its recursive parser and evaluator overflow the stack on some very long or deeply
nested queries (a segmentation fault, not an exception). ``kg query`` therefore opens the graph
and runs the query in a forked child; the parent waits for the answer, kills the child at the
time limit or on Ctrl-C, and reports a child that died as one line. Where ``fork`` is not
available the query runs in this process.
"""
from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from typing import Any

from kg import errors
from kg.errors import KGError, QueryCrashed, QueryTimeout


def run_isolated(work: Callable[[], Any], timeout: float | None = None) -> Any:
    """``work()`` run in a child process; its value (picklable) or its :class:`KGError` again
    here. :class:`QueryTimeout` after ``timeout`` seconds (None: no limit), :class:`QueryCrashed`
    when the child dies."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeout(f"the query did not finish in {timeout:g} s and was stopped; "
                               "narrow it (a LIMIT, fewer OPTIONALs, no cartesian product) or give a longer --timeout")
        try:
            status, payload = receive.recv()
        except EOFError:
            child.join()
            raise QueryCrashed(f"the SPARQL engine crashed on this query ({exit_cause(child.exitcode)}); "
                               "it is probably too long or too deeply nested: simplify it") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if status == "ok":
        return payload
    name, message = payload
    error = getattr(errors, name, None)
    if isinstance(error, type) and issubclass(error, KGError):
        raise error(message)
    raise RuntimeError(message)


def _child(work: Callable[[], Any], send: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once, in the engine too
    try:
        result: tuple[str, Any] = ("ok", work())
    except KGError as exc:
        result = ("error", (type(exc).__name__, str(exc)))
    except Exception as exc:  # noqa: BLE001 (a bug: the parent reports it as an internal error)
        result = ("error", ("", f"{type(exc).__name__}: {exc}"))
    send.send(result)
    send.close()


def exit_cause(exitcode: int | None) -> str:
    """What ended a process, from its exit code: ``SIGSEGV`` (killed by a signal) or ``exit status N``."""
    if exitcode is not None and exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"
