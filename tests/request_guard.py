"""Block and record every request a page makes off the local test server.

The site's promise is that a reader's browser talks to nothing but the site
itself: fonts, scripts and photos are self-hosted.  A Playwright route on the
whole browser context sees every request the page makes (documents, styles,
fonts, images, fetch/XHR), so the check does not depend on guessing the hosts
a regression would use:

* a request to the local server goes through;
* a request to the site's canonical origin (``site_url``, e.g.
  https://karigar.netlify.app) is aborted and recorded in
  :attr:`RequestLog.own_site`: pages name that origin only in links for
  search engines (canonical, hreflang), so a request to it is a resource a
  deploy preview would load from production.  (Material's script fetched
  ``sitemap.xml`` beside each hreflang alternate there; the site no longer
  loads that script, see theme/main.html.)  Tests assert there are none
  (:meth:`RequestLog.unexpected_own_site`);
* anything else is aborted and recorded in :attr:`RequestLog.left_machine`.

A connection hint (``<link rel=preconnect|dns-prefetch>``) opens a socket
without a request the route could see, so :data:`OFF_SITE_HINTS` lists those
from the page itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

# The URLs of connection hints to another origin than the page's own.
OFF_SITE_HINTS = """() => [...document.querySelectorAll(
    'link[rel~="preconnect"], link[rel~="dns-prefetch"], link[rel~="prefetch"], link[rel~="preload"]')]
  .map(link => link.href).filter(href => href && new URL(href).origin !== location.origin)"""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class RequestLog:
    """What the guard saw since the last :meth:`clear`."""

    left_machine: list[str] = field(default_factory=list)  # aborted: would have left the machine
    own_site: list[str] = field(default_factory=list)  # aborted: the canonical origin

    def clear(self) -> None:
        self.left_machine.clear()
        self.own_site.clear()

    def unexpected_own_site(self) -> list[str]:
        """Requests to the canonical origin: none is expected."""
        return list(self.own_site)


def guard_requests(context: BrowserContext, local_bases: Sequence[str], site_origin: str,
                   log: RequestLog | None = None) -> RequestLog:
    """Route every request of ``context`` and record it in ``log`` (a new one by default), returned live.

    ``local_bases`` are the test servers' base URLs (``http://127.0.0.1:<port>``);
    ``site_origin`` is the canonical origin, whose requests are recorded apart.
    """
    log = RequestLog() if log is None else log
    local = {origin_of(base): base for base in local_bases}
    canonical = origin_of(site_origin)

    def handle(route: Route) -> None:
        url = route.request.url
        origin = origin_of(url)
        if origin in local:
            route.continue_()
        elif origin == canonical:
            log.own_site.append(url)
            route.abort("blockedbyclient")
        else:
            log.left_machine.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return log
