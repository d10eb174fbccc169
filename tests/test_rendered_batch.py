"""Outputs made by forked render workers, recorded as arrays after they end (karigar.write.batch).

The parallel render no longer records each output as it arrives; what the
workers made is recorded once they have ended.  The published state must be
the one a single-process build records, so every later build (nothing
changed, an artisan removed, a build after one that was killed) still ends
at the clean site, byte for byte.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import karigar.render.site as render_stage
from karigar.commands.demo import run_demo
from karigar.pipeline import build_site
from karigar.write.batch import RenderedBatch
from karigar.write.funnel import DiskWriter, WriteReport
from karigar.write.published import PublishedStore
from tests.conftest import NOW, REPO, settings_for
from tests.realsite import differences, tree
from karigar.write.shard import SEARCH_BUNDLES
from tests.realsite import search_bundles, without_search_bundles


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("batch") / "demo"
    assert run_demo(site_root=REPO, dest=dest, artisans=30, seed=5, photos=False, force=False, out=io.StringIO()) == 0
    return dest


def build(root: Path, out: Path, *, jobs: int) -> WriteReport:
    settings = settings_for(root / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache")
    result = build_site(settings, now=NOW, writer=DiskWriter(out / "site", out / "cache/state"), run_mkdocs=False,
                        jobs=jobs)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    assert result.report is not None
    return result.report


def rows(out: Path) -> dict[str, tuple[str, str]]:
    store = PublishedStore(out / "cache/state/published.sqlite", "../../site")
    found = store.all()
    store.close()
    assert found is not None
    digests, signatures = found
    # A search bundle by its entry file's signature (a hash of its records): Pagefind's bytes and the names
    # of its filter chunks differ between runs of the same records.
    return {path: (digest if not path.startswith(SEARCH_BUNDLES) else "", signatures.get(path, ""))
            for path, digest in digests.items()
            if not path.startswith(SEARCH_BUNDLES) or path.endswith("/pagefind-entry.json")}


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_stage, "PARALLEL_RENDER_THRESHOLD", 1)


def test_workers_record_the_state_a_single_process_records(demo: Path, tmp_path: Path, parallel: None) -> None:
    single = build(demo, tmp_path / "single", jobs=1)
    multi = build(demo, tmp_path / "multi", jobs=2)
    assert sorted(multi.rendered) == sorted(single.rendered) and len(multi.rendered) > 500
    # (Search bundles are indexed by Pagefind, whose bytes differ between runs: compared by their records.)
    assert sorted(without_search_bundles(multi.written)) == sorted(without_search_bundles(single.written))
    assert search_bundles(multi.written) == search_bundles(single.written) != []
    assert rows(tmp_path / "multi") == rows(tmp_path / "single")
    assert differences(tree(tmp_path / "multi/site"), tree(tmp_path / "single/site")) == []
    # The next build trusts those rows: every page is current, nothing is rendered again.
    again = build(demo, tmp_path / "multi", jobs=2)
    assert again.rendered == [] and again.written == [] and again.removed == []


def test_after_a_parallel_build_a_removed_artisan_s_pages_go(demo: Path, tmp_path: Path, parallel: None) -> None:
    root = tmp_path / "demo"
    shutil.copytree(demo, root)
    build(root, tmp_path / "multi", jobs=2)
    folder = sorted(root.glob("artisans/*/*/*/index.md"))[0].parent
    shutil.rmtree(folder)
    # A changed entry set renders listings again in parallel too; the removed artisan's pages are pruned.
    report = build(root, tmp_path / "multi", jobs=2)
    gone = folder.relative_to(root).as_posix()
    assert any(path.startswith(gone + "/") for path in report.removed)
    build(root, tmp_path / "clean", jobs=1)
    assert differences(tree(tmp_path / "multi/site"), tree(tmp_path / "clean/site")) == []


def test_a_parallel_build_after_a_killed_one_ends_at_the_clean_site(demo: Path, tmp_path: Path, parallel: None) -> None:
    build(demo, tmp_path / "multi", jobs=2)
    stray = tmp_path / "multi/site/artisans/stray.html"
    stray.write_text("left by a killed build", "utf-8")
    (tmp_path / "multi/cache/state/building").write_text("1", "utf-8")  # the marker a killed build leaves
    build(demo, tmp_path / "multi", jobs=2)
    assert not stray.exists()
    build(demo, tmp_path / "clean", jobs=1)
    assert differences(tree(tmp_path / "multi/site"), tree(tmp_path / "clean/site")) == []
    assert rows(tmp_path / "multi") == rows(tmp_path / "clean")


def test_a_batch_is_recorded_only_whole(tmp_path: Path) -> None:
    class Job:
        def __init__(self, output: str) -> None:
            self.output, self.signature = output, f"sig-{output}"

    made = RenderedBatch(2)
    made.put(1, "ab" * 16, True, 10)
    writer = DiskWriter(tmp_path / "site", tmp_path / "state")
    with pytest.raises(ValueError, match="every one"):
        writer.record_batch([Job("a.html"), Job("b.html")], made)
    made.put(0, "cd" * 16, False, 5)
    assert list(made.rows([Job("b.html"), Job("a.html")])) == [("a.html", "ab" * 16, "sig-a.html"),
                                                               ("b.html", "cd" * 16, "sig-b.html")]
