"""Every URL and output path of the site, decided here and nowhere else.

The contract's URL table is encoded once: the catalog's pages, the training
index and calendar, the pages MkDocs renders from ``content/``, photos and the
404 page.  A language other than the default gets a ``/<lang>/`` prefix;
listing page n >= 2 lives at ``<listing>page/<n>/``.

:class:`RouteTable` claims each output path for one owner, so two things can
never be written to the same file, and counts the entries of every output
folder against the host's cap.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from karigar.diagnostics import DiagnosticSink, Location
from karigar.write.shard import SEARCH_BUNDLES

__all__ = ["Route", "Routes", "RouteTable", "without_language_folder", "SEARCH_BUNDLES", "API_ROOT"]

# The content API's folder (karigar.render.api); its version is in the path.
API_ROOT = "api/v1/"


@dataclass(frozen=True, slots=True)
class Route:
    """``url`` is site-absolute (base path included); ``output`` is relative to the site folder."""

    url: str
    output: str


def without_language_folder(output: str, languages: Iterable[str]) -> str:
    """An output's path without its language's folder (``ur/artisans/...`` -> ``artisans/...``)."""
    first, _, rest = output.partition("/")
    return rest if rest and first in languages else output


class Routes:
    """Pure functions from things to routes; no state but the base path and languages."""

    def __init__(self, *, base_path: str, languages: tuple[str, ...]) -> None:
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.languages = languages
        self.default_language = languages[0]

    # -- building blocks ---------------------------------------------------
    def _prefix(self, lang: str) -> str:
        return "" if lang == self.default_language else f"{lang}/"

    def folder(self, path: str, lang: str) -> Route:
        """A pretty URL: ``path`` is a folder (ending in ``/`` or empty for the home page)."""
        rel = self._prefix(lang) + path
        return Route(self.base_path + rel, rel + "index.html")

    def file(self, path: str, lang: str | None = None) -> Route:
        rel = (self._prefix(lang) if lang else "") + path
        return Route(self.base_path + rel, rel)

    def paged(self, path: str, lang: str, page: int) -> Route:
        return self.folder(path if page <= 1 else f"{path}page/{page}/", lang)

    # -- the contract's URL table -------------------------------------------
    def home(self, lang: str) -> Route:
        return self.folder("", lang)

    def artisans_index(self, lang: str, page: int = 1) -> Route:
        return self.paged("artisans/", lang, page)

    def country(self, country: str, lang: str, page: int = 1) -> Route:
        return self.paged(f"artisans/{country}/", lang, page)

    def district(self, country: str, district: str, lang: str, page: int = 1) -> Route:
        return self.paged(f"artisans/{country}/{district}/", lang, page)

    def artisan(self, country: str, district: str, artisan: str, lang: str) -> Route:
        return self.folder(f"artisans/{country}/{district}/{artisan}/", lang)

    def product(self, country: str, district: str, artisan: str, product: str, lang: str) -> Route:
        return self.folder(f"artisans/{country}/{district}/{artisan}/{product}/", lang)

    def products_index(self, lang: str, page: int = 1) -> Route:
        """Every product, paged (``products`` is a reserved slug, so nothing else can sit there)."""
        return self.paged("products/", lang, page)

    def crafts_index(self, lang: str) -> Route:
        return self.folder("crafts/", lang)

    def craft(self, key: str, lang: str, page: int = 1) -> Route:
        return self.paged(f"crafts/{key}/", lang, page)

    def marketplaces_index(self, lang: str) -> Route:
        return self.folder("marketplaces/", lang)

    def marketplace(self, key: str, lang: str, page: int = 1) -> Route:
        return self.paged(f"marketplaces/{key}/", lang, page)

    def training_index(self, lang: str) -> Route:
        return self.folder("training/", lang)

    def training_calendar(self, lang: str) -> Route:
        return self.file("training/calendar.ics", lang)

    def feed(self, name: str, ext: str, lang: str) -> Route:
        """A feed (karigar.render.feeds): ``name`` is ``products``, ``crafts/<key>/artisans``...; ``ext`` its format."""
        return self.file(f"feeds/{name}.{ext}", lang)

    FEED_EXTENSIONS = ("atom", "json")  # Atom and JSON Feed, each feed in both

    def feed_names(self, crafts: Sequence[str]) -> list[str]:
        """Every feed of a site with these crafts (the same in every language)."""
        return ["products", "artisans", "training",
                *(f"crafts/{key}/{kind}" for key in crafts for kind in ("products", "artisans"))]

    def search_page(self, lang: str) -> Route:
        """The search page of a language (``search`` is a reserved slug)."""
        return self.folder("search/", lang)

    def search_bundle(self, name: str) -> Route:
        """A Pagefind bundle's folder (karigar.render.search): one for every language, beside the pages."""
        return self.file(f"{SEARCH_BUNDLES}{name}/")

    # -- the content API (karigar.render.api): one tree for every language ---------------------
    def api_document(self, entity: str) -> Route:
        """The document of an entity (``entity``: its id, the path of its page, ``artisans/pk/thatta/x/``),
        or of ``""``, the entry point: its folder mirrors the page's, so the folder cap holds for both."""
        return self.file(f"{API_ROOT}{entity}index.json")

    def api_list(self, name: str, page: int = 1) -> Route:
        """Page ``page`` of a paged list (``artisans``, ``crafts/<key>/products``...)."""
        return self.api_document(f"lists/{name}/" + (f"page/{page}/" if page > 1 else ""))

    def api_ids(self, collection: str, page: int = 1) -> Route:
        """Page ``page`` of a collection's id list (``artisans``, ``products``, ``training``)."""
        return self.api_document(f"ids/{collection}/" + (f"page/{page}/" if page > 1 else ""))

    def api_schema(self, name: str) -> Route:
        return self.file(f"{API_ROOT}schema/{name}.json")

    def api_openapi(self) -> Route:
        return self.file(f"{API_ROOT}openapi.json")

    def content_page(self, src_path: str, lang: str) -> Route:
        """Where MkDocs (``use_directory_urls``) puts ``content/<src_path>``."""
        stem = src_path[:-3] if src_path.endswith(".md") else src_path
        if stem == "index":
            return self.folder("", lang)
        if stem.endswith("/index"):
            return self.folder(stem[: -len("index")], lang)
        return self.folder(stem + "/", lang)

    def training_page(self, slug: str, lang: str) -> Route:
        return self.content_page(f"training/{slug}.md", lang)

    def photo(self, source_path: str) -> Route:
        """A photo keeps its place: ``artisans/<...>/photos/x.jpg`` is served at the same path."""
        return self.file(source_path)

    def not_found(self) -> Route:
        return self.file("404.html")

    def asset(self, path: str) -> Route:
        return self.file(posixpath.join("assets", path))


