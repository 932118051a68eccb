"""A TCP listener on 127.0.0.1 for the tests that prove no request leaves the machine."""
from __future__ import annotations

import socket
import threading


class Listener:
    """A TCP server on 127.0.0.1 (a free port) that records every connection and closes it at once."""

    def __init__(self, path: str = "/") -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}{path}"
        self.connections: list[object] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            self._take()

    def _take(self) -> bool:
        """Accept one connection (waiting at most the socket's timeout), record it and close it."""
        try:
            conn, peer = self.sock.accept()
        except (TimeoutError, BlockingIOError):
            return False
        self.connections.append(peer)
        conn.close()
        return True

    def close(self) -> list[object]:
        """Stop, and the connections it received (one still waiting to be accepted included)."""
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join()
            self.sock.setblocking(False)
            while self._take():
                pass
            self.sock.close()
        return self.connections
