"""The web editor in Chromium: a volunteer adds an artisan and a product with a photo, in English and Urdu.

The built sample site (with ``editor_repo`` set) is served as built, with the
headers Netlify would send (tests/browser.py).  Sveltia CMS runs its real
local workflow, which works on a real directory handle: the origin-private
file system (``navigator.storage.getDirectory()``), filled with the
repository's entries and offered where Sveltia asks for a folder
(``window.showDirectoryPicker``).  What the editor writes there is copied
back out into a copy of the site, which ``karigar check`` must pass.

The only requests answered by the test are the ones that leave the machine:
GitHub's status page (Sveltia asks it whatever the backend; this machine
has no internet).  Every wait is for a state of the page, never for time.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms

from tests.browser import serve_folder
from tests.conftest import REPO, build, settings_for
from tests.test_browser_csp import WATCH_VIOLATIONS, chromium_instance

__all__ = ["chromium_instance"]  # the module's one Chromium, shared with the CSP tests' fixture

pytestmark = pytest.mark.browser

EDITOR_REPO = "karigar-org/catalog"
URDU_NAME = "آزمائشی کاریگر"
URDU_TITLE = "آزمائشی رلی"


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built with its web editor."""
    out = tmp_path_factory.mktemp("admin-site")
    settings = settings_for(REPO / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache",
                            editor_repo=EDITOR_REPO)
    result = build(settings)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    assert not [d for d in result.check.diagnostics if d.code == "editor-bundle"], "run `npm ci` first"
    return out / "site"


def repository_files() -> dict[str, bytes]:
    """What the editor reads of the repository: entries, registries, training resources, and `.git`
    (Sveltia checks that the folder it is given is a repository's root)."""
    files = {".git/HEAD": b"ref: refs/heads/main\n"}
    for folder, patterns in (("artisans", ("*.md", "*.yml")), ("content/training", ("*.md",))):
        for pattern in patterns:
            for path in sorted((REPO / folder).rglob(pattern)):
                files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    return files


def gps_photo() -> bytes:
    """A JPEG a phone could have taken: GPS position, camera make, XMP, an orientation and a colour profile."""
    image = Image.new("RGB", (96, 64), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (24.0, 44.0, 52.0), 3: "E", 4: (67.0, 55.0, 30.0)})
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="24,44.87N"/>'
           b"</rdf:RDF></x:xmpmeta>")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), xmp=xmp, icc_profile=icc, quality=90)
    return out.getvalue()


FILL_OPFS = """
async (files) => {
  const root = await navigator.storage.getDirectory();
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const file = await dir.getFileHandle(parts.at(-1), {create: true});
    const writer = await file.createWritable();
    await writer.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writer.close();
  }
}
"""
READ_OPFS = """
async () => {
  const out = {};
  async function walk(dir, prefix) {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'directory') { await walk(handle, prefix + name + '/'); continue; }
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let text = ''; for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
      out[prefix + name] = btoa(text);
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return out;
}
"""
# Scrolls the visible form panes down from the top, a frame at a time, until the field is rendered.
REVEAL = """
async ([pane, key]) => {
  const selector = `${pane} section[data-key-path="${key}"]`;
  const shown = () => [...document.querySelectorAll(selector)].find(e => e.getClientRects().length);
  const panes = [...document.querySelectorAll(`${pane} > div`)].filter(p => p.getClientRects().length);
  if (!shown()) panes.forEach(p => p.scrollTo(0, 0));
  for (let step = 0; step < 400 && !shown(); step++) {
    panes.forEach(p => p.scrollBy(0, p.clientHeight / 2));
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  const found = shown();
  if (found) found.scrollIntoView({block: "center"});
  return Boolean(found);
}
"""
FILE_EXISTS = """
async (path) => {
  let dir = await navigator.storage.getDirectory();
  const parts = path.split('/');
  try {
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
    await dir.getFileHandle(parts.at(-1));
    return true;
  } catch { return false; }
}
"""
# Sveltia asks for a folder with the File System Access API's picker: it gets the origin-private file system.
OFFER_OPFS = "window.showDirectoryPicker = async () => navigator.storage.getDirectory();"


