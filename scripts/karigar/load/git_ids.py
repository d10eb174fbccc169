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
from pathlib import Path

__all__ = ["blob_id", "git_content_ids"]

_ZERO_ID = "0" * 40


def blob_id(data: bytes) -> str:
    """Git's blob id of ``data``: what ``git hash-object`` prints for a file with these bytes."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def _git(root: Path, *args: str) -> bytes | None:
    """The output of ``git -C root ARGS``; None when Git is missing or the command fails."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
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
