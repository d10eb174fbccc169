"""The site under its real headers in Chromium: no CSP violation, no dialog, and the scripts still work.

The sites are served exactly as built, by tests/browser.py's static server,
with the headers Netlify would send for them: the ``_headers`` file the build
wrote (the Content-Security-Policy, never recomputed here) merged with
netlify.toml's ``[[headers]]`` by :mod:`karigar.hosting.netlify_headers`.  A
build that wrote no ``_headers``, or a wrong hash, fails these tests.
Violations are caught by a ``securitypolicyviolation`` listener that
Playwright injects before any page script (init scripts are not subject to
the page's CSP), and by the console.
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

from karigar.hosting.netlify_headers import parse_headers_file
from karigar.render.csp import HEADERS_PATH
from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.test_xss_corpus import (
    PAYLOADS,
    PHOTO,
    artisan_folder,
    prune_and_build,
    renamed_body_files,
    text_field_files,
    write_site,
)

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts; records what the CSP blocked.
WATCH_VIOLATIONS = """
window.__kgViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__kgViolations.push({directive: event.effectiveDirective, blocked: event.blockedURI || "inline",
                              line: event.lineNumber, column: event.columnNumber, sample: event.sample || ""});
}, true);
"""


@dataclass(frozen=True)
class Violation:
    """One ``securitypolicyviolation`` event: the directive that blocked, what, and where in the document."""

    directive: str
    blocked: str
    line: int
    column: int
    sample: str = ""

    def __str__(self) -> str:
        return f"{self.directive} blocked {self.blocked} at {self.line}:{self.column} {self.sample}".rstrip()


@dataclass
class Visit:
    """What one page load showed: CSP violations, console problems, dialogs, uncaught errors."""

    violations: list[Violation] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [str(v) for v in self.violations] + self.console + self.dialogs + self.errors


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
        self.current.violations += [Violation(**raw) for raw in self.page.evaluate("window.__kgViolations.splice(0)")]
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
        # No route for the canonical origin: the pages fetch nothing from it (connect-src is
        # 'self' alone), and a fetch there would be a violation these tests report.
        context = chromium.new_context()
        try:
            yield Browser(context.new_page(), base)
        finally:
            context.close()


def url_of(output: Path, site: Path) -> str:
    rel = output.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


# --- the sample site ----------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_browser(chromium_instance: Any, sample_site: Path) -> Iterator[Browser]:
    """The built sample, served as built: its own ``_headers`` and netlify.toml's."""
    assert (sample_site / HEADERS_PATH).is_file(), "the build writes _headers"
    with open_site(chromium_instance, sample_site) as browser:
        yield browser


def first_page(site: Path, pattern: str) -> str:
    pages = sorted(p for p in site.glob(pattern) if "/page/" not in p.as_posix())
    assert pages, pattern
    return url_of(pages[0], site)


def test_the_server_sends_the_built_csp_and_netlify_toml_headers(sample_browser: Browser, sample_site: Path) -> None:
    built = parse_headers_file((sample_site / HEADERS_PATH).read_text("utf-8"))[0].values["Content-Security-Policy"]
    response = sample_browser.page.goto(sample_browser.base + "/")
    headers = response.all_headers()
    policy = headers["content-security-policy"]
    assert policy == built, "the policy the build wrote, as built"
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" in headers and "permissions-policy" in headers
    calendar = sample_browser.page.request.get(sample_browser.base + "/training/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")


@dataclass(frozen=True)
class NegativeCase:
    """A canary page holding one kind of inline code, and how its violation must be reported."""

    body: str  # one line: line 3 of the page (see canary_page)
    directive: str  # the directive that must block it
    click: str | None = None  # an element to click first (the code runs only then)
    lines: tuple[int, ...] | None = None  # the lines Chromium may report: the parser's (3), or none (0)


