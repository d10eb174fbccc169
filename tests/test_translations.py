"""Content translations: ``index.<lang>.md`` and ``<product>.<lang>.md`` merged into their entries,
fallbacks marked with ``lang`` and a notice, bad translations located, coverage reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from karigar.cli import main
from karigar.diagnostics import format_text
from karigar.pipeline import build_site
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, settings_for
from tests.realsite import search_bundles, without_search_bundles

LANGS = "      languages: [en, ur, hi]\n"

ARTISAN = """---
name: Shazia Bibi
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: volunteer-amna}
---

Shazia stitches ralli quilts with her daughters.
"""
ARTISAN_UR = """---
name: شازیہ بی بی
---

شازیہ اپنی بیٹیوں کے ساتھ رلی سلائی کرتی ہیں۔
"""
PRODUCT = """---
title: Ralli quilt
price: {amount: 12000, currency: PKR}
materials: [cotton, thread]
listings:
  - {marketplace: etsy, id: "1234567800"}
---

A hand-stitched quilt of recycled cotton.
"""
PRODUCT_UR = """---
title: رلی رضائی
materials: [سوتی کپڑا, دھاگا]
---

ری سائیکل شدہ سوتی کپڑے کی ہاتھ سے سلی ہوئی رضائی۔
"""
BASE = "artisans/pk/thatta/shazia-bibi"


def make(make_site, extra: dict[str, str | None] | None = None) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | None] = {
        f"{BASE}/index.md": ARTISAN, f"{BASE}/index.ur.md": ARTISAN_UR,
        f"{BASE}/products/ralli-quilt.md": PRODUCT, f"{BASE}/products/ralli-quilt.ur.md": PRODUCT_UR,
    }
    files.update(extra or {})
    root = make_site(files)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      languages: [en]\n", LANGS), "utf-8")
    return root


def build(root: Path, tmp: Path) -> tuple[Path, list[str]]:
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp / "out", cache_dir=tmp / "cache")
    result = build_site(settings, now=NOW, writer=DiskWriter(tmp / "out", tmp / "cache" / "state"),
                        run_mkdocs=False, jobs=1)
    # "path:line:col: error: message [code]": the printed line, with the code to match on.
    return tmp / "out", [f"{format_text(d)} [{d.code}]" for d in result.check.diagnostics]


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def test_a_translation_gives_the_page_its_name_story_and_title_in_that_language(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site, diagnostics = build(make(make_site), tmp_path)
    assert not [d for d in diagnostics if ": error:" in d], diagnostics
    urdu = page(site, f"ur/{BASE}")
    assert '<h1 class="kg-title">شازیہ بی بی</h1>' in urdu
    assert "رلی سلائی کرتی ہیں" in urdu
    assert "not yet translated" not in urdu and "kg-notice--untranslated" not in urdu
    product = page(site, f"ur/{BASE}/ralli-quilt")
    assert '<h1 class="kg-title">رلی رضائی</h1>' in product
    assert "سوتی کپڑا" in product and "ہاتھ سے سلی" in product
    english = page(site, BASE)  # the default language keeps its own text
    assert '<h1 class="kg-title">Shazia Bibi</h1>' in english
    assert "Shazia stitches ralli quilts" in english and "رلی سلائی" not in english


def test_a_missing_translation_falls_back_marked_with_lang_and_a_notice(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site, _ = build(make(make_site), tmp_path)
    hindi = page(site, f"hi/{BASE}")
    # The English name and story are marked as English (and left to right) on the Hindi page.
    assert re.search(r'<h1 class="kg-title" lang="en" dir="ltr">Shazia Bibi</h1>', hindi)
    assert re.search(r'<div class="kg-prose" lang="en" dir="ltr">\s*<p>Shazia stitches', hindi)
    notice = re.search(r'<div class="admonition note kg-notice--untranslated" role="note"><p>([^<]+)</p>', hindi)
    assert notice is not None
    assert "Shazia" not in notice.group(1)
    # The notice itself is interface text, in Hindi (from the gettext catalog), not English.
    assert re.search("[\u0900-\u097F]", notice.group(1)), notice.group(1)
    # On the Urdu listing, the untranslated product card of another artisan would be marked too;
    # here the translated one is not marked.
    listing = (site / "ur/crafts/ralli-quilting/index.html").read_text("utf-8")
    assert ">رلی رضائی</a>" in listing


def test_a_partial_translation_marks_only_the_parts_left_in_english(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    only_title = "---\ntitle: رلی رضائی\n---\n"
    site, _ = build(make(make_site, {f"{BASE}/products/ralli-quilt.ur.md": only_title}), tmp_path)
    product = page(site, f"ur/{BASE}/ralli-quilt")
    assert '<h1 class="kg-title">رلی رضائی</h1>' in product
    assert re.search(r'<div class="kg-prose" lang="en" dir="ltr">\s*<p>A hand-stitched quilt', product)
    assert "kg-notice--untranslated" in product


@pytest.mark.parametrize(("text", "code", "line"), [
    ("---\ntitle: رلی رضائی\nprice: {amount: 1, currency: PKR}\n---\n", "translation-field", 3),
    ("---\ntitel: رلی رضائی\n---\n", "unknown-key", 2),
    ("---\ntitle: رلی رضائی\n---\n\nفون کریں 0300-1234567\n", "private-data", 5),
    ("---\ntitle: رلی رضائی\n---\n\n<script>alert(1)</script>\n", "", 5),
])
def test_a_bad_translation_gets_a_located_error(make_site, tmp_path, text: str, code: str, line: int) -> None:  # type: ignore[no-untyped-def]
    _, diagnostics = build(make(make_site, {f"{BASE}/products/ralli-quilt.ur.md": text}), tmp_path)
    errors = [d for d in diagnostics if ": error:" in d]
    path = f"{BASE}/products/ralli-quilt.ur.md:{line}:"
    assert any(d.startswith(path) and (not code or d.endswith(f"[{code}]")) for d in errors), errors


def test_a_translation_of_no_entry_is_an_error(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, diagnostics = build(make(make_site, {f"{BASE}/products/rali-quilt.ur.md": PRODUCT_UR}), tmp_path)
    orphan = [d for d in diagnostics if d.endswith("[translation-orphan]")]
    assert orphan and orphan[0].startswith(f"{BASE}/products/rali-quilt.ur.md:1:1: error:"), diagnostics


def test_editing_a_translation_re_renders_its_pages_and_only_those(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = make(make_site)
    build(root, tmp_path)
    (root / f"{BASE}/index.ur.md").write_text(ARTISAN_UR.replace("بیٹیوں", "بہنوں"), "utf-8")
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    result = build_site(settings, now=NOW, writer=DiskWriter(tmp_path / "out", tmp_path / "cache" / "state"),
                        run_mkdocs=False, jobs=1)
    assert result.report is not None
    assert f"ur/{BASE}/index.html" in result.report.written
    assert "بہنوں" in page(tmp_path / "out", f"ur/{BASE}")
    # Its Urdu pages, the search bundle holding its record and its API document (each holds every language's
    # text), and the revisions of its document and its products' (theirs name it) in the API's id lists.
    assert sorted(p for p in without_search_bundles(result.report.written) if not p.startswith("ur/")) == [
        f"api/v1/{BASE}/index.json",
        "api/v1/ids/artisans/index.json", "api/v1/ids/products/index.json"], result.report.written
    assert search_bundles(result.report.written) == ["pk-0"]


def test_check_reports_coverage_and_lists_what_is_missing(make_site, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make(make_site, {f"{BASE}/products/kantha-shawl.md": PRODUCT.replace("Ralli quilt", "Kantha shawl")
                            .replace("1234567800", "1234567811")})
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--now", NOW.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "translations into ur: 1/1 artisans, 1/2 products (67%)" in out
    assert "translations into hi: 0/1 artisans, 0/2 products (0%)" in out
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--now", NOW.isoformat(), "--translations", "ur"]) == 0
    out = capsys.readouterr().out
    assert f"  {BASE}/products/kantha-shawl.md" in out
    assert f"  {BASE}/products/ralli-quilt.md" not in out
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--translations", "fr"]) == 2


def test_untranslated_omit_publishes_entry_pages_only_in_their_languages(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    second = PRODUCT.replace("Ralli quilt", "Kantha shawl").replace("1234567800", "1234567811")
    root = make(make_site, {f"{BASE}/products/kantha-shawl.md": second})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(LANGS, LANGS + "      untranslated: omit\n"), "utf-8")
    site, diagnostics = build(root, tmp_path)
    assert not [d for d in diagnostics if ": error:" in d], diagnostics
    assert (site / f"ur/{BASE}/index.html").is_file()  # translated into Urdu
    assert (site / f"ur/{BASE}/ralli-quilt/index.html").is_file()
    assert not (site / f"ur/{BASE}/kantha-shawl").exists()  # no Urdu translation: no Urdu page
    assert not (site / f"hi/{BASE}").exists()  # nothing is translated into Hindi
    # Listings in Urdu still show the untranslated product, linking to its English page.
    listing = (site / "ur/crafts/ralli-quilting/index.html").read_text("utf-8")
    assert f'href="/{BASE}/kantha-shawl/"' in listing
    assert f'href="/ur/{BASE}/ralli-quilt/"' in listing
    # The English page names only real translations in hreflang.
    english = page(site, f"{BASE}/kantha-shawl")
    assert 'rel="alternate" hreflang="ur"' not in english and 'rel="alternate" hreflang="hi"' not in english
    assert 'rel="alternate" hreflang="x-default"' in english
    assert 'rel="alternate" hreflang="ur"' in page(site, f"{BASE}/ralli-quilt")
    # The untranslated product is not marked as a fallback on the English site, where it is at home.
    assert "kg-notice--untranslated" not in english
    # With the default (`render`) every language has every page.
    config.write_text(config.read_text("utf-8").replace("      untranslated: omit\n", ""), "utf-8")
    site, _ = build(root, tmp_path / "render")
    assert (site / f"hi/{BASE}/kantha-shawl/index.html").is_file()


def test_a_content_page_translation_of_no_page_is_an_error(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, diagnostics = build(make(make_site, {"content/abuot.ur.md": "# ہمارے بارے میں\n"}), tmp_path)
    orphan = [d for d in diagnostics if d.endswith("[translation-orphan]")]
    assert orphan and orphan[0].startswith("content/abuot.ur.md:1:1: error:"), diagnostics


@pytest.mark.unlocated("translation-unknown-language",
                       reason="the language is in the file's name, not in any line of it")
def test_translations_into_a_language_the_site_does_not_publish_are_kept_with_a_warning(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = make(make_site, {"content/about.md": "# About\n", "content/about.ur.md": "# ہمارے بارے میں\n"})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(LANGS, "      languages: [en]\n"), "utf-8")
    site, diagnostics = build(root, tmp_path)
    assert not [d for d in diagnostics if ": error:" in d], diagnostics
    # One warning per file, naming the file (no line: see the marker); the hint says how to publish it.
    warnings = [re.match(r"(\S+\.ur\.md): warning: a translation into `ur`", d)
                for d in diagnostics if d.endswith("[translation-unknown-language]")]
    assert all(warnings), diagnostics
    foreign = sorted(match[1] for match in warnings if match)
    assert foreign == sorted(["content/about.ur.md", f"{BASE}/index.ur.md", f"{BASE}/products/ralli-quilt.ur.md"])
    assert not (site / "ur").exists()
    assert "شازیہ" not in page(site, BASE)
