"""URL policy: which outgoing addresses the engine will write into a page.

Every URL that reaches an ``href`` or ``src`` comes from content written by
strangers, so the policy is an allow-list: an ``https://`` address on a plain
DNS name, nothing else.  A URL that passes is kept as parts
(:class:`SafeUrl`) and written back with :meth:`SafeUrl.unparse`, which
re-encodes every part, so the raw input is never echoed into a page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

__all__ = ["SafeUrl", "host_allowed", "parse_https_url", "add_query_params", "page_link_problem"]

# A DNS label as written in a URL: ASCII letters, digits and inner hyphens.
# Underscores are refused: no registrable host needs one, and they are a
# favourite of look-alike hosts.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LABEL_RE = re.compile(_LABEL + r"\Z")
# Two labels at least; checked on the normalized host (lower case, no trailing dot).
_HOST_RE = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}\Z")
# What the WHATWG URL parser reads as an IPv4 number when it is the last
# label: decimal (`2130706433`, `127.1`), hex (`0x7f`, `0x`) or octal digits.
_NUMERIC_LABEL_RE = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)\Z")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# ASCII whitespace, C0/C1 controls, DEL and the backslash: refused anywhere.
_ASCII_BAD_RE = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
_HEX = "0123456789abcdefABCDEF"
_C0_AND_SPACE = "".join(map(chr, range(0x21)))

# Characters written as-is in each part; everything else is percent-encoded.
# Quotes, angle brackets, backticks and braces are always encoded, so an
# unparsed URL is inert even in a careless template.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&()*+,;=:@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_PARAM_SAFE = _UNRESERVED
# Fast path: a part made only of safe characters and valid escapes is kept.
_PATH_CLEAN_RE = re.compile(r"(?:[A-Za-z0-9\-._~!$&()*+,;=:@/]|%[0-9A-Fa-f]{2})*\Z")
_QUERY_CLEAN_RE = re.compile(r"(?:[A-Za-z0-9\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*\Z")


def _percent_encode(text: str, safe: frozenset[str], *, keep_escapes: bool = True) -> str:
    """Encode every character outside ``safe``; keep ``%XX`` escapes if asked."""
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in safe:
            out.append(ch)
        elif keep_escapes and ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            # Already an escape: re-encoding it would change the address.
            out.append(text[i : i + 3])
            i += 3
            continue
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _encode_part(text: str, clean_re: re.Pattern[str], safe: frozenset[str]) -> str:
    return text if clean_re.match(text) else _percent_encode(text, safe)


@dataclass(frozen=True, slots=True)
class SafeUrl:
    """An https URL that passed :func:`parse_https_url`, kept as its parts.

    ``host`` is lower case without a trailing dot; ``port`` is ``443`` when
    written, else ``None``; ``path``, ``query`` and ``fragment`` are as
    written (without their ``?``/``#``) and are encoded by :meth:`unparse`.
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str
    fragment: str

    def unparse(self) -> str:
        """The URL rebuilt from its parts, percent-encoding anything unsafe."""
        url = f"{self.scheme}://{self.host}"
        if self.port is not None:
            url += f":{self.port}"
        path = self.path
        if path and not path.startswith("/"):
            path = "/" + path
        url += _encode_part(path, _PATH_CLEAN_RE, _PATH_SAFE)
        if self.query:
            url += "?" + _encode_part(self.query, _QUERY_CLEAN_RE, _QUERY_SAFE)
        if self.fragment:
            url += "#" + _encode_part(self.fragment, _QUERY_CLEAN_RE, _QUERY_SAFE)
        return url


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``allowed``.

    Matching is exact, except that an entry written with a leading dot
    (``.daraz.pk``) also allows every subdomain and the bare domain.  Case
    and one trailing dot are ignored on both sides.
    """
    host = _normalize_host(host)
    if not host:
        return False
    if isinstance(allowed, (set, frozenset)):
        # Fast path for the usual normalized set: a handful of look-ups
        # instead of a scan of every entry.
        if host in allowed or "." + host in allowed:
            return True
        dot = host.find(".")
        while dot != -1:
            if host[dot:] in allowed:
                return True
            dot = host.find(".", dot + 1)
    for entry in allowed:
        entry = _normalize_host(entry)
        if entry.startswith("."):
            if len(entry) > 1 and (host == entry[1:] or host.endswith(entry)):
                return True
        elif entry and host == entry:
            return True
    return False


def _normalize_host(host: str) -> str:
    host = host.lower()
    return host[:-1] if host.endswith(".") else host


def _bad_character(raw: str) -> str:
    """A reason if ``raw`` holds whitespace, control or invisible characters, or a backslash."""
    bad = _ASCII_BAD_RE.search(raw)
    if bad:
        if bad.group() == "\\":
            return "it contains a backslash, which browsers read as `/`"
        return "it contains whitespace or a control character"
    if raw.isascii():
        return ""
    for ch in raw:
        code = ord(ch)
        if code <= 0x20 or 0x7F <= code <= 0x9F:
            return "it contains whitespace or a control character"
        if code > 0x7F and (ch.isspace() or unicodedata.category(ch) in ("Cf", "Cs", "Zs", "Zl", "Zp")):
            # Zero-width and bidirectional marks make an address look like another.
            return "it contains whitespace or an invisible formatting character"
    return ""


def _scheme_reason(raw: str) -> str:
    """Why ``raw`` (which does not start with ``https://``) is not an https URL."""
    match = _SCHEME_RE.match(raw)
    if match:
        scheme = match.group(1).lower()
        if scheme == "https":
            return "it must start with `https://` followed by the host name"
        return f"it uses the `{scheme[:20]}:` scheme; only `https://` addresses are allowed"
    if raw.startswith("//"):
        return "it has no scheme; write the full address starting with `https://`"
    head = raw.split("/", 1)[0]
    if "&" in head or "%" in head:
        return "its scheme is hidden behind character references or percent-encoding"
    if not raw:
        return "it is empty"
    return "it is not an absolute `https://` address (relative paths are not allowed)"


def parse_https_url(raw: str) -> tuple[SafeUrl | None, str]:
    """Check ``raw`` against the link policy: ``(url, "")`` or ``(None, reason)``.

    Accepted: ``https://`` (any letter case) on a plain ASCII DNS name, with
    no user-info, no IP literal or numeric host, no ``xn--`` label, and port
    443 or none.  Whitespace, control characters and backslashes are refused
    anywhere, because browsers silently drop or reinterpret them.
    """
    reason = _bad_character(raw)
    if reason:
        return None, reason
    if raw[:8].lower() != "https://":
        return None, _scheme_reason(raw)
    rest = raw[8:]
    end = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if pos != -1 and pos < end:
            end = pos
    authority, rest = rest[:end], rest[end:]
    if "@" in authority:
        return None, "it contains a user name (`user@host`), which can disguise the real host"
    if not authority:
        return None, "it has no host name"
    if authority.startswith("["):
        return None, "its host is an IP address; use the shop's domain name"
    host, colon, port_text = authority.partition(":")
    port: int | None = None
    if colon:
        if not port_text.isascii() or not port_text.isdigit():
            return None, "its port is not a number"
        if int(port_text) != 443:
            return None, f"it uses port {port_text[:10]}; only the standard https port is allowed"
        port = 443
    host = _normalize_host(host)
    # One regex for the usual host; the slow explanation only on failure.
    if (
        not _HOST_RE.match(host)
        or _NUMERIC_LABEL_RE.match(host[host.rfind(".") + 1 :])
        or host.startswith("xn--")
        or ".xn--" in host
    ):
        return None, _host_reason(host) or "its host name is not valid"

    fragment = query = ""
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    if "?" in rest:
        rest, query = rest.split("?", 1)
    return SafeUrl("https", host, port, rest, query, fragment), ""


def _host_reason(host: str) -> str:
    """Why ``host`` is not a plain DNS name, or an empty string."""
    if not host:
        return "it has no host name"
    if not host.isascii():
        return "its host name has non-ASCII letters, which can imitate another site"
    host = _normalize_host(host)
    if len(host) > 253 or not host:
        return "its host name is not valid"
    labels = host.split(".")
    if _NUMERIC_LABEL_RE.match(labels[-1]):
        return "its host is an IP address or a number; use the shop's domain name"
    if len(labels) < 2:
        return "its host name has no domain (write the full name, like `www.etsy.com`)"
    for label in labels:
        if label.startswith("xn--"):
            return "its host name is punycode (`xn--`), which can imitate another site"
        if not _LABEL_RE.match(label):
            if "%" in label:
                return "its host name is percent-encoded"
            return "its host name is not valid (letters, digits, hyphens and dots only)"
    return ""


def page_link_problem(dest: str) -> str:
    """Why a link in a ``content/`` page is unsafe, or ``""`` when it may stay.

    Pages may link to any ``https://`` host and to paths within the site
    (relative, ``/site-relative``, ``#fragment``); every other scheme is
    refused, judged the way a browser reads it: ``jav&#x09;ascript:``
    arrives here decoded, with a tab, and the tab is ignored like a browser does.
    """
    # What a browser does before reading the scheme: trim C0 controls and
    # spaces, drop tabs and newlines anywhere.
    cleaned = dest.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in cleaned):
        return "it contains control characters"
    if "\\" in cleaned:
        return "it contains a backslash, which browsers read as `/`"
    match = _SCHEME_RE.match(cleaned)
    if match and match.group(1).lower() != "https":
        return f"it uses the `{match.group(1).lower()[:20]}:` scheme"
    if cleaned.startswith("//"):
        return "it starts with `//` (another site without a scheme); write `https://`"
    return ""


def _param_name(raw_pair: str) -> str:
    """The decoded name of one ``name=value`` query pair, for override matching."""
    return unquote_plus(raw_pair.split("=", 1)[0])


def add_query_params(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` added, replacing any existing pair of the same name.

    Existing pairs keep their order and their exact encoding; the new pairs
    follow, sorted by name and percent-encoded, so the result is the same on
    every build.  The fragment stays at the end.
    """
    if not params:
        return url
    base, hash_mark, fragment = url.partition("#")
    base, _, query = base.partition("?")
    kept = [pair for pair in query.split("&") if pair and _param_name(pair) not in params]
    # New names and values are plain text, so a `%` in them is encoded too.
    added = [
        f"{_percent_encode(name, _PARAM_SAFE, keep_escapes=False)}="
        f"{_percent_encode(value, _PARAM_SAFE, keep_escapes=False)}"
        for name, value in sorted(params.items())
    ]
    return f"{base}?{'&'.join(kept + added)}{hash_mark}{fragment}"
