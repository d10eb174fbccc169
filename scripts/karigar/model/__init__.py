"""Stage 2 of the Karigar pipeline: validate loaded entries into the typed model.

:mod:`karigar.model.schema` describes the content contract as data,
:mod:`karigar.model.fields` and :mod:`karigar.model.reader` read values by
it, :mod:`karigar.model.registries` and :mod:`karigar.model.validate` build
the model, and :mod:`karigar.model.types` holds the result.
"""

from __future__ import annotations

from karigar.model.context import ValidationSettings, default_photo_url
from karigar.model.fields import slugify
from karigar.model.registries import ValidatedRegistries, validate_registries
from karigar.model.validate import (
    Model,
    validate_artisan,
    validate_page,
    validate_product,
    validate_site,
    validate_training,
)

__all__ = [
    "ValidationSettings",
    "Model",
    "ValidatedRegistries",
    "default_photo_url",
    "slugify",
    "validate_registries",
    "validate_site",
    "validate_artisan",
    "validate_product",
    "validate_training",
    "validate_page",
]
