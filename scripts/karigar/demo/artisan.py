"""One synthetic artisan and its products, as the text of their files.

:class:`ArtisanMaker` holds what is fixed for a run (registry keys, seed,
photo palette) and turns one artisan's random stream into
:class:`ArtisanFiles`; it reads and writes nothing, so it can be tested
without a disk and the writer stays the only place that touches files.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from karigar.demo import prose
from karigar.demo.crafts import CraftInfo, craft_info
from karigar.demo.draw import between, pick
from karigar.demo.listings import PRODUCTS_PER_SERIAL, Listing, ListingIds, choose_marketplaces
from karigar.demo.people import FAMILY_WORD, HANDLE_ROLES, TITLE_WOMAN, name_pool
from karigar.demo.photos import photo_palette
from karigar.demo.places import DISTRICTS, LOCAL_SCRIPT, District, district_languages
from karigar.demo.yamltext import Localized, flow, localized, q, text_lines
from karigar.model.fields import slugify

__all__ = ["ArtisanFiles", "ArtisanMaker", "slug_suffix"]

# Programmes only Pakistani artisans join; the rest are open to both countries.
_PK_ONLY_PROGRAMS = frozenset({"smeda", "bisp", "tdap"})
_START_DATE = datetime.date(2023, 1, 1)
_COOPERATIVE_NAMES = (
    "{district} Women's {Craft} Cooperative",
    "{district} {Craft} Collective",
    "{district} Artisans Cooperative",
    "{district} Women Artisans Group",
)
_SUFFIX_SPACE = 36**4
_SUFFIX_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_NAME_SLUG_MAX = 70


def slug_suffix(index: int) -> str:
    """A short code unique to artisan ``index``: four base-36 characters up to 1.6 million.

    The affine map is a bijection on ``[0, 36**4)``, so codes never repeat;
    past that range the plain index in base 36 (five or more characters)
    cannot meet a four-character code either.
    """
    if index < _SUFFIX_SPACE:
        value, width = (index * 1_299_709 + 524_287) % _SUFFIX_SPACE, 4
    else:
        value, width = index, 0
    digits: list[str] = []
    while value or len(digits) < max(width, 1):
        value, rest = divmod(value, 36)
        digits.append(_SUFFIX_DIGITS[rest])
    return "".join(reversed(digits))


@dataclass(frozen=True, slots=True)
class ArtisanFiles:
    """The files of one artisan, relative to its folder ``<country>/<district_slug>/<slug>``."""

    country: str
    district_slug: str
    slug: str
    index: str
    products: list[tuple[str, str]]
    photos: list[tuple[str, bytes]]
    draft: bool
    listings: int


@dataclass(frozen=True, slots=True)
class _Who:
    """How an artisan is named in its files and spoken of in prose."""

    name: Localized
    plain: str
    kind: str
    members: int
    slots: dict[str, str]


@dataclass(frozen=True)
class ArtisanMaker:
    """Everything fixed for one run; :meth:`make` builds one artisan."""

    seed: int
    crafts: tuple[str, ...]
    affinity: dict[str, tuple[str, ...]]
    programs: dict[str, tuple[str, ...]]
    ids: ListingIds
    start: int
    end: int
    palette: tuple[tuple[bytes, ...], tuple[bytes, ...]] | None
    languages: tuple[str, ...]

    @classmethod
    def build(
        cls,
        *,
        seed: int,
        photos: bool,
        crafts: Sequence[str],
        programs: Sequence[str],
        end_date: datetime.date,
        languages: Sequence[str],
    ) -> ArtisanMaker:
        """Precompute per-run tables: district crafts within the registry, programmes by country."""
        known = set(crafts)
        affinity = {
            d.name: tuple(c for c in d.crafts if c in known) or tuple(crafts) for d in DISTRICTS
        }
        by_country = {
            "pk": tuple(programs),
            "in": tuple(p for p in programs if p not in _PK_ONLY_PROGRAMS),
        }
        return cls(
            seed=seed,
            crafts=tuple(crafts),
            affinity=affinity,
            programs=by_country,
            ids=ListingIds.for_seed(seed),
            start=_START_DATE.toordinal(),
            end=end_date.toordinal(),
            palette=photo_palette() if photos else None,
            languages=tuple(languages),
        )

    def _who(self, rng: random.Random, district: District, craft: CraftInfo) -> _Who:
        pool = name_pool(district)
        lang = LOCAL_SCRIPT[district.country]
        roll = rng.random()
        if roll < 0.70:
            woman = rng.random() < 0.65
            first = pick(rng, pool.women if woman else pool.men)
            if woman and rng.random() < 0.15:
                last = TITLE_WOMAN[district.country]
            else:
                last = pick(rng, pool.last)
            plain, local = f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"
            kind, members = "person", 1
            who = {"who": first[0], "Who": first[0], "their": "her" if woman else "his"}
            who["relative"] = prose.relative(rng)
        elif roll < 0.88:
            last = pick(rng, pool.last)
            plain, local = f"{last[0]} Family", f"{last[1]} {FAMILY_WORD[lang]}"
            kind, members = "family", between(rng, 3, 12)
            who = {"who": f"the {last[0]} family", "Who": f"The {last[0]} family", "their": "their"}
            who["relative"] = "elders"
        else:
            craft_title = craft.phrase[0].upper() + craft.phrase[1:]
            pattern = pick(rng, _COOPERATIVE_NAMES)
            plain = pattern.format(district=district.name, Craft=craft_title.title())
            local = ""
            kind, members = "cooperative", between(rng, 8, 120)
            who = {"who": "the cooperative", "Who": "The cooperative", "their": "their"}
            who["relative"] = "founders"
        name: Localized = plain
        # The draw happens whatever the languages, so they change nothing else.
        if local and rng.random() < 0.25:
            name = localized(plain, lang, local, self.languages)
        return _Who(name, plain, kind, members, who)

    def _handle(self, rng: random.Random, district: District) -> str:
        pool = name_pool(district)
        first = pick(rng, pool.women + pool.men)[0]
        return f"{pick(rng, HANDLE_ROLES)}.{slugify(first)}"

    def make(self, rng: random.Random, index: int, district: District) -> ArtisanFiles:
        """Artisan ``index`` of ``district``, drawing from its own ``rng``."""
        affinity = self.affinity[district.name]
        primary = affinity[0] if rng.random() < 0.5 else pick(rng, affinity)
        own_crafts = [primary]
        if len(affinity) > 1 and rng.random() < 0.25:
            own_crafts.append(pick(rng, [c for c in affinity if c != primary]))
        info = craft_info(primary)
        who = self._who(rng, district, info)
        district_slug = slugify(district.name)
        name_slug = slugify(who.plain)[:_NAME_SLUG_MAX].strip("-")
        slug = f"{name_slug}-{slug_suffix(index)}"
        photo_rng = random.Random(f"{self.seed}:{index}:photos") if self.palette else None

        lines = text_lines("name", who.name)
        if who.kind != "person" or rng.random() < 0.3:
            lines.append(f"kind: {q(who.kind)}")
        if who.kind != "person":
            lines.append(f"members: {who.members}")
        lines.append(f"crafts: {flow(own_crafts)}")
        lines += [
            "location:",
            f"  district: {q(district.name)}",
            f"  province: {q(district.province)}",
        ]
        photos: list[tuple[str, bytes]] = []
        if photo_rng is not None and self.palette is not None and photo_rng.random() < 0.85:
            photos.append(("portrait.jpg", pick(photo_rng, self.palette[1])))
            alt = f"{who.plain} at work on {info.phrase}"
            lines += ["photo:", '  src: "photos/portrait.jpg"', f"  alt: {q(alt)}"]
        lines.append(f"since: {between(rng, 1968, 2022)}")
        spoken = district_languages(district)
        langs = [spoken[0]] + [lang for lang in spoken[1:] if rng.random() < 0.5]
        if rng.random() < 0.1 and "en" not in langs:
            langs.append("en")
        lines.append(f"languages: {flow(langs)}")
        eligible = self.programs[district.country]
        if eligible and rng.random() < 0.45:
            chosen = rng.sample(eligible, k=min(len(eligible), between(rng, 1, 2)))
            lines.append(f"programs: {flow(chosen)}")
        if rng.random() < 0.06:
            lines += ["links:"] + self._shop_link(district.country, slug, who.plain, index)
        draft = rng.random() < 0.01
        consent_day = 0
        if not draft or rng.random() < 0.5:
            consent_day = between(rng, self.start, self.end)
            lines += [
                "consent:",
                f"  given: {datetime.date.fromordinal(consent_day).isoformat()}",
                f"  recorded_by: {q(self._handle(rng, district))}",
            ]
        if consent_day and rng.random() < 0.4:
            verified_day = min(self.end, consent_day + between(rng, 0, 240))
            lines += [
                "verified:",
                f"  by: {q(self._handle(rng, district))}",
                f"  date: {datetime.date.fromordinal(verified_day).isoformat()}",
            ]
        if not draft and rng.random() < 0.005:
            lines.append("featured: true")
        if draft:
            lines.append("draft: true")

        slots = dict(who.slots)
        slots.update(
            craft=info.phrase,
            district=district.name,
            province=district.province,
            item=pick(rng, info.items).name,
            material=pick(rng, info.materials),
            technique=pick(rng, info.technique),
        )
        story = prose.story(rng, slots, [item.name for item in info.items], list(info.materials))
        index_text = "---\n" + "\n".join(lines) + "\n---\n\n" + story

        products, listings = self._products(
            rng, index, district, own_crafts, slots, photo_rng, photos
        )
        return ArtisanFiles(
            country=district.country,
            district_slug=district_slug,
            slug=slug,
            index=index_text,
            products=products,
            photos=photos,
            draft=draft,
            listings=listings,
        )

    def _shop_link(self, country: str, slug: str, plain: str, index: int) -> list[str]:
        if country == "pk" and index % 2:
            return [
                '  - marketplace: "daraz"',
                f"    url: {q(f'https://www.daraz.pk/shop/{slug}/')}",
            ]
        shop = "".join(part.capitalize() for part in slugify(plain).split("-"))
        url = f"https://www.etsy.com/shop/{shop}{slug_suffix(index).upper()}"
        return ['  - marketplace: "etsy"', f"    url: {q(url)}"]

    def _products(
        self,
        rng: random.Random,
        index: int,
        district: District,
        own_crafts: list[str],
        artisan_slots: dict[str, str],
        photo_rng: random.Random | None,
        photos: list[tuple[str, bytes]],
    ) -> tuple[list[tuple[str, str]], int]:
        count = min(12, max(1, round(rng.triangular(1, 12, 5))))
        seen: set[str] = set()
        products: list[tuple[str, str]] = []
        listings = 0
        for j in range(count):
            craft = own_crafts[-1] if len(own_crafts) > 1 and rng.random() < 0.35 else own_crafts[0]
            info = craft_info(craft)
            item = pick(rng, info.items)
            title = f"{pick(rng, info.qualifiers)} {item.name}"
            base = slugify(title)
            pslug, n = base, 2
            while pslug in seen:
                pslug, n = f"{base}-{n}", n + 1
            seen.add(pslug)

            lines = [f"title: {q(title)}"]
            if photo_rng is not None and self.palette is not None:
                lines.append("photos:")
                for k in range(1, between(photo_rng, 1, 3) + 1):
                    name = f"{pslug}-{k}.jpg"
                    photos.append((name, pick(photo_rng, self.palette[0])))
                    alt = title if k == 1 else f"Detail of the {item.name}"
                    lines += [f"  - src: {q('photos/' + name)}", f"    alt: {q(alt)}"]
            usd = between(rng, *info.usd)
            roll = rng.random()
            if roll < 0.75:
                currency = "PKR" if district.country == "pk" else "INR"
                amount = round(usd * 280, -2) if currency == "PKR" else round(usd * 83, -1)
            else:
                currency, amount = "USD", usd
            lines += ["price:", f"  amount: {amount}", f"  currency: {q(currency)}"]
            materials = rng.sample(info.materials, k=between(rng, 1, min(3, len(info.materials))))
            lines.append(f"materials: {flow(materials)}")
            if rng.random() < 0.8:
                a_lo, a_hi, b_lo, b_hi = item.ranges
                a, b = between(rng, a_lo, a_hi), between(rng, b_lo, b_hi)
                lines.append(f"dimensions: {q(item.size.format(a=a, b=b))}")
            made_to_order = rng.random() < 0.15
            if made_to_order:
                lines.append("made_to_order: true")
            elif rng.random() < 0.05:
                lines.append("made_to_order: false")
            if craft != own_crafts[0]:
                lines.append(f"crafts: {flow([craft])}")
            lines.append("listings:")
            serial = index * PRODUCTS_PER_SERIAL + j
            for market in choose_marketplaces(rng, district.country):
                lines += _listing_lines(self.ids.listing(market, serial, pslug, title))
                listings += 1

            slots = dict(artisan_slots)
            slots.update(
                craft=info.phrase,
                item=item.name,
                material=materials[0],
                technique=pick(rng, info.technique),
                quality=prose.quality(rng),
                title_lower=title[0].lower() + title[1:],
            )
            body = prose.description(rng, slots, materials, made_to_order)
            products.append((pslug, "---\n" + "\n".join(lines) + "\n---\n\n" + body))
        return products, listings


def _listing_lines(listing: Listing) -> list[str]:
    key, value = ("id", listing.id) if listing.id else ("url", listing.url)
    return [f"  - marketplace: {q(listing.marketplace)}", f"    {key}: {q(value)}"]
