"""The HTTP/1.1 parser ``kg serve`` runs under uvicorn: httptools (C, llhttp) where it is installed,
h11 (pure Python) otherwise. httptools takes about a quarter of a millisecond less a request,
a good part of the endpoint's own latency.

Both answer a request target (path and query) longer than :data:`MAX_URL` bytes (65,535) with
414 and a line saying to POST the query: the application checks it under h11; httptools cannot
parse a longer URL at all, and uvicorn would keep reading it and then answer a bare 400, so the
protocol here stops reading at the limit and answers 414 itself. A request head (request line and
headers) over about 1 MiB is refused by both: h11 with a bare 400, the protocol here with 431.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

#: The longest request target, path and query (httptools parses no longer URL).
MAX_URL = 65_535

URL_TOO_LONG = f"the URL is longer than {MAX_URL:,} bytes; POST the query instead"

#: Seconds a refused request's connection stays open while its client finishes sending.
REFUSED_LINGER = 5.0

logger = logging.getLogger("kg.serve")


def http_protocol() -> Any:
    """uvicorn's ``http`` setting: the protocol class on httptools, or ``"h11"``."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is not installed
        return "h11"

    class Protocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        """uvicorn's httptools protocol, answering a URL too long for httptools with 414 and a
        request head (request line and headers) longer than h11's limit with 431: httptools has
        no limit of its own, and builds a long header by repeated concatenation."""

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._head_bytes: int | None = 0  # read of the current request's head; None once it is complete
            self._refused: Any = None  # once refused: the timer that closes the connection

        def connection_lost(self, exc: Exception | None) -> None:
            if self._refused is not None:
                self._refused.cancel()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused is not None:  # the rest of a refused request: read and dropped
                return
            if self._head_bytes is not None:
                self._head_bytes += len(data)
                if self._head_bytes > self.config.h11_max_incomplete_event_size:
                    self._refuse(b"431 Request Header Fields Too Large",
                                 f"the request's headers are longer than "
                                 f"{self.config.h11_max_incomplete_event_size:,} bytes")
                    return
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._head_bytes = None
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._head_bytes = 0  # what comes next on this connection is the next request

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > MAX_URL:  # stop reading now: uvicorn would keep the whole URL
                raise ValueError(URL_TOO_LONG)  # the parser's error: send_400_response below

        def send_400_response(self, msg: str) -> None:
            if len(getattr(self, "url", b"")) <= MAX_URL:  # what the parser has read of the URL
                super().send_400_response(msg)
            else:
                self._refuse(b"414 URI Too Long", URL_TOO_LONG)

        def _refuse(self, status: bytes, message: str) -> None:
            """Answer ``status`` with ``message`` and close, before the application sees the request."""
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
            self._head_bytes = None
            self._refused = asyncio.get_running_loop().call_later(REFUSED_LINGER, self.transport.close)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            client = self.client[0] if self.client else "-"
            logger.info("%s - - %s 0 ms %d B error: %s", client, status[:3].decode(), len(body), message)

    return Protocol
