"""A showcase of work: what a buyer sees of the products, on built sites.

The home page leads with products (featured first, then the newest); every
published product is on the paged all-products listing exactly once, and the
home page's count links there; each craft on /crafts/ is pictured by one of
its products; craft, district and marketplace listings show product cards with
prices; every count agrees with the list it leads to.  Each product card is
rendered once per language per build and reused by every grid; editing a
product re-renders exactly the pages that show it, and incremental builds
still equal clean ones.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

import karigar.render.site as render_stage
from karigar.config import Settings
from karigar.diagnostics import format_text
from karigar.pipeline import build_site
from karigar.render.cards import ProductCards
from karigar.write.funnel import DiskWriter, WriteReport
from tests.cards import Page, all_pages, leading_number, read, total_line
from tests.conftest import NOW, settings_for
from tests.realsite import LANGUAGES, tree
from tests.realsite import search_bundles, without_search_bundles

ARTISAN = """---
name: {name}
crafts: [{crafts}]
location: {{district: {district}, province: Sindh}}
{extra}consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

{name} works at home with the family.
"""

PRODUCT = """---
title: {title}
{photo}price: {{amount: {price}, currency: PKR}}
listings:
  - {listing}
{extra}---

{title}, made by hand.
"""

ETSY = '{{marketplace: etsy, id: "{id}"}}'
DARAZ = "{{marketplace: daraz, url: \"https://www.daraz.pk/products/{id}.html\"}}"


def artisan(name: str, *, crafts: str = "ralli-quilting", district: str = "Thatta", extra: str = "") -> str:
    return ARTISAN.format(name=name, crafts=crafts, district=district, extra=extra)


def product(title: str, *, price: int = 5000, photo: str = "", listing: str = "", extra: str = "",
            number: int = 0) -> str:
    shown = f"photos:\n  - {{src: photos/{photo}, alt: {title} laid out on a charpai}}\n" if photo else ""
    return PRODUCT.format(title=title, photo=shown, price=price, extra=extra,
                          listing=listing or ETSY.format(id=f"{1234500 + number}"))


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def add_photo(root: Path, folder: str, name: str, colour: tuple[int, int, int] = (180, 40, 40)) -> None:
    photos = root / folder / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    (photos / name).write_bytes(jpeg(colour))


def run(root: Path, site: Path, cache: Path, *, jobs: int = 1, **changes: object) -> WriteReport:
    settings: Settings = settings_for(root / "mkdocs.yml", site_dir=site, cache_dir=cache, **changes)
    result = build_site(settings, now=NOW, writer=DiskWriter(site, cache / "state"), run_mkdocs=False, jobs=jobs)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    assert result.report is not None
    return result.report


# -- a catalog with featured, dated, undated, draft and consent-less products -----------

SHOWCASE = {
    "artisans/pk/thatta/amna/index.md": artisan("Amna"),
    "artisans/pk/thatta/amna/products/zari-quilt.md": product("Zari quilt", extra="featured: true\n", number=1),
    "artisans/pk/thatta/amna/products/blue-quilt.md": product("Blue quilt", extra="featured: true\n", number=2),
    "artisans/pk/thatta/amna/products/old-runner.md": product("Old runner", extra="added: 2024-01-05\n", number=3),
    "artisans/pk/thatta/amna/products/new-runner.md": product("New runner", extra="added: 2026-11-01\n", number=4),
    "artisans/pk/thatta/amna/products/mid-runner.md": product("Mid runner", extra="added: 2025-06-15\n", number=5),
    "artisans/pk/thatta/amna/products/plain-cushion.md": product("Plain cushion", number=6),
    "artisans/pk/thatta/amna/products/hidden-quilt.md": product(
        "Hidden quilt", extra="featured: true\nadded: 2026-11-20\ndraft: true\n", number=7),
    "artisans/pk/hyderabad/bilal/index.md": artisan("Bilal", crafts="sindhi-embroidery", district="Hyderabad"),
    "artisans/pk/hyderabad/bilal/products/mirror-shawl.md": product(
        "Mirror shawl", listing=DARAZ.format(id="mirror-shawl"), extra="added: 2026-02-01\n", number=8),
    # Never published: a draft artisan, and an artisan whose consent is not recorded.
    "artisans/pk/hyderabad/draft-weaver/index.md": artisan("Draft Weaver", district="Hyderabad",
                                                           extra="draft: true\n"),
    "artisans/pk/hyderabad/draft-weaver/products/secret-quilt.md": product(
        "Secret quilt", extra="featured: true\n", number=9),
    "artisans/pk/hyderabad/no-consent/index.md": artisan("No Consent", district="Hyderabad").replace(
        "consent: {given: 2025-03-01, recorded_by: volunteer-amna}\n", "draft: true\n"),
    "artisans/pk/hyderabad/no-consent/products/unsigned-quilt.md": product("Unsigned quilt", number=10),
}
PUBLISHED = {"Zari quilt", "Blue quilt", "Old runner", "New runner", "Mid runner", "Plain cushion", "Mirror shawl"}


@pytest.fixture
def showcase(make_site, tmp_path: Path) -> tuple[Path, Path, Path]:  # type: ignore[no-untyped-def]
    root = make_site(SHOWCASE)
    return root, tmp_path / "site", tmp_path / "cache"


def test_the_home_page_leads_with_featured_products_by_name_then_the_newest_by_added(showcase) -> None:  # type: ignore[no-untyped-def]
    root, site, cache = showcase
    run(root, site, cache, featured_limit=6)
    home = Page(read(site, "/"))
    # The products come before anything else the home page shows.
    assert home.sections[0] == "kg-showcase", home.sections
    titles = [c.title for c in home.products("kg-showcase")]
    # Featured by name; then dated, newest first; then undated; at most `featured_limit`;
    # a draft (even featured and newest) and a draft artisan's product never appear.
    assert titles == ["Blue quilt", "Zari quilt", "New runner", "Mirror shawl", "Mid runner", "Old runner"]
    run(root, site, cache, featured_limit=12)
    titles = [c.title for c in Page(read(site, "/")).products("kg-showcase")]
    assert titles == ["Blue quilt", "Zari quilt", "New runner", "Mirror shawl", "Mid runner", "Old runner",
                      "Plain cushion"]


def test_a_home_card_shows_photo_title_price_artisan_and_a_buy_link_named_for_the_product(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = "artisans/pk/thatta/amna"
    files = {f"{folder}/index.md": artisan("Amna")}
    for n in range(6):
        files[f"{folder}/products/quilt-{n}.md"] = product(f"Quilt {n}", photo=f"quilt-{n}.jpg", price=4200 + n,
                                                           number=n)
    root = make_site(files)
    for n in range(6):
        add_photo(root, folder, f"quilt-{n}.jpg")
    run(root, tmp_path / "site", tmp_path / "cache")
    html = read(tmp_path / "site", "/")
    cards = Page(html).products("kg-showcase")
    assert [c.title for c in cards] == [f"Quilt {n}" for n in range(6)]
    first = cards[0]
    assert first.url == f"/{folder}/quilt-0/" and first.heading == "h3"
    assert first.img["alt"] == "Quilt 0 laid out on a charpai"  # the contract's alt text
    assert first.price.strip() == "PKR\u00a04,200"
    assert first.artisan == "Amna"
    assert first.buy_url == "https://www.etsy.com/listing/1234500"
    assert first.buy_text.startswith("Buy on Etsy") and "Quilt 0" in first.buy_text  # the link names the product
    # The first row (up to four cards wide) is above the fold: eager, with its size; the very first
    # photo first of all.  Further down, photos load lazily.
    loading = [(c.img.get("loading"), c.img.get("fetchpriority")) for c in cards]
    assert loading == [(None, "high"), (None, None), (None, None), (None, None), ("lazy", None), ("lazy", None)]
    assert all(c.img.get("width") == "640" and c.img.get("height") == "480" for c in cards)
    # A list of products, each card's heading one level under the section's.
    section = html[html.index('<section class="kg-section kg-showcase"'):]
    section = section[:section.index("</section>")]
    assert re.search(r'<h2 id="kg-showcase">[^<]+</h2>\s*<ul class="kg-grid">\s*<li><article', section)
    assert section.count("<li><article class=\"kg-card kg-card--product\">") == 6


def test_the_all_products_listing_pages_every_published_product_exactly_once(showcase) -> None:  # type: ignore[no-untyped-def]
    root, site, cache = showcase
    run(root, site, cache, per_page=3)
    pages = all_pages(site, "/products/")
    # 7 products, about 3 a page: at least 2 on every page but a last one, at most 6 (karigar.catalog.paging).
    sizes = [len(page.products()) for page in pages]
    assert 2 <= len(pages) <= 4 and all(2 <= n <= 6 for n in sizes[:-1]) and 1 <= sizes[-1] <= 6, sizes
    listed = [c.title for page in pages for c in page.products()]
    assert sorted(listed) == sorted(PUBLISHED) and len(listed) == len(set(listed))
    assert listed == sorted(listed, key=str.casefold)  # by name, across pages
    for page in pages:
        assert all(c.price.strip().startswith("PKR") for c in page.products())
    # The pages link to each other, and the sitemap lists every one of them.  Page 1 tells the count
    # and links to the last page; a later page says only its number.
    n = len(pages)
    first = read(site, "/products/")
    assert f"Page 1 of {n}" in first and f'href="/products/page/{n}/"' in first and 'rel="prev"' not in first
    last = read(site, f"/products/page/{n}/")
    before = "/products/" if n == 2 else f"/products/page/{n - 1}/"
    assert f'href="{before}" rel="prev"' in last and f"Page {n}</p>" in last and 'rel="next"' not in last
    assert " of " not in last[last.index('class="kg-pagination__status"'):][:80]
    assert not (site / f"products/page/{n + 1}").exists()
    sitemap = "".join(p.read_text("utf-8") for p in (site / "sitemaps").rglob("*.xml"))
    for url in ["/products/", *(f"/products/page/{k}/" for k in range(2, n + 1))]:
        assert f"<loc>https://karigar.netlify.app{url}</loc>" in sitemap, url


def test_the_home_product_count_links_to_the_all_products_listing_and_equals_what_it_lists(showcase) -> None:  # type: ignore[no-untyped-def]
    root, site, cache = showcase
    run(root, site, cache, per_page=2)
    home = read(site, "/")
    count = re.search(r'<dt class="kg-stats__label"><a href="([^"]+)">Products</a></dt>\s*'
                      r'<dd class="kg-stats__value">([^<]+)</dd>', home)
    assert count, home
    assert count[1] == "/products/"
    listed = sum(len(page.products()) for page in all_pages(site, count[1]))
    assert int(count[2]) == listed == len(PUBLISHED)
    assert total_line(read(site, "/products/")) == f"{len(PUBLISHED)} products"
    assert 'href="/products/">All products</a>' in home


def test_each_craft_is_pictured_by_its_first_product_by_name_that_has_a_photo(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = "artisans/pk/thatta/amna"
    root = make_site({
        f"{folder}/index.md": artisan("Amna"),
        f"{folder}/products/a-quilt.md": product("A quilt without a photo", number=1),
        f"{folder}/products/b-quilt.md": product("B quilt", photo="b.jpg", number=2),
        f"{folder}/products/c-quilt.md": product("C quilt", photo="c.jpg", number=3),
        f"{folder}/products/bowl.md": product("Bowl", extra="crafts: [blue-pottery]\n", number=4),
    })
    add_photo(root, folder, "b.jpg")
    add_photo(root, folder, "c.jpg", (20, 60, 160))
    run(root, tmp_path / "site", tmp_path / "cache")
    crafts = {c.title: c for c in Page(read(tmp_path / "site", "/crafts/")).cards if c.kind == "craft"}
    assert crafts["Ralli quilting"].img["alt"] == "B quilt laid out on a charpai"
    assert crafts["Ralli quilting"].img["src"] == f"/{folder}/photos/b.jpg"
    assert crafts["Ralli quilting"].counts == "3 products, 1 artisan"
    # A product may name a craft its artisan does not list: that craft has a page and is counted
    # (the home page once counted only the artisans' crafts).  No product of it has a photo: a placeholder.
    assert crafts["Blue pottery"].img == {} and crafts["Blue pottery"].counts == "1 product"
    assert sorted(crafts) == ["Blue pottery", "Ralli quilting"]
    home = read(tmp_path / "site", "/")
    assert re.search(r'<a href="/crafts/">Crafts</a></dt>\s*<dd class="kg-stats__value">2</dd>', home)


def test_every_craft_on_the_sample_crafts_index_shows_a_photo_of_one_of_its_products(sample_site: Path) -> None:
    for lang in ("", "ur/"):
        crafts = [c for c in Page(read(sample_site, f"/{lang}crafts/")).cards if c.kind == "craft"]
        assert crafts
        for craft in crafts:
            photos = {c.img.get("src") for page in all_pages(sample_site, craft.url) for c in page.products()}
            if photos - {None}:
                assert craft.img.get("src") in photos, (lang, craft.title)
                assert craft.img.get("alt"), craft.title
            else:
                assert craft.img == {}, craft.title


@pytest.mark.parametrize("url", ["crafts/ajrak-block-printing/", "artisans/pk/thatta/", "marketplaces/etsy/"])
@pytest.mark.parametrize("lang", ["", "ur/", "hi/"])
def test_craft_district_and_marketplace_listings_show_product_cards_with_prices(sample_site: Path, url: str,
                                                                                lang: str) -> None:
    page = Page(read(sample_site, f"/{lang}{url}"))
    cards = page.products("kg-products")
    assert cards, (lang, url)
    assert all(c.price.strip() and c.title.strip() and c.url for c in cards), (lang, url)
    assert any(c.img.get("src") for c in cards)
    assert all(c.buy_url.startswith("https://") for c in cards)


def test_counts_agree_on_the_home_page_the_crafts_index_and_the_listings(sample_site: Path) -> None:
    for lang in ("", "ur/"):
        home = read(sample_site, f"/{lang}")
        # Artisans, products, crafts, districts: each with the link to what it counts.
        (artisans_url, artisans), (products_url, products), (crafts_url, crafts_count), (districts_url, districts) = [
            (url, int(n)) for url, n in
            re.findall(r'<a href="([^"]+)">[^<]+</a></dt>\s*<dd class="kg-stats__value">(\d+)</dd>', home)]
        assert (artisans_url, products_url, crafts_url, districts_url) == (
            f"/{lang}artisans/", f"/{lang}products/", f"/{lang}crafts/", f"/{lang}artisans/")
        assert products == sum(len(p.products()) for p in all_pages(sample_site, products_url))
        crafts = [c for c in Page(read(sample_site, crafts_url)).cards if c.kind == "craft"]
        assert crafts_count == len(crafts)
        regions = all_pages(sample_site, artisans_url)
        assert artisans == sum(len([c for c in p.cards if c.kind == "artisan"]) for p in regions)
        index = read(sample_site, artisans_url)
        assert districts == len(re.findall(r'<a class="kg-chip" href="/[^"]*artisans/[a-z]{2}/[^/"]+/"', index))
        # Each craft's counts are those of its listing; the crafts on the home page are the same crafts.
        home_crafts = re.findall(r'<a class="kg-chip" href="([^"]+)"', home[home.index('id="kg-crafts"'):])
        assert sorted(c.url for c in crafts) == sorted(home_crafts[:len(crafts)])
        for craft in crafts:
            pages = all_pages(sample_site, craft.url)
            products = sum(len(p.products()) for p in pages)
            # "3 products, 1 artisan", "3 مصنوعات، 1 کاریگر": the product count leads.
            assert leading_number(craft.counts) == products, craft.url
            assert leading_number(total_line(read(sample_site, craft.url))) == products, craft.url
        # A marketplace's count is its listing's.
        chips = re.findall(r'<a class="kg-chip" href="([^"]+)"><span class="kg-chip__label">[^<]+</span> '
                           r'<span class="kg-chip__count">(\d+)</span>', read(sample_site, f"/{lang}marketplaces/"))
        assert chips
        for url, count in chips:
            assert sum(len(p.products()) for p in all_pages(sample_site, url)) == int(count), url


def test_each_product_card_is_rendered_once_per_language_per_build(make_site, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted where a grid's card is rendered, in any process (forked render workers append to the same file)."""
    log = tmp_path / "renders.log"
    original = ProductCards.render

    def counting(self: ProductCards, card, loading):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{self.builder.lang} {card.url} {loading} {os.getpid()}\n")
        return original(self, card, loading)

    monkeypatch.setattr(ProductCards, "render", counting)
    root = make_site(SHOWCASE)
    for parallel in (False, True):
        log.write_text("", "utf-8")
        if parallel:
            monkeypatch.setattr(render_stage, "PARALLEL_RENDER_THRESHOLD", 1)
        out = tmp_path / f"site-{parallel}"
        run(root, out, tmp_path / f"cache-{parallel}", jobs=2 if parallel else 1, languages=LANGUAGES)
        lines = log.read_text("utf-8").splitlines()
        # Every card is made once, whichever process makes it: in parallel, the build's process and its
        # forked helpers share the cards out before the pages render, and the page renderers inherit
        # them, never making one again. Which process makes which card depends on scheduling (the
        # build's own process may take them all on a loaded machine), so only the serial build's is fixed.
        pids = {line.rsplit(" ", 1)[1] for line in lines}
        assert lines
        if not parallel:
            assert pids == {str(os.getpid())}, pids
        renders = Counter(line.rsplit(" ", 1)[0] for line in lines)
        assert max(renders.values()) == 1, renders.most_common(3)
        for lang in LANGUAGES:
            prefix = "" if lang == "en" else f"/{lang}"
            urls = {line.split()[1] for line in renders if line.startswith(f"{lang} ")}
            # Every published product has its card in every language, made once (in each way its photo
            # may load) and shown on many pages: the home page, all products, its craft's, its district's
            # and its marketplace's listings.
            assert len(urls) == len(PUBLISHED), (lang, urls)
            for url in urls:
                assert url.startswith(f"{prefix}/artisans/")
                shown = [p for p in (out / lang.replace("en", "")).rglob("index.html")
                         if f'<h3 class="kg-card__title"><a href="{url}"' in p.read_text("utf-8")]
                assert len(shown) >= 4, (url, shown)


