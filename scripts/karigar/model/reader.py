"""Reading a map against a :class:`~karigar.model.schema.Shape`.

:func:`read_shape` is the interpreter of the schema: it reports unknown and
missing keys, applies the conditional requirements (``consent`` unless
``draft``), reads lists, and hands each value to the reader of its type.
Images and listings are read here too, because they need the entry's photos
and the registries.  Values that fail are left out of the result after their
diagnostic; the caller only builds a model when the entry had no error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from karigar.diagnostics import did_you_mean
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind
from karigar.markup.urls import add_query_params, host_allowed, parse_https_url
from karigar.model import schema
from karigar.model.context import Context
from karigar.model.fields import SCALAR_READERS
from karigar.model.schema import Field, Shape
from karigar.model.types import Image, Listing

__all__ = ["read_shape", "read_value"]

_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_UNKNOWN_CODES: Mapping[str, str] = MappingProxyType({r.name: r.unknown_code for r in schema.REGISTRIES})
_NOUNS: Mapping[str, str] = MappingProxyType({r.name: r.noun for r in schema.REGISTRIES})


def _where(label: str, shape: Shape, preposition: str = "in") -> str:
    return f" in `{label}`" if label else f" {preposition} the {shape.name}'s front matter"


def read_shape(node: Node, shape: Shape, label: str, cx: Context) -> dict[str, Any] | None:
    """The fields of ``node`` read by ``shape``; None if ``node`` is not a map.

    ``label`` is the dotted name of the map ("" for front matter itself).
    """
    if not isinstance(node, Map):
        what = f"`{label}`" if label else f"the {shape.name}'s front matter"
        cx.error("map", f"{what} must be a mapping of keys to values, found {node_kind(node)}", node,
                 f"e.g. {{{', '.join(f.name + ': ...' for f in shape.fields[:2])}}}")
        return None
    index = shape.index
    values: dict[str, Any] = {}
    empty: dict[str, Scalar] = {}
    prefix = label + "." if label else ""
    for key, (key_node, value) in node.entries.items():
        fld = index.get(key)
        if fld is None:
            if not key.startswith("_"):  # `_` keys are private notes, ignored everywhere
                _unknown_key(key, key_node, shape, label, cx)
            continue
        if isinstance(value, Scalar) and value.value is None and not value.quoted:
            # `key:` with nothing after it counts as absent; required fields say so below.
            empty[key] = value
            continue
        result = read_value(value, fld, prefix + key, cx)
        if result is not None:
            values[key] = result
    entries = node.entries
    for fld in shape.conditional:
        # Fast path: present, not empty, no minimum length; nothing to check.
        if fld.name in entries and not fld.min_items and fld.name not in empty:
            continue
        _check_required(node, fld, shape, label, values, empty, cx)
    return values


def _unknown_key(key: str, key_node: Scalar, shape: Shape, label: str, cx: Context) -> None:
    if key in shape.forbidden:
        cx.error(shape.forbidden_code, f"`{label + '.' if label else ''}{key}` is not allowed: "
                 + shape.forbidden_help, key_node)
        return
    known = [f.name for f in shape.fields]
    cx.error(
        "unknown-key",
        f"unknown key `{key}`{_where(label, shape)}" + did_you_mean(key, known),
        key_node,
        f"allowed here: {', '.join(known)}; keys starting with `_` are private and ignored",
    )


def _condition(fld: Field, values: Mapping[str, Any], shape: Shape) -> bool:
    cond = fld.when if fld.when is not None else fld.unless
    assert cond is not None
    value = values.get(cond.field, shape.index[cond.field].default)
    return value in cond.values


def _check_required(node: Map, fld: Field, shape: Shape, label: str, values: Mapping[str, Any],
                    empty: Mapping[str, Scalar], cx: Context) -> None:
    if fld.when is not None and not _condition(fld, values, shape):
        return
    if fld.unless is not None and _condition(fld, values, shape):
        return
    name = f"{label}.{fld.name}" if label else fld.name
    extra = f"; {fld.missing_help}" if fld.missing_help else ""
    if fld.when is not None:
        extra = f" (required when `{fld.when.field}` is {' or '.join(map(str, fld.when.values))})" + extra
    entry = node.entries.get(fld.name)
    if entry is None:
        cx.error(fld.missing_code, f"`{fld.name}` is missing{_where(label, shape, 'from')}{extra}", node,
                 f"`{fld.name}`: {fld.help}")
        return
    value = entry[1]
    if fld.name in empty:
        cx.error(fld.missing_code, f"`{name}` is empty{extra}", value, f"`{fld.name}`: {fld.help}")
    elif fld.min_items and isinstance(value, Seq) and len(value.items) < fld.min_items:
        cx.error(fld.missing_code, f"`{name}` needs at least {fld.min_items} item(s){extra}", value,
                 f"`{fld.name}`: {fld.help}")


def read_value(node: Node, fld: Field, label: str, cx: Context) -> Any:
    """The value of one field (a tuple for a list field), or None after a diagnostic."""
    reader = _READERS[fld.type]
    if not fld.many:
        return reader(node, fld, label, cx)
    if not isinstance(node, Seq):
        hint = f"write `{fld.name}: [{node.text}]`" if isinstance(node, Scalar) else "write a list"
        cx.error("list", f"`{label}` must be a list, found {node_kind(node)}", node, hint)
        return None
    out = []
    for item in node.items:
        if isinstance(item, Scalar) and item.value is None and not item.quoted:
            cx.error("list-item", f"`{label}` has an empty item", item, "remove the empty `-` line")
            continue
        value = reader(item, fld, label, cx)
        if value is not None:
            out.append(value)
    return tuple(out)


def _read_key(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    if not isinstance(node, Scalar) or node.value is None:
        cx.error("key", f"`{label}` must be a key of the {fld.registry} registry, found {node_kind(node)}",
                 node)
        return None
    key = node.text
    known = cx.lookups.keys.get(fld.registry) if cx.lookups is not None else None
    if known is not None and key not in known:
        noun = _NOUNS.get(fld.registry, fld.registry)
        cx.error(
            _UNKNOWN_CODES.get(fld.registry, "unknown-key"),
            f"`{label}`: `{key}` is not a {noun} of the {fld.registry} registry" + did_you_mean(key, known),
            node,
            f"known {fld.registry}: {', '.join(sorted(known)[:30])}"
            f"{' ...' if len(known) > 30 else ''}; new ones are added in "
            f"artisans/_registry/{fld.registry}.yml",
        )
        return None
    return key


def _read_map(node: Node, fld: Field, label: str, cx: Context) -> dict[str, Any] | None:
    assert fld.shape is not None
    return read_shape(node, fld.shape, label, cx)


def _read_image(node: Node, fld: Field, label: str, cx: Context) -> Image | None:
    if isinstance(node, Scalar) and isinstance(node.value, str):
        cx.error("image-alt", f"`{label}` has no `alt` text: every photo needs one", node,
                 f"write `{{src: {node.text}, alt: <what the photo shows>}}`")
        return None
    values = read_shape(node, schema.IMAGE, label, cx)
    if not values or "src" not in values:
        return None
    assert isinstance(node, Map)
    src: str = values["src"]
    src_node = node.get("src")
    assert src_node is not None
    file, remote = _image_source(src, src_node, label + ".src", cx)
    alt = values.get("alt")
    if alt is None or (file is None and remote is None):
        return None
    return Image(src, alt, file, remote, cx.at(node))


def _image_source(src: str, node: Node, label: str, cx: Context) -> tuple[str | None, str | None]:
    """``(site-relative file, None)`` or ``(None, remote URL)``, or ``(None, None)`` after an error."""
    if "\\" in src:
        cx.error("image-path", f"`{label}` `{src}` contains a backslash", node,
                 "write paths with forward slashes: photos/portrait.jpg")
        return None, None
    if src.startswith("//") or _SCHEME_RE.match(src):
        url, reason = parse_https_url(src)
        if url is None:
            cx.error("image-url", f"`{label}` is not an https address we can use: {reason}", node)
            return None, None
        media = cx.settings.media_host_set
        if not host_allowed(url.host, media):
            allowed = ", ".join(sorted(media)) if media else "none are set in the site's settings"
            cx.error("image-host", f"`{label}` is on `{url.host}`, which is not one of the site's "
                     f"media hosts (allowed: {allowed})", node,
                     "put the photo in the artisan's photos/ folder, or ask for the host to be "
                     "added to `media_hosts`")
            return None, None
        return None, url.unparse()
    parts = src.split("/")
    if src.startswith("/") or any(p in ("", ".", "..") for p in parts) or parts[0] != "photos" \
            or len(parts) < 2:
        cx.error("image-path", f"`{label}` `{src}` must be a file inside the artisan's photos/ folder, "
                 "written relative to the artisan folder (no leading `/`, no `..`)", node,
                 "e.g. photos/portrait.jpg")
        return None, None
    ok = True
    if not src.lower().endswith(schema.IMAGE_EXTENSIONS):
        cx.error("image-format", f"`{label}` `{src}` is not a .jpg, .jpeg, .png or .webp image", node)
        ok = False
    path = f"{cx.folder}/{src}"
    if path not in cx.photos:
        cx.error("image-missing", f"`{label}`: there is no file `{path}`" + _nearby_photo(path, cx), node,
                 "add the photo to the artisan's photos/ folder, or correct the name (names are "
                 "case-sensitive)")
        ok = False
    return (path, None) if ok else (None, None)


def _nearby_photo(path: str, cx: Context) -> str:
    # Only on the error path: scanning every photo of a large site is fine once per mistake.
    folder = cx.folder + "/photos/"
    mine = [p[len(cx.folder) + 1:] for p in cx.photos if p.startswith(folder)]
    return did_you_mean(path[len(cx.folder) + 1:], mine)


def _read_listing(node: Node, fld: Field, label: str, cx: Context) -> Listing | None:
    values = read_shape(node, schema.LISTING, label, cx)
    if values is None:
        return None
    assert isinstance(node, Map)
    has_id, has_url = "id" in node.entries, "url" in node.entries
    if has_id == has_url:
        found = "both `id` and `url`" if has_id else "neither `id` nor `url`"
        cx.error("listing-shape", f"`{label}` has {found}; a listing has exactly one of them", node,
                 "write `{marketplace: amazon, id: B0XXXXXXXX}` or "
                 "`{marketplace: etsy, url: https://www.etsy.com/listing/...}`")
        return None
    key: str | None = values.get("marketplace")
    registries = cx.registries
    if key is None or registries is None:
        return None
    market = registries.marketplaces.get(key)
    if market is None:
        return None  # unknown marketplace or a broken registry item: reported already
    lookups = cx.lookups
    assert lookups is not None
    location = cx.at(node)
    if has_url:
        url = values.get("url")
        if url is None:
            return None
        if not host_allowed(url.host, market.hosts):
            cx.error("listing-url", f"`{label}.url` points to `{url.host}`, which is not a host of "
                     f"marketplace `{key}` (allowed: {', '.join(market.hosts)})", node.get("url") or node,
                     "link to the item on the marketplace itself; a leading dot in the registry "
                     "(`.daraz.pk`) also allows its subdomains")
            return None
        return Listing(key, None, add_query_params(url.unparse(), lookups.params.get(key, {})), None,
                       location)
    ident = values.get("id")
    id_node = node.get("id") or node
    if ident is None:
        return None
    template = lookups.product_urls.get(key)
    if template is None:
        cx.error("listing-id", f"`{label}.id`: marketplace `{key}` has no product URL template, so its "
                 "listings take a `url`, not an `id`", id_node,
                 f"write `url: https://{market.hosts[0].lstrip('.')}/...`")
        return None
    pattern = lookups.id_patterns.get(key)
    if pattern is not None and pattern.fullmatch(ident) is None:
        wanted = (f"{market.id_description}" if market.id_description is not None
                  else f"an id matching the pattern `{market.id_pattern}`")
        cx.error("listing-id", f"`{label}.id` `{ident}` is not a valid {market.name.default} id: "
                 f"expected {wanted}", id_node)
        return None
    # The id matched the registry's pattern, but quote it anyway: patterns are
    # written by people and an id must never break out of its URL segment.
    safe_id = quote(ident, safe="-._~")
    cart = lookups.cart_urls.get(key)
    return Listing(key, ident, template.replace("{id}", safe_id),
                   cart.replace("{id}", safe_id) if cart is not None else None, location)


_READERS: Mapping[str, Callable[[Node, Field, str, Context], Any]] = MappingProxyType({
    **SCALAR_READERS,
    "key": _read_key,
    "map": _read_map,
    "image": _read_image,
    "listing": _read_listing,
})
