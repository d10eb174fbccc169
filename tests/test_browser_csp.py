"""The site under its real headers in Chromium: no CSP violation, no dialog, and the scripts still work.

The pages are served by tests/browser.py's static server with the headers
Netlify would send: netlify.toml's ``[[headers]]`` and the ``_headers`` file,
which is computed here from the built pages by
:func:`karigar.render.security.finalize_headers` (until the build writes it
itself).  Violations are caught by a ``securitypolicyviolation`` listener
that Playwright injects before any page script (init scripts are not subject
to the page's CSP), and by the console.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from karigar.render.security import finalize_headers
from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.test_xss_corpus import (
    PAYLOADS,
    PHOTO,
    artisan_folder,
    body_files,
    prune_and_build,
    repo_theme_pages,
    text_field_files,
    write_site,
)

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts; records what the CSP blocked.
WATCH_VIOLATIONS = """
window.__kgViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__kgViolations.push(event.effectiveDirective + " blocked " + (event.blockedURI || "inline") +
                             " " + (event.sample || ""));
}, true);
"""


# The sample's site_url origin, which the build allows in connect-src (see csp_policy).
SITE_ORIGIN = "https://karigar.netlify.app"


def with_headers_file(site: Path, dest: Path) -> Path:
    """A copy of ``site`` with the ``_headers`` file computed from its HTML, as the build will write it."""
    shutil.copytree(site, dest)
    path, data = finalize_headers(((p.relative_to(dest).as_posix(), p.read_bytes()) for p in dest.rglob("*.html")),
                                  theme_pages=repo_theme_pages(),
                                  connect_sources=[SITE_ORIGIN])
    (dest / path).write_bytes(data)
    return dest


@dataclass
class Visit:
    """What one page load showed: CSP violations, console problems, dialogs, uncaught errors."""

    violations: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.violations + self.console + self.dialogs + self.errors


class Browser:
    """One Chromium page that records everything a visit shows."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.current = Visit()
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.current.errors.append(f"uncaught: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        # A 404 page is fetched with status 404; Chromium says so on the console.
        if message.type in ("error", "warning") and "status of 404" not in text:
            self.current.console.append(f"console {message.type}: {text}")

    def _dialog(self, dialog: Any) -> None:
        self.current.dialogs.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str, *, fonts: bool = True) -> Visit:
        """Load ``path`` (and, with ``fonts``, wait for the web fonts, which CSP also checks)."""
        self.current = Visit()
        self.page.goto(self.base + path, wait_until="load")
        if fonts:
            self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.finish()

    def finish(self) -> Visit:
        """Collect the violations reported so far on the current page."""
        self.current.violations += self.page.evaluate("window.__kgViolations.splice(0)")
        return self.current


