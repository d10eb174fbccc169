"""The content API, ``/api/v1/``: the catalog as JSON documents, made by the build as jobs like its pages.

Layout (under the site's base path; see :class:`~karigar.catalog.routes.Routes`)::

    api/v1/index.json                                   the entry point: collections, languages, schemas
    api/v1/artisans/<c>/<d>/<artisan>/index.json         an artisan (its id: artisans/<c>/<d>/<artisan>/)
    api/v1/artisans/<c>/<d>/<artisan>/<product>/index.json
    api/v1/artisans/<c>/index.json, .../<c>/<d>/index.json   a country, a district
    api/v1/training/<slug>/index.json, crafts/<key>/..., marketplaces/<key>/..., programs/<key>/...
    api/v1/lists/<list>/index.json, .../page/<n>/index.json  paged lists (artisans, products, per craft...)
    api/v1/ids/<collection>/index.json, .../page/<n>/...     paged id lists, for syncing
    api/v1/schema/<type>.json, api/v1/openapi.json           JSON Schemas and the OpenAPI description

An entity's document sits where its page sits (one document for every
language), so the API's folders hold what the pages' folders hold and the
folder cap holds by construction.

Documents are jobs with signatures, as pages are, and take part in quick
builds the same way: a list page is cut like the listing page of the same
list (:mod:`karigar.catalog.paging`), so an edit plans the documents of the
edited entries and the list pages that show them, and nothing else (see
:mod:`karigar.catalog.page_choice`).  A list page carries its list's totals
on page 1 only, for the reason a listing page does.

An entity document's signature is its **revision**, the id lists publish it:
a hash of what the document is made from (the entries' content hashes, the
registries, the settings, the engine's code), computed from source paths
and content hashes, never from the document's bytes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from karigar.catalog.graph import Catalog
from karigar.catalog.page_choice import GrownLists, ShowsEntries
from karigar.catalog.paging import listing_keys, pagination_extent, paging_of
from karigar.model.types import Artisan, TrainingResource
from karigar.render import api_types as t
from karigar.catalog.routes import Route
from karigar.render.api_documents import ApiDocuments
from karigar.render.api_schema import json_schema, openapi
from karigar.render.build_views import ViewBuilder
from karigar.render.jobs import Job, Signer

__all__ = ["ApiJobs", "ID_PAGE_SIZE", "encode"]

# Ids on an id page, on average: a partner syncs 350,000 entities in about 350 requests.
ID_PAGE_SIZE = 1000
DOCS_PAGE = "partners/api.md"  # content/partners/api.md: the partners' guide


def encode(document: object) -> bytes:
    """A document's bytes: compact UTF-8 JSON, fields in their type's order, one line."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=t.json_value) + "\n").encode(
        "utf-8")


@dataclass(frozen=True, slots=True)
class _List:
    """A paged list: its name (``crafts/<key>/products``) and its items (a catalog list, entries or items)."""

    name: str
    items: Sequence[object]


