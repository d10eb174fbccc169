"""`karigar serve`: what it answers, live rebuilds, errors in the page, the inotify fallback.

No test sleeps to let time pass or asserts on timings: they wait, up to a
bound, for a state (a new build id, an error page) and then check it.
"""

from __future__ import annotations

import contextlib
import sqlite3

import _thread
import datetime as dt
import errno
import html
import http.client
import io
import re
import shutil
import socket
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import FileModifiedEvent, FileSystemEventHandler
from watchdog.observers import Observer

from karigar.commands.serve import run_serve
from karigar.config import Settings, load_settings
from karigar.diagnostics import DiagnosticSink
from karigar.pipeline import BuildResult, build_to_disk
from karigar.render.pages import Job
from karigar.serve import DevServer, OnDemandSite, PageCache, Plan, SiteSnapshot, content_type, parse_address, respond
from karigar.serve import planner as planner_module
from karigar.serve.respond import ERROR_STATUS, error_page, inject_reload
from karigar.serve.watch import ChangeHandler, Pace, WatchPlan, is_editor_temp, start_observer, stop_observers

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
ARTISAN = "artisans/pk/thatta/shazia-bibi"
PRODUCT = f"{ARTISAN}/products/ralli-baby-quilt.md"
JS = b"/* livereload */"
# How long a wait for a state may take before the test fails: a bound for a broken server, not a
# latency check, so generous enough for a loaded 2-core machine (pytest-timeout bounds the test too).
WAIT = 120.0


