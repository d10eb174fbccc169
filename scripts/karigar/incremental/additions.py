"""Quick builds of new artisans: a pull request that adds artisan folders costs what it adds.

After an edit, the commonest pull request is a new artisan: a folder with its
``index.md``, its products and their translations.  Nothing in the catalog
changes but the lists they join (:mod:`karigar.catalog.growth`), so a quick
build (:mod:`karigar.incremental.quick`) takes it when it can prove that:

- every file Git says changed since the last build (:func:`~karigar.load.git_ids.git_changes`)
  is new and inside a new artisan folder (one that holds a new ``index.md``
  and no entry the build index knows);
- every new file is an entry file (no photo: a new photo needs the photo
  stage) that validates without a diagnostic, and every translation names an
  entry of its folder;
- the artisan and its products are published (no draft, consent given), show
  no local photo, and the artisan's slug is new in the whole catalog;
- the artisan joins a district the catalog has, under the same names
  (:func:`~karigar.catalog.growth.grow` checks that), and no folder of the
  site grows past the host's cap (:func:`within_caps`).

Anything it cannot prove sends the build down the full path, which then
reports every diagnostic, exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from karigar.config import Settings
from karigar.diagnostics import DiagnosticSink
from karigar.incremental.index import BuildIndex, PublishedRow
from karigar.incremental.quick import (
    Addition, Changes, Snapshot, entry_digest, entry_shape, merged_entry, translation_paths, validate_files,
)
from karigar.model.context import ValidationSettings
from karigar.model.types import Artisan, Product, Translation

__all__ = ["MOST_ADDED", "new_folders", "find_additions", "within_caps"]

# More new artisans than this in one build take the full path (it costs about what so many quick steps would).
MOST_ADDED = 50


def new_folders(paths: Iterable[str], catalog: str) -> dict[str, list[str]] | None:
    """``paths`` by the artisan folder under ``catalog`` (the artisans folder) they are in; None when
    one is not inside an artisan folder or a folder has no ``index.md``."""
    depth = catalog.count("/") + 4  # <catalog>/<country>/<district>/<artisan>
    found: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split("/")
        if not path.startswith(catalog + "/") or len(parts) <= depth:
            return None
        found.setdefault("/".join(parts[:depth]), []).append(path)
    if any(f"{folder}/index.md" not in files for folder, files in found.items()):
        return None
    return {folder: sorted(files) for folder, files in found.items()}


def find_additions(settings: Settings, index: BuildIndex, snapshot: Snapshot, *, changed: Mapping[str, str],
                   git_ids: Mapping[str, str], vsettings: ValidationSettings, context: str) -> Changes | None:
    """New artisan folders and nothing else since the snapshot's build (``changed``: as for
    :func:`~karigar.incremental.quick.find_changes`), if a quick build can add them; None: a full build."""
    catalog = settings.relative(settings.catalog_dir)
    folders = new_folders(changed, catalog)
    known = index.entries(changed)
    if not folders or len(folders) > MOST_ADDED or known is None or known:
        return None  # a file outside a new artisan folder, too many folders, or a known entry changed too
    files = sorted(changed)
    if not all(changed.values()) or not all(p.endswith(".md") for p in files):
        return None
    if any(index.has_entries_under(folder) is not False for folder in folders):
        return None  # not a new folder: a known entry is in it (or the index cannot say)
    rows = validate_files(settings, vsettings, snapshot.registries, dict(changed), context=context, git_ids=git_ids)
    if rows is None:
        return None
    languages = settings.languages
    taken: set[str] = set()
    changes = Changes({}, {}, rows, {}, files)
    for folder, paths in sorted(folders.items()):
        sources = [p for p in paths if isinstance(rows[p].result[0], (Artisan, Product))]
        owned = {t for s in sources for t in translation_paths(s, languages)}
        if any(p not in owned for p in paths if isinstance(rows[p].result[0], Translation)):
            return None  # a translation of nothing (the full path says so)
        sink = DiagnosticSink()
        entries = [merged_entry(source, rows, languages, sink) for source in sources]
        artisan = next((e for e in entries if isinstance(e, Artisan)), None)
        products = [e for e in entries if isinstance(e, Product)]
        if (sink.items or artisan is None or len(products) + 1 != len(entries) or not artisan.published
                or artisan.slug in taken or index.artisan_paths(catalog, artisan.slug) != []
                or any(p.draft for p in products)
                or _shows_local_photo(artisan) or any(_shows_local_photo(p) for p in products)):
            return None
        taken.add(artisan.slug)
        changes.added.append(Addition(artisan, products))
        news: list[Artisan | Product] = [artisan, *products]
        for entry in news:
            changes.owners[entry.source] = entry
            changes.digests[entry.source] = entry_digest(entry.source, changed, languages, entry, {})
            changes.published[entry.source] = PublishedRow(entry_shape(entry, languages),
                                                           changes.digests[entry.source], {})
    return changes


def _shows_local_photo(entry: Artisan | Product) -> bool:
    if isinstance(entry, Artisan):
        return bool((entry.photo and entry.photo.file) or entry.story_images)
    return any(p.file for p in entry.photos) or bool(entry.description_images)


def within_caps(*, folder_cap: int, per_page: int, district_artisans: int, products: int, listed: int) -> bool:
    """Whether the folders an addition grows stay within the host's cap: its district's folder (its
    artisans and the listing's ``page/``), its own folder (its products and its page), and the
    ``page/`` folder of the longest listing (``listed`` entries, pages of at least half ``per_page``)."""
    most_pages = listed // max(1, math.ceil(per_page / 2)) + 1
    return district_artisans + 1 <= folder_cap and products + 1 <= folder_cap and most_pages <= folder_cap
