"""`karigar new artisan|product`: scaffold a valid entry for a volunteer.

Values come from flags; in a terminal anything missing (or invalid) is asked
for, and outside one a missing required flag stops with exit 2, so scripts
fail loudly instead of hanging on a prompt.  Inputs are checked against the
contract and the registries before anything is written; the written entry is
then validated with the whole site (:func:`check_site`), the one authority.
Exit codes: 0 created and valid, 1 refused (exists, slug taken) or created
with errors to fix, 2 missing or invalid flags.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from karigar.commands.common import print_diagnostics, read_settings
from karigar.config import Settings
from karigar.diagnostics import DiagnosticSink, did_you_mean
from karigar.errors import NewFailed
from karigar.importer.entry_files import artisan_folders, write_new, yaml_quote
from karigar.load.entries import LoadedSite, RawRegistry
from karigar.load.loader import REGISTRY_NAMES, digest_bytes
from karigar.load.yamlsrc import parse_yaml
from karigar.model import schema
from karigar.model.context import ValidationSettings
from karigar.model.fields import slug_problem, slugify
from karigar.model.registries import validate_registries
from karigar.model.types import Registries
from karigar.pipeline import check_site

__all__ = ["run_new", "NewFailed", "yaml_quote"]

Check = Callable[[str], str]  # a value -> "" when fine, else what is wrong with it
_COUNTRY_RE = re.compile(schema.COUNTRY_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))
_STORY = ("This paragraph is a placeholder: replace it with the artisan's story before publishing. "
          "Say what they make, how they learned the craft, and what makes their work theirs, "
          "in their own words where you can.")
_DESCRIPTION = ("This paragraph is a placeholder: replace it with a description of the product -- what it "
                "is made of, how it is made, its size and how to care for it.")


class _Asker:
    """Flag values, with prompts for what is missing when a person is at a terminal."""

    def __init__(self, stdin: TextIO, out: TextIO, err: TextIO) -> None:
        self.stdin = stdin
        self.out = out
        self.err = err
        self.interactive = stdin.isatty()

    def value(self, flag: str, given: str | None, label: str, check: Check, default: str | None = None) -> str:
        """The flag's value, else a valid ``default``, else a prompted answer (exit 2 when no terminal)."""
        if given is not None:
            problem = check(given.strip())
            if not problem:
                return given.strip()
            if not self.interactive:
                raise NewFailed(2, f"--{flag} {given!r}: {problem}")
            print(f"--{flag} {given!r}: {problem}", file=self.err)
        elif default is not None and not check(default):
            return default
        elif not self.interactive:
            raise NewFailed(2, f"missing --{flag} ({label}); it is required when not run in a terminal")
        while True:
            answer = self._ask(label)
            problem = check(answer)
            if not problem:
                return answer
            print(f"  {problem}", file=self.err)

    def _ask(self, label: str) -> str:
        print(f"{label}: ", end="", file=self.out, flush=True)
        line = self.stdin.readline()
        if not line:
            raise NewFailed(2, f"no answer for {label}")
        return line.strip()


def _not_empty(what: str) -> Check:
    return lambda text: "" if text.strip() else f"{what} cannot be empty"


def _slug_check(kind: str, reserved: frozenset[str]) -> Check:
    def check(text: str) -> str:
        code, reason = slug_problem(text, reserved)
        return f"the {kind} slug `{text}` cannot be used: {reason}" if code else ""
    return check


def _one_of(kind: str, keys: list[str]) -> Check:
    def check(text: str) -> str:
        if not keys or text in keys:  # no readable registry: check_site will say why
            return ""
        return f"unknown {kind} `{text}`{did_you_mean(text, keys)}; known: {', '.join(sorted(keys))}"
    return check


def _date_check(now: dt.datetime) -> Check:
    today = now.astimezone(_LATEST_ZONE).date()

    def check(text: str) -> str:
        try:
            day = dt.date.fromisoformat(text) if _DATE_RE.match(text) else None
        except ValueError:
            day = None
        if day is None:
            return f"`{text}` is not a date written YYYY-MM-DD, e.g. {today.isoformat()}"
        return f"{text} is in the future" if day > today else ""
    return check


def load_registries(settings: Settings, now: dt.datetime) -> Registries:
    """The registries alone (not the whole catalog), for checking flags before writing."""
    loaded = LoadedSite()
    sink = DiagnosticSink()  # their problems are reported by check_site afterwards
    folder = settings.catalog_dir / "_registry"
    for name in REGISTRY_NAMES:
        path = folder / f"{name}.yml"
        try:
            data = path.read_bytes()
        except OSError:
            continue
        rel = settings.relative(path)
        root = parse_yaml(data.decode("utf-8", "replace").lstrip("\ufeff"), path=rel, sink=sink)
        loaded.registries[name] = RawRegistry(name, rel, digest_bytes(data), root)
    vsettings = ValidationSettings(languages=settings.languages, now=now, media_hosts=settings.media_hosts,
                                   reserved_slugs=settings.reserved_slugs)
    return validate_registries(loaded, settings=vsettings, sink=sink)


