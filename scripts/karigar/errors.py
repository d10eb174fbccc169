"""Every exception Karigar defines, in one tree under :class:`KarigarError`.

Bad content is never an exception: stages append located diagnostics to a
sink and carry on, so one run reports every problem.  These are for what
stops a stage or a command, and for the few signals passed inside a module.
Each is re-exported by the module that raises it (``karigar.render.site``
still has ``RenderFailed``), so callers import it from where it is used; the
definitions are here so that ``except KarigarError`` means "anything of ours"
and a new exception has one obvious home.

Exceptions that stand for content problems keep them as diagnostics
(``diagnostics``, ``diagnostic``) so a command can print them located.  The
two that were ``ValueError``\\ s stay ``ValueError``\\ s too, for callers that
catch that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from karigar.diagnostics import Diagnostic

if TYPE_CHECKING:  # only a type: the YAML loader needs no import here
    import yaml

__all__ = [
    "KarigarError",
    "ContentError",
    "YamlLimitCrossed",
    "PhotoError",
    "PhotoFailed",
    "UntrustedInlineCode",
    "HeaderRulesError",
    "MkDocsFailed",
    "RenderFailed",
    "PagefindMissing",
    "PagefindFailed",
    "PageFailed",
    "UsageError",
    "NewFailed",
    "WorkerDied",
]


class KarigarError(Exception):
    """The base of every exception Karigar defines."""


# --- content and its sources ----------------------------------------------------


class ContentError(KarigarError):
    """Raised by a command (never by a stage) when content errors stop a build."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{sum(d.is_error for d in diagnostics)} content error(s)")
        self.diagnostics = diagnostics


class YamlLimitCrossed(KarigarError):
    """A YAML document crossed a size or depth limit: the diagnostic's code, message and the node.

    Raised and caught inside :mod:`karigar.load.yamlsrc` (as ``_Stop``), which
    turns it into a located diagnostic.
    """

    def __init__(self, code: str, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.code, self.message, self.node = code, message, node


# --- photos -------------------------------------------------------------------------


class PhotoError(KarigarError):
    """A photo that cannot be published; ``code`` is the diagnostic's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PhotoFailed(KarigarError):
    """Photos that could not be processed, as located diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message)
        self.diagnostics = diagnostics


# --- rendering and publishing ---------------------------------------------------------


class _Place(Protocol):
    """Where an untrusted inline script or style is (``karigar.render.csp.UntrustedPlace``)."""

    @property
    def path(self) -> str: ...

    @property
    def offset(self) -> int: ...


PlaceT = TypeVar("PlaceT", bound=_Place)


class UntrustedInlineCode(KarigarError, ValueError, Generic[PlaceT]):
    """Built pages hold inline scripts or styles that the theme never emits.

    Hashing them would allow them: either content got markup into a page
    (an injection the first wall missed) or a template gained an inline
    script, which a maintainer must look at.  ``found`` maps each output
    path to short samples of what was found; ``places`` says where each
    one is (the first ``karigar.render.csp.PLACES_KEPT`` of them), so a build
    can point at it.  The places' type is the CSP module's, which sits above
    this one: here they need only a path and an offset.
    """

    def __init__(self, found: dict[str, list[str]], places: Iterable[PlaceT] = ()) -> None:
        self.found = found
        self.places = sorted(places, key=lambda place: (place.path, place.offset))
        lines = [f"{path}: {', '.join(samples[:3])}" for path, samples in sorted(found.items())[:20]]
        more = f"\n... and {len(found) - 20} more page(s)" if len(found) > 20 else ""
        super().__init__(
            f"{len(found)} page(s) hold inline scripts or styles the theme does not emit; they are not "
            "allowed by the Content-Security-Policy:\n" + "\n".join(lines) + more
        )


class HeaderRulesError(KarigarError, ValueError):
    """A header rule Netlify would refuse; ``where`` is ``_headers:7`` or ``netlify.toml [[headers]] #2``."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class MkDocsFailed(KarigarError):
    """MkDocs stopped (a content/ page or the theme is broken)."""


class RenderFailed(KarigarError):
    """A problem found while rendering (MkDocs stopped) before anything was written."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class PagefindMissing(KarigarError):
    """The Pagefind binary is not installed (the Python package ``pagefind[extended]`` ships it)."""


class PagefindFailed(KarigarError):
    """Pagefind stopped with an error while indexing a search bundle (its message is kept)."""


# --- the dev server and the commands ------------------------------------------------------


class PageFailed(KarigarError):
    """Rendering one page (or finding one photo) raised; the message names the output and the error."""

    def __init__(self, output: str, cause: BaseException) -> None:
        super().__init__(f"rendering {output} failed: {type(cause).__name__}: {cause}")
        self.output = output


class UsageError(KarigarError):
    """A problem with a command's arguments: exit status 2 (``karigar demo``)."""


class NewFailed(KarigarError):
    """Stops ``karigar new`` with ``code`` (its exit status) and ``message``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- the build's processes ----------------------------------------------------------------


class WorkerDied(KarigarError, RuntimeError):
    """A forked worker process ended without finishing its share of the work (killed, or out of memory)."""
