"""Content ids from Git: a fresh clone needs no re-read or re-hash of files it did not change.

Karigar's content id of a file is Git's blob id of its bytes (SHA-1 of
``blob <size>\\0`` followed by the bytes): :func:`blob_id` computes it for any
file, in or out of Git, so both routes give the same id for the same bytes and
every cache keyed by it agrees.  In a Git work tree the id of an unchanged
file is already known: ``git ls-files -s`` lists the blob id of every tracked
file, and ``git status --porcelain`` names the files whose working copy
differs from it (edited, untracked, or in a merge).  Those, and only those,
are read and hashed.

Netlify clones the repository afresh for every build, so every mtime and
inode is new and the stat index of the last build (``known`` in the loader)
matches nothing: without Git, every file would be read and hashed again.

When Git's blob is not the working file's bytes, Git's id cannot stand in for
Karigar's: line-ending conversion (``core.autocrlf``, ``text``/``eol``
attributes), clean/smudge filters such as Git LFS, or a sparse or partial
checkout.  The module then answers None and the loader hashes files itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["blob_id", "git_content_ids", "TreeState", "git_tree_state", "git_changes", "git_ids_under"]

_ZERO_ID = "0" * 40


def blob_id(data: bytes) -> str:
    """Git's blob id of ``data``: what ``git hash-object`` prints for a file with these bytes."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def _git(root: Path, *args: str, refresh: bool = False) -> bytes | None:
    """The output of ``git -C root ARGS``; None when Git is missing or the command fails.

    ``refresh``: let ``git status`` write the stats it refreshed into Git's index (as a person's own
    ``git status`` does), so that after files were touched it re-reads them once, not on every build.
    """
    env = {**os.environ, "LC_ALL": "C"} if refresh else {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, env=env)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _blob_is_the_file(root: Path) -> bool:
    """Whether Git stores the working files' bytes as they are (no conversion, no filter, full checkout)."""
    autocrlf = (_git(root, "config", "--get", "core.autocrlf") or b"").strip().lower()
    if autocrlf in (b"true", b"input"):
        return False
    if (_git(root, "config", "--get", "core.sparseCheckout") or b"").strip().lower() == b"true":
        return False
    top = _git(root, "rev-parse", "--show-toplevel")
    git_dir = _git(root, "rev-parse", "--absolute-git-dir")
    if top is None or git_dir is None:
        return False
    # Any attributes file may turn on eol conversion or a filter (LFS): then the blob is not the file.
    if Path(git_dir.decode().strip(), "info", "attributes").is_file():
        return False
    attributes = _git(root, "ls-files", "-z", "--", ":(top,glob)**/.gitattributes", ":(top).gitattributes")
    return attributes is not None and not attributes.strip(b"\0")


def git_content_ids(root: Path, folders: Sequence[str]) -> dict[str, str] | None:
    """Site-relative path -> blob id, for each file under ``folders`` whose working copy is its indexed blob.

    Files Git does not track, files edited since they were staged or
    committed, symbolic links and submodules are left out: the loader reads and
    hashes those.  None when ``root`` is not in a Git work tree, Git is not
    installed, or Git's blobs are not the files' bytes (see the module doc).
    """
    if shutil.which("git") is None or _git(root, "rev-parse", "--is-inside-work-tree") != b"true\n":
        return None
    if not _blob_is_the_file(root):
        return None
    # ls-files names paths relative to `root` (git -C root), as the loader does; porcelain status
    # names them from the top of the repository, so the site's own prefix is taken off.
    listed = _git(root, "ls-files", "-s", "-z", "--", *folders)
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=no", "--", *folders)
    prefix = _git(root, "rev-parse", "--show-prefix")
    if listed is None or status is None or prefix is None:
        return None
    site_prefix = os.fsdecode(prefix.strip(b"\n"))
    ids: dict[str, str] = {}
    for record in listed.split(b"\0"):
        if not record:
            continue
        info, _, path = record.partition(b"\t")
        mode, blob, stage = info.split(b" ")
        # Only regular files at stage 0 (a conflicted file has stages 1-3 and no settled content).
        if mode in (b"100644", b"100755") and stage == b"0" and blob.decode() != _ZERO_ID:
            ids[os.fsdecode(path)] = blob.decode()
    # Porcelain v1 with -z: "XY path\0", and a rename or copy adds "\0origin".
    entries = status.split(b"\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        state, changed = entry[:2], os.fsdecode(entry[3:]).removeprefix(site_prefix)
        if state[:1] in (b"R", b"C"):
            index += 1  # the origin's name follows
        # Y is the work tree against the index: anything but a space means the file is not its blob;
        # X marks a conflict (U) or a staged change, which ls-files already reflects.
        if state[1:2] != b" " or b"U" in state:
            ids.pop(changed, None)
    return ids


# -- the inputs' state as Git sees it: what changed costs what changed ---------------------------


@dataclass(frozen=True)
class TreeState:
    """The inputs as Git sees them, in a few hundred bytes however big the catalog.

    ``head``: the object type and id at ``HEAD`` of each input path (a folder's
    tree, the config file's blob).  ``dirty``: every path under them whose working copy
    is not its ``HEAD`` blob -- edited (staged or not), deleted, untracked or
    ignored -- with the blob id of its working copy ("" when deleted).
    Everything else is exactly ``HEAD``'s, so two equal states are equal inputs
    (:func:`git_tree_state`), and :func:`git_changes` lists what differs
    between two states without looking at anything that did not change.
    """

    head: tuple[tuple[str, str, str], ...]  # (path, "tree" or "blob", object id)
    dirty: tuple[tuple[str, str], ...]


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top + "/")