def new_artisan(args: argparse.Namespace, settings: Settings, now: dt.datetime, ask: _Asker) -> list[Path]:
    """Write ``<catalog>/<country>/<district>/<slug>/index.md`` and ``photos/``; the paths made."""
    registries = load_registries(settings, now)
    reserved = settings.reserved_slugs
    name = ask.value("name", args.name, "name (person, family or cooperative)", _not_empty("the name"))
    default_slug = slugify(name)[: schema.SLUG_MAX].strip("-")
    slug = ask.value("slug", args.slug, "slug (folder name, e.g. shazia-bibi)", _slug_check("artisan", reserved),
                     default=default_slug or None)
    taken = artisan_folders(settings, slug)
    if taken:
        raise NewFailed(1, f"the artisan slug `{slug}` is already used by {settings.relative(taken[0])}/; "
                           "artisan slugs are unique across the whole catalog: choose another with --slug")
    # Upper case is accepted (PK) and written in lower case, as the folder must be.
    country = ask.value("country", args.country, "country (ISO code: pk, in, bd)",
                        lambda t: "" if _COUNTRY_RE.match(t.lower()) else "use the two-letter ISO code, e.g. pk").lower()

    def district_check(text: str) -> str:
        if not text.strip():
            return "the district cannot be empty"
        problem = _slug_check("district", reserved)(slugify(text))
        listed = registries.districts.get(f"{country}/{slugify(text)}")
        if not problem and listed is not None and text not in {n for _, n in listed.name.values}:
            # The contract: entries must agree with the registry where it lists the district.
            problem = f"the districts registry spells it {' / '.join(n for _, n in listed.name.values)}"
        return problem

    district = ask.value("district", args.district, "district (e.g. Dera Ghazi Khan)", district_check)
    listed = registries.districts.get(f"{country}/{slugify(district)}")
    known_province = listed.province.default if listed is not None else None

    def province_check(text: str) -> str:
        if known_province is not None and text != known_province:
            return f"the districts registry puts {district} in `{known_province}`"
        return _not_empty("the province")(text)

    province = ask.value("province", args.province, "province or state", province_check, default=known_province)
    crafts = _crafts(args.crafts, ask, sorted(registries.crafts))
    recorded_by = ask.value("recorded-by", args.recorded_by, "your handle (who recorded the consent)",
                            lambda t: "" if 1 <= len(t) <= 64 else "a handle is 1-64 characters")
    given = ask.value("consent-date", args.consent_date, "date consent was given (YYYY-MM-DD)", _date_check(now),
                      default=now.date().isoformat())
    folder = settings.catalog_dir / country / slugify(district) / slug
    index = folder / "index.md"
    lines = [
        "---",
        f"name: {yaml_quote(name)}",
        f"kind: {yaml_quote(args.kind or 'person')}",
        f"crafts: [{', '.join(yaml_quote(c) for c in crafts)}]",
        "location:",
        f"  district: {yaml_quote(district)}",
        f"  province: {yaml_quote(province)}",
        "consent:",
        f"  given: {given}",
        f"  recorded_by: {yaml_quote(recorded_by)}",
        "---",
        "",
        _STORY,
        "",
    ]
    write_new(index, "\n".join(lines))
    # An empty photos/ folder to put pictures in; Git keeps empty folders only
    # with a file, and the loader skips dot files.
    write_new(folder / "photos" / ".gitkeep", "")
    return [index, folder / "photos"]


def _crafts(given: list[str] | None, ask: _Asker, keys: list[str]) -> list[str]:
    """Each ``--craft`` checked against the registry, or a prompted comma-separated list."""
    check = _one_of("craft", keys)
    if given:
        return [ask.value("craft", craft, "craft key", check) for craft in given]

    def check_all(text: str) -> str:
        crafts = _split(text)
        if not crafts:
            return "name at least one craft"
        return next((problem for problem in map(check, crafts) if problem), "")

    if ask.interactive and keys:
        print(f"known crafts: {', '.join(keys)}", file=ask.out)
    return _split(ask.value("craft", None, "crafts (keys, separated by commas)", check_all))


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def new_product(args: argparse.Namespace, settings: Settings, now: dt.datetime, ask: _Asker) -> list[Path]:
    """Write ``<artisan folder>/products/<slug>.md``; the paths made."""
    registries = load_registries(settings, now)
    reserved = settings.reserved_slugs
    artisan = ask.value("artisan", args.artisan, "artisan slug", _slug_check("artisan", reserved))
    found = artisan_folders(settings, artisan)
    if not found:
        known = [p.name for p in artisan_folders(settings)]
        raise NewFailed(1, f"no artisan `{artisan}` in {settings.relative(settings.catalog_dir)}/*/*/"
                           f"{did_you_mean(artisan, known)}; create it first with `karigar new artisan`")
    if len(found) > 1:
        raise NewFailed(1, f"the artisan slug `{artisan}` is used by several folders: "
                           f"{', '.join(settings.relative(p) for p in found)}; run `karigar check`")
    title = ask.value("title", args.title, "product title", _not_empty("the title"))
    slug = ask.value("slug", args.slug, "slug (file name, e.g. ralli-quilt)", _slug_check("product", reserved),
                     default=slugify(title)[: schema.SLUG_MAX].strip("-") or None)
    path = found[0] / "products" / f"{slug}.md"
    if path.exists():
        raise NewFailed(1, f"{settings.relative(path)} already exists; choose another --slug or edit it")
    market_key = ask.value("marketplace", args.marketplace, "marketplace key",
                           _one_of("marketplace", sorted(registries.marketplaces)))
    listing_line = _listing(args, ask, registries, market_key)
    lines = [
        "---",
        f"title: {yaml_quote(title)}",
        "listings:",
        f"  - marketplace: {yaml_quote(market_key)}",
        f"    {listing_line}",
        "---",
        "",
        _DESCRIPTION,
        "",
    ]
    write_new(path, "\n".join(lines))
    return [path]


