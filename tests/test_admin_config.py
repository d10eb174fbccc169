"""The web editor's configuration (/admin/config.yml) and the "Edit this page" links."""

from __future__ import annotations


import pytest

from karigar.config import Settings
from karigar.render.edit_links import edit_links
from tests.conftest import REPO, settings_for


@pytest.fixture(scope="module")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    out = tmp_path_factory.mktemp("admin-settings")
    return settings_for(REPO / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache",
                        editor_repo="karigar-org/catalog", editor_branch="main")


def test_an_artisan_product_and_training_resource_open_in_the_editor_and_on_the_git_host(sample_settings: Settings) -> None:
    base = sample_settings.base_path
    assert edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/index.md") == (
        f"{base}admin/#/collections/artisans-pk/entries/thatta/shazia-bibi/index",
        "https://github.com/karigar-org/catalog/blob/main/artisans/pk/thatta/shazia-bibi/index.md")
    assert edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md")[0] == (
        f"{base}admin/#/collections/products-pk/entries/thatta/shazia-bibi/products/ralli-quilt")
    # A translation file opens its entry (the editor shows every language side by side).
    editor, plain = edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/index.ur.md")
    assert editor == f"{base}admin/#/collections/artisans-pk/entries/thatta/shazia-bibi/index"
    assert plain is not None and plain.endswith("/shazia-bibi/index.ur.md")
    assert edit_links(sample_settings, "content/training/x.md") == (
        f"{base}admin/#/collections/training/entries/x",
        "https://github.com/karigar-org/catalog/blob/main/content/training/x.md")


def test_no_repository_means_no_links_and_a_scope_limits_the_editor_not_the_file_link(sample_settings: Settings) -> None:
    import dataclasses

    assert edit_links(dataclasses.replace(sample_settings, editor_repo=""),
                      "artisans/pk/thatta/shazia-bibi/index.md") == (None, None)
    scoped = dataclasses.replace(sample_settings, editor_scope=("pk/thatta", "in"))
    base = scoped.base_path
    assert edit_links(scoped, "artisans/pk/thatta/shazia-bibi/index.md")[0] == (
        f"{base}admin/#/collections/artisans-pk-thatta/entries/shazia-bibi/index")
    assert edit_links(scoped, "artisans/in/kutch/x/products/y.md")[0] == (
        f"{base}admin/#/collections/products-in/entries/kutch/x/products/y")
    editor, plain = edit_links(scoped, "artisans/pk/lahore/someone/index.md")
    assert editor is None and plain is not None, "outside the scope: the file on the Git host only"
    assert edit_links(scoped, "content/about.md")[0] is None
