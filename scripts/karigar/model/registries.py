"""The registries: crafts, marketplaces, programmes and districts (and the allowed numbers).

Each registry is one YAML map in ``artisans/_registry/<name>.yml`` from a key
to an item, validated like front matter against
:data:`karigar.model.schema.REGISTRIES`.  The result also carries the
look-ups entry validation needs (:class:`~karigar.model.fields.RegistryLookups`),
prepared once here instead of once per entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.entries import LoadedSite, RawRegistry
from karigar.load.nodes import Map, Node, node_kind
from karigar.markup.urls import add_query_params, host_allowed, parse_https_url
from karigar.model import schema
from karigar.model.allowed_numbers import read_allowed_numbers
from karigar.model.context import Context, RegistryLookups, ValidationSettings
from karigar.model.reader import read_shape
from karigar.model.schema import RegistrySpec
from karigar.model.types import Craft, District, Marketplace, Program, Registries

__all__ = ["ValidatedRegistries", "validate_registries", "lookups_for", "REGISTRY_FOLDER"]

REGISTRY_FOLDER = "artisans/_registry"
_SLUG_RE = re.compile(schema.SLUG_PATTERN)
_DISTRICT_KEY_RE = re.compile(schema.DISTRICT_KEY_PATTERN)


@dataclass(frozen=True, slots=True)
class ValidatedRegistries(Registries):
    """:class:`Registries` plus look-ups prepared once for every entry to share."""

    lookups: RegistryLookups | None = field(default=None, compare=False, repr=False)

    def link_hosts(self) -> frozenset[str]:
        """Hosts prose may link to, computed once at validation."""
        if self.lookups is not None:
            return self.lookups.link_hosts
        return Registries.link_hosts(self)


def lookups_for(registries: Registries) -> RegistryLookups:
    """The look-ups of ``registries``: prepared ones, or built now for plain registries.

    Plain :class:`Registries` (built by hand, e.g. in tests) get their keys
    checked as given.
    """
    if isinstance(registries, ValidatedRegistries) and registries.lookups is not None:
        return registries.lookups
    return _build_lookups(
        registries,
        {
            "crafts": frozenset(registries.crafts),
            "marketplaces": frozenset(registries.marketplaces),
            "programs": frozenset(registries.programs),
            "districts": frozenset(registries.districts),
        },
    )


def _build_lookups(registries: Registries, keys: Mapping[str, frozenset[str]]) -> RegistryLookups:
    patterns = {
        key: re.compile(market.id_pattern)
        for key, market in registries.marketplaces.items()
        if market.id_pattern is not None
    }
    params = {key: dict(m.params) for key, m in registries.marketplaces.items()}
    product_urls = {
        key: add_query_params(m.product_url, params[key])
        for key, m in registries.marketplaces.items()
        if m.product_url is not None
    }
    cart_urls = {
        key: add_query_params(m.cart_url, params[key])
        for key, m in registries.marketplaces.items()
        if m.cart_url is not None
    }
    # Plain dicts rather than read-only proxies: the look-ups travel to worker
    # processes with the registries, and proxies cannot be pickled.
    return RegistryLookups(
        keys=dict(keys),
        id_patterns=patterns,
        params=params,
        link_hosts=Registries.link_hosts(registries),
        product_urls=product_urls,
        cart_urls=cart_urls,
    )


def validate_registries(loaded: LoadedSite, *, settings: ValidationSettings,
                        sink: DiagnosticSink) -> Registries:
    """Validate every registry file; problems go to ``sink``, valid items are kept."""
    items: dict[str, dict[str, Any]] = {}
    keys: dict[str, frozenset[str]] = {}
    for spec in schema.REGISTRIES:
        raw = loaded.registries.get(spec.name)
        path = raw.path if raw is not None else f"{REGISTRY_FOLDER}/{spec.name}.yml"
        if raw is None:
            if spec.required_file:
                sink.error("registry-missing", f"the {spec.name} registry is missing: {spec.help}",
                           Location(path),
                           f"create {path}; every site needs crafts.yml, marketplaces.yml and programs.yml")
            continue
        cx = Context(path=path, sink=sink, settings=settings)
        read = _read_registry(raw, spec, cx)
        if read is not None:
            items[spec.name], keys[spec.name] = read
    registries = Registries(
        crafts=items.get("crafts", {}),
        marketplaces=items.get("marketplaces", {}),
        programs=items.get("programs", {}),
        districts=items.get("districts", {}),
    )
    return ValidatedRegistries(
        crafts=registries.crafts,
        marketplaces=registries.marketplaces,
        programs=registries.programs,
        districts=registries.districts,
        allowed_numbers=read_allowed_numbers(loaded, settings=settings, sink=sink),
        lookups=_build_lookups(registries, keys),
    )


def _read_registry(raw: RawRegistry, spec: RegistrySpec,
                   cx: Context) -> tuple[dict[str, Any], frozenset[str]] | None:
    root = raw.root
    if root is None:
        if spec.required_file:
            cx.sink.error("registry-empty", f"the {spec.name} registry holds nothing (or could not be "
                          "read; see the problems above)", Location(raw.path))
        return None
    if not isinstance(root, Map):
        cx.error("map", f"the {spec.name} registry must be a mapping of keys to {spec.noun}s, found "
                 f"{node_kind(root)}", root)
        return None
    built: dict[str, Any] = {}
    declared: set[str] = set()
    for key, (key_node, value) in root.entries.items():
        if key.startswith("_"):
            continue  # private: e.g. anchors shared by several items
        if not _key_ok(key, spec):
            shape = "`<country>/<district>`, e.g. `pk/dera-ghazi-khan`" if spec.key_type == "district-key" \
                else "a slug: lower-case letters a-z, digits and single hyphens"
            cx.error("registry-key", f"`{key}` cannot be a key of the {spec.name} registry: write {shape}",
                     key_node)
            continue
        declared.add(key)
        # Each item gets its own sink so that an item with any error is left
        # out whole, as entries are, rather than kept with a value missing.
        item_cx = Context(path=cx.path, sink=DiagnosticSink(), settings=cx.settings)
        values = read_shape(value, spec.item, key, item_cx)
        item = _build_item(spec, key, values, value, item_cx) if values is not None else None
        cx.sink.extend(item_cx.sink.items)
        if item is not None and not item_cx.sink.has_errors:
            built[key] = item
    return built, frozenset(declared)


def _key_ok(key: str, spec: RegistrySpec) -> bool:
    if spec.key_type == "district-key":
        return _DISTRICT_KEY_RE.match(key) is not None and len(key) <= 3 + schema.SLUG_MAX
    return len(key) <= schema.SLUG_MAX and _SLUG_RE.match(key) is not None


def _build_item(spec: RegistrySpec, key: str, values: Mapping[str, Any], node: Node,
                cx: Context) -> Any:
    """The typed registry item, or None when a required value was not usable."""
    if any(f.required and f.name not in values for f in spec.item.fields):
        return None
    if spec.name == "crafts":
        return Craft(key, values["name"], values["description"])
    if spec.name == "programs":
        return Program(key, values["name"], values["url"].unparse(), values["description"])
    if spec.name == "districts":
        return District(key, values["name"], values["province"])
    return _build_marketplace(key, values, node, cx)


def _build_marketplace(key: str, values: Mapping[str, Any], node: Node,
                       cx: Context) -> Marketplace | None:
    hosts: tuple[str, ...] = values["hosts"]
    ok = True
    assert isinstance(node, Map)
    for template_key in ("product_url", "cart_url"):
        template = values.get(template_key)
        if template is None:
            continue
        url, _ = parse_https_url(template.replace("{id}", "ID"))
        if url is not None and not host_allowed(url.host, hosts):
            cx.error("registry-url", f"`{key}.{template_key}` points to `{url.host}`, which is not one of "
                     f"the marketplace's `hosts` ({', '.join(hosts)})", node.get(template_key) or node)
            ok = False
    if "id_pattern" in values and "product_url" not in values:
        cx.error("registry-url", f"`{key}` has an `id_pattern` but no `product_url`, so its ids could "
                 "not become links", node.get("id_pattern") or node,
                 "add `product_url: https://.../{id}` or remove `id_pattern`")
        ok = False
    if not ok:
        return None
    return Marketplace(
        key=key,
        name=values["name"],
        hosts=hosts,
        id_pattern=values.get("id_pattern"),
        product_url=values.get("product_url"),
        cart_url=values.get("cart_url"),
        params=values.get("params", ()),
        disclosure=values.get("disclosure"),
        id_description=values.get("id_description"),
    )
