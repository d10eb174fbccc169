#!/usr/bin/env python3
"""Per-page render CPU, by page kind (not a test; figures go in the notes).

Loads a built site's catalog, plans every catalog job and renders each one in
this process, one after another, timing it with ``time.process_time`` (CPU,
not wall clock, so other processes on the machine count less).  The frame is
the plain test look, not Material's, so the figures measure the catalog's own
templates and view-models; nothing is written.

    karigar demo --artisans 1000 /tmp/demo1k
    python scripts/bench/render_cpu.py /tmp/demo1k/mkdocs.yml
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from karigar.config import load_settings
from karigar.diagnostics import DiagnosticSink
from karigar.incremental.entries import engine_fingerprint
from karigar.pipeline import check_site
from karigar.render.look import PlainLook
from karigar.render.site import plan_site

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)

# (kind, pattern on the output path without its language prefix), first match wins.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("home", r"^index\.html$"),
    ("all products", r"^products/"),
    ("crafts index", r"^crafts/index\.html$"),
    ("craft listing", r"^crafts/"),
    ("marketplaces index", r"^marketplaces/index\.html$"),
    ("marketplace listing", r"^marketplaces/"),
    ("artisans index", r"^artisans/(page/\d+/)?index\.html$"),
    ("country listing", r"^artisans/[a-z]{2}/(page/\d+/)?index\.html$"),
    ("district listing", r"^artisans/[a-z]{2}/[^/]+/(page/\d+/)?index\.html$"),
    ("artisan page", r"^artisans/[a-z]{2}/[^/]+/[^/]+/index\.html$"),
    ("product page", r"^artisans/[a-z]{2}/[^/]+/[^/]+/[^/]+/index\.html$"),
    ("training index", r"^training/index\.html$"),
))


def kind_of(output: str, languages: tuple[str, ...]) -> str | None:
    first, _, rest = output.partition("/")
    path = rest if first in languages[1:] else output
    for kind, pattern in KINDS:
        if pattern.search(path):
            return kind
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path, help="the site's mkdocs.yml")
    args = parser.parse_args()
    sink = DiagnosticSink()
    settings = load_settings(args.config, sink=sink)
    if settings is None:
        print("\n".join(str(d) for d in sink.items), file=sys.stderr)
        return 1
    check = check_site(settings, now=NOW, jobs=1)
    if not check.ok or check.catalog is None:
        print("\n".join(str(d) for d in check.diagnostics if d.is_error), file=sys.stderr)
        return 1
    jobs = plan_site(settings, check.catalog, PlainLook(settings.site_name), digests=check.loaded.digests(),
                     engine=engine_fingerprint(), staged_pages=[])
    seconds: dict[str, float] = defaultdict(float)
    pages: dict[str, int] = defaultdict(int)
    cards = count_card_renders()
    for job in jobs:
        kind = kind_of(job.output, settings.languages)
        if kind is None:
            continue
        start = time.process_time()
        job.render()
        seconds[kind] += time.process_time() - start
        pages[kind] += 1
    print("| page kind | pages | CPU s | CPU ms per page |")
    print("|---|---:|---:|---:|")
    for kind, _ in KINDS:
        if pages[kind]:
            print(f"| {kind} | {pages[kind]:,} | {seconds[kind]:.2f} | {1000 * seconds[kind] / pages[kind]:.2f} |")
    total_pages, total_seconds = sum(pages.values()), sum(seconds.values())
    print(f"| all | {total_pages:,} | {total_seconds:.2f} | {1000 * total_seconds / total_pages:.2f} |")
    if cards is not None:
        print(f"\nproduct cards rendered: {cards['renders']:,} ({cards['distinct']():,} distinct), "
              f"{cards['seconds']:.2f} CPU s of the total above")
    return 0


def count_card_renders() -> dict[str, Any] | None:
    """Count and time every product card render (an engine without the card cache: None)."""
    try:
        from karigar.render.cards import ProductCards
    except ImportError:
        return None
    stats: dict[str, Any] = {"renders": 0, "seconds": 0.0}
    keys: set[tuple[str, str, str]] = set()
    stats["distinct"] = lambda: len(keys)
    original = ProductCards.render

    def counted(self: ProductCards, card: Any, loading: Any) -> Any:
        start = time.process_time()
        try:
            return original(self, card, loading)
        finally:
            stats["seconds"] += time.process_time() - start
            stats["renders"] += 1
            keys.add((self.builder.lang, card.url, loading))

    ProductCards.render = counted  # type: ignore[method-assign]
    return stats


if __name__ == "__main__":
    raise SystemExit(main())
