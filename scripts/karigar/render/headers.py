"""The site's ``_headers`` output: the CSP for what the build made, or a located refusal.

This is the render stage's last check before anything is written: the
theme's frames, MkDocs' staged pages and the catalog's templates go through
:class:`~karigar.render.csp.HashCollector`; inline code the theme never emits
is not allowed but refused, with a diagnostic that points at the line where it
is written (or, when no file holds it as written, at its line in the staged
page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from karigar.catalog.routes import Routes
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.material import StagedSite
from karigar.render.admin.policy import ADMIN_POLICY, ADMIN_RULE, strict_rule_paths
from karigar.render.csp import HashCollector, UntrustedInlineCode, frame_pages
from karigar.render.edit_links import ADMIN_FOLDER
from karigar.render.look import FramedLook, Look

__all__ = ["security_headers"]


def security_headers(settings: Settings, routes: Routes, look: Look, staged: StagedSite | None, *,
                     outputs: Iterable[str] = ()) -> tuple[str, bytes] | Diagnostic | None:
    """Netlify's ``_headers`` with a CSP hashing the theme's inline scripts, checked before any write.

    What is scanned: MkDocs' staged pages, and the catalog's templates.  A
    catalog page is a frame (trusted: it is the theme's) around a template's
    output, so an inline script in a catalog page can only come from a
    template; reading the few templates here finds one where it is written,
    before a page is rendered or written (scanning rendered pages instead
    would find it only after the first ones were written, and never on a
    page an incremental build keeps).  Inline code the frames never emit
    stops the build with a located error instead of being allowed.

    ``outputs`` are the site's output paths: when they hold the web editor,
    the strict policy is written for every top-level name but ``admin/``,
    which gets its own (:mod:`karigar.render.admin.policy`); otherwise one
    ``/*`` rule covers the site.
    """
    if not isinstance(look, FramedLook):
        return None
    # connect-src is 'self' alone: no page script fetches anything (the canonical origin was
    # allowed for Material's sitemap.xml probes, gone with its bundle: theme/main.html).
    collector = HashCollector(frame_pages(look.frames))
    if staged is not None:
        for rel in staged.files:
            if rel.endswith(".html"):
                collector.add(rel, (staged.root / rel).read_bytes())
    templates: dict[str, Path] = {}
    for template in sorted(settings.templates_dir.rglob("*.html")):
        name = settings.relative(template)
        templates[name] = template
        collector.add(name, _JINJA_COMMENT_RE.sub(_blanked, template.read_bytes()))
    listed = list(outputs)
    try:
        if any(output.startswith(ADMIN_FOLDER) for output in listed):
            return collector.output(paths=strict_rule_paths(listed), own_rules=[
                (ADMIN_RULE, {"Content-Security-Policy": ADMIN_POLICY, "X-Robots-Tag": "noindex"})])
        return collector.output()
    except UntrustedInlineCode as exc:
        return _untrusted_code_diagnostic(exc, settings, routes, staged, templates)


# A `<script>` inside a Jinja comment is never output: blanked (same length, line
# breaks kept) so that it is not read, and offsets still point into the file.
_JINJA_COMMENT_RE = re.compile(rb"\{#.*?#\}", re.DOTALL)
_START_TAG_BEFORE_RE = re.compile(rb"<(?:script|style)\b[^>]*>\Z", re.IGNORECASE)


def _blanked(match: re.Match[bytes]) -> bytes:
    return re.sub(rb"[^\n]", b" ", match.group())


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset (columns count characters, as diagnostics do)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _content_source(settings: Settings, routes: Routes, output: str) -> str | None:
    """The ``content/`` page MkDocs made ``output`` from: ``<page>.<lang>.md`` if there is one, else ``<page>.md``."""
    fallback = None
    for path in sorted(settings.docs_dir.rglob("*.md")):
        src = path.relative_to(settings.docs_dir).as_posix()
        stem, _, lang = src[:-3].rpartition(".")
        if stem and lang in settings.languages[1:]:
            if routes.content_page(stem + ".md", lang).output == output:
                return settings.relative(path)
        elif any(routes.content_page(src, code).output == output for code in settings.languages):
            fallback = settings.relative(path)
    return fallback


def _written_in(text: bytes, candidates: list[Path]) -> tuple[Path, int] | None:
    """The one file that holds ``text`` as written, and the offset of its element there; None if not exactly one."""
    if not text.strip():
        return None
    found = []
    for candidate in candidates:
        data = candidate.read_bytes()
        at = data.find(text)
        if at >= 0:
            tag = _START_TAG_BEFORE_RE.search(data, max(0, at - 1000), at)
            found.append((candidate, tag.start() if tag else at))
    return found[0] if len(found) == 1 else None


def _untrusted_code_diagnostic(exc: UntrustedInlineCode, settings: Settings, routes: Routes,
                               staged: StagedSite | None, templates: Mapping[str, Path]) -> Diagnostic:
    """The located error for the first place holding inline code the theme never emits.

    A catalog template is located where the code is written.  A MkDocs page
    is located in the file that holds the code's text as written (the page's
    source or a template of the theme's ``custom_dir``) when exactly one
    does; otherwise (a template expression or a Markdown extension made it)
    in the staged page itself, naming the page's source.
    """
    others = len(exc.found) - 1
    also = f"; {others} other file(s) hold inline code like it" if others > 0 else ""
    hint = "load scripts and styles from files (theme/assets/); content and templates must not inline them"
    # Templates first: their code is on every page made from them.  (The collector
    # records a place for every untrusted element, up to PLACES_KEPT: never none.)
    place = min(exc.places, key=lambda p: (p.path not in templates, p.path, p.offset))
    what = f"inline <{place.element}> {place.sample}"
    blocked = "the Content-Security-Policy allows only the theme's own inline code, so browsers would block it"
    if place.path in templates:
        data = templates[place.path].read_bytes()
        return Diagnostic(Severity.ERROR, "inline-code",
                          f"{what} in a catalog template: {blocked} on every page made from it{also}",
                          Location(place.path, *_line_col(data, place.offset)), hint)
    assert staged is not None
    page = staged.root / place.path
    source = _content_source(settings, routes, place.path)
    made_from = f"the page of {source}" if source else "a page of content/"
    candidates = [settings.root / source] if source else []
    candidates += [t for t in sorted(settings.theme_dir.rglob("*.html")) if t not in candidates]
    written = _written_in(place.text, candidates)
    if written is not None:
        where, offset = written
        return Diagnostic(Severity.ERROR, "inline-code",
                          f"{what} written here reaches {place.path} ({made_from}): {blocked}{also}",
                          Location(settings.relative(where), *_line_col(where.read_bytes(), offset)), hint)
    return Diagnostic(Severity.ERROR, "inline-code",
                      f"{what} in the built {place.path} ({made_from}), as MkDocs staged it; no page or "
                      f"template holds its text as written (a template expression or a Markdown extension "
                      f"made it): {blocked}{also}",
                      Location(settings.relative(page), *_line_col(page.read_bytes(), place.offset)), hint)
