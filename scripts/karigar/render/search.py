"""The search stage: the catalog's records, split into Pagefind bundles, each indexed only when it changed.

Bundles follow the catalog's own URL tree: each country's artisans (with
their products, so an artisan's records stay together) are cut into
``parts`` bundles by a hash of the artisan's folder, ``parts`` being the
fewest that keep each bundle near :data:`BUNDLE_RECORDS` records; training
resources are one more bundle.  A bundle of 8,000 records is about 450 MB of
memory while Pagefind indexes it and 8,000 fragment files in one folder, far
under the 54,000 a host allows, so the split holds at any catalog size by
construction (a bundle that would still exceed ``folder_cap`` stops the
build with a located error).  The search page merges the bundles in the
browser (Pagefind's ``mergeIndex``), the first one loading the WebAssembly.

Each bundle has a signature: a hash of its records (see
:class:`karigar.pagefind.RecordsDigest`).  A full build makes every record
(the cards of each language, never the pages read back), keeps them in the
build cache's record store, and indexes only the bundles whose signature
differs from what the site holds; a quick build makes the records of the
artisans it renders, replaces them in the store and indexes their bundles
again (:func:`quick_search_jobs`).  All of it before the first page is
written: a Pagefind failure stops the build with the site untouched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.errors import RenderFailed
from karigar.model.types import Artisan
from karigar.pagefind import (
    PagefindFailed, PagefindMissing, RecordsDigest, RecordStore, index_bundle, records_signature,
)
from karigar.photos.publish import PublishedImage
from karigar.render.build_views import ViewBuilder
from karigar.render.edit_links import EditLinker
from karigar.render.locale import ui_locale
from karigar.render.jobs import Job, Signer
from karigar.render.search_records import SearchRecord, SearchRecords
from karigar.timing import Timings
from karigar.write.funnel import SiteWriter

__all__ = ["BundlePlan", "plan_bundles", "SearchStage", "quick_search_jobs", "BUNDLE_RECORDS", "TRAINING_BUNDLE",
           "record_store"]

# Records per bundle aimed at.  Pagefind holds about 55 KB per record while it indexes and takes about 0.4 ms
# of wall time per record: 8,000 records are about 450 MB and 3-4 s, so two bundles are indexed at once in a
# full build, and a quick build that edits one product waits for one small bundle.  The browser pays for
# it: Pagefind's metadata, loaded for every bundle before the first result, has a part per bundle (at
# 50,000 artisans 2.1 MB in 16 bundles of 23,000, 4.2 MB in 45 of 8,000; scripts/bench/README.md).
BUNDLE_RECORDS = 8_000
# Pagefind processes at once in a full build (each uses about 1.35 cores of its own).
PAGEFIND_PROCESSES = 2
TRAINING_BUNDLE = "training"

# The published state's answer to "what did the last build publish under these places" (see DiskWriter).
PublishedQuery = Callable[[Iterable[tuple[str, bool]]], Mapping[str, str] | None]


def record_store(settings: Settings) -> RecordStore:
    return RecordStore(settings.cache_dir / "search.sqlite")


def _staging(settings: Settings) -> Path:
    return settings.cache_dir / "search-staging"


@dataclass(frozen=True)
class BundlePlan:
    """How many bundles each country's records are cut into, and whether training resources have one."""

    parts: tuple[tuple[str, int], ...]  # (country, bundles), in catalog order
    training: bool = True  # whether there is a training bundle (the site has training resources)

    def bundle(self, country: str, folder: str) -> str:
        parts = dict(self.parts)[country]
        number = int.from_bytes(hashlib.blake2b(folder.encode(), digest_size=8).digest(), "big") % parts
        return f"{country}-{number}"

    def names(self) -> list[str]:
        """Every bundle, the one the search page starts from first."""
        return ([f"{country}-{n}" for country, parts in self.parts for n in range(parts)]
                + ([TRAINING_BUNDLE] if self.training else []))

    def to_json(self) -> str:
        return json.dumps([self.parts, self.training])


