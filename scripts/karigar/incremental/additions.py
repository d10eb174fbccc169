"""Quick builds of new artisans: a pull request that adds artisan folders costs what it adds.

After an edit, the commonest pull request is a new artisan: a folder with its
``index.md``, its products and their translations.  Nothing in the catalog
changes but the lists they join (:mod:`karigar.catalog.growth`), so a quick
build (:mod:`karigar.incremental.quick`) takes it when it can prove that:

- every file the last build did not know is inside a new artisan folder (one
  that holds a new ``index.md`` and no known entry file), no known entry file
  changed or went, and every other input is as the last full build left it
  (the snapshot's key of non-entry inputs);
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
from karigar.incremental.entries import artisan_folder
from karigar.incremental.index import BuildIndex, PublishedRow
from karigar.incremental.quick import (
    Addition, Changes, Snapshot, entry_digest, entry_shape, merged_entry, others_key, translation_paths,
    validate_files,
)
from karigar.model.context import ValidationSettings
from karigar.model.types import Artisan, Product, Translation

__all__ = ["MOST_ADDED", "new_folders", "find_additions", "within_caps"]

# More new artisans than this in one build take the full path (it costs about what so many quick steps would).
MOST_ADDED = 50


def new_folders(ids: Iterable[str], known: Iterable[str], catalog: str) -> dict[str, list[str]]:
    """The new artisan folders under ``catalog`` (the artisans folder) and their files: folders that
    hold a new ``index.md`` and no known entry file."""
    known_folders = {artisan_folder(path) for path in known}
    known_files = set(known)
    depth = catalog.count("/") + 3  # <catalog>/<country>/<district>/<artisan>
    found: dict[str, list[str]] = {}
    for path in ids:
        if path in known_files or not path.startswith(catalog + "/"):
            continue
        folder = "/".join(path.split("/")[:depth + 1])
        if folder not in known_folders and path != folder:
            found.setdefault(folder, []).append(path)
    return {folder: sorted(files) for folder, files in found.items() if f"{folder}/index.md" in files}


def find_additions(settings: Settings, index: BuildIndex, snapshot: Snapshot, *, inputs: list[tuple[str, str, str]],
                   git_ids: Mapping[str, str], vsettings: ValidationSettings, context: str) -> Changes | None:
    """New artisan folders and nothing else since the snapshot's build, if a quick build can add them;
    None: a full build."""
    known = index.entry_ids()
    if known is None or any(ctx != context for _cid, ctx in known.values()):
        return None
    ids = {name: cid for kind, name, cid in inputs if kind == "f"}
    if not known.keys() <= ids.keys() or any(ids[path] != cid for path, (cid, _ctx) in known.items()):
        return None  # an entry file changed or is gone: an edit, not an addition
    folders = new_folders(ids, known, settings.relative(settings.catalog_dir))
    files = sorted(p for paths in folders.values() for p in paths)
    if not folders or len(folders) > MOST_ADDED or not all(p.endswith(".md") for p in files):
        return None
    if others_key(inputs, known.keys() | set(files)) != snapshot.others:
        return None  # something else changed too
    rows = validate_files(settings, vsettings, snapshot.registries, {path: ids[path] for path in files},
                          context=context, git_ids=git_ids)
    if rows is None:
        return None
    languages = settings.languages
    taken = {artisan_folder(path).rsplit("/", 1)[-1] for path in known}
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
                or artisan.slug in taken or any(p.draft for p in products)
                or _shows_local_photo(artisan) or any(_shows_local_photo(p) for p in products)):
            return None
        taken.add(artisan.slug)
        changes.added.append(Addition(artisan, products))
        news: list[Artisan | Product] = [artisan, *products]
        for entry in news:
            changes.owners[entry.source] = entry
            changes.digests[entry.source] = entry_digest(entry.source, ids, languages, entry, {})
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