def test_editing_one_product_re_renders_exactly_the_pages_that_show_it(showcase) -> None:  # type: ignore[no-untyped-def]
    root, site, cache = showcase
    run(root, site, cache, featured_limit=3)
    path = root / "artisans/pk/thatta/amna/products/mid-runner.md"
    path.write_text(path.read_text("utf-8").replace("amount: 5000", "amount: 5600"), "utf-8")
    report = run(root, site, cache, featured_limit=3)
    shows_it = [
        "artisans/pk/thatta/amna/mid-runner/index.html",  # its page
        "artisans/pk/thatta/amna/index.html",  # its artisan's grid
        "artisans/pk/thatta/index.html",  # its district's listing
        "crafts/ralli-quilting/index.html",  # its craft's listing
        "marketplaces/etsy/index.html",  # its marketplace's listing
        "products/index.html",  # every product
        # the feeds of new products, site-wide and of its craft (it is dated), in both formats
        *(f"feeds/{name}.{ext}" for name in ("products", "crafts/ralli-quilting/products") for ext in ("atom", "json")),
        # the content API: its document, the pages of the same lists (their items show prices), its revision
        "api/v1/artisans/pk/thatta/amna/mid-runner/index.json",
        *(f"api/v1/lists/{name}/index.json" for name in ("products", "crafts/ralli-quilting/products",
                                                          "districts/pk/thatta/products", "marketplaces/etsy/products")),
        "api/v1/ids/products/index.json",
    ]  # not the home page: with three cards it shows Blue quilt, Zari quilt and New runner
    assert sorted(report.rendered) == sorted(shows_it)
    # Each of them shows the new price, and so does the search record of the product (its bundle).
    assert sorted(without_search_bundles(report.written)) == sorted(shows_it)
    assert search_bundles(report.written) == ["pk-0"]
    assert "PKR\u00a05,600" in read(site, "/products/")

    # A product on the home page: the home page too.
    path = root / "artisans/pk/thatta/amna/products/new-runner.md"
    path.write_text(path.read_text("utf-8").replace("amount: 5000", "amount: 6100"), "utf-8")
    report = run(root, site, cache, featured_limit=3)
    assert sorted(report.rendered) == sorted(["index.html", *(p.replace("mid-runner", "new-runner")
                                                               for p in shows_it)])
    assert "PKR\u00a06,100" in read(site, "/")


