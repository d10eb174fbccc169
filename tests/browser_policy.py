"""Browser tests run, or the run says loudly why not.

The README's ``make test`` is the whole suite, browser tests included: where
Chromium is missing, the run stops before any test with the command that
installs it, rather than turning the browser tests into skips that only a
summary line shows.  A developer who knowingly wants the rest can set
``KARIGAR_SKIP_BROWSER=1``: the browser tests are then skipped, and the
closing summary says how many and why.  ``.ci/run`` installs Chromium and
unsets the variable, so CI never skips.

These are pytest hooks; ``tests/conftest.py`` imports them.
"""

from __future__ import annotations

import os

import pytest

from tests import browser
from tests.browser import INSTALL_COMMAND

__all__ = ["SKIP_VARIABLE", "pytest_configure", "pytest_collection_modifyitems", "pytest_terminal_summary"]

SKIP_VARIABLE = "KARIGAR_SKIP_BROWSER"
_SKIPPED_KEY = pytest.StashKey[int]()


def skip_requested() -> bool:
    """Whether the caller asked to skip browser tests (``KARIGAR_SKIP_BROWSER=1``, nothing else)."""
    return os.environ.get(SKIP_VARIABLE, "") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SKIPPED_KEY] = 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_tests = [item for item in items if item.get_closest_marker("browser") is not None]
    if not browser_tests or browser.chromium_path() is not None:
        return
    if skip_requested():
        marker = pytest.mark.skip(reason=f"{SKIP_VARIABLE}=1: browser tests skipped at the caller's request")
        for item in browser_tests:
            item.add_marker(marker)
        config.stash[_SKIPPED_KEY] = len(browser_tests)
        return
    raise pytest.UsageError(
        f"Chromium is missing, and {len(browser_tests)} browser tests need it.\n"
        f"Install it with: {INSTALL_COMMAND}\n"
        f"(or run without them, knowingly: {SKIP_VARIABLE}=1 make test)"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    skipped = config.stash.get(_SKIPPED_KEY, 0)
    if skipped:
        terminalreporter.write_sep("!", f"{skipped} BROWSER TESTS SKIPPED ({SKIP_VARIABLE}=1): "
                                        f"Chromium is missing; install it with: {INSTALL_COMMAND}",
                                   yellow=True, bold=True)
