"""`karigar check`: validation only, for editors and pull-request checks.

On a site with several languages it also reports translation coverage: how
many published artisans, products and ``content/`` pages read in each
language, and with ``--translations LANG`` which files still need one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.config import Settings
from karigar.load.entries import LoadedSite
from karigar.model.translate import translation_coverage
from karigar.pipeline import CheckResult, check_site

__all__ = ["run_check", "coverage_report"]


def _pages_missing(settings: Settings, loaded: LoadedSite, lang: str) -> tuple[int, list[str]]:
    """(content/ pages in the default language, those without a ``<page>.<lang>.md``)."""
    originals = [e.path for e in (*loaded.trainings, *loaded.pages) if not e.lang]
    translated = {e.translates for e in (*loaded.trainings, *loaded.pages) if e.lang == lang}
    return len(originals), sorted(p for p in originals if p not in translated)


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
        if lang == list_lang:
            missing = sorted(cov.missing) + missing_pages
            lines.append(f"not yet translated into {lang} ({len(missing)}):")
            lines.extend(f"  {path}" for path in missing)
    return lines


def run_check(*, config_file: Path, now: dt.datetime, fmt: str, out: TextIO, err: TextIO,
              translations: str | None = None) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    if translations is not None and translations not in settings.languages[1:]:
        others = ", ".join(settings.languages[1:]) or "none"
        print(f"error: `--translations {translations}`: not one of the site's other languages ({others}); "
              f"add it to `languages` in {settings.relative(settings.config_file)}", file=err)
        return 2
    result = check_site(settings, now=now)
    # GitHub reads annotations from standard output.
    print_diagnostics(result.diagnostics, err=out if fmt == "github" else err, fmt=fmt)
    catalog = result.catalog
    report = out if fmt == "text" else err
    if result.ok and catalog is not None:
        print(f"ok: {len(catalog.artisans)} artisans, {catalog.product_count} products, "
              f"{len(catalog.trainings)} training resources ({summary(result.diagnostics)})", file=report)
        for line in coverage_report(result, translations):
            print(line, file=report)
        return 0
    print(f"check failed: {summary(result.diagnostics)}", file=err)
    return 1
