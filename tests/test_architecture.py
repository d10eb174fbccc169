"""The engine's structure: one exception tree in one module, and names kept where callers find them.

That imports flow down only is checked by `lint-imports` (``[tool.importlinter]``
in pyproject.toml, run by `make test`); these tests check what it cannot.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import karigar
import karigar.errors
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.errors import ContentError, KarigarError, PhotoFailed, RenderFailed

PACKAGE = Path(karigar.__file__).parent
# Running `python -m karigar` is what importing it does: it defines nothing.
NOT_IMPORTED = {"karigar.__main__"}


def engine_modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.walk_packages(karigar.__path__, "karigar.")]
    return [karigar, *(importlib.import_module(name) for name in sorted(names) if name not in NOT_IMPORTED)]


def test_every_exception_class_is_defined_in_karigar_errors_under_karigar_error() -> None:
    defined_elsewhere = []
    for module in engine_modules():
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__.startswith("karigar"):
                if obj.__module__ != "karigar.errors":
                    defined_elsewhere.append(f"{obj.__module__}.{obj.__qualname__}")
                elif obj is not KarigarError:
                    assert issubclass(obj, KarigarError), f"{obj.__qualname__} must subclass KarigarError"
    assert defined_elsewhere == [], "define exceptions in karigar/errors.py (and import them where raised)"


def _exception_bases(tree: ast.AST) -> list[tuple[str, int]]:
    """Classes (at any depth) whose bases name an exception: a builtin one, or any `...Error`/`...Exception`."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
            builtin = getattr(builtins, name, None)
            if (inspect.isclass(builtin) and issubclass(builtin, BaseException)) or name.endswith(
                    ("Error", "Exception", "Failed")):
                found.append((node.name, node.lineno))
    return found


def test_no_exception_class_hides_inside_a_function_or_another_class() -> None:
    # The import-based test above sees module-level classes only; this reads every source file.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for name, line in _exception_bases(ast.parse(path.read_text("utf-8"))):
            found.append(f"{path.relative_to(PACKAGE)}:{line}: class {name}")
    assert found == []


def test_the_tree_is_one_module() -> None:
    classes = [obj for obj in vars(karigar.errors).values()
               if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == "karigar.errors"]
    assert {cls.__name__ for cls in classes} == set(karigar.errors.__all__)
    # Callers that catch ValueError still catch the two that were ValueErrors.
    assert issubclass(karigar.errors.UntrustedInlineCode, ValueError)
    assert issubclass(karigar.errors.HeaderRulesError, ValueError)


@pytest.mark.parametrize(("module", "name"), [
    ("karigar.render.site", "RenderFailed"),
    ("karigar.material", "MkDocsFailed"),
    ("karigar.photos.publish", "PhotoFailed"),
    ("karigar.photos.process", "PhotoError"),
    ("karigar.render.csp", "UntrustedInlineCode"),
    ("karigar.hosting.netlify_headers", "HeaderRulesError"),
    ("karigar.serve.ondemand", "PageFailed"),
    ("karigar.commands.new", "NewFailed"),
])
def test_exceptions_are_still_found_where_they_are_raised(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(karigar.errors, name)


def test_exceptions_holding_diagnostics_keep_them() -> None:
    problem = Diagnostic(Severity.ERROR, "photo-format", "not a photo", Location("a.jpg", 1, 1))
    assert PhotoFailed([problem]).diagnostics == [problem]
    assert str(PhotoFailed([problem])) == "not a photo"
    assert RenderFailed(problem).diagnostic is problem
    assert ContentError([problem]).diagnostics == [problem]


@pytest.mark.parametrize(("old", "new", "names"), [
    # The sanitizer moved below rendering (the entry renderer calls it); render.security re-exports it.
    ("karigar.render.security", "karigar.markup.sanitize",
     ["sanitize_fragment", "LINK_REL", "FRAGMENT_TAGS", "FRAGMENT_ATTRIBUTES"]),
    # The settings' declarations moved below the loader (which reads Settings); config re-exports them.
    ("karigar.config", "karigar.settings", ["Settings", "PluginOption", "PLUGIN_OPTIONS", "DEFAULT_RESERVED_SLUGS"]),
])
def test_moved_names_are_still_found_where_they_were(old: str, new: str, names: list[str]) -> None:
    for name in names:
        assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), name), name