# One page per way inline code can be blocked, each holding nothing else, so
# every violation a page reports belongs to its case.  What each case would do
# if it ran is recorded in `window.ran`; no dialog, so nothing waits on one.
NEGATIVE_CASES = {
    "inline script": NegativeCase('<script>window.ran = "inline script"</script>', "script-src-elem", lines=(3,)),
    # Compiled when the event fires: earlier Chromium reported no line (0), Debian's Chromium 150 the attribute's (3).
    "inline handler": NegativeCase("<body onload=\"window.ran = 'inline handler'\"><p>x</p>", "script-src-attr",
                                   lines=(0, 3)),
    "style attribute": NegativeCase('<p style="color: red">styled</p>', "style-src-attr", lines=(3,)),
    # Reported with the inline script's directive: told apart by coming only after the click.
    "javascript: URL": NegativeCase("<a id=\"js\" href=\"javascript:void(window.ran = 'javascript URL')\">go</a>",
                                    "script-src-elem", click="#js"),
}


def canary_page(body: str) -> str:
    """A page of its own (not the site's frame) with ``body`` on line 3."""
    return f"<!doctype html>\n<title>canary</title>\n{body}\n"


# Where the canaries are served: the strict policy's rules cover each top-level name the site
# publishes (with the web editor, /admin/* has its own), so a canary sits in one of them.
CANARY_FOLDER = "artisans/"


@pytest.fixture(scope="module")
def canary_site(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's built ``_headers``, byte for byte, beside one canary page per negative case."""
    site = tmp_path_factory.mktemp("csp-canary")
    shutil.copyfile(sample_site / HEADERS_PATH, site / HEADERS_PATH)
    for number, case in enumerate(NEGATIVE_CASES.values()):
        (site / CANARY_FOLDER).mkdir(exist_ok=True)
        (site / CANARY_FOLDER / f"canary-{number}.html").write_text(canary_page(case.body), "utf-8")
    return site


@pytest.mark.parametrize("name", list(NEGATIVE_CASES))
def test_the_watch_catches_what_the_policy_blocks(chromium_instance: Any, canary_site: Path, name: str) -> None:
    """The harness itself: each kind of inline code is blocked by the built policy and reported as that kind."""
    case = NEGATIVE_CASES[name]
    with open_site(chromium_instance, canary_site) as browser:
        page = browser.page
        # Not Browser.visit: its finish() would take the violations this test waits for.
        page.goto(f"{browser.base}/{CANARY_FOLDER}canary-{list(NEGATIVE_CASES).index(name)}.html", wait_until="load")
        if case.click is not None:
            # The page itself holds nothing to block: what is reported next comes from the click.
            assert page.evaluate("window.__kgViolations.length") == 0
            page.click(case.click)
        page.wait_for_function("window.__kgViolations.length > 0")
        visit = browser.finish()
        assert [v.directive for v in visit.violations] == [case.directive], visit.violations
        [violation] = visit.violations
        assert violation.blocked == "inline", violation
        if case.lines is not None:
            assert violation.line in case.lines, violation
        assert page.evaluate("window.ran") is None, "the blocked code did not run"
        assert not visit.dialogs and not visit.errors, visit.problems()


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
    """The payloads the build accepted (text fields and bodies), built with Material: every output as built.

    The build's outputs include the ``_headers`` it wrote (with Material, the
    build always writes one): the policy the pages are served under.
    """
    root = tmp_path_factory.mktemp("csp-corpus") / "src"
    # Workshop titles hold the payloads too: Material renders those pages' titles.
    files = text_field_files(PAYLOADS)
    # Bodies of entries and pages too, under other names (and districts of their own, so their
    # artisans are not refused as disagreeing with the text-field artisans' districts).
    files.update(renamed_body_files(PAYLOADS))
    files["content/notes.md"] = ADMONITION_PAGE
    write_site(root, files)
    for key in PAYLOADS:
        (root / artisan_folder(key) / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(PHOTO, root / artisan_folder(key) / "photos" / "portrait.jpg")
    built = prune_and_build(root, run_mkdocs=True)
    assert HEADERS_PATH in built.outputs, "the build wrote its _headers"
    site = root.parent / "site"
    for rel, data in built.outputs.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
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
