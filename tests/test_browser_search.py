"""Search as a buyer meets it, in real Chromium over the built sample with its real headers (CSP included).

English on a desktop: a query typed in the header's box, filters by craft and country whose counts change,
the state in the URL (a reload and the back button restore it), a result opened in the same language.
Urdu on a 360 px phone: the header's button, an Urdu query, right-to-left results leading to Urdu pages.
Without script the page leads to the listings.  axe on the search page with its results and facets.
Every wait is for a state the page reaches (``data-kg-state``, selectors), never for a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.test_browser_csp import Browser, chromium_instance, open_site

__all__ = ["chromium_instance"]

pytestmark = pytest.mark.browser

DONE = "[data-kg-search][data-kg-state=done]"


@pytest.fixture(scope="module")
def site(chromium_instance: Any, sample_site: Path) -> Iterator[Browser]:
    with open_site(chromium_instance, sample_site) as browser:
        yield browser


def wait_for_search(page: Any) -> None:
    """Wait until the page's last search (results and facet counts) is shown."""
    page.wait_for_selector(DONE, state="attached")


def result_count(page: Any) -> int:
    return page.locator(".kg-search__result").count() + 0


def status_number(page: Any) -> int:
    digits = "".join(ch for ch in page.inner_text("[data-kg-status]") if ch.isdigit())
    return int(digits) if digits else 0


def facet_counts(page: Any, facet: str) -> dict[str, int]:
    found = {}
    for box in page.locator(f"input[name={facet}]").all():
        label = page.locator(f"label[for='{box.get_attribute('id')}'] .kg-search__count")
        # (text_content: a value under a closed "More filters" is not rendered, but it is counted.)
        found[box.get_attribute("value") or ""] = int("".join(ch for ch in label.text_content() or "" if ch.isdigit()))
    return found


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def test_an_english_query_from_the_header_filters_by_craft_and_country_and_keeps_its_state_in_the_url(
        site: Browser) -> None:
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit("/")
    page.fill("#kg-header-q", "shawl")
    page.press("#kg-header-q", "Enter")
    page.wait_for_url("**/search/?q=shawl")
    wait_for_search(page)
    everything = status_number(page)
    assert everything >= 5 and result_count(page) == min(everything, 20)
    # The facets' counts are loaded when the reader asks for them (every bundle's filter chunks).
    assert page.is_hidden("[data-kg-facets]")
    page.click("[data-kg-show-filters]")
    wait_for_search(page)
    assert page.evaluate("document.activeElement.name") == "type", "the keyboard is on the first filter"
    crafts = facet_counts(page, "craft")
    countries = facet_counts(page, "country")
    assert set(countries) == {"pk", "in"} and sum(countries.values()) <= everything
    craft = max(crafts, key=lambda key: crafts[key])
    page.check(f"input[name=craft][value='{craft}']")
    wait_for_search(page)
    assert status_number(page) == crafts[craft] < everything, "the craft's count is what choosing it shows"
    narrowed = facet_counts(page, "country")
    # (A training resource of the craft has no country: the countries count its artisans and products.)
    assert narrowed != countries and 0 < sum(narrowed.values()) <= crafts[craft], "the country counts follow the craft"
    country = max(narrowed, key=lambda key: narrowed[key])
    page.check(f"input[name=country][value='{country}']")
    wait_for_search(page)
    assert status_number(page) == narrowed[country]
    assert page.locator("input[name=district]").count() > 0, "districts are offered once a country is chosen"
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["shawl"], "craft": [craft], "country": [country]}
    shown = status_number(page)
    # The URL restores the same state, in a new page load ...
    site.visit(urlsplit(page.url).path + "?" + urlsplit(page.url).query)
    wait_for_search(page)
    assert page.input_value("#kg-search-q") == "shawl"
    assert page.is_checked(f"input[name=craft][value='{craft}']")
    assert page.is_checked(f"input[name=country][value='{country}']")
    assert status_number(page) == shown
    # ... and the back button returns to the search before the last filter.
    page.uncheck(f"input[name=country][value='{country}']")
    wait_for_search(page)
    page.go_back()
    wait_for_search(page)
    assert page.is_checked(f"input[name=country][value='{country}']") and status_number(page) == shown
    # A result opens its page in English.
    first = page.locator(".kg-search__result a").first
    href = first.get_attribute("href") or ""
    assert href.startswith("/") and not href.startswith(("/ur/", "/hi/"))
    first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert site.finish().problems() == []


def test_filters_alone_list_the_catalog_and_axe_finds_nothing_on_the_search_ui(site: Browser) -> None:
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit("/search/?type=product&country=pk")
    wait_for_search(page)
    assert status_number(page) >= 10
    assert page.is_checked("input[name=type][value=product]") and page.is_checked("input[name=country][value=pk]")
    assert all("/artisans/pk/" in (a.get_attribute("href") or "") for a in page.locator(".kg-search__result a").all())
    assert page.is_hidden("[data-kg-browse]") and page.is_visible("[data-kg-clear]")
    page.locator("[data-kg-more]").click() if page.is_visible("[data-kg-more]") else None
    assert axe_violations(page) == []
    page.click("[data-kg-clear]")
    wait_for_search(page)
    assert urlsplit(page.url).query == "" and page.locator("input[name=type]:checked").count() == 0
    assert site.finish().problems() == []


