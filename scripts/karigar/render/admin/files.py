"""The editor's outputs under ``admin/``, as render jobs with signatures like every other output.

* ``admin/index.html``: the editor's own page (not Material's frame): it
  loads the photo cleaner, then Sveltia CMS, both files of the site.
* ``admin/config.yml``: :func:`karigar.render.admin.config.editor_config`.
* ``admin/sveltia-cms.js``: the bundle of the ``@sveltia/cms`` version pinned
  in ``package.json``, copied from ``node_modules`` (``npm ci`` installs it;
  Netlify runs it before the build).  Nothing is fetched from a CDN at run
  time: the three web fonts the bundle names on cdn.jsdelivr.net are copied
  from their pinned ``@fontsource`` packages into ``admin/fonts/`` and the
  copied bundle names them there instead.
* ``admin/clean-photos.js``: ours; removes location and camera metadata from a
  photo in the browser before Sveltia sees the file (see its own comments).

A missing bundle is a warning naming ``npm ci``, not a failure: the site
builds without its editor.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.catalog.graph import Catalog
from karigar.render.admin.config import config_yaml, editor_config
from karigar.render.edit_links import ADMIN_FOLDER
from karigar.render.pages import Job, Signer
from karigar.settings import Settings

__all__ = ["ADMIN_OUTPUTS", "admin_jobs", "editor_warning", "catalog_districts", "bundle_path", "BUNDLE", "FONTS",
           "admin_page"]

# The pinned bundle, relative to the site root (package.json pins the version; package-lock.json the bytes).
BUNDLE: Final = "node_modules/@sveltia/cms/dist/sveltia-cms.js"
BUNDLE_PACKAGE: Final = "node_modules/@sveltia/cms/package.json"
# The bundle's CDN font URLs -> the same files from their pinned npm packages (package.json).
FONTS: Final[Mapping[str, str]] = {
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2":
        "node_modules/@fontsource-variable/material-symbols-outlined/files/"
        "material-symbols-outlined-latin-wght-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2":
        "node_modules/@fontsource-variable/source-sans-3/files/source-sans-3-latin-wght-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2":
        "node_modules/@fontsource/noto-mono/files/noto-mono-latin-400-normal.woff2",
}
_CLEANER: Final = Path(__file__).with_name("clean-photos.js")
ADMIN_OUTPUTS: Final = tuple(ADMIN_FOLDER + name for name in (
    "index.html", "config.yml", "sveltia-cms.js", "package.json", "clean-photos.js",
    *(f"fonts/{source.rsplit('/', 1)[1]}" for source in FONTS.values())))


def bundle_path(settings: Settings) -> Path:
    return settings.root / BUNDLE


def _font_output(source: str) -> str:
    return f"{ADMIN_FOLDER}fonts/{source.rsplit('/', 1)[1]}"


def admin_page(settings: Settings) -> bytes:
    """The editor's page: no inline script or style (its CSP allows neither), nothing indexed."""
    title = html.escape(f"{settings.site_name} editor")
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{title}</title>\n"
        '<link href="config.yml" type="application/yaml" rel="cms-config-url">\n'
        # The cleaner first: it must see a chosen file before the editor does.
        '<script src="clean-photos.js"></script>\n'
        '<script src="sveltia-cms.js"></script>\n'
        "</head>\n<body></body>\n</html>\n"
    ).encode("utf-8")


# The bundle asks unpkg.com every hour whether a newer Sveltia CMS is out (a fetch of its
# package.json).  The copy asks the site instead, for admin/package.json, which states the
# pinned version: the answer is true (this is the version deployed) and nothing leaves the site.
_VERSION_CHECK: Final = re.compile(rb"=`\$\{\w+\}/package\.json`")


def _bundle_bytes(root: Path) -> bytes:
    """The pinned bundle, fetching nothing from a CDN: fonts from ``admin/fonts/``, its version from
    ``admin/package.json``."""
    data = (root / BUNDLE).read_bytes()
    for url, source in FONTS.items():
        # The bundle's stylesheet is inserted into /admin/: a relative URL resolves there.
        data = data.replace(url.encode(), ("fonts/" + source.rsplit("/", 1)[1]).encode())
    return _VERSION_CHECK.sub(b"=`package.json`", data, count=1)


