"""Cache keys nobody keeps by hand (issue 28): every key holds the source of every module the
computing module runs, found from the import statements (layers/sources/closure.py), and the
versions of peacemap and of the libraries that compute the values."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peacemap.layers.sources import cache, closure

PACKAGE_DIR = closure.PACKAGE_DIR
# What is not the package's code: the tests, the benchmarks, the environment.
NOT_THE_PACKAGE = ("tests", "bench", "docs", "build", ".venv", ".git", ".ci", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")


def _package_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR)
        if relative.parts[0] in NOT_THE_PACKAGE or any(part in NOT_THE_PACKAGE for part in relative.parts):
            continue
        parts = relative.with_suffix("").parts
        name = ".".join(["peacemap", *(parts[:-1] if parts[-1] == "__init__" else parts)])
        found[name] = path
    return found


def _key_roots() -> dict[str, set[str]]:
    """The module whose import closure each call of a key function (make_key, or a ``*_key`` that
    passes ``code=`` on to it) names, by the module that makes the call: its own ``__name__``, or
    another module's name."""
    roots: dict[str, set[str]] = {}
    for name, path in _package_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
            code = next((k.value for k in node.keywords if k.arg == "code"), None) if called.endswith("_key") else None
            if code is None or (isinstance(code, ast.Name) and code.id == "code"):  # no key, or code passed on
                continue
            if isinstance(code, ast.Name) and code.id == "__name__":
                roots.setdefault(name, set()).add(name)
            elif isinstance(code, ast.Constant) and isinstance(code.value, str):
                roots.setdefault(name, set()).add(code.value)
            else:
                raise AssertionError(f"{name}: {called}(code=...) should be __name__ or a module's name, got {ast.unparse(code)}")
    return roots


def test_no_hand_kept_list_of_modules_remains():
    # Issue 28: the *_CODE tuples of module names were checked by nothing and missed modules.
    listed = []
    for name, path in _package_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Tuple, ast.List)):
                names = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id.endswith("_CODE")]
                if names and any(isinstance(e, ast.Constant) and str(e.value).startswith("peacemap.") for e in node.value.elts):
                    listed.append(f"{name}.{names[0]}")
        listed += [f"{name}: {line.strip()}" for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"_CODE = \(", line)]
    assert listed == []


def test_every_cache_kind_is_keyed_by_a_module_closure():
    roots = _key_roots()
    # The kinds issue 28 names, and the timeline's files, which use the same key function.
    assert {
        "peacemap.layers.regions",
        "peacemap.layers.control.split",
        "peacemap.layers.timeline.cache",
        "peacemap.layers.timeline.plan",
        "peacemap.layers.population.model",
    } <= set(roots)
    assert {"peacemap.layers.timeline.series", "peacemap.layers.control.cells"} <= roots["peacemap.layers.timeline.cache"]


def test_the_closures_hold_what_hand_kept_lists_missed():
    # Issue 28: the plan timeline's list missed layers/control/__init__.py and sources/control_map.py.
    plan = closure.import_closure("peacemap.layers.timeline.plan")
    assert {"peacemap.layers.control", "peacemap.layers.sources.control_map", "peacemap.layers.plans.statuses", "peacemap.geo.population"} <= set(plan)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    """A copy of the package's source, to edit."""
    copy = tmp_path_factory.mktemp("copy") / "peacemap"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_THE_PACKAGE, "*.pyc"))
    return copy


def test_editing_any_module_of_a_kinds_closure_changes_its_key(package_copy, monkeypatch):
    monkeypatch.setattr(closure, "PACKAGE_DIR", package_copy)
    roots = sorted({root for found in _key_roots().values() for root in found})
    unchanged = []
    for root in roots:
        key = cache.make_key("kind", method=1, code=root)
        modules = closure.import_closure(root, package_copy)
        assert root in modules
        for module in modules:
            path = closure.module_file(module, package_copy)
            original = path.read_bytes()
            path.write_bytes(original + b"\n# an edit\n")
            closure._code_digest.cache_clear()
            try:
                if cache.make_key("kind", method=1, code=root) == key:
                    unchanged.append(f"{root}: {module}")
            finally:
                path.write_bytes(original)
                closure._code_digest.cache_clear()
        assert cache.make_key("kind", method=1, code=root) == key  # the copy is as it was
    assert unchanged == []


