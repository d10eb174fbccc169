"""Load and validate the catalog, reusing cached results for unchanged files.

Validating an entry is a pure function of its bytes, the registries, the
photos of its folder and the settings, so its result (model and diagnostics)
is cached under its content hash.  The cache is dropped whole when anything
it depends on changes (engine code, registries, settings) and entries whose
result mentioned a date "in the future" are re-checked when the clock moves.
Entries that do need parsing are spread over worker processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.incremental.index import BuildIndex, EntryRow
from karigar.load.entries import LoadedSite, PhotoFile, RawEntry, StatKey
from karigar.load.loader import WalkMemo, load_entry, load_site, registry_digests
from karigar.load.scope import WalkScope
from karigar.model.context import ValidationSettings
from karigar.model.registries import validate_registries
from karigar.model.translate import apply_translations
from karigar.model.types import Artisan, Product, Registries, Translation
from karigar.model.validate import Model, validate_artisan, validate_content, validate_product, validate_translation
from karigar.runtime import frozen_heap, worker_pool

__all__ = ["EntryCache", "EntryCacheHolder", "load_and_validate", "engine_fingerprint", "PARALLEL_THRESHOLD",
           "check_entry", "artisan_folder", "photo_set_key", "validation_context", "entry_context"]

# Below this many entries to parse, worker processes cost more than they save.
PARALLEL_THRESHOLD = 3000
Result = tuple[Artisan | Product | Translation | None, tuple[Diagnostic, ...]]


def engine_fingerprint() -> str:
    """A hash of the engine's own code: a cache written by another version is never trusted."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class EntryCache:
    """The validated entries and the stat index, as read from the build index (or held by a server)."""

    stats: dict[str, tuple[StatKey, str]] = field(default_factory=dict)
    rows: dict[str, EntryRow] = field(default_factory=dict)  # entry path -> its last validation

    @classmethod
    def load(cls, path: Path) -> "EntryCache":
        stats, rows = BuildIndex(path).read()
        return cls(stats, rows)


@dataclass
class EntryCacheHolder:
    """The entry cache kept in memory by a long-running process (``karigar serve``).

    Reading every validated entry back is most of a rebuild's cost at scale
    (hundreds of MB at 50,000 artisans); a dev server holds them between
    rebuilds instead, and writes only the rows that changed.
    """

    cache: EntryCache | None = None
    walk: WalkMemo | None = None  # the dev server's last walk of the tree and the paths changed since


def photo_set_key(photos: Iterable[str]) -> str:
    """The key of one folder's photo set ("" for none): an entry's validation depends on it."""
    names = sorted(photos)
    return hashlib.blake2b("\n".join(names).encode(), digest_size=12).hexdigest() if names else ""


def _photo_sets(photos: Iterable[str]) -> dict[str, str]:
    by_folder: dict[str, list[str]] = {}
    for photo in photos:
        folder = photo.split("/photos/", 1)[0]
        by_folder.setdefault(folder, []).append(photo)
    return {folder: photo_set_key(names) for folder, names in by_folder.items()}


def artisan_folder(path: str) -> str:
    """The artisan folder an entry file belongs to (its photos are that folder's)."""
    return path.split("/products/", 1)[0].rsplit("/index.", 1)[0]


# -- worker processes -----------------------------------------------------------
# Each worker receives the shared inputs once (initializer) and then only lists of
# stubs; this process-local slot is the one piece of module state, and it only
# exists inside worker processes.
_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings, vsettings: ValidationSettings, registries: Registries,
                 photos: dict[str, PhotoFile]) -> None:
    _WORKER.update(settings=settings, vsettings=vsettings, registries=registries, photos=photos)


def check_entry(stub: RawEntry, settings: Settings, vsettings: ValidationSettings, registries: Registries,
               photos: dict[str, PhotoFile]) -> tuple[str, str, Result]:
    sink = DiagnosticSink()
    entry = load_entry(settings, stub, sink=sink)
    model: Artisan | Product | Translation | None = None
    if entry is not None and entry.lang:
        model = validate_translation(entry, registries=registries, photos=photos, settings=vsettings, sink=sink)
    elif entry is not None and entry.front is not None:
        if entry.kind == "artisan":
            model = validate_artisan(entry, registries=registries, photos=photos, settings=vsettings, sink=sink)
        else:
            model = validate_product(entry, registries=registries, photos=photos, settings=vsettings, sink=sink)
    digest = entry.digest if entry is not None else stub.digest
    return stub.path, digest, (model, tuple(sink.items))


def _check_chunk(stubs: Sequence[RawEntry]) -> list[tuple[str, str, Result]]:
    w = _WORKER
    return [check_entry(s, w["settings"], w["vsettings"], w["registries"], w["photos"]) for s in stubs]


