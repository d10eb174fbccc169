"""XSS payloads in every field of an entry: each is rejected with a located error or rendered inert.

The payloads follow the classes of OWASP's XSS filter evasion cheat sheet
(tags, event handlers, script URLs in every spelling, attribute and element
break-outs, mutation XSS, template injection) plus Karigar's own risks (the
frame's slot markers, control and bidi characters, the iCalendar feed).  Each
payload gets its own artisan, product and training resource, with the payload
in every text field; a build that reports errors is pruned of the entries
with errors (after checking every error is located) and built again, so the
payloads that are accepted are then all rendered and audited together.

The audit (:func:`audit_site`) parses every HTML output with html.parser:
no inline script but the ones Material's own templates emit (read from the
installed mkdocs-material package, never from a build: see
:func:`material_inline_scripts`) and JSON-LD data blocks that parse as
one schema.org object without a ``<``, no event-handler attribute, no
``javascript:``/``data:``/``vbscript:`` URL, no element that could load or
run anything (iframe, object, base, meta refresh, style), exactly one
``<title>``; template syntax stays literal.  A corpus that every renderer
refused would pass such an audit trivially, so each test also requires a
minimum of accepted payloads and finds each accepted entry's pages.

Most runs are English-only, several with the plain stand-in frame; one run
goes through MkDocs Material in the sample's three languages, where the
frames carry the slot markers that the ``frame-markers`` payloads aim at.
tests/test_browser_csp.py loads the accepted payloads in Chromium under the
site's CSP.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import material
import pytest

from karigar.diagnostics import Diagnostic, format_text
from karigar.pipeline import build_site, check_site
from karigar.write.funnel import MemoryWriter
from tests.conftest import NOW, REPO, settings_for

# id -> payload.  Ids name folders and slugs, so they are slug-safe.
PAYLOADS: dict[str, str] = {
    # Tags and event handlers.
    "script-tag": "<script>alert(1)</script>",
    "script-upper-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-quotes": '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "body-onload": "<body onload=alert(1)>",
    "nested-open": "<<script>alert(1);//<</script>",
    "iframe-js": "<iframe src=javascript:alert(1)></iframe>",
    "object-data": '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "style-attr": '<div style="background:url(javascript:alert(1))">x</div>',
    "style-import": "<style>@import 'https://evil.example/x.css';</style>",
    "base-tag": '<base href="javascript:alert(1)//">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "formaction": "<form><button formaction=javascript:alert(1)>x</button></form>",
    # Script URLs in every spelling.
    "js-url": "javascript:alert(1)",
    "js-url-case": "JaVaScRiPt:alert(1)",
    "js-url-tab": "java\tscript:alert(1)",
    "js-url-newline": "java\nscript:alert(1)",
    "js-url-entity-tab": "jav&#x09;ascript:alert(1)",
    "js-url-decimal": "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "js-url-hex-padded": "&#x0000006A;avascript&#0000058alert(1)",
    "js-url-control": "\x01 javascript:alert(1)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript-url": "vbscript:msgbox(1)",
    # Break-outs of attributes, strings, raw-text elements and comments.
    "attr-double": '"><script>alert(1)</script>',
    "attr-single": "'><svg onload=alert(1)>",
    "attr-unquoted": "x onmouseover=alert(1)",
    "js-string": "'-alert(1)-'",
    "script-close": "</script><script>alert(1)</script>",
    "style-close": "</style><script>alert(1)</script>",
    "title-close": "</title><script>alert(1)</script>",
    "textarea-close": "</textarea><script>alert(1)</script>",
    "comment-close": "--><script>alert(1)</script><!--",
    "json-break": '"}]</script><script>alert(1)</script>',
    # Mutation XSS.
    "mxss-math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "mxss-noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "mxss-comment": '<!--<img src="--><img src=x onerror=alert(1)//">',
    # Markdown-specific.
    "md-link-js": "[click](javascript:alert(1))",
    "md-link-entity": "[click](&#106;avascript:alert(1))",
    "md-autolink-js": "<javascript:alert(1)>",
    "md-image-data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md-link-title": '[x](https://www.etsy.com/listing/1 "a\\" onmouseover=\\"alert(1)")',
    "md-attr-list": 'text{: onclick="alert(1)"}',
    "md-ref-js": "[x][r]\n\n[r]: javascript:alert(1)",
    # Template injection and Karigar's frame markers.
    "jinja-expr": "{{7*7}}",
    "jinja-marked": "{{ 7*191 }}",
    "jinja-raw": "{% raw %}{{ config }}{% endraw %}",
    "jinja-loop": "{% for x in range(3) %}LOOP{% endfor %}",
    "frame-markers": "@@KARIGAR-TITLE@@<!--@@KARIGAR-HEAD@@--><!--@@KARIGAR-BODY@@-->",
    # The language switcher's slot, which only multi-language Material frames have.
    "frame-link-marker": "@@KARIGAR-LINK-ur@@",
    # Characters.
    "null-byte": "a\x00<script>alert(1)</script>",
    "rtl-override": "\u202egnp.exe",
    "line-separators": "x\u2028y\u2029</script>",
    "url-encoded": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "ics-injection": "x\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT",
}
# Template expressions whose evaluation would show a tell-tale result.
EVALUATED_TELLS = ("1337", "LOOPLOOP")

PHOTO = REPO / "artisans" / "pk" / "thatta" / "shazia-bibi" / "photos" / "portrait.jpg"
ERROR_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): error: \S")


def yaml_text(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (JSON strings are valid YAML 1.2)."""
    return json.dumps(value)


