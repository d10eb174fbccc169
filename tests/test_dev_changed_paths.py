"""The loader given the watcher's changed paths (``load_site(walk=)``) re-reads only those.

After each kind of change (an edit, a new file, a deleted one, a renamed or
new or deleted folder, an editor's backup file, registries, content pages,
photos, a symlink) a walk given the changed paths equals a full walk --
entries, records and diagnostics, in the same order; it stats and reads only
the changed files (counted through an injected :class:`FileAccess`); and
whenever the changes are unknown it walks everything.  The dev server's side
is in tests/test_serve_changed_paths.py.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.load.entries import LoadedSite
from karigar.load.loader import FileAccess, WalkMemo, load_site
from karigar.settings import Settings
from tests.conftest import REPO, settings_for, write_site

WALK_CODES = ("stray-file", "symlink", "artisan-index-missing", "translation-unknown-language", "read")
unlocated = pytest.mark.unlocated(*WALK_CODES, reason="the walk's findings are about whole files and folders")

ENTRY = "---\nname: {name}\n---\n\n{name} works here.\n"
PAGE = "---\ntitle: {title}\n---\n\n# {title}\n\nText.\n"
A1 = "artisans/pk/thatta/a1"


def messy_files() -> dict[str, str]:
    """A catalog and content/ with something for every rule of the walk (strays, translations, errors)."""
    files = {
        f"{A1}/index.md": ENTRY.format(name="A1"),
        f"{A1}/index.ur.md": ENTRY.format(name="A1 ur"),
        f"{A1}/index.fr.md": ENTRY.format(name="A1 fr"),
        f"{A1}/notes.txt": "stray",
        f"{A1}/extra/x.md": "stray folder",
        f"{A1}/products/p1.md": ENTRY.format(name="P1"),
        f"{A1}/products/p1.ur.md": ENTRY.format(name="P1 ur"),
        f"{A1}/products/p2.md": ENTRY.format(name="P2"),
        f"{A1}/products/readme.txt": "stray",
        f"{A1}/products/.hidden.md": "skipped",
        f"{A1}/photos/bad.gif": "stray",
        "artisans/pk/thatta/a2/index.md": ENTRY.format(name="A2"),
        "artisans/pk/thatta/a2/products/q1.md": ENTRY.format(name="Q1"),
        "artisans/pk/thatta/no-index/products/r1.md": ENTRY.format(name="R1"),
        "artisans/pk/thatta/file.md": "stray in a district",
        "artisans/pk/stray.md": "stray in a country",
        "artisans/stray.txt": "stray in the catalog",
        "artisans/pk/lahore/b1/index.md": ENTRY.format(name="B1"),
        "artisans/in/agra/c1/index.md": ENTRY.format(name="C1"),
        "content/about.md": PAGE.format(title="About"),
        "content/about.ur.md": PAGE.format(title="About ur"),
        "content/training/index.md": PAGE.format(title="Training"),
        "content/training/t1.md": PAGE.format(title="T1"),
        "content/training/t1.fr.md": PAGE.format(title="T1 fr"),
        "content/guides/g1.md": PAGE.format(title="G1"),
        "content/bad.html": "<p>not allowed</p>",
        "content/_headers": "/*\n  X: y\n",
    }
    return files


@pytest.fixture
def messy(tmp_path: Path) -> tuple[Path, Settings]:
    root = write_site(tmp_path, dict(messy_files()))
    for rel in (f"{A1}/photos/x.jpg", f"{A1}/photos/sub/y.png", "content/img.png"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"\x89 not really an image " + rel.encode())
    os.symlink("p2.md", root / A1 / "products" / "link.md")
    return root, settings_for(root / "mkdocs.yml", languages=("en", "ur"))


def catalog_cached(path: str, _digest: str) -> bool:
    return path.startswith("artisans/")


class CountingFiles(FileAccess):
    """The real calls, each recorded as (call, site-relative path)."""

    def __init__(self, root: Path, fail: Callable[[str, str], BaseException | None] | None = None) -> None:
        self.root = root
        self.fail = fail
        self.calls: list[tuple[str, str]] = []

    def _note(self, call: str, path: Path) -> None:
        rel = Path(path).relative_to(self.root).as_posix()
        self.calls.append((call, rel))
        problem = self.fail(call, rel) if self.fail is not None else None
        if problem is not None:
            raise problem

    def scandir(self, path: Path) -> Any:
        self._note("scandir", path)
        return super().scandir(path)

    def stat(self, path: Path) -> os.stat_result:
        self._note("stat", path)
        return super().stat(path)

    def read_bytes(self, path: Path) -> bytes:
        self._note("read", path)
        return super().read_bytes(path)

    def is_dir(self, path: Path) -> bool:
        self._note("is_dir", path)
        return super().is_dir(path)

    def is_file(self, path: Path) -> bool:
        self._note("is_file", path)
        return super().is_file(path)

    def of(self, call: str) -> list[str]:
        return [rel for kind, rel in self.calls if kind == call]


def walk(settings: Settings, memo: WalkMemo | None = None, *, is_cached: Any = catalog_cached,
         known: LoadedSite | None = None, fs: FileAccess | None = None) -> tuple[LoadedSite, list[Diagnostic]]:
    sink = DiagnosticSink()
    loaded = load_site(settings, sink=sink, known=known.stats if known is not None else None, is_cached=is_cached,
                       ask_git=False, walk=memo, **({"fs": fs} if fs is not None else {}))
    return loaded, sink.items


def assert_same_walk(got: tuple[LoadedSite, list[Diagnostic]], want: tuple[LoadedSite, list[Diagnostic]]) -> None:
    """Equal, down to the order of every list and mapping and of the diagnostics."""
    (site, diagnostics), (full, full_diagnostics) = got, want
    assert site == full
    assert list(site.stats.items()) == list(full.stats.items())
    assert list(site.photos.items()) == list(full.photos.items())
    assert list(site.registries.items()) == list(full.registries.items())
    assert diagnostics == full_diagnostics


# -- each kind of change: a walk given the changed paths equals the full walk -----------
def _write(root: Path, rel: str, text: str) -> list[str]:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return [str(path)]


def _remove(root: Path, rel: str) -> list[str]:
    path = root / rel
    # What inotify reports for a removed folder: the folder and each file in it.
    reported = [str(p) for p in path.rglob("*")] if path.is_dir() else []
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    return [*reported, str(path)]


def _rename(root: Path, old: str, new: str) -> list[str]:
    source, target = root / old, root / new
    moved = [(str(p), str(target / p.relative_to(source))) for p in source.rglob("*")]
    source.rename(target)
    return [str(source), str(target), *(end for pair in moved for end in pair)]


def _append(root: Path, rel: str, text: str) -> list[str]:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")
    return [str(path)]


CHANGES: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("a product edited", lambda r: _append(r, f"{A1}/products/p1.md", "\nEdited.\n")),
    ("a product added", lambda r: _write(r, f"{A1}/products/p3.md", ENTRY.format(name="P3"))),
    ("a product deleted", lambda r: _remove(r, "artisans/pk/thatta/a2/products/q1.md")),
    ("a translation added", lambda r: _write(r, f"{A1}/products/p2.ur.md", ENTRY.format(name="P2 ur"))),
    ("an artisan folder renamed", lambda r: _rename(r, "artisans/pk/thatta/a2", "artisans/pk/thatta/a2-new")),
    ("an artisan folder created", lambda r: _write(r, "artisans/pk/swat/d1/index.md", ENTRY.format(name="D1"))
     + [str(r / "artisans/pk/swat"), str(r / "artisans/pk/swat/d1")]),
    ("an artisan folder deleted", lambda r: _remove(r, "artisans/pk/lahore/b1")),
    ("an editor's backup file", lambda r: _write(r, f"{A1}/products/p1.md~", "backup")),
    ("the missing index added", lambda r: _write(r, "artisans/pk/thatta/no-index/index.md", ENTRY.format(name="R"))),
    ("a registry edited", lambda r: _append(r, "artisans/_registry/crafts.yml", "\n# a comment\n")),
    ("a photo deleted", lambda r: _remove(r, f"{A1}/photos/sub/y.png")),
    ("a photo added", lambda r: _write(r, f"{A1}/photos/z.webp", "z")),
    ("a content page edited", lambda r: _append(r, "content/training/t1.md", "\nMore.\n")),
    ("a content page added", lambda r: _write(r, "content/guides/g2.md", PAGE.format(title="G2"))),
    ("a content translation deleted", lambda r: _remove(r, "content/about.ur.md")),
    ("a symlink replaced by a file", lambda r: _remove(r, f"{A1}/products/link.md")
     + _write(r, f"{A1}/products/link.md", ENTRY.format(name="Link"))),
    ("a theme file (not walked)", lambda r: [str(REPO / "theme" / "main.html")]),
    ("a stray at the top", lambda r: _write(r, "artisans/readme.md", "stray")),
]


@unlocated
@pytest.mark.parametrize("is_cached", [catalog_cached, None], ids=["stubs", "parsed"])
def test_each_change_rewalked_equals_the_full_walk(messy: tuple[Path, Settings], is_cached: Any) -> None:
    root, settings = messy
    memo = WalkMemo()
    last = walk(settings, memo, is_cached=is_cached)
    assert memo.last_walk == "full"
    assert_same_walk(last, walk(settings, is_cached=is_cached))
    for name, change in CHANGES:
        memo.note(change(root))
        last = walk(settings, memo, is_cached=is_cached, known=last[0])
        assert memo.last_walk == "partial", name
        assert_same_walk(last, walk(settings, is_cached=is_cached))
    assert (memo.full_walks, memo.partial_walks) == (1, len(CHANGES))


# -- what a rewalk touches ---------------------------------------------------------------
@unlocated
def test_a_rewalk_stats_and_reads_only_the_changed_file(messy: tuple[Path, Settings]) -> None:
    root, settings = messy
    memo = WalkMemo()
    full_calls = CountingFiles(root)
    first = walk(settings, memo, fs=full_calls)
    assert sorted(full_calls.of("stat")) == sorted(first[0].stats)  # the full walk stats every file

    memo.note(_append(root, f"{A1}/products/p1.md", "\nEdited.\n"))
    calls = CountingFiles(root)
    second = walk(settings, memo, known=first[0], fs=calls)
    assert memo.last_walk == "partial"
    assert calls.of("stat") == [f"{A1}/products/p1.md"]
    assert calls.of("read") == [f"{A1}/products/p1.md"]  # its stat changed: read to hash it
    # Listed again: the folders above the change, and the folders of the artisan it is in.
    assert sorted(calls.of("scandir")) == sorted(["artisans", "artisans/pk", "artisans/pk/thatta", A1,
                                                  f"{A1}/products", f"{A1}/photos", f"{A1}/photos/sub"])
    assert calls.of("is_dir") == ["artisans"] and calls.of("is_file") == []  # registries, content/ copied
    # Every other record is the last walk's own object, not a new stat of the same file.
    reused = [path for path in first[0].stats if path != f"{A1}/products/p1.md"]
    assert all(second[0].stats[path] is first[0].stats[path] for path in reused)
    assert second[0].stats[f"{A1}/products/p1.md"] != first[0].stats[f"{A1}/products/p1.md"]
    assert_same_walk(second, walk(settings))

    # Nothing changed (a theme edit): nothing is listed, statted or read at all.
    memo.note([str(REPO / "theme" / "main.html")])
    quiet = CountingFiles(root)
    assert_same_walk(walk(settings, memo, known=second[0], fs=quiet), second)
    assert quiet.calls == []


@unlocated
def test_a_changed_folder_is_walked_whole(messy: tuple[Path, Settings]) -> None:
    root, settings = messy
    memo = WalkMemo()
    first = walk(settings, memo)
    # A folder copied in whole: the watcher may report only the folder (its files arrived before a watch).
    shutil.copytree(root / A1, root / "artisans/pk/thatta/a1-copy")
    memo.note([str(root / "artisans/pk/thatta/a1-copy")])
    calls = CountingFiles(root)
    second = walk(settings, memo, known=first[0], fs=calls)
    assert memo.last_walk == "partial"
    copied = sorted(p for p in second[0].stats if p.startswith("artisans/pk/thatta/a1-copy/"))
    assert copied and sorted(calls.of("stat")) == copied
    assert_same_walk(second, walk(settings))

    # A folder replaced by another of the same name, only the folder reported: none of the last
    # walk's records for the files in it (same names, other contents) is trusted.
    a2 = root / "artisans/pk/thatta/a2"
    shutil.rmtree(a2)
    shutil.copytree(root / A1, a2, symlinks=True)
    memo.note([str(a2)])
    calls = CountingFiles(root)
    third = walk(settings, memo, known=second[0], fs=calls)
    assert memo.last_walk == "partial"
    assert sorted(calls.of("stat")) == sorted(p for p in third[0].stats if p.startswith("artisans/pk/thatta/a2/"))
    assert_same_walk(third, walk(settings))


@unlocated
@pytest.mark.parametrize("why", ["forgotten", "a path outside", "other languages", "a new memo"])
def test_unknown_changes_walk_everything(messy: tuple[Path, Settings], why: str) -> None:
    root, settings = messy
    memo = WalkMemo()
    first = walk(settings, memo)
    # Edited with no event (as when the watcher's queue overflowed) ...
    _append(root, f"{A1}/products/p1.md", "\nUnseen.\n")
    memo.note([str(root / "content/about.md")])
    if why == "forgotten":
        memo.forget()  # ... and the server says changes were lost.
    elif why == "a path outside":
        memo.note([str(root.parent / "elsewhere.md")])
    elif why == "other languages":
        settings = dataclasses.replace(settings, languages=("en",))
    else:
        memo = WalkMemo()
    calls = CountingFiles(root)
    second = walk(settings, memo, known=first[0], fs=calls)
    assert memo.last_walk == "full"
    assert sorted(calls.of("stat")) == sorted(second[0].stats)
    assert_same_walk(second, walk(settings))


@unlocated
def test_a_failed_walk_keeps_its_changes_for_the_next(messy: tuple[Path, Settings]) -> None:
    root, settings = messy
    memo = WalkMemo()
    first = walk(settings, memo)
    memo.note(_append(root, f"{A1}/products/p1.md", "\nEdited.\n"))

    def explode(call: str, rel: str) -> BaseException | None:
        return RuntimeError("disk gone") if call == "scandir" and rel == f"{A1}/products" else None

    with pytest.raises(RuntimeError):
        walk(settings, memo, known=first[0], fs=CountingFiles(root, explode))
    second = walk(settings, memo, known=first[0])  # nothing noted since: the failed walk gave its paths back
    assert memo.last_walk == "partial"
    assert_same_walk(second, walk(settings))


@unlocated
def test_a_folder_that_could_not_be_read_is_walked_again(messy: tuple[Path, Settings]) -> None:
    root, settings = messy
    memo = WalkMemo()
    failures = [f"{A1}/products/p2.md"]

    def once(call: str, rel: str) -> BaseException | None:
        if call == "stat" and rel in failures:
            failures.remove(rel)
            return PermissionError(13, "Permission denied")
        return None

    first = walk(settings, memo, fs=CountingFiles(root, once))
    assert any(d.code == "read" for d in first[1])
    # Readable again, with no event (a permission change is not watched): the next walk retries it.
    second = walk(settings, memo, known=first[0])
    assert memo.last_walk == "partial" and not any(d.code == "read" for d in second[1])
    assert_same_walk(second, walk(settings))
