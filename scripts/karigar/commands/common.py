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


def print_diagnostics(diagnostics: list[Diagnostic], *, err: TextIO, fmt: str = "text") -> None:
    for d in diagnostics:
        print(format_github(d) if fmt == "github" else format_text(d), file=err)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s)"
