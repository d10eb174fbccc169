"""What the dev server does instead of a build: check, stage MkDocs when needed, plan.

Each (re)build of ``karigar serve`` runs :func:`karigar.pipeline.check_site`
(fast after the first run: the loader re-reads only the paths the watcher
reported, and the entry cache re-validates only changed files),
runs MkDocs only when something it reads may have changed, plans the photos
(processing only those the photo cache lacks: pages show their sizes), and
plans every catalog output as a job without rendering any.  The result is an
:class:`~karigar.serve.ondemand.OnDemandSite`: pages are rendered when a
browser asks for them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic
from karigar.incremental.entries import EntryCacheHolder, engine_fingerprint, validation_context
from karigar.photos.publish import PhotoFailed, PhotoPublisher, PhotoSet
from karigar.load.loader import WalkMemo
from karigar.pipeline import check_site, default_jobs, validation_settings
from karigar.render.look import FramedLook
from karigar.render.jobs import Job
from karigar.render.site import RenderFailed, plan_site, site_signer, stage_content
from karigar.serve.ondemand import FileFinder, OnDemandSite, PageCache
from karigar.serve.replan import PlannedSite, remember, replan
from karigar.timing import Timings

__all__ = ["SitePlanner", "Plan", "Staging", "serve_staging_dir"]


def serve_staging_dir(settings: Settings) -> Path:
    """The dev server's own MkDocs staging: never the one ``karigar build`` uses."""
    return settings.cache_dir / "serve-staging"


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


@dataclass(frozen=True)
class Staging:
    """One successful MkDocs run: where its files are, which they are, and the frames."""

    root: Path
    files: frozenset[str]
    look: FramedLook
    copies: frozenset[str] = frozenset()  # pages shown in the default language (see StagedSite)

    @property
    def pages(self) -> list[str]:
        """MkDocs' canonical HTML outputs (listed in the sitemaps)."""
        return sorted(f for f in self.files if f.endswith(".html") and f not in self.copies)


@dataclass
class Plan:
    """The outcome of one dev-server build: the site to serve (None if it failed) and what was found."""

    site: OnDemandSite | None
    diagnostics: list[Diagnostic]
    timings: Timings = field(default_factory=Timings)
    ran_mkdocs: bool = False


def _photo_finders(publisher: PhotoPublisher, photos: PhotoSet) -> dict[str, FileFinder]:
    # The photo set holds only published photos, so a draft's photos 404 here as
    # they are absent from a build; each is served from the photo cache, sanitized.
    return {out.output: functools.partial(publisher.file_for, out, photos) for out in photos.outputs}


