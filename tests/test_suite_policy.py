"""The suite's own rules, run as a user runs them: pytest in a subprocess on a tiny test folder.

* Without Chromium the run stops with the install command, unless
  ``KARIGAR_SKIP_BROWSER=1`` (and then the summary says so); any other value
  still requires the browser.
* A diagnostic without ``path:line:col`` fails the test that provoked it,
  unless the test names its code and a reason.
* The caller's ``NETLIFY`` and locale do not reach the tests.
* A hanging test is stopped by the timeout.

Chromium's absence is injected at one chosen point (``tests.browser.chromium_path``
answers None in the child's conftest), so these tests run the same with or
without Chromium installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The child's conftest: the project's real hooks and fixtures, as tests/conftest.py imports them.
CONFTEST = """
import os
from tests.environment import isolate_environment
isolate_environment(os.environ)
from tests import browser
if os.environ.get("FAKE_NO_CHROMIUM") == "1":
    browser.chromium_path = lambda: None
from tests.browser_policy import pytest_collection_modifyitems, pytest_configure, pytest_terminal_summary
from tests.located import only_located_diagnostics
"""

INI = """
[pytest]
addopts = -ra --strict-markers -p no:cacheprovider
timeout = 300
markers =
    browser: browser tests
    unlocated(*codes, reason): codes allowed without a position
"""

BROWSER_TEST = """
import pytest

@pytest.mark.browser
def test_in_chromium():
    pass

def test_plain():
    pass
"""


@pytest.fixture
def child(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A folder for a child pytest run that imports tests.* from the repository."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), str(REPO / "scripts")]))
    monkeypatch.delenv("KARIGAR_SKIP_BROWSER", raising=False)  # this run's own choice is not the child's
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    return pytester


def run(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
        **env: str) -> pytest.RunResult:
    child.makepyfile(**files)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return child.runpytest_subprocess()


def test_without_chromium_the_run_stops_and_names_the_install_command(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(child, monkeypatch, {"test_page": BROWSER_TEST}, FAKE_NO_CHROMIUM="1")
    assert result.ret != 0
    output = result.stdout.str() + result.stderr.str()
    assert "apt-get install -y chromium" in output
    assert "KARIGAR_SKIP_BROWSER=1" in output
    assert "1 passed" not in output, "nothing runs: the run stops before the first test"


@pytest.mark.parametrize("value", ["0", "", "yes", "true"])
def test_any_other_value_than_1_still_requires_the_browser(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                          value: str) -> None:
    result = run(child, monkeypatch, {"test_page": BROWSER_TEST}, FAKE_NO_CHROMIUM="1", KARIGAR_SKIP_BROWSER=value)
    assert result.ret != 0
    assert "apt-get install -y chromium" in result.stdout.str() + result.stderr.str()


def test_skip_on_request_is_printed_in_the_summary(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(child, monkeypatch, {"test_page": BROWSER_TEST}, FAKE_NO_CHROMIUM="1", KARIGAR_SKIP_BROWSER="1")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*1 BROWSER TESTS SKIPPED (KARIGAR_SKIP_BROWSER=1)*apt-get install -y chromium*"])


def test_with_chromium_nothing_is_skipped_whatever_the_variable(child: pytest.Pytester,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Chromium "present" (a fake path: the test itself never launches it).
    child.makeconftest(CONFTEST.replace("lambda: None", "lambda: '/usr/bin/chromium'"))
    result = run(child, monkeypatch, {"test_page": BROWSER_TEST}, FAKE_NO_CHROMIUM="1", KARIGAR_SKIP_BROWSER="1")
    result.assert_outcomes(passed=2)


LOCATED_TESTS = """
import pytest
from karigar.diagnostics import DiagnosticSink, Location

def test_located():
    sink = DiagnosticSink()
    sink.error("yaml-syntax", "bad", Location("artisans/a/index.md", 3, 7))

def test_unlocated():
    sink = DiagnosticSink()
    sink.error("yaml-syntax", "bad", Location("artisans/a/index.md"))

@pytest.mark.unlocated("symlink", reason="a link has no lines")
def test_unlocated_with_reason():
    sink = DiagnosticSink()
    sink.error("symlink", "no links", Location("artisans/a/photos/x.jpg"))

@pytest.mark.unlocated("symlink", reason="a link has no lines")
def test_the_reason_covers_only_its_codes():
    sink = DiagnosticSink()
    sink.error("symlink", "no links", Location("artisans/a/photos/x.jpg"))
    sink.error("file-too-large", "big", Location("artisans/a/index.md"))

def test_from_a_worker_or_cache():
    # Unpickled diagnostics bypass __init__: they are caught where they join a sink.
    import pickle
    from karigar.diagnostics import Diagnostic, Severity
    made = pickle.dumps(Diagnostic(Severity.WARNING, "x", "m", Location("a.md", 1, 1)))
    unlocated = pickle.loads(made.replace(b"a.md", b"b.md"))
    object.__setattr__(unlocated, "location", Location("b.md"))
    DiagnosticSink().extend([unlocated])
"""


def test_a_diagnostic_without_line_and_column_fails_its_test(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(child, monkeypatch, {"test_diagnostics": LOCATED_TESTS})
    result.assert_outcomes(passed=5, errors=3)
    output = result.stdout.str()
    assert "artisans/a/index.md: error: [file-too-large]" in output
    assert "artisans/a/photos/x.jpg: error: [symlink]" not in output, "the marker's code is allowed"
    assert "b.md: warning: [x]" in output
    result.stdout.fnmatch_lines(["*ERROR*test_unlocated -*", "*ERROR*test_the_reason_covers_only_its_codes*",
                                 "*ERROR*test_from_a_worker_or_cache*"], consecutive=False)


ENVIRONMENT_TEST = """
import os
from pathlib import Path
import subprocess, sys

def test_environment_is_neutral():
    assert "NETLIFY" not in os.environ and "LANGUAGE" not in os.environ
    assert os.environ["LC_ALL"] == "C.UTF-8" and os.environ["TZ"] == "UTC"
    child = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get('NETLIFY'))"],
                           capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "None"
"""


def test_the_callers_netlify_and_locale_do_not_reach_the_tests(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(child, monkeypatch, {"test_env": ENVIRONMENT_TEST}, NETLIFY="true", LANGUAGE="ur:hi", LC_ALL="ur_PK.UTF-8",
                 TZ="Asia/Karachi")
    result.assert_outcomes(passed=1)


def test_image_cdn_auto_still_follows_netlify_when_a_test_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The isolation removes the caller's NETLIFY; the engine's own reading of it still works."""
    from karigar.config import load_settings
    from karigar.diagnostics import DiagnosticSink

    assert "NETLIFY" not in os.environ
    assert load_settings(REPO / "mkdocs.yml", sink=DiagnosticSink()).image_cdn == ""  # type: ignore[union-attr]
    monkeypatch.setenv("NETLIFY", "true")
    assert load_settings(REPO / "mkdocs.yml", sink=DiagnosticSink()).image_cdn == "netlify"  # type: ignore[union-attr]


HANGING_TEST = """
import threading

def test_waits_forever():
    threading.Event().wait()
"""


def test_a_hanging_test_is_stopped_by_the_timeout(child: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    child.makeini(INI.replace("timeout = 300", "timeout = 2"))
    result = run(child, monkeypatch, {"test_hang": HANGING_TEST})
    result.assert_outcomes(failed=1)
    assert "Timeout" in result.stdout.str()


def test_the_projects_own_timeout_bounds_every_test(pytestconfig: pytest.Config) -> None:
    assert 0 < float(pytestconfig.getini("timeout")) <= 600
