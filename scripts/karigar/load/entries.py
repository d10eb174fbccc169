"""What the load stage hands to validation: one record per source file.

The loader is the only code that reads the content tree.  It classifies each
file by where it sits (see the contract's layout), reads and hashes it, splits
front matter from the body and parses the YAML; validation then turns these
records into the typed model without touching the disk again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from karigar.load.nodes import Node

__all__ = ["EntryKind", "RawEntry", "RawRegistry", "PhotoFile", "LoadedSite", "with_translation"]

EntryKind = Literal["artisan", "product", "training", "page"]


@dataclass(frozen=True, slots=True)
class RawEntry:
    """A Markdown file with YAML front matter.

    For catalog entries the path parts are already split out:
    ``artisans/<country>/<district>/<artisan>/index.md`` gives ``country``,
    ``district`` and ``artisan``; a product also gets ``product``.  ``lang`` is
    set for translations (``index.ur.md``).  ``front`` is None when the front
    matter was missing or failed to parse (a diagnostic was already emitted).
    """

    kind: EntryKind
    path: str  # site-relative POSIX path
    digest: str  # content hash of the file's bytes
    front: Node | None
    body: str
    body_line: int
    country: str = ""
    district: str = ""
    artisan: str = ""
    product: str = ""
    lang: str = ""
    parsed: bool = True  # False: a stub for an unchanged file whose validated result is cached

    @property
    def translates(self) -> str:
        """For a translation, the file it translates (``index.ur.md`` -> ``index.md``); else ""."""
        suffix = f".{self.lang}.md"
        return self.path[: -len(suffix)] + ".md" if self.lang and self.path.endswith(suffix) else ""


@dataclass(frozen=True, slots=True)
class RawRegistry:
    name: str  # crafts, marketplaces, programs, districts
    path: str
    digest: str
    root: Node | None


@dataclass(frozen=True, slots=True)
class PhotoFile:
    path: str  # site-relative POSIX path, e.g. artisans/pk/thatta/shazia-bibi/photos/a.jpg
    digest: str
    size: int


StatKey = tuple[int, int, int]  # (mtime_ns, size, inode)


def with_translation(digest: str, lang: str, translation_digest: str) -> str:
    """An entry's hash with one of its translations' folded in (its pages show them)."""
    return f"{digest}+{lang}:{translation_digest}"


@dataclass
class LoadedSite:
    """Everything read from the tree, with the hash of every input.

    ``stats`` maps each file read or recognised to its stat key and content
    hash, so the next build can skip reading files whose stat is unchanged
    (the hash, not the stat, decides what changed: a fresh clone has new
    mtimes but the same hashes).
    """

    artisans: list[RawEntry] = field(default_factory=list)
    products: list[RawEntry] = field(default_factory=list)
    translations: list[RawEntry] = field(default_factory=list)
    trainings: list[RawEntry] = field(default_factory=list)
    pages: list[RawEntry] = field(default_factory=list)
    registries: dict[str, RawRegistry] = field(default_factory=dict)
    photos: dict[str, PhotoFile] = field(default_factory=dict)
    stats: dict[str, tuple[StatKey, str]] = field(default_factory=dict)
    # True when only part of the catalog was read (a pull request's check): an entry missing here
    # may exist, so a reference to one (an allowed number's `where`) cannot be judged.
    partial: bool = False

    def digests(self) -> dict[str, str]:
        """path -> content hash for every input file (for incremental builds)."""
        out: dict[str, str] = {}
        for group in (self.artisans, self.products, self.translations, self.trainings, self.pages):
            for entry in group:
                out[entry.path] = entry.digest
        # An entry's pages show its translations: their hashes are part of the entry's.
        for entry in self.translations:
            target = entry.translates
            if target in out:
                out[target] = with_translation(out[target], entry.lang, entry.digest)
        for reg in self.registries.values():
            out[reg.path] = reg.digest
        for photo in self.photos.values():
            out[photo.path] = photo.digest
        return out
