"""The sample site, built end to end with MkDocs Material: every page type, no drafts, valid feeds."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from tests.conftest import NOW, REPO

DRAFT_ARTISAN = "abdul-wahid-onyx-works"
DRAFT_PRODUCT = "kashi-tile-panel"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text("utf-8")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))


def anchors(html: str) -> list[dict[str, str | None]]:
    parser = Links()
    parser.feed(html)
    return parser.anchors


@pytest.mark.parametrize("rel", [
    "index.html",
    "artisans/index.html",
    "artisans/pk/index.html",
    "artisans/in/index.html",
    "artisans/pk/thatta/index.html",
    "crafts/index.html",
    "crafts/ajrak-block-printing/index.html",
    "marketplaces/index.html",
    "marketplaces/etsy/index.html",
    "marketplaces/amazon/index.html",
    "marketplaces/daraz/index.html",
    "marketplaces/alibaba/index.html",
    "training/index.html",
    "training/calendar.ics",
    "training/first-amazon-listing/index.html",
    "about/index.html",
])
# The sample's languages, the default at the root.  (/404.html is one page for all: see
# test_404_page_is_marked_noindex.)
@pytest.mark.parametrize("lang", ["", "ur/", "hi/"])
def test_every_page_type_exists_in_every_language(sample_site: Path, rel: str, lang: str) -> None:
    page = sample_site / lang / rel
    assert page.is_file(), page
    if rel.endswith(".html"):  # in its own language, with the document's direction
        code = lang.rstrip("/") or "en"
        direction = "rtl" if code == "ur" else "ltr"
        assert re.search(rf'<html lang="{code}" dir="{direction}"', read(sample_site, lang + rel)), (lang, rel)


def test_every_artisan_and_product_has_its_page_at_the_contract_url(sample_site: Path) -> None:
    for index in (REPO / "artisans").glob("*/*/*/index.md"):
        folder = index.parent.relative_to(REPO).as_posix()
        if index.parent.name == DRAFT_ARTISAN:
            continue
        assert (sample_site / folder / "index.html").is_file(), folder
        for product in (index.parent / "products").glob("*.md"):
            if product.stem == DRAFT_PRODUCT or "." in product.stem:  # a draft, or a translation
                continue
            assert (sample_site / folder / product.stem / "index.html").is_file(), product


def test_drafts_appear_nowhere_in_the_output(sample_site: Path) -> None:
    for path in sample_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ics", ".xml", ".json", ".js"}:
            text = path.read_text("utf-8", errors="replace")
            assert DRAFT_ARTISAN not in text, path
            assert DRAFT_PRODUCT not in text, path
    assert not list(sample_site.rglob(f"*{DRAFT_ARTISAN}*"))
    assert not list(sample_site.rglob(f"*{DRAFT_PRODUCT}*"))


def test_private_consent_data_is_never_published(sample_site: Path) -> None:
    handles = set()
    for index in (REPO / "artisans").glob("*/*/*/index.md"):
        match = re.search(r"recorded_by:\s*\"?([^\"\n]+)", index.read_text("utf-8"))
        if match:
            handles.add(match.group(1).strip())
    assert handles
    for path in sample_site.rglob("*.html"):
        text = path.read_text("utf-8")
        for handle in handles:
            assert handle not in text, (handle, path)


def test_catalog_and_training_pages_share_materials_header_and_tabs(sample_site: Path) -> None:
    artisan = next(sample_site.glob("artisans/pk/thatta/*/index.html"))
    for rel in ["index.html", artisan.relative_to(sample_site).as_posix(), "training/first-amazon-listing/index.html",
                "about/index.html"]:
        html = read(sample_site, rel)
        assert 'class="md-header' in html and 'class="md-tabs"' in html, rel
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, rel
        assert "assets/fonts/fonts.css" in html, rel
        assert 'data-md-component="palette"' in html or "md-header__option" in html, rel


def test_active_tab_follows_the_page(sample_site: Path) -> None:
    def active(rel: str) -> str:
        html = read(sample_site, rel)
        match = re.search(r'md-tabs__item--active">\s*<a href="[^"]*" class="md-tabs__link">\s*([^<]+?)\s*</a>', html)
        assert match, rel
        return match.group(1)

    assert active("crafts/index.html") == "Crafts"
    assert active("artisans/pk/index.html") == "Regions"
    assert active("training/index.html") == "Training"
    assert active("training/first-amazon-listing/index.html") == "Training"
    assert active("about/index.html") == "About"


def test_buy_buttons_open_the_marketplace_with_params_and_disclosure(sample_site: Path) -> None:
    seen_markets = set()
    cart_links = 0
    for page in sample_site.glob("artisans/*/*/*/*/index.html"):
        html = page.read_text("utf-8")
        for a in anchors(html):
            classes = (a.get("class") or "").split()
            if "kg-buy" not in classes:
                continue
            assert set((a.get("rel") or "").split()) >= {"nofollow", "sponsored", "noopener"}
            href = a.get("href") or ""
            assert href.startswith("https://")
            if "www.amazon.com/dp/" in href:
                assert "tag=" in href
                seen_markets.add("amazon")
                # Listings given by ASIN also offer the add-to-cart link (a url-only one cannot).
                cart_links += "gp/aws/cart/add.html?ASIN.1=" in html
                assert "As an Amazon Associate" in html
            for host, key in (("etsy.com", "etsy"), ("daraz.pk", "daraz"), ("alibaba.com", "alibaba")):
                if host in href:
                    seen_markets.add(key)
    assert seen_markets == {"amazon", "etsy", "daraz", "alibaba"}
    assert cart_links > 0


def test_listings_are_sorted_by_name_then_slug(sample_site: Path) -> None:
    html = read(sample_site, "artisans/index.html")
    names = re.findall(r'<article class="kg-card[^"]*">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)
    assert names, "artisan cards on /artisans/"
    assert names == sorted(names, key=str.casefold)


def test_training_box_comes_from_the_validated_model(sample_site: Path) -> None:
    html = read(sample_site, "training/first-amazon-listing/index.html")
    assert "kg-training-box" in html
    assert "UTC" in html


def test_training_index_lists_upcoming_soonest_first_then_self_paced_then_past(sample_site: Path) -> None:
    html = read(sample_site, "training/index.html")
    upcoming = html.index("Upcoming")
    self_paced = html.index("Self-paced")
    past = html.index("Past")
    assert upcoming < self_paced < past
    dates = re.findall(r'<time datetime="([^"]+)"', html[upcoming:self_paced])
    assert dates == sorted(dates) and len(dates) >= 2


def test_calendar_is_valid_icalendar_with_webinars_and_workshops(sample_site: Path) -> None:
    data = (sample_site / "training" / "calendar.ics").read_bytes()
    assert b"\r\n" in data
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) >= 4  # three webinars and a workshop in the sample
    for event in events:
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None
        assert event.decoded("DTEND") > start
        assert str(event["UID"]).endswith("@karigar.netlify.app")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_404_page_is_marked_noindex(sample_site: Path) -> None:
    assert 'content="noindex"' in read(sample_site, "404.html")


def test_build_clock_decides_upcoming(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import settings_for

    assert NOW.year == 2026  # the sample's first webinar (Dec 2026) is upcoming at NOW
    root = REPO
    later = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "s", cache_dir=tmp_path / "c")
    from karigar.pipeline import build_site
    from karigar.write.funnel import MemoryWriter
    import datetime as dt

    writer = MemoryWriter()
    result = build_site(later, now=dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc), writer=writer, run_mkdocs=False)
    assert result.ok
    index = writer.files["training/index.html"].decode()
    upcoming = index[index.index("Upcoming"):index.index("Self-paced")]
    assert "<time" not in upcoming  # every sample event is past by June 2027
