"""Bad input: located diagnostics, all of them in one run, and the last good site untouched."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from karigar.commands.build import run_build
from karigar.commands.check import run_check
from tests.conftest import NOW, REPO

ARTISAN = """---
name: Shazia Bibi
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: volunteer-amna}
---

Shazia stitches *ralli* quilts from cotton scraps.
"""

PRODUCT = """---
title: Ralli quilt
price: {amount: 12000, currency: PKR}
listings:
  - {marketplace: etsy, id: "1234567890"}
---

A quilt of many colours.
"""


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def good_site(make_site) -> Path:  # type: ignore[no-untyped-def]
    return make_site({
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
        "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md": PRODUCT,
    })


def cli_build(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_build(config_file=root / "mkdocs.yml", site_dir=root / "site", now=NOW, quiet=False, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_three_errors_in_three_files_are_all_reported_and_the_site_is_untouched(make_site) -> None:  # type: ignore[no-untyped-def]
    root = good_site(make_site)
    code, out, err = cli_build(root)
    assert code == 0, err
    before = tree_digest(root / "site")
    assert "artisans/pk/thatta/shazia-bibi/ralli-quilt/index.html" in before

    (root / "artisans/pk/thatta/shazia-bibi/index.md").write_text(ARTISAN.replace("ralli-quilting", "ralli-quiltng"))
    (root / "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md").write_text(
        PRODUCT.replace('id: "1234567890"', "url: http://www.etsy.com/listing/1"))
    (root / "artisans/_registry/programs.yml").write_text(
        (REPO / "artisans/_registry/programs.yml").read_text() + "\nbroken:\n  nme: x\n")
    code, out, err = cli_build(root)
    assert code == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert any(line.startswith("artisans/pk/thatta/shazia-bibi/index.md:3:") and "ralli-quiltng" in line
               and "did you mean `ralli-quilting`" in line for line in lines), err
    assert any(line.startswith("artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md:5:") for line in lines), err
    assert any(re.match(r"artisans/_registry/programs\.yml:\d+:\d+: error: unknown key `nme` in `broken`", line)
               for line in lines), err
    assert tree_digest(root / "site") == before


def test_check_prints_github_annotations(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"artisans/pk/thatta/shazia-bibi/index.md": ARTISAN.replace("crafts:", "craft:")})
    out, err = io.StringIO(), io.StringIO()
    code = run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="github", out=out, err=err)
    assert code == 1
    assert "::error file=artisans/pk/thatta/shazia-bibi/index.md,line=3,col=1," in out.getvalue()
    assert "did you mean `crafts`" in out.getvalue()


def test_no_change_rebuild_writes_nothing(make_site) -> None:  # type: ignore[no-untyped-def]
    root = good_site(make_site)
    assert cli_build(root)[0] == 0
    mtimes = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()}
    code, out, _ = cli_build(root)
    assert code == 0
    assert " 0 written, 0 removed" in out
    assert mtimes == {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()}


def test_deleting_an_entry_removes_its_pages(make_site) -> None:  # type: ignore[no-untyped-def]
    root = good_site(make_site)
    assert cli_build(root)[0] == 0
    (root / "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md").unlink()
    assert cli_build(root)[0] == 0
    assert not (root / "site/artisans/pk/thatta/shazia-bibi/ralli-quilt").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "karigar", "build", "--now", "yesterday"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "ISO 8601" in proc.stderr


def test_the_command_reports_through_a_pipe_and_exits_with_the_builds_code(make_site) -> None:  # type: ignore[no-untyped-def]
    """`karigar` ends with a hard exit (karigar.cli.command): what it printed into a pipe still arrives."""
    root = good_site(make_site)
    built = subprocess.run([sys.executable, "-m", "karigar", "build"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built site/: ") and "stages: " in built.stdout
    (root / "artisans/pk/thatta/shazia-bibi/index.md").write_text(ARTISAN.replace("crafts: [ralli-quilting]", "crafts: [ralli-quiltin]"), "utf-8")
    failed = subprocess.run([sys.executable, "-m", "karigar", "build"], cwd=root, capture_output=True, text=True)
    assert failed.returncode == 1
    assert re.search(r"(?m)^artisans/pk/thatta/shazia-bibi/index\.md:\d+:\d+: error: ", failed.stderr), failed.stderr
    assert "the site in" in failed.stderr and "was not changed" in failed.stderr


def test_plain_mkdocs_build_stops_and_names_karigar_build(make_site) -> None:  # type: ignore[no-untyped-def]
    root = good_site(make_site)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "karigar build" in proc.stderr
    assert not (root / "site").exists()


def test_content_page_colliding_with_a_catalog_url_is_a_located_error(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
        "content/crafts.md": "# Crafts\n\nA page that would hide the catalog's crafts.\n",
    })
    code, _, err = cli_build(root)
    assert code == 1
    assert "content/crafts.md:1:1: error: `/crafts/` is already made by" in err


def test_overfull_district_gets_an_explained_error(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {}
    # (A cap of at least 7: /feeds/ holds seven entries whatever the catalog, see karigar.render.feeds.)
    for i in range(7):
        files[f"artisans/pk/thatta/artisan-{i}/index.md"] = ARTISAN.replace("Shazia Bibi", f"Artisan {i}")
    root = make_site(files, plugin="      folder_cap: 7\n")
    code, _, err = cli_build(root)
    assert code == 1
    assert re.search(r"(?m)^artisans/pk/thatta/artisan-\d/index\.md:\d+:\d+: error: output folder "
                     r"`artisans/pk/thatta` would hold 8 entries", err), err
    assert "refuses more than 7" in err


@pytest.mark.parametrize("per_page", [2])
def test_listing_pages_paginate_at_the_setting(make_site, per_page: int) -> None:  # type: ignore[no-untyped-def]
    files = {}
    for i in range(5):
        files[f"artisans/pk/thatta/artisan-{i}/index.md"] = ARTISAN.replace("Shazia Bibi", f"Artisan {i}")
    root = make_site(files, plugin=f"      per_page: {per_page}\n")
    code, _, err = cli_build(root)
    assert code == 0, err
    site = root / "site"
    folder = site / "artisans/pk/thatta"
    pages = [folder / "index.html"]
    while (folder / f"page/{len(pages) + 1}/index.html").is_file():
        pages.append(folder / f"page/{len(pages) + 1}/index.html")
    html = [p.read_text("utf-8") for p in pages]
    shown = [re.findall(r"Artisan (\d)", h) for h in html]
    # Five artisans, about two a page (karigar.catalog.paging): more than one page, none over four,
    # each artisan on exactly one page, in order.
    assert len(pages) >= 2 and all(1 <= len(set(names)) <= 2 * per_page for names in shown), shown
    order = [n for names in shown for n in dict.fromkeys(names)]
    assert order == ["0", "1", "2", "3", "4"], shown
    assert 'rel="prev"' not in html[0] and 'rel="next"' in html[0]
    assert 'rel="prev"' in html[-1] and 'rel="next"' not in html[-1]


def test_duplicate_artisan_slug_across_districts_is_located_at_the_second(make_site) -> None:  # type: ignore[no-untyped-def]
    hala = ARTISAN.replace("district: Thatta", "district: Matiari")
    root = make_site({
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
        "artisans/pk/matiari/shazia-bibi/index.md": hala,
    })
    code, _, err = cli_build(root)
    assert code == 1
    assert ("artisans/pk/thatta/shazia-bibi/index.md:1:1: error: artisan slug `shazia-bibi` is already used by "
            "artisans/pk/matiari/shazia-bibi/") in err


def test_artisans_of_one_district_folder_must_agree(make_site) -> None:  # type: ignore[no-untyped-def]
    other = ARTISAN.replace("Shazia Bibi", "Amna").replace("province: Sindh", "province: Punjab")
    root = make_site({
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
        "artisans/pk/thatta/amna/index.md": other,
    }, registries=True)
    # Without a districts.yml entry the two files disagree with each other.
    (root / "artisans/_registry/districts.yml").write_text("{}\n")
    code, _, err = cli_build(root)
    assert code == 1
    assert "artisans/pk/thatta/shazia-bibi/index.md:4:" in err and "all artisans of one district folder must agree" in err


def test_a_draft_artisan_and_its_products_and_photos_are_published_nowhere(make_site) -> None:  # type: ignore[no-untyped-def]
    draft = ARTISAN.replace("consent: {given: 2025-03-01, recorded_by: volunteer-amna}\n", "draft: true\n")
    draft = draft.replace("name: Shazia Bibi", "name: Secret Person\nphoto: {src: photos/face.jpg, alt: A face}")
    root = make_site({
        "artisans/pk/thatta/secret-person/index.md": draft,
        "artisans/pk/thatta/secret-person/products/ralli-quilt.md": PRODUCT,
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
    })
    photo = root / "artisans/pk/thatta/secret-person/photos/face.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(sorted((REPO / "artisans").glob("*/*/*/photos/*.jpg"))[0].read_bytes())
    code, _, err = cli_build(root)
    assert code == 0, err
    for path in (root / "site").rglob("*"):
        assert "secret-person" not in path.as_posix()
        if path.is_file() and path.suffix in {".html", ".ics"}:
            text = path.read_text("utf-8")
            assert "Secret Person" not in text and "secret-person" not in text, path
