"""Marketplace listings with ids that are unique, deterministic and plausible.

Ids must be unique across the catalog without remembering the ones already
handed out (the generator keeps no state between artisans, so N=1000 stays
a prefix of N=10000).  Each id is therefore a bijection of the product's
serial number ``artisan * 16 + product``: an affine map ``x * A + B mod M``
with ``A`` coprime to ``M`` never sends two serials to the same id, and it
scatters neighbours so ids do not look sequential.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

__all__ = [
    "Listing",
    "ListingIds",
    "MARKETPLACES_BY_COUNTRY",
    "choose_marketplaces",
    "PRODUCTS_PER_SERIAL",
]

# Serial numbers reserve this many products per artisan (the generator makes at most 12).
PRODUCTS_PER_SERIAL = 16

# Marketplaces an artisan of each country is listed on, with how often.
MARKETPLACES_BY_COUNTRY: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "pk": (("amazon", "daraz", "etsy", "alibaba"), (0.35, 0.3, 0.25, 0.1)),
    "in": (("amazon", "amazon-in", "etsy", "alibaba"), (0.3, 0.3, 0.3, 0.1)),
}

_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# One multiplier per marketplace, so one product's ids share no digits across
# marketplaces; each is odd and no multiple of 3 or 5, so coprime to every
# modulus below (all of them are products of 2, 3 and 5).
_MULTIPLIERS = {
    "amazon": 2_654_435_761,
    "etsy": 2_246_822_519,
    "daraz": 3_266_489_917,
    "alibaba": 668_265_263,
}
_ASIN_SPACE = 36**8
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class Listing:
    """``{marketplace, id}`` or ``{marketplace, url}``: exactly one of the two is set."""

    marketplace: str
    id: str = ""
    url: str = ""


def _base36(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, rest = divmod(value, 36)
        digits.append(_B36[rest])
    return "".join(reversed(digits))


@dataclass(frozen=True, slots=True)
class ListingIds:
    """Id makers for one seed: the seed shifts every id space."""

    offset: int

    @classmethod
    def for_seed(cls, seed: int) -> ListingIds:
        # crc32, not hash(): str hashes are salted per process.
        return cls(zlib.crc32(f"karigar-demo:{seed}".encode()))

    def _scatter(self, serial: int, space: int, family: str) -> int:
        return (serial * _MULTIPLIERS[family] + self.offset) % space

    def listing(self, marketplace: str, serial: int, slug: str, title: str) -> Listing:
        """The listing of product ``serial`` (slug and title feed the URLs) on ``marketplace``."""
        if marketplace in ("amazon", "amazon-in"):
            # The two Amazon stores share one ASIN space; even and odd keep them apart.
            store = 1 if marketplace == "amazon-in" else 0
            return Listing(
                marketplace,
                id="B0" + _base36(self._scatter(serial * 2 + store, _ASIN_SPACE, "amazon"), 8),
            )
        if marketplace == "etsy":
            return Listing(
                marketplace, id=str(1_000_000_000 + self._scatter(serial, 9 * 10**9, "etsy"))
            )
        if marketplace == "daraz":
            number = 100_000_000 + self._scatter(serial, 9 * 10**8, "daraz")
            return Listing(marketplace, url=f"https://www.daraz.pk/products/{slug}-i{number}.html")
        if marketplace == "alibaba":
            number = 1_600_000_000_000 + self._scatter(serial, 10**11, "alibaba")
            words = _NOT_ALNUM.sub("-", title.title()).strip("-")
            return Listing(
                marketplace, url=f"https://www.alibaba.com/product-detail/{words}_{number}.html"
            )
        raise ValueError(f"no demo listing for marketplace {marketplace!r}")


def choose_marketplaces(rng: random.Random, country: str) -> list[str]:
    """One to three distinct marketplaces for a product of ``country``, by weight."""
    names, weights = MARKETPLACES_BY_COUNTRY[country]
    roll = rng.random()
    wanted = 1 if roll < 0.5 else 2 if roll < 0.85 else 3
    pool, pool_weights = list(names), list(weights)
    chosen = []
    for _ in range(wanted):
        # Weighted draw without replacement: walk the remaining weights.
        point = rng.random() * sum(pool_weights)
        k = 0
        while k < len(pool) - 1 and point >= pool_weights[k]:
            point -= pool_weights[k]
            k += 1
        chosen.append(pool.pop(k))
        pool_weights.pop(k)
    return chosen
