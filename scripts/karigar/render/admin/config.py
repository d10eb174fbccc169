"""Sveltia CMS's ``config.yml``, generated from the content contract as the engine holds it.

One source of truth: every field the editor shows comes from
:data:`karigar.model.schema.ENTRY_SHAPES` (its type, required-ness, allowed
values, pattern and help text), every select's options from the registries
(crafts, marketplaces, programmes), and which fields a translation file may
hold from the schema's translation shapes.  A field added to the schema, or a
craft added to the registry, is in the next build's configuration; the tests
compare the published file with a fresh generation.

How the contract's layout maps onto Sveltia (its documentation and source
were read for each point; see content/maintainers/web-editor.md):

* i18n ``multiple_files`` with ``omit_default_locale_from_file_path``: the
  default language is ``index.md``, the others ``index.<lang>.md`` beside it;
  a field is translatable exactly when the schema's translation shape holds it.
* fixed-depth ``path`` templates (Sveltia matches each ``{{...}}`` as one path
  segment): artisans at ``<district>/<slug>/index`` under their country's
  folder, products at ``<district>/<artisan>/products/<slug>``; a product
  records its artisan's folder in the private keys ``_district`` and
  ``_artisan`` (keys starting with ``_`` are notes the validator ignores),
  since a template can only name the entry's own fields.
* entry-relative media folders: a photo goes to the artisan's own
  ``photos/`` and is written as ``photos/<file>``, as the contract asks.
* one collection of artisans and one of products per editor unit (a country,
  or what ``editor_scope`` names: :mod:`karigar.render.edit_links`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from karigar.model import schema
from karigar.model.schema import Field, Shape
from karigar.model.types import LocalizedText, Registries
from karigar.render.edit_links import (
    TRAINING_COLLECTION, artisans_collection, editor_units, products_collection,
)
from karigar.settings import Settings

__all__ = ["editor_config", "config_yaml", "MARKDOWN_BUTTONS", "TRANSLATABLE"]

# What entry Markdown may hold (contract: paragraphs, ##-#### headings, emphasis, strong, lists,
# blockquotes, inline code, links): the rich-text editor offers nothing else, and no component
# (raw HTML, images from anywhere, code blocks) is offered at all.
MARKDOWN_BUTTONS = ("bold", "italic", "code", "link", "heading-two", "heading-three", "heading-four",
                    "quote", "bulleted-list", "numbered-list")

# Fields a translation file holds, per entry kind: the translation shapes' fields.  Training
# resources are MkDocs pages: a translation holds its title and body.
TRANSLATABLE: Mapping[str, frozenset[str]] = {
    "artisan": frozenset(f.name for f in schema.ARTISAN_TRANSLATION.fields),
    "product": frozenset(f.name for f in schema.PRODUCT_TRANSLATION.fields),
    "training": frozenset({"title"}),
}

_BODY_LABELS = {"artisan": "Story", "product": "Description", "training": "What it covers"}


_ACRONYMS = {"id": "ID", "url": "URL"}


def _label(name: str) -> str:
    return _ACRONYMS.get(name) or name.replace("_", " ").capitalize()


def _name(text: LocalizedText) -> str:
    return text.default


def _hint(field: Field) -> str:
    """The schema's help, plus the conditions the editor cannot enforce itself (`karigar check` does)."""
    hint = field.help[:1].upper() + field.help[1:]
    if field.unless is not None and field.required and "unless" not in hint:
        hint += f" (required unless `{field.unless.field}` is {', '.join(map(str, field.unless.values))})"
    if field.when is not None:
        hint += f" (required when `{field.when.field}` is {', '.join(map(str, field.when.values))})"
    return hint


def _pattern(type_name: str) -> list[str] | None:
    found = schema.TYPE_PATTERNS.get(type_name)
    return [found, f"must match {found}"] if found else None