def test_incremental_equals_clean_as_the_showcase_changes(showcase, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, site, cache = showcase
    run(root, site, cache, per_page=2, featured_limit=4)
    amna = root / "artisans/pk/thatta/amna"

    def edit(path: Path, old: str, new: str) -> Callable[[], None]:
        def step() -> None:
            text = path.read_text("utf-8")
            assert old in text, (path, old)
            path.write_text(text.replace(old, new, 1), "utf-8")
        return step

    def add_photographed_product() -> None:
        add_photo(root, "artisans/pk/thatta/amna", "aa.jpg")
        (amna / "products/aa-quilt.md").write_text(product("Aa quilt", photo="aa.jpg", number=11), "utf-8")

    steps: list[tuple[str, Callable[[], None]]] = [
        ("feature a product", edit(amna / "products/plain-cushion.md", "listings:", "featured: true\nlistings:")),
        ("date a product newest", edit(amna / "products/old-runner.md", "2024-01-05", "2026-11-24")),
        ("add a product with a photo", add_photographed_product),
        ("retitle it out of first place", edit(amna / "products/aa-quilt.md", "title: Aa quilt", "title: Zz quilt")),
        ("unfeature a product", edit(amna / "products/zari-quilt.md", "featured: true\n", "")),
        ("delete a product", lambda: (amna / "products/blue-quilt.md").unlink()),
        ("draft a product", edit(amna / "products/new-runner.md", "added:", "draft: true\nadded:")),
    ]
    for label, step in steps:
        step()
        run(root, site, cache, per_page=2, featured_limit=4)
        fresh, fresh_cache = tmp_path / "clean", tmp_path / "clean-cache"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(fresh_cache, ignore_errors=True)
        run(root, fresh, fresh_cache, per_page=2, featured_limit=4)
        assert tree(site) == tree(fresh), label
    titles = [c.title for c in Page(read(site, "/")).products("kg-showcase")]
    assert titles == ["Plain cushion", "Old runner", "Mirror shawl", "Mid runner"]


def test_an_added_date_in_the_future_is_a_located_error(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "artisans/pk/thatta/amna/index.md": artisan("Amna"),
        "artisans/pk/thatta/amna/products/quilt.md": product("Quilt", extra="added: 2027-01-01\n"),
    })
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    result = build_site(settings, now=NOW, writer=DiskWriter(tmp_path / "site", tmp_path / "cache" / "state"),
                        run_mkdocs=False, jobs=1)
    errors = [format_text(d) for d in result.check.diagnostics if d.is_error]
    assert errors == [
        ("artisans/pk/thatta/amna/products/quilt.md:6:8: error: `added` is 2027-01-01, which is in the future "
         "(the build's date is 2026-11-25)\n  hint: dates of things that happened cannot be later than today")]
    assert not (tmp_path / "site").exists()  # nothing is published
