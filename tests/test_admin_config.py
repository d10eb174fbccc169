"""The web editor's configuration (/admin/config.yml) and the "Edit this page" links."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from karigar.config import Settings
from karigar.hosting.netlify_headers import deploy_header_rules, headers_for
from karigar.model import schema
from karigar.pipeline import check_site
from karigar.render.admin import ADMIN_OUTPUTS, catalog_districts, config_yaml, editor_config
from karigar.render.admin.policy import ADMIN_POLICY
from karigar.render.edit_links import edit_links
from tests.conftest import NOW, REPO, SiteFactory, build, settings_for


@pytest.fixture(scope="module")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    out = tmp_path_factory.mktemp("admin-settings")
    return settings_for(REPO / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache",
                        editor_repo="karigar-org/catalog", editor_branch="main")


def test_an_artisan_product_and_training_resource_open_in_the_editor_and_on_the_git_host(sample_settings: Settings) -> None:
    base = sample_settings.base_path
    assert edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/index.md") == (
        f"{base}admin/#/collections/artisans-pk/entries/thatta/shazia-bibi/index",
        "https://github.com/karigar-org/catalog/blob/main/artisans/pk/thatta/shazia-bibi/index.md")
    assert edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md")[0] == (
        f"{base}admin/#/collections/products-pk/entries/thatta/shazia-bibi/products/ralli-quilt")
    # A translation file opens its entry (the editor shows every language side by side).
    editor, plain = edit_links(sample_settings, "artisans/pk/thatta/shazia-bibi/index.ur.md")
    assert editor == f"{base}admin/#/collections/artisans-pk/entries/thatta/shazia-bibi/index"
    assert plain is not None and plain.endswith("/shazia-bibi/index.ur.md")
    assert edit_links(sample_settings, "content/training/x.md") == (
        f"{base}admin/#/collections/training/entries/x",
        "https://github.com/karigar-org/catalog/blob/main/content/training/x.md")


def test_no_repository_means_no_links_and_a_scope_limits_the_editor_not_the_file_link(sample_settings: Settings) -> None:
    import dataclasses

    assert edit_links(dataclasses.replace(sample_settings, editor_repo=""),
                      "artisans/pk/thatta/shazia-bibi/index.md") == (None, None)
    scoped = dataclasses.replace(sample_settings, editor_scope=("pk/thatta", "in"))
    base = scoped.base_path
    assert edit_links(scoped, "artisans/pk/thatta/shazia-bibi/index.md")[0] == (
        f"{base}admin/#/collections/artisans-pk-thatta/entries/shazia-bibi/index")
    assert edit_links(scoped, "artisans/in/kutch/x/products/y.md")[0] == (
        f"{base}admin/#/collections/products-in/entries/kutch/x/products/y")
    editor, plain = edit_links(scoped, "artisans/pk/lahore/someone/index.md")
    assert editor is None and plain is not None, "outside the scope: the file on the Git host only"
    assert edit_links(scoped, "content/about.md")[0] is None


# --- the configuration: generated, valid for Sveltia, and never behind the schema or the registries ------

SVELTIA_SCHEMA = REPO / "node_modules" / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"


def published_config(site: Path) -> dict[str, Any]:
    return yaml.safe_load((site / "admin" / "config.yml").read_text("utf-8"))


def fresh_config(settings: Settings) -> bytes:
    """The configuration generated now from the engine's schema and the site's registries and catalog."""
    check = check_site(settings, now=NOW)
    assert check.ok and check.catalog is not None
    return config_yaml(editor_config(settings, check.catalog.registries, catalog_districts(check.catalog)))


def test_the_published_config_is_the_one_the_schema_and_registries_make_now(sample_site: Path) -> None:
    settings = settings_for(REPO / "mkdocs.yml")
    assert settings.editor_repo, "the sample publishes its editor"
    assert (sample_site / "admin" / "config.yml").read_bytes() == fresh_config(settings)


def test_the_config_is_valid_for_the_pinned_sveltia(sample_site: Path) -> None:
    """Sveltia's own JSON Schema for its configuration, from the pinned package."""
    schema = json.loads(SVELTIA_SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(published_config(sample_site))]
    assert errors == []


