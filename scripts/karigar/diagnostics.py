"""Located problems with content, and the two ways of printing them.

Every user-facing problem is a :class:`Diagnostic` with a stable ``code``, a
:class:`Location` (site-relative path, 1-based line and column) and an
optional hint.  Stages never raise on bad content: they append to a
:class:`DiagnosticSink` and carry on, so one run reports every problem.

This module is the bottom of the package and imports nothing of Karigar's:
the exceptions that carry diagnostics (``ContentError``, ``PhotoFailed``...)
are in :mod:`karigar.errors`, above it.
"""

from __future__ import annotations

import difflib
import enum
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields

__all__ = [
    "Severity",
    "Location",
    "Diagnostic",
    "DiagnosticSink",
    "format_text",
    "format_github",
    "did_you_mean",
    "printable",
    "pickle_by_constructor",
]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


def pickle_by_constructor(cls: type, make: Callable[..., object] | None = None) -> None:
    """Pickle ``cls`` as a constructor call with its fields in order (``make``, when given, instead of ``cls``).

    A frozen slots dataclass otherwise pickles through the dataclass module's
    ``__setstate__``, one Python-level call per field plus a lookup of the
    fields on every object: most of the time it takes to read the validated
    catalog back from the build index (hundreds of thousands of these values,
    each with its locations).
    Only for classes nothing subclasses (a subclass may add fields).
    ``make`` takes the fields in the same order and may return an equal
    value made before (:func:`karigar.model.types.shared_text`).
    """
    names = tuple(f.name for f in fields(cls))  # in __init__'s order (no field here is init=False)
    values = operator.attrgetter(*names)
    single = len(names) == 1  # attrgetter of one name gives the value, not a tuple

    maker = cls if make is None else make

    def reduce(self: object) -> tuple[Callable[..., object], tuple[object, ...]]:
        found = values(self)
        return maker, ((found,) if single else found)

    setattr(cls, "__reduce__", reduce)


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file; ``path`` is relative to the site root, POSIX style."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code)


@dataclass
class DiagnosticSink:
    """Collects diagnostics from every stage; never raises."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, location: Location, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.ERROR, code, message, location, hint))

    def warning(self, code: str, message: str, location: Location, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.WARNING, code, message, location, hint))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    def sorted(self) -> list[Diagnostic]:
        # Deduplicate: the same problem found twice (e.g. through a shared node)
        # is reported once.
        seen: set[tuple[str, str, Location]] = set()
        unique = []
        for d in sorted(self.items, key=Diagnostic.sort_key):
            key = (d.code, d.message, d.location)
            if key not in seen:
                seen.add(key)
                unique.append(d)
        return unique

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def printable(text: str) -> str:
    """Show control, format and line-separator characters as escapes.

    Messages quote content; a CR LF, NUL, U+2028 or a bidi override in it must
    not split or reorder the error line in a terminal or a CI log.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def format_text(d: Diagnostic) -> str:
    """``path:line:col: error: message`` plus the hint on the next line."""
    text = f"{printable(str(d.location))}: {d.severity.value}: {printable(d.message)}"
    if d.hint:
        text += f"\n  hint: {printable(d.hint)}"
    return text


def _github_escape(value: str, *, prop: bool) -> str:
    # GitHub workflow-command escaping: % \r \n always, and : , inside properties.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions annotation, shown on the pull request's changed lines."""
    kind = "error" if d.is_error else "warning"
    loc = d.location
    props = [f"file={_github_escape(loc.path, prop=True)}"]
    if loc.line > 0:
        props.append(f"line={loc.line}")
        props.append(f"col={loc.col or 1}")
    props.append(f"title={_github_escape(d.code, prop=True)}")
    message = printable(d.message) + (f" (hint: {printable(d.hint)})" if d.hint else "")
    return f"::{kind} {','.join(props)}::{_github_escape(message, prop=False)}"


def did_you_mean(found: str, choices: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(found, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


for _value_class in (Location, Diagnostic):
    pickle_by_constructor(_value_class)