def _check_all(stubs: list[RawEntry], settings: Settings, vsettings: ValidationSettings,
               registries: Registries, photos: dict[str, PhotoFile], jobs: int) -> list[tuple[str, str, Result]]:
    if jobs <= 1 or len(stubs) < PARALLEL_THRESHOLD:
        return [check_entry(s, settings, vsettings, registries, photos) for s in stubs]
    # Bounded: a worker holds a chunk's models until it sends them, and keeps the heap it grew for them (at
    # 50,000 artisans in three languages, chunks of 29,000 entries had each worker hold 210-260 MB of its own).
    size = max(200, min(2000, len(stubs) // (jobs * 8)))
    chunks = [stubs[i:i + size] for i in range(0, len(stubs), size)]
    with frozen_heap(), worker_pool(jobs, initializer=_init_worker, initargs=(settings, vsettings, registries, photos)) as pool:
        results: list[tuple[str, str, Result]] = []
        for part in pool.imap(_check_chunk, chunks):  # in order: deterministic
            results.extend(part)
    return results


def validation_context(settings: Settings, vsettings: ValidationSettings) -> str:
    """A hash of what an entry's validation reads besides the entry: a cached result holds under it only."""
    context_text = "\x1f".join([
        # Only what validation reads: changing per_page or the photo widths keeps every validated entry.
        engine_fingerprint(), repr(sorted(registry_digests(settings).items())), settings.fingerprint_for("validation"),
        repr(sorted(vsettings.reserved_slugs)), vsettings.photo_url("artisans/x"),
    ])
    return hashlib.blake2b(context_text.encode(), digest_size=16).hexdigest()


def entry_context(context: str, registries: Registries, path: str) -> str:
    """The validation context of one entry file: the site's (``context``), and the numbers allowed in it.

    The allowed numbers are not in the site's context: each concerns one file, so an edit of the
    list revalidates the files whose allowances changed (their lines included: an unused one is
    reported at its line), not the whole catalog.
    """
    allowed = registries.allowed_numbers.get(path)
    if not allowed:
        return context
    return hashlib.blake2b(f"{context}\x1f{allowed!r}".encode(), digest_size=16).hexdigest()


def load_and_validate(settings: Settings, vsettings: ValidationSettings, *, sink: DiagnosticSink,
                      cache_file: Path | None, jobs: int,
                      holder: EntryCacheHolder | None = None,
                      git_ids: Mapping[str, str] | None = None,
                      scope: WalkScope | None = None) -> tuple[LoadedSite, Model]:
    """Stage 1 and 2 with the entry cache: parse and validate only what changed.

    ``scope``: only that part of the catalog (with the registries and ``content/``); give no
    ``cache_file`` with it (the index holds the whole catalog's rows, and would lose the rest).
    """
    assert scope is None or cache_file is None
    context = validation_context(settings, vsettings)
    if holder is not None and holder.cache is not None:
        old = holder.cache
    else:
        old = EntryCache.load(cache_file) if cache_file is not None else EntryCache()
    today = vsettings.today
    catalog_prefix = settings.relative(settings.catalog_dir) + "/"
    # The dev server (a holder) keeps its stat index warm and misses only what was edited: it never
    # asks Git. A build may run in a fresh clone, where Git already knows every unchanged file's id.
    loaded = load_site(settings, sink=sink, known=old.stats,
                       is_cached=lambda path, _digest: path.startswith(catalog_prefix), ask_git=holder is None,
                       walk=holder.walk if holder is not None else None, git_ids=git_ids, scope=scope)
    registries = validate_registries(loaded, settings=vsettings, sink=sink)

    photo_sets = _photo_sets(loaded.photos)
    new = EntryCache(stats=loaded.stats)
    pending: list[RawEntry] = []
    results: dict[str, Result] = {}
    for stub in (*loaded.artisans, *loaded.products, *loaded.translations):
        row = old.rows.get(stub.path)
        # A row holds for its own key only: these bytes, this context, this folder's photos, and a day
        # no later than today (a clock set back may make a date "in the future" again).
        if (row is not None and row.content_id == stub.digest
                and row.context == entry_context(context, registries, stub.path)
                and row.photo_set == photo_sets.get(artisan_folder(stub.path), "") and row.day <= today
                and not any(d.code == "date-future" for d in row.result[1])):
            results[stub.path] = row.result
            new.rows[stub.path] = row
        else:
            pending.append(stub)
    changed: dict[str, EntryRow] = {}
    for path, digest, result in _check_all(pending, settings, vsettings, registries, loaded.photos, jobs):
        results[path] = result
        changed[path] = new.rows[path] = EntryRow(digest, entry_context(context, registries, path),
                                                  photo_sets.get(artisan_folder(path), ""),
                                                  today, result)

    model = Model(registries)
    for stub in loaded.artisans:
        artisan, diagnostics = results[stub.path]
        sink.extend(diagnostics)
        if isinstance(artisan, Artisan):
            model.artisans.append(artisan)
    for stub in loaded.products:
        product, diagnostics = results[stub.path]
        sink.extend(diagnostics)
        if isinstance(product, Product):
            model.products.append(product)
    translations = []
    for stub in loaded.translations:
        translation, diagnostics = results[stub.path]
        sink.extend(diagnostics)
        if isinstance(translation, Translation):
            translations.append(translation)
    if translations:
        entry_paths = {e.path for e in (*loaded.artisans, *loaded.products)}
        model.artisans, model.products = apply_translations(model.artisans, model.products, translations,
                                                            entry_paths=entry_paths, sink=sink)
    validate_content(loaded, model, settings=vsettings, sink=sink)
    if holder is not None:
        holder.cache = new
    if cache_file is not None and (changed or old.stats != new.stats or old.rows.keys() != new.rows.keys()):
        BuildIndex(cache_file).write(old_stats=old.stats, stats=new.stats, changed=changed,
                                     entries=new.rows.keys(), old_entries=old.rows.keys())
    return loaded, model
