"""Quick builds: an edit that moves no entry renders only the pages that show it, and the site a clean build makes.

``karigar build`` in a Git work tree takes the quick path when only entry
files changed and every changed entry keeps its shape (karigar.incremental.quick).
Each test starts from one full build of part of the sample site (three
languages, translations, photos) committed to Git, makes a volunteer's edit
and checks what a user of the site would notice: every page reads as a clean
build of the edited tree renders it, and the edit costs only its own pages --
exactly the pages the full incremental path re-renders for the same edit.
"""

from __future__ import annotations

import pickle
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from karigar.catalog import paging
from karigar.config import Settings
from karigar.incremental.index import BuildIndex, part_checksum
from karigar.incremental.quick import Snapshot
from karigar.incremental.uptodate import stamp_file
from karigar.pipeline import BuildResult, build_site, build_to_disk, entry_cache_file
from karigar.write.funnel import DiskWriter
from karigar.write.published import PublishedStore
from tests.conftest import NOW, settings_for
from tests.realsite import copy_sample, differences, tree
from tests.realsite import search_bundles, without_search_bundles

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

DISTRICTS = ("pk/thatta", "pk/multan", "in/lucknow")
LUCKNOW = "artisans/in/lucknow/rukhsana-parveen"
TABLE_COVER = f"{LUCKNOW}/products/chikankari-table-cover.md"
Edit = Callable[[Path], None]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=volunteer@example.org",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def settings_of(root: Path) -> Settings:
    return settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".karigar-cache")


def build(root: Path) -> BuildResult:
    """``karigar build`` (the command's own path: stamp, quick or full build) in one process."""
    result = build_to_disk(settings_of(root), now=NOW, jobs=1)
    assert isinstance(result, BuildResult) and result.ok, result
    return result


def full_incremental(root: Path) -> BuildResult:
    """The full path on the same tree and cache, never the quick one (what the build did before)."""
    settings = settings_of(root)
    result = build_site(settings, now=NOW, writer=DiskWriter(root / "site", root / ".karigar-cache" / "state"), jobs=1)
    assert result.ok
    return result


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Part of the sample site in a Git repository, built once in full (the cache Netlify would restore)."""
    root = copy_sample(tmp_path_factory.mktemp("quick") / "origin", districts=DISTRICTS)
    # Two cards a listing page, so an edit lands on page 2 or 3 of some; one featured artisan and one
    # product on the home page, so most entries are not on it (as in a catalog of thousands).
    replace_in(root / "mkdocs.yml", "per_page: 50", "per_page: 2")
    replace_in(root / "mkdocs.yml", "featured_limit: 12", "featured_limit: 1")
    (root / TABLE_COVER.replace(".md", ".ur.md")).write_text(
        "---\ntitle: چکن کاری میز پوش\n---\n\nسوتی وائل کا گول میز پوش۔\n", "utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    assert build(root).quick is None
    return root


def checkout(origin: Path, dest: Path) -> Path:
    """A copy of the built origin: its tree, Git repository, site and cache."""
    shutil.copytree(origin, dest, symlinks=True)
    return dest


def clean_tree(root: Path, dest: Path) -> dict[str, str]:
    """The site a clean build of ``root``'s inputs makes (no site, no cache)."""
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns("site", ".karigar-cache"))
    result = build(dest)
    assert result.quick is None
    return tree(dest / "site")


def pinned(root: Path) -> frozenset[str]:
    snapshot = BuildIndex(entry_cache_file(settings_of(root))).snapshot()
    assert isinstance(snapshot, Snapshot)
    return snapshot.pinned


def product_body(root: Path) -> None:
    replace_in(root / TABLE_COVER, "amount: 2100", "amount: 2250")
    replace_in(root / TABLE_COVER, "soft grey leaves.", "soft grey leaves, like breath on glass.")


def translations(root: Path) -> None:
    replace_in(root / f"{LUCKNOW}/index.ur.md", "چکن کاری", "چکن کاری کا فن")
    replace_in(root / TABLE_COVER.replace(".md", ".ur.md"), "گول میز پوش", "گول اور ہلکا میز پوش")