def test_the_config_follows_the_contract(sample_site: Path) -> None:
    config = published_config(sample_site)
    assert config["backend"].items() >= {"name": "github", "repo": "karigar/karigar", "branch": "main",
                                         "open_authoring": True}.items()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["en", "ur", "hi"], "default_locale": "en",
                              "omit_default_locale_from_file_path": True, "initial_locales": "all"}
    collections = {c["name"]: c for c in config["collections"]}
    assert {"artisans-pk", "products-pk", "artisans-in", "products-in", "training"} == set(collections)
    artisans, products = collections["artisans-pk"], collections["products-pk"]
    assert (artisans["folder"], artisans["path"]) == ("artisans/pk", "{{fields.location.district}}/{{slug}}/index")
    assert products["path"] == "{{fields._district}}/{{fields._artisan}}/products/{{slug}}"
    fields = {f["name"]: f for f in artisans["fields"]}
    # Required fields, translatable ones (only what a translation file may hold), patterns, help.
    assert fields["name"]["required"] == ["en"] and fields["name"]["i18n"] is True
    assert fields["crafts"]["required"] is True and fields["crafts"]["i18n"] is False and fields["crafts"]["min"] == 1
    assert {o["value"] for o in fields["crafts"]["options"]} == set(yaml.safe_load(
        (REPO / "artisans/_registry/crafts.yml").read_text("utf-8")))
    assert fields["languages"]["field"]["pattern"][0] == schema.LANGUAGE_PATTERN
    assert fields["consent"]["required"] is True
    assert {f["name"] for f in fields["consent"]["fields"]} == {"given", "recorded_by"}
    assert fields["added"]["default"] == "{{now}}"
    assert fields["kind"]["options"] == list(schema.ARTISAN_KINDS)
    assert all(f.get("hint") for f in fields.values())
    translated = {f["name"] for c in (artisans, products) for f in c["fields"] if f.get("i18n")}
    assert translated == {"name", "title", "materials", "dimensions", "body"}


def test_no_cdn_at_run_time(sample_site: Path) -> None:
    """The copied bundle names no CDN for what it loads on every visit: fonts and its version check."""
    published = sorted(p.relative_to(sample_site).as_posix() for p in (sample_site / "admin").rglob("*") if p.is_file())
    assert published == sorted(ADMIN_OUTPUTS)
    bundle = (sample_site / "admin" / "sveltia-cms.js").read_bytes()
    assert b"cdn.jsdelivr.net/fontsource" not in bundle and b"/package.json`" not in bundle.replace(
        b"=`package.json`", b"")
    assert json.loads((sample_site / "admin" / "package.json").read_text("utf-8"))["version"] == json.loads(
        (REPO / "package.json").read_text("utf-8"))["devDependencies"]["@sveltia/cms"]
    for font in ("material-symbols-outlined-latin-wght-normal.woff2", "source-sans-3-latin-wght-normal.woff2",
                 "noto-mono-latin-400-normal.woff2"):
        assert (sample_site / "admin" / "fonts" / font).read_bytes()[:4] == b"wOF2"
    page = (sample_site / "admin" / "index.html").read_text("utf-8")
    assert '<script src="clean-photos.js"></script>\n<script src="sveltia-cms.js"></script>' in page
    assert "<script>" not in page and "style=" not in page


def editor_site(make_site: SiteFactory, files: dict[str, str | None]) -> Path:
    """An inline site with the editor: the repository's package.json and its installed node_modules."""
    root = make_site(files)
    assert settings_for(root / "mkdocs.yml").editor_repo, "the sample's mkdocs.yml names the repository"
    shutil.copy(REPO / "package.json", root / "package.json")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


ARTISAN = """---
name: Drift Tester
crafts: [blue-pottery]
location: {district: Multan, province: Punjab}
consent: {given: 2025-01-01, recorded_by: tester}
---
"""


