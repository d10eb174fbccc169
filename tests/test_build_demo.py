"""A catalog this project did not hand-write (the synthetic demo) builds every page type."""

from __future__ import annotations

import io
from pathlib import Path

from karigar.commands.build import run_build
from karigar.commands.demo import run_demo
from tests.conftest import NOW, REPO


def test_demo_catalog_builds_every_page_type_and_hides_its_drafts(tmp_path: Path) -> None:
    dest = tmp_path / "demo"
    assert run_demo(site_root=REPO, dest=dest, artisans=120, seed=7, photos=False, force=False, out=io.StringIO()) == 0
    out, err = io.StringIO(), io.StringIO()
    code = run_build(config_file=dest / "mkdocs.yml", site_dir=dest / "site", now=NOW, quiet=True, out=out, err=err)
    assert code == 0, err.getvalue()
    site = dest / "site"
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert (site / "training/index.html").is_file() and (site / "training/calendar.ics").is_file()
    for listing in ("artisans", "crafts", "marketplaces"):
        assert (site / listing / "index.html").is_file()
    assert list(site.glob("artisans/*/index.html")), "country pages"
    assert list(site.glob("artisans/*/*/index.html")), "district pages"
    assert list(site.glob("crafts/*/index.html")), "craft pages"
    assert list(site.glob("marketplaces/*/index.html")), "marketplace pages"
    # Every non-draft entry has its page; every draft has none.
    drafts = published = 0
    for index in (dest / "artisans").glob("*/*/*/index.md"):
        folder = index.parent.relative_to(dest).as_posix()
        if "draft: true" in index.read_text("utf-8"):
            drafts += 1
            assert not (site / folder).exists(), folder
            continue
        published += 1
        assert (site / folder / "index.html").is_file(), folder
        for product in (index.parent / "products").glob("*.md"):
            if product.stem.count("."):
                continue  # a translation (<product>.ur.md): its pages are under /ur/
            assert (site / folder / product.stem / "index.html").is_file(), product
    assert published > 100 and drafts >= 1
