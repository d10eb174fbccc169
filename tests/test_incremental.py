"""Incremental builds: what is re-rendered is exactly what shows a change, and the result
always equals a clean build, byte for byte -- after edits, adds, deletes, renames, template
and registry changes, a killed build, or a broken cache.

Most tests build inline sites with the plain stand-in frame (fast); one scripted series
builds the sample site through MkDocs Material in its three languages, so the equality
also covers Material's frames, MkDocs' pages, translations, ``_headers`` and the sitemaps.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from karigar.incremental import entries as entries_module
from karigar.incremental import index as index_module
from karigar.pipeline import build_site, check_site
from karigar.write.funnel import DiskWriter, WriteReport
from tests.conftest import NOW, REPO, settings_for
from tests.realsite import search_bundles, without_search_bundles, build_material, copy_sample, differences, tree

ARTISAN = """---
name: {name}
crafts: [{craft}]
location: {{district: Thatta, province: Sindh}}
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

{name} works in Thatta.
"""

PRODUCT = """---
title: {title}
price: {{amount: 12000, currency: PKR}}
listings:
  - {{marketplace: etsy, id: "{etsy}"}}
---

{body}
"""


def entries(n: int = 3) -> dict[str, str]:
    files = {}
    for i in range(n):
        slug = f"artisan-{i}"
        files[f"artisans/pk/thatta/{slug}/index.md"] = ARTISAN.format(name=f"Artisan {i}", craft="ralli-quilting")
        for j in range(2):
            files[f"artisans/pk/thatta/{slug}/products/quilt-{j}.md"] = PRODUCT.format(
                title=f"Quilt {i}-{j}", etsy=f"12345{i}{j}00", body=f"Quilt number {j}.")
    return files


def run(root: Path, site: Path, cache: Path, **writer_args: object) -> WriteReport:
    settings = settings_for(root / "mkdocs.yml", site_dir=site, cache_dir=cache)
    writer = DiskWriter(site, cache / "state", **writer_args)  # type: ignore[arg-type]
    result = build_site(settings, now=NOW, writer=writer, run_mkdocs=False, jobs=1)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    assert result.report is not None
    return result.report


def clean(root: Path, tmp: Path) -> dict[str, str]:
    site, cache = tmp / "clean-site", tmp / "clean-cache"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    run(root, site, cache)
    return tree(site)


@pytest.fixture
def site(make_site, tmp_path: Path):  # type: ignore[no-untyped-def]
    root = make_site(entries())
    return root, tmp_path / "site", tmp_path / "cache"


def test_a_build_with_nothing_changed_renders_and_writes_nothing(site) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    first = run(root, out, cache)
    assert first.written
    second = run(root, out, cache)
    assert second.rendered == [] and second.written == [] and second.removed == []
    assert second.kept == second.total


def test_one_product_edit_re_renders_exactly_the_pages_that_show_it(site) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    product = root / "artisans/pk/thatta/artisan-1/products/quilt-0.md"
    product.write_text(product.read_text().replace("Quilt number 0.", "Quilt number 0, now in indigo."))
    report = run(root, out, cache)
    assert sorted(report.rendered) == sorted([
        "artisans/pk/thatta/artisan-1/quilt-0/index.html",  # its page
        "artisans/pk/thatta/artisan-1/index.html",  # its artisan's grid
        "artisans/pk/thatta/index.html",  # the district listing showing its card
        "crafts/ralli-quilting/index.html",  # the craft listing showing its card
        "marketplaces/etsy/index.html",  # the marketplace listing showing its card
        "products/index.html",  # the listing of every product
        # The content API: its document, the same four lists' pages, and its collection's id page (its
        # revision); not its artisan's document, which links it by id only.
        "api/v1/artisans/pk/thatta/artisan-1/quilt-0/index.json",
        "api/v1/lists/crafts/ralli-quilting/products/index.json",
        "api/v1/lists/districts/pk/thatta/products/index.json",
        "api/v1/lists/marketplaces/etsy/products/index.json",
        "api/v1/lists/products/index.json",
        "api/v1/ids/products/index.json",
    ])  # not the home page: its cards show no description (tests/test_showcase.py edits a price)
    # Only the description changed, so the listings' bytes did not: only the page, its document and its
    # revision are written, and the search bundle holding the product's record (its text is searched).
    assert sorted(without_search_bundles(report.written)) == ["api/v1/artisans/pk/thatta/artisan-1/quilt-0/index.json",
                                                      "api/v1/ids/products/index.json",
                                                      "artisans/pk/thatta/artisan-1/quilt-0/index.html"]
    assert search_bundles(report.written) == ["pk-0"]


def test_a_template_change_re_renders_every_page_that_uses_the_templates(site) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    first = run(root, out, cache)
    templates = root / "theme-copy"
    shutil.copytree(REPO / "theme" / "karigar", templates)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace(str(REPO / "theme" / "karigar"), str(templates)))
    (templates / "product.html").write_text((templates / "product.html").read_text() + "\n{# changed #}\n")
    report = run(root, out, cache)
    pages = sorted(p for p in first.rendered if p.endswith(".html"))
    assert sorted(p for p in report.rendered if p.endswith(".html")) == pages
    # Sitemaps list URLs, not templates: they are not made again.
    assert not [p for p in report.rendered if "sitemap" in p]


@pytest.mark.parametrize("fault_at", [0, 3, 10])
def test_a_build_killed_mid_write_then_a_normal_build_gives_the_clean_result(site, tmp_path: Path,
                                                                            fault_at: int) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    for i in range(3):
        path = root / f"artisans/pk/thatta/artisan-{i}/index.md"
        path.write_text(path.read_text().replace(f"Artisan {i}", f"Weaver {i}"))

    class Killed(BaseException):
        pass

    def hook(index: int, path: str) -> None:
        if index == fault_at:
            raise Killed(path)

    with pytest.raises(Killed):
        run(root, out, cache, fault_hook=hook)
    assert (cache / "state" / "building").exists()
    run(root, out, cache)
    assert tree(out) == clean(root, tmp_path)


def test_incremental_equals_clean_across_a_scripted_series_of_changes(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    a = root / "artisans/pk/thatta"

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        path.write_text(path.read_text().replace(old, new))

    steps = [
        lambda: edit("artisans/pk/thatta/artisan-0/products/quilt-1.md", "Quilt 0-1", "Indigo quilt"),
        lambda: (a / "artisan-3/products").mkdir(parents=True) or (a / "artisan-3/index.md").write_text(
            ARTISAN.format(name="Zarina", craft="blue-pottery")),
        lambda: (a / "artisan-3/products/bowl.md").write_text(PRODUCT.format(
            title="Blue bowl", etsy="99887766", body="A bowl.")),
        lambda: (a / "artisan-1/products/quilt-0.md").unlink(),
        lambda: (a / "artisan-2").rename(a / "artisan-two"),
        lambda: edit("artisans/_registry/crafts.yml", "name: Ralli quilting", "name: Ralli quilts"),
        lambda: edit("artisans/pk/thatta/artisan-0/index.md", "draft: false", "draft: false")
        or edit("artisans/pk/thatta/artisan-0/index.md", "consent:", "draft: true\nconsent:"),
        lambda: shutil.rmtree(a / "artisan-3"),
    ]
    for number, step in enumerate(steps):
        step()
        run(root, out, cache)
        assert tree(out) == clean(root, tmp_path), f"after step {number}"


@pytest.mark.parametrize("damage", ["entries", "state", "engine"])
def test_a_missing_stale_or_corrupted_cache_never_yields_a_wrong_page(site, tmp_path: Path,
                                                                     damage: str) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    edit = root / "artisans/pk/thatta/artisan-0/index.md"
    edit.write_text(edit.read_text().replace("Artisan 0", "Shabana"))
    if damage == "entries":
        (cache / "index.sqlite").write_bytes(b"\x80\x05not a database")
    elif damage == "state":
        state = cache / "state" / "published.sqlite"
        state.write_bytes(state.read_bytes()[:4096])  # truncated: SQLite finds it damaged
    else:
        # An index written by another version of the engine: its format number differs.
        with contextlib.closing(sqlite3.connect(cache / "index.sqlite")) as db:
            db.execute("PRAGMA user_version = 999")
    run(root, out, cache)
    assert tree(out) == clean(root, tmp_path)
    assert "Shabana" in (out / "artisans/pk/thatta/artisan-0/index.html").read_text()


@pytest.mark.parametrize("start", ["no site folder", "an empty site folder", "a site left without its state"])
def test_a_build_without_a_trusted_state_leaves_exactly_its_own_files(tmp_path: Path, start: str) -> None:
    """A cold build does not walk the site it just wrote; any other untrusted start still prunes what it did not write."""
    site, state = tmp_path / "site", tmp_path / "cache/state"
    if start != "no site folder":
        site.mkdir()
    if start == "a site left without its state":
        (site / "old-page").mkdir()
        (site / "old-page/index.html").write_text("a page no build makes any more")
    writer = DiskWriter(site, state)
    writer.put("index.html", b"<h1>home</h1>", "sig")
    writer.put("crafts/index.html", b"<h1>crafts</h1>", "sig2")
    report = writer.commit()
    assert tree(site).keys() == {"index.html", "crafts/index.html"}
    assert report.removed == (["old-page/index.html"] if start == "a site left without its state" else [])
    assert not (site / "old-page").exists()


def test_keeping_every_output_but_a_quick_builds_own_keeps_their_files_and_signatures(tmp_path: Path) -> None:
    """A quick build keeps the last build's other outputs as they were: files, signatures, copied files."""
    site, state = tmp_path / "site", tmp_path / "cache/state"
    first = DiskWriter(site, state)
    first.put("index.html", b"<h1>home</h1>", "sig-home")
    first.put("crafts/index.html", b"<h1>crafts</h1>", "sig-crafts")
    first.put("crafts/pottery/index.html", b"<h1>pottery</h1>", "sig-pottery")
    (tmp_path / "photo.jpg").write_bytes(b"jpeg")
    first.put_file("photos/photo.jpg", tmp_path / "photo.jpg")  # copied: no signature
    first.commit()

    quick = DiskWriter(site, state)
    quick.keep_all_except({"crafts/index.html", "gone/index.html"})
    quick.put("crafts/index.html", b"<h1>crafts, edited</h1>", "sig-crafts-2")
    report = quick.commit()
    files = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*") if p.is_file()}
    assert files == {"index.html": "<h1>home</h1>", "crafts/index.html": "<h1>crafts, edited</h1>",
                     "crafts/pottery/index.html": "<h1>pottery</h1>", "photos/photo.jpg": "jpeg"}
    assert (report.kept, report.written, report.removed) == (3, ["crafts/index.html"], [])
    after = DiskWriter(site, state)
    assert after.published_outputs() == {"index.html": "sig-home", "crafts/index.html": "sig-crafts-2",
                                         "crafts/pottery/index.html": "sig-pottery", "photos/photo.jpg": ""}
    after.keep_all_except(set())  # a quick build that renders nothing keeps all four
    assert (after.commit().kept, tree(site).keys()) == (4, files.keys())

    twice = DiskWriter(site, state)
    twice.put("index.html", b"<h1>home</h1>", "sig-home")
    with pytest.raises(ValueError, match="written twice in one build: index.html"):
        twice.keep_all_except(set())


