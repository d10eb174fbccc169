"""Real headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright for Python.

Where Chromium is missing the run stops before any test, naming the install
command (tests/browser_policy.py); only ``KARIGAR_SKIP_BROWSER=1`` turns the
browser tests into skips, and the closing summary says so.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from karigar.hosting.netlify_headers import HeaderRule, deploy_header_rules, headers_for

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


# Debian's package; `apt-get update` first, since a fresh machine's package lists are empty.
INSTALL_COMMAND = "sudo apt-get update && sudo apt-get install -y chromium"


def require_chromium() -> str:
    """The Chromium executable; a missing one fails the test (the collection hook normally stops first)."""
    path = chromium_path()
    if path is None:
        pytest.fail(f"Chromium is missing: install it with `{INSTALL_COMMAND}`")
    return path


NETLIFY_TOML = Path(__file__).resolve().parent.parent / "netlify.toml"


# --- Netlify's custom headers --------------------------------------------------
# Matched and merged by karigar.hosting.netlify_headers (tested against Netlify's
# documented examples in tests/test_netlify_headers.py), not by test code.


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".ics": "text/calendar", ".woff2": "font/woff2", ".webp": "image/webp",
                      ".js": "text/javascript", ".svg": "image/svg+xml"}

    # Set per server by serve_folder (a subclass); empty: no custom headers.
    header_rules: list[HeaderRule] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self._custom = headers_for(self.header_rules, unquote(urlsplit(self.path).path)) if self.header_rules else {}
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        # A custom header replaces the server's own (Content-Type of calendar.ics).
        custom = getattr(self, "_custom", {})
        if keyword.lower() in {name.lower() for name in custom}:
            return
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        custom = getattr(self, "_custom", {})
        self._custom = {}
        for name, value in custom.items():
            super().send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Serve the site's own 404 page, as Netlify does.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve_folder(folder: Path, *, netlify_headers: bool = False, netlify_toml: Path = NETLIFY_TOML) -> Iterator[str]:
    """A static server on 127.0.0.1 (a free port) over ``folder``; yields its base URL.

    With ``netlify_headers``, every response carries the headers Netlify
    would send: the `[[headers]]` of ``netlify_toml`` and the rules of
    ``folder/_headers``, matched and merged as Netlify does.
    """
    rules = deploy_header_rules(folder, netlify_toml) if netlify_headers else []
    handler_class = type("_SiteHandler", (_QuietHandler,), {"header_rules": rules})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