def write_site(root: Path, files: dict[str, str], *, languages: tuple[str, ...] = ("en",)) -> Path:
    """A site in ``root``: the repository's mkdocs.yml, theme and registries plus ``files``.

    The same adaptation as conftest's ``make_site``, in a folder the caller
    chooses, so module-scoped fixtures (the browser test) can use it; it
    publishes ``languages`` (English only unless a test asks for more).
    """
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    # Photo variants are made locally whoever runs the test (`auto` follows NETLIFY).
    config = config.replace("      image_cdn: auto\n", "")
    pinned = f"      languages: [{', '.join(languages)}]\n      templates_dir: {REPO / 'theme' / 'karigar'}\n"
    config = re.sub(r"(?m)^      languages: \[.*\]\n", lambda _: pinned, config, count=1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    shutil.copytree(REPO / "artisans" / "_registry", root / "artisans" / "_registry", dirs_exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "about.md").write_text("---\ntitle: About\n---\n\nAbout the corpus.\n", "utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def artisan_folder(key: str) -> str:
    return f"artisans/pk/dist-{key}/xss-{key}"


def text_field_files(payloads: dict[str, str], *, training_titles: bool = True) -> dict[str, str]:
    """Every text field of an artisan, a product and a workshop holds the payload; bodies are plain.

    ``training_titles=False`` keeps the workshops' titles plain (the browser
    test uses it); with payloads there, a workshop's page title is rendered by
    MkDocs Material, which the runs with ``run_mkdocs=True`` audit
    (:func:`test_payloads_in_front_matter_of_content_pages_are_rejected_or_inert`
    and the three-language run).
    """
    files: dict[str, str] = {}
    for key, payload in payloads.items():
        p = yaml_text(payload)
        title = p if training_titles else yaml_text(f"Workshop {key}")
        folder = artisan_folder(key)
        files[f"{folder}/index.md"] = f"""---
name: {{en: {p}, ur: {p}}}
kind: cooperative
members: 3
crafts: [ralli-quilting]
location: {{district: "Dist {key}", province: {p}}}
photo: {{src: photos/portrait.jpg, alt: {p}}}
languages: [ur]
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
verified: {{by: {p}, date: 2025-03-02}}
featured: true
---

A plain story.
"""
        files[f"{folder}/products/thing.md"] = f"""---
title: {p}
photos: [{{src: photos/portrait.jpg, alt: {p}}}]
price: {{amount: 100, currency: PKR}}
materials: [{p}, cotton]
dimensions: {p}
listings:
  - {{marketplace: etsy, id: "1234567890"}}
---

A plain description.
"""
        files[f"content/training/xss-{key}.md"] = f"""---
title: {title}
kind: workshop
provider: {p}
url: https://example.org/training/{key}
starts: 2026-12-20T10:00:00+05:00
duration_minutes: 60
languages: [en]
topics: [{p}, pricing]
location: {{city: {p}, venue: {p}}}
---

A plain workshop.
"""
    return files


def body_files(payloads: dict[str, str]) -> dict[str, str]:
    """The payload in the story, the description and the bodies of a training resource and a page."""
    files: dict[str, str] = {}
    for key, payload in payloads.items():
        folder = artisan_folder(key)
        files[f"{folder}/index.md"] = f"""---
name: Body {key}
crafts: [ralli-quilting]
location: {{district: "Dist {key}", province: Sindh}}
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

Story: {payload}

{payload}
"""
        files[f"{folder}/products/thing.md"] = f"""---
title: Thing {key}
listings:
  - {{marketplace: etsy, id: "1234567890"}}
---

{payload}

- item {payload}
"""
        files[f"content/training/xss-{key}.md"] = f"""---
title: Guide {key}
kind: guide
provider: Karigar
url: https://example.org/training/{key}
languages: [en]
---

Guide: {payload}

{payload}
"""
        files[f"content/pages/xss-{key}.md"] = f"---\ntitle: {yaml_text(payload)}\n---\n\nPage: {payload}\n\n{payload}\n"
    return files


def url_field_files(payloads: dict[str, str]) -> dict[str, str]:
    """The payload as every URL (listing, shop link, training url and registration), and inside an allowed URL."""
    files: dict[str, str] = {}
    for key, payload in payloads.items():
        folder = artisan_folder(key)
        inside = yaml_text("https://www.etsy.com/listing/1?q=" + payload)
        files[f"{folder}/index.md"] = f"""---
name: Url {key}
crafts: [ralli-quilting]
location: {{district: "Dist {key}", province: Sindh}}
links:
  - {{marketplace: etsy, url: {inside}}}
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

Story.
"""
        files[f"{folder}-direct/index.md"] = f"""---
name: Direct {key}
crafts: [ralli-quilting]
location: {{district: "Dist {key}", province: Sindh}}
links:
  - {{marketplace: etsy, url: {yaml_text(payload)}}}
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

Story.
"""
        files[f"{folder}/products/direct.md"] = f"""---
title: Direct {key}
listings:
  - {{marketplace: daraz, url: {yaml_text(payload)}}}
---
"""
        files[f"{folder}/products/inside.md"] = f"""---
title: Inside {key}
listings:
  - {{marketplace: etsy, url: {inside}}}
---
"""
        files[f"{folder}/products/by-id.md"] = f"""---
title: By id {key}
listings:
  - {{marketplace: etsy, id: {yaml_text(payload)}}}
---
"""
        files[f"content/training/xss-{key}.md"] = f"""---
title: Webinar {key}
kind: webinar
provider: Karigar
url: {yaml_text(payload)}
registration: {inside}
starts: 2026-12-20T10:00:00+05:00
languages: [en]
---
"""
    return files


# --- building with pruning --------------------------------------------------------

@dataclass
class CorpusBuild:
    """A corpus site after pruning: what was rejected (by entry) and the outputs of the rest."""

    root: Path
    rejected: dict[str, list[str]] = field(default_factory=dict)  # entry -> first lines of its errors
    outputs: dict[str, bytes] = field(default_factory=dict, repr=False)  # (megabytes: kept out of messages)

    def accepted(self, entry: str) -> bool:
        """Whether ``entry`` was built: neither it nor its artisan folder had errors."""
        return not any(entry == rejected or entry.startswith(rejected + "/") for rejected in self.rejected)

    def accepted_keys(self, entry_of_key: Callable[[str], str]) -> list[str]:
        """The payloads whose entry (``entry_of_key(key)``) was accepted."""
        return [key for key in PAYLOADS if self.accepted(entry_of_key(key))]


def entry_of(path: str) -> str:
    """The entry a diagnostic's file belongs to: an artisan folder, a product file, a page."""
    parts = path.split("/")
    if parts[0] == "artisans" and len(parts) >= 5 and parts[4] == "index.md":
        return "/".join(parts[:4])
    return path


def assert_located(diagnostic: Diagnostic, root: Path) -> str:
    """The error's first line, checked: ``path:line:col: error: message`` with a real path and line."""
    first = format_text(diagnostic).split("\n", 1)[0]
    match = ERROR_LINE.match(first)
    assert match, f"not a located error: {first!r}"
    path = root / match["path"]
    assert path.is_file(), first
    # A line of the file (or the one just past its end, where a missing part would go).
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    assert 1 <= int(match["line"]) <= len(lines) + 1 and int(match["col"]) >= 1, first
    return first


def prune_and_build(root: Path, *, run_mkdocs: bool, rounds: int = 4) -> CorpusBuild:
    """Check; drop the entries with (located) errors; repeat; then build what is left in memory."""
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    built = CorpusBuild(root)
    for _ in range(rounds):
        errors = [d for d in check_site(settings, now=NOW, jobs=1).diagnostics if d.is_error]
        if not errors:
            break
        for diagnostic in errors:
            first = assert_located(diagnostic, root)
            entry = entry_of(diagnostic.location.path)
            assert entry.startswith(("artisans/pk/", "content/")), f"an error outside the corpus: {first}"
            built.rejected.setdefault(entry, []).append(first)
        for entry in built.rejected:
            target = root / entry
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
    else:
        pytest.fail("pruning did not converge")
    writer = MemoryWriter()
    result = build_site(settings, now=NOW, writer=writer, run_mkdocs=run_mkdocs, jobs=1)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    built.outputs = dict(writer.files)
    return built


# --- the audit of the output -----------------------------------------------------

URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "ping",
    "lowsrc", "dynsrc", "longdesc", "manifest", "codebase", "archive", "icon", "srcset", "imagesrcset",
})
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_ELEMENTS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
                                "noscript", "template", "portal", "math"})
