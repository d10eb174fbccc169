"""Quick builds of new artisans: a pull request that adds an artisan renders what the addition changes.

A volunteer's commonest pull request after an edit adds an artisan folder
(karigar.incremental.additions).  Each test starts from the full build of
part of the sample site (three languages, two cards a listing page, one
featured artisan and product on the home page) committed to Git, adds
artisans as a volunteer would, and checks what a visitor would notice:
every page reads as a clean build of the new tree renders it, and the
build rendered exactly the pages the full path re-renders for the same
addition (its new pages, the listing pages it lands on, the counts).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from karigar.catalog import paging
from karigar.cli import main
from karigar.pipeline import BuildResult, build_to_disk
from karigar.render.sitemaps import group_pages_prefixes
from karigar.incremental.uptodate import stamp_file
from karigar.write.published import PublishedStore
from tests.conftest import NOW
from tests.realsite import differences, search_bundles, tree, without_search_bundles
from tests.test_quick_build import (
    TABLE_COVER, build, checkout, clean_tree, full_incremental, git, origin, replace_in, settings_of,
)

__all__ = ["origin"]  # the module's fixture: part of the sample site in Git, built once

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

THATTA = "artisans/pk/thatta"
Addition = Callable[[Path], None]
MARKET_URLS = {"etsy": "https://www.etsy.com/listing/1587200", "daraz": "https://www.daraz.pk/products/cap-i2118563"}


def artisan(root: Path, slug: str, name: str, *, crafts: str = "ralli-quilting", featured: bool = False,
            district: str = "Thatta", province: str = "Sindh", folder: str = THATTA, extra: str = "") -> Path:
    """A new artisan folder as a volunteer writes one: consent recorded, no photo of its own yet."""
    path = root / folder / slug
    (path / "products").mkdir(parents=True)
    (path / "index.md").write_text(
        f"---\nname: {name}\nkind: person\ncrafts: [{crafts}]\nlocation:\n  district: {district}\n"
        f"  province: {province}\nconsent:\n  given: 2025-10-01\n  recorded_by: volunteer-meera-p\n"
        f"{'featured: true' + chr(10) if featured else ''}{extra}---\n\n{name} makes quilts at home.\n", "utf-8")
    return path


def product(folder: Path, slug: str, title: str, *, added: str = "", crafts: str = "",
            market: str = "etsy", featured: bool = False) -> None:
    (folder / "products" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\nprice:\n  amount: 5400\n  currency: PKR\n"
        f"{f'added: {added}' + chr(10) if added else ''}{f'crafts: [{crafts}]' + chr(10) if crafts else ''}"
        f"{'featured: true' + chr(10) if featured else ''}"
        f"listings:\n  - marketplace: {market}\n    url: {MARKET_URLS[market]}{len(slug)}.html\n---\n\n"
        f"A {title.lower()}, stitched by hand.\n", "utf-8")


def one_artisan(root: Path) -> None:
    """An artisan whose name sorts between others, two products, one translated into Urdu."""
    folder = artisan(root, "meher-un-nisa", "Meher un Nisa")
    product(folder, "ralli-cushion-cover", "Ralli cushion cover")
    product(folder, "patchwork-ralli-quilt", "Patchwork ralli quilt")
    (folder / "products" / "ralli-cushion-cover.ur.md").write_text(
        "---\ntitle: رلی کشن کور\n---\n\nہاتھ سے سلا ہوا کشن کور۔\n", "utf-8")


def on_the_home_page(root: Path) -> None:
    """A featured artisan whose product is featured too: the home page's picks change."""
    folder = artisan(root, "aamna-jokhio", "Aamna Jokhio", featured=True)
    product(folder, "ajrak-stole", "Ajrak stole", featured=True, crafts="ajrak-block-printing")


def a_new_craft_and_marketplace(root: Path) -> None:
    """A product of a craft no artisan of the site has yet, newest of all, sold on another marketplace."""
    folder = artisan(root, "gul-bano", "Gul Bano")
    product(folder, "sindhi-embroidered-cap", "Sindhi embroidered cap", crafts="sindhi-embroidery",
            added="2026-11-20", market="daraz")


def two_artisans(root: Path) -> None:
    one_artisan(root)
    folder = artisan(root, "zeenat-mallah", "Zeenat Mallah", folder="artisans/pk/multan", district="Multan",
                     province="Punjab", crafts="blue-pottery")
    product(folder, "blue-pottery-vase", "Blue pottery vase")


