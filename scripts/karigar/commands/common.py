"""What every command shares: reading settings and printing diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from karigar.config import Settings, load_settings
from karigar.diagnostics import Diagnostic, DiagnosticSink, format_github, format_text

__all__ = ["read_settings", "print_diagnostics", "summary"]


def read_settings(config_file: Path, *, err: TextIO) -> Settings | None:
    sink = DiagnosticSink()
    settings = load_settings(config_file, sink=sink)
    print_diagnostics(sink.sorted(), err=err)
    return settings


def print_diagnostics(diagnostics: list[Diagnostic], *, err: TextIO, fmt: str = "text",
                      warnings_per_code: int | None = None) -> None:
    """Print every error; with ``warnings_per_code``, only that many warnings of each kind."""
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for d in diagnostics:
        if not d.is_error and warnings_per_code is not None:
            shown[d.code] = shown.get(d.code, 0) + 1
            if shown[d.code] > warnings_per_code:
                hidden[d.code] = hidden.get(d.code, 0) + 1
                continue
        print(format_github(d) if fmt == "github" else format_text(d), file=err)
    for code, count in hidden.items():
        print(f"... and {count} more `{code}` warning(s); `karigar check` lists them all", file=err)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s)"
