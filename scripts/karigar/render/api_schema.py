"""JSON Schemas (2020-12) and the OpenAPI 3.1 description of the content API, from its own types.

Nothing here is written by hand per field: every schema is read off the
dataclasses of :mod:`karigar.render.api_types` (their type hints, docstrings
and field descriptions), the same classes the documents are made of, so a
document and its schema cannot drift apart.  ``strict`` schemas also forbid
properties the type does not declare: the tests validate every document with
them.  The published schemas leave objects open, as the compatibility promise
allows v1 to add properties (content/partners/api.md).
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from decimal import Decimal
from typing import Any, Literal, Union

from karigar.render import api_types as t

__all__ = ["json_schema", "openapi", "API_PATHS"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]


def _description(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "").replace("\n", " ")


class _Generator:
    """Turns types into schemas; named objects go to ``defs`` and are referred to under ``ref_prefix``."""

    def __init__(self, ref_prefix: str, *, strict: bool) -> None:
        self.ref_prefix = ref_prefix
        self.strict = strict
        self.defs: dict[str, Schema] = {}

    def object(self, cls: type) -> Schema:
        hints = typing.get_type_hints(cls, include_extras=True)
        properties: dict[str, Schema] = {}
        for f in dataclasses.fields(cls):
            schema = self.type(hints[f.name])
            if f.metadata.get("description"):
                schema = {**schema, "description": f.metadata["description"]}
            properties[f.name] = schema
        schema = {"type": "object", "description": _description(cls), "properties": properties,
                  "required": list(properties)}
        if self.strict:
            schema["additionalProperties"] = False
        return schema

    def ref(self, cls: type) -> Schema:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # claimed first: a type that refers to itself stops here
            self.defs[cls.__name__] = self.object(cls)
        return {"$ref": self.ref_prefix + cls.__name__}

    def type(self, hint: Any) -> Schema:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            base, *extras = typing.get_args(hint)
            schema = self.type(base)
            for extra in extras:
                if isinstance(extra, t.Constraint):
                    schema.update({key: value for key, value in (("format", extra.format), ("pattern", extra.pattern))
                                   if value})
            return schema
        if origin in (Union, types.UnionType):
            options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
            found = [self.type(option) for option in options]
            if len(options) < len(typing.get_args(hint)):
                found.append({"type": "null"})
            return found[0] if len(found) == 1 else {"anyOf": found}
        if origin is Literal:
            values = list(typing.get_args(hint))
            return {"type": "string", "const": values[0]} if len(values) == 1 else {"type": "string", "enum": values}
        if origin is tuple:
            item, *_rest = typing.get_args(hint)
            return {"type": "array", "items": self.type(item)}
        if origin is dict:
            _key, value = typing.get_args(hint)
            return {"type": "object", "additionalProperties": self.type(value)}
        if dataclasses.is_dataclass(hint):
            return self.ref(hint)  # type: ignore[arg-type]
        simple = {str: "string", int: "integer", bool: "boolean", float: "number", Decimal: "number"}
        if hint in simple:
            return {"type": simple[hint]}
        raise TypeError(f"the API's types hold no {hint!r}: give it a schema here first")


def json_schema(cls: type, *, schema_id: str, strict: bool = False) -> Schema:
    """The JSON Schema (2020-12) of a document type, its parts in ``$defs``."""
    generator = _Generator("#/$defs/", strict=strict)
    root = generator.object(cls)
    schema: Schema = {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id, "title": cls.__name__, **root}
    if generator.defs:
        schema["$defs"] = dict(sorted(generator.defs.items()))
    return schema


# Every path of the API (relative to the server, /api/v1/), with the document type it serves and what it is.
_SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_COUNTRY = {"type": "string", "pattern": "^[a-z]{2}$"}
_PAGE = {"type": "integer", "minimum": 2}
_PARAMETERS = {"country": _COUNTRY, "page": _PAGE}
_PAGED = ("artisans", "products", "training", "events", "crafts/{craft}/products", "crafts/{craft}/artisans",
          "marketplaces/{marketplace}/products", "districts/{country}/{district}/artisans",
          "districts/{country}/{district}/products")
API_PATHS: tuple[tuple[str, str, str], ...] = (
    ("index.json", "index", "The entry point: collections, languages, schemas"),
    ("artisans/{country}/index.json", "country", "A country and its districts"),
    ("artisans/{country}/{district}/index.json", "district", "A district"),
    ("artisans/{country}/{district}/{artisan}/index.json", "artisan", "An artisan"),
    ("artisans/{country}/{district}/{artisan}/{product}/index.json", "product", "A product"),
    ("training/{training}/index.json", "training", "A training resource"),
    ("crafts/{craft}/index.json", "craft", "A craft"),
    ("marketplaces/{marketplace}/index.json", "marketplace", "A marketplace"),
    ("programs/{program}/index.json", "program", "A programme"),
    *((f"lists/{name}/index.json", "list", f"A list of every {name.split('/')[0].rstrip('s')}")
      for name in ("crafts", "marketplaces", "programs", "countries")),
    *(path for name in _PAGED for path in (
        (f"lists/{name}/index.json", "list", f"Page 1 of the list {name}"),
        (f"lists/{name}/page/{{page}}/index.json", "list", f"Page n of the list {name}"))),
    *(path for name in ("artisans", "products", "training") for path in (
        (f"ids/{name}/index.json", "ids", f"Page 1 of the ids of the {name} collection"),
        (f"ids/{name}/page/{{page}}/index.json", "ids", f"Page n of the ids of the {name} collection"))),
)


def _parameters(path: str) -> list[Schema]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"name": name, "in": "path", "required": True, "schema": _PARAMETERS.get(name, _SLUG)} for name in names]


def openapi(*, server: str, site: str, documentation: str, licence: str) -> Schema:
    """The OpenAPI 3.1 description of the static API served at ``server`` (its /api/v1/ URL)."""
    generator = _Generator("#/components/schemas/", strict=False)
    components = {name: generator.ref(cls) for name, cls in t.DOCUMENTS.items()}
    paths: Schema = {}
    for path, name, summary in API_PATHS:
        operation: Schema = {
            "summary": summary, "operationId": "get_" + path.removesuffix("/index.json").removesuffix(".json")
            .replace("/", "_").replace("{", "").replace("}", ""),
            "responses": {
                "200": {"description": summary, "content": {"application/json": {"schema": components[name]}}},
                "404": {"description": "No such document (an id that was never published, or no longer is)"},
            },
        }
        parameters = _parameters(path)
        if parameters:
            operation["parameters"] = parameters
        paths["/" + path] = {"get": operation}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": JSON_SCHEMA_DIALECT,
        "info": {"title": f"{site}: content API", "version": t.SCHEMA_VERSION,
                 "description": "The catalog as static JSON documents, made by the same build as the pages. "
                                "GET only; every document of an entity holds every language of the site.",
                 "license": {"name": licence, "identifier": licence}},
        "externalDocs": {"url": documentation},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": dict(sorted(generator.defs.items()))},
    }
