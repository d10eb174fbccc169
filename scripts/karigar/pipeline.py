"""The whole build, top to bottom: load -> validate -> catalog -> render -> write.

Every check finishes before the first byte is written: on content errors the
previous site stays exactly as it was.  Each stage is timed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from dataclasses import dataclass

from karigar.catalog.claims import claim_site
from karigar.catalog.graph import Catalog, build_catalog
from karigar.catalog.routes import Routes
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.load.entries import LoadedSite
from karigar.incremental.entries import EntryCacheHolder, engine_fingerprint, load_and_validate
from karigar.model.context import ValidationSettings
from karigar.model.validate import Model
from karigar.photos.limits import check_photos
from karigar.render.look import Look
from karigar.render.site import RenderFailed, render_site
from karigar.timing import Timings
from karigar.write.funnel import SiteWriter, WriteReport
from karigar.write.shard import Shard

__all__ = ["CheckResult", "BuildResult", "check_site", "build_site", "Timings", "make_routes"]


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
    return settings.cache_dir / "entries.pickle"


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def check_site(settings: Settings, *, now: dt.datetime, jobs: int | None = None,
               entry_cache: EntryCacheHolder | None = None) -> CheckResult:
    """Load, validate and build the catalog graph; nothing is written."""
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
                                          holder=entry_cache,
                                          jobs=jobs)
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
               look: Look | None = None, jobs: int | None = None, shard: Shard | None = None) -> BuildResult:
    """The whole build.  ``look`` replaces Material (tests of the catalog stage only); ``shard``
    writes only that share of the site (``karigar build --shard K/N``)."""
    jobs = default_jobs() if jobs is None else jobs
    check = check_site(settings, now=now, jobs=jobs)
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