class Editor:
    """One page of the editor, recording what a user would be shown going wrong."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.problems: list[str] = []
        self.pane = "#first-pane-body"  # where the fields of the language being edited are
        page.add_init_script(WATCH_VIOLATIONS)
        page.add_init_script(OFFER_OPFS)
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e} at {page.url} {e.stack or ''}"))
        # Offline stand-in for GitHub's status page: "all systems operational".
        page.route("https://www.githubstatus.com/**", lambda route: route.fulfill(
            status=200, content_type="application/json", body='{"status": {"indicator": "none"}}'))

    def open_local_repository(self, files: dict[str, bytes]) -> Any:
        """Open /admin/ and its local workflow on an origin-private folder holding ``files``; the response."""
        response = self.page.goto(self.base + "/admin/", wait_until="load")
        self.page.evaluate(FILL_OPFS, {path: base64.b64encode(data).decode() for path, data in files.items()})
        self.page.get_by_role("button", name="Work with Local Repository").click()
        self.page.get_by_text("Artisans: PK").first.wait_for()
        return response

    def section(self, key: str) -> Any:
        """The field ``key`` (``location.district``), scrolled into view: Sveltia renders a field only
        once its place in the form is near the screen."""
        assert self.page.evaluate(REVEAL, [self.pane, key]), f"no field {key} in {self.pane}"
        return self.page.locator(f'{self.pane} section[data-key-path="{key}"]:visible').first

    def field(self, key: str, lang: str = "en") -> Any:
        return self.section(key).locator(f'input[lang="{lang}"], textarea[lang="{lang}"]').first

    def violations(self) -> list[str]:
        return [f"CSP: {v}" for v in self.page.evaluate("window.__kgViolations.splice(0)")]

    def pick(self, key: str, option: str) -> None:
        """Choose ``option`` in the select (or relation) field ``key``."""
        section = self.section(key)
        radio = section.get_by_role("radio", name=option, exact=True)
        if radio.count():  # a few options are shown as radio buttons
            radio.click()
            return
        section.locator('[role="combobox"]').first.click()
        self.page.get_by_role("option", name=option).first.click()

    def enable_language(self, name: str) -> None:
        """Show ``name`` and add it to the entry (a new entry has its default language only)."""
        self.show_language(name)
        # Sveltia isolates the language's name (U+2068 ... U+2069) in its labels.
        self.page.get_by_role("button", name=re.compile(f"^Enable\\W*{name}\\W*$")).filter(visible=True).click()

    def disable_language(self, name: str) -> None:
        """Leave ``name`` out of the entry (no file is written for it)."""
        self.show_language(name)
        header = self.page.locator(self.pane.replace("body", "header"))
        header.get_by_role("button", name=re.compile(f"^Show\\W*{name}\\W*Content Options$")).click()
        self.page.get_by_role("menuitem", name=re.compile(f"^Disable\\W*{name}")).click()

    def show_language(self, name: str) -> None:
        """Edit in the language ``name``: a translation in the second pane beside the default language
        on a wide screen, every language in the one pane on a phone."""
        second = self.page.locator("#second-pane-header")
        header = "#second-pane-header" if name != "English" and second.is_visible() else "#first-pane-header"
        self.pane = header.replace("header", "body")
        switch = self.page.locator(header).get_by_role("radiogroup", name="Switch Locale")
        if switch.count():
            switch.get_by_role("radio", name=name).click()
        else:  # a phone: a drop-down list
            self.page.locator(header).get_by_role("combobox").first.click()
            self.page.get_by_role("option", name=name).first.click()

    def upload(self, key: str, name: str, data: bytes) -> None:
        """Put a photo into the image field ``key`` as a user would: Browse, then the file chooser."""
        self.section(key).get_by_role("button", name="Browse").click()
        dialog = self.page.get_by_role("dialog", name="Select Image")
        with self.page.expect_file_chooser() as chooser:
            dialog.get_by_role("button", name="Upload").click()
        chooser.value.set_files([{"name": name, "mimeType": "image/jpeg", "buffer": data}])
        dialog.get_by_role("button", name="Insert").click()
        dialog.wait_for(state="hidden")

    def add(self, what: str) -> None:
        """Tick "Add <what>" (an optional group of fields such as Photo)."""
        self.page.get_by_role("checkbox", name=re.compile(f"Add\\W*{what}\\W*$")).filter(visible=True).first.click()

    def body(self, lang: str) -> Any:
        """The Markdown body's rich-text editor in ``lang``."""
        return self.section("body").locator(
            f'[lang="{lang}"] [id$="lexical-root"]').first

    def save(self) -> None:
        self.page.get_by_role("button", name="Save", exact=True).click()

    def wait_saved(self, path: str, collection: str) -> None:
        """Wait until the editor has written ``path`` into the repository folder and shown its list again."""
        self.page.wait_for_function(FILE_EXISTS, arg=path)
        self.page.wait_for_url(re.compile(f"#/collections/{collection}$"))


