"""A buyer's path in real Chromium: home -> artisan -> product -> buy links; axe on every page type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_page(sample_site: Path) -> Iterator[tuple[object, str]]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with serve_folder(sample_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context()
        page = context.new_page()
        external: list[str] = []
        page.on("request", lambda req: external.append(req.url) if not req.url.startswith(base) else None)
        page.external_requests = external  # type: ignore[attr-defined]
        yield page, base
        browser.close()


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")


def test_buyer_goes_from_home_to_an_artisan_to_a_product_and_sees_buy_links(browser_page) -> None:  # type: ignore[no-untyped-def]
    page, base = browser_page
    page.goto(base + "/")
    _ready(page)
    assert page.locator("h1").first.is_visible()
    # The header's tabs are Material's, shared with the training pages.
    tabs = page.locator(".md-tabs__link")
    assert [t.strip() for t in tabs.all_inner_texts()] == ["Showcase", "Crafts", "Regions", "Training", "About"]

    page.locator(".kg-featured a").first.click()
    _ready(page)
    assert "/artisans/" in page.url
    artisan_name = page.locator("h1").inner_text()
    assert artisan_name

    page.locator(".kg-products a").first.click()
    _ready(page)
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
    # No request left the machine: fonts are self-hosted, nothing from Google Fonts.
    assert not [u for u in page.external_requests if "fonts.g" in u], page.external_requests


def test_amazon_listing_carries_the_registry_params_and_an_add_to_cart_link(browser_page, sample_site: Path) -> None:  # type: ignore[no-untyped-def]
    page, base = browser_page
    html_files = [p for p in sample_site.glob("artisans/*/*/*/*/index.html")]
    amazon = next(p for p in html_files if "www.amazon.com/dp/" in p.read_text("utf-8"))
    page.goto(base + "/" + amazon.parent.relative_to(sample_site).as_posix() + "/")
    _ready(page)
    button = page.locator("a.kg-buy[href*='www.amazon.com/dp/']").first
    query = parse_qs(urlsplit(button.get_attribute("href") or "").query)
    assert query.get("tag"), "the Amazon registry's affiliate params are on the link"
    cart = page.locator("a[href*='amazon.com/gp/aws/cart/add.html']").first
    assert "ASIN.1=" in (cart.get_attribute("href") or "")
    assert page.locator(".kg-disclosure").first.inner_text().strip()


PAGE_TYPES = {
    "home": "/",
    "artisan": None,  # found in the built site
    "product": None,
    "all artisans": "/artisans/",
    "country": "/artisans/pk/",
    "district": None,
    "crafts": "/crafts/",
    "craft": None,
    "marketplaces": "/marketplaces/",
    "marketplace": "/marketplaces/etsy/",
    "training index": "/training/",
    "training resource": None,
    "about": "/about/",
    "404": "/no-such-page/",
}


def _resolve(kind: str, sample_site: Path) -> str:
    fixed = PAGE_TYPES[kind]
    if fixed:
        return fixed
    if kind == "artisan":
        path = sorted(sample_site.glob("artisans/*/*/*/index.html"))[0].parent
    elif kind == "product":
        path = sorted(p for p in sample_site.glob("artisans/*/*/*/*/index.html") if "/page/" not in p.as_posix())[0].parent
    elif kind == "district":
        path = sorted(sample_site.glob("artisans/*/*/index.html"))[0].parent
    elif kind == "craft":
        path = sorted(sample_site.glob("crafts/*/index.html"))[0].parent
    else:
        path = sorted(p for p in sample_site.glob("training/*/index.html"))[0].parent
    return "/" + path.relative_to(sample_site).as_posix() + "/"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_page_type_has_no_axe_violations(browser_page, sample_site: Path, kind: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page, base = browser_page
    page.goto(base + _resolve(kind, sample_site))
    _ready(page)
    # Material keeps the palette on <body>; test both the light and the dark one. Its colours
    # fade over a CSS transition: switch transitions off so axe reads the final colours, not
    # a frame in between (waiting for state, never for time).
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    results = Axe().run(page)
    violations = [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert violations == [], "\n".join(violations)
