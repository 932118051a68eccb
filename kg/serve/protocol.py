"""The HTTP/1.1 parser ``kg serve`` runs under uvicorn: httptools (C, llhttp) where it is installed,
h11 (pure Python) otherwise. httptools takes about a quarter of a millisecond less a request,
a good part of the endpoint's own latency.

Both answer a request target (path and query) longer than :data:`MAX_URL` bytes with 414 and a
line saying to POST the query: the application checks it under h11 (up to a request head of
about 1 MiB, where h11 stops with a bare 400); httptools cannot parse a longer URL at all, and
uvicorn would keep reading it and then answer a bare 400, so the protocol here stops reading at
the limit and answers 414 itself.
"""
from __future__ import annotations

import logging
from typing import Any

#: The longest request target, path and query (httptools parses no longer URL).
MAX_URL = 65_535

URL_TOO_LONG = f"the URL is longer than {MAX_URL:,} bytes; POST the query instead"

logger = logging.getLogger("kg.serve")


def http_protocol() -> Any:
    """uvicorn's ``http`` setting: the protocol class on httptools, or ``"h11"``."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is not installed
        return "h11"

    class Protocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        """uvicorn's httptools protocol, answering a URL too long for httptools with 414."""

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > MAX_URL:  # stop reading now: uvicorn would keep the whole URL
                raise ValueError(URL_TOO_LONG)  # the parser's error: send_400_response below

        def send_400_response(self, msg: str) -> None:
            url = getattr(self, "url", b"")  # what the parser has read of the URL so far
            if len(url) <= MAX_URL:
                super().send_400_response(msg)
                return
            body = URL_TOO_LONG.encode("ascii") + b"\n"
            head = [b"HTTP/1.1 414 URI Too Long\r\n"]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            head.append(b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                        b"connection: close\r\n\r\n" % len(body))
            self.transport.write(b"".join(head) + body)
            self.transport.close()
            client = self.client[0] if self.client else "-"
            logger.info("%s - - 414 0 ms %d B error: %s", client, len(body), URL_TOO_LONG)

    return Protocol