# Browsers drop ASCII tab and newline anywhere in a URL and C0 controls and
# spaces at its ends, before they read the scheme.
_URL_STRIP = "".join(chr(c) for c in range(0x21))
# A frame's language-switcher slot (karigar.render.look.link_slot) left in a link: a frame
# whose slots were not all filled, or content that forged one.
_LINK_SLOT = re.compile(r"^@@KARIGAR-LINK-[a-z]{2,3}@@$")


def url_scheme_of(value: str) -> str:
    """What a browser would read as the start of the URL ``value`` (lower-cased)."""
    cleaned = value.strip(_URL_STRIP)
    cleaned = cleaned.replace("\t", "").replace("\n", "").replace("\r", "")
    return cleaned.lower()


def page_url(output: str) -> str:
    """The URL a page is served at, for resolving its relative URLs."""
    if output.endswith("index.html"):
        return "/" + output[: -len("index.html")]
    return "/" + output


# --- the allow-list of inline scripts: Material's own, read from its package ----------
#
# Karigar's templates emit no inline script (they load files), so the only inline
# scripts a page may carry are the ones MkDocs Material writes.  Material keeps each of
# them as a one-line <script> in a partial of templates/partials/javascripts/ (base,
# palette, content, consent, announce, outdated).  They are read from the installed
# package, not from a built page: an allow-list taken from the output would allow
# whatever the build under test put there.
MATERIAL_SCRIPTS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
# The only template expressions in those scripts are the site's URL (`base_url`, or
# `config.extra.scope` defaulting to it), inside a JavaScript string.  MkDocs writes it as
# "/" or as a relative path ("..", "../.."): dots and slashes, which cannot end the string.
_URL_HOLE = r"[./]+"