def validated(root: Path, cache: Path) -> str:
    """What validation made of the catalog (every model and diagnostic), through the build index in ``cache``."""
    settings = settings_for(root / "mkdocs.yml", site_dir=cache.parent / "unused-site", cache_dir=cache)
    check = check_site(settings, now=NOW, jobs=1)
    assert check.model is not None
    return repr((check.model.artisans, check.model.products, check.diagnostics))


def swap_rows(index: Path, first: str, second: str) -> None:
    """Exchange two entries' stored results, leaving their keys and checksums: damage a checksum must catch."""
    with contextlib.closing(sqlite3.connect(index)) as db:
        blobs = dict(db.execute("SELECT path, result FROM entries WHERE path IN (?, ?)", (first, second)))
        assert len(blobs) == 2
        db.execute("UPDATE entries SET result = ? WHERE path = ?", (blobs[second], first))
        db.execute("UPDATE entries SET result = ? WHERE path = ?", (blobs[first], second))
        db.commit()


@pytest.mark.parametrize("damage", ["truncated", "foreign", "swapped rows", "killed while writing", "busy"])
def test_a_damaged_foreign_busy_or_half_written_build_index_never_yields_a_wrong_model_or_page(
        site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    index = cache / "index.sqlite"
    a = "artisans/pk/thatta"
    edit = root / f"{a}/artisan-0/index.md"
    edit.write_text(edit.read_text().replace("Artisan 0", "Shabana"))
    holder = None
    if damage == "truncated":
        index.write_bytes(index.read_bytes()[: index.stat().st_size // 2])
    elif damage == "foreign":
        index.unlink()
        with contextlib.closing(sqlite3.connect(index)) as db:  # another tool's database of the same name
            db.execute("CREATE TABLE entries (path TEXT, note TEXT)")
            db.execute("INSERT INTO entries VALUES ('artisans/pk/thatta/artisan-1/index.md', 'x')")
            db.commit()
    elif damage == "swapped rows":
        swap_rows(index, f"{a}/artisan-1/index.md", f"{a}/artisan-2/index.md")
    elif damage == "killed while writing":
        calls = []
        record = index_module._record

        def dies(path: str, row: index_module.EntryRow) -> tuple[str, str, str, str, str, str, bytes]:
            calls.append(path)
            if len(calls) == 2:  # the first new row is in the transaction, the second never gets there
                raise KeyboardInterrupt
            return record(path, row)

        monkeypatch.setattr(index_module, "_record", dies)
        edit.write_text(edit.read_text().replace("Shabana", "Shabana Bibi"))
        edit.parent.parent.joinpath("artisan-1/index.md").write_text(
            edit.parent.parent.joinpath("artisan-1/index.md").read_text().replace("Artisan 1", "Rukhsana"))
        with pytest.raises(KeyboardInterrupt):
            run(root, out, cache)
        monkeypatch.undo()
    else:
        holder = sqlite3.connect(index, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another build is writing the index right now
    try:
        run(root, out, cache)
        assert validated(root, cache) == validated(root, tmp_path / "fresh-cache")
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    assert tree(out) == clean(root, tmp_path)
    assert "Shabana" in (out / f"{a}/artisan-0/index.html").read_text()


def test_a_cache_restored_into_a_fresh_clone_gives_an_incremental_identical_build(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What Netlify does between deploys: a new checkout, the cached folders put back."""
    root, out, cache = site
    run(root, out, cache)
    clone = tmp_path / "clone"
    shutil.copytree(root, clone)  # a fresh clone: new paths, new mtimes, same bytes
    for path in clone.rglob("*"):
        if path.is_file():
            path.touch()
    shutil.copytree(out, clone / "site")
    shutil.copytree(cache, clone / ".karigar-cache")
    report = run(clone, clone / "site", clone / ".karigar-cache")
    assert report.rendered == [] and report.written == []
    assert tree(clone / "site") == tree(out)


def test_adding_an_artisan_elsewhere_re_renders_no_existing_artisan_or_product_page(site) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    new = root / "artisans/pk/matiari/new-weaver/index.md"
    new.parent.mkdir(parents=True)
    new.write_text(ARTISAN.format(name="New Weaver", craft="ralli-quilting").replace("Thatta", "Matiari"))
    report = run(root, out, cache)
    entity_pages = [p for p in report.rendered if p.startswith("artisans/pk/thatta/artisan-")]
    assert entity_pages == []  # their pages never read catalog-wide lists or counts
    assert "artisans/pk/matiari/new-weaver/index.html" in report.rendered
    assert "index.html" in report.rendered  # the home page's counts did change


def test_product_pages_stay_under_30_kb_of_html(sample_site: Path) -> None:
    sizes = {p: p.stat().st_size for p in sample_site.glob("artisans/*/*/*/*/index.html")}
    assert sizes and max(sizes.values()) < 30_000, max(sizes.items(), key=lambda kv: kv[1])


def test_parallel_build_is_byte_identical_to_a_single_process_build(make_site, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import karigar.incremental.entries as entries_stage
    import karigar.render.site as render_stage

    root = make_site(entries(6))
    single = tmp_path / "single"
    run(root, single / "site", single / "cache")
    # Force the worker processes on for a small site: validation and rendering both fork.
    monkeypatch.setattr(entries_stage, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(render_stage, "PARALLEL_RENDER_THRESHOLD", 1)
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "multi/site", cache_dir=tmp_path / "multi/cache")
    writer = DiskWriter(tmp_path / "multi/site", tmp_path / "multi/cache/state")
    result = build_site(settings, now=NOW, writer=writer, run_mkdocs=False, jobs=2)
    assert result.ok and result.report is not None and len(result.report.rendered) > 10
    assert tree(tmp_path / "multi/site") == tree(single / "site")


# -- the same guarantee through what ships: Material, content/ and three languages ------

NEW_ARTISAN = """---
name: {en: Zarina Khatun, ur: زرینہ خاتون}
kind: person
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
photo: {src: photos/portrait.jpg, alt: Zarina at her quilting frame}
languages: [sd]
consent: {given: 2025-04-01, recorded_by: volunteer-sana-k}
---

Zarina pieces ralli quilts in the courtyard of her home.
"""
NEW_PRODUCT = """---
title: Indigo ralli runner
price: {amount: 40, currency: USD}
listings:
  - {marketplace: etsy, id: "1587200999"}
---

A narrow runner of indigo and white triangles.
"""


def test_incremental_equals_clean_through_material_mkdocs_and_three_languages(tmp_path: Path) -> None:
    """After each scripted edit, the incremental site folder equals a clean build, file for file.

    The sample site is built as `karigar build` builds it: MkDocs Material frames the
    catalog, MkDocs renders content/, every page exists in en, ur and hi, and the build
    writes `_headers` (a CSP hashing Material's inline scripts) and the sitemaps.
    """
    # Three of the sample's districts (eleven builds follow): both countries, and every kind of
    # translation the sample has (Urdu in Thatta, Urdu and Hindi in Lucknow).
    root = copy_sample(tmp_path / "src", districts=("pk/thatta", "pk/multan", "in/lucknow"))
    out, cache = tmp_path / "site", tmp_path / "cache"
    build_material(root, out, cache)  # the first build of the series is itself a clean one
    # The photo cache is content-addressed and checked on every read (tests/test_photos.py), so
    # clean builds may start from a copy of it: it saves re-encoding every photo per clean build
    # and holds no trace of the published site or of the incremental state.
    photos = tmp_path / "photo-cache"
    shutil.copytree(cache / "photos", photos)

    def clean_tree() -> dict[str, str]:
        site, fresh = tmp_path / "clean-site", tmp_path / "clean-cache"
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(photos, fresh / "photos")
        build_material(root, site, fresh)
        return tree(site)

    shazia = root / "artisans/pk/thatta/shazia-bibi"

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text("utf-8")
        assert old in text, (path, old)  # the sample changed: the step would silently do nothing
        path.write_text(text.replace(old, new), "utf-8")

    def add_artisan() -> None:
        folder = root / "artisans/pk/thatta/zarina-khatun"
        (folder / "products").mkdir(parents=True)
        (folder / "photos").mkdir()
        shutil.copy(shazia / "photos/portrait.jpg", folder / "photos/portrait.jpg")
        (folder / "index.md").write_text(NEW_ARTISAN, "utf-8")
        (folder / "products/indigo-ralli-runner.md").write_text(NEW_PRODUCT, "utf-8")

    def edit_page_and_translation() -> None:
        edit(root / "content/about.md", "## Who it serves", "## Whom it serves")
        edit(root / "content/about.ur.md", "## یہ کس کے لیے ہے", "## یہ کن کے لیے ہے")

    def shows(page: str, text: str) -> Callable[[], bool]:
        return lambda: text in (out / page).read_text("utf-8")

    def gone() -> bool:
        listing = (out / "hi/artisans/pk/multan/index.html").read_text("utf-8")
        return not (out / "artisans/pk/multan/bhatti-naqqashi-family").exists() and "Bhatti" not in listing

    # (what the user did, how it is done, what a visitor then sees: proof the step was not a no-op)
    steps: list[tuple[str, Callable[[], object], Callable[[], bool]]] = [
        ("edit a product",
         lambda: edit(shazia / "products/ralli-baby-quilt.md", "soft, washed cotton", "soft, twice-washed cotton"),
         shows("hi/artisans/pk/thatta/shazia-bibi/ralli-baby-quilt/index.html", "soft, twice-washed cotton")),
        ("edit an Urdu translation",
         lambda: edit(shazia / "index.ur.md", "اپنی والدہ سے", "اپنی نانی سے"),
         shows("ur/artisans/pk/thatta/shazia-bibi/index.html", "اپنی نانی سے")),
        ("add an artisan", add_artisan,
         shows("ur/artisans/pk/thatta/zarina-khatun/indigo-ralli-runner/index.html", "زرینہ خاتون")),
        ("delete an artisan", lambda: shutil.rmtree(root / "artisans/pk/multan/bhatti-naqqashi-family"), gone),
        ("edit a content page and its Urdu translation", edit_page_and_translation,
         lambda: shows("about/index.html", "Whom it serves")() and shows("ur/about/index.html", "یہ کن کے لیے ہے")()),
    ]
    for label, step, visible in steps:
        step()
        report = build_material(root, out, cache).report
        assert report is not None and report.written, f"{label}: the incremental build wrote nothing"
        assert visible(), f"{label}: the built site does not show the change"
        assert differences(tree(out), clean_tree()) == [], label

    # What the equality covered: MkDocs' pages in every language, the headers, feeds and sitemaps.
    final = tree(out)
    for lang in ("", "ur/", "hi/"):
        assert {f"{lang}about/index.html", f"{lang}training/first-amazon-listing/index.html",
                f"{lang}artisans/pk/thatta/zarina-khatun/index.html", f"{lang}training/calendar.ics",
                f"{lang}artisans/in/lucknow/rukhsana-parveen/index.html"} <= final.keys()
    assert {"_headers", "sitemap.xml", "404.html"} <= final.keys()
    assert any(path.startswith("assets/javascripts/bundle.") for path in final)  # Material's, copied by MkDocs


def test_a_setting_validation_does_not_read_keeps_every_validated_entry(site, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root, out, cache = site
    run(root, out, cache)
    checked: list[str] = []
    check_all = entries_module._check_all

    def recording(stubs, *args, **kwargs):  # type: ignore[no-untyped-def]
        checked.extend(stub.path for stub in stubs)
        return check_all(stubs, *args, **kwargs)

    monkeypatch.setattr(entries_module, "_check_all", recording)
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "      languages: [en]\n" in text
    config.write_text(text.replace("      languages: [en]\n", "      languages: [en]\n      per_page: 2\n"), "utf-8")
    report = run(root, out, cache)
    assert checked == []  # listings are paged anew; not one entry is parsed or validated again
    assert any("/page/2/" in path for path in report.written)
    assert tree(out) == clean(root, tmp_path)

    config.write_text(config.read_text("utf-8").replace(
        "      per_page: 2\n", "      per_page: 2\n      media_hosts: [images.example.org]\n"), "utf-8")
    checked.clear()
    run(root, out, cache)
    assert len(checked) == len(entries())  # validation reads the allowed hosts: every entry again


def test_the_first_build_after_an_upgrade_trusts_the_state_the_earlier_karigar_kept(tmp_path: Path) -> None:
    """A cache restored from a deploy made before the published state moved into SQLite (published.json,
    format 2) is taken over: site/ stays trusted, so that build compares digests, not every file's bytes."""
    site, state = tmp_path / "site", tmp_path / "cache/state"
    first = DiskWriter(site, state)
    first.put("index.html", b"<h1>home</h1>", "sig-home")
    first.put("crafts/index.html", b"<h1>crafts</h1>", "sig-crafts")
    first.commit()
    outputs = DiskWriter(site, state).published_outputs()
    (state / "building").unlink()  # the reader above never committed
    digests = {path: hashlib.blake2b((site / path).read_bytes(), digest_size=16).hexdigest() for path in outputs}
    (state / "published.sqlite").unlink()
    (state / "published.json").write_text(json.dumps({"version": 2, "site_dir": "../../site", "files": digests,
                                                      "signatures": outputs}), "utf-8")
    upgraded = DiskWriter(site, state)
    assert upgraded.trusted() and upgraded.published_outputs() == outputs
    assert upgraded.is_current("index.html", "sig-home") and not upgraded.is_current("index.html", "sig-other")
    upgraded.keep("index.html")
    upgraded.put("crafts/index.html", b"<h1>crafts</h1>", "sig-crafts-2")
    report = upgraded.commit()
    assert (report.written, report.unchanged) == ([], 2)  # same bytes: known from the digests taken over
    assert not (state / "published.json").exists()
    assert DiskWriter(site, state).published_outputs() == {"index.html": "sig-home", "crafts/index.html": "sig-crafts-2"}
