"""Search records and bundles as a build makes them: one record per published entry, nothing a page does not
show, bundles cut by construction, indexed again only when their records change, and a Pagefind failure that
leaves the site as it was.  (What a reader finds with them, in Chromium: tests/test_browser_search.py.)"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import zlib
from pathlib import Path

import pytest

from karigar.diagnostics import format_text
from karigar.pagefind import records_signature
from karigar.render import search as search_stage
from karigar.render.search_records import EVERY_RECORD
from tests.conftest import REPO, build, settings_for
from tests.realsite import differences, search_bundles, tree
from tests.test_quick_build import build as build_tree
from tests.test_quick_build import checkout, clean_tree, origin, replace_in

__all__ = ["origin"]  # test_quick_build's fixture: part of the sample site in Git, built once

_TEXT = re.compile(r"<p>(.*?)</p>")
_META = re.compile(r'<span data-pagefind-meta="([a-z_]+)">(.*?)</span>')
_FILTER = re.compile(r'<span data-pagefind-filter="([a-z]+)">(.*?)</span>')


def stored_records(cache: Path) -> dict[str, tuple[str, str]]:
    """key -> (bundle, record HTML) from a build's record store."""
    db = sqlite3.connect(cache / "search.sqlite")
    try:
        return {key: (bundle, zlib.decompress(data).decode()) for key, bundle, data in
                db.execute("SELECT key, bundle, html FROM records")}
    finally:
        db.close()


def meta(record: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _META.findall(record)}


def filters(record: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in _FILTER.findall(record)]


@pytest.fixture(scope="module")
def sample_records(sample_site: Path) -> dict[str, tuple[str, str]]:
    return stored_records(sample_site.parent / "cache")


def test_every_published_entry_has_one_record_whose_url_is_its_page(sample_site: Path,
                                                                    sample_records: dict[str, tuple[str, str]]) -> None:
    artisan_pages = {p.parent.relative_to(sample_site).as_posix() + "/"
                     for p in sample_site.glob("artisans/*/*/*/index.html") if "/page/" not in p.as_posix()}
    product_pages = {p.parent.relative_to(sample_site).as_posix() + "/"
                     for p in sample_site.glob("artisans/*/*/*/*/index.html") if "/page/" not in p.as_posix()}
    training_pages = {p.parent.relative_to(sample_site).as_posix() + "/" for p in sample_site.glob("training/*/index.html")}
    urls: dict[str, list[str]] = {}
    for key, (_bundle, record) in sample_records.items():
        urls.setdefault(meta(record)["url"], []).append(key)
    assert len(artisan_pages) >= 10 and len(product_pages) >= 30 and training_pages
    assert set(urls) == artisan_pages | product_pages | training_pages
    assert all(len(keys) == 1 for keys in urls.values()), "one record per entry, every language inside"
    # Drafts have no page and no record.
    assert not any("abdul-wahid-onyx-works" in key or "kashi-tile-panel" in key for key in sample_records)


def test_a_record_holds_only_what_the_entrys_own_pages_show(sample_site: Path,
                                                           sample_records: dict[str, tuple[str, str]]) -> None:
    """Records are made from the cards and summaries of the pages: every text a record indexes or shows is
    on one of the entry's pages (in some language), so nothing private or unpublished can reach an index."""
    checked = 0
    for _key, (_bundle, record) in sample_records.items():
        url = meta(record)["url"]
        pages = [sample_site / prefix / url / "index.html" for prefix in ("", "ur", "hi")]
        shown = html.unescape(" ".join(p.read_text("utf-8") for p in pages if p.is_file()))
        shown = re.sub(r"<[^>]+>", "", shown)
        shown = " ".join(shown.split())
        texts = [html.unescape(t) for t in _TEXT.findall(record) if t != EVERY_RECORD] + [v for n, v in meta(record).items()
                                                                       if n.startswith(("title", "line"))]
        for text in texts:
            # A line joins what the page shows apart (a place, a price, a list of crafts).
            for part in re.split(r" · |, |، ", text.removesuffix("…")):
                assert " ".join(part.split()) in shown, (url, part)
                checked += 1
    assert checked > 200