def _listing(args: argparse.Namespace, ask: _Asker, registries: Registries, market_key: str) -> str:
    """``id: "..."`` or ``url: "..."`` for the one listing."""
    if args.listing_id is not None and args.listing_url is not None:
        raise NewFailed(2, "give --listing-id or --listing-url, not both")
    market = registries.marketplaces.get(market_key)

    def id_check(text: str) -> str:
        if not text:
            return "the listing id cannot be empty"
        pattern = market.id_pattern if market is not None else None
        if pattern and not re.fullmatch(pattern, text):
            return f"`{text}` is not a {market_key} id (it must match {pattern})"
        return ""

    def url_check(text: str) -> str:
        parts = urlsplit(text)
        if parts.scheme != "https" or not parts.hostname:
            return f"`{text}` is not an https:// URL"
        hosts = market.hosts if market is not None else ()
        host = parts.hostname
        if hosts and not any(host == h or (h.startswith(".") and (host.endswith(h) or host == h[1:]))
                             for h in hosts):
            return f"{host} is not a host of {market_key} ({', '.join(hosts)})"
        return ""

    if args.listing_url is not None:
        return f"url: {yaml_quote(ask.value('listing-url', args.listing_url, 'listing URL', url_check))}"
    if args.listing_id is not None or not ask.interactive:
        if args.listing_id is None:
            raise NewFailed(2, "missing --listing-id or --listing-url (where a buyer can buy it); "
                               "one is required when not run in a terminal")
        return f"id: {yaml_quote(ask.value('listing-id', args.listing_id, 'listing id', id_check))}"
    answer = ask.value("listing-id", None, "listing id, or its https:// URL",
                       lambda t: url_check(t) if t.startswith("https://") else id_check(t))
    return f"url: {yaml_quote(answer)}" if answer.startswith("https://") else f"id: {yaml_quote(answer)}"


def _validate(settings: Settings, now: dt.datetime, created: list[Path], out: TextIO, err: TextIO) -> int:
    """Check the whole site; print the problems that concern the new entry; 0 when it has none."""
    result = check_site(settings, now=now)
    entry = settings.relative(created[0])
    scope = entry.rsplit("/", 1)[0] + "/" if entry.endswith("/index.md") else entry
    # Cross-entry problems (a district spelled differently) may sit on another
    # file and name the new one in the message.
    mine = [d for d in result.diagnostics
            if d.location.path == entry or d.location.path.startswith(scope) or entry in d.message]
    print_diagnostics(mine, err=err)
    if any(d.is_error for d in mine):
        print(f"{entry} was created but has errors: fix them, then run `karigar check`", file=err)
        return 1
    print("next: replace the placeholder text" + (", add photos to photos/" if scope.endswith("/") else "")
          + ", then run `karigar check`", file=out)
    return 0


def run_new(args: argparse.Namespace, *, now: dt.datetime, out: TextIO, err: TextIO,
            stdin: TextIO | None = None) -> int:
    """``karigar new artisan`` or ``karigar new product`` with the parsed ``args``."""
    settings = read_settings(args.config_file, err=err)
    if settings is None:
        return 1
    ask = _Asker(stdin or sys.stdin, out, err)
    make = new_artisan if args.what == "artisan" else new_product
    try:
        created = make(args, settings, now, ask)
    except NewFailed as exc:
        print(f"karigar new {args.what}: {exc.message}", file=err)
        return exc.code
    except KeyboardInterrupt:
        print("\ncancelled; nothing was written", file=err)
        return 130
    for path in created:
        print(f"created {settings.relative(path)}{'/' if path.is_dir() else ''}", file=out)
    return _validate(settings, now, created, out, err)
