"""The whole build, top to bottom: up to date? -> load -> validate -> catalog -> render -> write -> stamp.

Every check finishes before the first byte is written: on content errors the
previous site stays exactly as it was.  Each stage is timed.
:func:`build_to_disk` is what ``karigar build`` runs; :func:`build_site` is
the build itself into any writer; :func:`check_site` stops before rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass

from karigar.catalog.claims import claim_site
from karigar.catalog.graph import Catalog, build_catalog
from karigar.catalog.routes import Routes
from karigar.catalog.growth import grow
from karigar.catalog.skeleton import Skeleton, lazy_catalog, repaged, skeleton_of
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink, Severity
from karigar.load.entries import LoadedSite
from karigar.load.git_ids import TreeState, git_changes, git_ids_under
from karigar.load.scope import WalkScope
from karigar.incremental.entries import (
    EntryCacheHolder, artisan_folder, engine_fingerprint, load_and_validate, validation_context,
)
from karigar.incremental.index import BuildIndex
from karigar.incremental.additions import find_additions, within_caps
from karigar.incremental.quick import (
    Changes, QuickEntries, Snapshot, find_changes, load_snapshot, published_rows, stored_snapshot,
)
from karigar.incremental.uptodate import (
    BuildStamp, clock_valid_until, forget_stamp, input_key, input_tree_state, read_stamp, tree_key, write_stamp,
)
from karigar.model.context import ValidationSettings
from karigar.model.page_parts import detach
from karigar.model.validate import Model
from karigar.photos.limits import check_photos
from karigar.render.look import Look
from karigar.runtime import release_free_memory
from karigar.model.types import Artisan
from karigar.render.jobs import Job
from karigar.render.search import make_builders, quick_search_jobs
from karigar.render.site import RenderFailed, Rendered, plan_entries, plan_growth, render_site, run_jobs, site_signer
from karigar.timing import Timings
from karigar.write.funnel import DiskWriter, SiteWriter, WriteReport
from karigar.write.shard import Shard

__all__ = ["CheckResult", "BuildResult", "UpToDate", "check_site", "build_site", "build_to_disk", "Timings",
           "make_routes", "last_build_is_current"]


@dataclass
class CheckResult:
    settings: Settings
    loaded: LoadedSite
    model: Model | None
    catalog: Catalog | None
    diagnostics: list[Diagnostic]
    timings: Timings

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class BuildResult:
    check: CheckResult
    report: WriteReport | None = None
    rendered: Rendered | None = None  # a full build's render stage (None in a quick build)
    quick: int | None = None  # a quick build: how many entries changed (or were added)
    added: int = 0  # a quick build of new artisan folders: how many

    @property
    def ok(self) -> bool:
        return self.check.ok and self.report is not None


@dataclass
class UpToDate:
    """No input changed since the last build (its stamp proves it): nothing was loaded or written."""

    stamp: BuildStamp
    timings: Timings


# From this many artisans and products a full build keeps their page-only parts out of memory (a temporary
# file); below it the few megabytes it would save are not worth a file.
DETACH_THRESHOLD = 2000


def make_routes(settings: Settings) -> Routes:
    return Routes(base_path=settings.base_path, languages=settings.languages)


def content_sources(settings: Settings, loaded: LoadedSite) -> list[tuple[str, str]]:
    """(site-relative source path, path inside content/) of every MkDocs page."""
    docs = settings.relative(settings.docs_dir)
    return [(e.path, e.path[len(docs) + 1:]) for e in (*loaded.trainings, *loaded.pages) if not e.lang]


@dataclass(frozen=True)
class PhotoUrl:
    """Public URL of a photo file (picklable, unlike a lambda: validation runs in workers)."""

    base_path: str

    def __call__(self, path: str) -> str:
        return self.base_path + path


def entry_cache_file(settings: Settings) -> Path:
    return settings.cache_dir / "index.sqlite"


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def validation_settings(settings: Settings, now: dt.datetime) -> ValidationSettings:
    return ValidationSettings(
        languages=settings.languages, now=now, media_hosts=settings.media_hosts,
        reserved_slugs=settings.reserved_slugs, photo_url=PhotoUrl(make_routes(settings).base_path),
    )


def check_site(settings: Settings, *, now: dt.datetime, jobs: int | None = None,
               entry_cache: EntryCacheHolder | None = None, git_ids: Mapping[str, str] | None = None,
               detach_at: int | None = None, scope: WalkScope | None = None,
               photo_metadata: Severity = Severity.WARNING) -> CheckResult:
    """Load, validate and build the catalog graph; nothing is written.

    ``git_ids``: Git's content ids of the inputs when the caller already asked
    Git for them (the up-to-date check did); otherwise the loader asks itself.
    ``detach_at``: with at least this many entries, what only the entries' own
    pages show is moved out of memory before the catalog is built (a build that
    renders; see :mod:`karigar.model.page_parts`).
    ``scope``: load only that part of the catalog, with no entry cache (``karigar check --changed-from``).
    ``photo_metadata``: how a photo carrying GPS, maker notes, XMP or IPTC is reported: a build warns
    (it publishes a clean copy), ``karigar check`` makes it an error (the repository is public).
    """
    sink = DiagnosticSink()
    timings = Timings()
    routes = make_routes(settings)
    jobs = default_jobs() if jobs is None else jobs
    with timings.stage("load+validate"):
        vsettings = validation_settings(settings, now)
        loaded, model = load_and_validate(settings, vsettings, sink=sink, jobs=jobs, git_ids=git_ids, scope=scope,
                                          cache_file=entry_cache_file(settings) if scope is None else None,
                                          holder=entry_cache)
    parts = None
    if detach_at is not None and len(model.artisans) + len(model.products) >= detach_at:
        with timings.stage("page parts"):
            model.artisans, model.products, parts = detach(model.artisans, model.products, folder=settings.cache_dir)
            # The whole entries are gone: hand their freed pages back before the catalog and the plan
            # allocate (and before render workers fork from this heap).
            release_free_memory()
    with timings.stage("catalog"):
        catalog = build_catalog(
            model.artisans, model.products, model.trainings,
            registries=model.registries, routes=routes, now=now, sink=sink, untranslated=settings.untranslated,
        )
        claim_site(
            catalog, content_pages=content_sources(settings, loaded), languages=settings.languages,
            per_page=settings.per_page, folder_cap=settings.folder_cap,
            config_path=settings.relative(settings.config_file), sink=sink,
        )
        # size, pixels, format, metadata: located, before any write
        check_photos(catalog, loaded.photos, settings, sink, metadata=photo_metadata)
        catalog.parts = parts
    return CheckResult(settings, loaded, model, catalog, sink.sorted(), timings)


def build_site(settings: Settings, *, now: dt.datetime, writer: SiteWriter, run_mkdocs: bool = True,
               look: Look | None = None, jobs: int | None = None, shard: Shard | None = None,
               git_ids: Mapping[str, str] | None = None) -> BuildResult:
    """The whole build.  ``look`` replaces Material (tests of the catalog stage only); ``shard``
    writes only that share of the site (``karigar build --shard K/N``)."""
    jobs = default_jobs() if jobs is None else jobs
    check = check_site(settings, now=now, jobs=jobs, git_ids=git_ids, detach_at=DETACH_THRESHOLD)
    if not check.ok or check.catalog is None:
        return BuildResult(check)
    digests = check.loaded.digests()
    # What was read of the tree is not needed past this point: the stubs and stat index of every input
    # (about 230 MB at 50,000 artisans) would otherwise stay in the heap the render workers fork from.
    check.loaded = LoadedSite()
    try:
        rendered = render_site(settings, check.catalog, writer=writer, timings=check.timings,
                               run_mkdocs=run_mkdocs, look=look, digests=digests,
                               engine=engine_fingerprint(), processes=jobs, shard=shard)
    except RenderFailed as exc:
        check.diagnostics.append(exc.diagnostic)
        return BuildResult(check)
    check.diagnostics.extend(rendered.warnings)
    return BuildResult(check, rendered.report, rendered)


def build_to_disk(settings: Settings, *, now: dt.datetime, jobs: int | None = None,
                  shard: Shard | None = None) -> BuildResult | UpToDate:
    """``karigar build``: the up-to-date check, then the build into ``site_dir``, then the stamp.

    The stamp's keys are computed before the build reads anything, so an input
    edited while the build runs is never stamped as built.  A shard has its own
    published state and no stamp (its inputs are the whole site's, and each
    shard runs on its own machine).
    """
    jobs = default_jobs() if jobs is None else jobs
    if shard is not None and shard.count > 1:
        state = settings.cache_dir / f"state-shard-{shard.number}-of-{shard.count}"
        return build_site(settings, now=now, writer=DiskWriter(settings.site_dir, state), jobs=jobs, shard=shard)
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")
    timings = Timings()
    engine = engine_fingerprint()
    with timings.stage("up-to-date check"):
        stamp, inputs, key = _up_to_date(settings, now=now, engine=engine, writer=writer, jobs=jobs)
    if stamp is not None:
        return UpToDate(stamp, timings)
    forget_stamp(settings)
    result: BuildResult | None = None
    if inputs is not None:
        result = quick_build(settings, now=now, writer=writer, inputs=inputs, engine=engine, timings=timings)
    if result is None:
        result = build_site(settings, now=now, writer=writer, jobs=jobs)
        result.check.timings.stages = {**timings.stages, **result.check.timings.stages}
        if result.ok and inputs is not None:
            with result.check.timings.stage("snapshot"):
                record_snapshot(settings, result, now=now, inputs=inputs, engine=engine, state=writer.state_digest)
    if result.ok and result.check.catalog is not None and result.report is not None:
        write_stamp(settings, key=key, built_at=now, valid_until=clock_valid_until(result.check.catalog),
                    state_file=writer.state_file, files=result.report.total,
                    diagnostics=result.check.diagnostics, content_key=key if inputs is not None else None)
    return result


def _up_to_date(settings: Settings, *, now: dt.datetime, engine: str, writer: DiskWriter,
                jobs: int) -> tuple[BuildStamp | None, TreeState | None, str]:
    """The last build's stamp if it proves ``site_dir`` current; the inputs' Git state and key either way."""
    # In a Git work tree the inputs' state is Git's (what HEAD holds, and what differs from it):
    # seconds for 470,000 files, and the same in a fresh clone, whose stats are all new.  Outside
    # Git, a walk that stats every file.
    inputs = input_tree_state(settings)
    key = tree_key(settings, engine, inputs) if inputs is not None else input_key(settings, engine, processes=jobs)
    stamp = read_stamp(settings, key=key, now=now, state_file=writer.state_file, marker=writer.marker,
                       content=(lambda: key) if inputs is not None else None)
    return stamp, inputs, key


def last_build_is_current(settings: Settings, *, now: dt.datetime) -> bool:
    """Whether ``site_dir`` is exactly what a build at ``now`` would make (the dev server serves it meanwhile)."""
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")  # only its paths: nothing is begun
    stamp, _inputs, _key = _up_to_date(settings, now=now, engine=engine_fingerprint(), writer=writer,
                                       jobs=default_jobs())
    return stamp is not None


# -- quick builds (see karigar.incremental.quick) ------------------------------------------

# A change touching more artisan folders than this takes the full path (a bulk import: about as costly).
MOST_FOLDERS = 1000


def record_snapshot(settings: Settings, result: BuildResult, *, now: dt.datetime, inputs: TreeState,
                    engine: str, state: str) -> None:
    """After a full build: what a quick build needs of it, in the build index (only rows that changed)."""
    check, rendered = result.check, result.rendered
    if check.catalog is None or check.model is None or rendered is None:
        return
    catalog = check.catalog
    vsettings = validation_settings(settings, now)
    index = BuildIndex(entry_cache_file(settings))
    rows = published_rows(catalog, settings.languages, rendered.digests, rendered.images)
    old = index.published_keys() or {}
    snapshot = Snapshot(
        engine=engine, settings=settings.fingerprint(), context=validation_context(settings, vsettings),
        day=vsettings.today, built_at=now, valid_until=clock_valid_until(catalog),
        inputs=inputs,
        state=state, diagnostics=tuple(check.diagnostics), look=rendered.look,
        registries=catalog.registries, trainings=list(catalog.trainings), skeleton=skeleton_of(catalog, settings.featured_limit),
        pinned=frozenset(rendered.pinned),
    )
    head, parts = stored_snapshot(snapshot, skeleton_changed=True)
    index.record(snapshot=head, parts=parts, gone=old.keys() - rows.keys(),
                 published={s: row for s, row in rows.items() if old.get(s) != (row.shape, row.digest)})


def quick_build(settings: Settings, *, now: dt.datetime, writer: DiskWriter, inputs: TreeState, engine: str,
                timings: Timings) -> BuildResult | None:
    """Re-render only the pages an edit that moves no entry, or new artisan folders, change;
    None: it needs a full build."""
    index = BuildIndex(entry_cache_file(settings))
    with timings.stage("changes"):
        snapshot = load_snapshot(index)
        vsettings = validation_settings(settings, now)
        if (snapshot is None
                or (snapshot.engine, snapshot.settings, snapshot.day) != (engine, settings.fingerprint(), vsettings.today)
                or not snapshot.built_at <= now < snapshot.valid_until
                or snapshot.context != validation_context(settings, vsettings)
                or not writer.trusted() or snapshot.state != writer.state_digest):
            return None
        changed = git_changes(settings.root, snapshot.inputs, inputs)
        folders = sorted({artisan_folder(path) for path in changed or ()})
        if changed is None or len(folders) > MOST_FOLDERS:
            return None
        # Each changed file's artisan folder, as Git has it: validation lists its photos without reading them.
        git_ids = git_ids_under(settings.root, inputs, folders)
        if git_ids is None:
            return None
        changes = find_changes(settings, index, snapshot, changed=changed, git_ids=git_ids, vsettings=vsettings,
                               context=snapshot.context)
        if changes is None:
            changes = find_additions(settings, index, snapshot, changed=changed, git_ids=git_ids, vsettings=vsettings,
                                     context=snapshot.context)
        if changes is None or changes.owners.keys() & snapshot.pinned:
            return None
    with timings.stage("plan"):
        try:
            planned = _quick_plan(settings, snapshot, changes, index, writer, engine=engine, now=now)
        except LookupError:
            return None  # a row the index lost: nothing is written yet
        if planned is None:
            return None
        catalog, jobs, dropped, skeleton, pinned = planned
    with timings.stage("render+write"):
        try:
            writer.keep_all_except({job.output for job in jobs} | set(dropped))
        except OSError:
            return None  # the published state turned out damaged: nothing is written yet
        run_jobs(jobs, writer, processes=1)
    with timings.stage("commit"):
        report = writer.commit()
    if skeleton is not snapshot.skeleton:  # grown: keep the paging of the lists it re-cut
        skeleton = repaged(skeleton, catalog)
    head, parts = stored_snapshot(dataclasses.replace(snapshot, state=writer.state_digest, skeleton=skeleton,
                                                      pinned=pinned, inputs=inputs),
                                  skeleton_changed=skeleton is not snapshot.skeleton)
    index.record(snapshot=head, parts=parts, published=changes.published, changed=changes.rows)
    check = CheckResult(settings, LoadedSite(), None, catalog, list(snapshot.diagnostics), timings)
    return BuildResult(check, report, quick=len(changes.owners), added=len(changes.added))


def _quick_plan(settings: Settings, snapshot: Snapshot, changes: Changes, index: BuildIndex, writer: DiskWriter, *,
                engine: str, now: dt.datetime) -> tuple[Catalog, list[Job], list[str], Skeleton, frozenset[str]] | None:
    """A quick build's catalog, jobs, dropped outputs, and the skeleton and pinned entries it leaves."""
    before = snapshot.skeleton
    assert before is not None  # load_snapshot put it back
    sources = before.sources + tuple(s for a in changes.added for s in (a.artisan.source, *(p.source for p in a.products)))
    entries = QuickEntries(index, sources, changes, settings.languages)
    skeleton: Skeleton | None = before
    for addition in changes.added:  # numbered in the order of ``sources``
        assert skeleton is not None
        skeleton = grow(skeleton, entries, artisan=addition.artisan, products=addition.products,
                        craft_order=snapshot.registries.crafts)
        if skeleton is None:
            return None
    assert skeleton is not None
    catalog = lazy_catalog(skeleton, entries, registries=snapshot.registries, routes=make_routes(settings), now=now,
                           trainings=snapshot.trainings, before=before if changes.added else None)
    where = {source: n for n, source in enumerate(skeleton.sources)}
    owners = {source if isinstance(entry, Artisan) else source.rsplit("/products/", 1)[0] + "/index.md"
              for source, entry in changes.owners.items()}
    artisans = [a for a in (entries(where[source]) for source in sorted(owners) if source in where)
                if isinstance(a, Artisan)]
    signer = site_signer(settings, catalog, snapshot.look, digests=entries.digests, engine=engine)
    # The search bundles holding their records, indexed again from the record store (karigar.render.search).
    search = quick_search_jobs(settings, catalog, make_builders(settings, catalog, entries.images), signer,
                               artisans, writer.published_under)
    if search is None:
        return None
    search_jobs, search_dropped = search
    if not changes.added:
        jobs = plan_entries(settings, catalog, snapshot.look, signer=signer, artisans=artisans,
                            only=frozenset(entries.numbers()), images=entries.images)
        return catalog, jobs + search_jobs, search_dropped, skeleton, snapshot.pinned
    for addition in changes.added:
        district = catalog.district(addition.artisan.country, addition.artisan.district_slug)
        if district is None or not within_caps(
                folder_cap=settings.folder_cap, per_page=settings.per_page, district_artisans=len(district.artisans),
                products=len(addition.products), listed=max(len(catalog.artisans), len(catalog.products))):
            return None
    grown = plan_growth(settings, catalog, snapshot.look, signer=signer, artisans=artisans,
                        images=entries.images, published=writer.published_under)
    if grown is None:
        return None  # the published state cannot be read, or a new page is where one of MkDocs' pages is
    jobs, dropped = grown
    return catalog, jobs + search_jobs, dropped + search_dropped, skeleton, frozenset(signer.pinned)
