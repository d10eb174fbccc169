"""Part of the catalog, for a check of what a pull request changes (``karigar check --changed-from``).

A :class:`WalkScope` names the district folders the loader walks whole and
the artisan folders it walks besides them; the registries and ``content/``
are always walked.  What the loader finds inside a scoped folder, and every
problem it reports there, is exactly what a walk of the whole tree finds in
it: the same walker reads it.

:func:`artisan_folders` lists every artisan folder of the catalog from the
folder names alone (no file is read): an artisan's slug is its folder's name,
so catalog-wide slug clashes and the members of a district are known before
any entry is parsed.  :func:`districts_with_namesakes` makes the scope a
check of some districts needs (a pull request's, an import's).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WalkScope", "ArtisanFolder", "artisan_folders", "districts_with_namesakes", "skipped_name"]

# (country, district, artisan): the folder artisans/<country>/<district>/<artisan>/.
ArtisanFolder = tuple[str, str, str]


def skipped_name(name: str) -> bool:
    """Files and folders the loader passes over (``_registry``, ``.git``, a ``_drafts`` folder)."""
    return name.startswith(("_", "."))


@dataclass(frozen=True)
class WalkScope:
    """What of the catalog a scoped walk reads: whole districts, and single artisan folders."""

    districts: frozenset[tuple[str, str]]
    artisans: frozenset[ArtisanFolder]

    def countries(self) -> list[str]:
        return sorted({c for c, _ in self.districts} | {c for c, _, _ in self.artisans})

    def districts_of(self, country: str) -> list[str]:
        return sorted({d for c, d in self.districts if c == country}
                      | {d for c, d, _ in self.artisans if c == country})

    def artisans_of(self, country: str, district: str) -> list[str]:
        return sorted(a for c, d, a in self.artisans if (c, d) == (country, district))


def _folders(path: Path) -> list[str]:
    """The names of the real folders in ``path`` the loader would walk (no symlinks, none skipped)."""
    try:
        with os.scandir(path) as it:
            return sorted(e.name for e in it
                          if not skipped_name(e.name) and not e.is_symlink() and e.is_dir(follow_symlinks=False))
    except OSError:
        return []  # the walk of the whole tree reports an unreadable folder; a scoped walk need not list it


def artisan_folders(catalog_dir: Path) -> list[ArtisanFolder]:
    """Every artisan folder of the catalog, in walk order (about 0.2 s for 50,000 artisans)."""
    found = []
    for country in _folders(catalog_dir):
        for district in _folders(catalog_dir / country):
            for artisan in _folders(catalog_dir / country / district):
                found.append((country, district, artisan))
    return found


def districts_with_namesakes(listing: list[ArtisanFolder], districts: set[tuple[str, str]]) -> WalkScope:
    """``districts`` read whole (their artisans must agree on district and province), and every artisan
    folder elsewhere named like one of theirs (a slug is unique catalog-wide); ``listing`` is
    :func:`artisan_folders` of the catalog."""
    slugs = {a for c, d, a in listing if (c, d) in districts}
    namesakes = frozenset((c, d, a) for c, d, a in listing if a in slugs and (c, d) not in districts)
    return WalkScope(frozenset(districts), namesakes)
