"""Page-only parts kept out of the build's memory (issue 11, bounded memory; karigar.model.page_parts).

A big build moves what only an entry's own page shows (its story or
description, its translations' bodies, a product's materials, dimensions and
links) to a temporary file before it builds the catalog, and each entry page
reads the whole entry back, in whichever process renders it.  What a buyer
sees must not change: the site is the same, byte for byte, in three
languages with translations, rendered by forked workers.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest

import karigar.pipeline as pipeline
import karigar.render.site as render_stage
from karigar.commands.demo import run_demo
from karigar.incremental.quick import entry_shape
from karigar.model.page_parts import DETACHED, detach
from karigar.model.translate import is_translated
from karigar.model.types import Artisan, Product
from karigar.pipeline import build_site, check_site
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, REPO, settings_for
from tests.realsite import differences, tree

LANGUAGES = ("en", "ur", "hi")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 artisans in the sample's three languages, about a third of the entries with translation files."""
    dest = tmp_path_factory.mktemp("parts") / "demo"
    assert run_demo(site_root=REPO, dest=dest, artisans=40, seed=11, photos=False, force=False, out=io.StringIO()) == 0
    assert list(dest.glob("artisans/*/*/*/index.ur.md")), "the demo writes translations"
    return dest


def build(root: Path, out: Path, *, jobs: int = 1) -> pipeline.BuildResult:
    settings = settings_for(root / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache")
    result = build_site(settings, now=NOW, writer=DiskWriter(out / "site", out / "cache/state"), run_mkdocs=False,
                        jobs=jobs)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    return result


def test_a_build_that_detaches_the_page_parts_makes_the_same_site_in_every_process(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = build(demo, tmp_path / "whole")
    assert whole.check.catalog is not None and whole.check.catalog.parts is None  # 40 artisans: under the threshold
    monkeypatch.setattr(pipeline, "DETACH_THRESHOLD", 1)
    monkeypatch.setattr(render_stage, "PARALLEL_RENDER_THRESHOLD", 1)  # forked workers read the parts back
    slim = build(demo, tmp_path / "slim", jobs=2)
    catalog = slim.check.catalog
    assert catalog is not None and catalog.parts is not None
    assert "page parts" in slim.check.timings.stages
    # The catalog holds no story: every artisan's is the marker (or empty), and its page still shows it.
    told = [a for a in catalog.artisans if a.story_html]
    assert told and all(a.story_html == DETACHED for a in told)
    story = catalog.whole_artisan(told[0]).story_html
    assert story.startswith("<p>") and story in (tmp_path / "slim/site" / told[0].folder / "index.html").read_text("utf-8")
    assert differences(tree(tmp_path / "slim/site"), tree(tmp_path / "whole/site")) == []


def test_slim_entries_keep_every_fact_but_the_page_parts_and_read_back_whole(demo: Path, tmp_path: Path) -> None:
    settings = settings_for(demo / "mkdocs.yml", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    check = check_site(settings, now=NOW, jobs=1)
    assert check.ok and check.model is not None
    artisans, products = check.model.artisans, check.model.products
    slim_artisans, slim_products, parts = detach(artisans, products, folder=tmp_path / "cache")
    try:
        for full, slim in [*zip(artisans, slim_artisans), *zip(products, slim_products)]:
            assert isinstance(slim, type(full))
            # What places the entry (lists, routes, photos, which languages its pages read in) is unchanged...
            assert entry_shape(slim, LANGUAGES) == entry_shape(full, LANGUAGES)
            assert [is_translated(slim, lang, "en") for lang in LANGUAGES] == \
                [is_translated(full, lang, "en") for lang in LANGUAGES]
            # ... the page's own words are not in it ...
            body = full.story_html if isinstance(full, Artisan) else full.description_html
            lead = full.story_lead if isinstance(full, Artisan) else full.description_lead
            kept = pickle.dumps(slim)
            assert lead[:40].encode() not in kept if lead else True
            assert (body[3:43].encode() not in kept) if body else True
            for translation in full.translations:
                if translation.body_lead:
                    assert translation.body_lead[:40].encode() not in kept
            # ... and the whole entry comes back, equal to the one validated.
            back = parts.artisan(slim) if isinstance(slim, Artisan) else parts.product(slim)
            assert back == full
        # A product's cards show its first link: kept whole; the others keep their marketplace only.
        many = [(f, s) for f, s in zip(products, slim_products) if len(f.listings) > 1]
        assert many
        for full, slim in many:
            assert slim.listings[0] == full.listings[0]
            assert [link.marketplace for link in slim.listings] == [link.marketplace for link in full.listings]
            assert all(link.url == "" for link in slim.listings[1:])
    finally:
        parts.close()
    assert not any((tmp_path / "cache").glob("page-parts-*")), "the file has no name: nothing is left behind"


def test_an_entry_that_was_not_detached_reads_as_itself(demo: Path, tmp_path: Path) -> None:
    settings = settings_for(demo / "mkdocs.yml", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    check = check_site(settings, now=NOW, jobs=1)
    assert check.model is not None
    artisan: Artisan = check.model.artisans[0]
    product: Product = check.model.products[0]
    _artisans, _products, parts = detach([artisan], [], folder=tmp_path / "cache")
    try:
        assert parts.product(product) is product  # its folder's record holds only the artisan
        other = next(a for a in check.model.artisans if a.folder != artisan.folder)
        assert parts.artisan(other) is other
    finally:
        parts.close()