# -- helpers ----------------------------------------------------------------
def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Poll ``condition`` until true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def fetch(server: DevServer, path: str) -> tuple[int, dict[str, str], str]:
    """GET without following redirects: status, headers (lower-case names), text."""
    host, port = server.url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def make_site(root: Path) -> Path:
    """A small valid site: the sample's settings, theme and registries, one artisan with one product."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    (root / "content").mkdir()
    shutil.copy(REPO / "content" / "about.md", root / "content" / "about.md")
    shutil.copytree(REPO / "artisans" / "_registry", root / "artisans" / "_registry")
    source = REPO / ARTISAN
    (root / ARTISAN).mkdir(parents=True)
    shutil.copy(source / "index.md", root / ARTISAN / "index.md")
    shutil.copytree(source / "photos", root / ARTISAN / "photos")
    (root / ARTISAN / "products").mkdir()
    shutil.copy(REPO / PRODUCT, root / PRODUCT)
    return root / "mkdocs.yml"


def read_settings(config: Path) -> Settings:
    sink = DiagnosticSink()
    settings = load_settings(config, sink=sink)
    assert settings is not None, [str(d.message) for d in sink.items]
    return settings


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def running(site: Path) -> Iterator[tuple[DevServer, io.StringIO]]:
    """A started dev server on a free port, stopped after the test."""
    err = io.StringIO()
    server = DevServer(read_settings(site), NOW, host="127.0.0.1", port=0, out=io.StringIO(), err=err)
    server.start()
    try:
        assert server.wait_for_change(0, WAIT) >= 1, "the first build did not finish"
        yield server, err
    finally:
        server.stop()


# -- respond(): what a path gets --------------------------------------------
PAGE = b"<!doctype html><html><body><h1>Hi</h1></body></html>"
FILES = {
    "index.html": PAGE,
    "artisans/pk/index.html": PAGE,
    "404.html": b"<html><body>missing</body></html>",
    "training/calendar.ics": b"BEGIN:VCALENDAR",
    "assets/fonts/x.woff2": b"wOF2",
    "assets/logo.svg": b"<svg/>",
    "artisans/pk/thatta/a/photo.webp": b"RIFF",
}


def test_pretty_urls_and_redirect() -> None:
    snap = SiteSnapshot(3, FILES)
    home = respond(snap, "/", livereload_js=JS)
    assert home.status == 200 and home.header("content-type") == "text/html; charset=utf-8"
    assert respond(snap, "/artisans/pk/?x=1", livereload_js=JS).status == 200
    moved = respond(snap, "/artisans/pk?x=1", livereload_js=JS)
    assert (moved.status, moved.header("location")) == (302, "/artisans/pk/?x=1")
    # A protocol-relative path never becomes an off-site redirect.
    assert respond(snap, "//artisans/pk", livereload_js=JS).header("location") == "/artisans/pk/"


@pytest.mark.parametrize(("path", "ctype"), [
    ("training/calendar.ics", "text/calendar; charset=utf-8"),
    ("assets/fonts/x.woff2", "font/woff2"),
    ("assets/logo.svg", "image/svg+xml"),
    ("artisans/pk/thatta/a/photo.webp", "image/webp"),
])
def test_content_types(path: str, ctype: str) -> None:
    assert content_type(path) == ctype
    answer = respond(SiteSnapshot(1, FILES), "/" + path, livereload_js=JS)
    assert (answer.status, answer.header("content-type"), answer.body) == (200, ctype, FILES[path])


def test_not_found_and_traversal_get_the_404_page() -> None:
    snap = SiteSnapshot(1, FILES)
    for path in ("/nope/", "/nope", "/../../etc/passwd", "/%2e%2e/index.html"):
        answer = respond(snap, path, livereload_js=JS)
        assert answer.status == 404 and b"missing" in answer.body, path


def test_reload_tag_in_every_html_answer_and_no_other() -> None:
    snap = SiteSnapshot(7, FILES)
    tag = b'<script src="/__karigar__/livereload.js" data-build="7" defer></script>'
    assert respond(snap, "/", livereload_js=JS).body.endswith(tag + b"</body></html>")
    assert tag in respond(snap, "/missing/", livereload_js=JS).body
    assert tag not in respond(snap, "/assets/logo.svg", livereload_js=JS).body
    assert inject_reload(b"no body tag", 2).endswith(b'data-build="2" defer></script>')
    script = respond(snap, "/__karigar__/livereload.js", livereload_js=JS)
    assert script.body == JS and (script.header("content-type") or "").startswith("text/javascript")


def test_broken_build_shows_escaped_errors_on_pages_only() -> None:
    errors = ("artisans/pk/x/index.md:3:7: error: unknown key `<script>alert(1)</script>` & more",)
    snap = SiteSnapshot(4, FILES, errors)
    page = respond(snap, "/artisans/pk/", livereload_js=JS)
    assert page.status == ERROR_STATUS
    text = page.body.decode()
    assert html.escape(errors[0]) in text and "<script>alert" not in text
    assert '<script src="/__karigar__/livereload.js" data-build="4" defer></script>' in text
    assert respond(snap, "/nothing-here/", livereload_js=JS).status == ERROR_STATUS
    # Styles, fonts and images still come from the last good build.
    assert respond(snap, "/assets/logo.svg", livereload_js=JS).status == 200
    assert error_page(errors, 4) == respond(snap, "/", livereload_js=JS).body


def test_building_page_until_the_first_build() -> None:
    snap = SiteSnapshot(0, {}, ready=False)
    for path in ("/", "/artisans/pk/", "/assets/logo.svg"):
        answer = respond(snap, path, livereload_js=JS)
        assert answer.status == 503 and answer.header("retry-after") == "5", path
        assert b"Building the site" in answer.body and b'data-build="0"' in answer.body


def test_base_path() -> None:
    snap = SiteSnapshot(1, FILES, base_path="/karigar/")
    assert respond(snap, "/karigar/artisans/pk/", livereload_js=JS).status == 200
    assert respond(snap, "/", livereload_js=JS).header("location") == "/karigar/"
    assert respond(snap, "/artisans/pk/", livereload_js=JS).status == 404
    assert respond(snap, "/karigar/artisans/pk", livereload_js=JS).header("location") == "/karigar/artisans/pk/"


def test_parse_address() -> None:
    assert parse_address("0.0.0.0:8000") == ("0.0.0.0", 8000)
    assert parse_address("[::1]:9000") == ("::1", 9000)
    for bad in ("8000", "host:", "host:99999"):
        with pytest.raises(ValueError):
            parse_address(bad)


# -- which changes matter ----------------------------------------------------
def test_watch_plan(site: Path) -> None:
    settings = read_settings(site)
    plan = WatchPlan.for_settings(settings)
    root = settings.root
    assert (root / "theme", True) in plan.schedules() and (root / "artisans", True) in plan.schedules()
    assert plan.relevant(str(settings.config_file))
    assert plan.relevant(str(root / PRODUCT))
    assert plan.relevant(str(root / "theme" / "karigar" / "artisan.html"))
    assert not plan.relevant(str(root / "README.md"))
    assert not plan.relevant(str(settings.cache_dir / "mkdocs-staging" / "index.html"))
    for name in ("index.md.swp", "index.md~", ".#index.md", "4913", "#index.md#"):
        assert is_editor_temp(name)
        assert not plan.relevant(str(root / ARTISAN / name))
    assert not plan.relevant(str(root / ARTISAN / "photos" / ".gitkeep"))


def test_handler_ignores_reads(site: Path) -> None:
    """Opening a file (as every build does) must not trigger the next build."""
    seen: list[str] = []
    plan = WatchPlan.for_settings(read_settings(site))
    handler = ChangeHandler(plan, seen.append)
    target = str(plan.config_file.parent / PRODUCT)
    from watchdog.events import FileClosedNoWriteEvent, FileOpenedEvent

    handler.dispatch(FileOpenedEvent(target))
    handler.dispatch(FileClosedNoWriteEvent(target))
    assert seen == []
    handler.dispatch(FileModifiedEvent(target))
    assert seen == [target]


def test_reads_never_reach_the_observer(site: Path) -> None:
    """The kernel is not even asked for open/close-without-write events (a big build would flood it)."""
    seen: list[str] = []

    class Recorder(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            seen.append(event.event_type)

    plan = WatchPlan.for_settings(read_settings(site))
    observers, polling = start_observer(plan, Recorder(), err=io.StringIO())
    try:
        assert not polling
        product = plan.config_file.parent / PRODUCT
        for _ in range(3):
            product.read_bytes()
        product.write_text(product.read_text("utf-8") + "\n", "utf-8")
        wait_for(lambda: "modified" in seen, "the write to be seen")
        assert not {"opened", "closed_no_write"} & set(seen), seen
    finally:
        stop_observers(observers)


# -- the server, end to end ---------------------------------------------------
def test_serves_live_rebuilds_and_shows_located_errors(running: tuple[DevServer, io.StringIO], site: Path) -> None:
    server, err = running
    status, headers, body = fetch(server, f"/{ARTISAN}/")
    assert status == 200, body[:500]
    assert "Shazia Bibi" in body
    assert f'<script src="/__karigar__/livereload.js" data-build="{server.build_id}" defer></script>' in body
    assert fetch(server, f"/{ARTISAN}")[0] == 302
    assert fetch(server, "/no-such-page/")[0] == 404
    # The long poll answers at once when the page's build is not the current one.
    assert fetch(server, "/__karigar__/events?since=-5")[2] == f'{{"build": {server.build_id}}}'

    product = site.parent / PRODUCT
    good = product.read_text("utf-8")
    before = server.build_id
    product.write_text(re.sub(r"(?ms)^listings:.*?(?=^---)", "listings: []\n", good, count=1), "utf-8")
    wait_for(lambda: server.build_id > before and server.snapshot().broken, "the failed rebuild")

    status, _, page = fetch(server, f"/{ARTISAN}/")
    assert status == ERROR_STATUS
    assert re.search(re.escape(PRODUCT) + r":\d+:\d+: error: ", page), page
    for text in server.snapshot().errors:
        assert html.escape(text) in page
    assert 'src="/__karigar__/livereload.js"' in page
    assert all(t.is_alive() for t in server._threads), "a failed build must not stop the server"
    # Styles still come from the last good build, so the error page never loses them.
    stylesheet = next(path for path in server.snapshot().files if path.endswith(".css"))
    assert fetch(server, "/" + stylesheet)[0] == 200

    broken = server.build_id
    product.write_text(good, "utf-8")
    wait_for(lambda: server.build_id > broken and not server.snapshot().broken, "the fixed rebuild")
    status, _, body = fetch(server, f"/{ARTISAN}/")
    assert status == 200 and "Shazia Bibi" in body


def test_broken_settings_are_shown_then_recovered(running: tuple[DevServer, io.StringIO], site: Path) -> None:
    server, _ = running
    good = site.read_text("utf-8")
    before = server.build_id
    site.write_text(good.replace("      per_page: 50", "      per_pgae: 50"), "utf-8")
    wait_for(lambda: server.build_id > before and server.snapshot().broken, "the settings error")
    status, _, page = fetch(server, "/")
    assert status == ERROR_STATUS and re.search(r"mkdocs\.yml:\d+:\d+: error: ", page), page
    site.write_text(good, "utf-8")
    wait_for(lambda: not server.snapshot().broken, "the settings fix")
    assert fetch(server, "/")[0] == 200


def page_url(output: str) -> str:
    """The URL path a browser asks for to get ``output`` (base path /)."""
    return "/" + output[: -len("index.html")] if output.endswith("index.html") else "/" + output


def on_demand(server: DevServer) -> OnDemandSite:
    files = server.snapshot().files
    assert isinstance(files, OnDemandSite)
    return files


def test_first_page_is_rendered_alone(running: tuple[DevServer, io.StringIO]) -> None:
    """Starting plans every page and renders none; a request renders just the page asked for."""
    server, _ = running
    site = on_demand(server)
    assert len(site.jobs) > 10  # the plan covers the whole site...
    assert server.pages.renders == 0 and len(server.pages) == 0  # ...and nothing was rendered
    status, _, body = fetch(server, f"/{ARTISAN}/")
    assert status == 200 and "Shazia Bibi" in body
    assert server.pages.renders == 1 and len(server.pages) == 1
    assert fetch(server, f"/{ARTISAN}/")[0] == 200
    assert server.pages.renders == 1 and server.pages.hits == 1  # the second request came from the cache
    # MkDocs' files come straight from the staging folder, rendering nothing.
    stylesheet = next(path for path in site.staged if path.endswith(".css"))
    assert fetch(server, "/" + stylesheet)[0] == 200 and server.pages.renders == 1


def test_an_edit_rerenders_only_pages_whose_signature_changed(running: tuple[DevServer, io.StringIO],
                                                               site: Path) -> None:
    server, _ = running
    jobs = on_demand(server).jobs
    product_page = next(o for o in jobs if o.startswith(ARTISAN) and "ralli-baby-quilt" in o)
    viewed = [product_page, f"{ARTISAN}/index.html", "index.html", "crafts/index.html", "training/index.html"]
    for output in viewed:
        assert fetch(server, page_url(output))[0] == 200, output
    assert server.pages.renders == len(viewed)
    old = {output: jobs[output].signature for output in viewed}
    runs = server.planner.mkdocs_runs

    product = site.parent / PRODUCT
    before = server.build_id
    product.write_text(product.read_text("utf-8").replace("Small ralli baby quilt", "Tiny ralli quilt"), "utf-8")
    wait_for(lambda: server.build_id > before and not server.snapshot().broken, "the rebuild after the edit")
    new_jobs = on_demand(server).jobs
    changed = {output for output in viewed if new_jobs[output].signature != old[output]}
    assert product_page in changed and len(changed) < len(viewed), changed
    assert server.planner.mkdocs_runs == runs  # an entry edit does not re-run MkDocs

    rendered = server.pages.renders
    status, _, body = fetch(server, page_url(product_page))
    assert status == 200 and "Tiny ralli quilt" in body
    for output in viewed[1:]:
        assert fetch(server, page_url(output))[0] == 200, output
    # Exactly the pages whose signature changed were rendered again; the others came from the cache.
    assert server.pages.renders == rendered + len(changed)

    # A content page does re-run MkDocs (its frames and pages may have changed).
    about = site.parent / "content" / "about.md"
    before = server.build_id
    about.write_text(about.read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    wait_for(lambda: server.build_id > before and not server.snapshot().broken, "the rebuild after the content edit")
    assert server.planner.mkdocs_runs == runs + 1
    assert "A new closing line." in fetch(server, "/about/")[2]


def test_draft_artisan_page_and_photo_are_not_served(site: Path) -> None:
    draft = site.parent / "artisans/pk/thatta/draft-bibi"
    shutil.copytree(site.parent / ARTISAN / "photos", draft / "photos")
    text = (site.parent / ARTISAN / "index.md").read_text("utf-8")
    text = text.replace("featured: true\n", "draft: true\n").replace("Shazia Bibi", "Draft Bibi")
    (draft / "index.md").write_text(text, "utf-8")
    server = DevServer(read_settings(site), NOW, port=0, out=io.StringIO(), err=io.StringIO())
    snapshot = server.rebuild()
    assert not snapshot.broken, snapshot.errors
    assert server.respond(f"/{ARTISAN}/").status == 200
    assert server.respond("/artisans/pk/thatta/draft-bibi/").status == 404
    published = server.respond(f"/{ARTISAN}/photos/portrait.jpg")
    assert published.status == 200 and published.header("content-type") == "image/jpeg"
    assert server.respond("/artisans/pk/thatta/draft-bibi/photos/portrait.jpg").status == 404


def test_a_page_that_raises_shows_an_error_and_the_server_goes_on() -> None:
    def broken() -> bytes:
        raise RuntimeError("template exploded")

    heard: list[str] = []
    cache = PageCache(on_error=lambda output, exc: heard.append(output))
    site = OnDemandSite({"a/index.html": Job("a/index.html", "s1", broken),
                         "b/index.html": Job("b/index.html", "s2", lambda: b"<body>fine</body>")}, cache)
    answer = respond(SiteSnapshot(3, site), "/a/", livereload_js=JS)
    assert answer.status == ERROR_STATUS and b"RuntimeError: template exploded" in answer.body
    assert heard == ["a/index.html"]
    assert respond(SiteSnapshot(3, site), "/b/", livereload_js=JS).status == 200
    assert "a/index.html" in site and "missing.html" not in site and cache.renders == 2


def test_page_cache_is_bounded_and_keyed_by_signature() -> None:
    cache = PageCache(2)
    made: list[str] = []

    def job(output: str, signature: str) -> Job:
        return Job(output, signature, lambda: made.append(f"{output}@{signature}") or output.encode())

    for output, signature in (("a", "1"), ("b", "1"), ("a", "1"), ("a", "2"), ("c", "1"), ("b", "1")):
        cache.page(job(output, signature))
    # a@1 was a hit; a@2 is a new signature; c evicted the oldest (b@1), which was rendered again.
    assert made == ["a@1", "b@1", "a@2", "c@1", "b@1"] and len(cache) == 2


def test_exception_in_a_build_is_shown_without_traceback(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    server = DevServer(read_settings(site), NOW, port=0, out=io.StringIO(), err=err)

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(planner_module, "check_site", explode)
    snapshot = server.rebuild()
    assert snapshot.broken and snapshot.build_id == 1
    page = server.respond("/").body.decode()
    assert "RuntimeError: template exploded" in page and "Traceback" not in page
    assert "Traceback" in err.getvalue()
    monkeypatch.undo()
    assert not server.rebuild().broken and server.respond(f"/{ARTISAN}/").status == 200


def _fake_plan(calls: list[int], gate: threading.Event, active: list[int]) -> Callable[..., Plan]:
    """A stand-in for SitePlanner.plan that records overlap and can be held open."""

    def fake(planner: Any, settings: Settings, *, now: dt.datetime, changed: Any = ()) -> Plan:
        active.append(1)
        try:
            assert len(active) == 1, "two builds at once"
            calls.append(len(calls) + 1)
            gate.wait(WAIT)
            job = Job("index.html", str(len(calls)), lambda: b"<html><body>build</body></html>")
            return Plan(OnDemandSite({job.output: job}, planner.cache), [])
        finally:
            active.pop()

    return fake


def test_changes_during_a_build_give_exactly_one_more(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    active: list[int] = []
    gate = threading.Event()
    gate.set()
    monkeypatch.setattr(planner_module.SitePlanner, "plan", _fake_plan(calls, gate, active))
    server = DevServer(read_settings(site), NOW, port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        wait_for(lambda: calls == [1] and server.build_id == 1 and server.idle(), "the first build")
        gate.clear()
        server.notify_change(str(site.parent / PRODUCT))
        wait_for(lambda: len(calls) == 2, "the second build to start")
        for _ in range(5):  # saves while build 2 runs
            server.notify_change(str(site.parent / PRODUCT))
        gate.set()
        wait_for(lambda: len(calls) == 3 and server.build_id == 3, "exactly one more build")
        wait_for(server.idle, "the rebuild thread to settle")
        assert calls == [1, 2, 3] and server.build_id == 3
    finally:
        gate.set()
        server.stop()


class _NoInotify(Observer):  # type: ignore[misc, valid-type]
    """An observer whose start fails as if the kernel's inotify watch limit were reached."""

    def start(self) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_inotify_limit_falls_back_to_polling(site: Path) -> None:
    err = io.StringIO()
    server = DevServer(read_settings(site), NOW, port=0, observer_factory=_NoInotify,
                       out=io.StringIO(), err=err)
    server.start()
    try:
        assert server.polling
        assert server.wait_for_change(0, WAIT) >= 1, "the first build did not finish"
        warning = err.getvalue()
        assert "fs.inotify.max_user_watches" in warning
        assert "sudo sysctl fs.inotify.max_user_watches=524288" in warning
        before = server.build_id
        product = site.parent / PRODUCT
        product.write_text(product.read_text("utf-8").replace("Small ralli baby quilt", "Tiny ralli quilt"), "utf-8")
        wait_for(lambda: server.build_id > before, "the polling observer to see the edit")
        assert "Tiny ralli quilt" in fetch(server, f"/{ARTISAN}/")[2]
    finally:
        server.stop()


