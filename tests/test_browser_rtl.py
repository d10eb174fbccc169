"""Urdu as built, in a real browser: right to left, set in Nastaliq, nothing clipped, marks mirrored.

Every check runs on pages the build wrote from the real templates (not on a
hand-written page), so a template or stylesheet change that breaks Urdu
shows here.  Each Urdu page type is loaded at a desktop and a phone width and
read in both of Material's palettes (light ``default``, dark ``slate``).

What a reader must see, and how it is measured:

* Urdu text is drawn in Noto Nastaliq Urdu, its one weight loaded (bold is
  that face emboldened: a second weight would not fit an Urdu page's byte
  budget).  On a page in another language the only Urdu is the language
  switcher's "اردو", drawn by a face cut from Nastaliq to that word, and the
  whole font is not downloaded.
* Its line height is at least :data:`URDU_MIN_LINE_HEIGHT` times its size
  (Nastaliq is 2.5em from ascent to descent, see tests/test_rtl_css.py).
* Glyph ink fits: each Urdu word's ink box is measured with canvas
  ``measureText`` in the element's own computed font and placed on the word's
  baseline in the page.  No box that clips its overflow cuts into it; in a
  tight box (a heading, button, tab, tag, card title) it stays inside the box
  when the box is painted (a border or a background) and clear of the ink of
  the next line when the text wraps.  (Not "no taller than the line": bold
  Nastaliq words reach 2.74em of ink, over the 2.3em leading, so about one
  word in fifty is taller than its line in any Urdu UI; what a reader sees
  is a glyph cut, crossing a button's edge, or touching the line below.)
* Marks that point the way the text reads (arrows, breadcrumb slashes) are
  mirrored on right-to-left pages and not on left-to-right ones.
* Prices ("Rs4,500.00") keep Latin order and sit at the start of their card
  or column, aligned with the title or label above them.

Requests off the local servers are blocked and recorded (tests/request_guard.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.conftest import REPO, build, settings_for
from tests.request_guard import RequestLog, guard_requests, origin_of

# The font families and the floor under every Urdu line (fonts.css sets 2.3; below 2.0
# Nastaliq's dots and descenders leave the line box), shared with the stylesheet tests.
from tests.test_rtl_css import DEVANAGARI, NASTALIQ, URDU_MIN_LINE_HEIGHT

# fonts.css: the switcher's names of Urdu and Hindi on pages in other languages, faces cut from
# Nastaliq and Devanagari to those words (scripts/tools/name_fonts.py).
URDU_NAME = "Karigar Name Urdu"
HINDI_NAME = "Karigar Name Hindi"

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

pytestmark = pytest.mark.browser

PRODUCT = "artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/"
ARTISAN = "artisans/pk/thatta/shazia-bibi/"

# Wide enough for Material's tabs (shown from 76.25em); a common phone's CSS width.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# Canvas measures ink to whole pixels and up to about 1px past what Chromium draws
# (the Urdu table-of-contents title, screenshotted with and without its overflow
# clip, differs by one row at 6x zoom where canvas reports 1.1px); 1.5px absorbs
# that, a real clip of a dot or descender is several pixels.
INK_TOLERANCE_PX = 1.5

# For every visible element with Urdu text of its own: its font, weight and line height;
# each word's ink box (canvas measureText in the element's computed font, placed on the
# word's baseline in the page); and what that ink runs into:
# * a box that clips its overflow and cuts into the ink;
# * in a tight box (heading, button, tab, tag, card title...): the edge of the box when it is
#   painted (a border or a background: a button, a tag), or the ink of the next line when
#   the text wraps (a word above and a word below that overlap on the page).
URDU_TEXT = r"""
(tolerance) => {
  const URDU = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  const TIGHT = 'h1, h2, h3, h4, button, label, .md-button, .md-tabs__link, .md-ellipsis, .md-select__link, '
              + '.md-nav__title, .kg-card__title, .kg-tag, .kg-chip, .kg-pagination__link, .kg-badge__label';
  const describe = (el) => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
  const clips = (style) => style.overflowX !== 'visible' || style.overflowY !== 'visible'
                           || /paint|content|strict/.test(style.contain);
  const painted = (style) => parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none'
                             || !/^(transparent|rgba\(.*, 0\))$/.test(style.backgroundColor);
  const ctx = document.createElement('canvas').getContext('2d');
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const texts = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && URDU.test(n.data));
    if (!texts.length || !el.getClientRects().length) continue;
    if (el.closest('.kg-visually-hidden, .md-visually-hidden')) continue;  // 1px boxes, clipped on purpose
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible') continue;
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const fontSize = parseFloat(cs.fontSize);
    const lineHeight = cs.lineHeight === 'normal' ? NaN : parseFloat(cs.lineHeight);
    const words = [];
    for (const node of texts) {
      for (const match of node.data.matchAll(/\S+/g)) {
        if (!URDU.test(match[0])) continue;
        const metrics = ctx.measureText(match[0]);
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        for (const box of range.getClientRects()) {
          if (!box.width) continue;
          // A text box spans the font's ascent and descent; the baseline sits one ascent down.
          const baseline = box.top + metrics.fontBoundingBoxAscent;
          words.push({word: match[0], left: box.left, right: box.right, line: Math.round(box.top),
                      top: baseline - metrics.actualBoundingBoxAscent,
                      bottom: baseline + metrics.actualBoundingBoxDescent});
        }
      }
    }
    if (!words.length) continue;
    const cuts = [];
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (!clips(style)) continue;
      // A list that scrolls (more than a line hidden) shows the rest when scrolled to.
      if (['auto', 'scroll'].includes(style.overflowY) && a.scrollHeight > a.clientHeight + lineHeight) continue;
      const top = a.getBoundingClientRect().top + a.clientTop, bottom = top + a.clientHeight;
      for (const w of words) {
        if (w.bottom <= top || w.top >= bottom) continue;  // wholly outside: a closed panel, not a cut glyph
        if (w.top < top - tolerance || w.bottom > bottom + tolerance) {
          cuts.push(`${describe(a)} (${top.toFixed(1)}..${bottom.toFixed(1)}) cuts ${w.word} `
                    + `(ink ${w.top.toFixed(1)}..${w.bottom.toFixed(1)})`);
          break;
        }
      }
    }
    const crowded = [];
    const tight = el.closest(TIGHT);
    if (tight) {
      const style = getComputedStyle(tight);
      if (painted(style)) {
        const box = tight.getBoundingClientRect();
        for (const w of words.filter(w => w.top < box.top - tolerance || w.bottom > box.bottom + tolerance)) {
          crowded.push(`${w.word} (ink ${w.top.toFixed(1)}..${w.bottom.toFixed(1)}) leaves its `
                       + `${describe(tight)} (${box.top.toFixed(1)}..${box.bottom.toFixed(1)})`);
        }
      }
      for (const above of words) {
        for (const below of words) {
          if (below.line <= above.line || below.left >= above.right || below.right <= above.left) continue;
          if (above.bottom > below.top + tolerance) {
            crowded.push(`${above.word} runs into ${below.word} on the next line `
                         + `(ink ${above.bottom.toFixed(1)} over ${below.top.toFixed(1)})`);
          }
        }
      }
    }
    found.push({element: describe(el), text: el.textContent.trim().slice(0, 30),
                family: cs.fontFamily.split(',')[0].replace(/["']/g, '').trim(), weight: parseInt(cs.fontWeight),
                ratio: lineHeight / fontSize, cuts, crowded});
  }
  const loaded = [...document.fonts].filter(f => f.status === 'loaded')
                   .map(f => [f.family.replace(/["']/g, ''), parseInt(f.weight)]);
  return {found, loaded};
}
"""

# Marks that point the way the text reads: generated content (::before, ::after) holding an
# arrow or a slash, and arrows in the text itself; with each, its transform and display
# (a transform does nothing on an inline box) and which of ``expected`` its element matches.
MARKS = r"""
(expected) => {
  const ARROW = /[\u2190\u2192\u2196-\u2199\u21D0\u21D2\u21E0\u21E2\u2794\u279C-\u27BF\u2B05\u2B95]/;
  const describe = (el) => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !el.getClientRects().length) continue;
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (cs.content === 'none' || cs.content === 'normal') continue;
      const shown = cs.content.split(' / ')[0];  // what is drawn; after " / " is its alternative text
      if (!ARROW.test(shown) && !shown.includes('/')) continue;
      out.push({owner: describe(el) + pseudo, mark: shown, transform: cs.transform, display: cs.display,
                expected: expected.filter(([selector, p]) => p === pseudo && el.matches(selector))
                                  .map(([selector, p]) => selector + p)});
    }
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !ARROW.test(node.data)) continue;
      const cs = getComputedStyle(el);
      out.push({owner: describe(el), mark: node.data.trim(), transform: cs.transform, display: cs.display,
                expected: []});
    }
  }
  return out;
}
"""

# Each visible price: whether its characters are laid out left to right in reading order, and
# how far its start edge is from the start edge of the title or label it belongs under.
PRICES = r"""
() => {
  const BIDI_CONTROLS = /[\s\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
  const textRects = (el) => {
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.kg-visually-hidden')) continue;
      for (let i = 0; i < node.data.length; i++) {
        if (BIDI_CONTROLS.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width) rects.push({ch: node.data[i], left: box.left, right: box.right});
      }
    }
    return rects;
  };
  const out = [];
  for (const el of document.querySelectorAll('.kg-card__price, .kg-price__value')) {
    if (!el.getClientRects().length) continue;
    const chars = textRects(el);
    const under = el.closest('.kg-card')?.querySelector('.kg-card__title')
               ?? el.closest('.kg-price')?.querySelector('.kg-price__label');
    const rtl = getComputedStyle(el.parentElement).direction === 'rtl';
    const edge = (rects) => rtl ? Math.max(...rects.map(r => r.right)) : Math.min(...rects.map(r => r.left));
    out.push({price: chars.map(c => c.ch).join(''), selector: el.matches('.kg-card__price') ? '.kg-card__price' : '.kg-price__value',
              inOrder: chars.every((c, i) => i === 0 || c.left > chars[i - 1].left),
              offset: under ? Math.abs(edge(chars) - edge(textRects(under))) : null});
  }
  return out;
}
"""

MIRRORED = "matrix(-1, 0, 0, 1, 0, 0)"


@dataclass(frozen=True)
class UrduPage:
    """A built Urdu page and what it must show, so that no check passes for want of material."""

    path: str
    paged: bool = False  # from the build with short listings (pagination)
    status: int = 200
    marks: tuple[tuple[str, str], ...] = ()  # (selector, pseudo-element) of marks it must have
    prices: tuple[str, ...] = ()  # price selectors it must have


BREADCRUMB = (".kg-breadcrumbs__list > li", "::before")
URDU_PAGES = {
    "home": UrduPage("/ur/"),
    "craft listing": UrduPage("/ur/crafts/ralli-quilting/", marks=(BREADCRUMB,), prices=(".kg-card__price",)),
    "district listing": UrduPage("/ur/artisans/pk/thatta/", marks=(BREADCRUMB,)),
    "paged listing": UrduPage("", paged=True, marks=(BREADCRUMB, (".kg-pagination__prev", "::before"),
                                                     (".kg-pagination__next", "::after"))),
    "artisan": UrduPage(f"/ur/{ARTISAN}", marks=(BREADCRUMB,), prices=(".kg-card__price",)),
    "product": UrduPage(f"/ur/{PRODUCT}", marks=(BREADCRUMB, (".kg-buy", "::after"), (".kg-cart", "::after")),
                        prices=(".kg-price__value",)),
    "training index": UrduPage("/ur/training/"),
    "training resource": UrduPage("/ur/training/first-amazon-listing/"),
    "content page": UrduPage("/ur/about/"),
    # The site's one 404 page is in the default language; its Urdu is the language switcher's.
    "404": UrduPage("/ur/no-such-page/", status=404),
}
ALL_MARKS = sorted({m for page in URDU_PAGES.values() for m in page.marks})


@dataclass
class Tabs:
    """One Chromium, a page per viewport, the local servers of the two builds, the requests off them."""

    pages: dict[str, Page]
    sample: str
    paged: str
    paged_listing: str  # a middle page of a listing: it has "previous" and "next"
    requests: RequestLog

    def open(self, viewport: str, url: str) -> Response:
        page = self.pages[viewport]
        response = page.goto(url, wait_until="load")
        assert response is not None, url
        page.evaluate("document.fonts.ready.then(() => true)")  # measure with the web fonts, not fallbacks
        return response

    def assert_nothing_left_the_machine(self) -> None:
        assert self.requests.left_machine == [], self.requests.left_machine
        assert self.requests.unexpected_own_site() == [], self.requests.unexpected_own_site()


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built with about two items a listing page, so listings have previous and next links."""
    out = tmp_path_factory.mktemp("paged")
    settings = settings_for(REPO / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache", per_page=2)
    result = build(settings)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    return out / "site"


@pytest.fixture(scope="module")
def module_tabs(sample_site: Path, paged_site: Path) -> Iterator[Tabs]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    third_pages = sorted(paged_site.glob("ur/artisans/*/page/3/index.html"))
    assert third_pages, "no Urdu country listing runs to three pages at about two items a page"
    middle = third_pages[0].parent.parent / "2"
    site_origin = origin_of(settings_for(REPO / "mkdocs.yml").site_url)
    with serve_folder(sample_site) as sample, serve_folder(paged_site) as paged, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            requests = RequestLog()
            pages = {}
            for name, size in VIEWPORTS.items():
                context = browser.new_context(viewport=size)
                guard_requests(context, [sample, paged], site_origin, requests)  # one record for both
                pages[name] = context.new_page()
            yield Tabs(pages, sample, paged, "/" + middle.relative_to(paged_site).as_posix() + "/", requests)
        finally:
            browser.close()


@pytest.fixture
def tabs(module_tabs: Tabs) -> Tabs:
    """The module's pages with an empty request record."""
    module_tabs.requests.clear()
    return module_tabs


def _show_hidden_parts(page: Page, viewport: str) -> None:
    """Open what a reader opens, so it is measured as seen: the language list, the phone's drawer."""
    page.add_style_tag(content=NO_TRANSITIONS)
    # On a phone every page's menu is the drawer (the 404 page's too); on a desktop, the language list.
    if viewport == "phone" and page.locator(".md-sidebar--primary").count():
        page.evaluate("""() => { const drawer = document.getElementById('__drawer');
                                  drawer.checked = true; drawer.dispatchEvent(new Event('change')); }""")
        page.wait_for_function("""() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
                                           return r.left >= 0 && r.right <= innerWidth; }""")
    else:
        page.hover(".md-select")
        page.wait_for_function("getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'")


def _urdu_text_problems(page: Page, *, min_elements: int, urdu_page: bool) -> dict[str, list[str]]:
    """On an Urdu page, its text in Nastaliq; on another, the switcher's name in the face cut from it."""
    view = page.evaluate(URDU_TEXT, INK_TOLERANCE_PX)
    found = view["found"]
    family = NASTALIQ if urdu_page else URDU_NAME
    loaded = {name for name, _ in view["loaded"]}
    return {
        "too little Urdu text to judge": [f"{len(found)} elements"] if len(found) < min_elements else [],
        f"not set in {family}": [f"{f['element']} {f['text']!r}: {f['family']}" for f in found
                                 if f["family"] != family],
        f"{family} not loaded": [] if family in loaded else [", ".join(sorted(loaded))],
        f"line height under {URDU_MIN_LINE_HEIGHT}": [f"{f['element']} {f['text']!r}: {f['ratio']:.2f}"
                                                     for f in found if not f["ratio"] >= URDU_MIN_LINE_HEIGHT],
        "glyph ink out of its tight box or into the next line": [
            f"{f['element']} {f['text']!r}: {crowded}" for f in found for crowded in f["crowded"]],
        "ink cut by a box that clips": [f"{f['element']} {f['text']!r}: {cut}" for f in found for cut in f["cuts"]],
    }


def _mark_problems(page: Page, *, rtl: bool, required: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    marks = page.evaluate(MARKS, [list(m) for m in ALL_MARKS])
    if rtl:
        wrong = [m for m in marks if m["transform"] != MIRRORED or m["display"] == "inline"]
    else:
        wrong = [m for m in marks if m["transform"] != "none"]
    present = {e for m in marks for e in m["expected"]}
    return {
        f"marks not {'mirrored' if rtl else 'left as drawn'}": [
            f"{m['owner']} {m['mark']}: transform {m['transform']}, display {m['display']}" for m in wrong],
        "expected marks missing": [s + p for s, p in required if s + p not in present],
    }


def _price_problems(page: Page, *, required: tuple[str, ...]) -> dict[str, list[str]]:
    prices = page.evaluate(PRICES)
    return {
        "prices not in Latin order": [p["price"] for p in prices if not p["inOrder"]],
        "prices not at the start, under their title or label": [
            f"{p['selector']} {p['price']}: {p['offset']:.1f}px off" for p in prices
            if p["offset"] is None or p["offset"] >= 1],
        "expected prices missing": [s for s in required if s not in {p["selector"] for p in prices}],
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(URDU_PAGES))
def test_urdu_pages_read_right_to_left_in_nastaliq_with_nothing_clipped(tabs: Tabs, kind: str, viewport: str) -> None:
    spec = URDU_PAGES[kind]
    url = tabs.paged + tabs.paged_listing if spec.paged else tabs.sample + spec.path
    response = tabs.open(viewport, url)
    page = tabs.pages[viewport]
    # A wrong path would be answered by the 404 page, and the checks would run on that.
    assert response.status == spec.status, url
    rtl = spec.status == 200
    expected_root = ["ur", "rtl"] if rtl else ["en", "ltr"]
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == expected_root, url
    _show_hidden_parts(page, viewport)
    problems: dict[str, list[str]] = {}
    for scheme in ("default", "slate"):
        page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        page.evaluate(NEXT_FRAME)
        checks = {**_urdu_text_problems(page, min_elements=3 if rtl else 1, urdu_page=rtl),
                  **_mark_problems(page, rtl=rtl, required=spec.marks),
                  **_price_problems(page, required=spec.prices)}
        problems.update({f"{scheme}: {check}": found for check, found in checks.items() if found})
    assert not problems, "\n".join(f"{check}:\n  " + "\n  ".join(found) for check, found in problems.items())
    tabs.assert_nothing_left_the_machine()


def test_english_pages_leave_marks_unmirrored_and_give_urdu_and_hindi_names_their_fonts(tabs: Tabs) -> None:
    """The left-to-right twins: the same marks point right, prices sit left, Urdu names still get Nastaliq.

    The switcher's "اردو" and "हिन्दी" are drawn by faces cut from Nastaliq and Devanagari to those
    words: an English page does not download the whole fonts for them.
    """
    for url, required, prices in (
        (tabs.sample + "/" + PRODUCT, URDU_PAGES["product"].marks, URDU_PAGES["product"].prices),
        (tabs.paged + tabs.paged_listing.removeprefix("/ur"), URDU_PAGES["paged listing"].marks, ()),
    ):
        assert tabs.open("desktop", url).status == 200, url
        page = tabs.pages["desktop"]
        _show_hidden_parts(page, "desktop")
        problems = {**_mark_problems(page, rtl=False, required=required), **_price_problems(page, required=prices)}
        # On an English page the only Urdu is the switcher's "اردو": Nastaliq's glyphs, room, not cut.
        problems.update(_urdu_text_problems(page, min_elements=1, urdu_page=False))
        problems = {check: found for check, found in problems.items() if found}
        assert not problems, (url, problems)
        styles = page.evaluate("""() => Object.fromEntries(['a[hreflang=ur]', 'a[hreflang=hi]', 'h1'].map(s => {
            const cs = getComputedStyle(document.querySelector(s));
            return [s, [cs.fontFamily.split(',')[0].replace(/["']/g, '').trim(),
                        parseFloat(cs.lineHeight) / parseFloat(cs.fontSize)]];
        }))""")
        assert styles["a[hreflang=ur]"][0] == URDU_NAME and styles["a[hreflang=ur]"][1] >= URDU_MIN_LINE_HEIGHT, styles
        assert styles["a[hreflang=hi]"][0] == HINDI_NAME, styles
        # The English around them keeps its Latin font and its tighter leading.
        assert styles["h1"][0] == "Roboto" and styles["h1"][1] < URDU_MIN_LINE_HEIGHT, styles
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                               ".map(f => f.family.replace(/[\"']/g, ''))")
        assert URDU_NAME in loaded and HINDI_NAME in loaded, loaded
        assert NASTALIQ not in loaded and DEVANAGARI not in loaded, f"{url} downloads a whole font for a name: {loaded}"
    tabs.assert_nothing_left_the_machine()


def test_an_urdu_product_page_is_right_to_left_and_the_switcher_keeps_the_product(tabs: Tabs) -> None:
    page, base = tabs.pages["desktop"], tabs.sample
    tabs.open("desktop", f"{base}/ur/{PRODUCT}")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    assert page.evaluate("getComputedStyle(document.querySelector('h1.kg-title')).direction") == "rtl"
    assert page.inner_text("h1.kg-title") == "تکونوں والی رلی"
    links = page.evaluate("[...document.querySelectorAll('a[hreflang].md-select__link')]"
                          ".map(a => [a.hreflang, a.getAttribute('href')])")
    assert set(dict(links)) == {"en", "ur", "hi"}
    for lang, title in (("en", "Ralli quilt with appliquéd triangles"), ("hi", "Ralli quilt with appliquéd triangles")):
        tabs.open("desktop", f"{base}/ur/{PRODUCT}")
        page.focus(f"a.md-select__link[hreflang={lang}]")  # the list opens on focus, as from the keyboard
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}{'' if lang == 'en' else '/' + lang}/{PRODUCT}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate("document.documentElement.dir") == "ltr"
        assert page.inner_text("h1.kg-title") == title  # the same product (not yet translated into Hindi)
    tabs.assert_nothing_left_the_machine()


def test_an_english_fallback_on_an_urdu_page_is_set_left_to_right_in_a_latin_font(tabs: Tabs) -> None:
    page = tabs.pages["desktop"]
    tabs.open("desktop", f"{tabs.sample}/ur/artisans/pk/thatta/khatri-ajrak-family/")
    story = page.locator(".kg-story .kg-prose")
    assert story.get_attribute("lang") == "en" and story.get_attribute("dir") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('.kg-story .kg-prose')).direction") == "ltr"
    family = page.evaluate("getComputedStyle(document.querySelector('.kg-story .kg-prose p')).fontFamily")
    assert family.startswith("Roboto"), family  # Latin text in a Latin font first, not in Nastaliq
    assert page.locator(".kg-notice--untranslated").count() == 1
    tabs.assert_nothing_left_the_machine()
