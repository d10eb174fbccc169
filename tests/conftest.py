"""Shared fixtures: the sample site built once, and inline sites built from a dict of files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.environment import isolate_environment

# Before anything of Karigar's is imported or built: no test may see the caller's
# NETLIFY, locale or time zone (they change what a build makes; see tests/environment.py).
isolate_environment(os.environ)

from karigar.config import Settings, load_settings  # noqa: E402
from karigar.diagnostics import DiagnosticSink  # noqa: E402
from karigar.pipeline import BuildResult, build_site  # noqa: E402
from karigar.write.funnel import DiskWriter  # noqa: E402
# Hooks (pytest finds them by name in this module):
# browser tests need Chromium, and without it the run stops unless KARIGAR_SKIP_BROWSER=1;
from tests.browser_policy import (  # noqa: E402,F401
    pytest_collection_modifyitems, pytest_configure, pytest_terminal_summary,
)
# every diagnostic a test provokes must be located (path:line:col), or the test says why not.
from tests.located import only_located_diagnostics  # noqa: E402,F401

REPO = Path(__file__).resolve().parent.parent
# The clock every test build uses: fixed, so "upcoming" and "past" never drift.
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)

# Hypothesis in CI: no deadline (a loaded 2-core machine is slow), derandomized.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, max_examples=100)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=100)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


def settings_for(config_file: Path, *, site_dir: Path | None = None, cache_dir: Path | None = None,
                 **changes: object) -> Settings:
    sink = DiagnosticSink()
    settings = load_settings(config_file, sink=sink)
    assert settings is not None, [str(d) for d in sink.items]
    if site_dir is not None:
        changes["site_dir"] = site_dir
    if cache_dir is not None:
        changes["cache_dir"] = cache_dir
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def build(settings: Settings, **kwargs: object) -> BuildResult:
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")
    return build_site(settings, now=NOW, writer=writer, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built once per session (with MkDocs Material)."""
    out = tmp_path_factory.mktemp("sample")
    settings = settings_for(REPO / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache")
    result = build(settings)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    return out / "site"


SiteFactory = Callable[..., Path]


def write_site(base: Path, files: dict[str, str | None], *, registries: bool = True, plugin: str = "") -> Path:
    """Write an inline site under ``base``: the repo's mkdocs.yml, theme and registries plus ``files``.

    ``files`` maps site-relative paths to text (or None to delete a copied file).
    """
    root = base / "site-src"
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    # Defaults equal the sample's values; dropping them lets a test set its own.
    config = config.replace("      per_page: 50\n", "").replace("      featured_limit: 12\n", "")
    # Inline sites are English-only unless a test says otherwise (settings_for(languages=...)), and
    # make their own photo variants: the sample's `image_cdn: auto` would follow NETLIFY.
    config = config.replace("      image_cdn: auto\n", "")
    pinned = f"      languages: [en]\n      templates_dir: {REPO / 'theme' / 'karigar'}\n{plugin}"
    config = re.sub(r"(?m)^      languages: \[.*\]\n", lambda _: pinned, config, count=1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    if registries:
        shutil.copytree(REPO / "artisans" / "_registry", root / "artisans" / "_registry", dirs_exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Inline sites in the test's own temporary folder (see :func:`write_site`)."""

    def factory(files: dict[str, str | None], *, registries: bool = True, plugin: str = "") -> Path:
        return write_site(tmp_path, files, registries=registries, plugin=plugin)

    return factory
