"""A buyer's path in real Chromium, and axe on every page type in every language and palette.

Every request the pages make goes through :mod:`tests.request_guard`:
anything off the local server is aborted and recorded, and each test asserts
the record holds nothing that left the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.conftest import REPO, settings_for
from tests.page_kinds import ONE_PER_SITE, PAGE_KINDS, page_path
from tests.request_guard import OFF_SITE_HINTS, RequestLog, guard_requests, origin_of

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "ur", "hi")  # the sample's languages; the first is served at the root

# Material fades colours over CSS transitions; with them off a palette switch is
# final on the next frame, so axe reads the real colours (a state, not a delay).
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass
class Tab:
    """The module's one page, its local server and the record of requests off it."""

    page: Page
    base: str
    requests: RequestLog

    def open(self, path: str) -> Response:
        """Load ``path`` and wait for its web fonts; returns the navigation's response."""
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None, path
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return response

    def assert_nothing_left_the_machine(self) -> None:
        hints = self.page.evaluate(OFF_SITE_HINTS)
        assert self.requests.left_machine == [] and hints == [], \
            f"requests off the machine: {self.requests.left_machine}; connection hints: {hints}"
        assert self.requests.unexpected_own_site() == [], \
            f"the page loads from its canonical origin: {self.requests.unexpected_own_site()}"


@pytest.fixture(scope="module")
def site_origin() -> str:
    """The sample's canonical origin (``site_url``), where its absolute links point."""
    return origin_of(settings_for(REPO / "mkdocs.yml").site_url)


@pytest.fixture(scope="module")
def tab(sample_site: Path, site_origin: str) -> Iterator[Tab]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with serve_folder(sample_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            requests = guard_requests(context, [base], site_origin)
            yield Tab(context.new_page(), base, requests)
        finally:
            browser.close()


@pytest.fixture
def fresh_tab(tab: Tab) -> Tab:
    """The module's page with an empty request record."""
    tab.requests.clear()
    return tab


def test_the_guard_blocks_and_records_a_request_off_the_machine(fresh_tab: Tab) -> None:
    """The check below is only worth something if a page's stray request is both stopped and seen."""
    fresh_tab.open("/")
    outcome = fresh_tab.page.evaluate("""async () => {
        const image = new Promise(done => {
            const img = new Image();
            img.onload = () => done('loaded');
            img.onerror = () => done('failed');
            img.src = 'https://fonts.gstatic.com/s/roboto/v1/font.png';
        });
        const fetched = fetch('https://fonts.googleapis.com/css2?family=Roboto').then(() => 'loaded', () => 'failed');
        return [await image, await fetched];
    }""")
    assert outcome == ["failed", "failed"]
    assert sorted(fresh_tab.requests.left_machine) == [
        "https://fonts.googleapis.com/css2?family=Roboto", "https://fonts.gstatic.com/s/roboto/v1/font.png"]
    fresh_tab.requests.clear()


def test_buyer_goes_from_home_to_an_artisan_to_a_product_and_sees_buy_links(fresh_tab: Tab) -> None:
    page = fresh_tab.page
    fresh_tab.open("/")
    assert page.locator("h1").first.is_visible()
    # The header's tabs are Material's, shared with the training pages.
    tabs = page.locator(".md-tabs__link")
    assert [t.strip() for t in tabs.all_inner_texts()] == ["Showcase", "Crafts", "Regions", "Training", "About"]

    page.locator(".kg-featured a").first.click()
    page.wait_for_url("**/artisans/**", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    artisan_name = page.locator("h1").inner_text()
    assert artisan_name

    product_link = page.locator(".kg-products a").first
    product_url = product_link.get_attribute("href") or ""
    product_link.click()
    page.wait_for_url(f"**{product_url}", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.locator("h1").inner_text()
    buttons = page.locator("a.kg-buy")
    assert buttons.count() >= 1
    for i in range(buttons.count()):
        button = buttons.nth(i)
        rel = set((button.get_attribute("rel") or "").split())
        assert {"nofollow", "sponsored", "noopener"} <= rel
        href = button.get_attribute("href") or ""
        assert href.startswith("https://")
        assert button.inner_text().startswith("Buy on ")
    # Nothing left the machine on the whole walk: fonts, styles, scripts and photos are the site's own,
    # and nothing was asked of the canonical origin (Material's sitemap.xml probes are gone).
    fresh_tab.assert_nothing_left_the_machine()


def test_amazon_listing_carries_the_registry_params_and_an_add_to_cart_link(fresh_tab: Tab, sample_site: Path) -> None:
    page = fresh_tab.page
    html_files = [p for p in sample_site.glob("artisans/*/*/*/*/index.html")]
    amazon = next(p for p in html_files if "www.amazon.com/dp/" in p.read_text("utf-8"))
    fresh_tab.open("/" + amazon.parent.relative_to(sample_site).as_posix() + "/")
    button = page.locator("a.kg-buy[href*='www.amazon.com/dp/']").first
    query = parse_qs(urlsplit(button.get_attribute("href") or "").query)
    assert query.get("tag"), "the Amazon registry's affiliate params are on the link"
    cart = page.locator("a[href*='amazon.com/gp/aws/cart/add.html']").first
    assert "ASIN.1=" in (cart.get_attribute("href") or "")
    assert page.locator(".kg-disclosure").first.inner_text().strip()
    fresh_tab.assert_nothing_left_the_machine()


AXE_CASES = [(lang, kind) for lang in LANGUAGES for kind in PAGE_KINDS
             if lang == LANGUAGES[0] or kind not in ONE_PER_SITE]


def _violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


@pytest.mark.parametrize(("lang", "kind"), AXE_CASES, ids=[f"{lang}-{kind}" for lang, kind in AXE_CASES])
def test_every_page_type_has_no_axe_violations_in_either_palette(fresh_tab: Tab, sample_site: Path,
                                                                 lang: str, kind: str) -> None:
    page = fresh_tab.page
    path = page_path(kind, lang, sample_site, default_language=LANGUAGES[0])
    response = fresh_tab.open(path)
    # A wrong path would be answered by the 404 page, and axe would pass on that instead.
    assert response.status == (404 if kind == "404" else 200), path
    assert page.evaluate("document.documentElement.lang") == lang, path
    page.add_style_tag(content=NO_TRANSITIONS)
    # Material keeps the palette on <body>: light ("default") and dark ("slate").
    found = {}
    for scheme in ("default", "slate"):
        page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        page.evaluate(NEXT_FRAME)
        found[scheme] = _violations(page)
    assert found == {"default": [], "slate": []}, "\n".join(f"{s}: {v}" for s, vs in found.items() for v in vs)
    fresh_tab.assert_nothing_left_the_machine()