@pytest.mark.parametrize("add", [one_artisan, on_the_home_page, a_new_craft_and_marketplace, two_artisans],
                         ids=["one artisan", "on the home page", "a new craft, newest, another marketplace",
                              "two artisans in two districts"])
def test_new_artisans_render_what_they_change_and_the_site_a_clean_build_makes(
        origin: Path, tmp_path: Path, add: Addition) -> None:
    root, twin = checkout(origin, tmp_path / "root"), checkout(origin, tmp_path / "twin")
    add(root)
    add(twin)

    quick = build(root)
    assert quick.quick is not None, "the addition took the full path"
    full = full_incremental(twin)
    assert quick.report is not None and full.report is not None
    # Exactly the pages the full path re-renders (it also re-renders _headers, from MkDocs' pages).
    assert sorted(without_search_bundles(quick.report.rendered)) == sorted(
        p for p in without_search_bundles(full.report.rendered) if p != "_headers")
    # The new artisans' records are indexed into their country's bundle, the same on both paths.
    assert search_bundles(quick.report.written) == search_bundles(full.report.written) != []
    assert any(p.startswith("ur/") for p in quick.report.rendered)
    # The sitemaps follow the URL tree: only those of the districts (and listings) that gained a page
    # are made again, and the index lists the same files (no district is new).
    districts = {p.split("/")[2] for p in quick.report.rendered if p.startswith("artisans/pk/") and p.count("/") > 3}
    remade = {p.split("/")[3] for p in quick.report.rendered if p.startswith("sitemaps/artisans/pk/")}
    assert remade and remade <= districts and "sitemap.xml" not in quick.report.rendered
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []
    # What it left for the next build is what a full build leaves: a full build after it renders nothing new...
    stamp_file(settings_of(root)).unlink()
    assert full_incremental(checkout(root, tmp_path / "after")).report.rendered == ["_headers"]  # type: ignore[union-attr]
    # ... and the next pull request (an edit of the new artisan's product) is quick and right too.
    folder = next((root / "artisans").glob("*/*/*/products/ralli-cushion-cover.md"), None)
    if folder is not None:
        replace_in(folder, "amount: 5400", "amount: 5600")
        with pytest.MonkeyPatch.context() as patch:
            # The lists the addition grew were cut by it; that paging was kept for the next build.
            patch.setattr(paging, "_is_cut", lambda key, one_in: pytest.fail("a listing was cut again"))
            again = build(root)
        assert again.quick == 1
        assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean-again")) == []


