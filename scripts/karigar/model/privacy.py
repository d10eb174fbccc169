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

A maintainer may allow a number the detector mistakes for a phone number (an
order number, a design code) in one entry file, through
``artisans/_registry/allowed_numbers.yml`` (:mod:`karigar.model.allowed_numbers`):
a finding whose digits equal an allowed number of its file is not reported.
Identity numbers and e-mail addresses are never allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from phonenumbers import Leniency, PhoneNumberMatch, PhoneNumberMatcher, PhoneNumberType
from phonenumbers import national_significant_number, number_type

from karigar.diagnostics import Location
from karigar.load.nodes import Map, Node, Scalar, Seq
from karigar.model.context import Context
from karigar.model.schema import Shape
from karigar.model.types import AllowedNumber

__all__ = ["PrivateKind", "PrivateFinding", "find_private_data", "normalize_digits", "number_digits",
           "identity_kind", "verhoeff_valid", "mask", "check_private_data", "ALLOWABLE_KINDS", "MIN_DIGITS"]

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


def number_digits(text: str) -> str:
    """The ASCII digits of ``text`` and nothing else: how findings and allowed numbers are compared."""
    return _NOT_DIGIT.sub("", normalize_digits(text))


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

# A run of at least 7 digits with short separators between them.  Only the
# text around such runs is handed to phonenumbers, which is slow: a long
# story with one number costs one small window, not a scan of the story.
_SEPARATOR = r"[ \t\u00a0\-\u2010-\u2015\u2212.()/]"  # what people put between digit groups
_DIGIT_RUN = re.compile(rf"[0-9](?:{_SEPARATOR}{{0,3}}[0-9]){{6,}}")
_WINDOW_MARGIN = 24
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\])]+|\]\([^)\s]+", re.IGNORECASE)
_REGIONS = ("PK", "IN")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_NOT_DIGIT = re.compile(r"[^0-9]")
# Every finding but an e-mail address has at least this many digits (see _DIGIT_RUN).
MIN_DIGITS = 7

# A CNIC is 5-7-1 digits; unhyphenated only as exactly 13 digits standing
# alone, starting with a province code 1-7 (so no EAN-13/ISBN-13: 978...).
_CNIC = re.compile(r"(?<![\w.-])(?:[0-9]{5}-[0-9]{7}-[0-9]|[1-7][0-9]{12})(?![\w-]|\.[0-9])")
# Aadhaar: 12 digits, the first 2-9, optionally grouped 4-4-4 with one kind of separator.
_AADHAAR = re.compile(r"(?<![\w.-])[2-9][0-9]{3}([ \u00a0-]?)[0-9]{4}\1[0-9]{4}(?![\w-]|\.[0-9])")

def identity_kind(digits: str) -> PrivateKind | None:
    """``cnic`` or ``aadhaar`` when ASCII ``digits`` could be that identity number however written.

    Looser than the detector, which also asks how the digits are grouped:
    an allowed number is compared by its digits alone, so any spelling of an
    identity number's digits must be refused.
    """
    if len(digits) == 13 and digits[0] in "1234567":
        return "cnic"
    if len(digits) == 12 and digits[0] in "23456789" and verhoeff_valid(digits):
        return "aadhaar"
    return None


