"""Every diagnostic as a Markdown table in a GitHub Actions job summary (``$GITHUB_STEP_SUMMARY``).

GitHub shows at most 10 annotations of each kind per step and 50 per job on a
pull request; a bulk import or a registry edit can make hundreds.  The job
summary (the run's page) has no such limit, only a size: 1 MiB per step.  So
``karigar check --format github`` writes every annotation to the log *and*
appends every diagnostic to the summary, cutting the table short (with a
count of what is left out, which the log lists) only at the size limit.

Cells quote content (names, YAML values), so they are escaped: a ``|`` would
end the cell, HTML outside a code span would be read as HTML, and control
characters are shown as escapes (:func:`karigar.diagnostics.printable`).
"""

from __future__ import annotations

from pathlib import Path

from karigar.diagnostics import Diagnostic, printable

__all__ = ["summary_markdown", "append_job_summary", "markdown_cell", "SUMMARY_LIMIT"]

# GitHub refuses a step summary over 1 MiB (and shows an error instead of it); a margin for the footer.
SUMMARY_LIMIT = 1024 * 1024 - 4096

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_cell(text: str) -> str:
    """``text`` as one table cell: code spans kept (their content is literal), HTML escaped outside them."""
    text = printable(text)
    spans = text.split("`")
    if len(spans) % 2 == 0:  # an unmatched backtick: no code span at all
        cell = text.translate(_HTML).replace("`", "&#96;")
    else:
        cell = "`".join(part if n % 2 else part.translate(_HTML) for n, part in enumerate(spans))
    # A pipe ends the cell unless escaped, even inside a code span (GitHub's table rule).
    return cell.replace("|", "\\|")


def _row(d: Diagnostic) -> str:
    where = markdown_cell(f"`{d.location}`")
    return (f"| {where} | {d.severity.value} | {markdown_cell(f'`{d.code}`')} | {markdown_cell(d.message)} | "
            f"{markdown_cell(d.hint)} |\n")


def summary_markdown(diagnostics: list[Diagnostic], *, title: str, limit: int = SUMMARY_LIMIT) -> str:
    """The summary's section: a heading, then one row per diagnostic (as many as ``limit`` bytes hold)."""
    errors = sum(d.is_error for d in diagnostics)
    head = f"### {markdown_cell(title)}: {errors} error(s), {len(diagnostics) - errors} warning(s)\n\n"
    if not diagnostics:
        return head + "Nothing to report.\n"
    head += ("GitHub marks at most 10 of them on the pull request's lines per step (50 per job); "
             "every one is listed here.\n\n"
             "| File:line:col | Severity | Code | Problem | Hint |\n|---|---|---|---|---|\n")
    out, size = [head], len(head.encode())
    for n, d in enumerate(diagnostics):
        row = _row(d)
        size += len(row.encode())
        if size > limit:
            out.append(f"\n{len(diagnostics) - n} more not listed: a job summary holds at most 1 MiB. "
                       "The step's log lists every one.\n")
            break
        out.append(row)
    return "".join(out)


def append_job_summary(path: Path, diagnostics: list[Diagnostic], *, title: str) -> None:
    """Append the section to the summary file GitHub gave the step (other steps' sections stay)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(summary_markdown(diagnostics, title=title) + "\n")
