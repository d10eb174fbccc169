"""Keeping artisans' contact details and identity numbers off the site.

Many artisans are home-based women: a published phone number, e-mail
address, CNIC or Aadhaar number can reach the artisan herself, bypassing the
programme or cooperative that is meant to stand between her and buyers.
:func:`find_private_data` finds such data in one text; :func:`check_private_data`
runs it over every public text value and the Markdown body of an artisan or
product entry and reports each finding as a located ``private-data`` error.

The detector is tuned to avoid the numbers catalogs are full of: prices,
years, dimensions, ASINs and marketplace ids.  Phone numbers are judged by
``phonenumbers`` (Pakistani and Indian numbering plans, and any number
written with its country code); identity numbers by their shape and, for
Aadhaar, its Verhoeff check digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType, national_significant_number
from phonenumbers import number_type as phone_number_type

from karigar.diagnostics import Location
from karigar.load.nodes import Map, Node, Scalar, Seq
from karigar.model.context import Context
from karigar.model.schema import Shape

__all__ = ["PrivateKind", "PrivateFinding", "find_private_data", "normalize_digits",
           "verhoeff_valid", "check_private_data"]

PrivateKind = Literal["phone", "cnic", "aadhaar", "email"]


@dataclass(frozen=True, slots=True)
class PrivateFinding:
    """Private data in a text: ``offset`` indexes the text as given (before digit normalization)."""

    kind: PrivateKind
    offset: int
    text: str


# --- digits ---------------------------------------------------------------

# In a str pattern `\d` is any Unicode decimal digit: Arabic-Indic, Urdu,
# Devanagari, Bengali, full-width... everything but 0-9 is translated.
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group(), 0))


def normalize_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by its ASCII digit.

    One character becomes one character, so an offset into the result is the
    same offset into ``text``.
    """
    if text.isascii():  # the common case: nothing to translate, no copy
        return text
    return _NON_ASCII_DIGIT.sub(_ascii_digit, text)


# --- Verhoeff ---------------------------------------------------------------

def _dihedral(j: int, k: int) -> int:
    # Composition in the dihedral group D5: 0-4 are rotations, 5-9 reflections.
    if j < 5:
        return (j + k) % 5 if k < 5 else 5 + (j + k) % 5
    return 5 + (j - k) % 5 if k < 5 else (j - k) % 5


_D = tuple(tuple(_dihedral(j, k) for k in range(10)) for j in range(10))
_SIGMA = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)  # the position permutation; it has period 8


def _powers(sigma: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(sigma[n] for n in rows[-1]))
    return tuple(rows)


_P = _powers(_SIGMA)


def verhoeff_valid(digits: str) -> bool:
    """Whether a string of ASCII digits ends in a correct Verhoeff check digit."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][ord(char) - 48]]
    return check == 0


# --- patterns ---------------------------------------------------------------

# A run of at least 7 digits with short separators between them: the cheap
# test before phonenumbers, which is slow, is asked to look anywhere.
_DIGIT_RUN = re.compile(r"[0-9](?:[ \t\u00a0\-.()/]{0,3}[0-9]){6,}")
_WINDOW_MARGIN = 24
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\])]+|\]\([^)\s]+", re.IGNORECASE)
_REGIONS = ("PK", "IN")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_NOT_DIGIT = re.compile(r"[^0-9]")

# A CNIC is 5-7-1 digits; unhyphenated only as exactly 13 digits standing
# alone, starting with a province code 1-7 (so no EAN-13/ISBN-13: 978...).
_CNIC = re.compile(r"(?<![\w.-])(?:[0-9]{5}-[0-9]{7}-[0-9]|[1-7][0-9]{12})(?![\w-]|\.[0-9])")
# Aadhaar: 12 digits, the first 2-9, optionally grouped 4-4-4 with one kind of separator.
_AADHAAR = re.compile(r"(?<![\w.-])[2-9][0-9]{3}([ \u00a0-]?)[0-9]{4}\1[0-9]{4}(?![\w-]|\.[0-9])")

# E-mail addresses are found from their `@` (or an obfuscated "at") outwards,
# which keeps the search linear on long texts without any `@`.
_STRONG_AT = re.compile(r"@|\s@\s|\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*", re.IGNORECASE)
_WEAK_AT = re.compile(r"\s+at\s+", re.IGNORECASE)
_LOCAL_TAIL = re.compile(r"[\w.%+-]{1,64}\Z")
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+)"
_DOMAIN = re.compile(
    rf"[^\W_](?:[\w-]{{0,61}}[^\W_])?(?:{_DOT}[^\W_](?:[\w-]{{0,61}}[^\W_])?)*?{_DOT}[^\W\d_]{{2,24}}(?![\w-]|\.[^\W_])",
    re.IGNORECASE,
)
_OBFUSCATED_DOT = re.compile(r"[\[({<]|\sdot\s", re.IGNORECASE)
_EMAIL_HINT = re.compile(r"@|[\[({<]\s*at\s*[\])}>]|\sat\s+[^\W_][\w-]*(?:\.[^\W\d_]|\s+dot\s)",
                         re.IGNORECASE)
# One scan of the text as given decides whether anything else runs: most
# texts (names, alt text, materials) hold no run of 7 digits and nothing
# like an address.  `\d` is any Unicode digit here, so this runs before
# normalizing.
_WORTH_A_LOOK = re.compile(
    r"\d(?:[ \t\u00a0\-.()/]{0,3}\d){6,}|@|[\[({<]\s*at\s*[\])}>]"
    r"|\sat\s+[^\W_][\w-]*(?:\.[^\W\d_]|\s+dot\s)",
    re.IGNORECASE,
)
# "ayesha at gmail.com" is an address; "sells at daraz.pk" is not: with a
# plain "at" and a real dot, only well-known mail providers count.
_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "icloud", "me",
    "aol", "proton", "protonmail", "pm", "rediffmail", "zoho", "gmx", "mail", "yandex",
})


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around every digit run long enough to be a phone number."""
    out: list[tuple[int, int]] = []
    size = len(text)
    for match in _DIGIT_RUN.finditer(text):
        # The margin keeps a leading `+`, brackets and the neighbouring
        # characters phonenumbers looks at to reject part of a longer token.
        start, end = max(0, match.start() - _WINDOW_MARGIN), min(size, match.end() + _WINDOW_MARGIN)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _phones(text: str) -> list[tuple[int, int]]:
    """Spans of phone numbers in ``text`` (ASCII digits)."""
    windows = _windows(text)
    if not windows:
        return []
    urls = _url_spans(text)
    found: set[tuple[int, int]] = set()
    for w_start, w_end in windows:
        window = text[w_start:w_end]
        for region in _REGIONS:
            for match in PhoneNumberMatcher(window, region, leniency=Leniency.VALID):
                start, end = w_start + match.start, w_start + match.end
                if (start, end) not in found and _plausible_phone(match, _inside(urls, start, end)):
                    found.add((start, end))
    return sorted(found)