def _file_ids(root: Path, rel: str, found: dict[str, str]) -> None:
    """The blob id of the working file ``rel`` ("" when it is gone), or of every file under the folder ``rel``."""
    target = root / rel
    if target.is_dir() and not target.is_symlink():
        for folder, _dirs, files in os.walk(target):
            for name in files:
                _file_ids(root, Path(folder, name).relative_to(root).as_posix(), found)
        return
    try:
        found[rel] = blob_id(target.read_bytes())
    except FileNotFoundError:
        found[rel] = ""


def git_tree_state(root: Path, paths: Sequence[str]) -> TreeState | None:
    """The :class:`TreeState` of ``paths`` (folders and files relative to ``root``); None where
    :func:`git_content_ids` would be None (no Git, or Git's blobs are not the files' bytes).

    Costs one ``git ls-tree`` and one ``git status`` (which stats the tracked
    files against Git's index, as fast as Git is), plus reading the dirty files.
    """
    if shutil.which("git") is None or _git(root, "rev-parse", "--is-inside-work-tree") != b"true\n":
        return None
    if not _blob_is_the_file(root):
        return None
    prefix = _git(root, "rev-parse", "--show-prefix")
    listed = _git(root, "ls-tree", "-z", "HEAD", "--", *paths)  # fails before the first commit: all dirty then
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching",
                  "--no-renames", "--", *paths, refresh=True)
    if prefix is None or status is None:
        return None
    site_prefix = os.fsdecode(prefix.strip(b"\n"))
    head = []
    for record in (listed or b"").split(b"\0"):
        if record:
            info, _, path = record.partition(b"\t")
            _mode, kind, object_id = info.decode().split(" ")
            head.append((os.fsdecode(path), kind, object_id))
    dirty: dict[str, str] = {}
    for entry in status.split(b"\0"):
        if len(entry) >= 4:
            _file_ids(root, os.fsdecode(entry[3:]).removeprefix(site_prefix).rstrip("/"), dirty)
    return TreeState(tuple(sorted(head)), tuple(sorted(dirty.items())))


def _ids_at(root: Path, specs: list[str]) -> list[str] | None:
    """The object id of each ``<tree>:<path>`` spec ("" where there is none), in one ``git cat-file``."""
    if not specs:
        return []
    if any("\n" in spec for spec in specs):
        return None
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check=%(objectname)"],
                              input="".join(spec + "\n" for spec in specs).encode(), capture_output=True,
                              check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except OSError:
        return None
    lines = done.stdout.decode().splitlines()
    if done.returncode != 0 or len(lines) != len(specs):
        return None
    return ["" if line.endswith(" missing") else line.strip() for line in lines]


def git_changes(root: Path, old: TreeState, new: TreeState) -> dict[str, str] | None:
    """Path -> its id in ``new`` ("" when gone) of every file whose content differs between two states
    of the same inputs; None when Git cannot tell (a tree of ``old`` is not in this clone, or an input
    folder came or went at ``HEAD``).  Costs what changed: one ``git diff-tree`` per input folder whose
    tree changed, one ``git cat-file`` for the dirty paths of either state."""
    if {(path, kind) for path, kind, _id in old.head} != {(path, kind) for path, kind, _id in new.head}:
        return None
    old_head = {path: object_id for path, _kind, object_id in old.head}
    new_head = {path: object_id for path, _kind, object_id in new.head}
    candidates: set[str] = set()
    for top, kind, before in old.head:
        after = new_head[top]
        if before == after:
            continue
        if kind != "tree":
            candidates.add(top)
            continue
        out = _git(root, "diff-tree", "-r", "-z", "--no-renames", "--name-only", before, after)
        if out is None:
            return None
        candidates.update(f"{top}/{os.fsdecode(path)}" for path in out.split(b"\0") if path)
    old_dirty, new_dirty = dict(old.dirty), dict(new.dirty)
    candidates |= old_dirty.keys() | new_dirty.keys()

    def ids(state_head: dict[str, str], dirty: dict[str, str], paths: list[str]) -> list[str] | None:
        specs, where = [], []
        found = [dirty.get(path, "") for path in paths]
        for n, path in enumerate(paths):
            if path in dirty:
                continue
            top = next((t for t in state_head if _under(path, t)), None)
            if top is None:
                continue
            specs.append(state_head[top] if path == top else f"{state_head[top]}:{path[len(top) + 1:]}")
            where.append(n)
        looked = _ids_at(root, specs)
        if looked is None:
            return None
        for n, found_id in zip(where, looked):
            found[n] = found_id
        return found

    paths = sorted(candidates)
    before_ids, after_ids = ids(old_head, old_dirty, paths), ids(new_head, new_dirty, paths)
    if before_ids is None or after_ids is None:
        return None
    return {path: after for path, before, after in zip(paths, before_ids, after_ids) if before != after}


def git_ids_under(root: Path, state: TreeState, folders: Sequence[str]) -> dict[str, str] | None:
    """Path -> content id of every file under ``folders`` in the working copy ``state`` describes: what
    ``HEAD`` holds there, with the dirty files' ids; one ``git ls-tree`` however many folders."""
    if not folders:
        return {}
    out = _git(root, "ls-tree", "-r", "-z", "HEAD", "--", *folders)
    ids: dict[str, str] = {}
    for record in (out or b"").split(b"\0"):
        if record:
            info, _, name = record.partition(b"\t")
            _mode, kind, object_id = info.decode().split(" ")
            if kind == "blob":
                ids[os.fsdecode(name)] = object_id
    for dirty, content_id in state.dirty:
        if any(_under(dirty, folder) for folder in folders):
            if content_id:
                ids[dirty] = content_id
            else:
                ids.pop(dirty, None)
    return ids