def test_records_carry_the_facets_as_keys_and_each_artisan_stays_in_its_countrys_bundle(
        sample_records: dict[str, tuple[str, str]]) -> None:
    countries = {"pk", "in"}
    for key, (bundle, record) in sample_records.items():
        found = dict(filters(record))
        kind = found["type"]
        # What the search page sorts by and merges the bundles' lists by (see search.js).
        assert found["bundle"] == bundle
        order = meta(record)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", order["s_added"]) and order["s_name"] == order["s_name"].casefold()
        assert f'data-pagefind-sort="added">{order["s_added"]}<' in record
        if kind == "product" and "price" in found:
            assert re.fullmatch(r"[A-Z]{3}\d{12}\.\d\d", order["s_price"]), order["s_price"]
        if kind == "training":
            assert bundle == "training"
            continue
        country = key.split("/")[1]
        assert bundle.startswith(country + "-") and found["country"] == country in countries
        assert found["district"] == "/".join(key.split("/")[1:3])
        if kind == "product" and "price" in found:
            assert re.fullmatch(r"[A-Z]{3}:\d*-\d*", found["price"]), found["price"]
    products = [r for _k, (_b, r) in sample_records.items() if ("type", "product") in filters(r)]
    assert any(name == "marketplace" for r in products for name, _v in filters(r))
    # An Urdu title or line is shown to Urdu readers where the entry has one.
    assert any("line_ur" in meta(r) for r in products)


def test_the_search_page_lists_every_bundle_and_labels_every_facet_in_its_language(sample_site: Path) -> None:
    bundles = sorted(p.parent.name for p in sample_site.glob("search/bundles/*/pagefind-entry.json"))
    assert bundles == ["in-0", "pk-0", "training"]
    for prefix, lang in (("", "en"), ("ur/", "ur"), ("hi/", "hi")):
        page = (sample_site / prefix / "search/index.html").read_text("utf-8")
        config = json.loads(html.unescape(re.search(r'data-kg-search="([^"]*)"', page).group(1)))
        assert config["lang"] == lang
        assert sorted(url.rsplit("/", 2)[1] for url in config["bundles"]) == bundles
        assert config["bundles"][0].endswith("/in-0/")  # the first loads the WebAssembly
        assert config["pageBase"] == "/" + prefix
        assert config["labels"]["country"]["pk"] == {"en": "Pakistan", "ur": "پاکستان", "hi": "पाकिस्तान"}[lang]
        assert set(config["facets"]) == {"type", "craft", "country", "district", "marketplace", "price"}
        # The form works without script: it sends the query to this page, which leads to the listings.
        assert f'action="/{prefix}search/"' in page and 'name="q"' in page
        assert f'href="/{prefix}products/"' in page


def test_every_page_has_a_search_box_in_its_header_leading_to_its_languages_search_page(sample_site: Path) -> None:
    for rel in ("index.html", "about/index.html", "ur/about/index.html", "hi/crafts/index.html",
                "ur/training/index.html", "404.html"):
        page = (sample_site / rel).read_text("utf-8")
        prefix = rel.split("/")[0] + "/" if rel.split("/")[0] in ("ur", "hi") else ""
        form = re.search(r'<form class="kg-header-search" role="search" action="([^"]+)">', page)
        assert form, rel
        assert form.group(1) == f"/{prefix}search/", rel
        assert re.search(r'<input id="kg-header-q" type="search" name="q" [^>]*aria-label="[^"]+"', page), rel


# --- bundles by construction, and indexed only when they change ------------------------------------------------

def product_site(make_site, *, countries: tuple[str, ...] = ("pk",), artisans: int = 6) -> Path:  # type: ignore[no-untyped-def]
    from tests.test_incremental import entries

    files = entries(artisans)
    if "in" in countries:  # the same catalog again, in India
        files.update({path.replace("artisans/pk/thatta/", "artisans/in/kutch/").replace("/artisan-", "/karigar-"):
                      text.replace("district: Thatta, province: Sindh", "district: Kutch, province: Gujarat")
                      .replace('id: "12345', 'id: "54321')
                      for path, text in entries(artisans).items() if path.startswith("artisans/pk/thatta/")})
    return make_site(files)