def story_and_alt_text(root: Path) -> None:
    index = root / f"{LUCKNOW}/index.md"
    index.write_text(index.read_text("utf-8").rstrip("\n") + "\n\nShe now teaches two apprentices.\n", "utf-8")
    replace_in(root / TABLE_COVER, "alt: Round white table cover", "alt: A round white table cover")


@pytest.mark.parametrize("edit", [product_body, translations, story_and_alt_text],
                         ids=["product price and text", "translations", "artisan story and a photo's alt text"])
def test_an_edit_that_moves_no_entry_renders_its_pages_only_and_the_site_a_clean_build_makes(
        origin: Path, tmp_path: Path, edit: Edit) -> None:
    assert not {TABLE_COVER, f"{LUCKNOW}/index.md"} & pinned(origin), (
        "the test's entries must not be on the home page or the crafts index")
    root, twin = checkout(origin, tmp_path / "root"), checkout(origin, tmp_path / "twin")
    edit(root)
    edit(twin)

    quick = build(root)
    assert quick.quick is not None and quick.quick >= 1
    full = full_incremental(twin)
    # The same pages as the full path re-renders (it re-renders _headers on every build, from MkDocs' pages).
    assert quick.report is not None and full.report is not None
    assert sorted(without_search_bundles(quick.report.rendered)) == sorted(
        p for p in without_search_bundles(full.report.rendered) if p != "_headers")
    # The search bundle holding the edited entries is indexed again, the same one on both paths.
    assert search_bundles(quick.report.written) == search_bundles(full.report.written) != []
    assert any(p.startswith("ur/") for p in quick.report.rendered) and quick.report.written
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []
    # The signatures it recorded are the full path's: a full build after it renders nothing new.
    stamp_file(settings_of(root)).unlink()
    assert full_incremental(root).report.rendered == ["_headers"]  # type: ignore[union-attr]