def _plausible_phone(match: object, in_url: bool) -> bool:
    """Whether a valid number was written the way people write phone numbers.

    Written with a trunk ``0`` or a country code (``+92``, ``0092``, ``92...``)
    it is a phone number.  Bare national digits are one only for a mobile
    number: a bare 10-digit Indian landline is indistinguishable from a
    marketplace id (``1234567890`` is a valid Delhi number), and inside a URL
    even a bare mobile-looking number is far more likely a listing id.
    """
    number = match.number  # type: ignore[attr-defined]
    digits = _NOT_DIGIT.sub("", match.raw_string)  # type: ignore[attr-defined]
    if len(digits) > len(national_significant_number(number)):
        return True
    return not in_url and phone_number_type(number) in _MOBILE_TYPES


def _emails(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses, plain or obfuscated (``name [at] domain [dot] com``)."""
    if _EMAIL_HINT.search(text) is None:
        return []
    out: list[tuple[int, int]] = []
    for pattern, weak in ((_STRONG_AT, False), (_WEAK_AT, True)):
        for at in pattern.finditer(text):
            local = _LOCAL_TAIL.search(text, max(0, at.start() - 64), at.start())
            domain = _DOMAIN.match(text, at.end())
            if local is None or domain is None or not local.group().strip(".-+%"):
                continue
            if weak and _OBFUSCATED_DOT.search(domain.group()) is None \
                    and domain.group().split(".", 1)[0].lower() not in _MAIL_PROVIDERS:
                continue
            out.append((local.start(), domain.end()))
    return out


def find_private_data(text: str) -> list[PrivateFinding]:
    """Phone numbers, CNICs, Aadhaar numbers and e-mail addresses in ``text``, in order.

    Overlapping findings are reported once (the earliest, then the longest).
    """
    if _WORTH_A_LOOK.search(text) is None:
        return []
    norm = normalize_digits(text)
    spans: list[tuple[int, int, PrivateKind]] = [(s, e, "email") for s, e in _emails(norm)]
    if _DIGIT_RUN.search(norm) is not None:  # CNIC, Aadhaar and phones all have 7+ digits
        spans += [(m.start(), m.end(), "cnic") for m in _CNIC.finditer(norm)]
        spans += [(m.start(), m.end(), "aadhaar") for m in _AADHAAR.finditer(norm)
                  if verhoeff_valid(_NOT_DIGIT.sub("", m.group()))]
        spans += [(s, e, "phone") for s, e in _phones(norm)]
    spans.sort(key=lambda span: (span[0], span[0] - span[1]))
    findings: list[PrivateFinding] = []
    last_end = -1
    for start, end, kind in spans:
        if start >= last_end:
            findings.append(PrivateFinding(kind, start, text[start:end]))
            last_end = end
    return findings


# --- reporting ----------------------------------------------------------------

_WHAT = {
    "phone": "a phone number",
    "email": "an e-mail address",
    "cnic": "a CNIC (Pakistani identity card) number",
    "aadhaar": "an Aadhaar (Indian identity) number",
}
_CONTACT_HINT = {
    "artisan": "remove it and route buyers through a programme or cooperative: put its shop in "
               "`links`, or name the programme in `programs`",
    "product": "remove it and route buyers through the product's `listings`; the artisan's profile "
               "can name a programme in `programs` or a cooperative's shop in `links`",
}
_IDENTITY_HINT = "remove it: identity numbers are never needed on the site, and are kept nowhere in it"
# A photo's `src` is a path or media URL, not prose; phones name photos with
# long digit runs.  Listings are not scanned at all (ids and URLs).
_NOT_SCANNED = frozenset({("image", "src")})
_SCANNED_TYPES = frozenset({"text", "string", "handle"})


def mask(finding: PrivateFinding) -> str:
    """The finding as shown in messages: enough to recognize it, not enough to use it.

    Diagnostics end up in CI logs and pull-request annotations, which may
    outlive the fix; the location already points at the exact characters.
    """
    text = finding.text
    if finding.kind == "email":
        at = _STRONG_AT.search(text) or _WEAK_AT.search(text)
        if at is not None:
            return text[:1] + "\u2022" * max(1, at.start() - 1) + text[at.start():]
    digits = sum(ch.isdecimal() for ch in text)
    out, seen = [], 0
    for ch in text:
        if ch.isdecimal():
            seen += 1
            out.append(ch if seen <= 2 or seen > digits - 2 else "\u2022")
        else:
            out.append(ch)
    return "".join(out)


def _report(finding: PrivateFinding, label: str, location: Location, entry_kind: str,
            cx: Context) -> None:
    contact = finding.kind in ("phone", "email")
    what = "contact details" if contact else "identity numbers"
    cx.sink.error(
        "private-data",
        f"`{label}` contains what looks like {_WHAT[finding.kind]} ({mask(finding)}); {what} of "
        "artisans must never be published",
        location,
        _CONTACT_HINT.get(entry_kind, _CONTACT_HINT["artisan"]) if contact else _IDENTITY_HINT,
    )


def _scalar_location(node: Scalar, offset: int, cx: Context) -> Location:
    """Where ``offset`` of a scalar's value is in the file, when that is knowable.

    The node keeps no style, so only a value on one line is located
    exactly: plain as written, quoted one column further, as long as nothing
    in it could have been an escape.  Otherwise the value's start.
    """
    text = node.text
    if "\n" not in text:
        if not node.quoted:
            return Location(cx.path, node.line, node.col + offset)
        if not any(ch in text for ch in "'\"\\"):
            return Location(cx.path, node.line, node.col + 1 + offset)
    return cx.at(node)


def _scan_scalar(node: Node, label: str, entry_kind: str, cx: Context) -> None:
    if isinstance(node, Scalar) and node.value is not None:
        for finding in find_private_data(node.text):
            _report(finding, label, _scalar_location(node, finding.offset, cx), entry_kind, cx)


def _scan_text(node: Node, label: str, entry_kind: str, cx: Context) -> None:
    # Localized text is a scalar or a map of language code -> scalar.
    if isinstance(node, Map):
        for code, (_key, value) in node.entries.items():
            if not code.startswith("_"):
                _scan_scalar(value, f"{label}.{code}", entry_kind, cx)
    else:
        _scan_scalar(node, label, entry_kind, cx)


def _scan_map(node: Node, shape: Shape, prefix: str, entry_kind: str, cx: Context) -> None:
    if not isinstance(node, Map):
        return
    for key, (_key, value) in node.entries.items():
        fld = shape.index.get(key)
        # Unknown keys are already errors; `_` keys and private fields
        # (consent, draft) are never published, so they may hold anything.
        if fld is None or not fld.public or key.startswith("_") or fld.type == "listing" \
                or (shape.name, key) in _NOT_SCANNED:
            continue
        items = value.items if fld.many and isinstance(value, Seq) else (value,)
        for item in items:
            if fld.shape is not None:
                _scan_map(item, fld.shape, f"{prefix}{key}.", entry_kind, cx)
            elif fld.type in _SCANNED_TYPES:
                _scan_text(item, prefix + key, entry_kind, cx)


def _scan_body(body: str, body_line: int, label: str, entry_kind: str, cx: Context) -> None:
    for finding in find_private_data(body):
        offset = finding.offset
        line_start = body.rfind("\n", 0, offset) + 1
        location = Location(cx.path, body_line + body.count("\n", 0, offset), offset - line_start + 1)
        _report(finding, label, location, entry_kind, cx)


def check_private_data(front: Node | None, shape: Shape, body: str, body_line: int, cx: Context) -> None:
    """Report private data in the public front matter fields and the body of an entry.

    ``shape`` is :data:`~karigar.model.schema.ARTISAN` or
    :data:`~karigar.model.schema.PRODUCT`; the body is the story or the
    description.  Scanned: every public text value (localized or not, in
    lists and nested maps such as ``location`` and photo ``alt``) and the raw
    Markdown of the body.  Not scanned: listings, photo paths, ``_`` keys,
    ``consent`` and ``draft``.
    """
    entry_kind = shape.name
    if front is not None:
        _scan_map(front, shape, "", entry_kind, cx)
    if body:
        _scan_body(body, body_line, "story" if entry_kind == "artisan" else "description", entry_kind, cx)