def test_a_module_outside_the_closure_leaves_the_key_alone(package_copy, monkeypatch):
    monkeypatch.setattr(closure, "PACKAGE_DIR", package_copy)
    root = "peacemap.layers.sources.population_projections"
    outside = "peacemap.maps.html"
    assert outside not in closure.import_closure(root, package_copy)
    key = cache.make_key("kind", method=1, code=root)
    path = closure.module_file(outside, package_copy)
    original = path.read_bytes()
    path.write_bytes(original + b"\n# an edit\n")
    closure._code_digest.cache_clear()
    try:
        assert cache.make_key("kind", method=1, code=root) == key
    finally:
        path.write_bytes(original)
        closure._code_digest.cache_clear()


def test_the_key_holds_the_versions_of_peacemap_and_its_libraries(monkeypatch):
    versions = cache.library_versions()
    for library in ("shapely", "geos", "pyproj", "proj", "numpy", "pandas"):
        assert re.search(rf"\b{library} \d", versions), library
    key = cache.make_key("kind", method=1, code="peacemap.geo.area")
    monkeypatch.setattr(cache, "library_versions", lambda: versions.replace("geos ", "geos 0"))
    assert cache.make_key("kind", method=1, code="peacemap.geo.area") != key
    monkeypatch.undo()
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert cache.make_key("kind", method=1, code="peacemap.geo.area") != key


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_closure_follows_imports_inside_functions_and_parent_packages(tmp_path):
    package = _tree(
        tmp_path / "peacemap",
        {
            "__init__.py": "def __getattr__(name):\n    from peacemap import api\n",  # the API, imported on first use
            "api.py": "",
            "a/__init__.py": "from peacemap.a.shared import X\n",
            "a/shared.py": "X = 1\n",
            "a/b.py": (
                "from typing import TYPE_CHECKING\nfrom . import c\nif TYPE_CHECKING:\n    from peacemap import typing_only\n"
                "def f():\n    from peacemap.a.lazy import g\n"
            ),
            "a/c.py": "import peacemap.d.e\n",
            "a/lazy.py": "",
            "d/__init__.py": "",
            "d/e.py": "",
            "typing_only.py": "",
            "unused.py": "",
        },
    )
    assert closure.import_closure("peacemap.a.b", package) == (
        "peacemap",
        "peacemap.a",
        "peacemap.a.b",
        "peacemap.a.c",
        "peacemap.a.lazy",
        "peacemap.a.shared",
        "peacemap.d",
        "peacemap.d.e",
    )


def test_an_unknown_module_is_refused(tmp_path):
    with pytest.raises(ModuleNotFoundError, match="'root' should be a module of peacemap"):
        closure.import_closure("peacemap.no_such_module")


def test_the_closure_holds_every_module_importing_the_root_loads():
    # What Python itself loads on importing each root (a fresh interpreter) is part of its closure;
    # the closure holds more: the imports inside functions, which run later.
    roots = sorted({root for found in _key_roots().values() for root in found})
    script = (
        "import importlib, sys; importlib.import_module(sys.argv[1]); print('\\n'.join(m for m in sys.modules if m == 'peacemap' or m.startswith('peacemap.')))"
    )
    for root in roots:
        done = subprocess.run([sys.executable, "-c", script, root], capture_output=True, text=True, check=True, timeout=120)
        loaded = set(done.stdout.split())
        assert loaded - set(closure.import_closure(root)) == set(), root
