"""Dependency hygiene: what the product imports is declared in pyproject.toml, and what is
declared as a core dependency is imported.

A package that is imported but undeclared works only while something else happens to pull it
in; a declared package that nothing imports is weight and attack surface for nothing.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT = [REPO / "assistant", REPO / "knowledge", REPO / "tools", REPO / "app.py"]
OURS = {"assistant", "knowledge", "tools", "app"}

# Declared but never imported by name, on purpose.
NOT_IMPORTED = {
    "tzdata": "the IANA time-zone database that zoneinfo reads where the system has none",
}
# Extras that hold drivers and data rather than code we import.
DRIVER_EXTRAS = {"postgres", "test"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return canonical(match.group(0))


def declared() -> tuple[set[str], set[str]]:
    """(core dependencies, packages of the optional extras) as canonical names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {requirement_name(r) for r in project["dependencies"]}
    extras = {requirement_name(r) for name, reqs in project["optional-dependencies"].items()
              if name not in DRIVER_EXTRAS for r in reqs}
    return core, extras


@functools.cache
def packages_distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


@functools.cache
def imported_modules() -> dict[str, str]:
    """Top-level third-party module -> one file that imports it."""
    found: dict[str, str] = {}
    files = [p for root in PRODUCT for p in ([root] if root.is_file() else root.rglob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OURS:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_imported_package_is_declared() -> None:
    core, extras = declared()
    distributions = packages_distributions()
    undeclared = {}
    for module, where in imported_modules().items():
        names = {canonical(d) for d in distributions.get(module, [])}
        if not names:
            continue  # an optional extra that is not installed here: nothing to map it with
        if not names & (core | extras):
            undeclared[module] = (sorted(names), where)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_every_core_dependency_is_imported() -> None:
    core, _ = declared()
    distributions = packages_distributions()
    used = {canonical(d) for module in imported_modules() for d in distributions.get(module, [])}
    unused = core - used - set(NOT_IMPORTED)
    assert not unused, f"declared in pyproject.toml but imported nowhere: {sorted(unused)}"
