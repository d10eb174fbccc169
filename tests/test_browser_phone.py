"""A buyer on a phone: the menu reaches every tab, nothing is wider than the screen, nothing fails.

Every page type of the built sample site, in English and Urdu (right to
left), at 320 and 390 CSS pixels (a small and a common phone), served as
built with its own headers (tests/browser.py) and with every request off the
local server blocked (tests/request_guard.py).  On each page:

* the page is exactly as wide as the screen (``scrollWidth``), so it never
  opens scrolled sideways or lets the reader drag it;
* the language list, opened, lies inside the screen;
* the menu button opens a drawer, inside the screen, that lists every tab
  of the header (same names, same places) and marks the page's own section
  (the one the desktop tabs mark) so it looks different from the others;
* following one of its links lands on that tab's page, which marks that
  tab as its section: the page types take turns, so that over the ten of
  them every tab is followed at least once per width and language;
* axe finds no violation on the page, nor in the open drawer;
* the header's icons are drawn (on catalog pages they are references into
  one sprite file, ``assets/karigar/icons.svg``);
* no request fails (Chromium's ``requestfailed``, or a response of 400 or
  more, except the 404 page's own document), none leaves the machine.

One Chromium for the module, one page per width, reused across page types.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.conftest import REPO, settings_for
from tests.page_kinds import page_path
from tests.request_guard import RequestLog, guard_requests, origin_of

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)
LANGUAGES = ("en", "ur")  # the sample's default language (at the root) and its right-to-left one
PHONE_HEIGHT = 740

# Page types, and how to find each in the default language (a fixed path, or the first
# index.html under a pattern of the built site).
# The ten page types a phone reader meets (tests/page_kinds.py says where each is).
PHONE_KINDS = ("home", "artisan", "product", "all artisans", "craft", "crafts", "training index",
               "training resource", "about", "404")
CASES = [(width, lang, kind) for width in WIDTHS for lang in LANGUAGES for kind in PHONE_KINDS]

# The drawer's top-level entries: for each, the entry a reader sees (a link, or on a content
# page its own entry, a label that opens the page's contents), whether it is marked as the
# current section, its colour, and whether it lies inside the screen.
DRAWER = """() => [...document.querySelectorAll(
    '.md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item')].map(item => {
  const shown = [...item.children].find(c => c.matches('.md-nav__link') && c.getClientRects().length);
  const box = shown ? shown.getBoundingClientRect() : null;
  return {text: shown ? shown.textContent.trim() : '', href: shown && shown.href ? shown.href : null,
          current: item.classList.contains('md-nav__item--active'),
          color: shown ? getComputedStyle(shown).color : '',
          inside: !!box && box.width > 0 && box.left >= 0 && box.right <= innerWidth};
})"""
# The desktop tabs (hidden on phones, still in the page): what the drawer must offer.
TABS = """() => [...document.querySelectorAll('.md-tabs__item')].map(item => {
  const link = item.querySelector('a');
  return {text: link.textContent.trim(), href: link.href, current: item.classList.contains('md-tabs__item--active')};
})"""
DRAWER_OPEN = """() => { const box = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
                         return box.width > 0 && box.left >= 0 && box.right <= innerWidth; }"""
WIDTH = "[document.documentElement.scrollWidth, innerWidth]"
# Every icon of the header is drawn: an <svg> of its own, or a <use> of the sprite whose symbol loaded.
# (The palette toggle of the scheme not in use is hidden: it draws nothing, and is left out.)
ICONS_DRAWN = """() => [...document.querySelectorAll('.md-header svg')].filter(svg => svg.getClientRects().length)
  .every(svg => { const box = svg.getBBox(); return box.width > 0 && box.height > 0; })"""


@dataclass
class Phone:
    """A page at one width, and every request problem it met since :meth:`open`."""

    page: Page
    base: str
    width: int
    requests: RequestLog
    failed: list[str] = field(default_factory=list)
    allowed_404: str = ""

    def open(self, path: str) -> Response:
        self.failed.clear()
        self.requests.clear()
        self.allowed_404 = self.base + path if path.endswith("no-such-page/") else ""
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None, path
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return response

    def on_failed(self, request: Request) -> None:
        # Cancelled, not failed: Chromium aborts what a page still loads when the reader leaves
        # it (the favicon, fetched after the load event).  A request blocked by the guard, the
        # CSP or the network fails with another error; an answer of 400 or more, below.
        if request.failure == "net::ERR_ABORTED":
            return
        self.failed.append(f"{request.url}: {request.failure}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and not (response.request.is_navigation_request()
                                           and response.url == self.allowed_404 and response.status == 404):
            self.failed.append(f"{response.url}: HTTP {response.status}")


@pytest.fixture(scope="module")
def phones(sample_site: Path) -> Iterator[dict[int, Phone]]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    site_origin = origin_of(settings_for(REPO / "mkdocs.yml").site_url)
    with serve_folder(sample_site, netlify_headers=True) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            phones = {}
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": PHONE_HEIGHT})
                # axe-core in every document before its own scripts (init scripts are not subject
                # to the page's CSP), rather than sent again for each check.
                context.add_init_script(script=axe_source())
                requests = guard_requests(context, [base], site_origin)
                phone = Phone(context.new_page(), base, width, requests)
                phone.page.on("requestfailed", phone.on_failed)
                phone.page.on("response", phone.on_response)
                phones[width] = phone
            yield phones
        finally:
            browser.close()


@functools.cache
def axe_source() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


def axe_violations(page: Page, context: str | None = None) -> list[str]:
    """axe-core's violations on the page, or inside ``context`` (a selector)."""
    found: list[dict[str, Any]] = page.evaluate(
        "context => axe.run(context ? document.querySelector(context) : document, {resultTypes: ['violations']})"
        ".then(results => results.violations)", context)
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in found]


