"""`karigar photos clean [--check] PATH...`: remove GPS, maker notes, XMP and IPTC from photos, losslessly.

A photo is public on the Git host as soon as it is pushed, so this runs on a
contributor's machine before the commit (the pre-commit hook) and in the
pull-request workflow (``--check``).  Directories are walked for ``.jpg``,
``.jpeg``, ``.png`` and ``.webp`` files (any case; names starting with ``.``
and symbolic links are skipped).  See :mod:`karigar.photos.strip` for what
is removed and kept.

Exit status: 0 when every photo is clean or was cleaned; 1 when a file
cannot be read or is not a photo, or, with ``--check``, when any photo
would change (nothing is written then).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from karigar.errors import PhotoError
from karigar.photos.metadata import describe
from karigar.photos.strip import clean_photo

__all__ = ["run_photos_clean", "PHOTO_SUFFIXES"]

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _photos_under(folder: Path) -> Iterator[Path]:
    for parent, folders, files in os.walk(folder):  # os.walk does not follow symlinked folders
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(parent) / name
            if not name.startswith(".") and name.lower().endswith(PHOTO_SUFFIXES) and not path.is_symlink():
                yield path


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one rename, keeping its permissions: a crash leaves the old file or the new."""
    mode = path.stat().st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _clean_one(path: Path, *, check: bool, out: TextIO, err: TextIO) -> tuple[bool, bool]:
    """(would change or changed, failed) for one photo; prints what was (or would be) removed."""
    try:
        if path.is_symlink():
            raise PhotoError("photo-read", "a symbolic link; clean the file it points to")
        cleaned = clean_photo(path.read_bytes())
        if cleaned.changed and not check:
            _write_atomically(path, cleaned.data)
    except PhotoError as exc:
        print(f"{path}: error: {exc.message}", file=err)
        return False, True
    except OSError as exc:
        print(f"{path}: error: cannot read or write it ({exc.strerror})", file=err)
        return False, True
    if cleaned.changed:
        kept = " (orientation kept)" if cleaned.kept_orientation else ""
        verb = "would remove" if check else "removed"
        print(f"{path}: {verb} {describe(cleaned.removed)}{kept}", file=out)
    return cleaned.changed, False


def run_photos_clean(paths: Sequence[Path], *, check: bool, out: TextIO, err: TextIO) -> int:
    """Clean (or with ``check`` only report) every photo named or under a named folder."""
    failed = changed = total = 0
    for given in paths:
        if given.is_dir() and not given.is_symlink():
            files: list[Path] = list(_photos_under(given))
        elif given.exists() or given.is_symlink():
            if not given.name.lower().endswith(PHOTO_SUFFIXES):
                print(f"{given}: error: not a .jpg, .jpeg, .png or .webp photo", file=err)
                failed, total = failed + 1, total + 1
                continue
            files = [given]
        else:
            print(f"{given}: error: no such file or folder", file=err)
            failed, total = failed + 1, total + 1
            continue
        for path in files:
            total += 1
            would_change, bad = _clean_one(path, check=check, out=out, err=err)
            changed += would_change
            failed += bad
    clean = total - changed - failed
    if check:
        print(f"{total} photo{'s' * (total != 1)} checked: {changed} carry metadata, {clean} clean"
              + (f", {failed} unreadable" if failed else ""), file=out)
        if changed:
            print("run `karigar photos clean` on them and commit the cleaned files", file=out)
        return 1 if changed or failed else 0
    print(f"{total} photo{'s' * (total != 1)}: {changed} cleaned, {clean} already clean"
          + (f", {failed} unreadable" if failed else ""), file=out)
    return 1 if failed else 0