def test_the_config_follows_a_registry_or_schema_change_on_the_next_build(
        make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The drift test: change a craft, then a schema field; each next build rewrites config.yml to match."""
    root = editor_site(make_site, {"artisans/pk/multan/drift-tester/index.md": ARTISAN})
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    first = build(settings, run_mkdocs=False)
    assert first.ok, [str(d) for d in first.check.diagnostics]
    published = settings.site_dir / "admin" / "config.yml"
    assert published.read_bytes() == fresh_config(settings)

    crafts = root / "artisans/_registry/crafts.yml"
    crafts.write_text(crafts.read_text("utf-8") + "\nsmoke-glazing:\n  name: Smoke glazing\n"
                      "  description: Pots darkened in a smoky kiln.\n", "utf-8")
    assert b"smoke-glazing" not in published.read_bytes(), "not yet built"
    assert published.read_bytes() != fresh_config(settings), "the drift check sees a registry change"
    second = build(settings, run_mkdocs=False)
    assert second.report is not None and "admin/config.yml" in second.report.written
    assert b"value: smoke-glazing" in published.read_bytes()
    assert published.read_bytes() == fresh_config(settings)

    # A new optional field in the contract (the schema is the engine's: its change is a new engine).
    nickname = schema.Field("nickname", "text", "what neighbours call the artisan")
    monkeypatch.setattr(schema, "ARTISAN", dataclasses.replace(schema.ARTISAN, fields=(*schema.ARTISAN.fields, nickname)))
    assert b"name: nickname" not in published.read_bytes()
    assert published.read_bytes() != fresh_config(settings), "the drift check sees a schema change"
    third = build(settings, run_mkdocs=False)
    assert third.report is not None and "admin/config.yml" in third.report.written
    assert b"name: nickname" in published.read_bytes()
    assert published.read_bytes() == fresh_config(settings)
    # And an unchanged build leaves it alone.
    fourth = build(settings, run_mkdocs=False)
    assert fourth.report is not None and "admin/config.yml" not in fourth.report.written


def test_a_site_without_the_installed_editor_builds_and_says_how_to_install_it(
        make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site({"artisans/pk/multan/drift-tester/index.md": ARTISAN})
    shutil.copy(REPO / "package.json", root / "package.json")  # pinned, but `npm ci` never ran
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    result = build(settings, run_mkdocs=False)
    assert result.ok
    [warning] = [d for d in result.check.diagnostics if d.code == "editor-bundle"]
    assert "npm ci" in warning.message and warning.location.path == "package.json" and warning.location.line > 1
    assert not (settings.site_dir / "admin").exists()


# --- the headers: the editor's own policy, the strict one everywhere else -------------------------------

def test_admin_gets_its_own_policy_and_every_other_path_the_strict_one(sample_site: Path) -> None:
    rules = deploy_header_rules(sample_site, REPO / "netlify.toml")
    admin = headers_for(rules, "/admin/")
    assert admin["Content-Security-Policy"] == ADMIN_POLICY, "one policy: the strict one does not match /admin/"
    assert "'unsafe-inline'" not in admin["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]
    assert admin["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups", "the sign-in popup can answer"
    assert admin["X-Frame-Options"] == "DENY"
    strict = headers_for(rules, "/")["Content-Security-Policy"]
    assert "'sha256-" in strict and "api.github.com" not in strict
    # Every file the deploy serves (Netlify reads _headers, it does not serve it).
    published = [p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*")
                 if p.is_file() and not p.name.startswith("_")]
    for path in published:
        url = "/" + path
        sent = headers_for(rules, url)
        expected = ADMIN_POLICY if path.startswith("admin/") else strict
        assert sent.get("Content-Security-Policy") == expected, url
        if not path.startswith("admin/"):
            assert sent["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_the_dev_server_serves_the_editor(tmp_path: Path) -> None:
    """`karigar serve` plans the editor's outputs like any page: /admin/ works on localhost, where the
    editor's local workflow edits the checkout itself."""
    import io

    from karigar.serve.devserver import DevServer
    from tests.test_serve import WAIT, fetch, make_site, read_settings

    config = make_site(tmp_path)
    shutil.copy(REPO / "package.json", tmp_path / "package.json")
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    server = DevServer(read_settings(config), NOW, host="127.0.0.1", port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_change(0, WAIT) >= 1, "the first build did not finish"
        status, headers, body = fetch(server, "/admin/config.yml")
        assert status == 200 and "backend:" in body and "artisans-pk" in body
        status, headers, body = fetch(server, "/admin/")
        assert status == 200 and 'src="sveltia-cms.js"' in body
        status, headers, _ = fetch(server, "/admin/sveltia-cms.js")
        assert status == 200 and "javascript" in headers["content-type"]
    finally:
        server.stop()