def open_drawer(page: Page) -> None:
    page.click(".md-header__button.kg-menu-button")
    page.wait_for_function(DRAWER_OPEN)


def test_the_record_catches_a_missing_file_and_a_request_off_the_machine(phones: dict[int, Phone]) -> None:
    """The checks below are only worth something if a failing request is seen."""
    phone = phones[WIDTHS[0]]
    phone.open("/")
    outcome = phone.page.evaluate("""() => Promise.all(['/no-such-file.png', 'https://example.com/x.png'].map(src =>
        new Promise(done => { const img = new Image(); img.onload = () => done('loaded');
                              img.onerror = () => done('failed'); img.src = src; })))""")
    assert outcome == ["failed", "failed"]
    assert f"{phone.base}/no-such-file.png: HTTP 404" in phone.failed, phone.failed
    assert any(f.startswith("https://example.com/x.png: net::ERR_BLOCKED_BY_CLIENT") for f in phone.failed), phone.failed
    assert phone.requests.left_machine == ["https://example.com/x.png"]


@pytest.mark.parametrize(("width", "lang", "kind"), CASES, ids=[f"{w}-{lang}-{kind}" for w, lang, kind in CASES])
def test_on_a_phone_every_page_fits_the_screen_and_its_menu_reaches_every_tab(
        phones: dict[int, Phone], sample_site: Path, width: int, lang: str, kind: str) -> None:
    phone = phones[width]
    page = phone.page
    path = page_path(kind, lang, sample_site)
    response = phone.open(path)
    # A wrong path would be answered by the 404 page, and every check would pass on that.
    assert response.status == (404 if kind == "404" else 200), path
    assert page.evaluate(WIDTH) == [width, width], f"{path}: [page width, screen width]"
    assert axe_violations(page) == [], path
    assert page.locator(".md-header svg").count() >= 4, path  # logo, menu, a palette toggle, languages
    page.wait_for_function(ICONS_DRAWN)

    # The language list, opened as from a tap on its button, opens inside the screen.
    page.focus(".md-select button")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-select__inner')).maxHeight") != "0px"
    languages = page.locator(".md-select__inner").bounding_box()
    assert languages is not None and 0 <= languages["x"] and languages["x"] + languages["width"] <= width, \
        f"{path}: the language list spans {languages} on a {width}px screen"
    assert page.evaluate(WIDTH) == [width, width], f"{path}: the open language list widens the page"

    tabs = page.evaluate(TABS)
    assert len(tabs) == 5 and [t["current"] for t in tabs].count(True) == 1, (path, tabs)
    open_drawer(page)
    entries = page.evaluate(DRAWER)
    assert [e["text"] for e in entries] == [t["text"] for t in tabs], f"{path}: the drawer lists the tabs"
    for entry, tab in zip(entries, tabs):
        # Every entry links to its tab, but a content page's own, which opens its contents.
        assert entry["href"] == tab["href"] or (entry["href"] is None and entry["current"]), (path, entry, tab)
        assert entry["inside"], f"{path}: {entry['text']} is not inside the screen"
        assert entry["current"] == tab["current"], f"{path}: the drawer and the tabs disagree on {entry['text']}"
    current = next(e for e in entries if e["current"])
    assert all(e["color"] != current["color"] for e in entries if not e["current"]), \
        f"{path}: the current section {current['text']} does not stand out: {entries}"
    assert axe_violations(page, ".md-sidebar--primary") == [], f"{path}: the open drawer"

    # The page types take turns: over the ten, each tab twice per width and language (once where
    # its turn falls on the content page it opens, whose own entry opens its contents instead).
    index = (PHONE_KINDS.index(kind) + WIDTHS.index(width) + 2 * LANGUAGES.index(lang)) % len(tabs)
    while entries[index]["href"] is None:
        index = (index + 1) % len(tabs)
    target = entries[index]
    with page.expect_navigation(wait_until="load") as landed:
        page.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item").nth(index) \
            .locator("a.md-nav__link").click()
    assert landed.value is not None and landed.value.status == 200, (path, target)
    assert page.url == target["href"], (path, target)
    assert [t["href"] for t in page.evaluate(TABS) if t["current"]] == [target["href"]], \
        f"{path} -> {target['text']}: the tab's own page marks it as the current section"
    assert page.evaluate(WIDTH) == [width, width], f"{page.url}: [page width, screen width]"

    assert phone.failed == [], f"{path}: failed requests"
    assert phone.requests.left_machine == [] and phone.requests.own_site == [], (path, phone.requests)