def test_polling_is_paced_by_the_pass_it_takes() -> None:
    reports: list[tuple[str, float, float]] = []
    pace = Pace(1.0, factor=4.0, report=lambda folder, seconds, interval: reports.append((folder, seconds, interval)))
    assert pace.interval("/big") == 1.0
    pace.record("/big", 3.0)
    pace.record("/small", 0.01)
    assert (pace.interval("/big"), pace.interval("/small")) == (12.0, 1.0)  # each folder at its own pace
    pace.record("/big", 0.5)
    assert pace.interval("/big") == 2.0
    assert reports == [("/big", 3.0, 12.0), ("/small", 0.01, 1.0)]  # first passes only


def test_only_the_catalog_is_polled_when_it_alone_exceeds_the_limit(site: Path) -> None:
    """The small folders keep their instant inotify watches; the catalog is polled."""
    plan = WatchPlan.for_settings(read_settings(site))
    catalog = str(plan.catalog)

    class CatalogTooBig(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler: Any, path: str, **kwargs: Any) -> Any:
            if path == catalog:
                raise OSError(errno.ENOSPC, "inotify watch limit reached")
            return super().schedule(handler, path, **kwargs)

    err = io.StringIO()
    observers, polling = start_observer(plan, FileSystemEventHandler(), factory=CatalogTooBig, err=err)
    try:
        assert polling and len(observers) == 2
        native, poller = observers
        assert isinstance(native, CatalogTooBig) and native.is_alive()
        assert catalog not in {e.watch.path for e in native.emitters} and len(native.emitters) >= 2
        assert [e.watch.path for e in poller.emitters] == [catalog]
        wait_for(lambda: "polling " in err.getvalue(), "the first polling pass to be reported")
        assert "fs.inotify.max_user_watches" in err.getvalue()
    finally:
        stop_observers(observers)


