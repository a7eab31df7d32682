"""No module of maps/ uses another module's private names (issue 28, "maps/ by concern"): ruff's
SLF001 refuses ``module._name``; this refuses ``from module import _name``, which ruff does not see."""

from __future__ import annotations

import ast
from pathlib import Path

MAPS = Path(__file__).resolve().parent.parent / "maps"


def private_imports(source: str) -> list[str]:
    """``module: name`` for every private name ``source`` imports from a peacemap module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("peacemap"):
            found += [f"{node.module}: {alias.name}" for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_the_check_sees_a_private_import():
    assert private_imports("from peacemap.maps.html.layers import _missing, zone_popup\n") == ["peacemap.maps.html.layers: _missing"]


def test_no_module_of_maps_imports_another_modules_private_names():
    offenders = {str(path.relative_to(MAPS)): names for path in sorted(MAPS.rglob("*.py")) if (names := private_imports(path.read_text(encoding="utf-8")))}
    assert offenders == {}
