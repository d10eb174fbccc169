"""``karigar demo``: a copy of the current site filled with a synthetic catalog.

The site's settings, theme, pages and registries are copied so the demo
builds exactly like the real site; only the catalog is new, written by
:func:`karigar.demo.generate_catalog`.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from karigar.commands.common import read_settings
from karigar.config import Settings
from karigar.demo import DemoStats, generate_catalog
from karigar.errors import UsageError as _UsageError

__all__ = ["run_demo"]

_COPIED_REGISTRIES = ("crafts", "marketplaces", "programs")


@dataclass(frozen=True)
class _Plan:
    """What to copy and where the catalog goes, all relative to the site root."""

    theme: Path
    pages: Path
    catalog: Path
    crafts: list[str]
    programs: list[str]


def _registry_keys(path: Path) -> list[str]:
    # Only the keys matter here; `karigar check` validates the registry itself.
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _UsageError(f"{path}: not valid YAML; run `karigar check`") from exc
    if data is None:
        return []
    if not isinstance(data, dict):
        raise _UsageError(f"{path}: expected a mapping of keys, found {type(data).__name__}")
    return [str(key) for key in data]


def _inside(settings: Settings, path: Path, what: str) -> Path:
    if not path.is_relative_to(settings.root):
        raise _UsageError(f"{path}: the {what} is outside the site; the demo copies only the site")
    return path.relative_to(settings.root)


def _plan(settings: Settings, dest: Path) -> _Plan:
    """Check the arguments against the site; raise :class:`_UsageError`, change nothing."""
    root = settings.root
    if dest == root or root.is_relative_to(dest):
        raise _UsageError(
            f"{dest}: the demo would overwrite the site itself; choose another folder"
        )
    if dest.is_relative_to(settings.catalog_dir):
        raise _UsageError(f"{dest}: inside the site's catalog; choose a folder outside it")
    if dest.exists() and not dest.is_dir():
        raise _UsageError(f"{dest}: exists and is not a folder")
    registry = settings.catalog_dir / "_registry"
    crafts = _registry_keys(registry / "crafts.yml")
    if not crafts:
        raise _UsageError(f"{registry / 'crafts.yml'}: missing or empty; the demo needs craft keys")
    return _Plan(
        theme=_inside(settings, settings.theme_dir, "theme folder"),
        pages=_inside(settings, settings.docs_dir, "pages folder (docs_dir)"),
        catalog=_inside(settings, settings.catalog_dir, "catalog folder"),
        crafts=crafts,
        programs=_registry_keys(registry / "programs.yml"),
    )


def _copy_site(settings: Settings, plan: _Plan, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(settings.config_file, dest / settings.config_file.name)
    for folder in (plan.theme, plan.pages):
        if (settings.root / folder).is_dir():
            shutil.copytree(settings.root / folder, dest / folder, dirs_exist_ok=True)
    registry = dest / plan.catalog / "_registry"
    registry.mkdir(parents=True, exist_ok=True)
    for name in _COPIED_REGISTRIES:
        source = settings.catalog_dir / "_registry" / f"{name}.yml"
        if source.is_file():
            shutil.copy2(source, registry / source.name)


def _summary(stats: DemoStats, dest: Path, seconds: float) -> str:
    return (
        f"demo: {stats.artisans:,} artisans ({stats.drafts:,} drafts), "
        f"{stats.products:,} products, {stats.listings:,} listings "
        f"in {stats.districts:,} districts; {stats.files:,} files, "
        f"{stats.bytes / 1e6:,.1f} MB written to {dest} in {seconds:.1f} s"
    )


def run_demo(
    *,
    site_root: Path,
    dest: Path,
    artisans: int,
    seed: int,
    photos: bool,
    force: bool,
    out: TextIO,
) -> int:
    """Write a demo site of ``artisans`` synthetic artisans to ``dest``.

    Returns 0 on success, 1 when the site's ``mkdocs.yml`` has errors and 2
    for a usage error (messages on stderr).  A non-empty ``dest`` is refused
    unless ``force``, which removes only its catalog before the site is
    copied over it again.  Localized names use only the site's languages.
    """
    started = time.perf_counter()
    site_root, dest = site_root.resolve(), dest.resolve()
    if artisans < 1:
        print(
            f"karigar demo: error: --artisans must be at least 1, got {artisans}", file=sys.stderr
        )
        return 2
    if not (site_root / "mkdocs.yml").is_file():
        print(f"karigar demo: error: {site_root}: not a site (no mkdocs.yml)", file=sys.stderr)
        return 2
    settings = read_settings(site_root / "mkdocs.yml", err=sys.stderr)
    if settings is None:
        return 1
    try:
        plan = _plan(settings, dest)
        if dest.is_dir() and any(dest.iterdir()) and not force:
            raise _UsageError(f"{dest}: not empty; pass --force to replace its catalog")
    except _UsageError as exc:
        print(f"karigar demo: error: {exc}", file=sys.stderr)
        return 2
    # Only now, with every check passed, is anything removed.
    shutil.rmtree(dest / plan.catalog, ignore_errors=True)
    _copy_site(settings, plan, dest)
    stats = generate_catalog(
        dest / plan.catalog,
        artisans=artisans,
        seed=seed,
        photos=photos,
        crafts=plan.crafts,
        programs=plan.programs,
        languages=settings.languages,
    )
    print(_summary(stats, dest, time.perf_counter() - started), file=out)
    return 0
