"""Urdu in a real browser: right to left, the switcher keeps the product, and Nastaliq is not clipped.

Nastaliq's letters climb and descend far beyond a Latin font's box; with a
normal line height, lines overlap and any box that hides its overflow cuts
the tops and tails off.  The check here is geometric: for every element on
the page holding Urdu text, the glyphs' ink (measured with the element's own
computed font through canvas ``measureText``) must fit the line box the
browser laid out, and no box that clips its overflow may hold more than it
shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder

pytestmark = pytest.mark.browser

PRODUCT = "artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/"
ARTISAN = "artisans/pk/thatta/shazia-bibi/"

# For each element with Urdu text of its own: (1) the glyphs' ink (canvas measureText in the
# element's computed font) against its line height, and (2) whether any line of the text (its
# content area, the font's full ascent to descent) reaches outside a box that clips overflow.
MEASURE = r"""
() => {
  const urdu = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const texts = [...el.childNodes].filter(n => n.nodeType === 3 && urdu.test(n.textContent));
    if (!texts.length || !el.getClientRects().length) continue;
    if (el.closest('.kg-visually-hidden, .md-visually-hidden')) continue;  // clipped to 1px on purpose
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    let ink = 0;
    const lines = [];
    for (const node of texts) {
      for (const word of node.textContent.split(/\s+/).filter(w => urdu.test(w))) {
        const m = ctx.measureText(word);
        ink = Math.max(ink, m.actualBoundingBoxAscent + m.actualBoundingBoxDescent);
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      lines.push(...[...range.getClientRects()].filter(r => r.width > 0));
    }
    const lineHeight = cs.lineHeight === 'normal' ? parseFloat(cs.fontSize) * 1.2 : parseFloat(cs.lineHeight);
    let clippedBy = '';
    for (let a = el; a && a !== document.documentElement && !clippedBy; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (['auto', 'scroll'].includes(s.overflowY)) continue;  // a scroller: what is outside is scrolled to
      const box = a.getBoundingClientRect();
      const top = box.top + a.clientTop, bottom = top + a.clientHeight;
      if (a.scrollHeight > a.clientHeight + 1) {
        clippedBy = `${a.tagName.toLowerCase()}.${a.className} hides ${a.scrollHeight - a.clientHeight}px`;
      } else if (lines.some(r => {
        // The line's box as laid out (its line height, centred on the font's content area).
        const lead = Math.max(0, (r.height - lineHeight) / 2);
        return r.top + lead < top - 1 || r.bottom - lead > bottom + 1;  // 1px: sub-pixel rounding
      })) {
        clippedBy = `${a.tagName.toLowerCase()}.${a.className} cuts a line`;
      }
    }
    out.push({tag: el.tagName.toLowerCase(), cls: String(el.className || ''), text: el.textContent.trim().slice(0, 30),
              font: cs.fontFamily, ink, lineHeight, clippedBy,
              control: !!el.closest('h1, h2, h3, button, .md-button, .md-tabs__link, .md-ellipsis, .kg-card__title, .md-select__link')});
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def page(sample_site: Path) -> Iterator[tuple[Any, str]]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with serve_folder(sample_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_context(viewport={"width": 1280, "height": 900}).new_page(), base
        finally:
            browser.close()


def load(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")  # measure with the web fonts, not fallbacks


def test_an_urdu_product_page_is_right_to_left_and_the_switcher_keeps_the_product(page) -> None:  # type: ignore[no-untyped-def]
    tab, base = page
    load(tab, f"{base}/ur/{PRODUCT}")
    assert tab.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    assert tab.evaluate("getComputedStyle(document.querySelector('h1.kg-title')).direction") == "rtl"
    assert tab.inner_text("h1.kg-title") == "تکونوں والی رلی"
    links = tab.evaluate("[...document.querySelectorAll('a[hreflang].md-select__link')]"
                         ".map(a => [a.hreflang, a.getAttribute('href')])")
    targets = dict(links)
    assert set(targets) == {"en", "ur", "hi"}
    for lang, title in (("en", "Ralli quilt with appliquéd triangles"), ("hi", "Ralli quilt with appliquéd triangles")):
        load(tab, f"{base}/ur/{PRODUCT}")
        tab.focus(f"a.md-select__link[hreflang={lang}]")  # the list opens on focus, as from the keyboard
        tab.keyboard.press("Enter")
        tab.wait_for_url(f"{base}{'' if lang == 'en' else '/' + lang}/{PRODUCT}")
        assert tab.evaluate("document.documentElement.lang") == lang
        assert tab.evaluate("document.documentElement.dir") == "ltr"
        assert tab.inner_text("h1.kg-title") == title  # the same product (not yet translated into Hindi)


@pytest.mark.parametrize("path", [PRODUCT, ARTISAN, "about/", "crafts/ralli-quilting/"])
def test_urdu_text_is_set_in_nastaliq_and_no_line_is_clipped(page, path: str) -> None:  # type: ignore[no-untyped-def]
    tab, base = page
    load(tab, f"{base}/ur/{path}")
    assert tab.evaluate("[...document.fonts].some(f => /Nastaliq/.test(f.family) && f.status === 'loaded')"), \
        "the self-hosted Noto Nastaliq Urdu was not loaded"
    tab.hover(".md-select")  # open the language list, so it is measured as a reader sees it
    tab.wait_for_function("getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'")
    found = tab.evaluate(MEASURE)
    assert len(found) > 3, found
    not_nastaliq = [f for f in found if "Nastaliq" not in f["font"]]
    assert not not_nastaliq, not_nastaliq
    # Headings, buttons, tabs and card titles sit in tight boxes: their line must hold the whole
    # glyph.  (Running text may let a rare deep stack reach into the line above, as Nastaliq
    # books do; no box cuts it, which the second check proves.)
    too_tight = [(f["tag"], f["cls"], f["text"], round(f["ink"], 1), f["lineHeight"]) for f in found
                 if f["control"] and f["ink"] > f["lineHeight"] + 0.5]
    assert not too_tight, too_tight  # (element, class, text, glyph ink px, line height px)
    clipped = [(f["tag"], f["cls"], f["text"], f["clippedBy"]) for f in found if f["clippedBy"]]
    assert not clipped, clipped


def test_an_english_fallback_on_an_urdu_page_is_set_left_to_right_in_a_latin_font(page) -> None:  # type: ignore[no-untyped-def]
    tab, base = page
    load(tab, f"{base}/ur/artisans/pk/thatta/khatri-ajrak-family/")
    story = tab.locator(".kg-story .kg-prose")
    assert story.get_attribute("lang") == "en" and story.get_attribute("dir") == "ltr"
    assert tab.evaluate("getComputedStyle(document.querySelector('.kg-story .kg-prose')).direction") == "ltr"
    family = tab.evaluate("getComputedStyle(document.querySelector('.kg-story .kg-prose p')).fontFamily")
    assert family.startswith("Roboto"), family  # Latin text in a Latin font first, not in Nastaliq
    assert tab.locator(".kg-notice--untranslated").count() == 1
