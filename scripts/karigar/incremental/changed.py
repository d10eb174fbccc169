"""What a pull request changes, as the part of the catalog a check must read (``karigar check --changed-from``).

A check of the whole catalog reads every entry: minutes at 50,000 artisans on
a fresh CI runner, which has no cache.  A pull request's errors can only be
in what it changed, or in a rule that ties a changed entry to others:

* an artisan's slug is its folder's name and must be unique catalog-wide:
  every folder sharing a name with an artisan of a changed district is read,
  wherever it is (the folder names are listed without reading any file);
* all artisans of a district folder must agree on district and province, and
  a district folder holds at most ``folder_cap`` outputs: a district with a
  changed file is read whole;
* registries, settings and the engine itself are read by every entry's
  validation: a change to one of them is checked in full, as is a file the
  walk of districts cannot place (beside the district folders), or a content
  page published beside the catalog's own pages;
* ``content/`` is read whole (a few dozen pages).

The scope is then checked by the same stages as the whole catalog
(:func:`karigar.pipeline.check_site` with a :class:`~karigar.load.scope.WalkScope`):
every problem it reports in a file it read is one a full check reports in
that file.  :func:`scoped_diagnostics` leaves out the one kind that depends on
a district it read only in part.
"""

from __future__ import annotations

import math
import os
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from karigar.catalog.routes import Routes, without_language_folder
from karigar.config import Settings
from karigar.diagnostics import Diagnostic
from karigar.load.scope import WalkScope, artisan_folders, districts_with_namesakes, skipped_name

__all__ = ["ChangedScope", "FullCheck", "scope_of_changes", "scoped_diagnostics", "site_wide_caps_hold"]

# The engine's own source: a change to it may change what every entry's check says.
_ENGINE = Path(__file__).resolve().parent.parent
# Routes the catalog's entries make (a content page there may collide with an entry not read).
_CATALOG_ROUTES = ("artisans/", "products/", "crafts/", "marketplaces/", "feeds/")


@dataclass(frozen=True)
class ChangedScope:
    """The part of the catalog to read: ``scope.districts`` whole, ``scope.artisans`` for their slugs."""

    base: str  # the commit the changes are counted from (the merge base), abbreviated
    catalog: str  # the catalog folder, site-relative
    changed: tuple[str, ...]  # site-relative paths that differ from it (edited, added, deleted, untracked)
    scope: WalkScope
    artisans: int  # artisan folders in the whole catalog
    # For site-wide folder caps: country folders, the most district folders of one country, and an
    # upper bound of the catalog's entry files.
    countries: int
    most_districts: int
    entry_files: int


@dataclass(frozen=True)
class FullCheck:
    """The changes need the whole catalog checked, for ``reason``."""

    reason: str


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _paths(out: bytes) -> list[str]:
    return [os.fsdecode(p) for p in out.split(b"\0") if p]


def _changed_paths(root: Path, base: str) -> tuple[str, list[str], int] | FullCheck:
    """(merge base, site-relative changed paths, tracked .md files of the site) or why not."""
    if _git(root, "rev-parse", "--is-inside-work-tree") != b"true\n":
        return FullCheck("the site is not in a Git work tree")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        return FullCheck(f"`{base}` is not a commit in this clone (fetch it, e.g. actions/checkout's fetch-depth)")
    merge_base = _git(root, "merge-base", base, "HEAD")
    if merge_base is None:
        return FullCheck(f"`{base}` and HEAD share no history in this clone (fetch more of it)")
    commit = merge_base.decode().strip()
    # Against the work tree: what is committed since the base, staged, or only edited; and new files.
    diff = _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    tracked = _git(root, "ls-files", "-z", "--", "*.md")
    if diff is None or untracked is None or tracked is None:
        return FullCheck("Git could not list the changes")
    return commit[:12], sorted(set(_paths(diff)) | set(_paths(untracked))), tracked.count(b"\0")


