"""What the dev server answers for a URL path: a pure function of one snapshot.

The HTTP layer (:mod:`karigar.serve.http`) only copies a :class:`Response` to
the socket, so everything a browser sees -- pretty URLs, redirects, content
types, the 404 page, the live-reload tag, the error page of a broken build --
is decided here and can be tested without a socket or a thread.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from karigar.serve.ondemand import PageFailed

__all__ = [
    "SiteSnapshot",
    "Response",
    "respond",
    "inject_reload",
    "reload_tag",
    "error_page",
    "building_page",
    "content_type",
    "INTERNAL_PREFIX",
    "LIVERELOAD_PATH",
    "EVENTS_PATH",
    "ERROR_STATUS",
]

# Internal URLs live outside any base path, under a name no slug can take
# (slugs are [a-z0-9-] only), so they never shadow a page of the site.
INTERNAL_PREFIX = "/__karigar__/"
LIVERELOAD_PATH = INTERNAL_PREFIX + "livereload.js"
EVENTS_PATH = INTERNAL_PREFIX + "events"
ERROR_CSS_PATH = INTERNAL_PREFIX + "error.css"

# Pages of a broken build answer 500: the build really failed, so scripts and
# link checkers see it, and browsers show a 500's body just like a 200's.
ERROR_STATUS = 500

# Explicit types for what a Karigar site publishes: the platform's mimetypes
# table differs between machines (and lacks .ics, .woff2 or .webp on some).
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".gz": "application/gzip",
    ".pdf": "application/pdf",
}

_ERROR_CSS = b"""\
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff8f5; color: #2b1a12; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { color: #a3290b; }
ol { padding-left: 1.25rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border-left: 4px solid #a3290b;
      padding: .5rem .75rem; font: 14px/1.45 ui-monospace, monospace; }
