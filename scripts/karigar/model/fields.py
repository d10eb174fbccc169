"""Typed readers for single front matter values.

Each reader takes a node, the schema :class:`~karigar.model.schema.Field`
it is read for, the field's dotted label (for messages) and the entry's
:class:`~karigar.model.context.Context`.  It returns the typed value, or None after reporting why the
value is unusable.  Readers never raise on content.

Scalars keep their source text (:mod:`karigar.load.nodes`): dates, slugs,
handles and ids are judged from it, numbers and booleans from the YAML 1.2
value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from karigar.diagnostics import did_you_mean
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind
from karigar.markup.urls import SafeUrl, parse_https_url
from karigar.model import schema
from karigar.model.context import Context
from karigar.model.schema import Field
from karigar.model.types import LocalizedText

__all__ = [
    "slugify",
    "slug_problem",
    "is_language_tag",
    "read_text",
    "SCALAR_READERS",
]

_SLUG_RE = re.compile(schema.SLUG_PATTERN)
_LANGUAGE_RE = re.compile(schema.LANGUAGE_PATTERN)
_LANGUAGE_LOOSE_RE = re.compile(schema.LANGUAGE_PATTERN, re.IGNORECASE)
_CURRENCY_RE = re.compile(schema.CURRENCY_PATTERN)
_HOST_RE = re.compile(schema.HOST_PATTERN)
_DATE_RE = re.compile(schema.DATE_PATTERN)
_DATETIME_RE = re.compile(schema.DATETIME_PATTERN)
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_SPACE_RE = re.compile(r"\s")
_YAML11_BOOLS = frozenset({"yes", "no", "y", "n", "on", "off"})


def slugify(text: str) -> str:
    """Lower-case, runs of anything but a-z and 0-9 become one hyphen, trimmed."""
    return _NOT_SLUG_CHARS.sub("-", text.lower()).strip("-")


def slug_problem(slug: str, reserved: frozenset[str]) -> tuple[str, str]:
    """``(code, reason)`` when ``slug`` cannot name a folder or file, else ``("", "")``."""
    if not slug or len(slug) > schema.SLUG_MAX or not _SLUG_RE.match(slug):
        return "slug", (
            f"use 1-{schema.SLUG_MAX} lower-case letters a-z, digits and single hyphens"
            + (f", e.g. `{slugify(slug)}`" if slugify(slug) and slugify(slug) != slug else "")
        )
    if slug in reserved:
        return "slug-reserved", (
            f"`{slug}` is reserved (it would collide with the site's own pages: "
            f"{', '.join(sorted(reserved))})"
        )
    return "", ""


def is_language_tag(text: str) -> bool:
    """Whether ``text`` is a BCP 47 tag in its usual spelling (``pa-Arab``, ``en-IN``)."""
    return _LANGUAGE_RE.match(text) is not None


def _found(node: Node) -> str:
    return node_kind(node)


def _quote_hint(node: Node) -> str:
    # A list or map where text was expected is usually an unquoted value that
    # started with `[` or `{`; YAML read it as a collection.
    if isinstance(node, Seq):
        return "a value starting with `[` is read as a list; put the whole text in quotes: \"[...] ...\""
    if isinstance(node, Map):
        return "a value starting with `{` is read as a mapping; put the whole text in quotes: \"{...} ...\""
    return ""


def read_text(node: Node, fld: Field, label: str, cx: Context) -> LocalizedText | None:
    """Localized text: a string, or a map of language codes to strings."""
    lang = cx.settings.languages[0]
    if isinstance(node, Scalar):
        value = node.value
        if isinstance(value, str):
            if not value.strip():
                cx.error("text-empty", f"`{label}` is empty; write the text or remove the key", node)
                return None
            return LocalizedText(lang, ((lang, value),))
        cx.error(
            "text",
            f"`{label}` must be text, found {_found(node)}",
            node,
            f'put it in quotes to use it as text: `{fld.name}: "{node.text}"`',
        )
        return None
    if isinstance(node, Seq):
        cx.error(
            "text",
            f"`{label}` must be text or a map of language codes to text, found a list",
            node,
            _quote_hint(node),
        )
        return None
    return _read_localized(node, label, cx)


def _read_localized(node: Map, label: str, cx: Context) -> LocalizedText | None:
    settings = cx.settings
    default = settings.languages[0]
    languages = settings.language_set
    values: list[tuple[str, str]] = []
    ok = True
    for code, (key, value) in node.entries.items():
        if code.startswith("_"):
            continue
        if not is_language_tag(code):
            hint = (
                _quote_hint(node)
                if isinstance(value, Scalar) and value.value is None
                else "localized text maps language codes to text, e.g. {en: ..., ur: ...}"
            )
            cx.error(
                "text-language",
                f"`{label}` has the key `{code}`, which is not a language code"
                + did_you_mean(code, settings.languages),
                key,
                hint,
            )
            ok = False
            continue
        if code not in languages:
            cx.warning(
                "text-unknown-language",
                f"`{label}.{code}`: `{code}` is not one of the site's languages "
                f"({', '.join(settings.languages)}); it is kept, but the site publishes no pages in it"
                + did_you_mean(code, settings.languages),
                key,
            )
        if not isinstance(value, Scalar) or not isinstance(value.value, str):
            cx.error(
                "text",
                f"`{label}.{code}` must be text, found {_found(value)}",
                value,
                _quote_hint(value) or 'put it in quotes to use it as text',
            )
            ok = False
            continue
        if not value.value.strip():
            cx.error("text-empty", f"`{label}.{code}` is empty; write the text or remove the key", value)
            ok = False
            continue
        values.append((code, value.value))
    if ok and default not in node.entries:
        cx.error(
            "text-default-missing",
            f"`{label}` has no text in the site's default language `{default}`"
            f" (found: {', '.join(c for c, _ in values) or 'none'})",
            node,
            f"add `{default}: ...`; other languages fall back to it",
        )
        return None
    return LocalizedText(default, tuple(values)) if ok else None


def _read_string(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    if isinstance(node, Scalar) and isinstance(node.value, str):
        if node.value.strip():
            return node.value
        cx.error("text-empty", f"`{label}` is empty", node)
        return None
    cx.error(fld.error_code or "text", f"`{label}` must be text, found {_found(node)}", node,
             _quote_hint(node) or "put it in quotes to use it as text")
    return None


def _read_bool(node: Node, fld: Field, label: str, cx: Context) -> bool | None:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        return node.value
    hint = ""
    if isinstance(node, Scalar) and node.text.lower() in _YAML11_BOOLS:
        hint = f"YAML 1.2 reads `{node.text}` as text, not a yes/no answer; write `true` or `false`"
    cx.error("bool", f"`{label}` must be `true` or `false`, found {_found(node)}", node,
             hint or "use true or false")
    return None


def _read_int(node: Node, fld: Field, label: str, cx: Context) -> int | None:
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, int) and not isinstance(value, bool):
        if fld.minimum is not None and value < fld.minimum:
            cx.error("int-range", f"`{label}` must be at least {fld.minimum}, found `{value}`", node)
            return None
        return value
    hint = ""
    if isinstance(node, Scalar) and node.quoted and node.text.strip().isdigit():
        hint = "remove the quotes: a number is written without them"
    at_least = f" of at least {fld.minimum}" if fld.minimum is not None else ""
    cx.error("int", f"`{label}` must be a whole number{at_least}, found {_found(node)}", node, hint)
    return None


def _read_year(node: Node, fld: Field, label: str, cx: Context) -> int | None:
    latest = cx.settings.today.year
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, int) and not isinstance(value, bool) and schema.YEAR_MIN <= value <= latest:
        return value
    cx.error("year", f"`{label}` must be a year from {schema.YEAR_MIN} to {latest}, found {_found(node)}",
             node)
    return None


def _read_date(node: Node, fld: Field, label: str, cx: Context) -> dt.date | None:
    if not isinstance(node, Scalar) or not isinstance(node.value, str) or not _DATE_RE.match(node.text):
        cx.error("date", f"`{label}` must be a date written YYYY-MM-DD, found {_found(node)}", node,
                 "e.g. 2024-03-15")
        return None
    try:
        date = dt.date.fromisoformat(node.text)
    except ValueError as exc:
        cx.error("date", f"`{label}` is `{node.text}`, which is not a real date ({exc})", node,
                 "write YYYY-MM-DD with a month 01-12 and a day that exists in that month")
        return None
    if fld.not_future and date > cx.settings.today:
        cx.error("date-future", f"`{label}` is {node.text}, which is in the future "
                 f"(the build's date is {cx.settings.today.isoformat()})", node,
                 "dates of things that happened cannot be later than today")
        return None
    return date


def _read_datetime(node: Node, fld: Field, label: str, cx: Context) -> dt.datetime | None:
    example = "2026-12-14T15:00:00+05:00"
    text = node.text if isinstance(node, Scalar) and isinstance(node.value, str) else None
    match = _DATETIME_RE.match(text) if text is not None else None
    if text is None or match is None:
        cx.error("datetime", f"`{label}` must be a date and time like {example}, found {_found(node)}",
                 node)
        return None
    if match.group("offset") is None:
        cx.error("datetime-naive", f"`{label}` is `{text}`, which has no time zone offset", node,
                 f"add the offset of the event's time zone, e.g. {example} for Pakistan")
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        cx.error("datetime", f"`{label}` is `{text}`, which is not a real time ({exc})", node)
        return None


def _scalar_text(node: Node) -> str | None:
    # Handles, slugs and ids are their source text, whatever YAML typed them as.
    if isinstance(node, Scalar) and node.value is not None:
        return node.text
    return None


def _read_handle(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text is not None:
        text = text.strip()
        if 1 <= len(text) <= schema.HANDLE_MAX and text.isprintable():
            return text
    cx.error("handle", f"`{label}` must be a handle of 1-{schema.HANDLE_MAX} characters on one line, "
             f"found {_found(node)}", node, "e.g. volunteer-sana")
    return None


def _read_slug(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text is not None:
        code, reason = slug_problem(text, frozenset())
        if not code:
            return text
        cx.error("slug", f"`{label}` is not a valid slug: {reason}", node)
        return None
    cx.error("slug", f"`{label}` must be a slug, found {_found(node)}", node)
    return None


def _read_language(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text is not None and _LANGUAGE_RE.match(text):
        return text
    hint = "a BCP 47 tag: a 2-3 letter language, then optionally a script and a region, e.g. ur, skr, pa-Arab, en-IN"
    if text is not None and _LANGUAGE_LOOSE_RE.match(text):
        parts = text.split("-")
        fixed = [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
        hint = f"write it as `{'-'.join(fixed)}`"
    cx.error("language-tag", f"`{label}` must be a language code, found {_found(node)}", node, hint)
    return None


def _read_url(node: Node, fld: Field, label: str, cx: Context) -> SafeUrl | None:
    if isinstance(node, Scalar) and isinstance(node.value, str):
        url, reason = parse_https_url(node.value)
        if url is not None:
            return url
        cx.error(fld.error_code or "url", f"`{label}` is not an https address we can link to: {reason}",
                 node)
        return None
    cx.error(fld.error_code or "url", f"`{label}` must be an https address, found {_found(node)}", node)
    return None


def _read_enum(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    if isinstance(node, Scalar) and node.text in fld.choices and isinstance(node.value, str):
        return node.text
    suggestion = did_you_mean(node.text, fld.choices) if isinstance(node, Scalar) else ""
    cx.error("enum", f"`{label}` must be one of {', '.join(fld.choices)}; found {_found(node)}"
             + suggestion, node)
    return None


def _read_id(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text and _SPACE_RE.search(text) is None and text.isprintable():
        return text
    cx.error(fld.error_code or "id", f"`{label}` must be an id without spaces, found {_found(node)}",
             node)
    return None


def _read_amount(node: Node, fld: Field, label: str, cx: Context) -> Decimal | None:
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and value > 0:
        assert isinstance(node, Scalar)
        try:
            # The source text keeps what the author wrote: 12.50 stays 12.50.
            return Decimal(node.text)
        except InvalidOperation:  # 0x1F and similar: the YAML value is exact for ints
            return Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    hint = "remove the quotes" if isinstance(node, Scalar) and node.quoted else ""
    cx.error("price-amount", f"`{label}` must be a number greater than 0, found {_found(node)}", node,
             hint)
    return None


def _read_currency(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text is not None and _CURRENCY_RE.match(text):
        return text
    hint = "an ISO 4217 code such as PKR, INR or USD"
    if text is not None and _CURRENCY_RE.match(text.upper()):
        hint = f"write it in capitals: `{text.upper()}`"
    cx.error("currency", f"`{label}` must be a three-letter currency code, found {_found(node)}", node,
             hint)
    return None


def _read_host(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    text = _scalar_text(node)
    if text is not None and len(text) <= 254 and _HOST_RE.match(text):
        return text
    hint = "a lower-case host name such as www.etsy.com, or .daraz.pk to allow its subdomains too"
    cx.error("registry-host", f"`{label}` must be a host name, found {_found(node)}", node, hint)
    return None


def _read_pattern(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    if isinstance(node, Scalar) and isinstance(node.value, str):
        try:
            re.compile(node.value)
        except re.error as exc:
            cx.error("registry-pattern", f"`{label}` is not a valid regular expression: {exc}", node)
            return None
        return node.value
    cx.error("registry-pattern", f"`{label}` must be a regular expression in quotes, found "
             f"{_found(node)}", node)
    return None


def _read_url_template(node: Node, fld: Field, label: str, cx: Context) -> str | None:
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        cx.error("registry-url", f"`{label}` must be an https address with `{{id}}`, found {_found(node)}",
                 node)
        return None
    template = node.value
    if template.count("{id}") != 1 or template.replace("{id}", "").count("{") \
            or template.count("}") != 1:
        cx.error("registry-url", f"`{label}` must hold `{{id}}` exactly once and no other braces", node)
        return None
    url, reason = parse_https_url(template.replace("{id}", "ID"))
    if url is None:
        cx.error("registry-url", f"`{label}` is not an https address we can link to: {reason}", node)
        return None
    return template


def _read_params(node: Node, fld: Field, label: str, cx: Context) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(node, Map):
        cx.error("map", f"`{label}` must be a mapping of names to values, found {_found(node)}", node)
        return None
    pairs: list[tuple[str, str]] = []
    ok = True
    for name, (_key, value) in node.entries.items():
        text = _scalar_text(value)
        if text is None or not text:
            cx.error("registry-params", f"`{label}.{name}` must be a value (taken as text), "
                     f"found {_found(value)}", value)
            ok = False
            continue
        pairs.append((name, text))
    return tuple(pairs) if ok else None


# Field type -> reader; read-only so no caller can change how a type is read.
SCALAR_READERS: Mapping[str, Callable[[Node, Field, str, Context], Any]] = MappingProxyType({
    "text": read_text,
    "string": _read_string,
    "bool": _read_bool,
    "int": _read_int,
    "year": _read_year,
    "date": _read_date,
    "datetime": _read_datetime,
    "handle": _read_handle,
    "slug": _read_slug,
    "language": _read_language,
    "url": _read_url,
    "enum": _read_enum,
    "id": _read_id,
    "amount": _read_amount,
    "currency": _read_currency,
    "host": _read_host,
    "pattern": _read_pattern,
    "url-template": _read_url_template,
    "params": _read_params,
})
