"""The last ``karigar build``'s site folder, served while the dev server plans its first build.

Planning a catalog of 50,000 artisans in three languages takes minutes
(every entry loaded, the graph built, a million pages planned), and until then
a browser could only be shown a "building" page.  When the last build's
up-to-date stamp proves that ``site_dir`` holds exactly what a build would make
now (same inputs as Git or the file stats see them, same engine and settings,
the build's clock still valid, no build killed since), those files are the
site: the server answers from them, file by file, until its own plan replaces
them.  Anything unproven (an edit since, no stamp, a killed build) and the
server shows its "building" page as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["BuiltSite"]


class BuiltSite(Mapping[str, bytes]):
    """``site_dir`` as output path -> bytes, read when asked (nothing is loaded up front)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, key: object) -> str | None:
        # Keys come from respond(), which has already refused `..` and the like; a folder is not a file.
        if not isinstance(key, str) or not key:
            return None
        path = os.path.join(self.root, key)
        return path if os.path.isfile(path) else None

    def __getitem__(self, key: str) -> bytes:
        path = self._file(key)
        if path is None:
            raise KeyError(key)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return self._file(key) is not None

    def __iter__(self) -> Iterator[str]:
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                yield Path(folder, name).relative_to(self.root).as_posix()

    def __len__(self) -> int:
        return sum(len(files) for _folder, _dirs, files in os.walk(self.root))
