"""The web editor's Content-Security-Policy, and the ``_headers`` rules that keep it to ``/admin/``.

Netlify applies every header rule whose path matches, and a browser enforces
every policy it receives (a resource must pass each of them).  So the site's
strict policy cannot be loosened for ``/admin/`` by adding a rule: a ``/*``
rule would still send it there, and Sveltia would break under it.  Instead the
strict policy is written for each top-level name the build publishes (``/``,
``/artisans/*``, ``/ur/*``, ``/index.html``...) except ``admin``, and
``/admin/*`` gets the policy below.  A path the site does not have (its 404
answer) matches no rule and gets no CSP; it shows the 404 page, whose only
scripts are the theme's files.

What Sveltia CMS needs, read from its bundle and checked in Chromium
(tests/test_admin_browser.py):

* scripts: its bundle and our photo cleaner, both files of the site; no
  inline script, no ``eval``.
* styles: Svelte components set ``style`` attributes and the bundle inserts
  ``<style>`` elements, so ``'unsafe-inline'`` for styles (never for scripts).
* images, media: ``blob:`` and ``data:`` (previews of chosen photos, icons),
  photos of the site and of the repository (read through the GitHub API into
  ``blob:`` URLs), avatars from avatars.githubusercontent.com.
* connections: api.github.com (REST and GraphQL), GitHub's status page
  (www.githubstatus.com, which Sveltia asks when the API fails), ``blob:``.
* fonts: the three web fonts, copied into ``/admin/fonts/``.
* the sign-in popup is a window it opens, governed by no CSP directive; the
  popup reaches back by ``postMessage``, which needs the opener kept:
  netlify.toml gives ``/admin/*`` ``Cross-Origin-Opener-Policy:
  same-origin-allow-popups`` (the site's ``same-origin`` would cut it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from karigar.render.edit_links import ADMIN_FOLDER

__all__ = ["ADMIN_POLICY", "ADMIN_RULE", "strict_rule_paths"]

ADMIN_POLICY: Final = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data: https://avatars.githubusercontent.com",
    "media-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self' blob: data: https://api.github.com https://www.githubstatus.com",
    "worker-src 'self' blob:",
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "upgrade-insecure-requests",
])

ADMIN_RULE: Final = "/" + ADMIN_FOLDER + "*"


def strict_rule_paths(outputs: Iterable[str]) -> list[str]:
    """The ``_headers`` paths covering every output but the editor's: ``/`` and each top-level name.

    A top-level folder is ``/<name>/*`` (which also matches ``/<name>``), a
    top-level file ``/<name>``; ``outputs`` are site-relative paths.
    """
    admin = ADMIN_FOLDER.rstrip("/")
    folders: set[str] = set()
    files: set[str] = set()
    for output in outputs:
        first, slash, _rest = output.partition("/")
        if first == admin or not first or first.startswith("_"):
            continue  # the editor, and Netlify's own files (_headers, _redirects)
        (folders if slash else files).add(first)
    return ["/", *sorted(f"/{name}" for name in files - folders), *sorted(f"/{name}/*" for name in folders)]