class _Fields:
    """Schema fields -> Sveltia fields, with the registries' keys as select options."""

    def __init__(self, registries: Registries, default_lang: str) -> None:
        self.default_lang = default_lang
        self.options: dict[str, list[dict[str, str]]] = {
            "crafts": [{"label": f"{_name(c.name)} ({key})", "value": key} for key, c in registries.crafts.items()],
            "marketplaces": [{"label": _name(m.name), "value": key} for key, m in registries.marketplaces.items()],
            "programs": [{"label": _name(p.name), "value": key} for key, p in registries.programs.items()],
        }

    def shape(self, shape: Shape, translatable: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        fields = [self.field(f, translatable) for f in shape.fields]
        if shape is schema.IMAGE:
            # The photo itself: uploaded into the entry's media folder (the artisan's photos/).
            fields[0].update(widget="image", choose_url=False)
            fields[0].pop("type", None)
        return fields

    def field(self, field: Field, translatable: frozenset[str] = frozenset()) -> dict[str, Any]:
        out: dict[str, Any] = {"name": field.name, "label": _label(field.name), "hint": _hint(field)}
        translated = field.name in translatable
        # A translation may be missing: only the default language's value is required.
        out["required"] = [self.default_lang] if (field.required and translated) else field.required
        out["i18n"] = translated
        if field.many and field.type in ("image", "listing", "map"):
            assert field.shape is not None
            out.update(widget="list", fields=self.shape(field.shape))
            if field.min_items:
                out["min"] = field.min_items
            return out
        if field.many and field.type != "key":
            # A list of single values (materials, languages, topics): one field for every item.
            item = self._single(field, {"name": field.name, "label": _label(field.name)})
            out.update(widget="list", field=item)
            if field.min_items:
                out["min"] = field.min_items
            return out
        return self._single(field, out)

    def _single(self, field: Field, out: dict[str, Any]) -> dict[str, Any]:
        kind = field.type
        if kind in ("text", "string", "handle", "id"):
            out["widget"] = "string"
            if kind == "handle":
                out["maxlength"] = schema.HANDLE_MAX
        elif kind in ("slug", "language", "currency"):
            out["widget"] = "string"
            out["pattern"] = _pattern(kind)
        elif kind == "url":
            out.update(widget="string", type="url", pattern=["^https://", "must be an https:// address"])
        elif kind == "bool":
            out.update(widget="boolean", required=False, default=bool(field.default))
        elif kind in ("int", "year"):
            out.update(widget="number", value_type="int")
            minimum = schema.YEAR_MIN if kind == "year" else field.minimum
            if minimum is not None:
                out["min"] = minimum
        elif kind == "amount":
            out.update(widget="number", value_type="float", min=0.01, step=0.01)
        elif kind == "date":
            out.update(widget="datetime", type="date", format="YYYY-MM-DD", time_format=False)
            if field.name == "added":
                out["default"] = "{{now}}"  # the day the entry is made in the editor
        elif kind == "datetime":
            # ISO 8601 with the offset of the editor's own time zone: 2026-12-14T15:00:00+05:00.
            out.update(widget="datetime", format="YYYY-MM-DDTHH:mm:ssZ")
        elif kind == "enum":
            out.update(widget="select", options=list(field.choices))
            if field.default is not None:
                out["default"] = field.default
        elif kind == "key":
            # Always a drop-down list: registries grow, and a list keeps a phone's screen short.
            out.update(widget="select", options=self.options[field.registry], multiple=field.many,
                       dropdown_threshold=0)
            if field.many and field.min_items:
                out["min"] = field.min_items
        elif kind == "image":
            out.update(widget="object", fields=self.shape(schema.IMAGE))
        elif kind in ("listing", "map"):
            assert field.shape is not None
            out.update(widget="object", fields=self.shape(field.shape))
        else:  # registry-only types (hosts, patterns, URL templates, params) are no entry field
            raise ValueError(f"no editor widget for the field type {kind!r} ({field.name})")
        return out


def _markdown_body(kind: str) -> dict[str, Any]:
    return {"name": "body", "label": _BODY_LABELS[kind], "widget": "markdown", "required": False, "i18n": True,
            "buttons": list(MARKDOWN_BUTTONS), "editor_components": [], "modes": ["rich_text", "raw"],
            "hint": "Markdown: paragraphs, headings, emphasis, lists, quotes and links to marketplaces and "
                    "programmes; no raw HTML"}


def _summary(default_lang: str, name: str, detail: str = "") -> str:
    """An entry's line in a list: its name (a hand-written `{en: ..., ur: ...}` map shows its default
    language's), then ``detail`` in brackets."""
    shown = f"{{{{{name} | default('{{{{{name}.{default_lang}}}}}')}}}}"
    return f"{shown} ({{{{{detail}}}}})" if detail else shown


def _unit_label(unit: str, district_names: Mapping[str, str]) -> str:
    return district_names.get(unit, unit.upper()) if "/" in unit else unit.upper()


def _artisans(fields: _Fields, folder: str, unit: str, label: str) -> dict[str, Any]:
    by_district = "/" not in unit
    entry_fields = fields.shape(schema.ARTISAN, TRANSLATABLE["artisan"])
    return {
        "name": artisans_collection(unit), "label": f"Artisans: {label}", "label_singular": "Artisan",
        "description": schema.ARTISAN.help,
        "folder": f"{folder}/{unit}",
        # Each `{{...}}` is one folder; the district's is its name slugified, as the contract makes it.
        "path": "{{fields.location.district}}/{{slug}}/index" if by_district else "{{slug}}/index",
        "slug": "{{fields.name}}", "identifier_field": "name", "summary": _summary(fields.default_lang, "name", "location.district"),
        "sortable_fields": ["name"], "create": True, "format": "yaml-frontmatter", "extension": "md",
        "media_folder": "photos", "public_folder": "photos", "i18n": True,
        "fields": [*entry_fields, _markdown_body("artisan")],
    }


def _products(fields: _Fields, folder: str, unit: str, label: str,
              districts: Sequence[tuple[str, str]]) -> dict[str, Any]:
    by_district = "/" not in unit
    place: list[dict[str, Any]] = []
    if by_district:
        place.append({"name": "_district", "label": "District folder", "widget": "select", "i18n": False,
                      "options": [{"label": name, "value": slug} for slug, name in districts],
                      "hint": "The district folder of the product's artisan (a private note, never published)"})
    place.append({"name": "_artisan", "label": "Artisan", "widget": "relation", "i18n": False,
                  "collection": artisans_collection(unit), "value_field": "{{slug}}",
                  "search_fields": ["name"], "display_fields": ["name", "location.district"],
                  "hint": "Whose product this is: it is saved in that artisan's folder (a private note, "
                          "never published)"})
    return {
        "name": products_collection(unit), "label": f"Products: {label}", "label_singular": "Product",
        "description": schema.PRODUCT.help,
        "folder": f"{folder}/{unit}",
        "path": ("{{fields._district}}/" if by_district else "") + "{{fields._artisan}}/products/{{slug}}",
        "slug": "{{fields.title}}", "identifier_field": "title", "summary": _summary(fields.default_lang, "title"),
        "sortable_fields": ["title"], "create": True, "format": "yaml-frontmatter", "extension": "md",
        # The artisan's photos/ folder; written `photos/<file>`, relative to the artisan's folder.  Sveltia
        # resolves an entry-relative folder against the entry's path without its extension when the path
        # ends in `{{slug}}` (`.../products/<slug>`), hence two levels up to the artisan's folder.
        "media_folder": "../../photos", "public_folder": "photos", "i18n": True,
        "fields": [*place, *fields.shape(schema.PRODUCT, TRANSLATABLE["product"]), _markdown_body("product")],
    }


def _training(fields: _Fields, docs: str) -> dict[str, Any]:
    return {
        "name": TRAINING_COLLECTION, "label": "Training resources", "label_singular": "Training resource",
        "description": schema.TRAINING.help,
        "folder": f"{docs}/training", "path": "{{slug}}", "slug": "{{fields.title}}", "identifier_field": "title",
        "summary": _summary(fields.default_lang, "title", "kind"), "sortable_fields": ["title"], "create": True,
        "format": "yaml-frontmatter", "extension": "md", "i18n": True,
        "fields": [*fields.shape(schema.TRAINING, TRANSLATABLE["training"]), _markdown_body("training")],
    }


def editor_config(settings: Settings, registries: Registries,
                  districts: Mapping[str, Sequence[tuple[str, str]]]) -> dict[str, Any]:
    """The editor's configuration as data (see :func:`config_yaml` for the file).

    ``districts`` maps each country of the catalog to its districts as
    (folder slug, shown name), the catalog's and the districts registry's.
    """
    fields = _Fields(registries, settings.default_language)
    catalog = settings.relative(settings.catalog_dir)
    docs = settings.relative(settings.docs_dir)
    district_names = {key: _name(d.name) for key, d in registries.districts.items()}
    collections: list[dict[str, Any]] = []
    for unit in editor_units(settings, tuple(districts)):
        country = unit.partition("/")[0]
        label = _unit_label(unit, district_names)
        collections.append(_artisans(fields, catalog, unit, label))
        collections.append(_products(fields, catalog, unit, label, districts.get(country, ())))
    collections.append(_training(fields, docs))
    backend: dict[str, Any] = {
        "name": "github", "repo": settings.editor_repo, "branch": settings.editor_branch,
        # Volunteers without write access propose from a fork; on a public repository that needs
        # only the public_repo scope.
        "open_authoring": True, "auth_scope": "public_repo",
        "commit_messages": {
            "create": "Add {{collection}} “{{slug}}” (web editor)",
            "update": "Update {{collection}} “{{slug}}” (web editor)",
            "delete": "Delete {{collection}} “{{slug}}” (web editor)",
            "uploadMedia": "Upload “{{path}}” (web editor)",
            "deleteMedia": "Delete “{{path}}” (web editor)",
            "openAuthoring": "{{message}}",
        },
    }
    if settings.editor_auth_url:
        backend["base_url"] = settings.editor_auth_url  # else Netlify's GitHub OAuth provider
    return {
        "app_title": f"{settings.site_name} editor",
        "backend": backend,
        # Every save is a pull request: `karigar check` and the deploy preview run on it.
        "publish_mode": "editorial_workflow",
        "site_url": settings.site_url,
        # Uploads go to each entry's own folder (collections' media_folder); this is the required
        # global fallback, which no collection uses.
        "media_folder": f"{catalog}/_uploads",
        "public_folder": f"/{catalog}/_uploads",
        "media_libraries": {
            "default": {"config": {"max_file_size": settings.photo_max_bytes, "slugify_filename": True}},
            # No stock photo services: an artisan's photos are the artisan's, and nothing is fetched
            # from other hosts (the editor's CSP allows none of them).
            "stock_assets": {"providers": []},
        },
        # Slugs as the contract makes them: lower-case ASCII letters, digits and single hyphens, any other
        # character a hyphen.  Accents are not cleaned: the district's folder is made from the typed name by
        # this rule, and the check compares them by the contract's, which makes `Bahāwalnagar`
        # `bah-walnagar` (cleaned, Sveltia would write `bahawalnagar/`: a `district-folder` error).
        "slug": {"encoding": "ascii", "clean_accents": False, "sanitize_replacement": "-",
                 "maxlength": schema.SLUG_MAX},
        "i18n": {
            "structure": "multiple_files", "locales": list(settings.languages),
            "default_locale": settings.default_language, "omit_default_locale_from_file_path": True,
            # A new entry starts in the default language; "Enable Urdu" adds index.ur.md beside it.
            # (With every language on, Sveltia writes an empty file for each one left blank.)
            "initial_locales": "all",
        },
        # An optional field left empty is not written (an empty `photo:` would be an error).
        "output": {"omit_empty_optional_fields": True},
        "collections": collections,
    }


def config_yaml(config: Mapping[str, Any]) -> bytes:
    """``config.yml``'s bytes: a comment saying where it comes from, then the configuration."""
    head = ("# Generated by `karigar build` from the engine's schema (scripts/karigar/model/schema.py)\n"
            "# and the registries (artisans/_registry/): do not edit; change those and build.\n")
    body = yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True, width=100)
    return (head + body).encode("utf-8")
