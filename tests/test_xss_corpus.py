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
no script other than Material's known ones, no event-handler attribute, no
``javascript:``/``data:``/``vbscript:`` URL, no element that could load or
run anything (iframe, object, base, meta refresh, style), exactly one
``<title>``; template syntax stays literal.  tests/test_browser_csp.py loads
the accepted payloads in Chromium under the site's CSP.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import pytest

from karigar.diagnostics import Diagnostic, format_text
from karigar.pipeline import build_site, check_site
from karigar.render.csp import frame_pages
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


def write_site(root: Path, files: dict[str, str]) -> Path:
    """A site in ``root``: the repository's mkdocs.yml, theme and registries plus ``files``.

    The same adaptation as conftest's ``make_site``, in a folder the caller
    chooses, so module-scoped fixtures (the browser test) can use it.
    """
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    pinned = f"      languages: [en]\n      templates_dir: {REPO / 'theme' / 'karigar'}\n"
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

    ``training_titles=False`` keeps the workshops' titles plain: MkDocs
    Material renders those (see the xfail test of content/ front matter).
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


@functools.cache
def repo_theme_pages() -> tuple[tuple[str, bytes], ...]:
    """The look's frames for the repository's mkdocs.yml: the theme's own pages, with no content.

    The same frames a build wraps catalog pages in (Material renders them
    while MkDocs builds content/); the trusted input of finalize_headers.
    """
    from karigar.material import BuildSession, run_mkdocs

    session = BuildSession(base_path="/", languages=("en",), training_box=lambda src: None)
    with tempfile.TemporaryDirectory(prefix="karigar-frames-") as staging:  # removed afterwards
        run_mkdocs(REPO / "mkdocs.yml", Path(staging), session)
    assert session.frames
    return tuple(frame_pages(session.frames))


# --- building with pruning --------------------------------------------------------

@dataclass
class CorpusBuild:
    """A corpus site after pruning: what was rejected (by entry) and the outputs of the rest."""

    root: Path
    rejected: dict[str, list[str]] = field(default_factory=dict)  # entry -> first lines of its errors
    outputs: dict[str, bytes] = field(default_factory=dict)

    def accepted(self, entry: str) -> bool:
        """Whether ``entry`` was built: neither it nor its artisan folder had errors."""
        return not any(entry == rejected or entry.startswith(rejected + "/") for rejected in self.rejected)


def entry_of(path: str) -> str:
    """The entry a diagnostic's file belongs to: an artisan folder, a product file, a page."""
    parts = path.split("/")
    if parts[0] == "artisans" and len(parts) >= 5 and parts[4] == "index.md":
        return "/".join(parts[:4])
    return path


def assert_located(diagnostic: Diagnostic, root: Path) -> str:
    """The error's first line, checked: ``path:line:col: error: message`` with a real path."""
    first = format_text(diagnostic).split("\n", 1)[0]
    match = ERROR_LINE.match(first)
    assert match, f"not a located error: {first!r}"
    assert (root / match["path"]).exists(), first
    assert int(match["line"]) >= 1 and int(match["col"]) >= 1, first
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
            if not path.startswith(("/assets/", "/__karigar__/")):
                self.problems.append(f"<script src={src!r}>")
        elif (attrs.get("type") or "").lower() == "application/json":
            if attrs.get("id") != "__config":
                self.problems.append(f"unknown JSON script {attrs!r}")
        else:
            self.inline_scripts.append(text)

    def handle_comment(self, data: str) -> None:
        if "KARIGAR" in data:
            self.problems.append(f"a frame marker comment survived: {data!r}")


def audit_page(output: str, data: bytes, known_inline: set[str]) -> list[str]:
    """Every problem found in one HTML output."""
    auditor = _Auditor(page_url(output))
    auditor.feed(data.decode("utf-8"))
    auditor.close()
    problems = list(auditor.problems)
    problems += [f"unknown inline script {text[:80]!r}" for text in auditor.inline_scripts if text not in known_inline]
    if auditor.titles != 1:
        problems.append(f"{auditor.titles} <title> elements")
    if auditor.bodies > 1:
        problems.append(f"{auditor.bodies} <body> elements")
    text = data.decode("utf-8")
    problems += [f"evaluated template: {tell}" for tell in EVALUATED_TELLS if tell in text]
    return [f"{output}: {p}" for p in problems]


def audit_site(outputs: Iterable[tuple[str, bytes]], known_inline: set[str]) -> list[str]:
    problems: list[str] = []
    for output, data in outputs:
        if output.endswith(".html"):
            problems += audit_page(output, data, known_inline)
    return problems


@pytest.fixture(scope="module")
def known_inline_scripts(sample_site: Path) -> set[str]:
    """Material's inline scripts, as the sample site carries them (at every page depth)."""
    found: set[str] = set()
    for page in sample_site.rglob("*.html"):
        auditor = _Auditor(page_url(page.relative_to(sample_site).as_posix()))
        auditor.feed(page.read_text("utf-8"))
        found.update(auditor.inline_scripts)
    assert found, "Material inlines a few scripts in every page"
    return found


# --- the tests ---------------------------------------------------------------------

def test_the_audit_passes_the_sample_site_and_catches_each_kind_of_injection(sample_site: Path,
                                                                             known_inline_scripts: set[str]) -> None:
    outputs = [(p.relative_to(sample_site).as_posix(), p.read_bytes()) for p in sample_site.rglob("*.html")]
    assert audit_site(outputs, known_inline_scripts) == []
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
    }
    problems = audit_site(bad.items(), known_inline_scripts)
    assert {p.split(":", 1)[0] for p in problems} == set(bad)