# E-mail addresses are found from their `@` (or an obfuscated "at") outwards,
# which keeps the search linear on long texts.  Spaces around a bare `@` count
# only on both sides: "Instagram @ayesha.crafts" is a handle, not an address.
# Case is spelled out rather than IGNORECASE, which makes these scans slower.
_BRACKET_AT = re.compile(r"[\[({<][ \t]*(?:[aA][tT]|@)[ \t]*[\])}>]")
_AT = re.compile(r" @ |@|" + _BRACKET_AT.pattern)
# A plain " at " is an address only before a domain: " at gmail.com", " at gmail dot com".
# The literal space first lets the regex engine skip ahead quickly.
_WEAK_AT = re.compile(r" +(?:at|AT|At) +")
_WEAK_AT_HINT = re.compile(r" (?:at|AT|At) +[^\W_][\w-]*(?:\.[^\W\d_]| +(?:dot|DOT|Dot) )")
_LOCAL_TAIL = re.compile(r"[\w.%+-]{1,64}\Z")
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+)"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
# Labels, then a top-level domain of letters that is not followed by another label.
_DOMAIN = re.compile(rf"{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}[^\W\d_]{{2,24}}(?![\w-]|\.[^\W_])", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"[\[({<]|\sdot\s", re.IGNORECASE)
# Any Unicode digits (`\d` in a str pattern), so this runs before normalizing:
# most texts have no run of 7 digits, and then nothing else digit-based runs.
_ANY_DIGIT_RUN = re.compile(rf"\d(?:{_SEPARATOR}{{0,3}}\d){{6,}}")
# "ayesha at gmail.com" is an address; "sells at daraz.pk" is not: with a
# plain "at" and a real dot, only well-known mail providers count.
_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "icloud", "me",
    "aol", "proton", "protonmail", "pm", "rediffmail", "zoho", "gmx", "mail", "yandex",
})


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
    urls = [m.span() for m in _URL.finditer(text)]
    found: set[tuple[int, int]] = set()
    for w_start, w_end in windows:
        window = text[w_start:w_end]
        for region in _REGIONS:
            for match in PhoneNumberMatcher(window, region, leniency=Leniency.VALID):
                start, end = w_start + match.start, w_start + match.end
                if (start, end) not in found and _plausible_phone(match, _inside(urls, start, end)):
                    found.add((start, end))
    return sorted(found)


def _plausible_phone(match: PhoneNumberMatch, in_url: bool) -> bool:
    """Whether a valid number was written the way people write phone numbers.

    Written with a trunk ``0`` or a country code (``+92``, ``0092``, ``92...``)
    it is a phone number.  Bare national digits are one only for a mobile
    number: a bare 10-digit Indian landline is indistinguishable from a
    marketplace id (``1234567890`` is a valid Delhi number), and inside a URL
    even a bare mobile-looking number is far more likely a listing id.
    """
    number = match.number
    digits = _NOT_DIGIT.sub("", match.raw_string)
    if len(digits) > len(national_significant_number(number)):
        return True
    return not in_url and number_type(number) in _MOBILE_TYPES


def _email_hint(text: str) -> bool:
    """Whether ``text`` may hold an address: cheaper than looking for one."""
    return "@" in text or _BRACKET_AT.search(text) is not None or _WEAK_AT_HINT.search(text) is not None


def _skip_blanks(text: str, index: int, step: int) -> int:
    # Obfuscated forms put blanks around the "at": `ayesha [at] gmail.com`.
    while 0 < index < len(text) and text[index if step > 0 else index - 1] in " \t":
        index += step
    return index


