"""The HTTP/1.1 parser ``kg serve`` runs under uvicorn: httptools (C, llhttp) where it is installed,
h11 (pure Python) otherwise. httptools takes about a quarter of a millisecond less a request,
a good part of the endpoint's own latency.

Both answer a request target (path and query) longer than :data:`MAX_URL` bytes (65,535) with
414 and a line saying to POST the query: the application checks it under h11; httptools cannot
parse a longer URL at all, and uvicorn would keep reading it and then answer a bare 400 (and log a
warning of its own), so the protocol here measures the request target as it arrives, before the
parser sees it, and answers 414 itself (one log line, like every request). A request head (request
line and headers) over about 1 MiB is refused by both: h11 with a bare 400, the protocol here with
431. Under httptools every refusal, uvicorn's 400 for input that is not HTTP too, comes after the
answers to the requests before it on the connection (pipelined) and is logged as one line.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

#: The longest request target, path and query (httptools parses no longer URL).
MAX_URL = 65_535

URL_TOO_LONG = f"the URL is longer than {MAX_URL:,} bytes; POST the query instead"

#: Seconds a refused request's connection stays open while its client finishes sending.
REFUSED_LINGER = 5.0

logger = logging.getLogger("kg.serve")


#: ``_refused`` of a protocol whose refusal waits for the answers to earlier requests.
_WAITING = object()

#: What ends a request target.
_TARGET_END = re.compile(rb"[ \r\n]")

#: Where :meth:`Protocol.data_received` is in a request line.
_METHOD, _TARGET, _PAST = range(3)


def http_protocol() -> Any:
    """uvicorn's ``http`` setting: the protocol class on httptools, or ``"h11"``."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is not installed
        return "h11"

    import httptools

    _quiet = logging.Logger("kg.serve.quiet")  # outside the logging tree: nothing global changes
    _quiet.disabled = True

    class Parser:
        """httptools' parser for :class:`Protocol`: when it refuses input, uvicorn's warning
        ("Invalid HTTP request received.") is not logged, since the refusal logs the request."""

        def __init__(self, parser: Any, protocol: Any) -> None:
            self._parser = parser
            self._protocol = protocol

        def feed_data(self, data: bytes) -> None:
            try:
                self._parser.feed_data(data)
            except httptools.HttpParserError as exc:
                cause = exc.__context__  # what a callback raised
                if cause is not None and not isinstance(cause, (httptools.HttpParserError, ValueError)):
                    # the input's faults raise those two (a URL httptools cannot parse; bytes
                    # that do not decode, a URL too long); anything else is a bug: its traceback
                    self._protocol.logger.error("kg serve: the HTTP parser's callback failed", exc_info=cause)
                self._protocol.logger = _quiet  # until send_400_response, which uvicorn calls next
                raise

        def __getattr__(self, name: str) -> Any:
            return getattr(self._parser, name)

    class Protocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        """uvicorn's httptools protocol, answering a URL too long for httptools with 414 and a
        request head (request line and headers) longer than h11's limit with 431: httptools has
        no limit of its own, and builds a long header by repeated concatenation. Other requests
        the parser refuses get a 400 (uvicorn's message), after the answers before them (pipelined) and
        logged as one line like the rest."""

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self.parser = Parser(self.parser, self)
            self._logger = self.logger  # uvicorn's, while _quiet stands in for it
            self._head_bytes: int | None = 0  # read of the current request's head; None once it is complete
            self._refused: Any = None  # once refused: the timer that closes the connection (or _WAITING)
            self._refusal: tuple[bytes, str] | None = None  # a refusal waiting for the answers before it
            self._line = _METHOD  # where the request line is: in the method, the target, or past it
            self._target = 0  # bytes of the request target read
            self._unseen = False  # whether the parser is past a request's end in input not measured
            self._before: Any = None  # the cycle before the current one (see on_headers_complete)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._refused not in (None, _WAITING):
                self._refused.cancel()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused is not None:  # the rest of a refused request: read and dropped
                return
            self._unseen = False
            if self._head_bytes is not None:
                self._head_bytes += len(data)
                if self._head_bytes > self.config.h11_max_incomplete_event_size:
                    self._refuse(b"431 Request Header Fields Too Large",
                                 f"the request's headers are longer than "
                                 f"{self.config.h11_max_incomplete_event_size:,} bytes")
                    return
            if self._line != _PAST and not self._target_fits(data):
                self._refuse(b"414 URI Too Long", URL_TOO_LONG)
                return
            super().data_received(data)

        def _target_fits(self, data: bytes) -> bool:
            """Whether the request target, as far as ``data`` takes it, is at most
            :data:`MAX_URL` bytes. (A request that starts in the same piece of input as the end
            of the one before, pipelined, is measured by :meth:`on_url` instead: see
            :meth:`on_message_begin`.)"""
            start = 0
            if self._line == _METHOD:
                space = data.find(b" ")
                if space < 0:
                    return True
                self._line, start = _TARGET, space + 1
            found = _TARGET_END.search(data, start)
            self._target += (found.start() if found else len(data)) - start
            if found:
                self._line = _PAST
            return self._target <= MAX_URL

        def on_headers_complete(self) -> None:
            self._head_bytes = None
            self._before = self.cycle  # the request before this one (uvicorn replaces the cycle)
            try:
                super().on_headers_complete()
            except AttributeError:  # uvicorn reads the path of an absolute URL without one ("http://x")
                if self.url.startswith(b"/"):
                    raise
                raise ValueError("the request target has no path") from None  # the input's fault: a 400

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._unseen:  # it starts in input that data_received measured as the request before
                self._line = _PAST

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._head_bytes = 0  # what comes next on this connection is the next request
            self._line, self._target, self._unseen = _METHOD, 0, True

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > MAX_URL:  # (pipelined) stop reading now: uvicorn would keep the whole URL
                raise ValueError(URL_TOO_LONG)  # the parser's error: send_400_response below

        def send_400_response(self, msg: str) -> None:
            self.logger = self._logger
            cycle = self.cycle
            if cycle is not None and self.pipeline and self.pipeline[0][0] is cycle:
                # its body is broken while it waits in line behind answers not yet written: it is
                # dropped (its application never ran), and refused below after those answers
                self.pipeline.popleft()
                self.cycle = cycle = self._before
            if cycle is not None and cycle.more_body and not cycle.response_complete:
                # the body of the request being read is broken, and its application waits for the
                # rest: uvicorn's answer, which closes the connection (the application learns it
                # as a disconnect, and logs the request; an answer to a request pipelined before
                # it is lost, as there)
                if not cycle.response_started:
                    super().send_400_response(msg)
                else:
                    self.transport.close()
            elif len(getattr(self, "url", b"")) > MAX_URL:  # what the parser has read of the URL
                self._refuse(b"414 URI Too Long", URL_TOO_LONG)
            else:
                self._refuse(b"400 Bad Request", msg)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self._refusal is not None and self.transport.is_closing():  # the answer closed it (Connection:
                self._refusal = None  # close, HTTP/1.0, shutdown): the refused request is not read at all
            elif self._refusal is not None and self._answered():
                status, message = self._refusal
                self._refusal = None
                self._refuse(status, message)

        def _answered(self) -> bool:
            """Whether every request before this one (pipelined) has had its answer."""
            return not self.pipeline and (self.cycle is None or self.cycle.response_complete)

        def _refuse(self, status: bytes, message: str) -> None:
            """Answer ``status`` with ``message`` and close, before the application sees the request
            (after the answers to the requests before it on the connection, pipelined)."""
            self._head_bytes = None
            if not self._answered():
                self._refusal = (status, message)
                self._refused = _WAITING  # what the client still sends is dropped meanwhile
                return
            body = message.encode("ascii") + b"\n"
            head = [b"HTTP/1.1 " + status + b"\r\n"]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            head.append(b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                        b"connection: close\r\n\r\n" % len(body))
            self.transport.write(b"".join(head) + body)
            # the answer, then the end of this side; what the client still sends is read and dropped
            # (closing with unread input would reset the connection and lose the answer) for at
            # most REFUSED_LINGER seconds
            self._unset_keepalive_if_required()  # or its timer would close the connection before the linger ends
            self._refused = asyncio.get_running_loop().call_later(REFUSED_LINGER, self.transport.close)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            client = self.client[0] if self.client else "-"
            logger.info("%s - - %s 0 ms %d B error: %s", client, status[:3].decode(), len(body), message)

    return Protocol
