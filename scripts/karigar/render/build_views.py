"""From the catalog graph to view-models, one function per page kind.

Each function reads only what its page shows, so the set of inputs an output
depends on stays small (an artisan page never reads catalog-wide counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from karigar.catalog.graph import Catalog, DistrictGroup
from karigar.catalog.paging import pagination_extent
from karigar.catalog.routes import Route
from karigar.model.summaries import DESCRIPTION_LIMIT, summary
from karigar.model.types import Artisan, Image, Listing, LocalizedText, Product, TrainingResource, Translation
from karigar.render import views as v
from karigar.render.locale import UiLocale, ui_locale
from karigar.render.vocabulary import kind_label, topic_label

if TYPE_CHECKING:  # only a type here; the photo package is not needed to build views
    from karigar.photos.publish import PublishedImage

__all__ = ["ViewBuilder", "summary", "DESCRIPTION_LIMIT", "pagination_extent"]

TAB_SHOWCASE, TAB_CRAFTS, TAB_REGIONS, TAB_TRAINING, TAB_ABOUT = (
    "showcase", "crafts", "regions", "training", "about",
)

class ViewBuilder:
    """Builds view-models for one language; holds no state besides its inputs (and interface words
    translated once, other languages' formatting looked up once)."""

    def __init__(self, catalog: Catalog, ui: UiLocale, *, site_name: str, site_url: str,
                 images: Mapping[str, PublishedImage] | None = None,
                 edit_links: Callable[[str], tuple[str | None, str | None]] | None = None) -> None:
        self.catalog = catalog
        # An entry's source path -> (its place in the web editor, its file on the Git host); None: no links.
        self.edit_links = edit_links
        # Photo file -> its published variants.  The mapping itself is kept (not a copy, even when empty):
        # a quick build adds the photos of each entry it loads from the index as pages read it.
        self.images: Mapping[str, PublishedImage] = images if images is not None else {}
        self.routes = catalog.routes
        self.reg = catalog.registries
        self.ui = ui
        self.lang = ui.lang
        self.site_name = site_name
        self.site_url = site_url.rstrip("/")
        self._ = ui.gettext
        # Interface words a page shows per item, translated once for the builder's language.
        self._kind_labels = {"person": self._("Artisan"), "family": self._("Family workshop"),
                             "cooperative": self._("Cooperative")}
        self._locales: dict[str, UiLocale] = {}

    def _locale(self, lang: str) -> UiLocale:
        """Another language's formatting (a fallback's list glue), found once: ui_locale reads its catalog file."""
        found = self._locales.get(lang)
        if found is None:
            found = self._locales[lang] = ui_locale(lang)
        return found

    # -- small pieces ------------------------------------------------------
    def text(self, value: LocalizedText) -> str:
        return value.get(self.lang)

    def text_and_lang(self, value: LocalizedText) -> tuple[str, str]:
        """(text, "") in the page's language, or (default-language text, its code) as a marked fallback."""
        if value.has(self.lang):
            return value.get(self.lang), ""
        return value.default, value.default_lang

    def body(self, entry: Artisan | Product) -> tuple[str, str, str]:
        """(HTML, plain text, fallback language or "") of an artisan's story or a product's description."""
        html, text = (entry.story_html, entry.story_lead) if isinstance(entry, Artisan) \
            else (entry.description_html, entry.description_lead)
        if not html or self.lang == self.routes.default_language:
            return html, text, ""
        for tr in entry.translations:
            if tr.lang == self.lang and tr.body_html:
                return tr.body_html, tr.body_lead, ""
        return html, text, self.routes.default_language

    def fallback_notice(self, *langs: str) -> str:
        """The "not yet translated" notice when any part of an entry's page is shown in the default language."""
        if not any(langs):
            return ""
        default = self.routes.default_language
        return self._("This page is not yet translated into %(language)s. It is shown in %(original)s.") % {
            "language": self.ui.language_name(self.lang), "original": self.ui.language_name(default)}

    def edit(self, source: str, translations: Sequence[Translation] = ()) -> v.EditLinks | None:
        """The page's "Edit this page" links: the entry in the editor (which shows every language side by
        side), and the file a reader of this language would change (its translation file, once written)."""
        if self.edit_links is None:
            return None
        shown = next((tr.source for tr in translations if tr.lang == self.lang), source)
        editor, file = self.edit_links(shown)
        return v.EditLinks(editor, file) if editor or file else None

    def absolute(self, url: str) -> str:
        """A site-absolute URL with the site's origin (canonical and hreflang links)."""
        path = url[len(self.routes.base_path) - 1:] if url.startswith(self.routes.base_path) else url
        return self.site_url + path

    def absolute_media(self, url: str) -> str:
        """A photo's URL with an origin: a media host's URL as it is, the site's own with the site's origin."""
        return url if url.startswith("https://") else self.absolute(url)

    def share_image(self, image: v.ImageView | None) -> v.ShareImage | None:
        if image is None:
            return None
        if image.share_url:  # a JPEG of 1,200 px across, made for shared links
            return v.ShareImage(self.absolute_media(image.share_url), image.alt, image.share_width, image.share_height)
        return v.ShareImage(self.absolute_media(image.url), image.alt, image.width, image.height)

    def meta(self, title: str, url: str, tab: str, *, description: str = "",
             breadcrumbs: tuple[v.Link, ...] = (), route_of: Callable[[str], Route] | None = None,
             languages: Collection[str] | None = None, image: v.ImageView | None = None,
             share_kind: str = "website", share_facts: Sequence[str] = (),
             share_tags: tuple[tuple[str, str], ...] = (), feeds: tuple[v.FeedLink, ...] = ()) -> v.PageMeta:
        """The page's head facts; see :meth:`alternates` for ``route_of`` and ``languages``.

        ``share_facts`` lead what a shared link says under its title (a product's price and maker:
        what a buyer sees first in a chat), before the description.
        """
        description = summary(description)
        shared = " · ".join(part for part in (*share_facts, description) if part) if any(share_facts) else ""
        return v.PageMeta(
            title=title, description=description, url=url, canonical=self.absolute(url),
            lang=self.lang, dir=self.ui.direction, tab=tab, breadcrumbs=breadcrumbs,
            alternates=self.alternates(url, route_of=route_of, languages=languages),
            image=self.share_image(image), share_kind=share_kind, share_text=summary(shared),
            share_tags=share_tags, feeds=feeds,
        )

    def alternates(self, url: str, *, route_of: Callable[[str], Route] | None = None,
                   languages: Collection[str] | None = None) -> tuple[v.Alternate, ...]:
        """The page at ``url`` in every site language (none on a single-language site).

        ``route_of(lang)`` gives the page's route in a language; without it the
        page is taken to sit at the same place under each language's home, as
        the contract puts every ``/<lang>/`` page.  ``languages`` are those the
        page exists in (default: all); a missing language gets the
        default-language page, marked unavailable.
        """
        routes = self.routes
        if len(routes.languages) < 2:
            return ()
        default = routes.default_language
        exists = set(routes.languages) if languages is None else {default, *languages}
        if route_of is None:
            own_home = routes.home(self.lang).url
            if url.endswith("/") and url.startswith(own_home):
                below = url[len(own_home):]
                route_of = lambda lang: Route(routes.home(lang).url + below, "")  # noqa: E731
            else:
                # A file (the 404 page) has no twin per language: offer each language's home.
                route_of = routes.home
        fallback = route_of(default).url
        out = []
        for lang in routes.languages:
            target = route_of(lang).url if lang in exists else fallback
            out.append(v.Alternate(lang, target, self.absolute(target), lang in exists))
        return tuple(out)

    def image(self, image: Image | None) -> v.ImageView | None:
        if image is None:
            return None
        published = self.images.get(image.file) if image.file else None
        alt, alt_lang = self.text_and_lang(image.alt)
        if published is not None:
            return v.ImageView(url=published.src, alt=alt, width=published.width,
                               height=published.height, srcset_webp=published.srcset_webp,
                               srcset_jpeg=published.srcset_jpeg, alt_lang=alt_lang,
                               share_url=published.share_src, share_width=published.share_width or None,
                               share_height=published.share_height or None)
        # Media-host photos (and builds without a photo plan) are shown as they are.
        url = image.remote_url or self.routes.photo(image.file or "").url
        return v.ImageView(url=url, alt=alt, alt_lang=alt_lang)

    def craft_name(self, key: str) -> str:
        craft = self.reg.crafts.get(key)
        return self.text(craft.name) if craft else key

    def craft_links(self, keys: Sequence[str]) -> tuple[v.Link, ...]:
        links = []
        for key in keys:
            craft = self.reg.crafts.get(key)
            name, lang = self.text_and_lang(craft.name) if craft else (key, "")
            links.append(v.Link(name, self.routes.craft(key, self.lang).url, lang=lang))
        return tuple(links)

    def place(self, artisan: Artisan) -> str:
        # The language's own comma: "ٹھٹہ، سندھ" in Urdu.
        return self.ui.join((self.text(artisan.district), self.text(artisan.province)))

    def marketplace_disclosure(self, key: str) -> tuple[str, str]:
        """(the marketplace's disclosure, its fallback language or ""); ("", "") if it has none."""
        market = self.reg.marketplaces[key]
        return self.text_and_lang(market.disclosure) if market.disclosure else ("", "")

    def buy_button(self, listing: Listing) -> v.BuyButton:
        name = self.text(self.reg.marketplaces[listing.marketplace].name)
        disclosure, disclosure_lang = self.marketplace_disclosure(listing.marketplace)
        return v.BuyButton(
            marketplace=listing.marketplace,
            label=self._("Buy on %(marketplace)s") % {"marketplace": name},
            marketplace_name=name,
            url=listing.url,
            cart_url=listing.cart_url,
            disclosure=disclosure,
            disclosure_lang=disclosure_lang,
        )

    def kind_label(self, kind: str) -> str:
        return self._kind_labels.get(kind, kind)

    def artisan_card(self, artisan: Artisan) -> v.ArtisanCard:
        name, name_lang = self.text_and_lang(artisan.name)
        return v.ArtisanCard(
            name=name,
            name_lang=name_lang,
            url=self.artisan_url(artisan),
            photo=self.image(artisan.photo),
            place=self.place(artisan),
            crafts=tuple(self.craft_name(k) for k in artisan.crafts),
            kind=self.kind_label(artisan.kind),
            kind_key=artisan.kind,
        )

    def product_url(self, artisan: Artisan, product: Product) -> str:
        # An untranslated product's page may not exist in this language (`untranslated: omit`).
        lang = self.lang if self.catalog.has_page(product, self.lang) else self.routes.default_language
        return self.routes.product(artisan.country, artisan.district_slug, artisan.slug, product.slug, lang).url

    def artisan_url(self, artisan: Artisan) -> str:
        lang = self.lang if self.catalog.has_page(artisan, self.lang) else self.routes.default_language
        return self.routes.artisan(artisan.country, artisan.district_slug, artisan.slug, lang).url

    def product_card(self, artisan: Artisan, product: Product) -> v.ProductCard:
        title, title_lang = self.text_and_lang(product.title)
        artisan_name, artisan_lang = self.text_and_lang(artisan.name)
        return v.ProductCard(
            title=title,
            title_lang=title_lang,
            url=self.product_url(artisan, product),
            photo=self.image(product.photos[0] if product.photos else None),
            price=self.ui.price(product.price.amount, product.price.currency) if product.price else "",
            artisan=artisan_name,
            artisan_lang=artisan_lang,
            artisan_url=self.artisan_url(artisan),
            buy=self.buy_button(product.listings[0]) if product.listings else None,
        )

    def craft_card(self, key: str) -> v.CraftCard:
        """A craft for the crafts index, pictured by a photo of its first product (by name) that has one."""
        craft = self.reg.crafts[key]
        name, name_lang = self.text_and_lang(craft.name)
        picture = self.catalog.craft_picture(key)
        return v.CraftCard(
            name=name,
            name_lang=name_lang,
            url=self.routes.craft(key, self.lang).url,
            photo=self.image(picture[1].photos[0]) if picture else None,
            products=len(self.catalog.craft_products.get(key, ())),
            artisans=len(self.catalog.craft_artisans.get(key, ())),
        )

    def crumbs_for_artisan(self, artisan: Artisan) -> tuple[v.Link, ...]:
        r, lang = self.routes, self.lang
        district, district_lang = self.text_and_lang(artisan.district)
        return (
            v.Link(self._("Regions"), r.artisans_index(lang).url),
            v.Link(self.ui.country_name(artisan.country), r.country(artisan.country, lang).url),
            v.Link(district, r.district(artisan.country, artisan.district_slug, lang).url, lang=district_lang),
        )

    def pagination(self, url_of: Callable[[int], str], page: int, pages: int) -> v.Pagination | None:
        """Page links around ``page``; the count and the last page only on page 1 (see :func:`pagination_extent`)."""
        if pages <= 1:
            return None
        shown = pagination_extent(page, pages)
        window = range(max(1, page - 3), min(shown, page + 3) + 1)
        numbered = [v.Link(self.ui.number(n), url_of(n)) for n in window]
        if 1 not in window:
            numbered.insert(0, v.Link(self.ui.number(1), url_of(1)))
        if page == 1 and pages not in window:
            numbered.append(v.Link(self.ui.number(pages), url_of(pages)))
        return v.Pagination(
            page=page, pages=pages if page == 1 else None,
            previous_url=url_of(page - 1) if page > 1 else None,
            next_url=url_of(page + 1) if page < shown else None,
            numbered=tuple(numbered),
        )

    # -- entity pages ------------------------------------------------------
    def artisan_page(self, artisan: Artisan, products: Sequence[Product]) -> v.ArtisanPage:
        _ = self._
        url = self.artisan_url(artisan)
        facts = [v.Fact(_("District"), self.place(artisan),
                        self.routes.district(artisan.country, artisan.district_slug, self.lang).url),
                 v.Fact(_("Country"), self.ui.country_name(artisan.country),
                        self.routes.country(artisan.country, self.lang).url),
                 v.Fact(_("Works as"), self.kind_label(artisan.kind))]
        if artisan.members:
            facts.append(v.Fact(_("Members"), self.ui.number(artisan.members)))
        if artisan.since:
            facts.append(v.Fact(_("Practising since"), str(artisan.since)))
        if artisan.languages:
            facts.append(v.Fact(_("Speaks"), self.ui.join(self.ui.language_name(t) for t in artisan.languages)))
        badges = []
        for key in artisan.programs:
            program = self.reg.programs.get(key)
            if program:
                label, label_lang = self.text_and_lang(program.name)
                detail, detail_lang = self.text_and_lang(program.description)
                badges.append(v.Badge("program", label, program.url, detail, lang=label_lang, detail_lang=detail_lang))
        if artisan.verified:
            badges.append(v.Badge(
                "verified", _("Verified"), None,
                _("Verified by %(who)s on %(date)s") % {"who": self.ui.isolate(artisan.verified.by),
                                                        "date": self.ui.date(artisan.verified.date)},
            ))
        name, name_lang = self.text_and_lang(artisan.name)
        whole = self.catalog.whole_artisan(artisan)  # its story and links (see Catalog.parts)
        story_html, story_text, story_lang = self.body(whole)
        photo = self.image(artisan.photo)
        crafts = self.craft_links(artisan.crafts)
        return v.ArtisanPage(
            meta=self.meta(name, url, TAB_SHOWCASE, description=story_text,
                           breadcrumbs=self.crumbs_for_artisan(artisan),
                           route_of=lambda lang: self.routes.artisan(artisan.country, artisan.district_slug,
                                                                     artisan.slug, lang),
                           languages=self.catalog.page_languages(artisan), image=photo, share_kind="profile",
                           share_facts=(self.place(artisan), self.ui.join(c.label for c in crafts))),
            name=name,
            name_lang=name_lang,
            kind=self.kind_label(artisan.kind),
            kind_key=artisan.kind,
            country_code=artisan.country.upper(),
            region=self.text(artisan.province),
            locality=self.text(artisan.district),
            photo=photo,
            facts=tuple(facts),
            crafts=crafts,
            badges=tuple(badges),
            story_html=story_html,
            story_lang=story_lang,
            notice=self.fallback_notice(name_lang, story_lang),
            shop_links=tuple(self.buy_button(link) for link in whole.links),
            products=tuple(self.product_card(artisan, p) for p in products),
            edit=self.edit(whole.source, whole.translations),
        )

    def product_page(self, artisan: Artisan, product: Product) -> v.ProductPage:
        _ = self._
        facts = []
        # The catalog's entry keeps identity for its look-ups; the page reads the whole product (Catalog.parts).
        whole = self.catalog.whole_product(product)
        if whole.materials:
            materials = [self.text_and_lang(m) for m in whole.materials]
            # One list, one language: marked as the default's when any material falls back to it.
            fallback = next((lang for _text, lang in materials if lang), "")
            shown = [m.default for m in whole.materials] if fallback else [text for text, _lang in materials]
            glue = self._locale(fallback) if fallback else self.ui  # the comma of the language shown
            facts.append(v.Fact(_("Materials"), glue.join(shown), lang=fallback))
        if whole.dimensions:
            dimensions, dimensions_lang = self.text_and_lang(whole.dimensions)
            facts.append(v.Fact(_("Dimensions"), dimensions, lang=dimensions_lang))
        if product.made_to_order is not None:
            facts.append(v.Fact(_("Made to order"), _("Yes") if product.made_to_order else _("No, ready to ship")))
        title, title_lang = self.text_and_lang(product.title)
        description_html, description_text, description_lang = self.body(whole)
        artisan_url = self.artisan_url(artisan)
        artisan_name, artisan_name_lang = self.text_and_lang(artisan.name)
        crumbs = self.crumbs_for_artisan(artisan) + (v.Link(artisan_name, artisan_url, lang=artisan_name_lang),)
        photos = tuple(img for img in (self.image(p) for p in product.photos) if img)
        price = self.ui.price(product.price.amount, product.price.currency) if product.price else ""
        return v.ProductPage(
            meta=self.meta(title, self.product_url(artisan, product), TAB_SHOWCASE,
                           description=description_text, breadcrumbs=crumbs,
                           route_of=lambda lang: self.routes.product(artisan.country, artisan.district_slug,
                                                                     artisan.slug, product.slug, lang),
                           languages=self.catalog.page_languages(product),
                           image=photos[0] if photos else None, share_kind="product",
                           share_facts=(price, artisan_name),
                           share_tags=(("product:price:amount", format(product.price.amount, "f")),
                                       ("product:price:currency", product.price.currency)) if product.price else ()),
            title=title,
            title_lang=title_lang,
            photos=photos,
            description_html=description_html,
            description_lang=description_lang,
            notice=self.fallback_notice(title_lang, description_lang),
            price=price,
            price_amount=format(product.price.amount, "f") if product.price else "",
            price_currency=product.price.currency if product.price else "",
            made_to_order=product.made_to_order,
            facts=tuple(facts),
            crafts=self.craft_links(self.catalog.product_crafts(artisan, product)),
            artisan=self.artisan_card(artisan),
            buy_buttons=tuple(self.buy_button(link) for link in whole.listings),
            edit=self.edit(whole.source, whole.translations),
        )

    # -- trainings ---------------------------------------------------------
    def is_upcoming(self, resource: TrainingResource) -> bool:
        ends = resource.ends
        return ends is not None and ends > self.catalog.now

    def when(self, resource: TrainingResource) -> tuple[str, str, str]:
        if resource.starts is None:
            return "", "", ""
        utc = resource.starts.astimezone(dt.timezone.utc)
        return self.ui.datetime(resource.starts), self.ui.datetime(utc), resource.starts.isoformat()

    def training_kind(self, kind: str) -> str:
        return kind_label(self.ui, kind)

    def level_label(self, level: str | None) -> str:
        _ = self._
        return {"beginner": _("Beginner"), "intermediate": _("Intermediate"),
                "advanced": _("Advanced")}.get(level or "", "")

    def topics(self, resource: TrainingResource) -> tuple[v.Term, ...]:
        """A resource's topics in the page's language, each keyed by its default-language text."""
        terms = []
        for topic in resource.topics:
            label, lang = topic_label(self.ui, topic)
            terms.append(v.Term(label, topic.default, lang))
        return tuple(terms)

    def training_card(self, resource: TrainingResource) -> v.TrainingCard:
        local, utc, iso = self.when(resource)
        title, title_lang = self.text_and_lang(resource.title)
        provider, provider_lang = self.text_and_lang(resource.provider)
        summary, summary_lang = self.text_and_lang(resource.summary_text)
        return v.TrainingCard(
            title=title,
            title_lang=title_lang,
            url=self.routes.training_page(resource.slug, self.lang).url,
            kind=self.training_kind(resource.kind), kind_key=resource.kind,
            provider=provider, provider_lang=provider_lang,
            when_local=local, when_utc=utc, starts_iso=iso,
            languages=tuple(self.ui.language_name(t) for t in resource.languages),
            language_codes=resource.languages,
            topics=self.topics(resource),
            level=self.level_label(resource.level),
            summary=summary, summary_lang=summary_lang if summary else "",
        )

    def training_box(self, resource: TrainingResource) -> v.TrainingBox:
        local, utc, iso = self.when(resource)
        minutes = resource.duration_minutes
        duration = ""
        if minutes:
            hours, rest = divmod(minutes, 60)
            duration = self._("%(h)d h %(m)02d min") % {"h": hours, "m": rest} if hours else \
                self._("%(m)d min") % {"m": rest}
        place = venue = city = ""
        if resource.place:
            venue, city = self.text(resource.place.venue), self.text(resource.place.city)
            place = f"{venue}, {city}"
        markets = tuple(
            v.Link(self.text(self.reg.marketplaces[k].name), self.routes.marketplace(k, self.lang).url)
            for k in resource.marketplaces if k in self.reg.marketplaces
        )
        provider, provider_lang = self.text_and_lang(resource.provider)
        return v.TrainingBox(
            title=self.text(resource.title), kind=self.training_kind(resource.kind), kind_key=resource.kind,
            provider=provider, provider_lang=provider_lang, when_local=local, when_utc=utc, starts_iso=iso,
            duration=duration, languages=tuple(self.ui.language_name(t) for t in resource.languages),
            level=self.level_label(resource.level), topics=self.topics(resource), place=place,
            url=resource.url, registration=resource.registration,
            marketplaces=markets, crafts=self.craft_links(resource.crafts),
            upcoming=self.is_upcoming(resource),
            # An end only where the entry gives a duration (the page's "upcoming" test assumes an hour otherwise).
            ends_iso=resource.ends.isoformat() if resource.ends and resource.duration_minutes else "",
            language_codes=resource.languages,
            venue=venue, city=city, summary=self.text_and_lang(resource.summary_text)[0],
            edit=self.edit(resource.source),
        )

    def training_index(self) -> v.TrainingIndexPage:
        upcoming, self_paced, past = [], [], []
        for resource in self.catalog.trainings:
            card = self.training_card(resource)
            if not resource.is_event:
                self_paced.append(card)
            elif self.is_upcoming(resource):
                upcoming.append(card)
            else:
                past.append(card)
        past.reverse()  # most recent first
        # One filter option per topic key, labelled in the page's language.
        terms = {term.key: term for r in self.catalog.trainings for term in self.topics(r)}
        topics = sorted(terms.values(), key=lambda term: term.label.casefold())
        codes = sorted({c for r in self.catalog.trainings for c in r.languages})
        url = self.routes.training_index(self.lang).url
        return v.TrainingIndexPage(
            meta=self.meta(self._("Training"), url, TAB_TRAINING,
                           description=self._("Webinars, workshops, courses and guides on selling online."),
                           route_of=self.routes.training_index),
            upcoming=tuple(upcoming), self_paced=tuple(self_paced), past=tuple(past),
            topics=tuple(topics), languages=tuple((c, self.ui.language_name(c)) for c in codes),
            calendar_url=self.routes.training_calendar(self.lang).url,
        )

    def upcoming_cards(self, limit: int) -> tuple[v.TrainingCard, ...]:
        events = [r for r in self.catalog.trainings if r.is_event and self.is_upcoming(r)]
        return tuple(self.training_card(r) for r in events[:limit])

    # -- region helpers ----------------------------------------------------
    def district_links(self, groups: Sequence[DistrictGroup]) -> tuple[v.Link, ...]:
        return tuple(
            v.Link(self.text(g.name), self.routes.district(g.country, g.slug, self.lang).url, len(g.artisans))
            for g in groups
        )

    def regions(self) -> tuple[v.RegionGroup, ...]:
        return tuple(
            v.RegionGroup(self.ui.country_name(cc), self.routes.country(cc, self.lang).url, self.district_links(groups))
            for cc, groups in self.catalog.countries.items()
        )

