"""The `karigar` command: parse options and hand them to one function in ``commands``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import NoReturn

from karigar import __version__
from karigar.errors import WorkerDied
from karigar.runtime import tuned_gc
from karigar.write.shard import Shard, parse_shard

__all__ = ["main", "command", "parse_now"]


def parse_now(text: str) -> dt.datetime:
    """``--now``: an ISO date or datetime; without an offset it is read as UTC."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not an ISO 8601 date or datetime, e.g. 2026-11-25T09:00:00+05:00"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.add_argument("--now", type=parse_now, default=None,
                        help="the build's clock, ISO 8601 (default: the current time)")


def _shard(text: str) -> Shard:
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="karigar", description="Build and check a Karigar artisan site.")
    parser.add_argument("--version", action="version", version=f"karigar {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="check everything, then write the site")
    _common(build)
    build.add_argument("-d", "--site-dir", type=Path, default=None, help="where to write the site (default: site_dir)")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("--shard", metavar="K/N", type=_shard, default=None,
                       help="write only share K of N of the site (N machines together write the whole site)")

    check = sub.add_parser("check", help="validate content only; write nothing")
    _common(check)
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github prints workflow annotations for pull requests")
    check.add_argument("--translations", metavar="LANG", default=None,
                       help="list every published entry and page not yet translated into LANG")
    check.add_argument("--changed-from", metavar="BASE", default=None,
                       help="check only what changed since the commit BASE (a pull request's base) and the "
                            "rules tying it to the rest of the catalog; a registry or settings change checks all")

    serve = sub.add_parser("serve", help="dev server with live reload")
    _common(serve)
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    serve.add_argument("--no-open", action="store_true", help=argparse.SUPPRESS)

    new = sub.add_parser("new", help="scaffold a valid artisan or product entry")
    new_sub = new.add_subparsers(dest="what", required=True, metavar="artisan|product")
    artisan = new_sub.add_parser("artisan", help="a new artisan folder with index.md")
    _common(artisan)
    artisan.add_argument("--name")
    artisan.add_argument("--slug")
    artisan.add_argument("--country", help="ISO code in lower case: pk, in")
    artisan.add_argument("--district")
    artisan.add_argument("--province")
    artisan.add_argument("--kind", choices=("person", "family", "cooperative"))
    artisan.add_argument("--craft", action="append", dest="crafts", help="a craft key (repeatable)")
    artisan.add_argument("--recorded-by", help="handle of who recorded the artisan's consent")
    artisan.add_argument("--consent-date", help="date consent was given (default: today)")
    product = new_sub.add_parser("product", help="a new product file for an artisan")
    _common(product)
    product.add_argument("--artisan", help="the artisan's slug")
    product.add_argument("--title")
    product.add_argument("--slug")
    product.add_argument("--marketplace")
    product.add_argument("--listing-id", help="the marketplace's id (e.g. an ASIN)")
    product.add_argument("--listing-url", help="or the https URL of the listing")

    photos = sub.add_parser("photos", help="work on the catalog's photo files")
    photos_sub = photos.add_subparsers(dest="what", required=True, metavar="clean")
    clean = photos_sub.add_parser("clean", help="remove GPS, maker notes, XMP and IPTC from photos, losslessly")
    clean.add_argument("--check", action="store_true",
                       help="only report; exit 1 if any photo carries metadata (for pre-commit and CI)")
    clean.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a photo, or a folder to walk for photos")

    roster = sub.add_parser("import", help="turn a programme's spreadsheet (.xlsx or .csv) into artisan entries")
    _common(roster)
    roster.add_argument("roster", type=Path, metavar="ROSTER", help="the roster: ROSTER.xlsx or ROSTER.csv")
    roster.add_argument("--map", dest="mapping", type=Path, required=True, metavar="MAPPING",
                        help="the mapping (YAML): which column gives which field (README: Bulk import)")
    roster.add_argument("--dry-run", action="store_true", help="report every problem and what would be written; "
                        "write nothing")

    demo = sub.add_parser("demo", help="write a deterministic synthetic site (for benchmarks)")
    demo.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    demo.add_argument("--artisans", type=int, required=True)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--photos", action="store_true")
    demo.add_argument("--force", action="store_true", help="replace the catalog of an existing DEST")
    demo.add_argument("dest", type=Path)
    return parser


def command() -> NoReturn:
    """The `karigar` command and `python -m karigar`: :func:`main`, then an exit that skips tearing
    the heap down.

    When ``main`` returns, every file is written and closed and every worker
    joined; what is left is a heap of millions of objects that CPython would free
    one by one -- seconds at 10,000 artisans, for a process about to end anyway
    (mypy ends the same way).  An exception still ends the process the usual way.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    now = getattr(args, "now", None) or dt.datetime.now(dt.timezone.utc)
    with tuned_gc():
        try:
            return _run(args, now)
        except KeyboardInterrupt:
            # Ctrl-C is the user's choice, not a crash: one line, no traceback (workers stay quiet
            # too: karigar.runtime.worker_pool). A build stopped mid-write is completed by the next one.
            print("karigar: interrupted", file=sys.stderr)
            return 130
        except WorkerDied as exc:
            # Most often the machine's memory ran out and the kernel killed a worker: say so, in one line.
            print(f"karigar: {exc} (killed, or out of memory); the next build completes what this one "
                  "wrote", file=sys.stderr)
            return 1


def _run(args: argparse.Namespace, now: dt.datetime) -> int:
    if args.command == "build":
        from karigar.commands.build import run_build

        return run_build(config_file=args.config_file, site_dir=args.site_dir, now=now, quiet=args.quiet,
                         shard=args.shard, out=sys.stdout, err=sys.stderr)
    if args.command == "check":
        from karigar.commands.check import run_check

        # GitHub Actions names the step's summary file; every diagnostic goes there too (--format github).
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        return run_check(config_file=args.config_file, now=now, fmt=args.format, out=sys.stdout, err=sys.stderr,
                         translations=args.translations, changed_from=args.changed_from,
                         job_summary=Path(summary_file) if summary_file else None)
    if args.command == "serve":
        from karigar.commands.serve import run_serve

        return run_serve(config_file=args.config_file, address=args.dev_addr, now=getattr(args, "now", None))
    if args.command == "new":
        from karigar.commands.new import run_new

        return run_new(args, now=now, out=sys.stdout, err=sys.stderr)
    if args.command == "photos":
        from karigar.commands.photos import run_photos_clean

        return run_photos_clean(args.paths, check=args.check, out=sys.stdout, err=sys.stderr)
    if args.command == "import":
        from karigar.commands.import_roster import run_import

        return run_import(config_file=args.config_file, roster=args.roster, mapping=args.mapping,
                          dry_run=args.dry_run, now=now, out=sys.stdout, err=sys.stderr)
    if args.command == "demo":
        from karigar.commands.demo import run_demo

        return run_demo(site_root=args.config_file.resolve().parent, dest=args.dest, artisans=args.artisans,
                        seed=args.seed, photos=args.photos, force=args.force, out=sys.stdout)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
