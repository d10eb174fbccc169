"""``karigar demo``: a copy of the current site filled with a synthetic catalog.

The site's settings, theme, pages and registries are copied so the demo
builds exactly like the real site; only ``artisans/`` is replaced, by
:func:`karigar.demo.generate_catalog`.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

import yaml

from karigar.demo import DemoStats, generate_catalog

__all__ = ["run_demo"]

_COPIED_REGISTRIES = ("crafts", "marketplaces", "programs")


class _UsageError(Exception):
    """A problem with the command's arguments: exit status 2."""


def _registry_keys(path: Path) -> list[str]:
    # Only the keys matter here; `karigar check` validates the registry itself.
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _UsageError(f"{path}: not valid YAML ({exc.__class__.__name__}); run `karigar check`") from exc
    if data is None:
        return []
    if not isinstance(data, dict):
        raise _UsageError(f"{path}: expected a mapping of keys, found {type(data).__name__}")
    return [str(key) for key in data]


def _prepare(site_root: Path, dest: Path, force: bool) -> None:
    """Check the arguments and empty what ``force`` allows; raise :class:`_UsageError`."""
    if not (site_root / "mkdocs.yml").is_file():
        raise _UsageError(f"{site_root}: not a site (no mkdocs.yml)")
    if dest == site_root or site_root.is_relative_to(dest):
        raise _UsageError(f"{dest}: the demo would overwrite the site itself; choose another folder")
    if dest.is_relative_to(site_root / "artisans"):
        raise _UsageError(f"{dest}: inside the site's catalog; choose a folder outside artisans/")
    if dest.exists() and not dest.is_dir():
        raise _UsageError(f"{dest}: exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        if not force:
            raise _UsageError(f"{dest}: not empty; pass --force to replace its artisans/")
        shutil.rmtree(dest / "artisans", ignore_errors=True)


def _copy_site(site_root: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(site_root / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("theme", "content"):
        if (site_root / folder).is_dir():
            shutil.copytree(site_root / folder, dest / folder, dirs_exist_ok=True)
    registry = dest / "artisans" / "_registry"
    registry.mkdir(parents=True, exist_ok=True)
    for name in _COPIED_REGISTRIES:
        source = site_root / "artisans" / "_registry" / f"{name}.yml"
        if source.is_file():
            shutil.copy2(source, registry / source.name)


def _summary(stats: DemoStats, dest: Path, seconds: float) -> str:
    return (
        f"demo: {stats.artisans:,} artisans ({stats.drafts:,} drafts), {stats.products:,} products, "
        f"{stats.listings:,} listings in {stats.districts:,} districts; "
        f"{stats.files:,} files, {stats.bytes / 1e6:,.1f} MB written to {dest} in {seconds:.1f} s"
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

    Returns 0 on success and 2 for a usage error (message on stderr).  A
    non-empty ``dest`` is refused unless ``force``, which removes only its
    ``artisans/`` before the site is copied over it again.
    """
    started = time.perf_counter()
    site_root, dest = site_root.resolve(), dest.resolve()
    try:
        if artisans < 1:
            raise _UsageError(f"--artisans must be at least 1, got {artisans}")
        _prepare(site_root, dest, force)
        registry = site_root / "artisans" / "_registry"
        crafts = _registry_keys(registry / "crafts.yml")
        if not crafts:
            raise _UsageError(f"{registry / 'crafts.yml'}: missing or empty; the demo needs craft keys")
        programs = _registry_keys(registry / "programs.yml")
    except _UsageError as exc:
        print(f"karigar demo: error: {exc}", file=sys.stderr)
        return 2
    _copy_site(site_root, dest)
    stats = generate_catalog(
        dest / "artisans", artisans=artisans, seed=seed, photos=photos, crafts=crafts, programs=programs
    )
    print(_summary(stats, dest, time.perf_counter() - started), file=out)
    return 0
