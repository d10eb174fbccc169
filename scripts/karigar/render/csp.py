"""The Content-Security-Policy the site ships with, computed from the built pages.

:func:`inline_script_hashes` and :func:`inline_style_hashes` read the built
HTML, :func:`csp_policy` writes the policy, :func:`headers_file` the Netlify
``_headers`` text, and :class:`HashCollector` / :func:`finalize_headers` do all
of it for a build's outputs.  The hashes are computed from the built bytes,
never written by hand, so a Material upgrade that changes its inline scripts
changes the policy with it.  But only inline code the *theme* emits is hashed
(it is read from the look's frames, which hold no content): hashing whatever
the built pages contain would allow the very script an injection put there.
Any other inline script stops the build instead (located by
:mod:`karigar.render.headers`).

Why the CSP lives in the generated ``_headers`` and nowhere else: Netlify merges
``_headers`` with the ``[[headers]]`` of ``netlify.toml``, and when both set
the same header for the same path, ``netlify.toml`` silently wins.  A static
CSP there would drop the hash-bearing one.  So ``netlify.toml`` holds every
other security header, and this module the CSP alone.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from karigar.errors import UntrustedInlineCode

if TYPE_CHECKING:
    from karigar.render.look import Frame

__all__ = [
    "HEADERS_PATH",
    "InlineHashes",
    "HashCollector",
    "UntrustedInlineCode",
    "UntrustedPlace",
    "PLACES_KEPT",
    "frame_pages",
    "csp_hash",
    "inline_hashes",
    "inline_script_hashes",
    "inline_style_hashes",
    "csp_policy",
    "headers_file",
    "finalize_headers",
]

# --- hashes of the inline scripts and styles of built pages --------------------

# A `<script` or `<style` start tag (attributes may be quoted and hold `>`),
# then, from its end, the matching end tag.  Both elements' contents are raw
# text: no entity or tag inside means anything until `</script` / `</style`.
# Case-insensitive, as HTML tag names are.
_OPEN_RE: Final = re.compile(rb"<(script|style)(?=[\s/>])", re.IGNORECASE)
_START_TAG_REST_RE: Final = re.compile(rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_CLOSE_RE: Final = {
    b"script": re.compile(rb"</script(?=[\s/>])", re.IGNORECASE),
    b"style": re.compile(rb"</style(?=[\s/>])", re.IGNORECASE),
}
_ATTR_RE: Final = re.compile(r"""([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>=`<]+))?""")

# The HTML standard's JavaScript MIME type essences: a <script> whose type is
# one of these (or empty, or missing) runs as a classic script.
_JAVASCRIPT_TYPES: Final = frozenset({
    "application/ecmascript", "application/javascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
# Other inline script types that script-src governs.  Everything else is a
# data block (application/json, application/ld+json, ...): the browser never
# runs it and CSP does not check it, so it gets no hash.  Hashing one would
# allow a script whose text equals content-derived JSON, for no gain.
_OTHER_EXECUTED_TYPES: Final = frozenset({"module", "importmap", "speculationrules"})


def csp_hash(text: bytes | str) -> str:
    """The CSP source expression (``'sha256-...'``) allowing an inline script or style with ``text``.

    Browsers hash the element's text as parsed: the HTML parser has already
    turned CR LF and lone CR into LF, and NUL into U+FFFD, so the same is
    done here before hashing the UTF-8 bytes.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\x00" in data:
        data = data.replace(b"\x00", "\ufffd".encode("utf-8"))
    digest = hashlib.sha256(data).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _attributes(raw: bytes) -> dict[str, str]:
    """The attributes of a start tag (names lower-cased; the first of duplicates wins, as in HTML)."""
    found: dict[str, str] = {}
    for name, value in _ATTR_RE.findall(raw.decode("utf-8", "replace")):
        name = name.lower()
        if name not in found:
            found[name] = html.unescape(value[1:-1] if value[:1] in ("'", '"') else value)
    return found


def _is_executed_script(attrs: dict[str, str]) -> bool:
    """Whether an inline ``<script>`` with these attributes is run by the browser (and so checked by CSP)."""
    if "src" in attrs:
        return False  # external: allowed by 'self', its inline text is ignored
    kind = attrs.get("type")
    if kind is None:
        language = attrs.get("language")
        kind = "" if not language else "text/" + language
    kind = kind.strip(" \t\n\f\r").lower()
    if kind == "" or kind in _OTHER_EXECUTED_TYPES:
        return True
    essence = kind.split(";", 1)[0].strip(" \t\n\f\r")
    return essence in _JAVASCRIPT_TYPES


@dataclass
class InlineHashes:
    """CSP hashes of a page's (or a whole site's) inline scripts and ``<style>`` elements."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)

    def update(self, other: "InlineHashes") -> None:
        self.scripts |= other.scripts
        self.styles |= other.styles


# Start tags are few and repeat on every page (`<script>`, `<script id="__config"
# type="application/json">`): read each distinct one once.
_EXECUTED_CACHE: dict[bytes, bool] = {}


def _iter_inline(page: bytes) -> Iterator[tuple[bytes, bytes, bytes, int]]:
    """(element name lower-cased, start tag attributes, text, offset of ``<``) of each script and style, in order."""
    pos = 0
    while True:
        opening = _OPEN_RE.search(page, pos)
        if opening is None:
            return
        name = opening.group(1).lower()
        rest = _START_TAG_REST_RE.match(page, opening.end())
        if rest is None:  # `<script` with no `>` after it: the browser reads no element either
            return
        closing = _CLOSE_RE[name].search(page, rest.end())
        # No end tag: the element's text runs to the end of the document.
        end = closing.start() if closing is not None else len(page)
        yield name, rest.group(1), page[rest.end() : end], opening.start()
        if closing is None:
            return
        pos = closing.end()


def _inline_code(page: bytes) -> Iterator[tuple[bytes, bytes, int]]:
    """(``b"script"`` or ``b"style"``, text, offset of its start tag) of every executed script and style element."""
    for name, raw_attrs, text, start in _iter_inline(page):
        if name == b"script":
            executed = _EXECUTED_CACHE.get(raw_attrs)
            if executed is None:
                executed = _is_executed_script(_attributes(raw_attrs))
                if len(_EXECUTED_CACHE) < 4096:
                    _EXECUTED_CACHE[raw_attrs] = executed
            if not executed:
                continue
        yield name, text, start


def inline_hashes(page: bytes) -> InlineHashes:
    """The CSP hashes one built HTML page needs: its executed inline scripts and its ``<style>`` elements.

    Scripts with ``src`` and data blocks (``application/json``,
    ``application/ld+json``: never executed, so never checked by CSP) are
    left out.  Style *attributes* are not hashed: see :func:`csp_policy`.
    This reports what a page holds; it does not judge it (see
    :class:`HashCollector` for that).
    """
    found = InlineHashes()
    for name, text, _ in _inline_code(page):
        (found.scripts if name == b"script" else found.styles).add(csp_hash(text))
    return found


def inline_script_hashes(page: bytes) -> set[str]:
    """``'sha256-...'`` of every inline ``<script>`` in ``page`` that the browser would run."""
    return inline_hashes(page).scripts


def inline_style_hashes(page: bytes) -> set[str]:
    """``'sha256-...'`` of every ``<style>`` element in ``page``."""
    return inline_hashes(page).styles


# --- the policy and the _headers file ------------------------------------------

# Netlify reads this file from the publish folder (and does not serve it).
HEADERS_PATH: Final = "_headers"
# A site that keeps all photos in Git could pass ("'self'", "data:").
_IMAGE_SOURCES_DEFAULT: Final = ("'self'", "https:", "data:")


def csp_policy(script_hashes: Iterable[str], style_hashes: Iterable[str] = (), *,
               image_sources: Iterable[str] = _IMAGE_SOURCES_DEFAULT, connect_sources: Iterable[str] = ()) -> str:
    """The site's Content-Security-Policy, allowing exactly the given inline hashes.

    * ``script-src 'self'`` plus the hashes: the theme's scripts
      (``frame.js``, ``training-filter.js``, ``search.js``) are files; Material's few inline scripts
      (``__md_scope``, the palette restore, the tab restore) are allowed by
      hash.  Never ``'unsafe-inline'``, never ``'unsafe-eval'``, and so no
      inline event handler can run, whatever reached a page.  Plus
      ``'wasm-unsafe-eval'``, the one addition search needs: Pagefind searches
      in WebAssembly, which a policy must allow to compile.  It lets a script
      the policy already runs compile WebAssembly, never run JavaScript from a
      string, so an injection can do nothing more with it.  Pagefind's worker
      is a file of the site (``worker-src`` falls back to ``script-src 'self'``):
      no ``blob:`` is needed.
    * ``style-src 'self'`` plus hashes of ``<style>`` elements, if any.  The
      built pages carry no ``style`` attributes (checked by the tests), so
      no ``'unsafe-hashes'``; scripts setting ``element.style`` (CSSOM) are
      not affected by style-src.
    * ``img-src 'self' https: data:``: photos may live on https media hosts
      (``media_hosts``); ``data:`` because Material's own stylesheet draws its
      icons (admonitions, collapsible details, task lists) as
      ``mask-image: url("data:image/svg+xml,...")``, which CSP checks as images.
      An image cannot run script, and no content can emit a ``data:`` URL
      (the renderer and the sanitizer refuse them).
    * ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``,
      ``frame-ancestors 'none'`` (clickjacking; X-Frame-Options for old
      browsers is in netlify.toml), ``upgrade-insecure-requests``.
    * ``connect-src 'self'`` plus ``connect_sources`` (none for the site:
      no page script fetches from another origin).
    """
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(set(script_hashes))])
    styles = " ".join(["'self'", *sorted(set(style_hashes))])
    connect = " ".join(["'self'", *connect_sources])
    directives = [
        "default-src 'self'",
        f"script-src {scripts}",
        f"style-src {styles}",
        f"img-src {' '.join(image_sources)}",
        "font-src 'self'",
        f"connect-src {connect}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ]
    return "; ".join(directives)


def headers_file(policy: str, *, paths: Sequence[str] = ("/*",),
                 own_rules: Sequence[tuple[str, Mapping[str, str]]] = ()) -> str:
    """The text of Netlify's ``_headers`` file: the CSP on every path of ``paths``.

    ``own_rules`` are (path, headers) of parts of the site that have a policy
    of their own (the web editor, :mod:`karigar.render.admin.policy`); ``paths``
    must then leave them out, since Netlify sends every matching rule's CSP
    and browsers enforce them all.  Only CSPs are here; the other security
    headers are static and live in ``netlify.toml`` (where Netlify would let
    them override this file).
    """
    values = [policy, *(value for _path, headers in own_rules for value in headers.values())]
    if any("\n" in value or "\r" in value for value in values):
        raise ValueError("a header value cannot span lines")
    lines = [
        "# Generated by `karigar build` from the built pages: do not edit.",
        "# The Content-Security-Policy allows exactly the inline scripts the pages contain,",
        "# by hash. Other headers are in netlify.toml, which must not set this one.",
    ]
    for path in paths:
        lines += [path, f"  Content-Security-Policy: {policy}"]
    for path, headers in own_rules:
        lines.append(path)
        lines += [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


# The one part of a theme script that may differ between pages: a path literal
# (Material's `__md_scope=new URL("../..",location)` is relative to the page's
# depth in MkDocs' pages and absolute in the catalog's frames).  A script that
# differs from a theme script only there can do nothing the theme's cannot.
_PATH_LITERAL_RE: Final = re.compile(rb'"(?:\.{1,2}(?:/\.{1,2})*/?|/[A-Za-z0-9._~/-]*)"')


def _shape(text: bytes) -> bytes:
    return _PATH_LITERAL_RE.sub(b'"\x00path"', text)


@dataclass(frozen=True)
class UntrustedPlace:
    """One inline script or style the theme never emits: the page it is in and where in the page's bytes."""

    path: str
    element: str  # "script" or "style"
    offset: int  # of the start tag's `<`
    text: bytes

    @property
    def sample(self) -> str:
        """The start of the text, on one line, quoted (for messages)."""
        return _sample(self.text)


# How many untrusted places a collector keeps (each holds its text).
PLACES_KEPT: Final = 1000


def _sample(text: bytes) -> str:
    shown = " ".join(text.decode("utf-8", "replace").split())
    return repr(shown if len(shown) <= 60 else shown[:59] + "…")


class HashCollector:
    """Gathers the CSP hashes of a build's HTML outputs, allowing only what the theme itself emits.

    ``theme_pages`` are pages made from the theme alone, with no content in
    them: the look's frames (see :func:`frame_pages`).  Their inline scripts
    and styles are trusted and always hashed.  Every other page's inline
    script or style must have the same text as a trusted one, up to a path
    literal (:data:`_PATH_LITERAL_RE`); anything else is *not* hashed but
    recorded, and :meth:`output` raises :class:`UntrustedInlineCode`.  So a
    script that content smuggled into a page is never allowed by the policy
    computed from that very page.

    For builds that render pages as a stream: call :meth:`add` for each HTML
    output as it is produced (in any process: :attr:`hashes`,
    :attr:`untrusted` and :attr:`places` merge by union), then :meth:`output` once.
    """

    def __init__(self, theme_pages: Iterable[tuple[str, bytes]], *, connect_sources: Iterable[str] = ()) -> None:
        self.connect_sources = tuple(connect_sources)
        self.hashes = InlineHashes()
        self.untrusted: dict[str, list[str]] = {}
        self.places: list[UntrustedPlace] = []
        self.pages = 0
        self._shapes: set[tuple[bytes, bytes]] = set()
        # text -> its hash, or "" when it is untrusted; the same few texts recur on every page.
        self._verdicts: dict[tuple[bytes, bytes], str] = {}
        for _, data in theme_pages:
            for name, text, _ in _inline_code(data):
                self._shapes.add((name, _shape(text)))
                self._record(name, csp_hash(text))

    def _record(self, name: bytes, digest: str) -> None:
        (self.hashes.scripts if name == b"script" else self.hashes.styles).add(digest)

    def add(self, path: str, data: bytes) -> None:
        """Scan one output; anything but ``.html`` is ignored."""
        if not path.endswith((".html", ".htm")):
            return
        self.pages += 1
        for name, text, start in _inline_code(data):
            key = (name, text)
            verdict = self._verdicts.get(key)
            if verdict is None:
                verdict = csp_hash(text) if (name, _shape(text)) in self._shapes else ""
                if len(self._verdicts) < 4096:
                    self._verdicts[key] = verdict
            if verdict:
                self._record(name, verdict)
            else:
                self.untrusted.setdefault(path, []).append(_sample(text))
                # A template that gained a script puts it on every page: a few places are enough to point at.
                if len(self.places) < PLACES_KEPT:
                    self.places.append(UntrustedPlace(path, name.decode("ascii"), start, text))

    def policy(self) -> str:
        """The CSP allowing the trusted inline code seen so far."""
        return csp_policy(self.hashes.scripts, self.hashes.styles, connect_sources=self.connect_sources)

    def output(self, *, paths: Sequence[str] = ("/*",),
               own_rules: Sequence[tuple[str, Mapping[str, str]]] = ()) -> tuple[str, bytes]:
        """The ``_headers`` output: (``"_headers"``, its bytes); ``paths`` and ``own_rules`` as
        :func:`headers_file` takes them.

        Raises :class:`UntrustedInlineCode` if any page held inline code the
        theme does not emit.
        """
        if self.untrusted:
            raise UntrustedInlineCode(self.untrusted, self.places)
        return HEADERS_PATH, headers_file(self.policy(), paths=paths, own_rules=own_rules).encode("utf-8")


def frame_pages(frames: Mapping[Any, "Frame"]) -> list[tuple[str, bytes]]:
    """The look's frames as theme pages for :class:`HashCollector`: each frame's pieces, joined.

    A frame is Material's page with the content slots cut out, rendered
    from the theme and mkdocs.yml only: the inline scripts it holds are
    the theme's.
    """
    pages = []
    for key, frame in sorted(frames.items(), key=lambda item: repr(item[0])):
        text = "".join((frame.before_title, frame.before_head, frame.before_body, frame.after_body))
        pages.append((f"frame:{key!r}", text.encode("utf-8")))
    return pages


def finalize_headers(outputs: Iterable[tuple[str, bytes]], *, theme_pages: Iterable[tuple[str, bytes]],
                     connect_sources: Iterable[str] = ()) -> tuple[str, bytes]:
    """The ``_headers`` output for a build: (``"_headers"``, its bytes).

    ``outputs`` are HTML outputs as (site-relative path, bytes); others are
    skipped, so passing every output is fine.  ``theme_pages`` are the
    theme's own pages (:func:`frame_pages` of the look's frames).  The CSP
    carries the hashes of the theme's inline scripts and styles, which are
    all any page may hold; a page holding any other inline script or style
    makes this raise :class:`UntrustedInlineCode` (its hash is never added).
    """
    collector = HashCollector(theme_pages, connect_sources=connect_sources)
    for path, data in outputs:
        collector.add(path, data)
    return collector.output()
