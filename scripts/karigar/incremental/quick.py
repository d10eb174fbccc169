"""Quick builds: an edit that moves no entry costs what it changed, not what the catalog holds.

A full build loads and validates every entry, builds the graph and plans a
million jobs before it knows that one product's price changed.  When an edit
changes only entry files and every changed entry keeps its *shape* (what
places it in the catalog: slug, sort name, crafts, marketplaces, district,
draft and consent, featured and added, photos and translations present; see
:func:`entry_shape`), every list of the catalog is as the last full build left
it.  Then a quick build:

1. asks Git what changed since the inputs the snapshot was built from
   (:func:`~karigar.load.git_ids.git_changes`: a ``git diff-tree`` of the
   input folders and the dirty files, so its cost follows the change, not
   the 470,000 files of the catalog), and finds the changed entry files among
   them by the build index's rows (anything else changed: a full build);
2. validates only those files, and merges each changed entry with its
   translations (any diagnostic: a full build, which reports them all);
3. keeps the last full build's graph as a :class:`~karigar.catalog.skeleton.Skeleton`
   and its published rows, and plans only the pages that show a changed
   entry (its artisan's and products' pages, the listing pages showing it);
   every other entry is loaded from the index only when a planned page shows it.

The last full build leaves a :class:`Snapshot` for this in the build index:
the skeleton, registries, trainings and look, the build's diagnostics, and
the keys that prove the snapshot still holds (engine, settings, validation
context, day, the published state it wrote, and the inputs as Git saw them
when it began).  Anything it cannot prove sends the build down the
full path; a quick build never guesses.

New artisan folders take a quick build too (:mod:`karigar.incremental.additions`):
the skeleton grows by their entries (:mod:`karigar.catalog.growth`) and the
listing pages whose entries, pager or totals changed are planned
(:mod:`karigar.catalog.page_choice`), with the pages that count the catalog
and the sitemaps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from karigar.catalog.graph import Catalog
from karigar.catalog.skeleton import Skeleton
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.incremental.entries import artisan_folder, check_entry, entry_context, photo_set_key
from karigar.incremental.index import BuildIndex, EntryRow, PublishedRow, part_checksum
from karigar.load.entries import with_translation
from karigar.load.git_ids import TreeState
from karigar.load.loader import entry_stub, folder_photos
from karigar.model.context import ValidationSettings
from karigar.model.translate import apply_translations, is_translated
from karigar.model.types import Artisan, Product, Registries, TrainingResource, Translation
from karigar.photos.publish import with_photos

__all__ = ["SNAPSHOT_FORMAT", "Snapshot", "stored_snapshot", "load_snapshot", "QuickEntries", "Changes", "Addition", "entry_shape", "shown_files",
           "find_changes", "published_rows", "merged_entry", "entry_digest", "translation_paths",
           "owned_files", "owners_of", "validate_files"]

SNAPSHOT_FORMAT = 4


def entry_shape(entry: Artisan | Product, languages: tuple[str, ...]) -> str:
    """A hash of what places ``entry`` in the catalog: equal shapes, equal lists and pages.

    Everything here is read by the graph, the route claims, the photo stage
    or a page that is neither the entry's own nor a listing of entries;
    anything else an entry holds (its story, prices, links, alt text, its
    translations' words) shows only on pages whose signatures name it.
    """
    default = languages[0]
    common = (type(entry).__name__, entry.slug, entry.source, entry.draft, entry.featured, entry.added,
              tuple(t.lang for t in entry.translations),
              tuple(is_translated(entry, lang, default) for lang in languages))
    if isinstance(entry, Artisan):
        own: tuple[object, ...] = (
            entry.country, entry.district_slug, entry.folder, entry.name.default, entry.crafts,
            repr(entry.district), repr(entry.province), entry.consent is not None,
            entry.photo.file if entry.photo else None, entry.photo is not None, entry.story_images)
    else:
        own = (entry.artisan_slug, entry.title.default, entry.crafts,
               tuple(p.file for p in entry.photos), len(entry.photos),
               tuple(listing.marketplace for listing in entry.listings), entry.description_images)
    return hashlib.blake2b(repr((common, own)).encode(), digest_size=16).hexdigest()


def shown_files(entry: Artisan | Product) -> list[str]:
    """The local photo files an entry's pages and cards show."""
    if isinstance(entry, Artisan):
        files = [entry.photo.file] if entry.photo and entry.photo.file else []
        return files + list(entry.story_images)
    return [p.file for p in entry.photos if p.file] + list(entry.description_images)


def _signed_files(entry: Artisan | Product) -> list[str]:
    # The photos folded into an entry's signature hash (see PhotoSet.entry_digests): its own, not the
    # ones in its text.
    if isinstance(entry, Artisan):
        return [entry.photo.file] if entry.photo and entry.photo.file else []
    return [p.file for p in entry.photos if p.file]


@dataclass
class Snapshot:
    """What a full build leaves for quick builds (kept in the build index)."""

    engine: str
    settings: str  # the settings' fingerprint
    context: str  # the validation context of every entry row
    day: dt.date
    built_at: dt.datetime
    valid_until: dt.datetime  # the build's output holds until then (see clock_valid_until)
    inputs: TreeState  # the inputs as Git saw them when the build began (see load/git_ids.py)
    state: str  # digest of the published state the build wrote
    diagnostics: tuple[Diagnostic, ...]
    look: Any  # the render stage's look (Material's frames)
    registries: Registries
    trainings: list[TrainingResource]
    skeleton: Skeleton | None  # None as the index keeps it: in a row of its own (see stored_snapshot)
    pinned: frozenset[str]  # entries shown on the home page and the crafts index
    format: int = SNAPSHOT_FORMAT
    skeleton_id: str = ""  # the checksum of the skeleton's row


def stored_snapshot(snapshot: Snapshot, *, skeleton_changed: bool) -> tuple[Snapshot, dict[str, bytes]]:
    """``snapshot`` as the build index keeps it, and the parts to write beside it.

    The skeleton is nearly all of a snapshot (56 MB at 50,000 artisans in
    three languages): kept in a row of its own, named by its checksum, it is
    written only when it changed (a full build, new artisans), not by every
    quick build of an edit, which changes only the snapshot's keys.
    """
    if not skeleton_changed and snapshot.skeleton_id:
        return dataclasses.replace(snapshot, skeleton=None), {}
    blob = pickle.dumps(snapshot.skeleton, protocol=pickle.HIGHEST_PROTOCOL)
    return dataclasses.replace(snapshot, skeleton=None, skeleton_id=part_checksum(blob)), {"skeleton": blob}


def load_snapshot(index: BuildIndex) -> Snapshot | None:
    """The last full build's snapshot with its skeleton, or None (missing, damaged, or parts that do not match)."""
    head = index.snapshot()
    if not isinstance(head, Snapshot) or head.format != SNAPSHOT_FORMAT:
        return None
    part = index.snapshot_part("skeleton")
    if part is None or part[0] != head.skeleton_id or not isinstance(part[1], Skeleton):
        return None
    return dataclasses.replace(head, skeleton=part[1])


def published_rows(catalog: Catalog, languages: tuple[str, ...], digests: Mapping[str, str],
                   images: Mapping[str, Any]) -> dict[str, PublishedRow]:
    """Every published entry's row: its shape, its signature hash and its photos as pages show them."""
    rows: dict[str, PublishedRow] = {}

    def add(entry: Artisan | Product) -> None:
        rows[entry.source] = PublishedRow(entry_shape(entry, languages), digests.get(entry.source, ""),
                                          {f: images[f] for f in shown_files(entry) if f in images})

    for artisan in catalog.artisans:
        add(artisan)
        for product in catalog.products_of.get(artisan.slug, ()):
            add(product)
    return rows


@dataclass
class Addition:
    """A new artisan with its published products (see :mod:`karigar.incremental.additions`)."""

    artisan: Artisan
    products: list[Product]


@dataclass
class Changes:
    """An edit a quick build can make: the changed entries, merged and validated, and their rows."""

    owners: dict[str, Artisan | Product]  # source -> the new model of each changed entry
    digests: dict[str, str]  # source -> its new signature hash
    rows: dict[str, EntryRow]  # the changed files' new validation rows
    published: dict[str, PublishedRow]  # the changed entries' published rows, with the new hash
    files: list[str]  # the changed files
    added: list[Addition] = field(default_factory=list)  # new artisans (then ``owners`` are all new)


def translation_paths(source: str, languages: tuple[str, ...]) -> list[str]:
    """The translation files an entry may have, in the order a walk lists them (by name)."""
    return sorted(f"{source[:-3]}.{lang}.md" for lang in languages[1:])


def merged_entry(source: str, rows: Mapping[str, EntryRow], languages: tuple[str, ...],
                 sink: DiagnosticSink) -> Artisan | Product | None:
    """The entry at ``source`` with its translations merged, from validation rows (None: not valid)."""
    base = rows[source].result[0] if source in rows else None
    if not isinstance(base, (Artisan, Product)):
        return None
    translations = [rows[p].result[0] for p in translation_paths(source, languages) if p in rows]
    if not all(isinstance(t, Translation) for t in translations):
        return None
    artisans, products = apply_translations([base] if isinstance(base, Artisan) else [],
                                            [base] if isinstance(base, Product) else [],
                                            translations, entry_paths={source}, sink=sink)
    return (artisans or products)[0]


def entry_digest(source: str, ids: Mapping[str, str], languages: tuple[str, ...], entry: Artisan | Product,
                 images: Mapping[str, Any]) -> str:
    """The entry's hash as a full build computes it (LoadedSite.digests, then PhotoSet.entry_digests)."""
    digest = ids[source]
    for path in translation_paths(source, languages):
        if path in ids:
            digest = with_translation(digest, path[len(source) - 2:-3], ids[path])
    return with_photos(digest, [images[f] for f in _signed_files(entry) if f in images])


def find_changes(settings: Settings, index: BuildIndex, snapshot: Snapshot, *, changed: Mapping[str, str],
                 git_ids: Mapping[str, str], vsettings: ValidationSettings, context: str) -> Changes | None:
    """The edit since the snapshot's build, if a quick build can make it; None: a full build.

    ``changed``: every input file whose content differs from the snapshot's
    inputs, with its content id now ("" when it is gone), as Git lists them
    (:func:`~karigar.load.git_ids.git_changes`); ``git_ids``: the content ids of
    the files in their artisan folders (their photos are read only if Git does
    not know them).
    """
    languages = settings.languages
    old = index.entries(changed)
    if not changed or old is None or old.keys() != changed.keys():
        return None  # something other than an entry file changed, or one came (see incremental/additions.py)
    if any(row.context != entry_context(context, snapshot.registries, path) for path, row in old.items()) \
            or not all(changed.values()):
        return None  # an entry file is gone, or its row was made for other settings
    files = sorted(path for path in changed if changed[path] != old[path].content_id)
    if not files:
        return None
    owners = owners_of(old[path] for path in files)
    owned = owned_files(owners, languages)
    if "" in owners or any(d.location.path in owned for d in snapshot.diagnostics):
        return None  # an entry that had something to say: the full build says it again
    rows = validate_files(settings, vsettings, snapshot.registries, {path: changed[path] for path in files},
                          context=context, git_ids=git_ids)
    if rows is None:
        return None
    sink = DiagnosticSink()
    all_rows = index.entries(owned)
    old_published = index.published(owners)
    if all_rows is None or old_published is None or old_published.keys() != owners:
        return None
    # Content ids now: the changed files' from Git, every other file's is its last row's.
    ids = {**{path: row.content_id for path, row in all_rows.items()}, **changed}
    merged: dict[str, Artisan | Product] = {}
    digests: dict[str, str] = {}
    published: dict[str, PublishedRow] = {}
    for source in sorted(owners):
        entry = merged_entry(source, {**all_rows, **rows}, languages, sink)
        before = old_published[source]
        if entry is None or sink.items or entry_shape(entry, languages) != before.shape:
            return None
        merged[source] = entry
        digests[source] = entry_digest(source, ids, languages, entry, before.images)
        published[source] = PublishedRow(before.shape, digests[source], before.images)
    return Changes(merged, digests, rows, published, files)


def owned_files(owners: Iterable[str], languages: tuple[str, ...]) -> set[str]:
    """The files of these entries: each one's own and its translations' (those that may exist)."""
    return {p for source in owners for p in (source, *translation_paths(source, languages))}


def owners_of(rows: Iterable[EntryRow]) -> set[str]:
    """The entries these files' last validation rows belong to ("" for a file that did not validate)."""
    owners = set()
    for row in rows:
        model = row.result[0]
        owners.add(model.target if isinstance(model, Translation) else getattr(model, "source", ""))
    return owners


def validate_files(settings: Settings, vsettings: ValidationSettings, registries: Registries,
                   files: Mapping[str, str], *, context: str,
                   git_ids: Mapping[str, str] | None) -> dict[str, EntryRow] | None:
    """Validate these entry files (path -> content id) on their own: their new rows, or None when one
    is not an entry file or has any diagnostic (the full path reports them all)."""
    rows: dict[str, EntryRow] = {}
    photos_of: dict[str, dict[str, Any]] = {}
    for path, cid in files.items():
        stub = entry_stub(settings, path, cid)
        if stub is None:
            return None
        folder = artisan_folder(path)
        if folder not in photos_of:
            photos_of[folder] = folder_photos(settings, folder, git_ids)
        photos = photos_of[folder]
        _path, digest, result = check_entry(stub, settings, vsettings, registries, photos)
        if result[1] or result[0] is None:
            return None
        rows[path] = EntryRow(digest, entry_context(context, registries, path), photo_set_key(photos), vsettings.today,
                              result)
    return rows


@dataclass
class QuickEntries:
    """The entries of a lazy catalog, by number: the changed ones as validated now, the others from the index.

    Loading an entry also brings what its pages show of its photos into
    :attr:`images` and its signature hash into :attr:`digests`, so a planned
    page finds both.
    """

    index: BuildIndex
    sources: tuple[str, ...]
    changes: Changes
    languages: tuple[str, ...]
    images: dict[str, Any] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    _loaded: dict[int, Artisan | Product] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.digests.update(self.changes.digests)
        for row in self.changes.published.values():
            self.images.update(row.images)

    def __call__(self, number: int) -> Artisan | Product:
        found = self._loaded.get(number)
        if found is not None:
            return found
        source = self.sources[number]
        entry = self.changes.owners.get(source)
        if entry is None:
            rows = self.index.entries((source, *translation_paths(source, self.languages)))
            published = self.index.published((source,))
            entry = merged_entry(source, rows, self.languages, DiagnosticSink()) if rows is not None else None
            if entry is None or published is None or source not in published:
                raise LookupError(f"the build index lost {source}")  # the caller falls back to a full build
            self.digests.setdefault(source, published[source].digest)
            self.images.update(published[source].images)
        self._loaded[number] = entry
        return entry

    def numbers(self) -> Iterator[int]:
        """The numbers of the changed entries that the catalog lists (a draft's are not)."""
        where = {source: n for n, source in enumerate(self.sources)}
        return (where[source] for source in sorted(self.changes.owners) if source in where)
