"""`karigar check`: validation only, for editors and pull-request checks.

On a site with several languages it also reports translation coverage: how
many published artisans, products and ``content/`` pages read in each
language, how many registry items (crafts, marketplaces, programmes,
districts: every text of theirs a reader sees) and training topics, and with
``--translations LANG`` which files, registry items and topics still need one.

``--changed-from BASE`` checks what changed since BASE (a pull request's base)
plus the rules that tie it to the rest of the catalog, reading only that part
(see :mod:`karigar.incremental.changed`); a change that every entry's check
depends on (a registry, the settings, the engine) is checked in full.  With
``--format github`` and a job summary file, every diagnostic is also written
there (:mod:`karigar.commands.job_summary`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.commands.job_summary import append_job_summary
from karigar.config import Settings
from karigar.incremental.changed import (
    ChangedScope, FullCheck, scope_of_changes, scoped_diagnostics, site_wide_caps_hold,
)
from karigar.diagnostics import Severity
from karigar.load.entries import LoadedSite
from karigar.model.translate import registry_coverage, translation_coverage
from karigar.model.types import TrainingResource
from karigar.pipeline import CheckResult, check_site
from karigar.render.locale import ui_locale
from karigar.render.vocabulary import topic_translated

__all__ = ["run_check", "coverage_report"]


def _pages_missing(settings: Settings, loaded: LoadedSite, lang: str) -> tuple[int, list[str]]:
    """(content/ pages in the default language, those without a ``<page>.<lang>.md``)."""
    originals = [e.path for e in (*loaded.trainings, *loaded.pages) if not e.lang]
    translated = {e.translates for e in (*loaded.trainings, *loaded.pages) if e.lang == lang}
    return len(originals), sorted(p for p in originals if p not in translated)


def _topics_coverage(trainings: list[TrainingResource], lang: str) -> tuple[int, int, list[str]]:
    """(distinct topics, those that read in ``lang``, ``<file> (topics: ...)`` for each file with others).

    A topic is one text of the default language, however many trainings name it.
    """
    ui = ui_locale(lang)
    translated: dict[str, bool] = {}
    missing = []
    for resource in trainings:
        left = []
        for topic in resource.topics:
            ok = topic_translated(ui, topic)
            translated[topic.default] = translated.get(topic.default, True) and ok
            if not ok:
                left.append(topic.default)
        if left:
            missing.append(f"{resource.source} (topics: {', '.join(left)})")
    return len(translated), sum(translated.values()), missing


def coverage_report(result: CheckResult, list_lang: str | None) -> list[str]:
    """Lines of the coverage report: one per language, then the missing files of ``list_lang``."""
    settings, catalog = result.settings, result.catalog
    if catalog is None:
        return []
    default = settings.default_language
    products = [p for ps in catalog.products_of.values() for p in ps]
    lines = []
    for lang in settings.languages[1:]:
        cov = translation_coverage(catalog.artisans, products, lang, default)
        pages, missing_pages = _pages_missing(settings, result.loaded, lang)
        lines.append(f"translations into {lang}: {cov.translated_artisans}/{cov.artisans} artisans, "
                     f"{cov.translated_products}/{cov.products} products ({cov.percent:.0f}%), "
                     f"{pages - len(missing_pages)}/{pages} pages")
        registries = registry_coverage(catalog.registries, lang)
        topics, topics_translated, missing_topics = _topics_coverage(catalog.trainings, lang)
        lines.append(f"registries and topics in {lang}: "
                     + ", ".join(f"{r.translated}/{r.total} {r.registry}" for r in registries)
                     + f", {topics_translated}/{topics} training topics")
        if lang == list_lang:
            paths = {name: reg.path for name, reg in result.loaded.registries.items()}
            missing_items = [f"{paths.get(r.registry, r.registry)}: {key} ({', '.join(fields)})"
                             for r in registries for key, fields in r.missing]
            missing = sorted(cov.missing) + missing_pages + missing_items + missing_topics
            lines.append(f"not yet translated into {lang} ({len(missing)}):")
            lines.extend(f"  {path}" for path in missing)
    return lines


def _check_changes(settings: Settings, base: str, *, now: dt.datetime,
                   err: TextIO) -> tuple[CheckResult, ChangedScope | None]:
    """The check of what changed since ``base`` (None beside it: the whole catalog was checked, and why is on ``err``)."""
    found = scope_of_changes(settings, base)
    if isinstance(found, ChangedScope):
        result = check_site(settings, now=now, scope=found.scope, photo_metadata=Severity.ERROR)
        registries = result.model.registries if result.model is not None else None
        keys = max((len(r) for r in (registries.crafts, registries.marketplaces)), default=0) if registries else 0
        if site_wide_caps_hold(settings, found, registry_keys=keys):
            result.diagnostics = scoped_diagnostics(result.diagnostics, found)
            return result, found
        found = FullCheck("the catalog is near folder_cap, which only the whole catalog can count")
    print(f"note: checking the whole catalog: {found.reason}", file=err)
    return check_site(settings, now=now, photo_metadata=Severity.ERROR), None


def run_check(*, config_file: Path, now: dt.datetime, fmt: str, out: TextIO, err: TextIO,
              translations: str | None = None, changed_from: str | None = None,
              job_summary: Path | None = None) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    if translations is not None and translations not in settings.languages[1:]:
        others = ", ".join(settings.languages[1:]) or "none"
        print(f"error: `--translations {translations}`: not one of the site's other languages ({others}); "
              f"add it to `languages` in {settings.relative(settings.config_file)}", file=err)
        return 2
    if translations is not None and changed_from is not None:
        print("error: `--translations` counts the whole catalog; leave out `--changed-from`", file=err)
        return 2
    changed = None
    if changed_from is None:
        # A photo's metadata is an error here: the file in the repository is public once pushed.
        result = check_site(settings, now=now, photo_metadata=Severity.ERROR)
    else:
        result, changed = _check_changes(settings, changed_from, now=now, err=err)
    # GitHub reads annotations from standard output.
    print_diagnostics(result.diagnostics, err=out if fmt == "github" else err, fmt=fmt)
    if fmt == "github" and job_summary is not None:
        title = "karigar check" + (f" of the changes since {changed.base}" if changed is not None else "")
        append_job_summary(job_summary, result.diagnostics, title=title)
    catalog = result.catalog
    report = out if fmt == "text" else err
    if result.ok and catalog is not None and changed is not None:
        read = len({a.split("/index.", 1)[0] for a in (e.path for e in result.loaded.artisans)})
        print(f"ok: the changes since {changed.base} ({len(changed.changed)} file(s)): {read} of "
              f"{changed.artisans} artisan folders read, in {len(changed.scope.districts)} district(s) read whole "
              f"({summary(result.diagnostics)})", file=report)
        return 0
    if result.ok and catalog is not None:
        print(f"ok: {len(catalog.artisans)} artisans, {catalog.product_count} products, "
              f"{len(catalog.trainings)} training resources ({summary(result.diagnostics)})", file=report)
        for line in coverage_report(result, translations):
            print(line, file=report)
        return 0
    print(f"check failed: {summary(result.diagnostics)}", file=err)
    return 1
