"""Listing pages cut by their entries (karigar.catalog.paging): what a buyer and a deploy notice.

A buyer: every entry is on exactly one page, in the listing's order, and
pages hold about ``per_page`` entries (never more than twice that).  A
deploy: adding one artisan rewrites the few pages its entries land on, not
every page after them, as fixed-size pages did.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from statistics import mean, median

from hypothesis import given
from hypothesis import strategies as st

from karigar.catalog.paging import Paging, page_starts
from karigar.commands.demo import run_demo
from tests.conftest import REPO
from tests.realsite import tree
from tests.test_showcase import run


def _pages(keys: list[str], per_page: int) -> list[list[str]]:
    starts = page_starts(keys, per_page)
    return [keys[start:stop] for start, stop in zip(starts, (*starts[1:], len(keys)))]


@given(st.lists(st.text(min_size=1, max_size=12), max_size=400), st.integers(min_value=1, max_value=60))
def test_every_entry_is_on_exactly_one_page_in_order_and_pages_stay_near_per_page(keys: list[str],
                                                                                  per_page: int) -> None:
    pages = _pages(keys, per_page)
    assert [key for page in pages for key in page] == keys
    if len(keys) <= per_page:
        assert len(pages) == 1  # a short list is one page, as it always was
        return
    least = -(-per_page // 2)
    assert all(least <= len(page) <= 2 * per_page for page in pages[:-1]), [len(p) for p in pages]
    assert 1 <= len(pages[-1]) <= 2 * per_page


def _names(count: int, salt: str) -> list[str]:
    return [f"artisans/pk/district/{hashlib.sha256(f'{salt}{n}'.encode()).hexdigest()[:10]}/index.md"
            for n in range(count)]


def _changed_pages(before: list[list[str]], after: list[list[str]]) -> int:
    """Page numbers whose entries differ (a page that appears or disappears counts too)."""
    return sum(1 for n in range(max(len(before), len(after)))
               if (before[n] if n < len(before) else None) != (after[n] if n < len(after) else None))


def test_adding_one_entry_changes_the_page_it_lands_on_not_every_page_after_it() -> None:
    listing = sorted(_names(5000, "catalog"))
    before = _pages(listing, 50)
    changed = []
    for added in _names(300, "new"):
        after = _pages(sorted([*listing, added]), 50)
        changed.append(_changed_pages(before, after))
    # Pages of a fixed 50 would change from the insertion point on: about half of 100 pages on
    # average.  Cut by their entries, most additions change one page; the few that are a cut
    # themselves (about one in 26) shift the pages after them as before.
    assert len(before) >= 80 and abs(5000 / len(before) - 50) < 5, len(before)
    assert median(changed) == 1 and sum(1 for c in changed if c <= 2) >= 0.85 * len(changed), sorted(changed)
    assert mean(changed) < 0.12 * len(before), mean(changed)


def test_lists_paged_side_by_side_have_the_longer_ones_page_count() -> None:
    products, artisans = _names(400, "p"), _names(30, "a")
    paging = Paging((page_starts(products, 20), page_starts(artisans, 20)), (400, 30))
    assert paging.pages == len(page_starts(products, 20)) > len(page_starts(artisans, 20))
    shown = [paging.bounds(1, n) for n in range(1, paging.pages + 1)]
    assert shown[0][0] == 0 and shown[-1] == (30, 30)  # the artisans' pages run out first: empty after
    assert sum(stop - start for start, stop in shown) == 30


def test_an_added_artisan_rewrites_only_the_listing_pages_it_lands_on(tmp_path: Path) -> None:
    """A demo catalog in three languages; one artisan (and its products) copied in, as a pull request adds one."""
    site = tmp_path / "demo"
    assert run_demo(site_root=REPO, dest=site, artisans=150, seed=3, photos=False, force=False,
                    out=io.StringIO()) == 0
    out, cache = tmp_path / "site", tmp_path / "cache"
    run(site, out, cache, per_page=6, languages=("en", "ur", "hi"))
    published = [p.parent for p in sorted((site / "artisans").glob("*/*/*/index.md"))
                 if "draft: true" not in p.read_text("utf-8") and (p.parent / "products").is_dir()]
    source = published[len(published) // 3]
    copy = source.with_name(source.name + "-2")
    shutil.copytree(source, copy)
    report = run(site, out, cache, per_page=6, languages=("en", "ur", "hi"))
    assert copy.relative_to(site).as_posix() + "/index.html" in report.rendered
    listings = [p for p in report.rendered if p.startswith(("products/", "ur/products/", "hi/products/"))]
    pages = len(list((out / "products" / "page").iterdir())) + 1
    # Its products (a handful) land on a handful of the all-products listing's pages, in each language:
    # never the whole listing.
    assert pages >= 20 and 0 < len(listings) <= 3 * 8, (pages, sorted(listings))
    # And the site is the one a clean build makes.
    clean = tmp_path / "clean"
    run(site, clean, tmp_path / "clean-cache", per_page=6, languages=("en", "ur", "hi"))
    assert tree(out) == tree(clean)
