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
import json
import re
import shutil
from pathlib import Path

from karigar.diagnostics import format_text
from karigar.pipeline import BuildResult, build_site
from karigar.write.funnel import DiskWriter, SiteWriter
from karigar.write.shard import SEARCH_BUNDLES
from tests.conftest import NOW, REPO, settings_for

__all__ = ["LANGUAGES", "copy_sample", "set_languages", "build_material", "tree", "differences", "bundle_fingerprint",
           "without_search_bundles", "search_bundles"]

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
    """Every file under ``folder`` (site-relative path) with the SHA-256 of its bytes; each search bundle
    as one item, its folder, with :func:`bundle_fingerprint` (Pagefind's filter chunks and metadata file are
    not byte-reproducible: the same records give other bytes on every run, see karigar/pagefind.py)."""
    found = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and not rel.startswith(SEARCH_BUNDLES):
            found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    for entry in sorted(folder.glob(SEARCH_BUNDLES + "*/pagefind-entry.json")):
        found[entry.parent.relative_to(folder).as_posix() + "/"] = bundle_fingerprint(entry.parent)
    return found


def bundle_fingerprint(bundle: Path) -> str:
    """What a search bundle holds, by the parts Pagefind writes reproducibly: its fragments (one per record,
    named by a hash of the record's content) and word index chunks, and its record count."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    digest = hashlib.sha256(json.dumps({lang: index["page_count"] for lang, index in entry["languages"].items()},
                                       sort_keys=True).encode())
    for part in ("fragment", "index"):
        for p in sorted((bundle / part).glob("*")):
            digest.update(f"{part}/{p.name}:".encode() + hashlib.sha256(p.read_bytes()).digest())
    return digest.hexdigest()


def without_search_bundles(paths: list[str]) -> list[str]:
    """``paths`` but those of search bundles' files (a report's, for the pages' own assertions)."""
    return [p for p in paths if not p.startswith(SEARCH_BUNDLES)]


def search_bundles(paths: list[str]) -> list[str]:
    """The search bundles (names) that ``paths`` hold files of."""
    return sorted({p[len(SEARCH_BUNDLES):].split("/", 1)[0] for p in paths if p.startswith(SEARCH_BUNDLES)})


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    """The paths whose presence or bytes differ, marked: ``+`` only in ``got``, ``-`` missing, ``~`` changed."""
    return sorted(
        [f"+ {p}" for p in got.keys() - expected.keys()]
        + [f"- {p}" for p in expected.keys() - got.keys()]
        + [f"~ {p}" for p in got.keys() & expected.keys() if got[p] != expected[p]]
    )