def test_bundles_are_cut_per_country_to_the_target_size_and_hold_every_record(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = product_site(make_site, artisans=8)
    monkeypatch.setattr(search_stage, "BUNDLE_RECORDS", 10)
    monkeypatch.setattr(search_stage.plan_bundles, "__defaults__", (10,))
    settings = settings_for(root / "mkdocs.yml")
    result = build(settings, run_mkdocs=False)
    assert result.ok, [format_text(d) for d in result.check.diagnostics]
    records = stored_records(settings.cache_dir)
    entries = len([k for k in records if k.startswith("artisans/")])
    bundles = sorted(p.parent.name for p in settings.site_dir.glob("search/bundles/*/pagefind-entry.json"))
    assert bundles == [f"pk-{n}" for n in range(-(-entries // 10))]  # no training resource: no bundle for them
    counts = {p.parent.name: json.loads(p.read_text())["languages"]["en"]["page_count"]
              for p in settings.site_dir.glob("search/bundles/pk-*/pagefind-entry.json")}
    assert sum(counts.values()) == entries
    # An artisan's records are in one bundle: its folder decides.
    by_folder: dict[str, set[str]] = {}
    for key, (bundle, _record) in records.items():
        by_folder.setdefault("/".join(key.split("/")[:4]), set()).add(bundle)
    assert all(len(found) == 1 for found in by_folder.values())


def test_a_bundle_over_the_folder_cap_stops_the_build_with_a_located_error_and_writes_nothing(make_site) -> None:  # type: ignore[no-untyped-def]
    root = product_site(make_site, artisans=5)  # 15 records in Pakistan's one bundle
    settings = settings_for(root / "mkdocs.yml", folder_cap=12)
    result = build(settings, run_mkdocs=False)
    assert not result.ok
    found = [format_text(d) for d in result.check.diagnostics if d.is_error]
    assert len(found) == 1 and found[0].startswith("artisans/pk/thatta/artisan-0/index.md:1:1: error:"), found
    assert "search bundle pk-0 would hold 15 records" in found[0]
    assert not settings.site_dir.exists() or not any(settings.site_dir.rglob("*.html"))


def test_an_unchanged_catalog_indexes_no_bundle_and_an_edit_indexes_only_its_own(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = product_site(make_site, countries=("pk", "in"), artisans=3)
    settings = settings_for(root / "mkdocs.yml")
    first = build(settings, run_mkdocs=False)
    assert first.ok, [format_text(d) for d in first.check.diagnostics if d.is_error]
    indexed: list[int] = []
    real = search_stage.index_bundle

    def counting(records, out, **kwargs):  # type: ignore[no-untyped-def]
        indexed.append(1)
        return real(records, out, **kwargs)

    monkeypatch.setattr(search_stage, "index_bundle", counting)
    again = build(settings, run_mkdocs=False)
    assert again.ok and indexed == [] and search_bundles(again.report.written) == []
    product = root / "artisans/in/kutch/karigar-1/products/quilt-0.md"
    product.write_text(product.read_text().replace("Quilt number 0.", "Quilt number 0, dyed with indigo."))
    edited = build(settings, run_mkdocs=False)
    assert edited.ok and len(indexed) == 1
    assert search_bundles(edited.report.written) == ["in-0"]
    assert search_bundles(edited.report.removed) in ([], ["in-0"])
    records = stored_records(settings.cache_dir)
    assert "dyed with indigo" in records["artisans/in/kutch/karigar-1/products/quilt-0.md"][1]


@pytest.mark.unlocated("search-index", reason="Pagefind itself failed: no file of the site caused it")
def test_a_pagefind_failure_stops_the_build_before_any_page_is_written(make_site, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = product_site(make_site, artisans=2)
    settings = settings_for(root / "mkdocs.yml")
    assert build(settings, run_mkdocs=False).ok
    before = tree(settings.site_dir)
    product = root / "artisans/pk/thatta/artisan-1/products/quilt-0.md"
    product.write_text(product.read_text().replace("Quilt number 0.", "Quilt number 0, in madder red."))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr("karigar.pagefind.pagefind_binary", lambda: broken)
    result = build(settings, run_mkdocs=False)
    assert not result.ok
    found = [format_text(d) for d in result.check.diagnostics if d.is_error]
    assert any(line.startswith("mkdocs.yml:") and "the index could not be written" in line for line in found), found
    assert tree(settings.site_dir) == before, "nothing written: the pages wait for the search bundles"


def test_the_record_signature_ignores_order_and_sees_every_byte() -> None:
    records = [("a", b"<p>one</p>"), ("b", b"<p>two</p>")]
    assert records_signature(records) == records_signature(list(reversed(records)))
    assert records_signature(records) != records_signature([("a", b"<p>one</p>"), ("b", b"<p>two!</p>")])
    assert records_signature(records) != records_signature(records[:1])


def test_a_quick_edit_indexes_the_bundle_holding_the_entry_and_ends_at_the_clean_build(origin: Path,
                                                                                      tmp_path: Path) -> None:
    """Through ``karigar build``'s quick path (the sample in Git), against a clean build of the same tree."""
    root = checkout(origin, tmp_path / "root")
    replace_in(root / "artisans/pk/thatta/shazia-bibi/products/ralli-quilt-triangles.md", "amount: 160", "amount: 175")
    quick = build_tree(root)
    assert quick.quick is not None and quick.report is not None
    pk = stored_records(root / ".karigar-cache")["artisans/pk/thatta/shazia-bibi/products/ralli-quilt-triangles.md"]
    assert search_bundles(quick.report.written) == [pk[0]] and pk[0].startswith("pk-")
    assert "$175.00" in pk[1]
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []
    assert stored_records(root / ".karigar-cache") == stored_records(tmp_path / "clean" / ".karigar-cache")


def test_the_repository_pins_the_pagefind_it_runs() -> None:
    text = (REPO / "pyproject.toml").read_text("utf-8")
    assert re.search(r'"pagefind\[extended\]==\d+\.\d+\.\d+"', text)


def test_the_dev_server_serves_the_last_builds_search_bundles_and_nothing_beside_them(tmp_path: Path) -> None:
    from karigar.serve.ondemand import OnDemandSite, PageCache

    bundle = tmp_path / "site/search/bundles/pk-0"
    bundle.mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text('{"version": "1.5.2"}', "utf-8")
    (tmp_path / "site/secret.txt").write_text("not a bundle", "utf-8")
    served = OnDemandSite({}, PageCache(), search_root=tmp_path / "site")
    assert served["search/bundles/pk-0/pagefind-entry.json"] == b'{"version": "1.5.2"}'
    assert "search/bundles/pk-0/pagefind-entry.json" in served
    for key in ("secret.txt", "search/bundles/../../secret.txt", "search/bundles/pk-0/missing.pf_meta"):
        assert key not in served
        with pytest.raises(KeyError):
            served[key]


def private_entries() -> dict[str, str]:
    """A published artisan whose private fields hold secrets, with a published and a draft product, and two
    artisans the site must not show: a draft, and one whose consent was never recorded (so a draft too)."""
    from tests.test_incremental import PRODUCT

    private = """---
name: Shazia Bibi
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: sana 0300-7654321}
_contact: "0300-1234567, ayesha@example.com, House 12 Street 4"
---

Shazia Bibi stitches ralli quilts in Thatta.
"""
    return {
        "artisans/pk/thatta/shazia-bibi/index.md": private,
        "artisans/pk/thatta/shazia-bibi/products/quilt.md": PRODUCT.format(title="Blue ralli quilt", etsy="1234500",
                                                                             body="A quilt."),
        "artisans/pk/thatta/shazia-bibi/products/secret.md": PRODUCT.format(
            title="Unreleased mirror quilt", etsy="1234501", body="Not yet.").replace("---\n\n", "draft: true\n---\n\n", 1),
        "artisans/pk/thatta/hidden-weaver/index.md": private.replace("Shazia Bibi", "Hidden Weaver").replace(
            "---\n\n", "draft: true\n---\n\n", 1),
        "artisans/pk/thatta/no-consent/index.md": private.replace("Shazia Bibi", "Nameless Maker").replace(
            "consent: {given: 2025-03-01, recorded_by: sana 0300-7654321}\n", "draft: true\n"),
    }


def test_private_fields_drafts_and_the_consent_record_never_reach_a_search_record(make_site) -> None:  # type: ignore[no-untyped-def]
    files = private_entries()
    root = make_site(files)
    settings = settings_for(root / "mkdocs.yml")
    result = build(settings, run_mkdocs=False)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    records = stored_records(settings.cache_dir)
    assert sorted(records) == ["artisans/pk/thatta/shazia-bibi/index.md",
                               "artisans/pk/thatta/shazia-bibi/products/quilt.md"]
    every = " ".join(record for _bundle, record in records.values())
    assert "Blue ralli quilt" in every and "Shazia Bibi" in every
    for secret in ("0300", "ayesha", "House 12", "sana", "Hidden Weaver", "Unreleased", "Nameless", "2025-03-01"):
        assert secret not in every, secret
    # The same holds for what the browser downloads: the bundle's fragments (gzip) hold no secret either.
    import gzip

    fragments = b" ".join(gzip.decompress(p.read_bytes()) for p in settings.site_dir.glob("search/bundles/*/fragment/*"))
    assert b"Blue ralli quilt" in fragments
    assert not any(secret.encode() in fragments for secret in ("0300", "ayesha", "Hidden Weaver", "Unreleased"))
