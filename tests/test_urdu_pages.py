"""Urdu pages of the sample site read as Urdu: no English a reader did not ask for, and none out of order.

The acceptance test of "real Urdu": on fully translated Urdu pages (a
translated artisan and product, the home page, the training index and a
translated training page), every text node with Latin letters is either

* a name the page may show as it is (an explicit allow-list: brand and
  marketplace names, the language switcher's "English", ASINs, prices in
  CLDR's Urdu symbol), or
* a part the content leaves untranslated (an English name, title or
  summary), whose nearest ancestor with ``lang`` says ``lang="en"
  dir="ltr"``, so screen readers switch voice and the text is laid out left
  to right in a Latin font.

Interface text, registry names (crafts, districts, provinces, programmes),
training topics and kinds, dates and times are all Urdu.  The same pages
show the Urdu titles of trainings, and each language's calendar carries
its own titles.  One Chromium check measures where the parts of an Urdu date
and time land on screen.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import icalendar
import pytest
from karigar.render.locale import ui_locale

from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
from tests.conftest import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARTISAN = "artisans/pk/thatta/shazia-bibi/"
PRODUCT = "artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/"
TRAINING = "training/first-amazon-listing/"
URDU_PAGES = {
    "home": "ur/",
    "training index": "ur/training/",
    "training page": f"ur/{TRAINING}",
    "artisan": f"ur/{ARTISAN}",
    "product": f"ur/{PRODUCT}",
}

# Latin text an Urdu page may show as it is: names, never interface words.
BRANDS = ("Material for MkDocs", "Karigar", "Amazon.in", "Amazon", "Etsy", "Daraz", "Alibaba", "iCal")
PRICE = re.compile(r"\bRs\u00a0[0-9][0-9,]*")  # CLDR's Urdu symbol for PKR, digits attached
ASIN = re.compile(r"\bB0[0-9A-Z]{8}\b")
SWITCHER = "md-select__link"  # the language switcher names each language in itself ("English")
ALLOWED = re.compile("|".join([*(rf"(?<![\w.]){re.escape(b)}(?![\w])" for b in BRANDS), PRICE.pattern,
                               ASIN.pattern]))
ARABIC = re.compile(r"[\u0600-\u06FF]")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
SKIPPED = frozenset({"script", "style", "svg", "template"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


def has_latin(text: str) -> bool:
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN") for ch in text)


class TextNodes(HTMLParser):
    """Every text node outside scripts, styles and icons, with the attributes of its nearest ancestor with ``lang``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict[str, str]]] = []
        self.nodes: list[tuple[str, dict[str, str], dict[str, str]]] = []  # (text, lang holder, parent)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip() or any(tag in SKIPPED for tag, _ in self.open):
            return
        holder = next((attrs for _, attrs in reversed(self.open) if "lang" in attrs), {})
        self.nodes.append((data.strip(), holder, self.open[-1][1] if self.open else {}))


def text_nodes(html: str) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    parser = TextNodes()
    parser.feed(html)
    return parser.nodes