def plan_bundles(catalog: Catalog, target: int = BUNDLE_RECORDS) -> BundlePlan:
    """The plan of a catalog: per country, the fewest bundles of about ``target`` records (at least one)."""
    parts = []
    for country, groups in catalog.countries.items():
        records = sum(len(group.artisans) + len(group.products) for group in groups)
        parts.append((country, max(1, -(-records // target))))
    return BundlePlan(tuple(parts), bool(catalog.trainings))


def bundle_folder(catalog: Catalog, name: str) -> str:
    return catalog.routes.search_bundle(name).output


def make_builders(settings: Settings, catalog: Catalog,
                  images: Mapping[str, PublishedImage] | None) -> dict[str, ViewBuilder]:
    """Each language's view builder, as the pages' renderers make theirs (karigar.render.site.make_renderers)."""
    links = EditLinker(settings)  # one per build: it makes the site's folders relative once
    return {lang: ViewBuilder(catalog, ui_locale(lang, settings.native_digits), site_name=settings.site_name,
                              site_url=settings.site_url, images=images, edit_links=links)
            for lang in settings.languages}


def _failed(settings: Settings, message: str) -> RenderFailed:
    return RenderFailed(Diagnostic(Severity.ERROR, "search-index", message,
                                   Location(settings.relative(settings.config_file))))


class SearchStage:
    """A full build's search stage: every record made, changed bundles indexed into the cache's staging
    folder by :meth:`index`, then handed to the funnel by :meth:`write` after the pages."""

    def __init__(self, settings: Settings, catalog: Catalog, builders: Mapping[str, ViewBuilder],
                 signer: Signer, *, owns: Callable[[str], bool]) -> None:
        self.settings = settings
        self.catalog = catalog
        self.records = SearchRecords(catalog, builders)
        self.signer = signer
        self.owns = owns
        self.plan = plan_bundles(catalog)
        self.staging = _staging(settings)
        self.signatures: dict[str, str] = {}
        self.indexed: dict[str, list[str]] = {}  # bundle -> its files, in staging

    def _bundles(self) -> Iterator[tuple[str, Iterator[SearchRecord]]]:
        """Each bundle's records, bundle after bundle (an artisan's page parts are read once, with its products'),
        so that Pagefind indexes one bundle while the next one's records are made."""
        members: dict[str, list[Artisan]] = {name: [] for name in self.plan.names()}
        for country, groups in self.catalog.countries.items():
            for group in groups:
                for artisan in group.artisans:
                    members[self.plan.bundle(country, artisan.folder)].append(artisan)
        for name in self.plan.names():
            if name == TRAINING_BUNDLE:
                yield name, self.records.training(name)
            else:
                yield name, (record for artisan in members.pop(name) for record in self.records.artisan(artisan, name))

    def index(self, writer: SiteWriter, timings: Timings) -> None:
        store = record_store(self.settings)
        cap = min(self.settings.folder_cap, 50_000)
        running: list[tuple[str, Future[list[str]]]] = []
        # PAGEFIND_PROCESSES at a time; this thread makes the next bundle's records meanwhile, and waits
        # before more queue (so that few bundles' records are held at once).
        with timings.stage("search"), ThreadPoolExecutor(max_workers=PAGEFIND_PROCESSES) as pagefind:
            with store.rewrite(self.plan.to_json()) as new:
                for name, records in self._bundles():
                    digest = RecordsDigest()
                    held = []
                    for record in records:
                        digest.add(record.key, record.html)
                        new.add(record.key, name, record.html)
                        held.append((record.key, record.html))
                    if digest.count > cap:
                        # Only an artisan with more products than a folder may hold can do this (bundles are
                        # cut to BUNDLE_RECORDS): located at the bundle's first entry, as a listing over the cap.
                        raise RenderFailed(Diagnostic(
                            Severity.ERROR, "folder-cap",
                            f"search bundle {name} would hold {digest.count} records, one fragment file each: the "
                            f"host refuses more than {cap} files in one folder", Location(held[0][0], 1, 1),
                            hint="raise folder_cap if your host allows it"))
                    signature = self.signatures[name] = self.signer.of("search-bundle", name, digest.hexdigest())
                    folder = bundle_folder(self.catalog, name)
                    if not self.owns(folder) or writer.is_current(folder + "pagefind-entry.json", signature):
                        continue
                    while len(running) > PAGEFIND_PROCESSES:
                        self._finish(*running.pop(0))
                    # In key order, as a quick build gives them: Pagefind numbers pages in the order it reads
                    # them, and its index chunks hold those numbers.
                    held.sort()
                    running.append((name, pagefind.submit(index_bundle, held, self.staging / name,
                                                          language=self.settings.default_language)))
            for name, future in running:
                self._finish(name, future)

    def _finish(self, name: str, future: Future[list[str]]) -> None:
        try:
            self.indexed[name] = future.result()
        except (PagefindFailed, PagefindMissing, OSError) as exc:
            raise _failed(self.settings, f"Pagefind could not index search bundle {name}: {exc}") from exc

    def write(self, writer: SiteWriter, published: PublishedQuery | None) -> None:
        """Hand every bundle this shard owns to the funnel: indexed ones from staging, the others kept."""
        for name in self.plan.names():
            folder = bundle_folder(self.catalog, name)
            if not self.owns(folder):
                continue
            signature = self.signatures[name]
            files = self.indexed.get(name)
            if files is None:
                kept = published([(folder, True)]) if published is not None else None
                if kept is None:
                    raise _failed(self.settings, f"search bundle {name}: the last build's files cannot be read")
                for path in kept:
                    writer.keep(path)
                continue
            for rel in files:
                writer.put_file(folder + rel, self.staging / name / rel,
                                signature if rel == "pagefind-entry.json" else "", move=True)
            shutil.rmtree(self.staging / name, ignore_errors=True)


def quick_search_jobs(settings: Settings, catalog: Catalog, builders: Mapping[str, ViewBuilder], signer: Signer,
                      artisans: Iterable[Artisan], published: PublishedQuery) -> tuple[list[Job], list[str]] | None:
    """A quick build's search outputs: the bundles holding a record of ``artisans`` (or of their products)
    indexed again from the record store, as jobs, and their files that are gone; None: a full build decides."""
    store = record_store(settings)
    plan = plan_bundles(catalog)
    if store.plan() != plan.to_json():
        return None
    records = SearchRecords(catalog, builders)
    chosen = list(artisans)
    new: dict[str, tuple[str, bytes]] = {}  # key -> (bundle, HTML)
    for artisan in chosen:
        name = plan.bundle(artisan.country, artisan.folder)
        for record in records.artisan(artisan, name):
            new[record.key] = (name, record.html)
    old = store.bundles_under(artisan.folder + "/" for artisan in chosen)
    touched = sorted({name for name, _html in new.values()} | set(old.values()))
    jobs: list[Job] = []
    dropped: list[str] = []
    changed_bundles: list[str] = []
    staging = _staging(settings)
    for name in touched:
        held = {key: html for key, html in store.records(name) if key not in old}
        held.update({key: html for key, (bundle, html) in new.items() if bundle == name})
        if len(held) > min(settings.folder_cap, 50_000):
            return None
        signature = signer.of("search-bundle", name, records_signature(held.items()))
        folder = bundle_folder(catalog, name)
        before = published([(folder, True)])
        if before is None:
            return None
        if before.get(folder + "pagefind-entry.json") == signature:
            continue
        try:
            files = index_bundle(sorted(held.items()), staging / name, language=settings.default_language)
        except (PagefindFailed, PagefindMissing, OSError):
            return None  # the full build reports it, located
        changed_bundles.append(name)
        for rel in files:
            data = (staging / name / rel).read_bytes()
            jobs.append(Job(folder + rel, signature if rel == "pagefind-entry.json" else "", _data, (data,)))
        shutil.rmtree(staging / name, ignore_errors=True)
        made = {folder + rel for rel in files}
        dropped += [path for path in before if path not in made]
    store.update(old.keys(), ((key, bundle, html) for key, (bundle, html) in new.items()))
    return jobs, dropped


def _data(data: bytes) -> bytes:
    return data