def _content_beside_catalog(settings: Settings) -> str | None:
    """A content page whose URL lies among the catalog's routes, if there is one."""
    routes = Routes(base_path="/", languages=settings.languages)
    docs = settings.docs_dir
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not skipped_name(d))
        for name in sorted(files):
            if skipped_name(name) or not name.endswith(".md"):
                continue
            src = Path(folder, name).relative_to(docs).as_posix()
            output = without_language_folder(routes.content_page(src, settings.default_language).output,
                                             settings.languages)
            if output.startswith(_CATALOG_ROUTES):
                return settings.relative(Path(folder, name))
    return None


def scope_of_changes(settings: Settings, base: str) -> ChangedScope | FullCheck:
    """What a check of the changes since ``base`` (a commit, branch or tag) must read, or why it must read it all."""
    root = settings.root
    found = _changed_paths(root, base)
    if isinstance(found, FullCheck):
        return found
    commit, changed, tracked_md = found
    catalog = settings.relative(settings.catalog_dir) + "/"
    config = settings.relative(settings.config_file)
    engine = _ENGINE.relative_to(root).as_posix() + "/" if _ENGINE.is_relative_to(root) else None
    districts: set[tuple[str, str]] = set()
    for path in changed:
        if path in (config, "pyproject.toml") or (engine is not None and path.startswith(engine)):
            return FullCheck(f"{path} changed (the settings or the engine every entry is checked by)")
        if not path.startswith(catalog):
            continue  # content/ is always read whole; nothing else is an input of the check
        parts = path[len(catalog):].split("/")
        if parts[0] == "_registry":
            return FullCheck(f"{path} changed (a registry every entry is checked against)")
        if any(skipped_name(part) for part in parts[:-1]) or skipped_name(parts[-1]):
            continue  # the walk passes it over
        if len(parts) < 3:
            return FullCheck(f"{path} is outside any district folder")
        country, district = parts[0], parts[1]
        if (settings.catalog_dir / country).is_symlink() or (settings.catalog_dir / country / district).is_symlink():
            return FullCheck(f"{path} is inside a symbolic link")
        districts.add((country, district))
    beside = _content_beside_catalog(settings)
    if beside is not None:
        return FullCheck(f"{beside} is published among the catalog's pages")
    listing = artisan_folders(settings.catalog_dir)
    per_country = Counter(c for c, _ in {(c, d) for c, d, _ in listing})
    return ChangedScope(base=commit, catalog=catalog.rstrip("/"), changed=tuple(changed),
                        scope=districts_with_namesakes(listing, districts), artisans=len(listing),
                        countries=len(per_country), most_districts=max(per_country.values(), default=0),
                        entry_files=tracked_md + len(changed))


def site_wide_caps_hold(settings: Settings, changed: ChangedScope, *, registry_keys: int) -> bool:
    """Whether no folder the whole catalog's listings fill (``artisans/``, a country's, the paged
    indexes', ``crafts/``...) can reach ``folder_cap``: then a folder over the cap can only be in a
    district read whole, and the scoped check finds it.  The bound counts folders and entry files
    (a listing's page holds at least half of ``per_page`` entries, see karigar.catalog.paging)."""
    listing_pages = math.ceil(changed.entry_files / math.ceil(settings.per_page / 2)) + 1
    most = max(changed.countries, changed.most_districts, listing_pages, registry_keys)
    return most + 2 <= settings.folder_cap  # + index.html and page/


def scoped_diagnostics(diagnostics: list[Diagnostic], changed: ChangedScope) -> list[Diagnostic]:
    """The scoped check's diagnostics a full check also reports: a district read only in part (for
    its namesakes' slugs) may disagree with itself in ways the whole district does not."""
    prefix = changed.catalog + "/"

    def in_whole_district(path: str) -> bool:
        parts = path.removeprefix(prefix).split("/") if path.startswith(prefix) else []
        return len(parts) >= 3 and (parts[0], parts[1]) in changed.scope.districts

    return [d for d in diagnostics if d.code != "district-disagree" or in_whole_district(d.location.path)]