.note { color: #6b5247; font-size: .9rem; }
"""


@dataclass(frozen=True)
class SiteSnapshot:
    """One state of the served site.

    ``files`` is the last build that succeeded (output path -> bytes);
    ``errors`` holds the formatted problems of the latest build when it failed,
    and is empty when the latest build succeeded.  ``build_id`` grows by one
    with every build, failed or not, so open pages reload either way.
    ``ready`` is False only before the first build has finished: the server
    answers at once with a "building" page that reloads when it is done (a
    big catalog's first check takes a while).
    """

    build_id: int
    files: Mapping[str, bytes] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    base_path: str = "/"
    ready: bool = True

    @property
    def broken(self) -> bool:
        """True while the latest build failed."""
        return bool(self.errors)


@dataclass(frozen=True)
class Response:
    """Status, headers and body of one answer."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), if any."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


def content_type(path: str) -> str:
    """The Content-Type for an output path, judged by its extension."""
    ext = posixpath.splitext(path)[1].lower()
    known = _TYPES.get(ext)
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(path, strict=False)
    return guessed or "application/octet-stream"


def reload_tag(build_id: int) -> bytes:
    """The live-reload tag: an external script, since the site's CSP forbids inline ones.

    ``data-build`` tells the script which build the page came from, so a
    rebuild that lands between serving the page and running the script still
    reloads it.
    """
    return f'<script src="{LIVERELOAD_PATH}" data-build="{build_id}" defer></script>'.encode()


def inject_reload(page: bytes, build_id: int) -> bytes:
    """``page`` with the live-reload tag just before its last ``</body>`` (appended if none)."""
    tag = reload_tag(build_id)
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]


def error_page(errors: tuple[str, ...], build_id: int, *, page_failed: bool = False) -> bytes:
    """The page every HTML request gets while the latest build is broken.

    ``page_failed``: the build is fine but rendering the requested page raised
    (pages render on demand, so that error only shows when the page is asked for).
    """
    items = "\n".join(f"<li><pre>{html.escape(text)}</pre></li>" for text in errors)
    count = len(errors)
    if page_failed:
        heading = "This page did not render"
        lead = "Rendering it raised an error. Fix the template or entry and save: this page reloads by itself."
        note = "The traceback is in the terminal running `karigar serve`."
    else:
        heading = "The site did not build"
        lead = (f"{count} problem{'' if count == 1 else 's'} stopped the build. Fix {'it' if count == 1 else 'them'} "
                "and save: this page reloads by itself when the site builds again.")
        note = "The last good build is still served for images, styles and scripts."
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed - Karigar</title>
<link rel="stylesheet" href="{ERROR_CSS_PATH}">
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{lead}</p>
<ol>
{items}
</ol>
<p class="note">Build {build_id}. {note}</p>
</main>
</body>
</html>
"""
    return inject_reload(page.encode("utf-8"), build_id)


def building_page(build_id: int) -> bytes:
    """What every request gets until the first build is done; it reloads by itself then."""
    page = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Building - Karigar</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<main>
<h1>Building the site</h1>
<p>Karigar is checking the catalog for the first time since the server started. This page
reloads by itself as soon as it is ready; the terminal running <code>karigar serve</code> shows the progress.</p>
</main>
</body>
</html>
""".format(css=ERROR_CSS_PATH)
    return inject_reload(page.encode("utf-8"), build_id)


def _answer(status: int, body: bytes, ctype: str, *extra: tuple[str, str]) -> Response:
    # no-store: a dev server's pages change under the browser at every save.
    headers = (
        ("Content-Type", ctype),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *extra,
    )
    return Response(status, headers, body)


def _redirect(location: str) -> Response:
    # 302, not 301: browsers cache a 301 for good, and dev URLs come and go.
    return _answer(302, b"", "text/plain; charset=utf-8", ("Location", location))


def _html(status: int, page: bytes, build_id: int) -> Response:
    return _answer(status, inject_reload(page, build_id), _TYPES[".html"])


def _not_found(snapshot: SiteSnapshot) -> Response:
    try:
        page = snapshot.files.get("404.html")
    except PageFailed:
        page = None  # the plain page below still says "not found"; the 404 template's error shows on its own
    if page is None:
        page = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
    return _html(404, page, snapshot.build_id)


def _clean(rel: str) -> str | None:
    """A request path (already unquoted, base path removed) as an output key; None if it escapes."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    if ".." in parts or any("\\" in part or "\x00" in part for part in parts):
        return None
    return "/".join(parts)


def respond(snapshot: SiteSnapshot, raw_path: str, *, livereload_js: bytes) -> Response:
    """What the server sends for a GET of ``raw_path`` (path plus optional query).

    ``/x/`` serves ``x/index.html``; ``/x`` redirects to ``/x/`` when that
    exists; anything else missing gets the site's ``404.html`` with status 404.
    While the latest build is broken every HTML answer is the error page,
    while images, styles and scripts still come from the last good build.
    The live-reload endpoint (``/__karigar__/events``) waits for a rebuild and
    is answered by the HTTP layer, not here.
    """
    # Not urlsplit: it would read `//host/x` as a host, not as a path.
    raw, _, query = raw_path.partition("#")[0].partition("?")
    path = unquote(raw) or "/"
    if path == LIVERELOAD_PATH:
        return _answer(200, livereload_js, _TYPES[".js"])
    if path == ERROR_CSS_PATH:
        return _answer(200, _ERROR_CSS, _TYPES[".css"])
    if not snapshot.ready:
        # 503 + Retry-After: scripts and link checkers see "not yet", not a missing page.
        return _answer(503, building_page(snapshot.build_id), _TYPES[".html"], ("Retry-After", "5"))
    base = snapshot.base_path
    if not path.startswith(base):
        # A site under /karigar/ asked for at /: send the browser to the site.
        if path == "/" and base != "/":
            return _redirect(base)
        key = None
    else:
        key = _clean(path[len(base):])
    file_key: str | None = None
    if key is not None:
        if key == "" or path.endswith("/"):
            file_key = f"{key}/index.html" if key else "index.html"
        elif key in snapshot.files:
            file_key = key
        elif f"{key}/index.html" in snapshot.files:
            # Rebuilt from the cleaned key, so the Location is always a path of this site.
            return _redirect(f"{base}{quote(key)}/" + (f"?{query}" if query else ""))
    try:
        found = snapshot.files.get(file_key) if file_key is not None else None
    except PageFailed as exc:
        # Pages render on demand: a template that raises for this page alone shows here.
        body = error_page((str(exc),), snapshot.build_id, page_failed=True)
        return _answer(ERROR_STATUS, body, _TYPES[".html"])
    is_page = found is None or content_type(file_key or "").startswith("text/html")
    if snapshot.broken and is_page:
        return _answer(ERROR_STATUS, error_page(snapshot.errors, snapshot.build_id), _TYPES[".html"])
    if found is None or file_key is None:
        return _not_found(snapshot)
    ctype = content_type(file_key)
    if ctype.startswith("text/html"):
        return _html(200, found, snapshot.build_id)
    return _answer(200, found, ctype)
