"""Feeds of new products, new artisans and training, as a feed reader and a quick build meet them.

Read with feedparser (what many readers are built on) and as JSON Feed 1.1;
every entry must lead to a page of the built site in the feed's language, in
the contract's order (the newest ``added`` first; undated entries are in no
feed), and a quick build must rewrite exactly the feeds that show an edited
entry, leaving the site a clean build makes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from tests.conftest import build, settings_for
from tests.realsite import differences, tree
from tests.test_quick_build import build as build_tree
from tests.test_quick_build import checkout, clean_tree, origin, replace_in

__all__ = ["origin"]  # test_quick_build's fixture: part of the sample site in Git, built once

SITE_URL = "https://karigar.netlify.app/"
REPO = Path(__file__).resolve().parent.parent
_FEED_LINK = re.compile(r'<link rel="alternate" type="(application/atom\+xml|application/feed\+json)" '
                        r'title="([^"]+)" href="([^"]+)">')


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---")[1])


def dated_sources(kind: str) -> dict[str, str]:
    """The sample's published, dated products (or artisans): entry folder path -> its `added` date."""
    found = {}
    pattern = "*/*/*/products/*.md" if kind == "products" else "*/*/*/index.md"
    for path in (REPO / "artisans").glob(pattern):
        if path.name.count(".") > 1:  # a translation
            continue
        meta = front(path)
        owner = front(path.parents[1] / "index.md") if kind == "products" else meta
        if meta.get("added") and not meta.get("draft") and not owner.get("draft"):
            rel = path.relative_to(REPO).as_posix()
            found[rel[: -len("/index.md")] if kind == "artisans" else rel[: -len(".md")].replace("/products", "")] = \
                str(meta["added"])
    return found


def parsed(site: Path, rel: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / rel).read_bytes())
    assert not feed.bozo, (rel, feed.get("bozo_exception"))
    return feed


def local_page(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):] / "index.html"


@pytest.mark.parametrize("kind", ["products", "artisans"])
def test_a_feed_lists_every_dated_entry_newest_first_in_both_formats_and_every_language(
        sample_site: Path, kind: str) -> None:
    expected = dated_sources(kind)
    assert len(expected) >= 4  # not vacuous: the sample dates some of each
    for prefix, lang in (("", "en"), ("ur/", "ur"), ("hi/", "hi")):
        atom = parsed(sample_site, f"{prefix}feeds/{kind}.atom")
        assert atom.feed.language == lang if hasattr(atom.feed, "language") else True
        links = [entry.link for entry in atom.entries]
        # Each entry is its page in this language, by the entry's folder.
        assert sorted(link[len(SITE_URL) + len(prefix):].rstrip("/") for link in links) == sorted(expected)
        assert all(local_page(sample_site, link).is_file() for link in links)
        days = [entry.published[:10] for entry in atom.entries]
        assert days == sorted(days, reverse=True)
        assert days == [expected[link[len(SITE_URL) + len(prefix):].rstrip("/")] for link in links]
        assert all(entry.title and entry.summary for entry in atom.entries)
        body = json.loads((sample_site / f"{prefix}feeds/{kind}.json").read_text("utf-8"))
        assert body["version"] == "https://jsonfeed.org/version/1.1" and body["language"] == lang
        assert [item["url"] for item in body["items"]] == links
        assert all(item["content_text"] and item["date_published"].endswith("T00:00:00Z") for item in body["items"])
        assert body["feed_url"] == f"{SITE_URL}{prefix}feeds/{kind}.json"


def test_a_product_feed_entry_shows_the_price_maker_and_photo(sample_site: Path) -> None:
    atom = parsed(sample_site, "feeds/products.atom")
    entry = next(e for e in atom.entries if e.link.endswith("/lacquer-jewellery-box/"))
    assert entry.title == "Lacquered jewellery box"
    assert entry.summary.startswith("PKR\u00a03,200 · Soomro Jandi Family · ")  # as the page writes the price
    assert entry.author == "Soomro Jandi Family"
    image = next(link.href for link in entry.links if link.rel == "enclosure")
    assert (sample_site / image[len(SITE_URL):]).is_file()


def test_urdu_feeds_speak_urdu_and_mark_what_falls_back_to_english(sample_site: Path) -> None:
    raw = (sample_site / "ur/feeds/products.atom").read_text("utf-8")
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ur">' in raw
    assert "<title>نئی مصنوعات</title>" in raw
    # A product without an Urdu translation: its title is English, and says so.
    assert '<title xml:lang="en">Lacquered jewellery box</title>' in raw
    body = json.loads((sample_site / "ur/feeds/products.json").read_text("utf-8"))
    assert body["title"] == "نئی مصنوعات"
    assert next(i for i in body["items"] if i["title"] == "Lacquered jewellery box")["language"] == "en"


