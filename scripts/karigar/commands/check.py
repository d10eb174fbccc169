"""`karigar check`: validation only, for editors and pull-request checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.pipeline import check_site

__all__ = ["run_check"]


def run_check(*, config_file: Path, now: dt.datetime, fmt: str, out: TextIO, err: TextIO) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    result = check_site(settings, now=now)
    # GitHub reads annotations from standard output.
    print_diagnostics(result.diagnostics, err=out if fmt == "github" else err, fmt=fmt)
    catalog = result.catalog
    if result.ok and catalog is not None:
        print(f"ok: {len(catalog.artisans)} artisans, {catalog.product_count} products, "
              f"{len(catalog.trainings)} training resources ({summary(result.diagnostics)})", file=out if fmt == "text" else err)
        return 0
    print(f"check failed: {summary(result.diagnostics)}", file=err)
    return 1