def _emails(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses, plain or obfuscated (``name [at] domain [dot] com``)."""
    out: list[tuple[int, int]] = []
    for pattern, weak in ((_AT, False), (_WEAK_AT, True)):
        for at in pattern.finditer(text):
            local_end, domain_start = at.span()
            if text[local_end] in "[({<":  # only a bracketed "at" may stand apart
                local_end, domain_start = _skip_blanks(text, local_end, -1), _skip_blanks(text, domain_start, 1)
            local = _LOCAL_TAIL.search(text, max(0, local_end - 64), local_end)
            domain = _DOMAIN.match(text, domain_start)
            if local is None or domain is None or not local.group().strip(".-+%"):
                continue
            if weak and _OBFUSCATED_DOT.search(domain.group()) is None \
                    and domain.group().split(".", 1)[0].lower() not in _MAIL_PROVIDERS:
                continue
            out.append((local.start(), domain.end()))
    return out


def _worth_a_look(text: str) -> bool:
    """Whether ``text`` may hold anything :func:`find_private_data` finds."""
    return _ANY_DIGIT_RUN.search(text) is not None or _email_hint(text)


def find_private_data(text: str) -> list[PrivateFinding]:
    """Phone numbers, CNICs, Aadhaar numbers and e-mail addresses in ``text``, in order.

    Overlapping findings are reported once (the earliest, then the longest).
    """
    digits = _ANY_DIGIT_RUN.search(text) is not None  # CNIC, Aadhaar and phones all have 7+ digits
    email = _email_hint(text)
    if not digits and not email:
        return []
    norm = normalize_digits(text)
    spans: list[tuple[int, int, PrivateKind]] = [(s, e, "email") for s, e in _emails(norm)] if email else []
    if digits:
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
_IDENTITY_HINT = "remove it: the site never needs an identity number; keep such records outside the catalog"
# Findings a maintainer may allow: numbers that are not identity numbers.  An e-mail address is
# not a number, and an identity number is never published, whatever the allowed list says.
ALLOWABLE_KINDS: frozenset[PrivateKind] = frozenset({"phone"})
_ALLOWED_HINT = ("if it is not a phone number (an order number, a design code), a maintainer can allow it "
                 "for this file in artisans/_registry/allowed_numbers.yml")
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
        at = _AT.search(text) or _WEAK_AT.search(text)
        if at is not None:
            local_end = _skip_blanks(text, at.start(), -1) if text[at.start()] in "[({<" else at.start()
            return text[:1] + "\u2022" * max(1, local_end - 1) + text[local_end:]
    digits = sum(ch.isdecimal() for ch in text)
    out, seen = [], 0
    for ch in text:
        if ch.isdecimal():
            seen += 1
            out.append(ch if seen <= 2 or seen > digits - 2 else "\u2022")
        else:
            out.append(ch)
    return "".join(out)


class _Allowances:
    """The numbers allowed in one entry file, and which of them its findings used."""

    __slots__ = ("by_digits", "used")

    def __init__(self, allowed: tuple[AllowedNumber, ...]) -> None:
        self.by_digits = {a.digits: a for a in allowed}
        self.used: set[str] = set()

    def allows(self, finding: PrivateFinding) -> bool:
        if finding.kind not in ALLOWABLE_KINDS:
            return False
        digits = number_digits(finding.text)
        if digits in self.by_digits and identity_kind(digits) is None:
            self.used.add(digits)
            return True
        return False

    def report_unused(self, cx: Context) -> None:
        # Located in the registry, where the line to remove is: an allowance
        # nobody needs would let the number back in unseen if it came back.
        for digits, allowed in self.by_digits.items():
            if digits not in self.used:
                cx.sink.warning(
                    "allowed-number-unused",
                    f"the allowed number ending in {digits[-2:]} is not flagged in `{cx.path}`, its `where`: "
                    "the entry no longer holds it (or holds it as something else)",
                    allowed.location,
                    "remove this item, or correct `number` to the digits the private-data error points at")



def _report(finding: PrivateFinding, label: str, location: Location, entry_kind: str,
            cx: Context, allowances: _Allowances | None) -> None:
    if allowances is not None and allowances.allows(finding):
        return
    contact = finding.kind in ("phone", "email")
    what = "contact details" if contact else "identity numbers"
    hint = _CONTACT_HINT.get(entry_kind, _CONTACT_HINT["artisan"]) if contact else _IDENTITY_HINT
    if finding.kind in ALLOWABLE_KINDS:
        hint = f"{hint}; {_ALLOWED_HINT}"
    cx.sink.error(
        "private-data",
        f"`{label}` contains what looks like {_WHAT[finding.kind]} ({mask(finding)}); {what} of "
        "artisans must never be published",
        location,
        hint,
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


# Per shape: key -> (the shape of its map, or None for text; whether a list).
_Plan = dict[str, tuple[Shape | None, bool]]
_PLANS: dict[int, _Plan] = {}


def _plan(shape: Shape) -> _Plan:
    """What to scan in a map of ``shape``, worked out once per shape (they are module constants)."""
    plan = _PLANS.get(id(shape))
    if plan is None:
        plan = {}
        for fld in shape.fields:
            # Private fields (consent, draft) are never published, so they may
            # hold anything; listings are ids and URLs; photo paths are not prose.
            if not fld.public or fld.type == "listing" or (shape.name, fld.name) in _NOT_SCANNED:
                continue
            if fld.shape is not None:
                plan[fld.name] = (fld.shape, fld.many)
            elif fld.type in _SCANNED_TYPES:
                plan[fld.name] = (None, fld.many)
        _PLANS[id(shape)] = plan
    return plan


def _collect(node: Map, shape: Shape, prefix: str, out: list[tuple[str, Scalar]]) -> None:
    """Every public text scalar of ``node`` with its label, in source order.

    Unknown keys are errors of their own and `_` keys are private notes:
    neither is in a plan.  Kept to plain loops: it runs on every entry.
    """
    plan = _plan(shape)
    for key, (_key, value) in node.entries.items():
        step = plan.get(key)
        if step is None:
            continue
        child, many = step
        label = prefix + key
        for item in (value.items if many and isinstance(value, Seq) else (value,)):
            if isinstance(item, Scalar):
                if child is None and item.value is not None:
                    out.append((label, item))
            elif isinstance(item, Map):
                if child is not None:
                    _collect(item, child, label + ".", out)
                    continue
                for code, (_code, text) in item.entries.items():  # localized text: code -> text
                    if isinstance(text, Scalar) and text.value is not None and not code.startswith("_"):
                        out.append((f"{label}.{code}", text))


def _scan_front(front: Map, shape: Shape, entry_kind: str, cx: Context, allowances: _Allowances | None) -> None:
    scalars: list[tuple[str, Scalar]] = []
    _collect(front, shape, "", scalars)
    # One look at all the values together (NUL joins nothing a pattern spans)
    # instead of one per value: most entries have nothing to find.
    if not scalars or not _worth_a_look("\x00".join(node.text for _, node in scalars)):
        return
    for label, node in scalars:
        for finding in find_private_data(node.text):
            _report(finding, label, _scalar_location(node, finding.offset, cx), entry_kind, cx, allowances)


def _scan_body(body: str, body_line: int, label: str, entry_kind: str, cx: Context,
               allowances: _Allowances | None) -> None:
    for finding in find_private_data(body):
        offset = finding.offset
        line_start = body.rfind("\n", 0, offset) + 1
        location = Location(cx.path, body_line + body.count("\n", 0, offset), offset - line_start + 1)
        _report(finding, label, location, entry_kind, cx, allowances)


def check_private_data(front: Node | None, shape: Shape, body: str, body_line: int, cx: Context) -> None:
    """Report private data in the public front matter fields and the body of an entry.

    ``shape`` is :data:`~karigar.model.schema.ARTISAN` or
    :data:`~karigar.model.schema.PRODUCT`; the body is the story or the
    description.  Scanned: every public text value (localized or not, in
    lists and nested maps such as ``location`` and photo ``alt``) and the raw
    Markdown of the body.  Not scanned: listings, photo paths, ``_`` keys,
    ``consent`` and ``draft``.  A phone-like finding whose digits are an
    allowed number of this file (``cx.registries.allowed_numbers``) is not
    reported; an allowed number no finding used is a warning at its line.
    """
    entry_kind = shape.name
    allowed = cx.registries.allowed_numbers.get(cx.path) if cx.registries is not None else None
    allowances = _Allowances(allowed) if allowed else None
    if isinstance(front, Map):
        _scan_front(front, shape, entry_kind, cx, allowances)
    if body:
        _scan_body(body, body_line, "story" if entry_kind == "artisan" else "description", entry_kind, cx,
                   allowances)
    if allowances is not None and isinstance(front, Map):  # unreadable front matter: not the whole entry
        allowances.report_unused(cx)
