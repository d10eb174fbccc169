#!/usr/bin/env python3
"""Per-page render CPU and bytes, by page kind (not a test; figures go in the notes).

Loads a built site's catalog, plans every catalog job and renders each one in
this process, one after another, timing it with ``time.process_time`` (CPU,
not wall clock, so other processes on the machine count less), and weighs
the page it made (bytes of HTML, as written).  By default the frame is the
plain test look, not Material's, so the CPU figures measure the catalog's own
templates and view-models; with ``--material`` MkDocs runs first (into a
temporary folder) and pages are wrapped in Material's frames as a build wraps
them, so the bytes are those of the built pages, and the frames' own bytes
are printed per language.  Nothing is written to the site.

It also prints how many product cards were rendered (each should be once per
language and way of loading), the bytes their packed HTML takes, and the
process's peak resident memory.

    karigar demo --artisans 1000 /tmp/demo1k
    python scripts/bench/render_cpu.py [--material] /tmp/demo1k/mkdocs.yml
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from karigar.config import load_settings
from karigar.diagnostics import DiagnosticSink
from karigar.incremental.entries import engine_fingerprint
from karigar.pipeline import check_site
from karigar.render.look import FramedLook, Look, PlainLook
from karigar.render.site import make_renderers, plan_site, site_signer, stage_content

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
    parser.add_argument("--material", action="store_true",
                        help="wrap pages in Material's frames (runs MkDocs first), as a build does")
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
    look: Look = PlainLook(settings.site_name)
    if args.material:
        with tempfile.TemporaryDirectory(prefix="karigar-frames-") as staging:
            _staged, look = stage_content(settings, check.catalog, Path(staging) / "staging")
    renderers = capture_renderers()
    signer = site_signer(settings, check.catalog, look, digests=check.loaded.digests(), engine=engine_fingerprint())
    jobs = plan_site(settings, check.catalog, look, signer=signer, staged_pages=[])
    seconds: dict[str, float] = defaultdict(float)
    pages: dict[str, int] = defaultdict(int)
    written: dict[str, int] = defaultdict(int)
    cards = count_card_renders()
    for job in jobs:
        kind = kind_of(job.output, settings.languages)
        if kind is None:
            continue
        start = time.process_time()
        data = job.render()
        seconds[kind] += time.process_time() - start
        pages[kind] += 1
        written[kind] += len(data)
    print("| page kind | pages | CPU s | CPU ms per page | bytes per page |")
    print("|---|---:|---:|---:|---:|")
    for kind, _ in KINDS:
        if pages[kind]:
            print(f"| {kind} | {pages[kind]:,} | {seconds[kind]:.2f} | {1000 * seconds[kind] / pages[kind]:.2f} | "
                  f"{written[kind] / pages[kind]:,.0f} |")
    total_pages, total_seconds = sum(pages.values()), sum(seconds.values())
    print(f"| all | {total_pages:,} | {total_seconds:.2f} | {1000 * total_seconds / total_pages:.2f} | "
          f"{sum(written.values()) / total_pages:,.0f} |")
    if isinstance(look, FramedLook):
        sizes = defaultdict(list)
        for (lang, _tab), frame in look.frames.items():
            # (Frame.size, spelled out: the script also measures engines from before it.)
            sizes[lang].append(len((frame.before_title + frame.before_head + frame.before_body
                                    + frame.after_body).encode("utf-8")))
        print("\nframe bytes per language (smallest and largest tab; switcher links left out): " + ", ".join(
            f"{lang} {min(found):,}-{max(found):,}" for lang, found in sizes.items()))
    if cards is not None:
        print(f"\nproduct cards rendered: {cards['renders']:,} ({cards['distinct']():,} distinct), "
              f"{cards['seconds']:.2f} CPU s of the total above")
    packed = sum(getattr(r.cards, "packed_bytes", lambda: 0)() for r in renderers)
    if packed:
        print(f"packed card HTML kept: {packed / 1e6:.2f} MB")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


def capture_renderers() -> list[Any]:
    """The page renderers plan_site makes (one per language), to read their card caches afterwards."""
    import karigar.render.site as render_site

    made: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        renderers = make_renderers(*args, **kwargs)
        made.extend(renderers.values())
        return renderers

    render_site.make_renderers = recording  # type: ignore[assignment]
    return made


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