def test_a_fresh_clone_adds_an_artisan_quickly(origin: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    for folder in ("site", ".karigar-cache"):  # Netlify's cache plugin restores these into the new checkout
        shutil.copytree(origin / folder, clone / folder)
    one_artisan(clone)
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Meher un Nisa")
    # `karigar build`, as Netlify runs it: its report says what the quick build did.  It reads the rows
    # of the published state its pages and sitemaps need, never all of them (a million at 50,000 artisans).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PublishedStore, "all", lambda self: pytest.fail("a quick addition read every published row"))
        assert main(["build", "-f", str(clone / "mkdocs.yml"), "--now", NOW.isoformat()]) == 0
    # The artisan and its two products (one with its translation merged).
    assert "quick build: 3 entries added in 1 new artisan folder\n" in capsys.readouterr().out
    assert (clone / "site/ur/artisans/pk/thatta/meher-un-nisa/ralli-cushion-cover/index.html").read_text(
        "utf-8").count("رلی کشن کور") >= 2  # its title, in the page's heading and head
    assert differences(tree(clone / "site"), clean_tree(clone, tmp_path / "clean")) == []


def new_district(root: Path) -> None:
    folder = artisan(root, "sassi-lashari", "Sassi Lashari", folder="artisans/pk/badin", district="Badin")
    product(folder, "ralli-runner", "Ralli runner")


def with_a_photo(root: Path) -> None:
    folder = artisan(root, "meher-un-nisa", "Meher un Nisa",
                     extra="photo:\n  src: photos/portrait.jpg\n  alt: Meher un Nisa at her frame\n")
    (folder / "photos").mkdir()
    shutil.copy(next((root / THATTA).glob("*/photos/portrait.jpg")), folder / "photos" / "portrait.jpg")
    product(folder, "ralli-runner", "Ralli runner")


def slug_taken(root: Path) -> None:
    folder = artisan(root, "shazia-bibi", "Shazia Bibi", folder="artisans/pk/multan", district="Multan",
                     province="Punjab")
    product(folder, "ralli-runner", "Ralli runner")


def with_an_edit(root: Path) -> None:
    one_artisan(root)
    replace_in(root / TABLE_COVER, "amount: 2100", "amount: 2250")


def a_draft(root: Path) -> None:
    artisan(root, "meher-un-nisa", "Meher un Nisa", extra="draft: true\n")


def broken(root: Path) -> None:
    folder = artisan(root, "meher-un-nisa", "Meher un Nisa")
    product(folder, "ralli-runner", "Ralli runner")
    replace_in(folder / "products" / "ralli-runner.md", "amount: 5400", "amount: plenty")


@pytest.mark.parametrize("add", [new_district, with_a_photo, slug_taken, with_an_edit, a_draft, broken])
def test_an_addition_a_quick_build_cannot_prove_takes_the_full_path(origin: Path, tmp_path: Path,
                                                                     add: Addition) -> None:
    root = checkout(origin, tmp_path / "root")
    add(root)
    result = build_to_disk(settings_of(root), now=NOW, jobs=1)
    assert isinstance(result, BuildResult) and result.quick is None
    if add in (slug_taken, broken):
        # Every error, located, as the full path reports it; the site is left as it was.
        assert not result.ok and any(d.is_error and d.location.path.startswith("artisans/pk/")
                                     for d in result.check.diagnostics)
        assert tree(root / "site") == tree(origin / "site")
        return
    assert result.ok
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


def test_a_new_artisan_where_a_content_page_already_is_gets_the_full_paths_located_error(
        origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "root")
    page = root / "content" / "artisans" / "pk" / "thatta" / "meher-un-nisa.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Meher un Nisa\n\nA page about a quilter, written before her entry.\n", "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "A page")
    assert build(root).quick is None  # content changed: a full build, which publishes the page
    before = tree(root / "site")
    one_artisan(root)
    result = build_to_disk(settings_of(root), now=NOW, jobs=1)
    assert isinstance(result, BuildResult) and result.quick is None and not result.ok
    assert any(d.is_error and "already made by" in d.message for d in result.check.diagnostics)
    assert tree(root / "site") == before


def test_the_published_state_is_read_by_the_places_a_sitemap_group_holds(tmp_path: Path) -> None:
    store = PublishedStore(tmp_path / "published.sqlite", "site")
    paths = ["index.html", "ur/index.html", "page/2/index.html", "artisans/pk/lahore/index.html",
             "artisans/pk/lahore/a-1/index.html", "ur/artisans/pk/lahore/a-1/quilt/index.html",
             "artisans/pk/lahore-east/index.html", "artisans/pk/lahorf/index.html", "artisans/pk/index.html",
             "artisans-guide/index.html", "artisans-guide/selling/index.html",
             "sitemaps/artisans/pk/lahore/sitemap-1.xml", "sitemap.xml"]
    store.commit(changed={path: ("d", f"s-{path}") for path in paths}, gone=(), whole=True, count=len(paths))
    lahore = store.under(group_pages_prefixes("artisans/pk/lahore", ("en", "ur")))
    assert lahore is not None and sorted(lahore) == [
        "artisans/pk/lahore/a-1/index.html", "artisans/pk/lahore/index.html",
        "ur/artisans/pk/lahore/a-1/quilt/index.html"]
    assert lahore["artisans/pk/lahore/index.html"] == "s-artisans/pk/lahore/index.html"
    home = store.under(group_pages_prefixes("", ("en", "ur")))
    assert home is not None and sorted(home) == ["index.html", "page/2/index.html", "ur/index.html"]
    # A section whose name starts like ``artisans`` is a section: every page below it is its own.
    guide = store.under(group_pages_prefixes("artisans-guide", ("en", "ur")))
    assert guide is not None and sorted(guide) == ["artisans-guide/index.html", "artisans-guide/selling/index.html"]
    assert store.under([("sitemaps/", True)]) == {
        "sitemaps/artisans/pk/lahore/sitemap-1.xml": "s-sitemaps/artisans/pk/lahore/sitemap-1.xml"}
