"""A fresh clone with the cache restored, as on Netlify: Git's ids spare every unchanged file.

Netlify clones the repository for every build (new paths, new mtimes, new
inodes) and restores ``.karigar-cache/`` and ``site/``.  The stat index of the
last build then matches nothing; the content ids come from Git instead, so the
build reads and hashes only the file the pull request changed, renders
exactly what an in-place edit would render, and writes the same site as a
clean build.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from karigar.incremental import uptodate
from karigar.load import git_ids, loader
from karigar.load.git_ids import blob_id, git_content_ids
from karigar.pipeline import BuildResult, UpToDate, build_to_disk
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, settings_for
from tests.realsite import build_material, copy_sample, differences, tree

PRODUCT = "artisans/pk/thatta/shazia-bibi/products/ralli-baby-quilt.md"
DISTRICTS = ("pk/thatta", "pk/multan")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=volunteer@example.org",
                           "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def read_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every file the loader reads (to hash or to parse), site-relative."""
    seen: list[str] = []
    original = loader._Walker.read

    def recording(self: loader._Walker, path: Path) -> bytes | None:
        seen.append(self.rel(path))
        return original(self, path)

    monkeypatch.setattr(loader._Walker, "read", recording)
    yield seen


def edit(root: Path) -> None:
    path = root / PRODUCT
    text = path.read_text("utf-8")
    assert "\n---\n" in text
    path.write_text(text.rstrip("\n") + "\n\nNow also in indigo.\n", "utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fresh_clone_reads_only_the_edited_file_and_builds_what_a_clean_build_does(
        tmp_path: Path, read_log: list[str]) -> None:
    origin = copy_sample(tmp_path / "origin", districts=DISTRICTS)
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "catalog")
    build_material(origin, origin / "site", origin / ".karigar-cache")

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    # Netlify's cache plugin restores these two folders into the new checkout.
    shutil.copytree(origin / ".karigar-cache", clone / ".karigar-cache")
    shutil.copytree(origin / "site", clone / "site")
    edit(clone)  # a volunteer's change, not yet committed
    read_log.clear()
    in_clone = build_material(clone, clone / "site", clone / ".karigar-cache").report
    # Of the catalog (entries, translations, photos: the bulk of a big repository) only the edited
    # file is read; every other id came from Git. The four registries and content/'s pages are
    # parsed on every build (MkDocs renders content/ on every build anyway).
    catalog_reads = [path for path in read_log if not path.startswith(("artisans/_registry/", "content/"))]
    assert catalog_reads == [PRODUCT], catalog_reads

    edit(origin)  # the same change where the last build ran: the cost to match
    in_place = build_material(origin, origin / "site", origin / ".karigar-cache").report
    assert in_clone is not None and in_place is not None
    assert sorted(in_clone.rendered) == sorted(in_place.rendered)
    assert any(path.endswith("ralli-baby-quilt/index.html") for path in in_clone.rendered)
    assert len(in_clone.rendered) < len(tree(clone / "site")) // 10

    clean = tmp_path / "clean"
    build_material(clone, clean / "site", clean / "cache")
    assert differences(tree(clone / "site"), tree(clean / "site")) == []


def test_blob_ids_are_gits_own(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\nname: x\n---\nUrdu: \xd8\xa7\n")
    git(tmp_path, "init", "-q")
    assert blob_id((tmp_path / "a.md").read_bytes()) == git(tmp_path, "hash-object", "a.md").strip()
    assert loader.digest_bytes(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # Git's empty blob


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_ids_leave_out_what_the_work_tree_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "artisans" / "a").mkdir(parents=True)
    (site / "content").mkdir()
    for name in ("kept.md", "edited.md", "staged.md"):
        (site / "artisans" / "a" / name).write_text(f"{name}\n", "utf-8")
    (site / "content" / "page.md").write_text("# Page\n", "utf-8")
    git(tmp_path, "init", "-q")  # the site is a sub-folder of the repository
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "one")
    (site / "artisans" / "a" / "edited.md").write_text("edited, not staged\n", "utf-8")
    (site / "artisans" / "a" / "staged.md").write_text("staged\n", "utf-8")
    git(tmp_path, "add", "site/artisans/a/staged.md")
    (site / "artisans" / "a" / "new.md").write_text("untracked\n", "utf-8")
    ids = git_content_ids(site, ["artisans", "content"])
    assert ids is not None
    assert set(ids) == {"artisans/a/kept.md", "artisans/a/staged.md", "content/page.md"}
    for path, found in ids.items():
        assert found == blob_id((site / path).read_bytes()), path  # each id is the working file's


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("setup", ["autocrlf", "attributes", "not a repository"])
def test_no_git_ids_where_gits_blobs_are_not_the_files(tmp_path: Path, setup: str) -> None:
    (tmp_path / "artisans").mkdir()
    (tmp_path / "artisans" / "x.md").write_text("x\n", "utf-8")
    if setup != "not a repository":
        git(tmp_path, "init", "-q")
        if setup == "autocrlf":
            git(tmp_path, "config", "core.autocrlf", "true")
        else:
            (tmp_path / ".gitattributes").write_text("*.jpg filter=lfs diff=lfs merge=lfs -text\n", "utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", "one")
    assert git_content_ids(tmp_path, ["artisans"]) is None