@pytest.mark.parametrize("lang", LANGUAGES[:2])
def test_the_menu_button_works_from_the_keyboard(phones: dict[int, Phone], lang: str) -> None:
    """Tab reaches the skip link, then the menu button; Enter opens the drawer and says so, Escape closes it."""
    phone = phones[WIDTHS[-1]]
    page = phone.page
    phone.open("/" if lang == LANGUAGES[0] else f"/{lang}/")
    button = "button.kg-menu-button"
    # The first Tab reaches the skip link, shown while focused, leading to the page's content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.md-skip[href=\"#kg-main\"]')")
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")  # it fades in
    assert page.evaluate("!!document.querySelector('#kg-main article')")
    for _ in range(15):  # the button comes first in the header, after the skip link
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('{button}')"):
            break
    else:
        raise AssertionError("Tab never reached the menu button")
    name = page.get_attribute(button, "aria-label") or ""
    assert name and name == page.get_attribute(".md-nav--primary", "aria-label"), name
    assert page.get_attribute(button, "aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_function(DRAWER_OPEN)
    assert page.get_attribute(button, "aria-expanded") == "true"
    assert axe_violations(page) == [], "the page with the drawer open"
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({DRAWER_OPEN})()")
    assert page.get_attribute(button, "aria-expanded") == "false"
    assert phone.failed == [], phone.failed
