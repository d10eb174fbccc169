"""The whole build, top to bottom: up to date? -> load -> validate -> catalog -> render -> write -> stamp.

Every check finishes before the first byte is written: on content errors the
previous site stays exactly as it was.  Each stage is timed.
:func:`build_to_disk` is what ``karigar build`` runs; :func:`build_site` is
the build itself into any writer; :func:`check_site` stops before rendering.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass

from karigar.catalog.claims import claim_site
from karigar.catalog.graph import Catalog, build_catalog
from karigar.catalog.routes import Routes
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.load.entries import LoadedSite
from karigar.incremental.entries import EntryCacheHolder, engine_fingerprint, load_and_validate
from karigar.incremental.uptodate import (
    BuildStamp, clock_valid_until, content_key, forget_stamp, input_git_ids, input_key, read_stamp, write_stamp,
)
from karigar.model.context import ValidationSettings
from karigar.model.validate import Model
from karigar.photos.limits import check_photos
from karigar.render.look import Look
from karigar.render.site import RenderFailed, render_site
from karigar.timing import Timings
from karigar.write.funnel import DiskWriter, SiteWriter, WriteReport
from karigar.write.shard import Shard

__all__ = ["CheckResult", "BuildResult", "UpToDate", "check_site", "build_site", "build_to_disk", "Timings",
           "make_routes"]


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

    @property
    def ok(self) -> bool:
        return self.check.ok and self.report is not None


@dataclass
class UpToDate:
    """No input changed since the last build (its stamp proves it): nothing was loaded or written."""

    stamp: BuildStamp
    timings: Timings


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


def check_site(settings: Settings, *, now: dt.datetime, jobs: int | None = None,
               entry_cache: EntryCacheHolder | None = None, git_ids: Mapping[str, str] | None = None) -> CheckResult:
    """Load, validate and build the catalog graph; nothing is written.

    ``git_ids``: Git's content ids of the inputs when the caller already asked
    Git for them (the up-to-date check did); otherwise the loader asks itself.
    """
    sink = DiagnosticSink()
    timings = Timings()
    routes = make_routes(settings)
    jobs = default_jobs() if jobs is None else jobs
    with timings.stage("load+validate"):
        vsettings = ValidationSettings(
            languages=settings.languages, now=now, media_hosts=settings.media_hosts,
            reserved_slugs=settings.reserved_slugs, photo_url=PhotoUrl(routes.base_path),
        )
        loaded, model = load_and_validate(settings, vsettings, sink=sink, cache_file=entry_cache_file(settings),
                                          holder=entry_cache, jobs=jobs, git_ids=git_ids)
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
        check_photos(catalog, loaded.photos, settings, sink)  # size, pixels, format: located, before any write
    return CheckResult(settings, loaded, model, catalog, sink.sorted(), timings)


def build_site(settings: Settings, *, now: dt.datetime, writer: SiteWriter, run_mkdocs: bool = True,
               look: Look | None = None, jobs: int | None = None, shard: Shard | None = None,
               git_ids: Mapping[str, str] | None = None) -> BuildResult:
    """The whole build.  ``look`` replaces Material (tests of the catalog stage only); ``shard``
    writes only that share of the site (``karigar build --shard K/N``)."""
    jobs = default_jobs() if jobs is None else jobs
    check = check_site(settings, now=now, jobs=jobs, git_ids=git_ids)
    if not check.ok or check.catalog is None:
        return BuildResult(check)
    try:
        report = render_site(settings, check.catalog, writer=writer, timings=check.timings,
                             run_mkdocs=run_mkdocs, look=look, digests=check.loaded.digests(),
                             engine=engine_fingerprint(), processes=jobs, shard=shard)
    except RenderFailed as exc:
        check.diagnostics.append(exc.diagnostic)
        return BuildResult(check)
    return BuildResult(check, report)


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
    keys: dict[str, str | None] = {}
    git: list[dict[str, str] | None] = []  # Git's ids of the inputs, asked once: the loader reuses them

    def content() -> str | None:
        if "content" not in keys:
            git.append(input_git_ids(settings))
            keys["content"] = content_key(settings, engine, git[0])
        return keys["content"]

    with timings.stage("up-to-date check"):
        key = input_key(settings, engine, processes=jobs)
        stamp = read_stamp(settings, key=key, now=now, state_file=writer.state_file, marker=writer.marker,
                           content=content)
    if stamp is not None:
        return UpToDate(stamp, timings)
    forget_stamp(settings)
    content()  # before the build reads anything (see above); cheap, and Git answers in a clone
    result = build_site(settings, now=now, writer=writer, jobs=jobs, git_ids=git[0])
    result.check.timings.stages = {**timings.stages, **result.check.timings.stages}
    if result.ok and result.check.catalog is not None and result.report is not None:
        write_stamp(settings, key=key, built_at=now, valid_until=clock_valid_until(result.check.catalog),
                    state_file=writer.state_file, files=result.report.total,
                    diagnostics=result.check.diagnostics, content_key=keys["content"])
    return result