@functools.cache
def material_inline_scripts() -> tuple[re.Pattern[str], ...]:
    """One pattern per inline script of Material's templates: its text, with each expression a URL hole."""
    patterns = []
    for partial in sorted(MATERIAL_SCRIPTS.glob("*.html")):
        for body in _TEMPLATE_SCRIPT.findall(partial.read_text("utf-8")):
            pieces = _TEMPLATE_EXPRESSION.split(body)
            patterns.append(re.compile(_URL_HOLE.join(re.escape(piece) for piece in pieces)))
    return tuple(patterns)


@functools.lru_cache(maxsize=None)  # a site repeats the same few scripts on every page
def is_material_script(text: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in material_inline_scripts())


class _Auditor(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.problems: list[str] = []
        self.inline_scripts: list[str] = []
        self.titles = 0
        self.bodies = 0
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>: {value!r}")
            if name in URL_ATTRIBUTES and value is not None:
                for candidate in value.split(",") if name.endswith("srcset") else [value]:
                    if url_scheme_of(candidate).startswith(BAD_SCHEMES):
                        self.problems.append(f"{name}={value!r} on <{tag}>")
                if _LINK_SLOT.match(value.strip()):
                    self.problems.append(f"an unfilled language-switcher slot: {name}={value!r} on <{tag}>")
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "title":
            self.titles += 1
        if tag == "body":
            self.bodies += 1
        if tag == "script":
            self._script = values
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        attrs, text = self._script, "".join(self._script_text)
        self._script = None
        src = attrs.get("src")
        if src is not None:
            path = urljoin(self.url, src)
            # The web editor's page loads its own two files (the engine writes that page; no content reaches it).
            editor = self.url.startswith("/admin/") and path in ("/admin/clean-photos.js", "/admin/sveltia-cms.js")
            if not path.startswith(("/assets/", "/__karigar__/")) and not editor:
                self.problems.append(f"<script src={src!r}>")
        elif (attrs.get("type") or "").lower() == "application/json":
            if attrs.get("id") != "__config":
                self.problems.append(f"unknown JSON script {attrs!r}")
        elif (attrs.get("type") or "").lower() == "application/ld+json":
            # Structured data: a data block the browser never runs, but content is inside it.  It must be one
            # schema.org JSON object, with no `<` at all (content's `</script>` or `<!--` written as \u003c).
            if "<" in text:
                self.problems.append(f"a `<` inside JSON-LD: {text[:80]!r}")
            try:
                found = json.loads(text)
            except ValueError:
                found = None
            if not isinstance(found, dict) or found.get("@context") != "https://schema.org":
                self.problems.append(f"JSON-LD that is not one schema.org object: {text[:80]!r}")
        else:
            self.inline_scripts.append(text)

    def handle_comment(self, data: str) -> None:
        if "KARIGAR" in data:
            self.problems.append(f"a frame marker comment survived: {data!r}")


def audit_page(output: str, data: bytes) -> list[str]:
    """Every problem found in one HTML output."""
    auditor = _Auditor(page_url(output))
    auditor.feed(data.decode("utf-8"))
    auditor.close()
    problems = list(auditor.problems)
    problems += [f"an inline script Material never emits: {text[:80]!r}" for text in auditor.inline_scripts
                 if not is_material_script(text)]
    if auditor.titles != 1:
        problems.append(f"{auditor.titles} <title> elements")
    if auditor.bodies > 1:
        problems.append(f"{auditor.bodies} <body> elements")
    text = data.decode("utf-8")
    problems += [f"evaluated template: {tell}" for tell in EVALUATED_TELLS if tell in text]
    return [f"{output}: {p}" for p in problems]


def audit_site(outputs: Iterable[tuple[str, bytes]]) -> list[str]:
    problems: list[str] = []
    for output, data in outputs:
        if output.endswith(".html"):
            problems += audit_page(output, data)
    return problems


# --- the tests ---------------------------------------------------------------------
#
# Floors of accepted payloads: a renderer that refused everything would pass every audit,
# so each run needs at least this many payloads through (of 57).  The counts in the
# comments are what the build accepted when the floors were set; a floor a little lower
# leaves room for a validator that grows stricter, not for one that refuses everything.
FLOOR_TEXT_FIELDS = 40  # artisans and products: 47 of 57; text is text, shown escaped
FLOOR_TRAINING_FIELDS = 20  # workshops: 27 (markup in a title or a field of content/ is refused)
FLOOR_BODIES = 16  # stories and descriptions: 23; trainings and pages: 18
FLOOR_URLS_INSIDE = 20  # a payload in the query of an allowed https URL: 27
FLOOR_FRONT_MATTER = 20  # titles and descriptions of content/ pages: 27


def published_pages(built: CorpusBuild, entries: dict[str, Callable[[str], str]],
                    page_of: dict[str, Callable[[str], str]], languages: tuple[str, ...] = ("",)) -> int:
    """Check every accepted entry's page is in the outputs, in every language; return how many.

    An entry that is neither rejected (with a located error) nor published would be
    a payload the build dropped in silence.
    """
    found = 0
    for kind, entry_of_key in entries.items():
        for key in built.accepted_keys(entry_of_key):
            for lang in languages:
                page = f"{lang}{page_of[kind](key)}"
                assert page in built.outputs, f"{kind} {key}: accepted but {page} was not built"
                found += 1
    return found


def test_the_audit_passes_the_sample_site_and_catches_each_kind_of_injection(sample_site: Path) -> None:
    outputs = [(p.relative_to(sample_site).as_posix(), p.read_bytes()) for p in sample_site.rglob("*.html")]
    assert audit_site(outputs) == []
    # Not vacuous: the sample's pages do carry Material's inline scripts, and each is recognised.
    scripts = [text for _, data in outputs[:5] for text in _inline_scripts(data)]
    assert scripts and all(is_material_script(text) for text in scripts)
    base_script = next(text for text in scripts if text.startswith("__md_scope="))
    bad = {
        "a.html": b"<title>t</title><script>alert(1)</script>",
        "b.html": b"<title>t</title><img src=x onerror=alert(1)>",
        "c.html": b"<title>t</title><a href=' jav&#x09;ascript:alert(1)'>x</a>",
        "d.html": b"<title>t</title><a href='DATA:text/html,x'>x</a>",
        "e.html": b"<title>t</title><form action='vbscript:x'></form>",
        "f.html": b"<title>t</title><script src='https://evil.example/x.js'></script>",
        "g.html": b"<title>t</title><!--@@KARIGAR-BODY@@-->",
        "h.html": b"<title>t</title><title>u</title>",
        "i.html": b"<title>t</title><p>49 1337</p>",
        "j.html": b"<title>t</title><iframe src=/x></iframe>",
        # Material's own script with one statement more, and with code in its URL hole.
        "k.html": b"<title>t</title><script>" + base_script.encode() + b";alert(1)</script>",
        "l.html": b"<title>t</title><script>" + base_script.replace(
            'new URL("/",', 'new URL("/"+alert(1)+"/",').encode() + b"</script>",
        "m.html": b'<title>t</title><a href="@@KARIGAR-LINK-ur@@" hreflang="ur">ur</a>',
    }
    assert 'new URL("/",' in base_script  # so that l.html really changed it
    problems = audit_site(bad.items())
    assert {p.split(":", 1)[0] for p in problems} == set(bad)


def _inline_scripts(data: bytes) -> list[str]:
    auditor = _Auditor("/")
    auditor.feed(data.decode("utf-8"))
    auditor.close()
    return auditor.inline_scripts


def test_material_inline_scripts_are_read_from_the_installed_package_not_from_a_build() -> None:
    """The allow-list is Material's partials; a script found only in a built page is not on it."""
    partials = {path.stem for path in MATERIAL_SCRIPTS.glob("*.html")}
    # The three a Karigar page carries (scope and storage helpers, palette, tabs) are among them.
    assert {"base", "palette", "content"} <= partials
    assert len(material_inline_scripts()) >= 3
    assert is_material_script('var target=document.getElementById(location.hash.slice(1));target&&target.name'
                              '&&(target.checked=target.name.startsWith("__tabbed_"))')
    assert not is_material_script("alert(1)")
    assert not is_material_script("")


def test_payloads_in_every_text_field_are_rejected_with_located_errors_or_rendered_inert(tmp_path: Path) -> None:
    root = write_site(tmp_path / "text", text_field_files(PAYLOADS))
    for key in PAYLOADS:
        (root / artisan_folder(key) / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(PHOTO, root / artisan_folder(key) / "photos" / "portrait.jpg")
    built = prune_and_build(root, run_mkdocs=False)
    assert audit_site(built.outputs.items()) == []

    accepted = built.accepted_keys(artisan_folder)
    # Text is text: most payloads are simply shown, escaped.
    assert len(accepted) >= FLOOR_TEXT_FIELDS, built.rejected
    assert len(built.accepted_keys(lambda key: f"content/training/xss-{key}.md")) >= FLOOR_TRAINING_FIELDS
    # (Workshops' own pages are MkDocs', not built here: they are counted in the calendar below.)
    published_pages(built, {
        "artisan": artisan_folder,
        "product": lambda key: f"{artisan_folder(key)}/products/thing.md",
    }, {
        "artisan": lambda key: f"{artisan_folder(key)}/index.html",
        "product": lambda key: f"{artisan_folder(key)}/thing/index.html",
    })
    for key in ("jinja-expr", "jinja-marked", "jinja-raw", "jinja-loop"):
        assert key in accepted, key
        page = built.outputs[f"{artisan_folder(key)}/index.html"].decode()
        literal = PAYLOADS[key].replace("<", "&lt;").replace(">", "&gt;")
        assert literal in page, f"{key}: the template syntax is shown as written"

    # The calendar: one event per accepted workshop, whatever its text held.
    workshops = built.accepted_keys(lambda key: f"content/training/xss-{key}.md")
    calendar = icalendar.Calendar.from_ical(built.outputs["training/calendar.ics"])
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert len(summaries) == len(workshops), summaries
    assert "injected" not in summaries


BODY_ENTRIES: dict[str, Callable[[str], str]] = {
    "artisan": artisan_folder,
    "product": lambda key: f"{artisan_folder(key)}/products/thing.md",
    "training": lambda key: f"content/training/xss-{key}.md",
    "page": lambda key: f"content/pages/xss-{key}.md",
}
BODY_PAGES: dict[str, Callable[[str], str]] = {
    "artisan": lambda key: f"{artisan_folder(key)}/index.html",
    "product": lambda key: f"{artisan_folder(key)}/thing/index.html",
    "training": lambda key: f"training/xss-{key}/index.html",
    "page": lambda key: f"pages/xss-{key}/index.html",
}


def test_payloads_in_every_body_are_rejected_with_located_errors_or_rendered_inert(tmp_path: Path) -> None:
    root = write_site(tmp_path / "bodies", body_files(PAYLOADS))
    built = prune_and_build(root, run_mkdocs=True)
    assert audit_site(built.outputs.items()) == []
    for kind, entry_of_key in BODY_ENTRIES.items():
        assert len(built.accepted_keys(entry_of_key)) >= FLOOR_BODIES, (kind, built.rejected)
    published_pages(built, BODY_ENTRIES, BODY_PAGES)
    # Raw HTML is never accepted in a body, whatever its spelling.
    for key in ("script-tag", "img-onerror", "svg-onload", "iframe-js", "mxss-math", "mxss-noscript",
                "style-attr", "base-tag", "meta-refresh", "formaction", "md-link-js", "md-autolink-js",
                "md-image-data", "md-ref-js", "md-link-entity"):
        for entry in (artisan_folder(key), f"{artisan_folder(key)}/products/thing.md",
                      f"content/training/xss-{key}.md", f"content/pages/xss-{key}.md"):
            assert not built.accepted(entry), (key, entry)
    # Pages of content/ refuse attribute lists (they could set any attribute).
    assert not built.accepted("content/pages/xss-md-attr-list.md")
    # Template syntax in a story is text.  In a page of content/ it is text too, where it is
    # accepted (today its braces are refused as an attribute list, with a located error).
    for key in ("jinja-expr", "jinja-loop"):
        assert built.accepted(artisan_folder(key)), key
        assert PAYLOADS[key] in built.outputs[f"{artisan_folder(key)}/index.html"].decode(), key
        if built.accepted(f"content/pages/xss-{key}.md"):
            assert PAYLOADS[key] in built.outputs[f"pages/xss-{key}/index.html"].decode(), key


def test_payloads_as_urls_are_rejected_with_located_errors_or_made_safe(tmp_path: Path) -> None:
    root = write_site(tmp_path / "urls", url_field_files(PAYLOADS))
    built = prune_and_build(root, run_mkdocs=False)
    assert audit_site(built.outputs.items()) == []
    # No payload is a valid https URL on a marketplace host, or a marketplace id:
    # every direct use is refused.
    for key in PAYLOADS:
        assert not built.accepted(f"{artisan_folder(key)}-direct"), key
        assert not built.accepted(f"{artisan_folder(key)}/products/direct.md"), key
        assert not built.accepted(f"{artisan_folder(key)}/products/by-id.md"), key
        assert not built.accepted(f"content/training/xss-{key}.md"), key
    inside = built.accepted_keys(lambda key: f"{artisan_folder(key)}/products/inside.md")
    # Payloads without spaces or controls are accepted inside an https URL's query.
    assert len(inside) >= FLOOR_URLS_INSIDE, built.rejected
    published_pages(built, {"inside": lambda key: f"{artisan_folder(key)}/products/inside.md"},
                    {"inside": lambda key: f"{artisan_folder(key)}/inside/index.html"})
    # Inside an allowed URL a payload is percent-encoded, never markup.
    hrefs = [href for output, data in built.outputs.items() if output.endswith(".html")
             for href in re.findall(rb'href="(https://www\.etsy\.com/listing/1\?q=[^"]*)"', data)]
    assert len(hrefs) >= len(inside)
    for href in hrefs:
        assert not re.search(rb"[<>\"'\s]|&#|&quot;|&lt;", href), href


def test_payloads_in_front_matter_of_content_pages_are_rejected_or_inert(tmp_path: Path) -> None:
    files: dict[str, str] = {}
    for key, payload in PAYLOADS.items():
        p = yaml_text(payload)
        files[f"content/training/xss-{key}.md"] = (
            f"---\ntitle: {p}\nkind: guide\nprovider: Karigar\nurl: https://example.org/{key}\n"
            "languages: [en]\n---\n\nA plain guide.\n")
        files[f"content/pages/xss-{key}.md"] = f"---\ntitle: {p}\ndescription: {p}\n---\n\nA plain page.\n"
    built = prune_and_build(write_site(tmp_path / "front", files), run_mkdocs=True)
    assert audit_site(built.outputs.items()) == []
    entries = {"training": BODY_ENTRIES["training"], "page": BODY_ENTRIES["page"]}
    for kind, entry_of_key in entries.items():
        assert len(built.accepted_keys(entry_of_key)) >= FLOOR_FRONT_MATTER, (kind, built.rejected)
    published_pages(built, entries, {"training": BODY_PAGES["training"], "page": BODY_PAGES["page"]})
    # Material writes the page title into <title> and the page: template syntax stays literal there.
    assert built.accepted(BODY_ENTRIES["page"]("jinja-expr"))
    page = built.outputs[BODY_PAGES["page"]("jinja-expr")].decode()
    assert "<title>{{7*7}}" in page, re.findall("<title>.*?</title>", page)


def translation_files(payloads: dict[str, str]) -> dict[str, str]:
    """Urdu translations holding the payload, of the entries :func:`renamed_body_files` writes."""
    files: dict[str, str] = {}
    for key, payload in payloads.items():
        p = yaml_text(payload)
        folder = f"artisans/pk/bodies-{key}/body-{key}"
        files[f"{folder}/index.ur.md"] = f"---\nname: {p}\n---\n\n{payload}\n"
        files[f"{folder}/products/thing.ur.md"] = f"---\ntitle: {p}\nmaterials: [{p}]\n---\n\n{payload}\n"
        files[f"content/training/body-{key}.ur.md"] = f"---\ntitle: {p}\n---\n\n{payload}\n"
        files[f"content/pages/body-{key}.ur.md"] = f"---\ntitle: {p}\n---\n\n{payload}\n"
    return files


def renamed_body_files(payloads: dict[str, str]) -> dict[str, str]:
    """:func:`body_files` under other names (``bodies-``/``body-``), to sit beside the text-field entries.

    The district is renamed with its folder: an artisan whose district is not its
    folder's is refused, which would leave no story to audit.
    """
    return {rel.replace("/xss-", "/body-").replace("/dist-", "/bodies-"):
            text.replace('district: "Dist ', 'district: "Bodies ')
            for rel, text in body_files(payloads).items()}


LANGUAGE_PREFIXES = ("", "ur/", "hi/")  # en (the default) at the root, then Urdu and Hindi


def test_payloads_through_material_in_three_languages_are_rejected_with_located_errors_or_inert(
        tmp_path: Path) -> None:
    """The corpus as a site ships: Material's frames, MkDocs' pages, en/ur/hi, Urdu translations.

    Text fields, bodies and Urdu translations all hold the payloads; every page of
    every language is audited, and the payloads aimed at the frames' slot markers
    (title, head, body, and the language switcher's links, which only a
    multi-language Material frame has) must show as text in a frame left whole.
    """
    files = text_field_files(PAYLOADS)
    files.update(renamed_body_files(PAYLOADS))
    files.update(translation_files(PAYLOADS))
    root = write_site(tmp_path / "material", files, languages=("en", "ur", "hi"))
    for key in PAYLOADS:
        (root / artisan_folder(key) / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(PHOTO, root / artisan_folder(key) / "photos" / "portrait.jpg")
    built = prune_and_build(root, run_mkdocs=True)
    assert audit_site(built.outputs.items()) == []
    # The build wrote its CSP (hashes of Material's inline scripts) with the payloads on the
    # pages: an inline script among them would have stopped it instead.
    assert "_headers" in built.outputs

    def body_folder(key: str) -> str:
        return f"artisans/pk/bodies-{key}/body-{key}"

    entries: dict[str, Callable[[str], str]] = {
        "artisan": artisan_folder,
        "product": lambda key: f"{artisan_folder(key)}/products/thing.md",
        "training": lambda key: f"content/training/xss-{key}.md",
        "story": body_folder,
        "description": lambda key: f"{body_folder(key)}/products/thing.md",
        "guide": lambda key: f"content/training/body-{key}.md",
        "page": lambda key: f"content/pages/body-{key}.md",
        "artisan translation": lambda key: f"{body_folder(key)}/index.ur.md",
        "product translation": lambda key: f"{body_folder(key)}/products/thing.ur.md",
        "guide translation": lambda key: f"content/training/body-{key}.ur.md",
        "page translation": lambda key: f"content/pages/body-{key}.ur.md",
    }
    accepted = {kind: built.accepted_keys(of_key) for kind, of_key in entries.items()}
    floors = {"artisan": FLOOR_TEXT_FIELDS, "product": FLOOR_TEXT_FIELDS, "training": FLOOR_TRAINING_FIELDS}
    for kind, keys in accepted.items():
        assert len(keys) >= floors.get(kind, FLOOR_BODIES), (kind, len(keys), built.rejected)
    pages: dict[str, Callable[[str], str]] = {
        "artisan": lambda key: f"{artisan_folder(key)}/index.html",
        "product": lambda key: f"{artisan_folder(key)}/thing/index.html",
        "training": lambda key: f"training/xss-{key}/index.html",
        "story": lambda key: f"{body_folder(key)}/index.html",
        "description": lambda key: f"{body_folder(key)}/thing/index.html",
        "guide": lambda key: f"training/body-{key}/index.html",
        "page": lambda key: f"pages/body-{key}/index.html",
    }
    published_pages(built, {kind: entries[kind] for kind in pages}, pages, LANGUAGE_PREFIXES)
    # An accepted translation is what the Urdu page shows (its name, not the English one).
    heading = re.compile(r'<h1 class="kg-title"([^>]*)>(.*?)</h1>', re.S)
    for key in accepted["artisan translation"]:
        english = heading.search(built.outputs[f"{body_folder(key)}/index.html"].decode())
        urdu = heading.search(built.outputs[f"ur/{body_folder(key)}/index.html"].decode())
        assert english and english[2] == f"Body {key}", key
        assert urdu and urdu[1] == "" and urdu[2] != english[2], (key, urdu)  # no lang="en" fallback

    # The slot markers, aimed at the frame: shown as text, and each page's frame whole.
    for key in ("frame-markers", "frame-link-marker"):
        assert key in accepted["artisan"], built.rejected.get(artisan_folder(key))
        shown = html.escape(PAYLOADS[key], quote=False)
        for lang in LANGUAGE_PREFIXES:
            page = built.outputs[f"{lang}{artisan_folder(key)}/index.html"].decode()
            assert page.count('<header class="md-header"') == 1, (key, lang)
            # (In Hindi the name falls back to English, marked with lang and dir on the heading.)
            assert re.search(rf'<h1 class="kg-title"[^>]*>{re.escape(shown)}</h1>', page), (key, lang)
            assert re.search(rf"<title>{re.escape(shown)} - Karigar</title>", page), (key, lang)
            switcher = dict(re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)"[^>]*class="md-select__link"', page))
            assert switcher == {f"/{code}{artisan_folder(key)}/": code.rstrip("/") or "en"
                                for code in LANGUAGE_PREFIXES}, (key, lang, switcher)


def test_files_in_content_that_are_not_pages_are_refused(tmp_path: Path) -> None:
    root = write_site(tmp_path / "static", {
        "content/shop.html": '<!doctype html><title>x</title><script src="/shop.js"></script>',
        "content/shop.js": "alert(document.cookie)",
        "content/_headers": "/*\n  Content-Security-Policy: script-src *\n",
        "content/training/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    })
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    errors = [d for d in check_site(settings, now=NOW, jobs=1).diagnostics if d.is_error]
    refused = {assert_located(d, root).split(":", 1)[0] for d in errors}
    assert refused == {"content/shop.html", "content/shop.js", "content/_headers", "content/training/logo.svg"}


def test_error_messages_show_control_and_bidi_characters_escaped(tmp_path: Path) -> None:
    import unicodedata

    payloads = {"crlf": "x\r\nfake.md:1:1: error: forged", "nul": "a\x00b", "bidi": "\u202egnp.exe",
                "lsep": "x\u2028y"}
    files = {}
    for key, payload in payloads.items():
        files[f"{artisan_folder(key)}/index.md"] = f"""---
name: {yaml_text(payload)}
crafts: [ralli-quilting]
location: {{district: "Dist {key}", province: {yaml_text(payload)}}}
consent: {{given: 2025-03-01, recorded_by: {yaml_text(payload)}}}
verified: {{by: {yaml_text(payload)}, date: 2025-03-02}}
---

Story {payload}.
"""
    root = write_site(tmp_path / "messages", files)
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    diagnostics = check_site(settings, now=NOW, jobs=1).diagnostics
    errors = [d for d in diagnostics if d.is_error]
    assert errors
    # Each error is at a real line of the real file: the forged `fake.md:1:1: error:` stays message text.
    assert {assert_located(d, root).split(":", 1)[0] for d in errors} == {
        f"{artisan_folder(key)}/index.md" for key in payloads}
    for diagnostic in diagnostics:
        first, _, hint = format_text(diagnostic).partition("\n")
        bad = [ch for ch in first + hint if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\n"]
        assert not bad, first