def opfs_files(page: Any) -> dict[str, bytes]:
    return {path: base64.b64decode(data) for path, data in page.evaluate(READ_OPFS).items()}


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "karigar", "check", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=root)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_volunteer_adds_an_artisan_and_a_product_with_a_clean_photo(
        chromium_instance: Any, editor_site: Path, tmp_path: Path, viewport: dict[str, int]) -> None:
    before = repository_files()
    with serve_folder(editor_site, netlify_headers=True) as base:
        context = chromium_instance.new_context(viewport=viewport)
        try:
            editor = Editor(context.new_page(), base)
            page = editor.page
            response = editor.open_local_repository(before)
            assert response is not None and "script-src 'self';" in response.headers["content-security-policy"]

            # The artisan, in English and Urdu, with a portrait straight from a phone.
            page.goto(base + "/admin/#/collections/artisans-pk/new")
            editor.disable_language("Hindi")  # this volunteer writes English and Urdu
            editor.show_language("English")
            editor.field("name").fill("Test Artisan")
            editor.pick("crafts", "Ralli quilting (ralli-quilting)")
            editor.field("location.district").fill("Thatta")
            editor.field("location.province").fill("Sindh")
            editor.add("Photo")
            editor.upload("photo.src", "portrait.jpg", gps_photo())
            editor.field("photo.alt").fill("A test portrait")
            consent = editor.section("consent.given")
            consent.get_by_role("button", name="Today").click()
            editor.field("consent.recorded_by").fill("volunteer-test")
            editor.body("en").fill("She pieces ralli quilts from cut triangles.")
            editor.show_language("Urdu")
            urdu_name = editor.field("name", "ur")
            urdu_name.fill(URDU_NAME)
            assert urdu_name.get_attribute("dir") == "rtl", "Urdu is typed right to left"
            editor.body("ur").fill("وہ رلیاں بناتی ہیں۔")
            editor.save()
            editor.wait_saved("artisans/pk/thatta/test-artisan/index.md", "artisans-pk")

            # Her product, with a photo and a listing, also in Urdu.
            page.goto(base + "/admin/#/collections/products-pk/new")
            editor.disable_language("Hindi")
            editor.show_language("English")
            editor.pick("_district", "Thatta")
            editor.pick("_artisan", "Test Artisan")
            editor.field("title").fill("Test Ralli")
            editor.section("photos").get_by_role("button", name=re.compile("Add")) \
                .first.click()
            editor.upload("photos.0.src", "test-ralli.jpg", gps_photo())
            editor.field("photos.0.alt").fill("A red test quilt")
            editor.section("listings").get_by_role("button", name=re.compile("Add")) \
                .first.click()
            editor.pick("listings.0.marketplace", "Etsy")
            editor.field("listings.0.url").fill("https://www.etsy.com/listing/123456789/test-ralli")
            editor.show_language("Urdu")
            editor.field("title", "ur").fill(URDU_TITLE)
            editor.save()
            editor.wait_saved("artisans/pk/thatta/test-artisan/products/test-ralli.md", "products-pk")
            after = opfs_files(page)
        finally:
            page.screenshot(path=str(tmp_path / "last.png"))
            problems = editor.problems + editor.violations()
            (tmp_path / "problems.txt").write_text("\n".join(problems), "utf-8")
            context.close()
    assert problems == []
    written = {path: data for path, data in after.items() if before.get(path) != data}
    for path, data in written.items():  # kept for a look at a failure
        (tmp_path / "written" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "written" / path).write_bytes(data)
    folder = "artisans/pk/thatta/test-artisan/"
    assert sorted(written) == [folder + name for name in (
        "index.md", "index.ur.md", "photos/portrait.jpg", "photos/test-ralli.jpg",
        "products/test-ralli.md", "products/test-ralli.ur.md")], sorted(written)
    assert URDU_NAME in written[folder + "index.ur.md"].decode()
    assert URDU_TITLE in written[folder + "products/test-ralli.ur.md"].decode()
    assert "src: photos/portrait.jpg" in written[folder + "index.md"].decode()
    assert "src: photos/test-ralli.jpg" in written[folder + "products/test-ralli.md"].decode()
    for name in ("photos/portrait.jpg", "photos/test-ralli.jpg"):
        assert_clean(written[folder + name])

    # The files written pass `karigar check` in a copy of the site.
    site = tmp_path / "repo"
    for part in ("artisans", "content", "theme"):
        shutil.copytree(REPO / part, site / part)
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    for path, data in written.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    checked = run_check(site)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def assert_clean(data: bytes) -> None:
    """No GPS, camera make, XMP or IPTC is left; the orientation and the colour profile are."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x8825 not in exif, "no GPS"
        assert 0x010F not in exif, "no camera make"
        assert exif.get(0x0112) == 6, "the orientation stays"
        assert image.info.get("icc_profile"), "the colour profile stays"
        assert "xmp" not in image.info and b"adobe:ns:meta" not in data, "no XMP"
    assert b"\xff\xed" not in data.split(b"\xff\xda", 1)[0], "no APP13 (IPTC)"


def metadata_png() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS 24.7N</x:xmpmeta>')
    info.add_text("Comment", "taken at home")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (24.0, 44.0, 52.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(out, "PNG", pnginfo=info, exif=exif.tobytes())
    return out.getvalue()


def metadata_webp() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (24.0, 44.0, 52.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 90)).save(out, "WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>",
                                              lossless=True)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_the_photo_cleaner_keeps_the_pixels_and_drops_the_metadata(chromium_instance: Any, editor_site: Path,
                                                                  kind: str) -> None:
    """The editor's own cleaner (admin/clean-photos.js) on each format the contract allows, as the browser runs it."""
    original = {"jpeg": gps_photo, "png": metadata_png, "webp": metadata_webp}[kind]()
    with serve_folder(editor_site, netlify_headers=True) as base:
        context = chromium_instance.new_context()
        try:
            page = context.new_page()
            page.goto(base + "/admin/clean-photos.js")  # same origin, no editor: the cleaner alone
            page.add_script_tag(url=base + "/admin/clean-photos.js")
            cleaned = base64.b64decode(page.evaluate(
                """(data) => { const out = window.karigarCleanPhotoBytes(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
                   let text = ''; out.forEach(b => text += String.fromCharCode(b)); return btoa(text); }""",
                base64.b64encode(original).decode()))
        finally:
            context.close()
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert after.tobytes() == before.tobytes(), "not re-encoded: the same pixels"
        exif = after.getexif()
        assert not exif.get_ifd(0x8825) and 0x8825 not in exif
        assert "xmp" not in after.info and "XML:com.adobe.xmp" not in after.info and "Comment" not in after.info
    assert b"GPS" not in cleaned and b"adobe:ns:meta" not in cleaned
    if kind == "jpeg":
        assert_clean(cleaned)


