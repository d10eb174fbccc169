"""The content API's documents of the catalog's entities, made from the pages' own pieces.

One document per entity holds every language the site publishes: each text is
a :class:`~karigar.render.api_types.Text` built from the same validated
values, the same bodies (:meth:`ViewBuilder.body`) and the same photo views
(:meth:`ViewBuilder.image`) as the entity's page in each language, so a page
and its document never disagree.  Nothing private can reach a document: the
catalog holds no draft and no entry without consent, and no type of
:mod:`karigar.render.api_types` has a field for consent or contact data.

Where a document names an entity it links to (a craft, the artisan, a
marketplace), it gives that entity's id and URL (a :class:`Ref`); its other
facts are in its own document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from karigar.catalog.graph import Catalog, DistrictGroup
from karigar.catalog.routes import Route
from karigar.model.summaries import summary
from karigar.model.types import Artisan, Image, Listing, LocalizedText, Product, TrainingResource
from karigar.render import api_types as t
from karigar.render.build_views import ViewBuilder
from karigar.render.vocabulary import topic_label

__all__ = ["ApiDocuments"]


def _place(folder: str) -> tuple[str, str, str]:
    """(country, district, artisan) of an artisan's folder (``.../pk/thatta/shazia-bibi``)."""
    country, district, slug = folder.split("/")[-3:]
    return country, district, slug


def _variants(srcset: str, media_type: str, absolute: Callable[[str], str]) -> list[t.Variant]:
    variants = []
    for candidate in srcset.split(", ") if srcset else ():
        url, _, width = candidate.strip().rpartition(" ")
        if url and width.endswith("w") and width[:-1].isdigit():
            variants.append(t.Variant(absolute(url), int(width[:-1]), media_type))  # type: ignore[arg-type]
    return variants