def test_other_watch_errors_are_not_hidden(site: Path) -> None:
    class Denied(Observer):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            raise OSError(errno.EACCES, "permission denied")

    with pytest.raises(OSError) as caught:
        start_observer(WatchPlan.for_settings(read_settings(site)), FileSystemEventHandler(), factory=Denied,
                       err=io.StringIO())
    assert caught.value.errno == errno.EACCES


def test_ctrl_c_stops_cleanly(site: Path) -> None:
    out = io.StringIO()

    returned = threading.Event()

    def interrupt_when_serving() -> None:
        # Waits for the state, however long a loaded machine takes to get there (a deadline here once
        # gave up before the server started, leaving it serving until pytest's timeout).
        while "serving" not in out.getvalue():
            if returned.is_set():
                return  # never interrupt a pytest that is no longer inside run_serve
            time.sleep(0.05)
        _thread.interrupt_main()

    helper = threading.Thread(target=interrupt_when_serving, daemon=True)
    # Ctrl-C as a person's terminal delivers it: a test run started in the background of a shell
    # inherits SIGINT ignored, and interrupt_main() then does nothing.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    helper.start()
    try:
        code = run_serve(config_file=site, address="127.0.0.1:0", now=NOW, out=out, err=io.StringIO())
    finally:
        returned.set()
        signal.signal(signal.SIGINT, inherited)
    helper.join(WAIT)
    assert code == 0 and "serving" in out.getvalue()
    assert not any(t.name.startswith("karigar-") and t.is_alive() for t in threading.enumerate())