def _bundle_problem(root: Path) -> str | None:
    """What the copy could not change in the pinned bundle (a new version moved it), or None."""
    data = (root / BUNDLE).read_bytes()
    unknown = [url for url in FONTS if url.encode() not in data]
    if unknown:
        return f"no longer loads the font {unknown[0]}"
    if len(_VERSION_CHECK.findall(data)) != 1:
        return "no longer checks its version at unpkg.com/@sveltia/cms/package.json as expected"
    return None


def _version_file(root: Path) -> bytes:
    """``admin/package.json``: the installed (pinned) version, all the version check reads."""
    version = json.loads((root / BUNDLE).parent.parent.joinpath("package.json").read_text("utf-8"))["version"]
    return json.dumps({"name": "@sveltia/cms", "version": version}).encode("utf-8") + b"\n"


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _digest(*paths: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def catalog_districts(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """Each country's districts as (folder slug, shown name): the catalog's, then the registry's others."""
    districts: dict[str, list[tuple[str, str]]] = {
        country: [(group.slug, group.name.default) for group in groups] for country, groups in catalog.countries.items()
    }
    for key, district in sorted(catalog.registries.districts.items()):
        country, _, slug = key.partition("/")
        known = districts.setdefault(country, [])
        if all(slug != have for have, _name in known):
            known.append((slug, district.name.default))
    return {country: sorted(found, key=lambda item: item[1].casefold()) for country, found in sorted(districts.items())}


def _pinned_at(settings: Settings) -> Location | None:
    """Where the site's package.json pins ``@sveltia/cms`` (its line), or None if it does not."""
    package = settings.root / "package.json"
    try:
        lines = package.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        if '"@sveltia/cms"' in line:
            return Location(settings.relative(package), number, line.index('"') + 1)
    return None


def editor_warning(settings: Settings) -> Diagnostic | None:
    """Why the editor cannot be published (its pinned files are not installed), or None."""
    if not settings.editor_repo:
        return None
    where = _pinned_at(settings)
    if where is None:
        return None  # nothing to install: a site whose package.json names no Sveltia CMS has no editor
    missing = [path for path in (BUNDLE, *FONTS.values()) if not (settings.root / path).is_file()]
    if missing:
        return Diagnostic(
            Severity.WARNING, "editor-bundle",
            f"the web editor at /{ADMIN_FOLDER} is not published: {missing[0]} is missing (run `npm ci` in "
            "the site's folder to install the Sveltia CMS version package.json pins, then build again)", where)
    problem = _bundle_problem(settings.root)
    if problem is not None:
        return Diagnostic(
            Severity.WARNING, "editor-bundle",
            f"the web editor at /{ADMIN_FOLDER} is not published: the installed Sveltia CMS bundle {problem}; "
            "pin the version package.json names (`npm ci`) or update scripts/karigar/render/admin/files.py", where)
    return None


def admin_jobs(settings: Settings, catalog: Catalog, signer: Signer) -> list[Job]:
    """The editor's outputs; none when ``editor_repo`` is empty, or the site's package.json pins no Sveltia
    CMS, or what it pins is not installed (:func:`editor_warning`)."""
    if not settings.editor_repo or _pinned_at(settings) is None or editor_warning(settings) is not None:
        return []
    config = config_yaml(editor_config(settings, catalog.registries, catalog_districts(catalog)))
    page = admin_page(settings)
    cleaner = _CLEANER.read_bytes()
    bundle = _digest(settings.root / BUNDLE, settings.root / BUNDLE_PACKAGE)
    jobs = [
        Job(ADMIN_FOLDER + "index.html", signer.of("admin-page", page), bytes, (page,)),
        Job(ADMIN_FOLDER + "config.yml", signer.of("admin-config", config), bytes, (config,)),
        Job(ADMIN_FOLDER + "clean-photos.js", signer.of("admin-cleaner", cleaner), bytes, (cleaner,)),
        Job(ADMIN_FOLDER + "sveltia-cms.js", signer.of("admin-bundle", bundle),
            _bundle_bytes, (settings.root,)),
        Job(ADMIN_FOLDER + "package.json", signer.of("admin-version", bundle), _version_file, (settings.root,)),
    ]
    for source in FONTS.values():
        jobs.append(Job(_font_output(source), signer.of("admin-font", _digest(settings.root / source)),
                        _read, (settings.root / source,)))
    return jobs
