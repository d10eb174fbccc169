"""The HTTP side of the dev server: copy :func:`respond`'s answers to the socket.

The one dynamic URL is the live-reload endpoint, ``/__karigar__/events?since=N``:
a long poll that answers as soon as the build id differs from ``N`` (or after
``LONG_POLL_SECONDS``, when the script simply asks again).  A long poll needs
no streaming support in ``http.server`` and ends cleanly on shutdown.
"""

from __future__ import annotations

import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs

from karigar.serve.respond import EVENTS_PATH, Response, SiteSnapshot, respond

__all__ = ["SiteSource", "DevHTTPServer", "DevRequestHandler", "parse_address", "LONG_POLL_SECONDS"]

LONG_POLL_SECONDS = 25.0


class SiteSource(Protocol):
    """What the HTTP layer needs from the dev server."""

    livereload_js: bytes

    def snapshot(self) -> SiteSnapshot:
        """The site as it should be served right now."""
        ...

    def wait_for_change(self, since: int, timeout: float) -> int:
        """Block until the build id differs from ``since`` (or timeout); the current id."""
        ...


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) as a (host, port) pair; ValueError if malformed."""
    host, sep, port_text = address.rpartition(":")
    if not sep or not port_text.isdigit():
        raise ValueError(f"`{address}` is not HOST:PORT, e.g. 127.0.0.1:8000")
    port = int(port_text)
    if port > 65535:
        raise ValueError(f"port {port} is out of range (0-65535)")
    host = host.strip("[]") or "127.0.0.1"
    return host, port


class DevHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that knows the site it serves."""

    daemon_threads = True  # a long poll must never keep the process alive

    def __init__(self, address: tuple[str, int], source: SiteSource) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.source = source
        super().__init__(address, DevRequestHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Drop the traceback of a browser hanging up (a reload mid-request); print others."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class DevRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the in-memory site."""

    server: DevHTTPServer
    server_version = "karigar-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Answer a GET."""
        self._handle(body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        """Answer a HEAD: the GET's headers, no body."""
        self._handle(body=False)

    def _handle(self, *, body: bool) -> None:
        source = self.server.source
        path, _, query = self.path.partition("?")
        if path == EVENTS_PATH:
            response = self._events(source, query)
        else:
            response = respond(source.snapshot(), self.path, livereload_js=source.livereload_js)
        self._send(response, body=body)

    def _events(self, source: SiteSource, query: str) -> Response:
        values = parse_qs(query).get("since", [""])
        try:
            since = int(values[0])
        except ValueError:
            since = -1  # no or bad id: answer at once with the current one
        build = source.wait_for_change(since, LONG_POLL_SECONDS)
        data = json.dumps({"build": build}).encode()
        headers = (
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        )
        return Response(200, headers, data)

    def _send(self, response: Response, *, body: bool) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if body and response.body:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The browser navigated away or reloaded mid-answer: nothing to do.
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Silence the per-request log: the long polls alone would flood the terminal."""