@pytest.mark.parametrize("gesture", ["drop", "paste"])
def test_a_dropped_or_pasted_photo_reaches_the_editor_clean(chromium_instance: Any, editor_site: Path,
                                                           gesture: str) -> None:
    """A photo dropped on (or pasted into) the editor's upload area: the editor's own handler receives the
    same gesture again, with the file cleaned and its name kept, and never the original."""
    original = gps_photo()
    with serve_folder(editor_site, netlify_headers=True) as base:
        context = chromium_instance.new_context()
        try:
            page = context.new_page()
            page.goto(base + "/admin/clean-photos.js")
            page.add_script_tag(url=base + "/admin/clean-photos.js")
            received = page.evaluate(
                """([data, gesture]) => new Promise((resolve) => {
                     const area = document.createElement('div');
                     document.body.append(area);
                     const seen = [];
                     area.addEventListener(gesture, async (event) => {
                       const files = gesture === 'drop' ? event.dataTransfer.files : event.clipboardData.files;
                       const file = files[0];
                       const bytes = new Uint8Array(await file.arrayBuffer());
                       let text = ''; bytes.forEach(b => text += String.fromCharCode(b));
                       seen.push({name: file.name, type: file.type, data: btoa(text)});
                       resolve(seen);
                     });
                     const transfer = new DataTransfer();
                     const raw = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                     transfer.items.add(new File([raw], 'IMG_2041.jpg', {type: 'image/jpeg'}));
                     const init = {bubbles: true, cancelable: true};
                     area.dispatchEvent(gesture === 'drop'
                       ? new DragEvent('drop', {...init, dataTransfer: transfer})
                       : new ClipboardEvent('paste', {...init, clipboardData: transfer}));
                   })""",
                [base64.b64encode(original).decode(), gesture])
        finally:
            context.close()
    assert len(received) == 1, "the editor sees the gesture once, after cleaning"
    assert received[0]["name"] == "IMG_2041.jpg" and received[0]["type"] == "image/jpeg"
    cleaned = base64.b64decode(received[0]["data"])
    assert cleaned != original
    assert_clean(cleaned)


