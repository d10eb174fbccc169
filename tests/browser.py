"""Real headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright for Python.

Where Chromium is missing the run stops before any test, naming the install
command (tests/browser_policy.py); only ``KARIGAR_SKIP_BROWSER=1`` turns the
browser tests into skips, and the closing summary says so.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

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


# --- Netlify's custom headers, emulated ------------------------------------------
# What Netlify does (its headers-parser): a rule's `for` path is split on `/`,
# empty parts dropped; `:name` matches one segment, a part that is just `*`
# matches the rest of the path (the slash before it included, so `/*` matches
# `/` too), a `*` inside a part matches anything; the whole is anchored,
# a trailing slash optional, case-insensitive.  Rules from `_headers` come
# first, then netlify.toml's; every matching rule's values are applied in
# that order, a later value replacing an earlier one of the same name (names
# compared as written, as Netlify's Object.assign does), so netlify.toml wins.

@dataclass(frozen=True)
class HeaderRule:
    """One `for` path and the headers it sets."""

    path: str
    values: Mapping[str, str]

    @property
    def regex(self) -> re.Pattern[str]:
        parts = []
        for part in (p.rstrip() for p in self.path.split("/")):
            if not part:
                continue
            if part.startswith(":"):
                parts.append("([^/]+)")
            elif part == "*":
                parts.append("?(.*)")
            elif "*" in part:
                parts.append("(.*)".join(re.escape(piece) for piece in part.split("*")))
            else:
                parts.append(re.escape(part))
        return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)

    def matches(self, url_path: str) -> bool:
        return self.regex.match(url_path) is not None


def _toml_value(value: object) -> str:
    # netlify.toml values: trimmed; `a ,b` lists normalized to `a, b`; arrays joined.
    if isinstance(value, list):
        return ", ".join(str(item).strip() for item in value)
    return re.sub(r"\s*,\s*", ", ", str(value).strip())


def netlify_toml_rules(path: Path = NETLIFY_TOML) -> list[HeaderRule]:
    """The `[[headers]]` rules of a netlify.toml."""
    config = tomllib.loads(path.read_text("utf-8"))
    return [
        HeaderRule(str(rule["for"]).strip(), {str(k).strip(): _toml_value(v) for k, v in rule.get("values", {}).items()})
        for rule in config.get("headers", [])
    ]


def headers_file_rules(text: str) -> list[HeaderRule]:
    """The rules of a `_headers` file: a path line (starts with `/`), then `Name: value` lines."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line, {}))
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue  # Netlify ignores a line without a colon
        if not rules or not name.strip() or not value.strip():
            raise ValueError(f"_headers:{number}: cannot parse {line!r}")
        values = rules[-1][1]
        name, value = name.strip(), value.strip()
        # The same name twice under one path: Netlify joins the values.
        values[name] = f"{values[name]}, {value}" if name in values else value
    return [HeaderRule(path, values) for path, values in rules]


def site_header_rules(folder: Path, netlify_toml: Path = NETLIFY_TOML) -> list[HeaderRule]:
    """Every rule Netlify would apply to a deploy of ``folder``: its `_headers`, then netlify.toml's."""
    headers_file = folder / "_headers"
    rules = headers_file_rules(headers_file.read_text("utf-8")) if headers_file.is_file() else []
    return rules + netlify_toml_rules(netlify_toml)


def headers_for(rules: list[HeaderRule], url_path: str) -> dict[str, str]:
    """The custom headers a response to ``url_path`` gets."""
    found: dict[str, str] = {}
    for rule in rules:
        if rule.matches(url_path):
            found.update(rule.values)
    return found


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
    rules = site_header_rules(folder, netlify_toml) if netlify_headers else []
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
