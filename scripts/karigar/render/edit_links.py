"""Where an entry is edited: its place in the web editor at ``/admin/``, and its file on the Git host.

The web editor (Sveltia CMS, configured by :mod:`karigar.render.admin`) has
one collection of artisans and one of products per *editor unit*: a country
of the catalog, or the countries and districts the ``editor_scope`` setting
names, so that no collection lists the whole catalog.  Training resources are
one collection.  An entry opens at ``/admin/#/collections/<collection>/entries/<sub path>``,
the sub path being the entry's file path inside its collection's folder,
without the extension and the language suffix; both the configuration and
the "Edit this page" links derive it from the functions here, so they cannot
disagree.

Pure functions of the settings and a source path: the page view-models call
:func:`edit_links` once per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from karigar.settings import Settings

__all__ = ["EditorPlace", "TRAINING_COLLECTION", "editor_units", "unit_of", "artisans_collection",
           "products_collection", "editor_place", "edit_links", "EditLinker", "ADMIN_FOLDER"]

# The editor's folder in the site; `admin` is a reserved slug for this reason.
ADMIN_FOLDER = "admin/"
TRAINING_COLLECTION = "training"
_GITHUB = "https://github.com/"


@dataclass(frozen=True, slots=True)
class EditorPlace:
    """An entry's collection and sub path in the editor."""

    collection: str
    sub_path: str


def editor_units(settings: Settings, countries: tuple[str, ...]) -> tuple[str, ...]:
    """The editor's units: ``editor_scope`` as written, or every country of the catalog (``countries``)."""
    return settings.editor_scope or tuple(sorted(set(countries)))


def unit_of(units: tuple[str, ...], country: str, district: str) -> str | None:
    """The unit an entry of ``country``/``district`` is edited in (the most specific one), or None."""
    if f"{country}/{district}" in units:
        return f"{country}/{district}"
    return country if country in units else None


def artisans_collection(unit: str) -> str:
    return "artisans-" + unit.replace("/", "-")


def products_collection(unit: str) -> str:
    return "products-" + unit.replace("/", "-")


def _without_suffix(name: str, languages: tuple[str, ...]) -> str | None:
    """``index.ur.md`` -> ``index``; None when ``name`` is not a Markdown file."""
    if not name.endswith(".md"):
        return None
    stem = name[:-3]
    base, dot, lang = stem.rpartition(".")
    return base if dot and lang in languages[1:] else stem


class EditLinker:
    """:func:`edit_links` for one site, with its folders made site-relative once: a build asks for the links
    of every entry page in every language (a million at 50,000 artisans), and making a folder relative
    resolves it on disk."""

    def __init__(self, settings: Settings, units: tuple[str, ...] | None = None) -> None:
        self.languages = settings.languages
        self.units = units
        self.catalog = settings.relative(settings.catalog_dir).rstrip("/") + "/"
        self.training = settings.relative(settings.docs_dir).rstrip("/") + "/training/"
        self.scope = settings.editor_scope
        self.file_base = (f"{_GITHUB}{settings.editor_repo}/blob/{quote(settings.editor_branch, safe='')}/"
                          if settings.editor_repo else "")
        self.editor_base = f"{settings.base_path}{ADMIN_FOLDER}#/collections/"

    def place(self, source: str) -> EditorPlace | None:
        """See :func:`editor_place`."""
        if source.startswith(self.training):
            stem = _without_suffix(source[len(self.training):], self.languages)
            if stem is None or "/" in stem:
                return None
            return EditorPlace(TRAINING_COLLECTION, stem)
        if not source.startswith(self.catalog):
            return None
        parts = source[len(self.catalog):].split("/")
        if len(parts) == 4 and _without_suffix(parts[3], self.languages) == "index":
            kind = "artisan"
        elif len(parts) == 5 and parts[3] == "products":
            kind = "product"
        else:
            return None
        country, district, artisan = parts[:3]
        stem = _without_suffix(parts[-1], self.languages)
        if stem is None or country.startswith(("_", ".")):
            return None
        units = self.units if self.units is not None else (self.scope or (country,))
        unit = unit_of(units, country, district)
        if unit is None:
            return None
        inside = [artisan] if "/" in unit else [district, artisan]
        if kind == "artisan":
            return EditorPlace(artisans_collection(unit), "/".join([*inside, "index"]))
        return EditorPlace(products_collection(unit), "/".join([*inside, "products", stem]))

    def __call__(self, source: str) -> tuple[str | None, str | None]:
        """See :func:`edit_links`."""
        if not self.file_base:
            return None, None
        file_url = self.file_base + quote(source)
        place = self.place(source)
        if place is None:
            return None, file_url
        return f"{self.editor_base}{place.collection}/entries/{quote(place.sub_path)}", file_url


def editor_place(settings: Settings, source: str, units: tuple[str, ...] | None = None) -> EditorPlace | None:
    """Where the entry of ``source`` (site-relative) opens in the editor; None outside its collections.

    ``units`` defaults to :func:`editor_units` with the entry's own country
    (every country of the catalog has a unit when no scope is set).
    """
    return EditLinker(settings, units).place(source)


def edit_links(settings: Settings, source: str) -> tuple[str | None, str | None]:
    """(the editor URL opening the entry of ``source``, the URL of its file on the Git host).

    ``source`` is the entry's path relative to the site root, e.g.
    ``artisans/pk/thatta/shazia-bibi/index.md``,
    ``artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md`` or
    ``content/training/x.md`` (a translation file's path gives its entry's
    editor URL and its own file).  Both are None when ``editor_repo`` is
    empty; the editor URL is None for a file the editor has no collection for
    (outside ``editor_scope``).  The editor URL is site-absolute (base path
    included); the file URL is on github.com, on ``editor_branch``.  Pages use
    an :class:`EditLinker` made once.
    """
    return EditLinker(settings)(source)