class RouteTable:
    """Claims output paths (first owner wins) and enforces the per-folder cap."""

    def __init__(self, *, folder_cap: int, sink: DiagnosticSink) -> None:
        self.folder_cap = folder_cap
        self.sink = sink
        self.owners: dict[str, Location] = {}
        self.first_in_folder: dict[str, Location] = {}
        self._children: dict[str, set[str]] = defaultdict(set)

    def claim(self, route: Route, owner: Location) -> bool:
        output = route.output
        first = self.owners.get(output)
        if first is not None:
            if first != owner:
                self.sink.error(
                    "route-collision",
                    f"`{route.url}` is already made by {first}",
                    owner,
                    hint="rename one of them; every URL has one owner",
                )
            return False
        self.owners[output] = owner
        # Record each path segment in its parent folder, so folder sizes are known
        # before anything is written.
        parent, _, name = output.rpartition("/")
        while True:
            self._children[parent].add(name)
            self.first_in_folder.setdefault(parent, owner)
            if not parent:
                break
            parent, _, name = parent.rpartition("/")
        return True

    def check_folder_caps(self) -> None:
        """Report every folder over the cap, located at the first entry that put something there."""
        for folder, names in self._children.items():
            if len(names) > self.folder_cap:
                where = self.first_in_folder.get(folder, Location(folder or "."))
                self.sink.error(
                    "folder-cap",
                    f"output folder `{folder or '/'}` would hold {len(names)} entries; "
                    f"the host refuses more than {self.folder_cap} in one folder",
                    where,
                    hint="split this district's artisans into finer districts, or raise folder_cap if your host allows it",
                )
