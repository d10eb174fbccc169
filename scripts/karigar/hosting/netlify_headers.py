"""Netlify's custom header rules: which headers a response to a URL path gets.

Netlify sends custom headers written in two places (docs.netlify.com,
"Custom headers"):

* ``_headers`` in the publish folder: a path line (it starts with ``/``),
  then ``Name: value`` lines under it.  ``#`` starts a comment.  The same
  name twice under one path is a multi-value header: both values are sent,
  joined by ``", "``.
* the ``[[headers]]`` tables of ``netlify.toml``: ``for`` (the path) and a
  ``values`` table.  A value is a string or a list of strings; a multi-line
  string lists several values ("Multi-value headers are expressed with
  multi-line strings"), and its comma-separated parts are joined by ``", "``.

A path may hold ``*``, which "matches anything", and ``:placeholder``,
which "matches anything except /".  Every rule whose path matches a request
applies.  Rules from ``_headers`` come first, then those of
``netlify.toml``, and a later rule's value replaces an earlier one of the
same name: when both set a header for the same path, ``netlify.toml`` wins
and the ``_headers`` value is dropped without a word.  That is why the
site's Content-Security-Policy, whose hashes only the build knows, lives
in ``_headers`` alone (see :mod:`karigar.render.security`).

Netlify's documentation says what matches but not every edge of it, so the
details (trailing slash, case, the slash before a splat) follow how
Netlify's own parser (netlify/build, ``packages/headers-parser``) and its
local-development server (netlify/primitives, ``packages/headers``) behave;
they were read as documentation, nothing is copied from them.

The tests' static server (``tests/browser.py``) serves a built site through
this module, so a browser test sees the headers a deploy would send; rules
for ``/admin/`` and ``/api/`` go through the same functions.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final

from karigar.errors import HeaderRulesError

__all__ = [
    "HEADERS_FILE",
    "NETLIFY_TOML",
    "NOT_SENT",
    "HeaderRule",
    "HeaderRulesError",
    "path_pattern",
    "parse_headers_file",
    "parse_netlify_toml",
    "config_header_rules",
    "deploy_header_rules",
    "headers_for",
]

HEADERS_FILE: Final = "_headers"
NETLIFY_TOML: Final = "netlify.toml"

# Custom values Netlify ignores (lower-cased for lookup).  The docs list these
# as set by its web servers "to work properly" (Location: "use redirects
# instead").  Basic-Auth is not a header at all: Netlify reads it to ask for a
# password and never sends it.  Set-Cookie is not here: the docs say only that
# Netlify's cookie handling "may" override it.
NOT_SENT: Final = frozenset({
    "accept-ranges", "age", "allow", "alt-svc", "connection", "content-encoding", "content-length",
    "content-range", "date", "location", "server", "trailer", "transfer-encoding", "upgrade",
    "basic-auth",
})

# How a netlify.toml value lists several values: commas, with any white space
# (line breaks of a multi-line string included) around them.
_VALUE_SEPARATOR: Final = re.compile(r"\s*,\s*")


def path_pattern(rule_path: str) -> re.Pattern[str]:
    """The expression a request's path must match, whole, for the rule written for ``rule_path``.

    The path is read part by part between slashes (trailing spaces of a
    part and empty parts dropped, so ``/a//b/`` is ``/a/b``):

    * ``:name`` matches one segment: anything but ``/``, at least one character;
    * a part that is just ``*`` matches the rest of the path, and the slash
      before it is optional, so ``/training/*`` matches ``/training`` (and,
      as on Netlify, ``/trainingx``), and ``/*`` matches ``/``;
    * a ``*`` inside a part (``/a*b/``) matches anything, slashes included;
    * anything else is literal.

    A trailing slash on the request is optional and letters match in either
    case.  Netlify leaves the other characters of a part that holds ``*``
    as regular-expression syntax (a ``.`` there matches any character);
    here they stay literal, which differs only for paths nobody writes.
    """
    parts = []
    for part in rule_path.split("/"):
        part = part.rstrip()
        if not part:
            continue
        if part.startswith(":"):
            parts.append("[^/]+")
        elif part == "*":
            # The `?` makes the `/` joined in before it optional.
            parts.append("?.*")
        elif "*" in part:
            parts.append(".*".join(re.escape(piece) for piece in part.split("*")))
        else:
            parts.append(re.escape(part))
    return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderRule:
    """One ``for`` path and the headers it sets (names as written), and where it was written."""

    path: str
    values: Mapping[str, str]
    origin: str = ""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """:func:`path_pattern` of :attr:`path`, compiled once per rule (a server asks on every request)."""
        return path_pattern(self.path)

    def matches(self, url_path: str) -> bool:
        """Whether the rule applies to a request for ``url_path`` (decoded, without the query)."""
        return self.pattern.match(url_path) is not None


def parse_headers_file(text: str, *, name: str = HEADERS_FILE) -> list[HeaderRule]:
    """The rules of a ``_headers`` file, in file order.

    Lines are trimmed; blank lines and ``#`` comments are skipped; a line
    starting with ``/`` opens a rule; a line with no colon is skipped (as
    Netlify does); ``Name: value`` splits at the first colon, so values may
    hold colons.  A rule that sets nothing is dropped.  Raises
    :class:`HeaderRulesError` for a header before any path, or with no
    name or no value.
    """
    rules: list[tuple[str, dict[str, str], int]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line, {}, number))
            continue
        header, colon, value = line.partition(":")
        if not colon:
            continue
        header, value = header.strip(), value.strip()
        where = f"{name}:{number}"
        if not header:
            raise HeaderRulesError(where, "a header line with no name")
        if not value:
            raise HeaderRulesError(where, f"header `{header}` has no value")
        if not rules:
            raise HeaderRulesError(where, f"header `{header}` comes before any path")
        values = rules[-1][1]
        # Names compared as written: `X-A` and `x-a` under one path are two headers to Netlify.
        values[header] = f"{values[header]}, {value}" if header in values else value
    return [HeaderRule(path, values, f"{name}:{number}") for path, values, number in rules if values]


def _config_value(where: str, header: str, raw: object) -> str:
    if isinstance(raw, str):
        return _VALUE_SEPARATOR.sub(", ", raw.strip())
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return ", ".join(item.strip() for item in raw)
    raise HeaderRulesError(where, f"the value of `{header}` must be a string or a list of strings")


def config_header_rules(tables: object, *, name: str = NETLIFY_TOML) -> list[HeaderRule]:
    """The rules of the ``headers`` array of a parsed ``netlify.toml``, in order.

    ``for`` is required and trimmed; a table without ``values``, or with an
    empty one, sets nothing and is dropped; names are trimmed.  Raises
    :class:`HeaderRulesError` for anything else Netlify refuses.
    """
    if not isinstance(tables, list):
        raise HeaderRulesError(name, "`headers` must be an array of tables ([[headers]])")
    rules = []
    for index, table in enumerate(tables, 1):
        where = f"{name} [[headers]] #{index}"
        if not isinstance(table, dict):
            raise HeaderRulesError(where, "must be a table")
        path = table.get("for")
        if not isinstance(path, str):
            raise HeaderRulesError(where, "`for` must be a string (the path the headers are for)")
        raw_values = table.get("values")
        if raw_values is None:
            continue
        if not isinstance(raw_values, dict):
            raise HeaderRulesError(where, "`values` must be a table of header names and values")
        values: dict[str, str] = {}
        for raw_name, raw_value in raw_values.items():
            header = raw_name.strip()
            if not header:
                raise HeaderRulesError(where, "a header with an empty name")
            values[header] = _config_value(where, header, raw_value)
        if values:
            rules.append(HeaderRule(path.strip(), values, where))
    return rules


def parse_netlify_toml(text: str, *, name: str = NETLIFY_TOML) -> list[HeaderRule]:
    """The ``[[headers]]`` rules of a ``netlify.toml`` text (none if it has no ``headers``)."""
    config = tomllib.loads(text)
    return config_header_rules(config.get("headers", []), name=name)


def deploy_header_rules(publish_dir: Path, netlify_toml: Path | None) -> list[HeaderRule]:
    """Every rule Netlify applies to a deploy of ``publish_dir``, in the order it applies them.

    The publish folder's ``_headers`` (if any) first, then the ``[[headers]]``
    of ``netlify_toml`` (if given), so that the latter win.
    """
    headers_file = publish_dir / HEADERS_FILE
    rules = parse_headers_file(headers_file.read_text("utf-8")) if headers_file.is_file() else []
    if netlify_toml is not None:
        rules += parse_netlify_toml(netlify_toml.read_text("utf-8"), name=netlify_toml.name)
    return rules


def headers_for(rules: Iterable[HeaderRule], url_path: str) -> dict[str, str]:
    """The custom headers Netlify sends with a response to ``url_path`` (decoded, without the query).

    Every matching rule applies, in order; a later value replaces an
    earlier one of the same name as written.  Headers Netlify ignores or
    consumes (:data:`NOT_SENT`) are left out.
    """
    sent: dict[str, str] = {}
    for rule in rules:
        if rule.matches(url_path):
            sent.update(rule.values)
    return {header: value for header, value in sent.items() if header.lower() not in NOT_SENT}