def test_bad_address_and_busy_port(site: Path) -> None:
    err = io.StringIO()
    assert run_serve(config_file=site, address="nonsense", now=NOW, err=err) == 2
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_serve(config_file=site, address=f"127.0.0.1:{port}", now=NOW, out=io.StringIO(), err=err) == 1
    assert "cannot serve on" in err.getvalue()


# -- a real browser ------------------------------------------------------------
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"


def body_text(page: Any) -> str:
    """The page's text, or "" while it is between two documents."""
    # Not wait_for_function: Playwright evaluates its string with eval, which the strict CSP blocks.
    from playwright.sync_api import Error

    try:
        return str(page.evaluate("document.body ? document.body.innerText : ''"))
    except Error:
        return ""


@pytest.mark.browser
def test_open_page_reloads_to_the_error_and_back_under_a_strict_csp(running: tuple[DevServer, io.StringIO],
                                                                     site: Path) -> None:
    """The browser itself reloads to the error and back, with no inline script allowed."""
    from tests.browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    server, _ = running
    product = site.parent / PRODUCT
    good = product.read_text("utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            violations: list[str] = []
            page.on("console", lambda msg: violations.append(msg.text)
                    if "Content Security Policy" in msg.text else None)

            def with_csp(route: Any) -> None:
                # The dev server sends no CSP; add the strictest one the site could have.
                if route.request.resource_type != "document":
                    route.continue_()
                    return
                response = route.fetch()
                route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

            page.route("**/*", with_csp)
            page.goto(server.url + ARTISAN + "/")
            assert "Shazia Bibi" in page.inner_text("body")
            page.evaluate("window.__notReloaded = true")

            product.write_text(re.sub(r"(?ms)^listings:.*?(?=^---)", "listings: []\n", good, count=1), "utf-8")
            wait_for(lambda: "error:" in body_text(page), "the browser to reload to the error page")
            assert PRODUCT in body_text(page)
            assert page.evaluate("window.__notReloaded === undefined")

            product.write_text(good, "utf-8")
            wait_for(lambda: "Shazia Bibi" in body_text(page) and "error:" not in body_text(page),
                     "the browser to reload to the fixed page")
            # Only the live reload is judged here: the theme's own inline scripts are another issue's.
            # (Material's own fetch of sitemap.xml beside the hreflang alternates goes to the canonical
            # origin, which the site's real policy allows and this stricter one does not.)
            assert [v for v in violations if ("__karigar__" in v or "connect-src" in v)
                    and "karigar.netlify.app" not in v] == []
        finally:
            browser.close()


def index_rows(index: Path) -> dict[str, tuple[str, str]]:
    """Each entry row of the build index: (content id, checksum of its validation result)."""
    with contextlib.closing(sqlite3.connect(index)) as db:
        return {path: (cid, checksum) for path, cid, checksum in db.execute(
            "SELECT path, content_id, checksum FROM entries")}


def test_the_planner_keeps_validated_entries_in_memory_between_rebuilds(site: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edit costs the changed entry, not reading every validated entry back from the build index
    (at 50,000 artisans hundreds of MB), and the index is written only where it changed."""
    from karigar.incremental import entries as entries_module

    settings = read_settings(site)
    loads: list[Path] = []
    original = entries_module.EntryCache.load.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(entries_module.EntryCache, "load",
                        classmethod(lambda cls, path: (loads.append(path), original(cls, path))[1]))
    planner = planner_module.SitePlanner(PageCache())
    first = planner.plan(settings, now=NOW)
    assert first.site is not None and len(loads) == 1
    cache_file = settings.cache_dir / "index.sqlite"
    before = index_rows(cache_file)
    product = site.parent / PRODUCT
    product.write_text(product.read_text("utf-8").replace("\n---\n", "\n---\n\nEdited in memory.\n", 1), "utf-8")
    second = planner.plan(settings, now=NOW, changed=[str(product)])
    assert second.site is not None and len(loads) == 1  # no second unpickling
    after = index_rows(cache_file)
    assert before.keys() == after.keys()
    assert [path for path in after if after[path] != before[path]] == [PRODUCT]  # only the edited entry's row
    assert b"Edited in memory." in second.site[f"{ARTISAN}/ralli-baby-quilt/index.html"]


@pytest.mark.parametrize("since", ["nothing changed", "an entry edited"])
def test_the_last_build_is_served_while_the_first_plan_runs_only_when_it_is_current(
        site: Path, monkeypatch: pytest.MonkeyPatch, since: str) -> None:
    """After `karigar build`, the first page answers from site/ at once, before the plan (minutes at
    50,000 artisans); once anything changed since that build, the server waits for its own plan."""
    settings = read_settings(site)
    built = build_to_disk(settings, now=NOW, jobs=1)
    assert isinstance(built, BuildResult) and built.ok
    on_disk = (site.parent / "site" / ARTISAN / "index.html").read_bytes()
    if since == "an entry edited":
        index = site.parent / ARTISAN / "index.md"
        index.write_text(index.read_text("utf-8").replace("Shazia Bibi", "Shazia Parveen"), "utf-8")
    gate, planning = threading.Event(), threading.Event()
    original = planner_module.SitePlanner.plan

    def held(self: planner_module.SitePlanner, *args: Any, **kwargs: Any) -> Plan:
        planning.set()
        gate.wait(WAIT)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(planner_module.SitePlanner, "plan", held)
    server = DevServer(settings, NOW, port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        wait_for(planning.is_set, "the first plan to start")
        status, _, body = fetch(server, f"/{ARTISAN}/")
        if since == "nothing changed":
            # The built page itself, with the reload tag; nothing was rendered for it.
            assert (status, body) == (200, inject_reload(on_disk, 1).decode("utf-8"))
            assert server.pages.renders == 0
        else:
            assert status == 503 and "Building the site" in body
        gate.set()
        wait_for(lambda: server.snapshot().files is not None and isinstance(server.snapshot().files, OnDemandSite),
                 "the first plan")
        status, _, body = fetch(server, f"/{ARTISAN}/")
        build_id = server.build_id
        if since == "nothing changed":
            assert (status, body) == (200, inject_reload(on_disk, build_id).decode("utf-8"))  # the same page
        else:
            assert status == 200 and "Shazia Parveen" in body
    finally:
        gate.set()
        server.stop()