def test_a_fresh_clone_with_the_cache_restored_builds_a_pull_request_quickly(origin: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    for folder in ("site", ".karigar-cache"):  # Netlify's cache plugin restores these into the new checkout
        shutil.copytree(origin / folder, clone / folder)
    product_body(clone)
    git(clone, "commit", "-q", "-am", "New price")
    with pytest.MonkeyPatch.context() as patch:
        # Its cost follows the change: the published state's rows are read for its own pages only
        # (1.13 million rows at 50,000 artisans in three languages).
        patch.setattr(PublishedStore, "all", lambda self: pytest.fail("a quick build read every published row"))
        # ...and the listings' pages begin where the full build cut them (cutting hashes every key of a list).
        patch.setattr(paging, "_is_cut", lambda key, one_in: pytest.fail("a quick edit cut a listing again"))
        result = build(clone)
    assert result.quick == 1
    assert differences(tree(clone / "site"), clean_tree(clone, tmp_path / "clean")) == []


def retitle(root: Path) -> None:
    replace_in(root / TABLE_COVER, "title: Chikankari shadow-work table cover", "title: Zardozi table cover")


def new_craft(root: Path) -> None:
    replace_in(root / TABLE_COVER, "materials:", "crafts: [chikankari, ajrak-block-printing]\nmaterials:")


def draft(root: Path) -> None:
    replace_in(root / TABLE_COVER, "price:", "draft: true\nprice:")


def new_product(root: Path) -> None:
    shutil.copy(root / TABLE_COVER, root / TABLE_COVER.replace("table-cover", "table-runner"))


def registry(root: Path) -> None:
    path = root / "artisans/_registry/crafts.yml"
    path.write_text(path.read_text("utf-8") + "\n# reviewed\n", "utf-8")


def pinned_entry(root: Path) -> None:
    path = root / sorted(p for p in pinned(root) if p.endswith(".md") and "/products/" in p)[0]
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n\nAlso in indigo.\n", "utf-8")


def broken(root: Path) -> None:
    replace_in(root / TABLE_COVER, "amount: 2100", "amount: lots")


@pytest.mark.parametrize("edit", [retitle, new_craft, draft, new_product, registry, pinned_entry, broken])
def test_an_edit_that_moves_an_entry_or_touches_more_takes_the_full_path(
        origin: Path, tmp_path: Path, edit: Edit) -> None:
    root = checkout(origin, tmp_path / "root")
    edit(root)
    settings = settings_of(root)
    result = build_to_disk(settings, now=NOW, jobs=1)
    assert isinstance(result, BuildResult) and result.quick is None
    if edit is broken:
        # Every error of the tree, located, as the full path reports it; the site is left as it was.
        assert not result.ok and any(d.is_error and d.location.path == TABLE_COVER and d.location.line
                                     for d in result.check.diagnostics)
        assert tree(root / "site") == tree(origin / "site")
        return
    assert result.ok
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


def test_a_damaged_index_row_sends_the_build_down_the_full_path_never_to_a_wrong_page(
        origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "root")
    index = entry_cache_file(settings_of(root))
    with sqlite3.connect(index) as db:
        # Every published row but the edited entry's: a listing page showing it cannot be planned.
        db.execute("UPDATE published SET checksum = 'x' WHERE source != ?", (TABLE_COVER,))
    product_body(root)
    result = build(root)
    assert result.quick is None
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


def test_a_quick_edit_writes_the_snapshot_s_keys_not_its_skeleton(origin: Path, tmp_path: Path) -> None:
    """The skeleton (56 MB at 50,000 artisans in three languages) is written by full builds and
    additions only; a quick edit changes the snapshot's keys, and the next edit still builds quickly."""
    root = checkout(origin, tmp_path / "root")
    index = BuildIndex(entry_cache_file(settings_of(root)))
    skeleton, head = index.snapshot_part("skeleton"), index.snapshot()
    product_body(root)
    assert build(root).quick == 1
    assert index.snapshot_part("skeleton") == skeleton and index.snapshot() != head
    translations(root)
    assert build(root).quick == 2
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


def test_a_skeleton_that_is_not_the_snapshot_s_sends_the_build_down_the_full_path(origin: Path,
                                                                                 tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "root")
    with sqlite3.connect(entry_cache_file(settings_of(root))) as db:
        # Another build's skeleton, with a valid checksum of its own: it does not match the snapshot's.
        blob = db.execute("SELECT value FROM snapshot WHERE name = 'part:skeleton'").fetchone()[0]
        other = pickle.dumps(pickle.loads(blob), protocol=2)
        db.execute("UPDATE snapshot SET value = ?, checksum = ? WHERE name = 'part:skeleton'",
                   (other, part_checksum(other)))
    product_body(root)
    assert build(root).quick is None
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


@pytest.mark.parametrize("damage", ["truncated", "foreign", "row missing"])
def test_a_damaged_published_state_is_never_trusted_for_a_quick_build(origin: Path, tmp_path: Path,
                                                                      damage: str) -> None:
    root = checkout(origin, tmp_path / "root")
    state = root / ".karigar-cache" / "state" / "published.sqlite"
    if damage == "truncated":  # a cache restore cut short
        state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    elif damage == "foreign":
        with sqlite3.connect(state) as db:
            db.execute("PRAGMA application_id = 7")
    else:  # the row of a page the edit re-renders is gone: nothing can be kept on its word
        with sqlite3.connect(state) as db:
            db.execute("DELETE FROM outputs WHERE path = ?", (TABLE_COVER.replace("artisans/", "artisans/", 1)
                                                              .replace("/products/", "/").replace(".md", "/index.html"),))
    product_body(root)
    result = build(root)
    if damage != "row missing":
        assert result.quick is None
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []


def test_a_quick_build_killed_while_writing_is_repaired_by_the_next_build(
        origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = checkout(origin, tmp_path / "root")
    product_body(root)
    original = DiskWriter.write_prepared
    written: list[str] = []

    def dies_at_the_second_page(self: DiskWriter, path: str, data: bytes) -> tuple[str, bool]:
        if len(written) == 1:
            raise KeyboardInterrupt  # Ctrl-C, or the machine's limit, half-way through the pages
        written.append(path)
        return original(self, path, data)

    monkeypatch.setattr(DiskWriter, "write_prepared", dies_at_the_second_page)
    with pytest.raises(KeyboardInterrupt):
        build(root)
    assert written  # it did die half-way: one new page on disk beside old ones
    monkeypatch.setattr(DiskWriter, "write_prepared", original)
    result = build(root)
    assert result.quick is None  # the published state is not trusted after a killed build
    assert differences(tree(root / "site"), clean_tree(root, tmp_path / "clean")) == []
