"""One environment for every test run, whatever the caller's shell holds.

A build reads a few things from its environment on purpose: Netlify sets
``NETLIFY=true`` (``image_cdn: auto`` then points photos at its Image CDN),
and Python, Babel and subprocesses follow the locale and time-zone variables.
A developer's shell, a Netlify build image or a CI runner would each give the
suite different results.  So before anything is imported or built, the test
process (and every process it starts) gets a fixed, neutral environment.
Tests that need one of these variables set it themselves (``monkeypatch``).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping

__all__ = ["HOST_VARIABLES", "LOCALE_VARIABLES", "NEUTRAL", "isolate_environment"]

# What Netlify's build image sets (its documented read-only variables, plus
# NETLIFY itself): a test must never behave as a production build by accident.
HOST_VARIABLES = ("NETLIFY", "CONTEXT", "URL", "DEPLOY_URL", "DEPLOY_PRIME_URL", "DEPLOY_ID", "SITE_ID",
                  "SITE_NAME", "BUILD_ID", "BRANCH", "HEAD", "COMMIT_REF", "PULL_REQUEST", "REVIEW_ID")
# Every POSIX locale category, and GNU gettext's LANGUAGE list (which outranks them).
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY",
                    "LC_MESSAGES", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT",
                    "LC_IDENTIFICATION")
# A UTF-8 locale that exists on every glibc system (Urdu and Hindi text go
# through subprocess pipes), and UTC, the zone the tests' fixed clock is in.
NEUTRAL = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", "PYTHONUTF8": "1"}


def isolate_environment(environ: MutableMapping[str, str]) -> None:
    """Remove the host's and the locale's variables from ``environ`` and set :data:`NEUTRAL`."""
    for name in (*HOST_VARIABLES, *LOCALE_VARIABLES, "KARIGAR_REQUIRE_BROWSER"):
        environ.pop(name, None)
    environ.update(NEUTRAL)
    time.tzset()  # the process's own local time follows TZ only once told
