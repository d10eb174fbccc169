"""Shares of one build: ``karigar build --shard K/N`` writes a deterministic, disjoint part of the site.

For catalogs beyond one machine, N machines each run the whole check (load,
validate, catalog: every shard needs the whole graph to render its pages)
and render only their share of the outputs; the N folders, copied into one,
are the site a single build writes, byte for byte.

Which shard writes a file depends only on its output path (a hash, so the
shares stay balanced as the catalog grows and a new page never moves the
others), except the files made from the whole site, which shard 1 writes:
``_headers`` (hashed from every page) and the sitemaps; and a search bundle's
files, which one shard writes together (the shard of the bundle's folder):
Pagefind's files of one run only fit each other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["Shard", "parse_shard", "SITE_WIDE_OUTPUTS", "SEARCH_BUNDLES"]

# Outputs made from the whole site; shard 1 writes them.
SITE_WIDE_OUTPUTS = ("_headers", "sitemap.xml", "sitemaps/")

# Where the search bundles are (karigar.catalog.routes): each bundle's folder is owned whole.
SEARCH_BUNDLES = "search/bundles/"

_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``number`` (1-based) of ``count``."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.count:
            raise ValueError(f"shard {self.number}/{self.count}: K must be between 1 and N")

    def owns(self, output: str) -> bool:
        """Whether this shard writes ``output`` (a site-relative path); every path has exactly one owner."""
        if self.count == 1:
            return True
        if output == SITE_WIDE_OUTPUTS[0] or output == SITE_WIDE_OUTPUTS[1] or output.startswith(SITE_WIDE_OUTPUTS[2]):
            return self.number == 1
        if output.startswith(SEARCH_BUNDLES):
            output = output[:output.index("/", len(SEARCH_BUNDLES)) + 1] if "/" in output[len(SEARCH_BUNDLES):] else output
        digest = hashlib.blake2b(output.encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "big") % self.count == self.number - 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/4"`` -> ``Shard(2, 4)``; ValueError with a message for anything else."""
    found = _SHARD_RE.match(text)
    if found is None:
        raise ValueError(f"--shard takes K/N (for example 2/4), not {text!r}")
    return Shard(int(found.group(1)), int(found.group(2)))
