"""Byte budgets: what a reader downloads to see a page, on the built sample site.

Many readers are on slow mobile data.  Every page type, in each language, is
loaded in Chromium as built (its own headers, every request off the local
server blocked); the files it requests until its web fonts are ready are
recorded, photos and icons aside (they have their own sizes and load lazily),
and each is weighed gzip-compressed at level 6 (what a host sends for text;
WOFF2 fonts barely change).  Their sum must stay within:

* 100 KB on an English page;
* 250 KB on an Urdu or Hindi page, which needs its script's font (Nastaliq
  alone is 133 KB in one weight).

KB is 1,000 bytes.  These are byte counts, not timings: they hold on any
machine.  No request may fail (Chromium's ``requestfailed``, or an answer of
400 or more other than the 404 page's own document).  The assertion message
lists every file with its weight.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.conftest import REPO, settings_for
from tests.page_kinds import ONE_PER_SITE, PAGE_KINDS, page_path
from tests.request_guard import guard_requests, origin_of

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

KB = 1000
BUDGETS = {"en": 100 * KB, "ur": 250 * KB, "hi": 250 * KB}
GZIP_LEVEL = 6

# Every page type in every language (the one 404 page once).
CASES = [(lang, kind) for lang in BUDGETS for kind in PAGE_KINDS if lang == "en" or kind not in ONE_PER_SITE]

# The page's icons (<link rel=icon>): Chromium fetches them for the tab, not for the page.
ICONS = "() => [...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)"


@dataclass(frozen=True)
class Weighed:
    url: str
    kind: str  # Chromium's resource type
    raw: int
    gzipped: int


@dataclass
class Reader:
    page: Page
    base: str


@pytest.fixture(scope="module")
def reader(sample_site: Path) -> Iterator[Reader]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    site_origin = origin_of(settings_for(REPO / "mkdocs.yml").site_url)
    with serve_folder(sample_site, netlify_headers=True) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            # A phone's screen: what is above the fold is what a phone loads first.  Routing every
            # request (the guard) turns the browser's cache off, so each page is weighed whole.
            context = browser.new_context(viewport={"width": 390, "height": 844})
            guard_requests(context, [base], site_origin)
            yield Reader(context.new_page(), base)
        finally:
            browser.close()


def load_and_weigh(reader: Reader, path: str) -> tuple[int, list[Weighed], list[str]]:
    """Load ``path`` until its fonts are ready; its status, the files it requested (photos and icons
    aside), and the requests that failed."""
    page = reader.page
    requests: list[Request] = []
    failed: list[str] = []

    def made(request: Request) -> None:
        requests.append(request)

    def failing(request: Request) -> None:
        # Cancelled is not failed: leaving a page aborts what it still loads (its favicon).
        if request.failure != "net::ERR_ABORTED":
            failed.append(f"{request.url}: {request.failure}")

    page.on("request", made)
    page.on("requestfailed", failing)
    try:
        response = page.goto(reader.base + path, wait_until="load")
        assert response is not None, path
        page.evaluate("document.fonts.ready.then(() => true)")
        icons = set(page.evaluate(ICONS))
        weighed = []
        for request in requests:
            if request.resource_type == "image" or request.url in icons:
                continue
            answer = request.response()
            if answer is None:
                failed.append(f"{request.url}: no response")
                continue
            if answer.status >= 400 and not (request is response.request and answer.status == 404):
                failed.append(f"{request.url}: HTTP {answer.status}")
            body = answer.body()
            weighed.append(Weighed(request.url.removeprefix(reader.base), request.resource_type, len(body),
                                   len(gzip.compress(body, compresslevel=GZIP_LEVEL))))
        return response.status, weighed, failed
    finally:
        page.remove_listener("request", made)
        page.remove_listener("requestfailed", failing)


def table(weighed: list[Weighed]) -> str:
    rows = sorted(weighed, key=lambda w: -w.gzipped)
    return "\n".join(f"  {w.gzipped:>8,} B gzip  {w.raw:>8,} B  {w.kind:<10} {w.url}" for w in rows)


@pytest.mark.parametrize(("lang", "kind"), CASES, ids=[f"{lang}-{kind}" for lang, kind in CASES])
def test_a_page_and_all_it_loads_stay_within_the_byte_budget(reader: Reader, sample_site: Path,
                                                             lang: str, kind: str) -> None:
    path = page_path(kind, lang, sample_site)
    status, weighed, failed = load_and_weigh(reader, path)
    # A wrong path would be answered by the 404 page, and that page would be weighed instead.
    assert status == (404 if kind == "404" else 200), path
    assert failed == [], f"{path}: failed requests {failed}"
    assert any(w.kind == "document" for w in weighed) and any(w.kind == "stylesheet" for w in weighed), \
        f"{path}: the record misses the page or its styles:\n{table(weighed)}"
    total = sum(w.gzipped for w in weighed)
    budget = BUDGETS[lang]
    assert total <= budget, (f"{path}: {total / KB:.1f} KB gzipped, over the {budget / KB:.0f} KB budget "
                             f"of a {lang} page by {(total - budget) / KB:.1f} KB:\n{table(weighed)}")
