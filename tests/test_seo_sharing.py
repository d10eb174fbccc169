"""What search engines and chat apps read of the sample site: JSON-LD, sharing tags, robots.txt, sitemaps.

Each test reads the built site as a crawler does (the HTML of every page, the
sitemaps it is pointed at) and checks what Google documents as required for
each structured-data type, what Open Graph needs for a link preview (a title,
an absolute image URL of a picture that exists, with its true size), and that
the sitemaps list only pages that call themselves canonical.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from karigar.render.head import og_locale
from karigar.render.security import json_for_script
from karigar.render.sitemaps import robots_job

SITE_URL = "https://karigar.netlify.app/"
SCHEMA = "https://schema.org"
_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
_META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def pages(site: Path) -> Iterator[tuple[str, str]]:
    """The site's pages; not the web editor's (admin/: noindex, in no sitemap, nothing to share)."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith("admin/"):
            yield rel, path.read_text("utf-8")


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in _LD.findall(html)]


def metas(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop, content in _META.findall(html):
        found.setdefault(prop, []).append(unescape(content))
    return found


def local_file(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):]


def check_product(obj: dict) -> None:
    assert obj["name"] and obj["url"].startswith(SITE_URL)
    assert obj["offers"], "a Product snippet needs offers (Karigar has no reviews or ratings)"
    for offer in obj["offers"]:
        assert offer["@type"] == "Offer"
        assert Decimal(offer["price"]) > 0
        assert re.fullmatch(r"[A-Z]{3}", offer["priceCurrency"])
        assert offer["availability"] in (f"{SCHEMA}/InStock", f"{SCHEMA}/MadeToOrder")
        assert offer["url"].startswith("https://")


def check_event(obj: dict) -> None:
    assert obj["name"]
    start = dt.datetime.fromisoformat(obj["startDate"])
    assert start.utcoffset() is not None, "startDate needs its UTC offset"
    assert obj["eventStatus"] == f"{SCHEMA}/EventScheduled"
    location = obj["location"]
    if obj["eventAttendanceMode"] == f"{SCHEMA}/OnlineEventAttendanceMode":
        assert location["@type"] == "VirtualLocation" and location["url"].startswith("https://")
    else:
        assert obj["eventAttendanceMode"] == f"{SCHEMA}/OfflineEventAttendanceMode"
        assert location["@type"] == "Place" and location["address"]["addressLocality"]


