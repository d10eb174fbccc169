"""Settings are declared once (karigar.settings.PLUGIN_OPTIONS): the MkDocs scheme and fingerprints follow.

The plugin's config scheme is built from the declarations, ``mkdocs.yml``
problems stay located, and each consumer's fingerprint hashes only what that
consumer reads: a new ``per_page`` must not discard validated entries.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import config_options as c

from karigar.config import load_settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.mkdocs_plugin import KarigarPluginConfig
from karigar.model.context import ValidationSettings
from karigar.settings import CONSUMERS, PLUGIN_OPTIONS, SITE_VALUES, PluginOption, Settings
from tests.conftest import REPO, write_site

# What the entry cache's results depend on (see ValidationSettings and karigar.load.loader).
VALIDATION_READS = {"languages", "media_hosts", "catalog_dir", "base_path"}
# Settings that change pages, photos or the catalog's layout but never a validated entry.
NOT_VALIDATION = ["per_page", "featured_limit", "upcoming_limit", "folder_cap", "native_digits", "photo_widths",
                  "photo_max_bytes", "photo_max_pixels", "image_cdn", "untranslated", "templates_dir", "data_licence",
                  "site_name", "site_description"]


@pytest.fixture(scope="module")
def sample() -> Settings:
    settings = load_settings(REPO / "mkdocs.yml", sink=DiagnosticSink())
    assert settings is not None
    return settings


def changed(settings: Settings, name: str) -> Settings:
    """``settings`` with ``name`` set to another valid value of the same type."""
    value = getattr(settings, name)
    new: Any
    if name == "site_url":
        new = value.replace("https://", "https://other.")  # another host, same path
    elif name == "image_cdn":
        new = "" if value == "netlify" else "netlify"
    elif isinstance(value, Path):
        new = value.parent / (value.name + "-moved")
    elif isinstance(value, bool):
        new = not value
    elif isinstance(value, int):
        new = value + 1
    elif isinstance(value, tuple):
        new = value + ((2048,) if value and isinstance(value[0], int) else ("ps",))
    else:
        new = value + "-changed"
    return dataclasses.replace(settings, **{name: new})


# --- the declarations ---------------------------------------------------------------


def test_every_option_declares_known_consumers_and_a_consistent_type() -> None:
    assert len({option.name for option in PLUGIN_OPTIONS}) == len(PLUGIN_OPTIONS)
    for option in PLUGIN_OPTIONS:
        assert option.reads, f"{option.name} declares no consumer"
        assert option.reads <= CONSUMERS.keys(), option.name
        assert (option.kind is list) == (option.item is not None), option.name
        assert not option.choices or (option.kind is str and option.default in option.choices), option.name
        hash(option.default)  # immutable: one declaration serves every build
    for name, reads in SITE_VALUES.items():
        assert reads and reads <= CONSUMERS.keys(), name


def test_every_option_is_a_settings_field_and_every_consumer_reads_something() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert {option.name for option in PLUGIN_OPTIONS} <= fields
    read = set().union(*(option.reads for option in PLUGIN_OPTIONS), *SITE_VALUES.values())
    assert read == set(CONSUMERS)


def test_the_plugin_scheme_is_exactly_the_declared_options_with_their_defaults() -> None:
    scheme = dict(KarigarPluginConfig._schema)
    assert list(scheme) == [option.name for option in PLUGIN_OPTIONS]
    for option in PLUGIN_OPTIONS:
        entry = scheme[option.name]
        expected = list(option.default) if option.kind is list else option.default
        assert entry.default == expected, option.name
        if option.choices:
            assert isinstance(entry, c.Choice) and tuple(entry.choices) == option.choices, option.name
        elif option.item is not None:
            assert isinstance(entry, c.ListOfItems) and isinstance(entry.option_type, c.Type), option.name
            assert entry.option_type._type is option.item, option.name
        else:
            assert isinstance(entry, c.Type) and entry._type is option.kind, option.name


def mkdocs_check(values: dict[str, Any]) -> tuple[list[str], list[str]]:
    """MkDocs' own check of the plugin's entry (what `karigar build` runs MkDocs with): failed, warned."""
    config = KarigarPluginConfig()
    config.load_dict(values)
    failed, warned = config.validate()
    return [name for name, _ in failed], [name for name, _ in warned]


def test_mkdocs_accepts_the_sample_settings_and_refuses_what_the_declarations_refuse() -> None:
    assert mkdocs_check({"languages": ["en", "ur"], "per_page": 50, "image_cdn": "auto"}) == ([], [])
    assert mkdocs_check({"per_page": "ten"})[0] == ["per_page"]
    assert mkdocs_check({"image_cdn": "cloud"})[0] == ["image_cdn"]
    assert mkdocs_check({"untranslated": "hide"})[0] == ["untranslated"]
    assert mkdocs_check({"photo_widths": [320, "big"]})[0] == ["photo_widths"]
    assert mkdocs_check({"pre_page": 10})[1] == ["pre_page"]  # MkDocs warns; Karigar's own check refuses


# --- located errors in mkdocs.yml -------------------------------------------------------


def config_errors(tmp_path: Path, plugin: str) -> tuple[list[Diagnostic], list[str]]:
    root = write_site(tmp_path, {}, registries=False, plugin=plugin)
    sink = DiagnosticSink()
    assert load_settings(root / "mkdocs.yml", sink=sink) is None
    return sink.errors, (root / "mkdocs.yml").read_text("utf-8").splitlines()


def position(lines: list[str], line_text: str, at: str) -> tuple[int, int]:
    """1-based line and column of ``at`` in the line of the file that holds ``line_text``."""
    for number, line in enumerate(lines, 1):
        if line_text in line:
            return number, line.index(at, line.index(line_text)) + 1
    raise AssertionError(f"{line_text!r} is not in mkdocs.yml")


@pytest.mark.parametrize(("option", "code", "at", "words"), [
    ("per_page: ten", "config-type", "ten", "`per_page` must be int"),
    ("per_page: 0", "config-type", "0", "`per_page` must be int"),
    ("native_digits: 1", "config-type", "1", "`native_digits` must be bool"),
    ("image_cdn: cloud", "config-type", "cloud", "one of none, netlify, auto"),
    ("untranslated: hide", "config-type", "hide", "one of render, omit"),
    ("media_hosts: cdn.example.org", "config-type", "cdn.example.org", "list of str"),
    ("photo_widths: [320, big]", "config-type", "big", "list of int"),
    ("photo_widths: [8]", "config-type", "[8]", "from 16 to 4096 px"),
    ("pre_page: 10", "config-unknown-key", "pre_page", "did you mean `per_page`"),
])
def test_a_bad_plugin_option_is_a_located_error(tmp_path: Path, option: str, code: str, at: str,
                                                words: str) -> None:
    errors, lines = config_errors(tmp_path, f"      {option}\n")
    assert [(d.code, d.location.path) for d in errors] == [(code, "mkdocs.yml")], [str(d) for d in errors]
    # At the value (or the unknown key) itself, not at the plugin's entry.
    assert (errors[0].location.line, errors[0].location.col) == position(lines, option, at)
    assert words in errors[0].message


def test_a_language_code_error_points_at_the_languages(tmp_path: Path) -> None:
    root = write_site(tmp_path, {}, registries=False)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      languages: [en]\n", "      languages: [en, English]\n"))
    sink = DiagnosticSink()
    assert load_settings(config, sink=sink) is None
    (error,) = sink.errors
    assert error.code == "config-language" and "`English`" in error.message
    lines = config.read_text("utf-8").splitlines()
    assert (error.location.line, error.location.col) == position(lines, "languages: [en, English]", "[")


# --- fingerprints ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NOT_VALIDATION)
def test_the_validation_fingerprint_ignores_what_validation_never_reads(sample: Settings, name: str) -> None:
    other = changed(sample, name)
    assert other.fingerprint_for("validation") == sample.fingerprint_for("validation")
    assert other.fingerprint() != sample.fingerprint()  # while the whole fingerprint does see it


def test_the_validation_fingerprint_ignores_the_site_host_but_not_its_path(sample: Settings) -> None:
    assert changed(sample, "site_url").fingerprint_for("validation") == sample.fingerprint_for("validation")
    moved = dataclasses.replace(sample, site_url=sample.site_url + "shop/")
    assert moved.fingerprint_for("validation") != sample.fingerprint_for("validation")  # photo URLs change


@pytest.mark.parametrize("name", sorted(VALIDATION_READS - {"base_path"}))
def test_the_validation_fingerprint_sees_what_validation_reads(sample: Settings, name: str) -> None:
    assert changed(sample, name).fingerprint_for("validation") != sample.fingerprint_for("validation")


def test_validation_reads_are_declared_as_validation_reads() -> None:
    declared = {o.name for o in PLUGIN_OPTIONS if "validation" in o.reads}
    declared |= {name for name, reads in SITE_VALUES.items() if "validation" in reads}
    assert declared == VALIDATION_READS
    # Each ValidationSettings field made from Settings comes from one of them: languages (and the
    # reserved slugs, which add the language codes), media hosts, and the photo URLs' base path.
    assert {f.name for f in dataclasses.fields(ValidationSettings)} == {
        "languages", "now", "media_hosts", "reserved_slugs", "photo_url"}


@pytest.mark.parametrize("option", PLUGIN_OPTIONS, ids=lambda option: option.name)
def test_each_fingerprint_changes_exactly_with_the_options_its_consumer_reads(sample: Settings,
                                                                              option: PluginOption) -> None:
    other = changed(sample, option.name)
    assert (other.fingerprint() != sample.fingerprint()) == (option.reads != {"state"})
    for consumer in CONSUMERS:
        same = other.fingerprint_for(consumer) == sample.fingerprint_for(consumer)
        assert same == (consumer not in option.reads), (option.name, consumer)


def test_moving_the_caches_changes_no_fingerprint_of_a_result(sample: Settings) -> None:
    # A fresh clone with its cache put back somewhere else (Netlify) reuses every result.
    moved = dataclasses.replace(sample, cache_dir=Path("/elsewhere/cache"))
    assert moved.fingerprint() == sample.fingerprint()
    for consumer in set(CONSUMERS) - {"state"}:
        assert moved.fingerprint_for(consumer) == sample.fingerprint_for(consumer), consumer


def test_fingerprints_are_stable_text_with_relative_paths(sample: Settings) -> None:
    text = sample.fingerprint()
    assert text == load_settings(REPO / "mkdocs.yml", sink=DiagnosticSink()).fingerprint()  # type: ignore[union-attr]
    assert str(REPO) not in text  # a clone elsewhere on disk keeps its caches
    assert "catalog_dir=artisans" in sample.fingerprint_for("validation")


def test_an_unknown_consumer_is_refused(sample: Settings) -> None:
    with pytest.raises(ValueError, match="unknown settings consumer"):
        sample.fingerprint_for("valdation")