def read(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text("utf-8") if rel.endswith("/") else (site / rel).read_text("utf-8")


def latin_problems(html: str) -> list[str]:
    """Latin text that is neither allowed as a name nor marked as an English part (``lang="en" dir="ltr"``)."""
    problems = []
    for text, holder, parent in text_nodes(html):
        if not has_latin(text):
            continue
        lang, direction = holder.get("lang", ""), holder.get("dir", "")
        if lang == "en":
            if direction != "ltr" and SWITCHER not in parent.get("class", "").split():
                problems.append(f"English without dir=\"ltr\": {text!r}")
            continue
        left = ALLOWED.sub("", text)
        if has_latin(left):
            problems.append(f"Latin text in lang={lang!r}: {text!r}")
    return problems


@pytest.mark.parametrize("page", sorted(URDU_PAGES))
def test_a_translated_urdu_page_shows_latin_text_only_as_names_or_marked_english(sample_site: Path,
                                                                               page: str) -> None:
    html = read(sample_site, URDU_PAGES[page])
    assert re.search(r'<html[^>]* lang="ur"', html) and re.search(r'<html[^>]* dir="rtl"', html)
    assert latin_problems(html) == []


def test_the_latin_text_check_finds_what_a_reader_would_see(sample_site: Path) -> None:
    """The check is not vacuous: the pages hold marked English parts and allowed names, and it flags
    unmarked English, English without a direction, and an interface word."""
    home = read(sample_site, "ur/")
    marked = [text for text, holder, _ in text_nodes(home) if holder.get("lang") == "en" and has_latin(text)]
    assert "Khatri Ajrak Family" in marked  # an artisan not translated into Urdu, on a card
    assert latin_problems('<html lang="ur" dir="rtl"><p>رلی quilt</p></html>') != []
    assert latin_problems('<html lang="ur" dir="rtl"><p lang="en">Ralli quilt</p></html>') != []
    assert latin_problems('<html lang="ur" dir="rtl"><p>Made with</p></html>') != []
    assert latin_problems('<html lang="ur" dir="rtl"><p>Etsy پر خریدیں Rs\u00a03,500</p></html>') == []


def test_registry_names_topics_and_kinds_read_in_urdu(sample_site: Path) -> None:
    artisan = read(sample_site, f"ur/{ARTISAN}")
    assert "ٹھٹہ، سندھ" in artisan  # district and province from the registry, joined by the Urdu comma
    assert ">رلی سازی</a>" in artisan  # the craft
    assert "بینظیر انکم سپورٹ پروگرام" in artisan  # the programme badge, and its description below
    assert "کم آمدنی والی خواتین" in artisan and "cash-transfer" not in artisan
    product = read(sample_site, f"ur/{PRODUCT}")
    assert "Amazon ایسوسی ایٹ کی حیثیت سے" in product and "As an Amazon Associate" not in product
    training = read(sample_site, "ur/training/")
    assert 'value="pricing">قیمت کا تعین</option>' in training  # the filter: English key, Urdu label
    assert "data-topics=\"|listing|photography|pricing|\"" in training  # cards match the same keys
    assert ">ویبینار</span>" in training  # the kind, from the catalog
    hindi = read(sample_site, f"hi/{ARTISAN}")
    assert "ठट्टा, सिंध" in hindi and ">रल्ली रज़ाई</a>" in hindi


def _urdu_title(slug: str) -> str:
    found = re.search(r"(?m)^title: (.+)$", (REPO / f"content/training/{slug}.ur.md").read_text("utf-8"))
    assert found, slug
    return found.group(1).strip()


def test_training_cards_show_the_urdu_title_and_summary_of_the_translation(sample_site: Path) -> None:
    title = _urdu_title("first-amazon-listing")
    for page in ("ur/", "ur/training/"):
        html = read(sample_site, page)
        card = re.search(rf'<a href="/ur/{TRAINING}">([^<]+)</a>', html)
        assert card is not None and card.group(1) == title, page
        assert "Your first Amazon listing" not in html, page
        assert "دستکاروں اور ان کی مدد کرنے والے رضاکاروں کے لیے ایک براہِ راست ویبینار" in html, page
    # An untranslated training keeps its English title and summary, marked as English.
    training = read(sample_site, "ur/training/")
    assert re.search(r'<a href="/ur/training/export-packaging-toolkit/" lang="en" dir="ltr">Export packaging '
                     r"toolkit</a>", training)
    assert re.search(r'<p class="kg-card__summary" lang="en" dir="ltr">A set of printable checklists', training)


@pytest.mark.parametrize("lang", ["ur", "hi"])
def test_each_languages_calendar_carries_its_own_event_titles(sample_site: Path, lang: str) -> None:
    feed = icalendar.Calendar.from_ical((sample_site / lang / "training/calendar.ics").read_bytes())
    events = {str(e["UID"]).split("@")[0]: e for e in feed.walk("VEVENT")}
    translated = events["first-amazon-listing"]
    source = (REPO / f"content/training/first-amazon-listing.{lang}.md").read_text("utf-8")
    assert f"title: {translated['SUMMARY']}\n" in source
    assert translated["SUMMARY"].params["LANGUAGE"] == lang
    assert translated["DESCRIPTION"].params["LANGUAGE"] == lang
    script = ARABIC if lang == "ur" else DEVANAGARI
    raw = (sample_site / lang / "training/calendar.ics").read_text("utf-8").replace("\r\n ", "")
    block = raw[raw.index("UID:first-amazon-listing@"):]
    categories = re.search(r"(?m)^CATEGORIES:(.*)$", block[:block.index("END:VEVENT")])
    assert categories and script.search(categories.group(1))  # "webinar", in the language
    assert script.search(str(feed["X-WR-CALNAME"]))
    # A training without a translation keeps its English title, and says so.
    untranslated = events["global-selling-for-gujarat-clusters"]
    assert str(untranslated["SUMMARY"]).startswith("Amazon Global Selling")
    assert untranslated["SUMMARY"].params["LANGUAGE"] == "en"
    english = icalendar.Calendar.from_ical((sample_site / "training/calendar.ics").read_bytes())
    first = next(e for e in english.walk("VEVENT") if str(e["UID"]).startswith("first-amazon-listing@"))
    assert str(first["SUMMARY"]) == "Your first Amazon listing, step by step"


# -- in Chromium: the parts of an Urdu date and time, in reading order -------------------------------

# The sample's first webinar as an Urdu reader reads it, right to left: day, month, year, time, day
# period, "UTC", offset.  (The build wrote "PM (UTC+05:00) 3:00 2026 ،10 دسمبر" before.)
WEBINAR_START = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
READING_ORDER = ("10", "دسمبر", "2026", "3:00", "دوپہر", "یو\u00a0ٹی\u00a0سی", "05:00")
OLD_TEXT = "10 دسمبر، 2026 3:00 PM (UTC+05:00)"
OLD_ORDER = ("10", "دسمبر", "2026", "3:00", "PM", "UTC", "05:00")

# Where each piece of the <time>'s text is drawn: the centre and top of its range's box.
PIECE_BOXES = r"""
([selector, pieces]) => {
  const node = [...document.querySelector(selector).childNodes].find(n => n.nodeType === Node.TEXT_NODE);
  let from = 0;
  return pieces.map(piece => {
    const at = node.data.indexOf(piece, from);
    if (at < 0) return null;
    from = at + piece.length;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + piece.length);
    const box = range.getBoundingClientRect();
    return {piece, x: box.left + box.width / 2, top: box.top, height: box.height};
  });
}
"""


def out_of_order(boxes: list[dict[str, float | str] | None]) -> list[str]:
    """Pieces a right-to-left reader would meet out of order: each must sit left of the one before on
    its line, or start a later line."""
    problems = []
    for before, after in itertools.pairwise(boxes):
        assert before is not None and after is not None, boxes
        same_line = abs(float(after["top"]) - float(before["top"])) < float(before["height"]) / 2
        if same_line and not float(after["x"]) < float(before["x"]):
            problems.append(f"{after['piece']!r} is right of {before['piece']!r}")
        elif not same_line and float(after["top"]) < float(before["top"]):
            problems.append(f"{after['piece']!r} is on a line above {before['piece']!r}")
    return problems


@pytest.mark.browser
def test_an_urdu_date_and_time_reads_right_to_left_in_chromium(sample_site: Path) -> None:
    shown = ui_locale("ur").datetime(WEBINAR_START)
    assert [p for p in READING_ORDER if p in shown] == list(READING_ORDER)
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with serve_folder(sample_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/ur/training/", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            when = f'.kg-card--training:has(a[href="/ur/{TRAINING}"]) .kg-card__when time'
            assert page.locator(when).count() == 1
            assert page.locator(when).text_content() == shown
            assert out_of_order(page.evaluate(PIECE_BOXES, [when, list(READING_ORDER)])) == []
            # The same measurement on the text the build used to write, in the same place, finds it
            # out of order: the check sees what a reader saw.
            page.evaluate("([sel, text]) => { document.querySelector(sel).textContent = text; }", [when, OLD_TEXT])
            assert out_of_order(page.evaluate(PIECE_BOXES, [when, list(OLD_ORDER)])) != []
        finally:
            browser.close()