def build_command(root: Path) -> BuildResult | UpToDate:
    """What ``karigar build`` runs (the up-to-date check, the build, the stamp), in one process."""
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".karigar-cache")
    return build_to_disk(settings, now=NOW, jobs=1)


def netlify_builds(tmp_path: Path) -> tuple[Path, Path]:
    """A repository, a first deploy built in a fresh clone, and a second fresh clone with its cache restored.

    Both builds run in clones, as on Netlify.
    """
    origin = copy_sample(tmp_path / "origin", districts=DISTRICTS)
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "catalog")
    first = tmp_path / "first"
    git(tmp_path, "clone", "-q", str(origin), str(first))
    built = build_command(first)
    assert isinstance(built, BuildResult) and built.ok
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    # Netlify's cache plugin restores these two folders into the new checkout.
    shutil.copytree(first / ".karigar-cache", clone / ".karigar-cache")
    shutil.copytree(first / "site", clone / "site")
    return first, clone


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fresh_clone_with_nothing_changed_is_up_to_date_without_loading_the_catalog(
        tmp_path: Path, read_log: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first, clone = netlify_builds(tmp_path)
    read_log.clear()
    again = build_command(clone)
    # New mtimes and inodes everywhere, yet Git's ids prove nothing changed: nothing parsed, nothing written.
    assert isinstance(again, UpToDate), again
    assert read_log == []
    assert differences(tree(clone / "site"), tree(first / "site")) == []

    # The stamp now names the clone's own published state: the next build is up to date at once, on
    # Git's word (its index knows the clone's stats), and reads no input.
    read_log.clear()
    assert isinstance(build_command(clone), UpToDate)
    assert read_log == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("change", [
    "untracked product", "edited, uncommitted", "another build published",
    pytest.param("untracked folder", marks=pytest.mark.unlocated("stray-file", reason="a file's place, not its lines")),
])
def test_a_fresh_clone_never_hides_a_change_behind_the_content_key(tmp_path: Path, change: str) -> None:
    _first, clone = netlify_builds(tmp_path)
    if change == "untracked product":
        source = clone / PRODUCT
        (source.parent / "ralli-cushion.md").write_text(
            source.read_text("utf-8").replace("Small ralli baby quilt", "Ralli cushion"), "utf-8")
    elif change == "edited, uncommitted":
        edit(clone)
    elif change == "untracked folder":
        sketches = (clone / PRODUCT).parent.parent / "sketches"  # a stray folder: a warning to report
        sketches.mkdir()
        (sketches / "notes.txt").write_text("ideas\n", "utf-8")
    else:
        other = DiskWriter(clone / "site", clone / ".karigar-cache" / "state")
        other.keep_all_except(set())  # same files, another build's record of them
        other.commit()
    result = build_command(clone)
    assert isinstance(result, BuildResult) and result.ok and result.report is not None
    clean = tmp_path / "clean"
    build_material(clone, clean / "site", clean / "cache")
    assert differences(tree(clone / "site"), tree(clean / "site")) == []
    if change == "untracked product":
        assert any(path.endswith("ralli-cushion/index.html") for path in result.report.written)
    if change == "edited, uncommitted":
        assert any(path.endswith("ralli-baby-quilt/index.html") for path in result.report.written)
    if change == "untracked folder":
        assert any(d.code == "stray-file" for d in result.check.diagnostics)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_stamp_made_in_a_working_copy_with_empty_folders_holds_in_its_clone(tmp_path: Path) -> None:
    """Git holds no empty folder: a clone of a working copy that has some is the same site."""
    origin = copy_sample(tmp_path / "origin", districts=DISTRICTS)
    (origin / "artisans" / "pk" / "lahore").mkdir()  # an empty district folder, as editors leave them
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "catalog")
    assert isinstance(build_command(origin), BuildResult)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert not (clone / "artisans" / "pk" / "lahore").exists()
    shutil.copytree(origin / ".karigar-cache", clone / ".karigar-cache")
    shutil.copytree(origin / "site", clone / "site")
    assert isinstance(build_command(clone), UpToDate)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fresh_clone_build_asks_git_once(tmp_path: Path, read_log: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Git is asked for the inputs' state once per build, and reads only the edited file."""
    _first, clone = netlify_builds(tmp_path)
    edit(clone)
    asked: list[object] = []

    def counting(function: Callable[..., object]) -> Callable[..., object]:
        def asking(*args: object, **kwargs: object) -> object:
            asked.append(function.__name__)
            return function(*args, **kwargs)
        return asking

    monkeypatch.setattr(uptodate, "git_tree_state", counting(git_ids.git_tree_state))
    monkeypatch.setattr(loader, "git_content_ids", counting(git_ids.git_content_ids))
    read_log.clear()
    result = build_command(clone)
    assert isinstance(result, BuildResult) and result.ok
    # The state once; and every file's id once, for the loader, only when the build takes the full path
    # (here it does: in a catalog this small the edited product is on the home page).
    assert asked == ["git_tree_state"] if result.quick else asked == ["git_tree_state", "git_content_ids"]
    assert [p for p in read_log if not p.startswith(("artisans/_registry/", "content/"))] == [PRODUCT]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_lists_exactly_what_changed_between_two_states_of_the_inputs(tmp_path: Path) -> None:
    """What a quick build is told changed, through every way a volunteer's working copy moves on."""
    root = tmp_path / "site"
    (root / "artisans" / "a" / "products").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "artisans" / "a" / "index.md").write_text("artisan\n", "utf-8")
    (root / "artisans" / "a" / "products" / "p.md").write_text("product\n", "utf-8")
    (root / "content" / "about.md").write_text("about\n", "utf-8")
    (root / "content" / "index.md").write_text("home\n", "utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    (root / ".gitignore").write_text("*.tmp\n", "utf-8")
    git(tmp_path, "init", "-q", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    paths = ["artisans", "content", "mkdocs.yml"]

    def state() -> git_ids.TreeState:
        found = git_ids.git_tree_state(root, paths)
        assert found is not None
        return found

    def blob(path: str) -> str:
        return blob_id((root / path).read_bytes())

    first = state()
    assert first.dirty == () and git_ids.git_changes(root, first, state()) == {}
    (root / "artisans/a/products/p.md").write_text("product, new price\n", "utf-8")  # edited, not staged
    (root / "artisans/a/products/q.md").write_text("another\n", "utf-8")  # untracked
    (root / "artisans/a/notes.tmp").write_text("ignored, but a build reads it\n", "utf-8")
    (root / "content/about.md").unlink()
    edited = state()
    assert git_ids.git_changes(root, first, edited) == {
        "artisans/a/products/p.md": blob("artisans/a/products/p.md"), "artisans/a/products/q.md": blob(
            "artisans/a/products/q.md"), "artisans/a/notes.tmp": blob("artisans/a/notes.tmp"), "content/about.md": ""}
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two")
    committed = state()
    # Committing moves nothing: the same files, now clean (only the ignored one is still dirty).
    assert committed.dirty == (("artisans/a/notes.tmp", blob("artisans/a/notes.tmp")),)
    assert git_ids.git_changes(root, edited, committed) == {}
    # From the first state to the commit, by Git's trees: the same changes as the working copy showed.
    assert git_ids.git_changes(root, first, committed) == git_ids.git_changes(root, first, edited)
    (root / "mkdocs.yml").write_text("site_name: y\n", "utf-8")
    assert git_ids.git_changes(root, committed, state()) == {"mkdocs.yml": blob("mkdocs.yml")}
    # An input folder that came or went at HEAD, or a state whose trees this clone does not have: Git
    # cannot say, and the build takes the full path.
    emptied = state()
    (root / "content/index.md").unlink()
    git(root, "commit", "-q", "-am", "three")
    assert git_ids.git_changes(root, emptied, state()) is None
    foreign = git_ids.TreeState(tuple((p, kind, "1" * 40) for p, kind, _id in committed.head), ())
    assert git_ids.git_changes(root, foreign, committed) is None
