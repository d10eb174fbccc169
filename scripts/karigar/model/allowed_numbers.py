"""The allowed numbers: ``artisans/_registry/allowed_numbers.yml`` (contract v1.1).

The private-data check (:mod:`karigar.model.privacy`) sometimes flags a
number that is not a phone number: an order number, a design code.  A
maintainer lists such a number here, with the reason and the one entry file
it may appear in, and the check lets it through in that file only::

    - number: "0300-1234567"
      reason: the design code of the Thatta cooperative's quilt pattern
      where: artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md

The file is maintainer-owned (CODEOWNERS).  A CNIC or an Aadhaar number can
never be allowed, and neither can an e-mail address: only numbers.  Every
problem is a located error; an allowance its entry no longer needs is a
warning, reported by the entry's own check (it is the one that knows).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from typing import Any

from karigar.diagnostics import DiagnosticSink, did_you_mean
from karigar.load.entries import LoadedSite
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind
from karigar.model import schema
from karigar.model.context import Context, ValidationSettings
from karigar.model.privacy import MIN_DIGITS, identity_kind, normalize_digits, number_digits
from karigar.model.reader import read_shape
from karigar.model.types import AllowedNumber

__all__ = ["ALLOWED_NUMBERS", "read_allowed_numbers", "entry_paths"]

ALLOWED_NUMBERS = "allowed_numbers"  # the registry's name: artisans/_registry/allowed_numbers.yml
# What people write between the digits of a number; anything else (letters, `@`) is not a number.
_NUMBER_MARKS = frozenset(" \t\u00a0-\u2010\u2011\u2012\u2013\u2014\u2015\u2212.()/+")
_IDENTITY = {"cnic": "a CNIC (Pakistani identity card) number", "aadhaar": "an Aadhaar (Indian identity) number"}
_EXAMPLE = ("write each number as a list item: `- number: \"0300-1234567\"`, with `reason:` and `where:` "
            "indented below it")


def entry_paths(loaded: LoadedSite) -> frozenset[str]:
    """Every file the private-data check reads: artisans, products and their translations."""
    return frozenset(e.path for group in (loaded.artisans, loaded.products, loaded.translations) for e in group)


def read_allowed_numbers(loaded: LoadedSite, *, settings: ValidationSettings,
                         sink: DiagnosticSink) -> dict[str, tuple[AllowedNumber, ...]]:
    """Entry file -> the numbers allowed in it; every problem of the file goes to ``sink``.

    A ``where`` must name an entry file of ``loaded``.  An item with any
    error is left out whole, so a refused number stays flagged.
    """
    raw = loaded.registries.get(ALLOWED_NUMBERS)
    if raw is None or raw.root is None:
        return {}
    entries = entry_paths(loaded)
    cx = Context(path=raw.path, sink=sink, settings=settings)
    root = raw.root
    if not isinstance(root, Seq):
        cx.error("map", f"the allowed numbers must be a list of `- number: ...` items, found {node_kind(root)}",
                 root, _EXAMPLE)
        return {}
    found: dict[str, dict[str, AllowedNumber]] = {}
    for index, item in enumerate(root.items, 1):
        item_cx = Context(path=raw.path, sink=DiagnosticSink(), settings=settings)
        values = read_shape(item, schema.ALLOWED_NUMBER, f"item {index}", item_cx)
        allowed = _allowance(item, values, entries, loaded.partial, item_cx) if values is not None else None
        sink.extend(item_cx.sink.items)
        if allowed is None or item_cx.sink.has_errors:
            continue
        where, number = allowed
        earlier = found.setdefault(where, {}).get(number.digits)
        if earlier is not None:
            cx.sink.error("allowed-number-duplicate", f"this number is already allowed for `{where}` at line "
                          f"{earlier.location.line}", number.location, "remove one of the two items")
            continue
        found[where][number.digits] = number
    return {where: tuple(numbers.values()) for where, numbers in found.items()}


def _allowance(item: Node, values: dict[str, Any], entries: Collection[str], partial: bool,
               cx: Context) -> tuple[str, AllowedNumber] | None:
    assert isinstance(item, Map)  # read_shape gave values
    number_node, where_node = item.get("number"), item.get("where")
    number, where = values.get("number"), values.get("where")
    if not isinstance(number, str) or not isinstance(where, str) or "reason" not in values:
        return None  # missing or unreadable: already reported
    assert isinstance(number_node, Scalar) and isinstance(where_node, Scalar)
    digits = _number_problem(number, number_node, cx)
    where_ok = _where_ok(where, where_node, entries, partial, cx)
    if digits is None or not where_ok:
        return None
    return where, AllowedNumber(digits, cx.at(number_node))


def _number_problem(number: str, node: Scalar, cx: Context) -> str | None:
    """The number's digits, or None after reporting why it cannot be allowed."""
    if "@" in number:
        cx.error("allowed-number", "`number` looks like an e-mail address; only numbers can be allowed: "
                 "an e-mail address of an artisan is never published", node,
                 "remove the address from the entry instead")
        return None
    stray = sorted({ch for ch in normalize_digits(number) if not ch.isdigit() and ch not in _NUMBER_MARKS})
    if stray:
        cx.error("allowed-number", f"`number` must be the number only (digits, spaces, hyphens, dots, brackets), "
                 f"found {' '.join(f'`{ch}`' for ch in stray)}", node,
                 "write just the digits the private-data error points at, e.g. \"0300-1234567\"")
        return None
    digits = number_digits(number)
    identity = identity_kind(digits)
    if identity is not None:
        cx.error("allowed-number-identity", f"`number` has the digits of {_IDENTITY[identity]}, which can "
                 "never be allowed: the site must not publish identity numbers", node,
                 "remove this item and the number from the entry; keep such records outside the catalog")
        return None
    if len(digits) < MIN_DIGITS:
        cx.error("allowed-number", f"`number` has {len(digits)} digits; the private-data check flags only "
                 f"numbers of {MIN_DIGITS} digits or more, so it needs no allowance", node,
                 "remove this item")
        return None
    return digits


def _where_ok(where: str, node: Scalar, entries: Collection[str], partial: bool, cx: Context) -> bool:
    if where in entries or (partial and where.endswith(".md")):
        return True  # a partial load (a pull request's check) holds only part of the catalog
    # The closest files are in the same folder; the whole catalog is too many to compare.
    folder = posixpath.dirname(where.strip().lstrip("./"))
    near = [path for path in entries if posixpath.dirname(path) == folder]
    fixed = where.strip().lstrip("./")
    hint = f"write `{fixed}`" if fixed in entries else ""
    cx.error("allowed-number-where", f"`where` is `{where}`, which is not an artisan, product or translation "
             f"file of the catalog{did_you_mean(where, near) if not hint else ''}", node,
             hint or "write the entry file's path from the site root, e.g. "
             "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md")
    return False
