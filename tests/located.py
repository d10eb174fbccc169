"""Every diagnostic a test provokes is located (``path:line:col``), or the test says why it cannot be.

A volunteer fixing a pull request needs the line, not just the file.  So the
suite checks it everywhere rather than in a few chosen tests: while a test
runs, every :class:`~karigar.diagnostics.Diagnostic` that comes into being in
the test process, and every one that reaches a sink from a worker process or
a cache, is recorded; at the end a diagnostic without a line fails the test.

Some problems are about a whole file and have no position in it (a photo that
is not an image, a missing ``index.md``, a symlink).  A test that provokes one
says so, naming the codes and the reason::

    @pytest.mark.unlocated("photo-decode", reason="a photo is binary: the error is the whole file")

Only the named codes may then go without a position; any other code must
still be located.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from karigar.diagnostics import Diagnostic, DiagnosticSink

__all__ = ["only_located_diagnostics", "unlocated_allowance"]


def unlocated_allowance(item: pytest.Item) -> frozenset[str]:
    """The codes the test's ``unlocated`` markers allow without a position (each must give a reason)."""
    codes: set[str] = set()
    for marker in item.iter_markers("unlocated"):
        reason = str(marker.kwargs.get("reason", "")).strip()
        if not marker.args or not reason:
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.unlocated needs the codes and a reason, "
                "e.g. @pytest.mark.unlocated('photo-decode', reason='...')")
        codes.update(str(code) for code in marker.args)
    return frozenset(codes)


@pytest.fixture(autouse=True)
def only_located_diagnostics(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    seen: list[Diagnostic] = []
    original_init = Diagnostic.__init__
    original_extend = DiagnosticSink.extend
    original_sorted = DiagnosticSink.sorted

    def recording_init(self: Diagnostic, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        seen.append(self)

    # Diagnostics made in forked workers or read back from the entry cache are
    # unpickled, not constructed: they are seen where they join a sink.
    def recording_extend(self: DiagnosticSink, diagnostics: Iterable[Diagnostic]) -> None:
        diagnostics = list(diagnostics)
        seen.extend(diagnostics)
        original_extend(self, diagnostics)

    def recording_sorted(self: DiagnosticSink) -> list[Diagnostic]:
        result = original_sorted(self)
        seen.extend(result)
        return result

    monkeypatch.setattr(Diagnostic, "__init__", recording_init)
    monkeypatch.setattr(DiagnosticSink, "extend", recording_extend)
    monkeypatch.setattr(DiagnosticSink, "sorted", recording_sorted)
    yield
    allowed = unlocated_allowance(request.node)
    unplaced = sorted({f"{d.location}: {d.severity.value}: [{d.code}] {d.message}" for d in seen
                       if d.location.line <= 0 and d.code not in allowed})
    if unplaced:
        pytest.fail(
            "diagnostics without path:line:col (locate them, or mark the test "
            "@pytest.mark.unlocated(CODE, reason=...) if the problem is the whole file):\n  "
            + "\n  ".join(unplaced[:20]), pytrace=False)