@pytest.fixture(scope="module")
def chromium_instance() -> Iterator[Any]:
    """One headless Chromium for the module (Playwright's sync API allows one at a time)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_site(chromium: Any, folder: Path, *, netlify_headers: bool = True) -> Iterator[Browser]:
    """A fresh browser context on a local server over ``folder`` (with Netlify's headers by default)."""
    with serve_folder(folder, netlify_headers=netlify_headers) as base:
        context = chromium.new_context()

        def from_local(route: Any) -> None:
            # Material fetches sitemap.xml beside each hreflang alternate, on the canonical origin; in
            # production that is the site itself, here it is answered by the local copy (with CORS,
            # since the page's origin is the local server).
            response = route.fetch(url=base + route.request.url[len(SITE_ORIGIN):])
            route.fulfill(response=response, headers={**response.headers, "access-control-allow-origin": "*"})

        context.route(f"{SITE_ORIGIN}/**", from_local)
        try:
            yield Browser(context.new_page(), base)
        finally:
            context.close()


def url_of(output: Path, site: Path) -> str:
    rel = output.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


# --- the sample site ----------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_with_headers(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_headers_file(sample_site, tmp_path_factory.mktemp("csp-sample") / "site")


@pytest.fixture(scope="module")
def sample_browser(chromium_instance: Any, sample_with_headers: Path) -> Iterator[Browser]:
    with open_site(chromium_instance, sample_with_headers) as browser:
        yield browser


def first_page(site: Path, pattern: str) -> str:
    pages = sorted(p for p in site.glob(pattern) if "/page/" not in p.as_posix())
    assert pages, pattern
    return url_of(pages[0], site)


def test_the_server_sends_the_generated_csp_and_netlify_toml_headers(sample_browser: Browser) -> None:
    response = sample_browser.page.goto(sample_browser.base + "/")
    headers = response.all_headers()
    policy = headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" in headers and "permissions-policy" in headers
    calendar = sample_browser.page.request.get(sample_browser.base + "/training/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")


def test_the_watch_catches_what_the_policy_blocks(chromium_instance: Any, sample_with_headers: Path,
                                                  tmp_path: Path) -> None:
    """The harness itself: an inline script, a handler, a style and a javascript: URL are all reported."""
    site = tmp_path / "site"
    shutil.copytree(sample_with_headers, site)
    (site / "canary.html").write_text(
        '<!doctype html><title>canary</title><p style="color: red">x</p><script>window.ran = 1</script>'
        '<img src="/missing.png" onerror="window.ran = 2"><a id="js" href="javascript:alert(1)">a</a>',
        "utf-8",
    )
    with open_site(chromium_instance, site) as browser:
        visit = browser.visit("/canary.html")
        browser.page.click("#js")
        browser.page.wait_for_timeout(200)
        visit = browser.finish()
        directives = {v.split()[0] for v in visit.violations}
        assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= directives, visit.violations
        assert browser.page.evaluate("window.ran") is None
        assert not visit.dialogs


@pytest.mark.parametrize("kind", ["home", "artisan", "product", "training index", "training resource", "about",
                                  "404", "crafts", "district"])
def test_every_page_type_loads_under_the_policy_without_violations(sample_browser: Browser, sample_site: Path,
                                                                   kind: str) -> None:
    path = {
        "home": "/",
        "artisan": first_page(sample_site, "artisans/*/*/*/index.html"),
        "product": first_page(sample_site, "artisans/*/*/*/*/index.html"),
        "training index": "/training/",
        "training resource": first_page(sample_site, "training/*/index.html"),
        "about": "/about/",
        "404": "/no-such-page/",
        "crafts": "/crafts/",
        "district": first_page(sample_site, "artisans/*/*/index.html"),
    }[kind]
    visit = sample_browser.visit(path)
    assert visit.problems() == [], path


def test_the_palette_toggle_works_under_the_policy(sample_browser: Browser) -> None:
    page = sample_browser.page
    sample_browser.visit("/")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}
    # The choice is remembered (Material's inline script reads it back on the next page).
    sample_browser.visit("/crafts/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == after
    assert sample_browser.finish().problems() == []
    page.locator("form[data-md-component=palette] label:visible").first.click()  # back, for other tests
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === {before!r}")


def test_the_training_filter_works_under_the_policy(sample_browser: Browser) -> None:
    page = sample_browser.page
    sample_browser.visit("/training/")
    form = page.locator("form[data-kg-filter]")
    assert form.is_visible(), "training-filter.js revealed the form: it ran under the policy"
    cards = page.locator("[data-topics][data-languages]")
    total = cards.count()
    topic = page.locator("#kg-filter-topic option").nth(1).get_attribute("value")
    assert topic
    page.select_option("#kg-filter-topic", topic)
    hidden = page.locator("[data-topics][data-languages][hidden]").count()
    assert 0 < hidden < total
    for i in range(total):
        card = cards.nth(i)
        shown = card.get_attribute("hidden") is None
        assert shown == (f"|{topic}|" in (card.get_attribute("data-topics") or "")), i
    status = page.locator("[data-kg-filter-status]").inner_text()
    assert str(total - hidden) in status
    page.select_option("#kg-filter-topic", "")
    assert sample_browser.finish().problems() == []


# --- the XSS corpus -------------------------------------------------------------------

ADMONITION_PAGE = """---
title: Notes
---

!!! note "Before you list"

    Material draws this box's icon from a `data:` SVG in its stylesheet.

??? tip "More"

    A collapsible block (`details`) uses one too.
"""


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payloads the build accepted (text fields and bodies), built with Material, plus its _headers."""
    root = tmp_path_factory.mktemp("csp-corpus") / "src"
    # Workshop titles stay plain: Material renders them unescaped (see test_xss_corpus's xfail).
    files = text_field_files(PAYLOADS, training_titles=False)
    # Bodies of entries and pages too, under other names.
    for rel, text in body_files(PAYLOADS).items():
        files[rel.replace("/xss-", "/body-").replace("/dist-", "/bodies-")] = text
    files["content/notes.md"] = ADMONITION_PAGE
    write_site(root, files)
    for key in PAYLOADS:
        (root / artisan_folder(key) / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(PHOTO, root / artisan_folder(key) / "photos" / "portrait.jpg")
    built = prune_and_build(root, run_mkdocs=True)
    site = root.parent / "site"
    for rel, data in built.outputs.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    path, data = finalize_headers(built.outputs.items(), theme_pages=repo_theme_pages())
    (site / path).write_bytes(data)
    return site


# One payload of each class: their own pages are all visited; the other
# payloads are seen on the pages that gather many entries (home, /artisans/,
# a craft's products, the training index).  The HTML audit of
# test_xss_corpus.py reads every page of every payload; KARIGAR_FULL_CORPUS=1
# makes the browser visit them all too (about four times slower).
CLASS_SAMPLES = ("script-tag", "img-onerror", "svg-onload", "js-url-entity-tab", "attr-double", "attr-single",
                 "js-string", "script-close", "comment-close", "json-break", "mxss-noscript", "jinja-expr",
                 "frame-markers", "null-byte", "rtl-override", "line-separators", "entities")
_ENTITY_KEY_RE = re.compile(r"/(?:xss|body|dist|bodies)-([a-z0-9-]+?)(?:-direct)?/")


def corpus_pages(site: Path, *, everything: bool = False) -> list[str]:
    """The pages to visit: every gathering page, and each sampled payload's own pages.

    Each payload has a district of its own; the district pages repeat the
    cards of /artisans/, so only the sampled ones are visited.
    """
    pages = []
    for page in sorted(site.rglob("*.html")):
        url = url_of(page, site)
        if url.startswith("/assets/"):
            continue
        key = _ENTITY_KEY_RE.search(url)
        if everything or key is None or key.group(1) in CLASS_SAMPLES:
            pages.append(url)
    return pages


def test_accepted_payloads_load_without_dialog_or_violation_under_the_policy(chromium_instance: Any,
                                                                             corpus_site: Path) -> None:
    pages = corpus_pages(corpus_site, everything=bool(os.environ.get("KARIGAR_FULL_CORPUS")))
    assert len(pages) > 50
    assert "/notes/" in pages, "the admonition page: Material's data: icons are allowed images"
    problems: list[str] = []
    with open_site(chromium_instance, corpus_site) as browser:
        for path in pages:
            problems += [f"{path}: {p}" for p in browser.visit(path, fonts=False).problems()]
    assert problems == []


def test_accepted_payloads_are_inert_even_without_the_policy(chromium_instance: Any, corpus_site: Path) -> None:
    """The first wall alone: with no headers at all, no payload opens a dialog or throws."""
    pages = corpus_pages(corpus_site)
    assert len(pages) > len(CLASS_SAMPLES)
    problems: list[str] = []
    with open_site(chromium_instance, corpus_site, netlify_headers=False) as browser:
        for path in pages:
            visit = browser.visit(path, fonts=False)
            problems += [f"{path}: {p}" for p in visit.dialogs + visit.errors]
    assert problems == []