def check_breadcrumbs(obj: dict, canonical: str) -> None:
    items = obj["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    for item in items:
        assert item["@type"] == "ListItem" and item["name"] and item["item"].startswith(SITE_URL)
    assert items[-1]["item"] == canonical  # the page itself ends the trail


def test_every_json_ld_block_parses_and_has_what_google_requires(sample_site: Path) -> None:
    types: Counter[str] = Counter()
    for rel, html in pages(sample_site):
        canonical = _CANONICAL.findall(html)
        for obj in json_ld(html):
            assert obj["@context"] == SCHEMA
            kind = obj["@type"]
            types[kind] += 1
            if kind == "Product":
                check_product(obj)
            elif kind == "Event":
                check_event(obj)
            elif kind == "BreadcrumbList":
                check_breadcrumbs(obj, canonical[0])
            elif kind in ("Person", "Organization"):
                assert obj["name"] and obj["url"] == canonical[0]
                assert set(obj["address"]) <= {"@type", "addressCountry", "addressLocality", "addressRegion"}
            elif kind in ("Course", "LearningResource"):
                assert obj["name"] and obj["provider"]["name"]
            else:
                assert kind == "WebSite", (rel, kind)
    # Not vacuous: the sample's pages carry every kind (three languages of each).
    assert types["Product"] >= 60 and types["BreadcrumbList"] > types["Product"]
    assert types["Person"] and types["Organization"] and types["Event"] >= 3 and types["WebSite"] == 3
    assert types["Course"] or types["LearningResource"]


def test_a_product_page_gives_its_price_and_offers_and_its_maker(sample_site: Path) -> None:
    html = (sample_site / "artisans/in/kutch/sakhi-embroidery-cooperative/bandhani-embroidered-stole/index.html"
            ).read_text("utf-8")
    product = next(obj for obj in json_ld(html) if obj["@type"] == "Product")
    # One offer per marketplace listing on the page, each going to that listing.
    buy_links = re.findall(r'<a class="md-button md-button--primary kg-buy" href="([^"]+)"', html)
    assert [unescape(url) for url in buy_links] == [offer["url"] for offer in product["offers"]]
    assert {offer["priceCurrency"] for offer in product["offers"]} == {"INR"}
    assert product["manufacturer"] == {"@type": "Organization", "name": "Sakhi Kutch Embroidery Cooperative",
                                       "url": SITE_URL + "artisans/in/kutch/sakhi-embroidery-cooperative/"}
    tags = metas(html)
    assert tags["product:price:amount"] == [product["offers"][0]["price"]]
    assert tags["product:price:currency"] == ["INR"]


def test_a_shared_product_link_shows_its_photo_title_price_and_maker(sample_site: Path) -> None:
    """What WhatsApp or Facebook show of a product link, in English and in Urdu."""
    for prefix, locale in (("", "en_US"), ("ur/", "ur_PK")):
        html = (sample_site / prefix / "artisans/in/kutch/sakhi-embroidery-cooperative/bandhani-embroidered-stole"
                / "index.html").read_text("utf-8")
        tags = metas(html)
        title = unescape(re.search(r'<h1 class="kg-title"[^>]*>([^<]+)</h1>', html).group(1))
        assert tags["og:title"] == [title] and tags["og:type"] == ["product"]
        assert tags["og:locale"] == [locale]
        description = tags["og:description"][0]
        price = unescape(re.search(r'<span class="kg-price__value">([^<]+)</span>', html).group(1))
        maker = unescape(re.search(r'<h3 class="kg-card__title"><a href="[^"]+"[^>]*>([^<]+)</a>', html).group(1))
        assert description.startswith(f"{price} · {maker} · ")
        image = local_file(sample_site, tags["og:image"][0])
        with Image.open(image) as picture:
            assert [str(n) for n in picture.size] == tags["og:image:width"] + tags["og:image:height"]
        assert tags["og:image:alt"][0] and tags["twitter:card"] == ["summary_large_image"]


def test_every_page_can_be_shared_with_a_picture_and_its_own_url(sample_site: Path) -> None:
    seen = Counter()
    for rel, html in pages(sample_site):
        if rel == "404.html":
            continue
        tags = metas(html)
        canonical = _CANONICAL.findall(html)
        assert tags["og:url"] == canonical, rel
        assert tags["og:title"][0], rel
        lang = re.search(r'<html lang="([^"]+)"', html).group(1)
        assert tags["og:locale"] == [og_locale(lang)], rel
        image = local_file(sample_site, tags["og:image"][0])
        assert image.is_file(), rel
        with Image.open(image) as picture:
            assert picture.size == (int(tags["og:image:width"][0]), int(tags["og:image:height"][0])), rel
        seen[image.name == "share.png"] += 1
    # Pages without a photo (listings, MkDocs' pages) show the site's picture, which is 1,200 px wide.
    assert seen[True] > 20 and seen[False] > 60
    with Image.open(sample_site / "assets/karigar/share.png") as picture:
        assert picture.size == (1200, 630)


def test_robots_txt_names_the_sitemap_index(sample_site: Path) -> None:
    lines = (sample_site / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [f"Sitemap: {SITE_URL}sitemap.xml"]
    index = ET.parse(sample_site / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"


def sitemap_urls(site: Path) -> list[str]:
    urls = []
    for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:sitemap/s:loc", _NS):
        sitemap = ET.parse(local_file(site, loc.text or "")).getroot()
        urls += [url.text or "" for url in sitemap.findall("s:url/s:loc", _NS)]
    return urls


def test_sitemaps_list_each_canonical_page_once_and_no_copy(sample_site: Path) -> None:
    urls = sitemap_urls(sample_site)
    assert len(urls) == len(set(urls))
    for url in urls:
        html = (local_file(sample_site, url) / "index.html").read_text("utf-8")
        assert _CANONICAL.findall(html) == [url], url
    # A training page without an Urdu translation is published in Urdu as a copy whose canonical page is the
    # English one: the copy is served, but not listed.
    copy = "ur/training/packaging-fragile-crafts/"
    assert (sample_site / copy / "index.html").is_file() and SITE_URL + copy not in urls
    assert SITE_URL + "ur/training/first-amazon-listing/" in urls  # translated: its own canonical page
    canonical_pages = {
        _CANONICAL.findall(html)[0] for rel, html in pages(sample_site)
        if rel != "404.html" and _CANONICAL.findall(html)[0] == SITE_URL + rel[: -len("index.html")]}
    assert canonical_pages == set(urls)


@pytest.mark.parametrize("title", ["</script><script>alert(1)</script>", "<!--", "a\u2028b & </SCRIPT >"])
def test_json_ld_keeps_content_inside_its_script(title: str) -> None:
    text = json_for_script({"name": title})
    assert "<" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": title}


def test_robots_txt_names_the_sitemap_index_below_a_path_and_never_a_relative_one() -> None:
    below = robots_job(site_url="https://crafts.example.org/karigar/").render().decode()
    assert "Sitemap: https://crafts.example.org/karigar/sitemap.xml\n" in below
    assert "Sitemap" not in robots_job(site_url="").render().decode()


def test_a_shared_product_shows_a_picture_1200_px_wide_when_its_photo_is_that_wide(make_site) -> None:
    from tests.test_photos import FOLDER, build as build_photos, phone_jpeg, photo_site, settings_of

    root = photo_site(make_site, phone_jpeg((2600, 1300)))  # upright 1300 x 2600
    build_photos(settings_of(root))
    site = root / "site"
    html = (site / "artisans/pk/thatta/shazia-bibi/ralli-quilt/index.html").read_text("utf-8")
    tags = metas(html)
    picture = f"{FOLDER}/photos/_sized/shazia.jpg-1200.jpg"
    assert tags["og:image"][0].endswith("/" + picture)
    assert (tags["og:image:width"], tags["og:image:height"]) == (["1200"], ["2400"])
    with Image.open(site / picture) as image:
        assert image.size == (1200, 2400)
    # It is only for shared links: no srcset offers it, and the page's own photo is the 1,024 px original.
    assert "-1200.jpg" not in re.sub(r'<meta [^>]*>|<script type="application/ld\+json">.*?</script>', "", html)


def test_sitemaps_date_each_artisan_and_product_page_by_its_added_date_and_nothing_else(sample_site: Path) -> None:
    from tests.test_feeds import dated_sources

    dates: dict[str, str] = {}
    for loc in ET.parse(sample_site / "sitemap.xml").getroot().findall("s:sitemap/s:loc", _NS):
        for url in ET.parse(local_file(sample_site, loc.text or "")).getroot().findall("s:url", _NS):
            lastmod = url.find("s:lastmod", _NS)
            if lastmod is not None:
                dates[url.findtext("s:loc", "", _NS)] = lastmod.text or ""
    expected = {f"{SITE_URL}{prefix}{rel}/": day for kind in ("products", "artisans")
                for rel, day in dated_sources(kind).items() for prefix in ("", "ur/", "hi/")}
    assert len(expected) >= 3 * 15  # the sample dates 11 products and 4 artisans
    assert dates == expected  # the contract's date, never the build's clock; listings and content undated