class SitePlanner:
    """Plans the served site on each change, re-running MkDocs only when it may matter.

    MkDocs alternates between two staging folders, so the files the current
    site serves are never cleaned away by the run that replaces them.
    """

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache
        self._staging: Staging | None = None
        self._staging_stale = True  # no run yet, or the last one failed
        self.mkdocs_runs = 0
        self.entries = EntryCacheHolder()  # validated entries, kept between rebuilds
        # The last walk of the tree and the paths changed since: a rebuild lists and stats only those.
        self.walk = self.entries.walk = WalkMemo()
        self.planned: PlannedSite | None = None  # the last full plan, for quick re-plans
        self.quick_plans = 0

    def note_changes(self, changed: Collection[str]) -> None:
        """Tell the loader which paths changed since the last build (none: unknown, so it walks everything).

        :meth:`plan` does it; a build that stops before planning (broken
        settings) must too, or the next walk would not look at its paths.
        """
        if changed:
            self.walk.note(changed)
        else:
            self.walk.forget()

    def needs_mkdocs(self, settings: Settings, changed: Collection[str]) -> bool:
        """Whether MkDocs must run again for these changed paths.

        Only artisan and product entries and their photos are known not to
        reach MkDocs' output or the frames; anything else (content/, theme/,
        templates, registries, mkdocs.yml, or an unknown set of changes)
        re-runs it.
        """
        if self._staging is None or self._staging_stale or not changed:
            return True
        entries = settings.catalog_dir.resolve()
        registry = entries / "_registry"
        for raw in changed:
            path = Path(raw)
            if not _within(path, entries) or _within(path, registry):
                return True
        return False

    def _next_staging_root(self, settings: Settings) -> Path:
        base = serve_staging_dir(settings)
        current = self._staging.root if self._staging is not None else None
        return base / ("b" if current == base / "a" else "a")

    def _stage(self, settings: Settings, catalog: Catalog) -> Staging:
        root = self._next_staging_root(settings)
        staged, look = stage_content(settings, catalog, root)
        self.mkdocs_runs += 1
        return Staging(staged.root, frozenset(staged.files), look, frozenset(staged.copies))

    def plan(self, settings: Settings, *, now: dt.datetime, changed: Collection[str] = ()) -> Plan:
        """Check the catalog and plan the site; the site is None when a check or MkDocs failed.

        ``changed``: every path changed since the last plan, as the watcher
        reported them (absolute); empty when unknown (the first build, changes
        possibly missed), which makes MkDocs run and the loader walk it all.
        """
        # Decided before the check: when the check fails, the change that needs
        # MkDocs must still re-run it at the next build, whatever that one touches.
        if self.needs_mkdocs(settings, changed):
            self._staging_stale = True
        quick = self._quick_plan(settings, now=now, changed=changed)
        if quick is not None:
            return quick
        self.planned = None  # until this full plan succeeds
        self.note_changes(changed)
        check = check_site(settings, now=now, entry_cache=self.entries)
        timings = check.timings
        diagnostics = check.diagnostics
        if not check.ok or check.catalog is None:
            return Plan(None, diagnostics, timings)
        catalog = check.catalog
        ran = False
        if self._staging_stale:
            ran = True
            with timings.stage("mkdocs"):
                try:
                    self._staging = self._stage(settings, catalog)
                    self._staging_stale = False
                except RenderFailed as exc:
                    self._staging_stale = True
                    diagnostics.append(exc.diagnostic)
                    return Plan(None, diagnostics, timings, ran)
        staging = self._staging
        assert staging is not None  # set by the run above or an earlier one
        digests = check.loaded.digests()
        with timings.stage("photos"):
            publisher = PhotoPublisher(settings, catalog, digests, processes=default_jobs())
            try:
                photos = publisher.plan()
            except PhotoFailed as exc:
                diagnostics.extend(exc.diagnostics)
                return Plan(None, diagnostics, timings, ran)
        with timings.stage("plan"):
            signer = site_signer(settings, catalog, staging.look, digests=photos.entry_digests(catalog, digests),
                                 engine=engine_fingerprint())
            jobs = plan_site(settings, catalog, staging.look, signer=signer, staged_pages=staging.pages,
                             images=photos.images)
            def make_site(jobs_by_output: dict[str, Job]) -> OnDemandSite:
                return OnDemandSite(jobs_by_output, self.cache, staged_root=staging.root, staged=staging.files,
                                    photos=lambda: _photo_finders(publisher, photos), search_root=settings.site_dir)

            site = make_site({job.output: job for job in jobs})
        with timings.stage("keep"):
            vsettings = validation_settings(settings, now)
            self.planned = remember(settings, catalog, signer, vsettings=vsettings,
                                    context=validation_context(settings, vsettings), engine=engine_fingerprint(),
                                    look=staging.look, images=photos.images, diagnostics=diagnostics, jobs=jobs,
                                    make_site=make_site)
        return Plan(site, diagnostics, timings, ran)

    def _quick_plan(self, settings: Settings, *, now: dt.datetime, changed: Collection[str]) -> Plan | None:
        """A save that moves no entry: only the pages that show it are planned again (see serve/replan.py)."""
        planned, cache = self.planned, self.entries.cache
        if planned is None or cache is None or not changed or self._staging_stale:
            return None
        timings = Timings()
        with timings.stage("quick plan"):
            vsettings = validation_settings(settings, now)
            done = replan(planned, settings, vsettings=vsettings, context=validation_context(settings, vsettings),
                          changed=changed, rows=cache.rows)
        if done is None:
            return None
        site, rows = done
        cache.rows.update(rows)
        self.note_changes(changed)  # the next full walk looks at these paths again
        self.quick_plans += 1
        return Plan(site, list(planned.diagnostics), timings)
