"""Localized content beyond entries: training topics and translations, registry coverage, fallbacks, times.

Contract v1.1 makes registry names, a district's province and training
``topics`` localized text, counted by the coverage report.  These tests build
small sites (Karigar's pages only, no MkDocs) in English, Urdu and Hindi and
read what a reader, or an editor running ``karigar check``, gets.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from karigar.cli import main
from karigar.diagnostics import format_text
from karigar.render.locale import ui_locale

from tests.conftest import NOW, SiteFactory, build, settings_for
from tests.realsite import differences, set_languages, tree
from tests.test_validate import base_training, found, training

WEBINAR = """---
title: Listing a quilt live
kind: webinar
provider: Sample trainers
url: https://example.org/live-listing
starts: 2026-12-14T15:00:00+05:00
duration_minutes: 60
languages: [ur, en]
topics: [{en: embroidery, ur: کڑھائی, hi: कढ़ाई}, pricing, natural dyes]
---

A live session on listing a quilt.
"""
# A translation page with only a body: the title stays English (marked), the summary is Urdu.
WEBINAR_UR = "---\n---\n\nرضائی کی لسٹنگ پر ایک براہِ راست سیشن۔\n"
ARTISAN = """---
name: Shazia Bibi
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: volunteer-amna}
---

Shazia stitches ralli quilts.
"""
PRODUCT = """---
title: Ralli quilt
price: {amount: 12000, currency: PKR}
listings:
  - {marketplace: amazon, id: B0ABCDEFGH}
---