class ApiJobs:
    """The API's jobs; ``builders``: every language's view builder, the default first."""

    def __init__(self, catalog: Catalog, builders: Mapping[str, ViewBuilder], signer: Signer, *,
                 per_page: int, licence: str) -> None:
        self.catalog = catalog
        self.docs = ApiDocuments(catalog, builders)
        self.routes = catalog.routes
        self.signer = signer
        self.per_page = per_page
        self.licence = licence
        self.site_name = next(iter(builders.values())).site_name
        self._trainings: dict[str, tuple[bytes, bytes]] = {}

    # -- revisions ---------------------------------------------------------------------------
    # Revisions hash under the signer's content fingerprint: they leave out what only pages show (templates,
    # the look, interface translations).
    def artisan_revision(self, source: str) -> bytes:
        """From the artisan's entry and its products' paths (its document links them by id only, so that an
        edit of a product changes the product's document alone), never loading the entries."""
        slug = source.rsplit("/", 2)[-2]
        products = self.catalog.products_of.get(slug, ())
        return self.signer.content_of("artisan", self.signer.entry(source), list(listing_keys(products)))

    def product_revision(self, source: str) -> bytes:
        sign = self.signer
        artisan = source.rpartition("/products/")[0] + "/index.md"
        return sign.content_of("product", sign.entry(artisan), sign.entry(source))

    def training_document(self, resource: TrainingResource) -> tuple[bytes, bytes]:
        """(bytes, revision) of a training resource's document, made while planning (a few hundred resources)
        and revised by its bytes (its topics' labels come from the interface's translations, which no
        content hash covers); the id list asks again, the document is made once."""
        found = self._trainings.get(resource.source)
        if found is None:
            data = encode(self.docs.training(resource))
            found = self._trainings[resource.source] = (data, self.signer.content_of("training", data))
        return found

    # -- jobs --------------------------------------------------------------------------------
    def jobs(self, choice: ShowsEntries | GrownLists | None = None, *, artisans: Iterable[Artisan] | None = None,
             dropped: list[str] | None = None) -> Iterator[Job]:
        """Every job of the API (``choice`` None), or a quick build's: the documents of ``artisans`` and their
        products, and the list and id pages ``choice`` wants (with what counts the catalog when it says so)."""
        yield from self.entity_jobs(self.catalog.artisans if artisans is None else artisans)
        every = choice is None
        if every or choice.indexes:  # type: ignore[union-attr]
            yield self.entry_point()
            yield from self.registry_jobs()
        if every:
            yield from self.training_jobs()
            yield from self.schema_jobs()
        lists = self.lists(every)
        for listed in lists:
            yield from self.list_jobs(listed, choice, dropped)
        id_choice = GrownLists(ID_PAGE_SIZE) if isinstance(choice, GrownLists) else choice
        for name, items, revision in self.collections(every):
            yield from self.id_jobs(name, items, revision, id_choice, dropped)

    def entity_jobs(self, artisans: Iterable[Artisan]) -> Iterator[Job]:
        r = self.routes
        for artisan in artisans:
            products = self.catalog.products_of.get(artisan.slug, ())
            ident = self.docs.artisan_id(artisan.source)
            yield Job(r.api_document(ident).output, self.artisan_revision(artisan.source).hex(), self._artisan,
                      (artisan, products))
            for product in products:
                yield Job(r.api_document(self.docs.product_id(product.source)).output,
                          self.product_revision(product.source).hex(), self._product, (artisan, product))

    def _artisan(self, artisan: Artisan, products: Sequence[object]) -> bytes:
        return encode(self.docs.artisan(artisan, products))  # type: ignore[arg-type]

    def _product(self, artisan: Artisan, product: object) -> bytes:
        return encode(self.docs.product(artisan, product))  # type: ignore[arg-type]

    def _document(self, output: str, document: object) -> Job:
        """A job for a document cheap to make now (a district, a craft): signed by its bytes."""
        data = encode(document)
        return Job(output, self.signer.of("api", data), bytes, (data,))

    def training_jobs(self) -> Iterator[Job]:
        for resource in self.catalog.trainings:
            data, revision = self.training_document(resource)
            yield Job(self.routes.api_document(self.docs.training_id(resource)).output, revision.hex(), bytes, (data,))

    def registry_jobs(self) -> Iterator[Job]:
        """The documents of crafts, marketplaces, programmes, countries and districts, and their lists."""
        docs, r, cat, reg = self.docs, self.routes, self.catalog, self.catalog.registries
        names: dict[str, list[t.Summary]] = {"crafts": [], "marketplaces": [], "programs": [], "countries": []}
        for key in reg.crafts:
            craft = docs.craft(key)
            names["crafts"].append(docs.registry_summary("craft", craft.id, craft.name))
            yield self._document(r.api_document(craft.id).output, craft)
        for key in reg.marketplaces:
            market = docs.marketplace(key)
            names["marketplaces"].append(docs.registry_summary("marketplace", market.id, market.name))
            yield self._document(r.api_document(market.id).output, market)
        for key in reg.programs:
            program = docs.program(key)
            names["programs"].append(docs.registry_summary("program", program.id, program.name))
            yield self._document(r.api_document(program.id).output, program)
        for code, groups in cat.countries.items():
            country = docs.country(code, groups)
            names["countries"].append(docs.registry_summary("country", country.id, country.name))
            yield self._document(r.api_document(country.id).output, country)
            for group in groups:
                district = docs.district(group)
                yield self._document(r.api_document(district.id).output, district)
        for name, items in names.items():
            url = docs.url(r.api_list(name))
            yield self._document(r.api_list(name).output, t.ListPage(url, name, 1, 1, len(items), url, None, None,
                                                                     tuple(items)))

    # -- paged lists -------------------------------------------------------------------------
    def upcoming_events(self) -> list[object]:
        now = self.catalog.now
        return [resource for resource in self.catalog.trainings
                if resource.is_event and resource.ends is not None and resource.ends > now]

    def lists(self, every: bool) -> list[_List]:
        """The paged lists of entries (those of training resources in full builds only: they are content/)."""
        cat = self.catalog
        lists = [_List("artisans", cat.artisans), _List("products", cat.products)]
        for key in cat.registries.crafts:
            lists.append(_List(f"crafts/{key}/products", cat.craft_products.get(key, ())))
            lists.append(_List(f"crafts/{key}/artisans", cat.craft_artisans.get(key, ())))
        for key in cat.registries.marketplaces:
            lists.append(_List(f"marketplaces/{key}/products", cat.marketplace_products.get(key, ())))
        for code, groups in cat.countries.items():
            for group in groups:
                lists.append(_List(f"districts/{code}/{group.slug}/artisans", group.artisans))
                lists.append(_List(f"districts/{code}/{group.slug}/products", group.products))
        if every:
            lists += [_List("training", cat.trainings), _List("events", self.upcoming_events())]
        return lists

    def list_names(self) -> list[str]:
        return [listed.name for listed in self.lists(True)]

    def _pages(self, items: Sequence[object], per_page: int, choice: ShowsEntries | GrownLists | None,
               dropped: list[str] | None, route_of: Callable[[int], Route]) -> Iterator[tuple[int, int, int, int]]:
        """(page number, page count, first item, end) of each page ``choice`` wants of a list."""
        if choice is not None and not choice.touches([items]):
            return
        paging = paging_of(self.catalog, per_page, items)
        if choice is not None and dropped is not None:
            dropped.extend(route_of(n).output for n in choice.dropped([items], paging))
        for number in range(1, paging.pages + 1):
            if choice is None or choice.wants([items], paging, number):
                yield (number, paging.pages, *paging.bounds(0, number))

    def _links(self, route_of: Callable[[int], Route], number: int, pages: int) -> tuple[str, str | None, str | None]:
        """(first, prev, next) of a page: next as far as its pager's extent reaches, as a listing page's."""
        url = self.docs.url
        shown = pagination_extent(number, pages)
        return (url(route_of(1)), url(route_of(number - 1)) if number > 1 else None,
                url(route_of(number + 1)) if number < shown else None)

    def list_jobs(self, listed: _List, choice: ShowsEntries | GrownLists | None,
                  dropped: list[str] | None) -> Iterator[Job]:
        sign = self.signer
        route_of = functools.partial(self.routes.api_list, listed.name)
        for number, pages, start, stop in self._pages(listed.items, self.per_page, choice, dropped, route_of):
            totals = (pages, len(listed.items)) if number == 1 else (None, None)
            links = self._links(route_of, number, pages)
            signature = sign.of("api-list", listed.name, number, pagination_extent(number, pages), totals,
                                [self._item_signature(item) for item in listed.items[start:stop]])
            yield Job(route_of(number).output, signature, self._list_page,
                      (listed, number, totals, links, start, stop))

    def _item_signature(self, item: object) -> object:
        """What a list item is made from: its entries' hashes, or a training resource itself (it has no
        entry hash: content/ pages are read in full builds only)."""
        return repr(item) if isinstance(item, TrainingResource) else self.signer.item(item)

    def _list_page(self, listed: _List, number: int, totals: tuple[int | None, int | None],
                   links: tuple[str, str | None, str | None], start: int, stop: int) -> bytes:
        items = tuple(self.docs.summary_of(item) for item in listed.items[start:stop])
        url = self.docs.url(self.routes.api_list(listed.name, number))
        first, prev, following = links
        return encode(t.ListPage(url=url, list=listed.name, page=number, pages=totals[0], count=totals[1],
                                 first=first, prev=prev, next=following, items=items))

    # -- id lists ----------------------------------------------------------------------------
    def collections(self, every: bool) -> list[tuple[str, Sequence[object], Callable[[str], bytes]]]:
        """Each collection with an id list: its name, its items, and the revision of an item (by its source)."""
        cat = self.catalog
        found: list[tuple[str, Sequence[object], Callable[[str], bytes]]] = [
            ("artisans", cat.artisans, self.artisan_revision), ("products", cat.products, self.product_revision)]
        if every:
            by_source = {resource.source: resource for resource in cat.trainings}
            found.append(("training", cat.trainings, lambda source: self.training_document(by_source[source])[1]))
        return found

    def id_jobs(self, name: str, items: Sequence[object], revision: Callable[[str], bytes],
                choice: ShowsEntries | GrownLists | None, dropped: list[str] | None) -> Iterator[Job]:
        keys: list[str] | None = None
        route_of = functools.partial(self.routes.api_ids, name)
        for number, pages, start, stop in self._pages(items, ID_PAGE_SIZE, choice, dropped, route_of):
            if keys is None:
                keys = list(listing_keys(items))  # source paths: read without loading the entries
            # A quick build's catalog knows an entry's content hash once it has loaded it (karigar.incremental.
            # quick.QuickEntries): the page's entries are loaded first.  In a full build this reads a list.
            items[start:stop]
            revisions = tuple(revision(key) for key in keys[start:stop])
            totals = (pages, len(items)) if number == 1 else (None, None)
            links = self._links(route_of, number, pages)
            signature = self.signer.of("api-ids", name, number, pagination_extent(number, pages), totals,
                                       b"".join(revisions))
            yield Job(route_of(number).output, signature, self._id_page,
                      (name, items, number, totals, links, start, revisions))

    def _id_page(self, name: str, items: Sequence[object], number: int, totals: tuple[int | None, int | None],
                 links: tuple[str, str | None, str | None], start: int, revisions: tuple[bytes, ...]) -> bytes:
        url = self.docs.doc_url
        idents = [self.docs.entity_id(item) for item in items[start:start + len(revisions)]]
        entries = tuple(t.IdEntry(ident, url(ident), revision.hex()) for ident, revision in zip(idents, revisions))
        first, prev, following = links
        return encode(t.IdPage(url=self.docs.url(self.routes.api_ids(name, number)), collection=name, page=number,
                               pages=totals[0], count=totals[1], first=first, prev=prev, next=following, ids=entries))

    # -- the entry point, schemas, OpenAPI ---------------------------------------------------
    def schema_urls(self) -> dict[str, str]:
        return {name: self.docs.url(self.routes.api_schema(name)) for name in t.DOCUMENTS}

    def entry_point(self) -> Job:
        cat, r, docs = self.catalog, self.routes, self.docs
        schemas = self.schema_urls()
        default = r.default_language
        # (name, has an id list, count, document type)
        offered = (("artisans", True, len(cat.artisans), "artisan"), ("products", True, len(cat.products), "product"),
                   ("training", True, len(cat.trainings), "training"),
                   ("crafts", False, len(cat.registries.crafts), "craft"),
                   ("marketplaces", False, len(cat.registries.marketplaces), "marketplace"),
                   ("programs", False, len(cat.registries.programs), "program"),
                   ("countries", False, len(cat.countries), "country"))
        collections = tuple(t.Collection(name, docs.url(r.api_list(name)), docs.url(r.api_ids(name)) if ids else None,
                                         count, schemas[kind]) for name, ids, count, kind in offered)
        document = t.EntryPoint(
            api_version=t.API_VERSION, schema_version=t.SCHEMA_VERSION, site=self.site_name,
            home=docs.url(r.home(default)), languages=r.languages, default_language=default,
            collections=collections, lists=tuple(docs.url(r.api_list(name)) for name in self.list_names()),
            schemas=schemas, openapi=docs.url(r.api_openapi()),
            documentation=docs.url(r.content_page(DOCS_PAGE, default)), licence=self.licence,
        )
        return self._document(r.api_document("").output, document)

    def schema_jobs(self) -> Iterator[Job]:
        r, docs = self.routes, self.docs
        for name, kind in t.DOCUMENTS.items():
            schema = json_schema(kind, schema_id=docs.url(r.api_schema(name)))
            data = (json.dumps(schema, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
            yield Job(r.api_schema(name).output, self.signer.of("api-schema", data), bytes, (data,))
        description = openapi(server=docs.url(r.api_document("")).removesuffix("index.json"), site=self.site_name,
                              documentation=docs.url(r.content_page(DOCS_PAGE, r.default_language)),
                              licence=self.licence)
        data = (json.dumps(description, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        yield Job(r.api_openapi().output, self.signer.of("api-openapi", data), bytes, (data,))
