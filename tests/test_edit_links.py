"""Every artisan, product and training page says where to change it: its entry in the web editor, and its file.

The sample site sets ``editor_repo``; the links are read off the built pages as a volunteer would follow them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, build, settings_for

_EDIT = re.compile(r'<p class="kg-edit">(.*?)</p>', re.S)
_HREF = re.compile(r'<a href="([^"]+)" rel="nofollow">([^<]+)</a>')


def edit_links(page: Path) -> dict[str, str]:
    """The page's edit links, label -> URL (empty when it has none)."""
    found = _EDIT.findall(page.read_text("utf-8"))
    assert len(found) <= 1, page
    return {label: url for url, label in _HREF.findall(found[0])} if found else {}


def test_an_artisan_page_opens_its_entry_in_the_editor_and_links_its_file(sample_site: Path) -> None:
    links = edit_links(sample_site / "artisans/pk/thatta/shazia-bibi/index.html")
    assert links == {
        "Edit this page": "/admin/#/collections/artisans-pk/entries/thatta/shazia-bibi/index",
        "Its file on GitHub": "https://github.com/karigar/karigar/blob/main/artisans/pk/thatta/shazia-bibi/index.md",
    }
    assert (REPO / "artisans/pk/thatta/shazia-bibi/index.md").is_file()


def test_a_product_page_opens_the_product_entry(sample_site: Path) -> None:
    links = edit_links(sample_site / "artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/index.html")
    assert links["Edit this page"] == "/admin/#/collections/products-pk/entries/thatta/shazia-bibi/products/ralli-quilt-triangles"
    assert links["Its file on GitHub"].endswith("/blob/main/artisans/pk/thatta/shazia-bibi/products/ralli-quilt-triangles.md")


def test_the_urdu_page_links_the_urdu_file_where_there_is_one(sample_site: Path) -> None:
    translated = sorted(REPO.glob("artisans/*/*/*/index.ur.md"))
    assert translated, "the sample has no Urdu translation of an artisan"
    folder = translated[0].parent.relative_to(REPO)
    links = edit_links(sample_site / "ur" / folder / "index.html")
    editor, file = links.values()  # the labels are Urdu here: the editor first, then the file
    assert "اس صفحے میں ترمیم کریں" in links
    assert file.endswith(f"/blob/main/{folder}/index.ur.md")
    # The editor shows every language of the entry side by side: the same entry as the English page's.
    assert editor == edit_links(sample_site / folder / "index.html")["Edit this page"]
    assert 'lang="ur"' in (sample_site / "ur" / folder / "index.html").read_text("utf-8")


def test_every_entry_page_has_the_links_and_listings_have_none(sample_site: Path) -> None:
    entries = [p for p in (sample_site / "artisans").glob("*/*/*/**/index.html") if "/page/" not in p.as_posix()]
    assert len(entries) > 20
    for page in entries:
        assert set(edit_links(page)) == {"Edit this page", "Its file on GitHub"}, page
    training = sorted((sample_site / "training").glob("*/index.html"))
    assert training
    for page in training:
        links = edit_links(page)
        slug = page.parent.name
        assert links["Edit this page"] == f"/admin/#/collections/training/entries/{slug}", page
        assert links["Its file on GitHub"].endswith(f"/blob/main/content/training/{slug}.md")
    assert edit_links(sample_site / "artisans/index.html") == {}
    assert edit_links(sample_site / "index.html") == {}


@pytest.fixture
def no_editor_site(tmp_path: Path) -> Path:
    from tests.realsite import copy_sample
    root = copy_sample(tmp_path / "src", districts=("pk/thatta",))
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "      editor_repo: karigar/karigar\n" in text
    config.write_text(text.replace("      editor_repo: karigar/karigar\n", ""), "utf-8")
    settings = settings_for(config, site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    assert build(settings, run_mkdocs=False).ok
    return tmp_path / "site"


def test_a_site_without_an_editor_repository_shows_no_edit_links(no_editor_site: Path) -> None:
    page = no_editor_site / "artisans/pk/thatta/shazia-bibi/index.html"
    assert page.is_file()
    assert edit_links(page) == {}