def test_an_urdu_reader_on_a_phone_searches_in_urdu_and_opens_urdu_pages(site: Browser) -> None:
    page = site.page
    page.set_viewport_size({"width": 360, "height": 740})
    site.visit("/ur/")
    assert page.is_hidden("#kg-header-q"), "a phone's header shows the search button alone"
    page.click(".kg-header-search button")
    page.wait_for_url("**/ur/search/**")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.fill("#kg-search-q", "اجرک")
    page.press("#kg-search-q", "Enter")
    wait_for_search(page)
    assert status_number(page) >= 1
    page.click("[data-kg-show-filters]")
    wait_for_search(page)
    links = [a.get_attribute("href") or "" for a in page.locator(".kg-search__result a").all()]
    assert links and all(link.startswith("/ur/artisans/pk/thatta/") for link in links), links
    labels = page.locator(".kg-search__facet legend").all_inner_texts()
    assert "ملک" in labels and "قسم" in labels, labels  # the facets speak Urdu
    assert page.locator("input[name=country][value=pk] + label").inner_text().startswith("پاکستان")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing wider than the phone"
    assert axe_violations(page) == []
    page.locator(".kg-search__result a").first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert site.finish().problems() == []


def test_the_slash_key_goes_to_the_search_box(site: Browser) -> None:
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit("/crafts/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kg-header-q"


def test_without_script_the_search_page_leads_to_the_listings(chromium_instance: Any, sample_site: Path) -> None:
    from tests.browser import serve_folder

    with serve_folder(sample_site, netlify_headers=True) as base:
        context = chromium_instance.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(base + "/search/?q=ajrak")
            assert page.is_visible("[data-kg-browse]") and page.is_hidden("[data-kg-search-body]")
            hrefs = [a.get_attribute("href") for a in page.locator("[data-kg-browse] a").all()]
            assert "/products/" in hrefs and "/artisans/" in hrefs
            # The header's form sends a query to the search page without any script.
            page.goto(base + "/about/")
            page.fill("#kg-header-q", "pottery")
            page.press("#kg-header-q", "Enter")
            page.wait_for_url("**/search/?q=pottery")
        finally:
            context.close()


def shown_keys(page: Any, records: dict[str, dict[str, str]], key: str) -> list[str]:
    """The sort values (from the build's records) of the results the page shows, in its order."""
    hrefs = [a.get_attribute("href") or "" for a in page.locator(".kg-search__result a").all()]
    return [records[href.lstrip("/")][key] for href in hrefs]


@pytest.fixture(scope="module")
def records_by_url(sample_site: Path) -> dict[str, dict[str, str]]:
    from tests.test_search import meta, stored_records

    return {meta(record)["url"]: meta(record) for _bundle, record in stored_records(sample_site.parent / "cache").values()}


@pytest.mark.parametrize(("sort", "key", "descending"), [("newest", "s_added", True), ("price", "s_price", False),
                                                         ("-price", "s_price", True), ("name", "s_name", False)])
def test_a_sorted_search_is_in_order_across_every_bundle(site: Browser, records_by_url: dict[str, dict[str, str]],
                                                         sort: str, key: str, descending: bool) -> None:
    """Pagefind sorts each bundle; the page merges them: the order holds over Pakistan's and India's records."""
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit(f"/search/?type=product&sort={sort}")
    wait_for_search(page)
    while page.is_visible("[data-kg-more]"):  # every product: the merge continues page after page
        before = result_count(page)
        page.click("[data-kg-more]")
        page.locator(".kg-search__result").nth(before).wait_for(state="attached")  # the list grew
    keys = shown_keys(page, records_by_url, key)
    products = [m for m in records_by_url.values() if key in m and m["url"].count("/") == 5]
    assert len(keys) == len(products) == status_number(page) >= 30, "every product with the key, once"
    assert keys == sorted(keys, reverse=descending)
    hrefs = [a.get_attribute("href") or "" for a in page.locator(".kg-search__result a").all()]
    assert {h.split("/")[2] for h in hrefs} == {"pk", "in"}, "both countries' bundles are in the one order"
    assert page.input_value("[data-kg-sort]") == sort
    assert site.finish().problems() == []


def test_a_listing_leads_to_its_entries_on_the_search_page_to_sort_and_narrow_them(site: Browser,
                                                                                  sample_site: Path) -> None:
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit("/crafts/ralli-quilting/")
    total = page.inner_text(".kg-total")
    page.click(".kg-refine a")
    page.wait_for_url("**/search/?craft=ralli-quilting")
    wait_for_search(page)
    products = facet_counts(page, "type")["product"]
    assert str(products) in total, (products, total)  # the listing's own count
    # A craft within a region: the district facet once a country is chosen.
    page.check("input[name=country][value=pk]")
    wait_for_search(page)
    districts = facet_counts(page, "district")
    assert districts and all(key.startswith("pk/") for key in districts)
    page.select_option("[data-kg-sort]", "newest")
    wait_for_search(page)
    assert parse_qs(urlsplit(page.url).query) == {"craft": ["ralli-quilting"], "country": ["pk"], "sort": ["newest"]}
    assert site.finish().problems() == []


def test_an_urdu_query_typed_in_the_header_on_a_desktop_finds_urdu_text(site: Browser) -> None:
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit("/ur/crafts/")
    page.fill("#kg-header-q", "اجرک")
    page.press("#kg-header-q", "Enter")
    page.wait_for_url("**/ur/search/?q=*")
    wait_for_search(page)
    assert page.input_value("#kg-search-q") == "اجرک" and status_number(page) >= 1
    assert page.inner_text("[data-kg-status]").startswith("نتائج")
    links = [a.get_attribute("href") or "" for a in page.locator(".kg-search__result a").all()]
    assert links and all(link.startswith("/ur/") for link in links)
    assert site.finish().problems() == []