def test_each_craft_has_feeds_and_its_listing_links_them(sample_site: Path) -> None:
    crafts = sorted(p.name for p in (sample_site / "feeds" / "crafts").iterdir())
    assert len(crafts) >= 10
    for key in crafts:
        atom = parsed(sample_site, f"feeds/crafts/{key}/products.atom")
        for entry in atom.entries:
            page = local_page(sample_site, entry.link).read_text("utf-8")
            assert f'href="/crafts/{key}/"' in page  # the product's page links its craft
        listing = (sample_site / "crafts" / key / "index.html").read_text("utf-8")
        hrefs = [href for _type, _title, href in _FEED_LINK.findall(listing)]
        assert hrefs == [f"/feeds/crafts/{key}/{kind}.{ext}" for kind in ("products", "artisans")
                         for ext in ("atom", "json")]


def test_every_feed_a_page_links_exists_and_parses(sample_site: Path) -> None:
    linked = set()
    for path in sample_site.rglob("index.html"):
        for media, title, href in _FEED_LINK.findall(path.read_text("utf-8")):
            assert title
            linked.add((media, href))
    assert ("application/atom+xml", "/feeds/products.atom") in linked
    assert ("application/feed+json", "/ur/feeds/training.json") in linked
    for media, href in linked:
        if media == "application/atom+xml":
            parsed(sample_site, href.lstrip("/"))
        else:
            assert json.loads((sample_site / href.lstrip("/")).read_text("utf-8"))["version"]
    home = (sample_site / "index.html").read_text("utf-8")
    assert [href for _m, _t, href in _FEED_LINK.findall(home)] == [
        "/feeds/products.atom", "/feeds/products.json", "/feeds/artisans.atom", "/feeds/artisans.json"]


def test_the_training_feed_lists_webinars_and_workshops_by_their_start(sample_site: Path) -> None:
    atom = parsed(sample_site, "feeds/training.atom")
    assert atom.entries
    starts = [entry.published for entry in atom.entries]
    assert all(re.search(r"[+-]\d\d:\d\d$", start) for start in starts)  # in the event's own offset
    assert all(local_page(sample_site, entry.link).is_file() for entry in atom.entries)


def test_drafts_are_in_no_feed(make_site, tmp_path: Path) -> None:
    root = make_site({
        "artisans/pk/thatta/draft-maker/index.md":
            "---\nname: Draft Maker\ncrafts: [ralli-quilting]\nlocation: {district: Thatta, province: Sindh}\n"
            "added: 2026-11-01\ndraft: true\n---\n",
        "artisans/pk/thatta/draft-maker/products/quilt.md":
            "---\ntitle: Hidden quilt\nadded: 2026-11-01\nprice: {amount: 10, currency: PKR}\n"
            "listings: [{marketplace: etsy, url: 'https://www.etsy.com/listing/1'}]\n---\n",
        "artisans/pk/thatta/shown-maker/index.md":
            "---\nname: Shown Maker\ncrafts: [ralli-quilting]\nlocation: {district: Thatta, province: Sindh}\n"
            "added: 2026-10-01\nconsent: {given: 2025-01-01, recorded_by: volunteer-a}\n---\n",
        "artisans/pk/thatta/shown-maker/products/cushion.md":
            "---\ntitle: Shown cushion\nadded: 2026-10-01\ndraft: true\nprice: {amount: 10, currency: PKR}\n"
            "listings: [{marketplace: etsy, url: 'https://www.etsy.com/listing/2'}]\n---\n",
    })
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert build(settings, run_mkdocs=False).ok
    out = tmp_path / "out" / "feeds"
    everything = "".join(path.read_text("utf-8") for path in out.rglob("*.*"))
    assert "Hidden quilt" not in everything and "Draft Maker" not in everything and "Shown cushion" not in everything
    assert [e.title for e in feedparser.parse((out / "artisans.atom").read_bytes()).entries] == ["Shown Maker"]


def test_a_quick_edit_rewrites_the_feeds_that_show_the_entry_and_no_other(origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "root")
    # A dated ralli quilt of Thatta (in the site-wide product feed and its craft's) gets a new price: an
    # edit that moves no entry (a new title would move it in every list: a full build).
    replace_in(root / "artisans/pk/thatta/shazia-bibi/products/ralli-quilt-triangles.md",
               "amount: 160", "amount: 175")
    quick = build_tree(root)
    assert quick.quick is not None and quick.report is not None
    feeds = sorted(p for p in quick.report.rendered if "feeds/" in p)
    assert feeds == sorted(f"{prefix}feeds/{name}.{ext}" for prefix in ("", "hi/", "ur/")
                           for name in ("products", "crafts/ralli-quilting/products") for ext in ("atom", "json"))
    assert "<summary>$175.00 · " in (root / "site/feeds/products.atom").read_text("utf-8")
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []
    shutil.rmtree(tmp_path / "clean")