A quilt.
"""
BASE = "artisans/pk/thatta/shazia-bibi"


def trilingual(make_site: SiteFactory, files: dict[str, str | None]) -> Path:
    root = make_site(files)
    set_languages(root)
    return root


def built(root: Path, tmp: Path) -> Path:
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp / "site", cache_dir=tmp / "cache")
    result = build(settings, run_mkdocs=False, jobs=1)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    return tmp / "site"


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text("utf-8")


def options(html: str) -> list[tuple[str, str, str]]:
    """(value, other attributes, label) of each <option> with a value."""
    return re.findall(r'<option value="([^"]+)"([^>]*)>([^<]*)</option>', html)


def test_topics_read_in_the_readers_language_and_filter_by_one_key(make_site: SiteFactory, tmp_path: Path) -> None:
    site = built(trilingual(make_site, {"content/training/live-listing.md": WEBINAR,
                                        "content/training/live-listing.ur.md": WEBINAR_UR}), tmp_path)
    urdu = page(site, "ur/training")
    topic_options = [o for o in options(urdu) if o[0] in {"embroidery", "pricing", "natural dyes"}]
    # A map's own translation; a common topic from the catalog; any other plain topic in English, marked.
    assert sorted(topic_options) == sorted([("embroidery", "", "کڑھائی"), ("pricing", "", "قیمت کا تعین"),
                                            ("natural dyes", ' lang="en" dir="ltr"', "natural dyes")])
    assert 'کڑھائی، قیمت کا تعین، <span lang="en" dir="ltr">natural dyes</span>' in urdu
    hindi = page(site, "hi/training")
    assert "कढ़ाई, मूल्य निर्धारण, " in hindi
    english = page(site, "training")
    content = english[english.index('<div class="kg-page'):]
    assert "embroidery, pricing, natural dyes" in content and 'lang="en"' not in content  # at home: no marks
    # The filter compares the same keys on every language's page.
    for html in (urdu, hindi, english):
        assert 'data-topics="|embroidery|pricing|natural dyes|"' in html


def test_a_training_translation_gives_its_summary_and_the_untranslated_title_is_marked(
        make_site: SiteFactory, tmp_path: Path) -> None:
    site = built(trilingual(make_site, {"content/training/live-listing.md": WEBINAR,
                                        "content/training/live-listing.ur.md": WEBINAR_UR}), tmp_path)
    urdu = page(site, "ur/training")
    assert re.search(r'<a href="/ur/training/live-listing/" lang="en" dir="ltr">Listing a quilt live</a>', urdu)
    assert '<p class="kg-card__summary">رضائی کی لسٹنگ پر ایک براہِ راست سیشن۔</p>' in urdu
    assert '<p class="kg-card__provider" lang="en" dir="ltr">Sample trainers</p>' in urdu
    calendar = (site / "ur/training/calendar.ics").read_text("utf-8").replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=en:Listing a quilt live" in calendar
    assert "DESCRIPTION;LANGUAGE=ur:رضائی کی لسٹنگ" in calendar


@pytest.mark.parametrize(("topics", "code", "value"), [
    ("[listing, 12]", "text", "12"),
    ("[listing, {ur: کڑھائی}]", "text-default-missing", "{ur"),
])
def test_a_topic_that_is_not_text_is_a_located_error(topics: str, code: str, value: str) -> None:
    front = base_training(topics=topics)
    _, sink = training(front)
    text = f"topics: {topics}"
    line = front.splitlines().index(text) + 2  # after the front matter's opening ---
    assert found(sink) == [("error", code, line, text.index(value) + 1)], [d.message for d in sink.items]


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["check", "-f", str(root / "mkdocs.yml"), "--now", NOW.isoformat(), *extra]) == 0
    return capsys.readouterr().out


def test_check_counts_registries_and_topics_and_lists_what_is_left(make_site: SiteFactory,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = trilingual(make_site, {f"{BASE}/index.md": ARTISAN, "content/training/live-listing.md": WEBINAR})
    out = run_check(root, capsys)
    # The sample's registries are complete in Urdu and Hindi; "natural dyes" is in no language but English.
    for lang in ("ur", "hi"):
        assert (f"registries and topics in {lang}: 19/19 crafts, 5/5 marketplaces, 6/6 programs, "
                f"14/14 districts, 2/3 training topics") in out, out
    crafts = root / "artisans/_registry/crafts.yml"
    text = crafts.read_text("utf-8")
    urdu_line = re.search(r"(?m)^    ur: رنگ برنگے کپڑے.*\n", text)
    assert urdu_line, "the ralli-quilting description in Urdu moved: update this test"
    crafts.write_text(text.replace(urdu_line.group(0), ""), "utf-8")
    out = run_check(root, capsys, "--translations", "ur")
    assert "registries and topics in ur: 18/19 crafts" in out
    assert "registries and topics in hi: 19/19 crafts" in out
    assert "  artisans/_registry/crafts.yml: ralli-quilting (description)" in out
    assert "  content/training/live-listing.md (topics: natural dyes)" in out
    assert "crafts.yml: phulkari" not in out


def test_a_disclosure_not_yet_translated_is_marked_english(make_site: SiteFactory, tmp_path: Path) -> None:
    root = trilingual(make_site, {f"{BASE}/index.md": ARTISAN, f"{BASE}/products/ralli-quilt.md": PRODUCT})
    product = f"ur/{BASE}/ralli-quilt"
    translated = page(built(root, tmp_path / "a"), product)
    assert '<p class="kg-disclosure">Amazon ایسوسی ایٹ کی حیثیت سے' in translated
    registry = root / "artisans/_registry/marketplaces.yml"
    text = registry.read_text("utf-8")
    english_only = re.sub(r"(?m)^    (ur|hi): .*Karigar.*\n", "", text)
    assert english_only != text, "the sample's Amazon disclosure moved: update this test"
    registry.write_text(english_only, "utf-8")
    untranslated = page(built(root, tmp_path / "b"), product)
    assert re.search(r'<p class="kg-disclosure" lang="en" dir="ltr">As an Amazon Associate, Karigar earns',
                     untranslated)


def _latin(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")]


@pytest.mark.parametrize("lang", ["ur", "hi"])
@pytest.mark.parametrize("offset", [5, 5.5, -4])
def test_an_urdu_or_hindi_time_is_in_its_own_script_at_every_hour(lang: str, offset: float) -> None:
    ui = ui_locale(lang)
    zone = dt.timezone(dt.timedelta(hours=offset))
    for hour in range(24):
        text = ui.datetime(dt.datetime(2026, 12, 10, hour, 30, tzinfo=zone))
        assert _latin(text) == [], text
        # A line may break between the date, the time and the zone, never inside the time or the zone.
        time_and_zone = text.rstrip("\u2069").split(" (")
        assert " " not in time_and_zone[1], text
        if lang == "ur":
            assert text.startswith("\u2067") and text.endswith("\u2069"), text  # one right-to-left unit
        else:
            assert "\u2067" not in text and "\u2069" not in text
    # English keeps CLDR's "PM" and "UTC": only a reader of another script gets other words.
    assert ui_locale("en").datetime(dt.datetime(2026, 12, 10, 15, 0, tzinfo=zone)).count("PM") == 1


def test_editing_a_training_translation_rebuilds_as_a_clean_build_would(make_site: SiteFactory, tmp_path: Path) -> None:
    root = trilingual(make_site, {"content/training/live-listing.md": WEBINAR,
                                  "content/training/live-listing.ur.md": WEBINAR_UR})
    site = built(root, tmp_path / "incremental")
    assert "رضائی کی لائیو لسٹنگ" not in page(site, "ur/training")
    (root / "content/training/live-listing.ur.md").write_text("---\ntitle: رضائی کی لائیو لسٹنگ\n---\n"
                                                              + WEBINAR_UR.split("---\n", 2)[2], "utf-8")
    site = built(root, tmp_path / "incremental")  # the same folders: an incremental build
    assert '<a href="/ur/training/live-listing/">رضائی کی لائیو لسٹنگ</a>' in page(site, "ur/training")
    calendar = (site / "ur/training/calendar.ics").read_text("utf-8").replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=ur:رضائی کی لائیو لسٹنگ" in calendar
    assert differences(tree(site), tree(built(root, tmp_path / "clean"))) == []