@pytest.mark.parametrize("district", ["Dera Ghazi Khan", "Bahāwalnagar"])
def test_the_editor_names_a_district_folder_as_the_check_does(chromium_instance: Any, editor_site: Path,
                                                              district: str) -> None:
    """The folder the editor writes a new artisan into is made from the district as typed, and must be the
    one `karigar check` expects (`district-folder`): several words, and a letter outside a-z."""
    from karigar.model.fields import slugify

    before = repository_files()
    with serve_folder(editor_site, netlify_headers=True) as base:
        context = chromium_instance.new_context()
        try:
            editor = Editor(context.new_page(), base)
            page = editor.page
            editor.open_local_repository(before)
            page.goto(base + "/admin/#/collections/artisans-pk/new")
            editor.disable_language("Hindi")
            editor.disable_language("Urdu")
            editor.show_language("English")
            editor.field("name").fill("Test Artisan")
            editor.pick("crafts", "Ralli quilting (ralli-quilting)")
            editor.field("location.district").fill(district)
            editor.field("location.province").fill("Punjab")
            editor.section("consent.given").get_by_role("button", name="Today").click()
            editor.field("consent.recorded_by").fill("volunteer-test")
            editor.save()
            expected = f"artisans/pk/{slugify(district)}/test-artisan/index.md"
            editor.wait_saved(expected, "artisans-pk")
            after = opfs_files(page)
            problems = editor.problems + editor.violations()
        finally:
            context.close()
    assert problems == []
    assert sorted(path for path, data in after.items() if before.get(path) != data) == [expected]
