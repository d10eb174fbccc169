"""Registries: validated like entries, with located diagnostics for every problem."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from karigar.diagnostics import Diagnostic, DiagnosticSink, Location
from karigar.load.entries import LoadedSite, RawRegistry
from karigar.load.yamlsrc import parse_yaml
from karigar.model import ValidatedRegistries, ValidationSettings, schema, validate_registries
from karigar.model.registries import lookups_for
from karigar.model.types import Registries

SETTINGS = ValidationSettings(
    languages=("en", "ur"), now=dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
)

CRAFTS = """\
blue-pottery: {name: Blue pottery, description: Glazed quartz pottery.}
ralli-quilting:
  name: {en: Ralli quilting, ur: رلی}
  description: Patchwork quilts.
_notes: private, ignored
"""
MARKETPLACES = """\
amazon:
  name: Amazon
  hosts: [www.amazon.com]
  id_pattern: "^B0[0-9A-Z]{8}$"
  id_description: an ASIN like B0XXXXXXXX
  product_url: "https://www.amazon.com/dp/{id}"
  cart_url: "https://www.amazon.com/gp/aws/cart/add.html?ASIN.1={id}&Quantity.1=1"
  params: {tag: karigar-20}
etsy: {name: Etsy, hosts: [www.etsy.com]}
daraz: {name: Daraz, hosts: [.daraz.pk]}
"""
PROGRAMS = """\
smeda: {name: SMEDA, url: "https://smeda.org/", description: SME support.}
"""
DISTRICTS = """\
pk/thatta: {name: {en: Thatta, ur: ٹھٹہ}, province: {en: Sindh, ur: سندھ}}
"""


def _registry(name: str, text: str) -> RawRegistry:
    path = f"artisans/_registry/{name}.yml"
    sink = DiagnosticSink()
    root = parse_yaml(text, path=path, sink=sink)
    assert not sink.items, [str(d.location) + " " + d.message for d in sink.items]
    return RawRegistry(name, path, "digest", root)


def load(**texts: str) -> LoadedSite:
    """A LoadedSite holding the given registry files (name -> YAML text)."""
    site = LoadedSite()
    for name, text in texts.items():
        site.registries[name] = _registry(name, textwrap.dedent(text))
    return site


def found(sink: DiagnosticSink) -> list[tuple[str, str, int, int]]:
    return [(d.severity.value, d.code, d.location.line, d.location.col) for d in sink.items]


def only(sink: DiagnosticSink, code: str) -> Diagnostic:
    matches = [d for d in sink.items if d.code == code]
    assert len(matches) == 1, found(sink)
    return matches[0]


def test_valid_registries_build_typed_items() -> None:
    sink = DiagnosticSink()
    regs = validate_registries(
        load(crafts=CRAFTS, marketplaces=MARKETPLACES, programs=PROGRAMS, districts=DISTRICTS),
        settings=SETTINGS, sink=sink,
    )
    assert sink.items == []
    assert isinstance(regs, ValidatedRegistries)
    assert sorted(regs.crafts) == ["blue-pottery", "ralli-quilting"]
    assert regs.crafts["ralli-quilting"].name.get("ur") == "رلی"
    amazon = regs.marketplaces["amazon"]
    assert amazon.hosts == ("www.amazon.com",)
    assert amazon.params == (("tag", "karigar-20"),)
    assert amazon.product_url == "https://www.amazon.com/dp/{id}"
    assert str(amazon.id_description) == "an ASIN like B0XXXXXXXX"
    assert regs.marketplaces["etsy"].id_pattern is None
    assert regs.programs["smeda"].url == "https://smeda.org/"
    district = regs.districts["pk/thatta"]
    assert district.name.get("ur") == "ٹھٹہ" and district.province.default == "Sindh"
    assert regs.link_hosts() == frozenset({"www.amazon.com", "www.etsy.com", ".daraz.pk", "smeda.org"})


@pytest.mark.unlocated("registry-missing", reason="the file does not exist, so there is no line to point at")
def test_missing_required_registry_files_are_one_error_each() -> None:
    sink = DiagnosticSink()
    regs = validate_registries(load(crafts=CRAFTS), settings=SETTINGS, sink=sink)
    assert found(sink) == [
        ("error", "registry-missing", 0, 0),
        ("error", "registry-missing", 0, 0),
    ]
    assert [d.location.path for d in sink.items] == [
        "artisans/_registry/marketplaces.yml",
        "artisans/_registry/programs.yml",
    ]
    # A missing registry is not checked again at every reference to it.
    assert "marketplaces" not in lookups_for(regs).keys
    assert "crafts" in lookups_for(regs).keys


def test_registry_problems_are_located() -> None:
    marketplaces = """\
    amazon:
      name: Amazon
      hosts: [www.amazon.com, "Bad Host"]
      id_pattern: "^B0[0-9A-Z{8}$"
      product_url: "https://www.amazon.com/dp/"
    etsy:
      name: Etsy
      host: [www.etsy.com]
    Daraz_PK: {name: Daraz, hosts: [.daraz.pk]}
    shop:
      name: Shop
      hosts: [www.shop.example]
      product_url: "https://evil.example/{id}"
    """
    programs = """\
    smeda: {name: SMEDA, url: "http://smeda.org/", description: SME support.}
    """
    sink = DiagnosticSink()
    regs = validate_registries(
        load(crafts=CRAFTS, marketplaces=marketplaces, programs=programs), settings=SETTINGS, sink=sink
    )
    assert found(sink) == [
        ("error", "registry-host", 3, 27),
        ("error", "registry-pattern", 4, 15),
        ("error", "registry-url", 5, 16),
        ("error", "unknown-key", 8, 3),
        ("error", "missing-field", 7, 3),
        ("error", "registry-key", 9, 1),
        ("error", "registry-url", 13, 16),
        ("error", "url", 1, 27),
    ]
    assert "did you mean `hosts`" in only(sink, "unknown-key").message
    assert "`hosts` is missing in `etsy`" in only(sink, "missing-field").message
    assert "`evil.example`" in sink.items[6].message
    assert "`http:` scheme" in sink.items[7].message
    assert regs.marketplaces == {}
    # Keys written in a registry stay known even when their item failed,
    # so references to them are not reported a second time.
    assert lookups_for(regs).keys["marketplaces"] == frozenset({"amazon", "etsy", "shop"})


def test_district_keys_and_params_as_text() -> None:
    districts = """\
    pk/thatta: {name: Thatta, province: Sindh}
    thatta: {name: Thatta, province: Sindh}
    """
    marketplaces = """\
    amazon:
      name: Amazon
      hosts: [www.amazon.com]
      params: {tag: 123, ref: "x y"}
    """
    sink = DiagnosticSink()
    regs = validate_registries(
        load(crafts=CRAFTS, marketplaces=marketplaces, programs=PROGRAMS, districts=districts),
        settings=SETTINGS, sink=sink,
    )
    assert found(sink) == [("error", "registry-key", 2, 1)]
    assert "`<country>/<district>`" in sink.items[0].message
    assert regs.marketplaces["amazon"].params == (("tag", "123"), ("ref", "x y"))


def test_registry_root_must_be_a_mapping() -> None:
    sink = DiagnosticSink()
    validate_registries(
        load(crafts="- blue-pottery\n", marketplaces=MARKETPLACES, programs=PROGRAMS),
        settings=SETTINGS, sink=sink,
    )
    assert found(sink) == [("error", "map", 1, 1)]
    assert sink.items[0].location == Location("artisans/_registry/crafts.yml", 1, 1)


@pytest.mark.parametrize("template", ["https://www.amazon.com/dp/", "https://www.amazon.com/{id}/{x}"])
def test_url_templates_need_exactly_one_id(template: str) -> None:
    text = f'amazon: {{name: A, hosts: [www.amazon.com], product_url: "{template}"}}\n'
    sink = DiagnosticSink()
    validate_registries(load(crafts=CRAFTS, marketplaces=text, programs=PROGRAMS), settings=SETTINGS, sink=sink)
    assert [d.code for d in sink.items] == ["registry-url"]


def test_plain_registries_get_lookups_on_the_fly() -> None:
    lookups = lookups_for(Registries())
    assert lookups.keys["crafts"] == frozenset()
    assert lookups.link_hosts == frozenset()


GOOD_ITEMS = {
    "crafts": ("c", {"name": "N", "description": "D"}),
    "marketplaces": ("m", {"name": "N", "hosts": "[www.x.example]"}),
    "programs": ("p", {"name": "N", "url": "https://x.example/", "description": "D"}),
    "districts": ("pk/d", {"name": "N", "province": "P"}),
}


@pytest.mark.parametrize("value", ["", "[]", "{}", "[[1]]", "{a: {b: c}}", "0", ".nan", "true", "[null]",
                                   "'^('", "'https://x.example/{id}{id}'", "{tag: [x]}", "[.Bad, '']"])
def test_an_odd_registry_value_is_accepted_or_refused_on_its_own_line(value: str) -> None:
    """No traceback, and a maintainer is sent to the line of the odd value, never elsewhere."""
    for spec in schema.REGISTRIES:
        for fld in spec.item.fields:
            texts = {}
            for name, (key, item) in GOOD_ITEMS.items():
                if name == spec.name:
                    item = {**item, fld.name: value}
                texts[name] = f"{key}:\n" + "".join(f"  {k}: {v}\n" for k, v in item.items())
            sink = DiagnosticSink()
            regs = validate_registries(load(**texts), settings=SETTINGS, sink=sink)
            key = GOOD_ITEMS[spec.name][0]
            errors = [d for d in sink.items if d.is_error]
            if not errors:
                assert key in getattr(regs, spec.name), (spec.name, fld.name, value)
                continue
            value_line = next(i for i, line in enumerate(texts[spec.name].splitlines(), 1)
                              if line.strip().startswith(f"{fld.name}:"))
            assert any(d.location.path == f"artisans/_registry/{spec.name}.yml" and d.location.line == value_line
                       for d in errors), (spec.name, fld.name, value, found(sink))
