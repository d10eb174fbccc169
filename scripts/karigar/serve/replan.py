"""The dev server's quick re-plan: a save that moves no entry re-plans only the pages that show it.

A volunteer editing a product's text saves, and the browser should show the
edit at once.  A full re-plan re-builds the graph and signs every page of the
catalog (seconds at 10,000 artisans); this does what a quick build does
(:mod:`karigar.incremental.quick`), in memory: the last full plan is kept as
a :class:`PlannedSite` (the graph by entry numbers, the entries, their
signature hashes), the saved files are validated, and when every changed
entry keeps its shape only its artisan's and products' pages and the listing
pages that show it get new jobs; every other job is the last plan's.

Anything it cannot prove sends the rebuild down the full path: a file that
is not an entry, an entry the catalog does not list, a new shape, a
diagnostic, an entry on the home page or the crafts index, other settings
or another day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from karigar.catalog.graph import Catalog
from karigar.catalog.skeleton import lazy_catalog, skeleton_of
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.incremental.index import EntryRow
from karigar.incremental.quick import (
    entry_digest, entry_shape, merged_entry, owned_files, owners_of, validate_files,
)
from karigar.load.loader import digest_bytes
from karigar.model.context import ValidationSettings
from karigar.model.types import Artisan, Product
from karigar.render.jobs import Job, Signer
from karigar.render.look import Look
from karigar.render.site import plan_entries, site_signer
from karigar.serve.ondemand import OnDemandSite

__all__ = ["PlannedSite", "remember", "replan"]


@dataclass
class PlannedSite:
    """The last full plan, kept for quick re-plans (entries and hashes are updated by each one)."""

    settings: str  # the settings' fingerprint
    day: dt.date
    context: str  # the validation context of the entry rows
    engine: str
    look: Look
    catalog: Catalog  # lazy, over ``entries``
    entries: list[Artisan | Product]  # by number
    where: dict[str, int]  # source -> number
    digests: dict[str, str]
    images: Mapping[str, Any]
    pinned: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    jobs: dict[str, Job]
    make_site: Callable[[dict[str, Job]], OnDemandSite]


def remember(settings: Settings, catalog: Catalog, signer: Signer, *, vsettings: ValidationSettings, context: str,
             engine: str, look: Look, images: Mapping[str, Any], diagnostics: list[Diagnostic], jobs: list[Job],
             make_site: Callable[[dict[str, Job]], OnDemandSite]) -> PlannedSite:
    """Keep a full plan for the quick re-plans that may follow it."""
    skeleton = skeleton_of(catalog, settings.featured_limit)
    where = {source: n for n, source in enumerate(skeleton.sources)}
    entries: list[Artisan | Product] = [None] * len(where)  # type: ignore[list-item]  # filled just below
    for artisan in catalog.artisans:
        entries[where[artisan.source]] = artisan
        for product in catalog.products_of.get(artisan.slug, ()):
            entries[where[product.source]] = product
    lazy = lazy_catalog(skeleton, entries.__getitem__, registries=catalog.registries, routes=catalog.routes,
                        now=catalog.now, trainings=list(catalog.trainings))
    return PlannedSite(settings.fingerprint(), vsettings.today, context, engine, look, lazy, entries, where,
                       dict(signer.digests), images, frozenset(signer.pinned),
                       tuple(diagnostics), {job.output: job for job in jobs}, make_site)


def replan(planned: PlannedSite, settings: Settings, *, vsettings: ValidationSettings, context: str,
           changed: Collection[str], rows: Mapping[str, EntryRow]) -> tuple[OnDemandSite, dict[str, EntryRow]] | None:
    """The site after a save that moves no entry, and the changed files' new rows; None: plan it all again.

    ``changed`` are the watcher's absolute paths, ``rows`` the entry cache's
    validation rows (the server's own, kept in memory).
    """
    if (settings.fingerprint(), vsettings.today, context) != (planned.settings, planned.day, planned.context):
        return None
    languages = settings.languages
    files: dict[str, str] = {}
    for raw in changed:
        path = settings.relative(Path(raw))
        if path not in rows:
            return None  # not an entry file the last plan validated (a photo, a new file...)
        try:
            files[path] = digest_bytes((settings.root / path).read_bytes())
        except OSError:
            return None  # deleted or unreadable: the full path reports it
        if files[path] == rows[path].content_id:
            return None  # saved without a change, or touched: the full path keeps the walk's stat records
    new_rows = validate_files(settings, vsettings, planned.catalog.registries, files, context=context, git_ids=None)
    if new_rows is None:
        return None
    owners = owners_of(rows[path] for path in new_rows)
    owned = owned_files(owners, languages)
    if (not owners <= planned.where.keys() or owners & planned.pinned
            or any(d.location.path in owned for d in planned.diagnostics)):
        return None
    merged_rows = {**{p: rows[p] for p in owned if p in rows}, **new_rows}
    sink = DiagnosticSink()
    updates: dict[str, Artisan | Product] = {}
    for source in owners:
        entry = merged_entry(source, merged_rows, languages, sink)
        before = planned.entries[planned.where[source]]
        if entry is None or sink.items or entry_shape(entry, languages) != entry_shape(before, languages):
            return None
        updates[source] = entry
    for source, entry in updates.items():
        ids = {p: row.content_id for p, row in merged_rows.items()}
        planned.digests[source] = entry_digest(source, ids, languages, entry, planned.images)
        planned.entries[planned.where[source]] = entry
    artisans = {s if isinstance(e, Artisan) else s.rsplit("/products/", 1)[0] + "/index.md" for s, e in updates.items()}
    chosen = [planned.entries[planned.where[s]] for s in sorted(artisans) if s in planned.where]
    signer = site_signer(settings, planned.catalog, planned.look, digests=planned.digests, engine=planned.engine)
    jobs = plan_entries(settings, planned.catalog, planned.look, signer=signer,
                        artisans=[a for a in chosen if isinstance(a, Artisan)],
                        only=frozenset(planned.where[s] for s in updates), images=planned.images)
    planned.jobs.update((job.output, job) for job in jobs)
    return planned.make_site(dict(planned.jobs)), new_rows  # a copy: the last site keeps serving its own
