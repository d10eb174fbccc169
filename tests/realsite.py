"""Builds that go through what ships: MkDocs Material, the pages of content/ and three languages.

Most integration tests build with ``run_mkdocs=False``: a plain stand-in frame
(:class:`karigar.render.look.PlainLook`) wraps the catalog pages, which is fast
but never shows Material's frames (and their slot markers), MkDocs' own pages,
the ``_headers`` file hashed from them, or a second language.  The few tests
that must see those use this module: the repository's sample site copied
where a test may edit it, and inline sites switched to the sample's languages.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from karigar.diagnostics import format_text
from karigar.pipeline import BuildResult, build_site
from karigar.write.funnel import DiskWriter, SiteWriter
from tests.conftest import NOW, REPO, settings_for

__all__ = ["LANGUAGES", "copy_sample", "set_languages", "build_material", "tree", "differences"]

# The sample's languages: the default, one right-to-left and one more left-to-right.
LANGUAGES: tuple[str, ...] = ("en", "ur", "hi")

# What `karigar build` reads from the repository root to build the sample site.
_SAMPLE_PARTS = ("mkdocs.yml", "artisans", "content", "theme")


def copy_sample(dest: Path, *, districts: tuple[str, ...] | None = None) -> Path:
    """A copy of the repository's sample site in ``dest``, ready to be edited and built.

    The copy keeps the sample's relative paths (``custom_dir: theme``,
    ``templates_dir`` by default), so it is built exactly as the repository is.
    Only ``image_cdn: auto`` is pinned to ``none``: ``auto`` follows the
    ``NETLIFY`` variable of whoever runs the test.  ``districts`` (``"pk/thatta"``,
    ...) keeps only those districts' artisans, for tests that build many times:
    content/, the registries and the languages stay whole.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in _SAMPLE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    if districts is not None:
        kept = [dest / "artisans" / district for district in districts]
        assert all(folder.is_dir() for folder in kept), districts  # a district the sample no longer has
        for folder in (dest / "artisans").glob("*/*"):
            if folder.is_dir() and folder not in kept and not folder.parent.name.startswith("_"):
                shutil.rmtree(folder)
    config = dest / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "      image_cdn: auto\n" in text, "the sample's photo setting moved: update copy_sample"
    config.write_text(text.replace("      image_cdn: auto\n", "      image_cdn: none\n"), "utf-8")
    return dest


def set_languages(root: Path, languages: tuple[str, ...] = LANGUAGES) -> None:
    """Publish an inline site (English-only as written) in ``languages``, as its mkdocs.yml would say."""
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    pinned = re.compile(r"(?m)^      languages: \[en\]\n")
    assert pinned.search(text), "the inline site's languages line moved: update set_languages"
    config.write_text(pinned.sub(f"      languages: [{', '.join(languages)}]\n", text, count=1), "utf-8")


def build_material(root: Path, site: Path, cache: Path, *, writer: SiteWriter | None = None) -> BuildResult:
    """``karigar build`` of ``root`` into ``site`` with Material, in one process (2-core CI machine)."""
    settings = settings_for(root / "mkdocs.yml", site_dir=site, cache_dir=cache)
    assert settings.languages == LANGUAGES, settings.languages
    result = build_site(settings, now=NOW, writer=writer or DiskWriter(site, cache / "state"),
                        run_mkdocs=True, jobs=1)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    return result


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (site-relative path) with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    """The paths whose presence or bytes differ, marked: ``+`` only in ``got``, ``-`` missing, ``~`` changed."""
    return sorted(
        [f"+ {p}" for p in got.keys() - expected.keys()]
        + [f"- {p}" for p in expected.keys() - got.keys()]
        + [f"~ {p}" for p in got.keys() & expected.keys() if got[p] != expected[p]]
    )