class ApiDocuments:
    """Makes documents from each language's view builder (``builders``: the default language first)."""

    def __init__(self, catalog: Catalog, builders: Mapping[str, ViewBuilder]) -> None:
        self.catalog = catalog
        self.builders = builders
        self.languages = tuple(builders)
        self.default = next(iter(builders.values()))
        self.routes = catalog.routes
        self.base = catalog.routes.base_path

    # -- ids: the path of the entity's page in the default language (the routes decide it) ---------
    def _id(self, route: Route) -> str:
        return route.url[len(self.base):]

    def artisan_id(self, source: str) -> str:
        """An artisan's id from its source path alone (an id list of a quick build reads no entry)."""
        return self._id(self.routes.artisan(*_place(source.rsplit("/", 1)[0]), self.routes.default_language))

    def product_id(self, source: str) -> str:
        """A product's id from its source path (``<artisan folder>/products/<slug>.md``)."""
        folder, _, name = source.rpartition("/products/")
        return self._id(self.routes.product(*_place(folder), name.removesuffix(".md"), self.routes.default_language))

    def training_id(self, resource: TrainingResource) -> str:
        return self._id(self.routes.training_page(resource.slug, self.routes.default_language))

    def entity_id(self, item: object) -> str:
        """The id of a list's item: an artisan, a product with its artisan, a training resource."""
        if isinstance(item, tuple):
            return self.product_id(item[1].source)
        if isinstance(item, Artisan):
            return self.artisan_id(item.source)
        assert isinstance(item, TrainingResource)
        return self.training_id(item)

    def craft_id(self, key: str) -> str:
        return self._id(self.routes.craft(key, self.routes.default_language))

    def marketplace_id(self, key: str) -> str:
        return self._id(self.routes.marketplace(key, self.routes.default_language))

    def country_id(self, code: str) -> str:
        return self._id(self.routes.country(code, self.routes.default_language))

    def district_id(self, country: str, district: str) -> str:
        return self._id(self.routes.district(country, district, self.routes.default_language))

    @staticmethod
    def program_id(key: str) -> str:
        return f"programs/{key}/"  # a programme has no page: the API's own path

    # -- pieces ---------------------------------------------------------------------------------
    def text(self, value: LocalizedText) -> t.Text:
        """A localized text in each language that has its own (ViewBuilder.text_and_lang: what its pages show)."""
        return self._each(lambda b: b.text_and_lang(value))

    def _each(self, make: Callable[[ViewBuilder], tuple[str, str]]) -> t.Text:
        """A text made per language by ``make``: (text, "") in the builder's language, or (the default
        language's text, its code) where that language has none, which the document leaves out."""
        values = {}
        for lang, b in self.builders.items():
            text, shown_lang = make(b)
            if not shown_lang or shown_lang == lang:
                values[lang] = text
        return t.Text(values, self.languages[0])

    def url(self, route: Route) -> str:
        return self.default.absolute(route.url)

    def doc_url(self, entity: str) -> str:
        """The URL of an entity's document (``entity``: its id)."""
        return self.url(self.routes.api_document(entity))

    def ref(self, entity: str, name: t.Text | None = None) -> t.Ref:
        return t.Ref(entity, self.doc_url(entity), name)

    def pages(self, route_of: Callable[[str], Route], languages: Iterable[str] | None = None) -> dict[str, str]:
        shown = self.languages if languages is None else tuple(languages)
        return {lang: self.url(route_of(lang)) for lang in self.languages if lang in shown}

    def photo(self, image: Image) -> t.Photo:
        views = {lang: b.image(image) for lang, b in self.builders.items()}
        view = views[self.languages[0]]
        assert view is not None
        alt = self._each(lambda b: (views[b.lang].alt, views[b.lang].alt_lang))  # type: ignore[union-attr]
        absolute = self.default.absolute_media
        variants = (_variants(view.srcset_webp, "image/webp", absolute)
                    + _variants(view.srcset_jpeg, "image/jpeg", absolute))
        variants.sort(key=lambda variant: (variant.width, variant.media_type))
        return t.Photo(absolute(view.url), view.width, view.height, alt, tuple(variants))

    def small_image(self, image: Image | None) -> str | None:
        """A list item's picture: the narrowest JPEG the site made of the photo, or the photo itself."""
        if image is None:
            return None
        view = self.default.image(image)
        assert view is not None
        jpegs = _variants(view.srcset_jpeg, "image/jpeg", self.default.absolute_media)
        return min(jpegs, key=lambda variant: variant.width).url if jpegs else self.default.absolute_media(view.url)

    def craft_refs(self, keys: Sequence[str]) -> tuple[t.Ref, ...]:
        return tuple(self.ref(self.craft_id(key)) for key in keys)

    def buy_link(self, listing: Listing) -> t.BuyLink:
        return t.BuyLink(self.ref(self.marketplace_id(listing.marketplace)), listing.id, listing.url, listing.cart_url)

    @staticmethod
    def money(product: Product) -> t.Money | None:
        return t.Money(product.price.amount, product.price.currency) if product.price is not None else None

    def district_ref(self, country: str, district: str, name: t.Text | None = None) -> t.Ref:
        return self.ref(self.district_id(country, district), name)

    def bodies(self, whole: Artisan | Product) -> tuple[t.Text, t.Text]:
        """An artisan's story or a product's description as its pages show it: (HTML, plain-text summary)."""
        shown = {lang: b.body(whole) for lang, b in self.builders.items()}
        return (self._each(lambda b: (shown[b.lang][0], shown[b.lang][2])),
                self._each(lambda b: (summary(shown[b.lang][1]), shown[b.lang][2])))

    # -- entities -------------------------------------------------------------------------------
    def artisan(self, artisan: Artisan, products: Sequence[Product]) -> t.Artisan:
        r, cat = self.routes, self.catalog
        whole = cat.whole_artisan(artisan)
        ident = self.artisan_id(artisan.source)
        story_html, story_summary = self.bodies(whole)
        return t.Artisan(
            id=ident, type="artisan", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.artisan(artisan.country, artisan.district_slug, artisan.slug, lang),
                             cat.page_languages(artisan)),
            added=artisan.added.isoformat() if artisan.added else None,
            name=self.text(artisan.name), kind=artisan.kind, members=artisan.members, since=artisan.since,
            country=self.ref(self.country_id(artisan.country)), country_code=artisan.country.upper(),
            district=self.district_ref(artisan.country, artisan.district_slug, self.text(artisan.district)),
            province=self.text(artisan.province), crafts=self.craft_refs(artisan.crafts),
            photo=self.photo(artisan.photo) if artisan.photo else None,
            story_html=story_html, summary=story_summary, languages=artisan.languages,
            programs=tuple(self.ref(self.program_id(key)) for key in artisan.programs if key in cat.registries.programs),
            verified=t.Verification(artisan.verified.by, artisan.verified.date.isoformat()) if artisan.verified else None,
            shops=tuple(self.buy_link(link) for link in whole.links),
            products=tuple(self.ref(self.product_id(p.source)) for p in products),
        )

    def product(self, artisan: Artisan, product: Product) -> t.Product:
        r, cat = self.routes, self.catalog
        whole = cat.whole_product(product)
        ident = self.product_id(product.source)
        description_html, description_summary = self.bodies(whole)
        return t.Product(
            id=ident, type="product", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.product(artisan.country, artisan.district_slug, artisan.slug,
                                                    product.slug, lang), cat.page_languages(product)),
            added=product.added.isoformat() if product.added else None,
            title=self.text(product.title),
            artisan=self.ref(self.artisan_id(artisan.source), self.text(artisan.name)),
            country_code=artisan.country.upper(),
            district=self.district_ref(artisan.country, artisan.district_slug),
            price=self.money(product), made_to_order=product.made_to_order,
            materials=tuple(self.text(m) for m in whole.materials),
            dimensions=self.text(whole.dimensions) if whole.dimensions else None,
            crafts=self.craft_refs(cat.product_crafts(artisan, product)),
            photos=tuple(self.photo(p) for p in product.photos),
            description_html=description_html, summary=description_summary,
            listings=tuple(self.buy_link(listing) for listing in whole.listings),
        )

    def training(self, resource: TrainingResource) -> t.Training:
        r = self.routes
        ident = self.training_id(resource)
        return t.Training(
            id=ident, type="training", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.training_page(resource.slug, lang)),
            title=self.text(resource.title), kind=resource.kind, provider=self.text(resource.provider),
            link=resource.url, starts=resource.starts.isoformat() if resource.starts else None,
            ends=resource.ends.isoformat() if resource.ends else None,
            duration_minutes=resource.duration_minutes,
            registration=resource.registration, languages=resource.languages, level=resource.level,
            # As the training pages label them: the interface's vocabulary names common topics in each language.
            topics=tuple(self.topic(topic) for topic in resource.topics),
            marketplaces=tuple(self.ref(self.marketplace_id(key)) for key in resource.marketplaces),
            crafts=self.craft_refs(resource.crafts),
            place=t.Place(self.text(resource.place.city), self.text(resource.place.venue)) if resource.place else None,
            summary=self.text(resource.summary_text),
        )

    def topic(self, topic: LocalizedText) -> t.Text:
        return self._each(lambda b: topic_label(b.ui, topic))

    def craft(self, key: str) -> t.Craft:
        r, cat = self.routes, self.catalog
        craft = cat.registries.crafts[key]
        ident = self.craft_id(key)
        return t.Craft(
            id=ident, type="craft", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.craft(key, lang)) if key in cat.crafts else {},
            key=key, name=self.text(craft.name), description=self.text(craft.description),
            product_count=len(cat.craft_products.get(key, ())), artisan_count=len(cat.craft_artisans.get(key, ())),
            products=self.url(r.api_list(f"crafts/{key}/products")),
            artisans=self.url(r.api_list(f"crafts/{key}/artisans")),
        )

    def marketplace(self, key: str) -> t.Marketplace:
        r, cat = self.routes, self.catalog
        market = cat.registries.marketplaces[key]
        ident = self.marketplace_id(key)
        products = cat.marketplace_products.get(key, ())
        return t.Marketplace(
            id=ident, type="marketplace", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.marketplace(key, lang)) if products else {},
            key=key, name=self.text(market.name), hosts=market.hosts,
            disclosure=self.text(market.disclosure) if market.disclosure else None,
            product_count=len(products), products=self.url(r.api_list(f"marketplaces/{key}/products")),
        )

    def program(self, key: str) -> t.Program:
        program = self.catalog.registries.programs[key]
        ident = self.program_id(key)
        return t.Program(id=ident, type="program", url=self.doc_url(ident), key=key, name=self.text(program.name),
                         description=self.text(program.description), link=program.url)

    def country_name(self, code: str) -> t.Text:
        return t.Text({lang: b.ui.country_name(code) for lang, b in self.builders.items()}, self.languages[0])

    def country(self, code: str, groups: Sequence[DistrictGroup]) -> t.Country:
        r = self.routes
        ident = self.country_id(code)
        return t.Country(
            id=ident, type="country", url=self.doc_url(ident), pages=self.pages(lambda lang: r.country(code, lang)),
            code=code.upper(), name=self.country_name(code),
            artisan_count=sum(len(g.artisans) for g in groups), product_count=sum(len(g.products) for g in groups),
            districts=tuple(self.district_ref(code, g.slug, self.text(g.name)) for g in groups),
        )

    def district(self, group: DistrictGroup) -> t.District:
        r = self.routes
        ident = self.district_id(group.country, group.slug)
        return t.District(
            id=ident, type="district", url=self.doc_url(ident),
            pages=self.pages(lambda lang: r.district(group.country, group.slug, lang)),
            country=self.ref(self.country_id(group.country), self.country_name(group.country)),
            country_code=group.country.upper(), name=self.text(group.name), province=self.text(group.province),
            artisan_count=len(group.artisans), product_count=len(group.products),
            artisans=self.url(r.api_list(f"districts/{group.country}/{group.slug}/artisans")),
            products=self.url(r.api_list(f"districts/{group.country}/{group.slug}/products")),
        )

    # -- list items -----------------------------------------------------------------------------
    def summary_of(self, item: object) -> t.Summary:
        """The list item of an artisan, a product (with its artisan) or a training resource."""
        ident = self.entity_id(item)
        url = self.doc_url(ident)
        if isinstance(item, tuple):
            product = item[1]
            return t.Summary(ident, "product", url, self.text(product.title),
                             product.added.isoformat() if product.added else None, None, self.money(product),
                             self.small_image(product.photos[0] if product.photos else None))
        if isinstance(item, Artisan):
            return t.Summary(ident, "artisan", url, self.text(item.name),
                             item.added.isoformat() if item.added else None, None, None, self.small_image(item.photo))
        assert isinstance(item, TrainingResource)
        return t.Summary(ident, "training", url, self.text(item.title), None,
                         item.starts.isoformat() if item.starts else None, None, None)

    def registry_summary(self, kind: t.DocumentType, ident: str, name: t.Text) -> t.Summary:
        return t.Summary(ident, kind, self.doc_url(ident), name, None, None, None, None)