def test_payloads_in_every_text_field_are_rejected_with_located_errors_or_rendered_inert(
        tmp_path: Path, known_inline_scripts: set[str]) -> None:
    root = write_site(tmp_path / "text", text_field_files(PAYLOADS))
    for key in PAYLOADS:
        (root / artisan_folder(key) / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(PHOTO, root / artisan_folder(key) / "photos" / "portrait.jpg")
    built = prune_and_build(root, run_mkdocs=False)
    assert audit_site(built.outputs.items(), known_inline_scripts) == []

    accepted = [key for key in PAYLOADS if built.accepted(artisan_folder(key))]
    # Text is text: most payloads are simply shown, escaped.
    assert len(accepted) >= len(PAYLOADS) // 2, built.rejected
    for key in accepted:
        page = f"{artisan_folder(key)}/index.html"
        assert page in built.outputs, page
    for key in ("jinja-expr", "jinja-marked", "jinja-raw", "jinja-loop"):
        if built.accepted(artisan_folder(key)):
            html = built.outputs[f"{artisan_folder(key)}/index.html"].decode()
            literal = PAYLOADS[key].replace("<", "&lt;").replace(">", "&gt;")
            assert literal in html, f"{key}: the template syntax is shown as written"

    # The calendar: one event per accepted workshop, whatever its text held.
    workshops = [key for key in PAYLOADS if built.accepted(f"content/training/xss-{key}.md")]
    calendar = icalendar.Calendar.from_ical(built.outputs["training/calendar.ics"])
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert len(summaries) == len(workshops), summaries
    assert "injected" not in summaries


def test_payloads_in_every_body_are_rejected_with_located_errors_or_rendered_inert(
        tmp_path: Path, known_inline_scripts: set[str]) -> None:
    root = write_site(tmp_path / "bodies", body_files(PAYLOADS))
    built = prune_and_build(root, run_mkdocs=True)
    assert audit_site(built.outputs.items(), known_inline_scripts) == []
    # Raw HTML is never accepted in a body, whatever its spelling.
    for key in ("script-tag", "img-onerror", "svg-onload", "iframe-js", "mxss-math", "mxss-noscript",
                "style-attr", "base-tag", "meta-refresh", "formaction", "md-link-js", "md-autolink-js",
                "md-image-data", "md-ref-js", "md-link-entity"):
        for entry in (artisan_folder(key), f"{artisan_folder(key)}/products/thing.md",
                      f"content/training/xss-{key}.md", f"content/pages/xss-{key}.md"):
            assert not built.accepted(entry), (key, entry)
    # Pages of content/ refuse attribute lists (they could set any attribute).
    assert not built.accepted("content/pages/xss-md-attr-list.md")
    # Template syntax in a body is text.
    for key in ("jinja-expr", "jinja-loop"):
        for entry, page in ((artisan_folder(key), f"{artisan_folder(key)}/index.html"),
                            (f"content/pages/xss-{key}.md", f"pages/xss-{key}/index.html")):
            if built.accepted(entry):
                assert PAYLOADS[key] in built.outputs[page].decode(), (key, page)


def test_payloads_as_urls_are_rejected_with_located_errors_or_made_safe(
        tmp_path: Path, known_inline_scripts: set[str]) -> None:
    root = write_site(tmp_path / "urls", url_field_files(PAYLOADS))
    built = prune_and_build(root, run_mkdocs=False)
    assert audit_site(built.outputs.items(), known_inline_scripts) == []
    # No payload is a valid https URL on a marketplace host, or a marketplace id:
    # every direct use is refused.
    for key in PAYLOADS:
        assert not built.accepted(f"{artisan_folder(key)}-direct"), key
        assert not built.accepted(f"{artisan_folder(key)}/products/direct.md"), key
        assert not built.accepted(f"{artisan_folder(key)}/products/by-id.md"), key
        assert not built.accepted(f"content/training/xss-{key}.md"), key
    inside = [key for key in PAYLOADS if built.accepted(f"{artisan_folder(key)}/products/inside.md")]
    assert inside, "payloads without spaces are accepted inside an https URL's query"
    # Inside an allowed URL a payload is percent-encoded, never markup.
    hrefs = [href for output, data in built.outputs.items() if output.endswith(".html")
             for href in re.findall(rb'href="(https://www\.etsy\.com/listing/1\?q=[^"]*)"', data)]
    assert len(hrefs) >= len(inside)
    for href in hrefs:
        assert not re.search(rb"[<>\"'\s]|&#|&quot;|&lt;", href), href


def test_payloads_in_front_matter_of_content_pages_are_rejected_or_inert(tmp_path: Path,
                                                                         known_inline_scripts: set[str]) -> None:
    files: dict[str, str] = {}
    for key, payload in PAYLOADS.items():
        p = yaml_text(payload)
        files[f"content/training/xss-{key}.md"] = (
            f"---\ntitle: {p}\nkind: guide\nprovider: Karigar\nurl: https://example.org/{key}\n"
            "languages: [en]\n---\n\nA plain guide.\n")
        files[f"content/pages/xss-{key}.md"] = f"---\ntitle: {p}\ndescription: {p}\n---\n\nA plain page.\n"
    built = prune_and_build(write_site(tmp_path / "front", files), run_mkdocs=True)
    assert audit_site(built.outputs.items(), known_inline_scripts) == []


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
    assert [d for d in diagnostics if d.is_error]
    for diagnostic in diagnostics:
        first, _, hint = format_text(diagnostic).partition("\n")
        bad = [ch for ch in first + hint if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\n"]
        assert not bad, first
