"""Imports between the packages run one way, along the process: a package imports only packages before it.

A lower package that must react to a higher one offers a signal or a registration hook (``screening_checks_
requested``, ``detail_section``, ``wave_imported``), which the higher one connects to in ``create_app``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "labelapp"
# Lowest first. A user belongs to a municipality, so the municipality list sits below the accounts.
ORDER = ["core", "municipalities", "auth", "criteria", "surveys", "assessment", "applications", "panel", "labels",
         "improvement", "registry", "programme", "pages", "demo"]
# Modules at the package's root: the factory and the model list import everything; these import no feature.
BASE = {"config", "extensions"}
TOP = {"__init__", "models"}


def imported_packages(source: str) -> set[str]:
    """The labelapp sub-packages (or root modules) that ``source`` imports, at any depth of the code."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from labelapp import demo`` names the package in the imported names
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "labelapp" else [node.module]
        else:
            continue
        found.update(name.split(".")[1] for name in names if name.startswith("labelapp.") and name.count(".") >= 1)
    return found


def uphill_imports(package: str, source: str) -> list[str]:
    """The imports of a module of ``package`` that reach a package above it (or one outside the order)."""
    rank = ORDER.index(package)
    return sorted(other for other in imported_packages(source) - {package} - BASE
                  if other not in ORDER or ORDER.index(other) > rank)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1:
            continue  # the root modules are checked below
        found.append((parts[0], path))
    return found


def test_every_feature_package_is_in_the_order():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ORDER)


@pytest.mark.parametrize(("package", "path"), modules(), ids=lambda v: str(v.relative_to(PACKAGE))
                         if isinstance(v, Path) else v)
def test_imports_run_one_way(package, path):
    assert uphill_imports(package, path.read_text(encoding="utf-8")) == []


def test_base_modules_import_no_feature():
    for name in BASE:
        assert imported_packages((PACKAGE / f"{name}.py").read_text(encoding="utf-8")) - BASE == set()


@pytest.mark.parametrize(("package", "source", "expected"), [
    ("core", "from labelapp.auth.models import User", ["auth"]),
    ("applications", "def f():\n    from labelapp.labels import lifecycle\n", ["labels"]),
    ("panel", "import labelapp.registry.views", ["registry"]),
    ("criteria", "from labelapp import demo", ["demo"]),
    ("labels", "from labelapp.review import models", ["review"]),  # a package outside the order
    ("labels", "from labelapp.panel.reviews import panel_decision\nfrom labelapp.core import audit", []),
])
def test_the_check_finds_uphill_imports(package, source, expected):
    assert uphill_imports(package, source) == expected
