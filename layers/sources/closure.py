"""The peacemap modules a module runs: its import closure, found by reading the import statements
of the source files (nothing is imported for it), and a digest of their code for cache keys.

A module's closure holds the module, every peacemap module it imports (at the top or inside a
function, since a function's import runs when the function does) and so on recursively, and the
packages above each of them, whose ``__init__.py`` runs on import. Of a package reached only as a
parent, the imports at its top level count (those run on import), not those inside its functions:
``peacemap/__init__.py`` imports the whole API on first use, which no cached value depends on.
Imports under ``if TYPE_CHECKING:`` never run and do not count.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from peacemap.layers.settings import memoized

PACKAGE = "peacemap"
# The folder of the package: the repository root (package-dir in pyproject.toml), or site-packages/peacemap.
PACKAGE_DIR = Path(__file__).resolve().parents[2]


def module_file(name: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source file of the peacemap module ``name`` (a package's ``__init__.py``) in
    ``package_dir``, or None if there is no such module."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = package_dir.joinpath(*name.split(".")[1:])
    for candidate in (base / "__init__.py", base.with_name(base.name + ".py")):
        if candidate.is_file():
            return candidate
    return None


def import_closure(root: str, package_dir: Path = PACKAGE_DIR) -> tuple[str, ...]:
    """Every peacemap module ``root`` runs (see the module docstring), ``root`` included, sorted.

    ``package_dir`` is the folder of the package's source (default: this peacemap's).
    ModuleNotFoundError if ``root`` is no peacemap module there.
    """
    if module_file(root, package_dir) is None:
        raise ModuleNotFoundError(f"'root' should be a module of {PACKAGE} in {package_dir}, got {root!r}")
    walked: dict[str, bool] = {}  # module -> whether its imports inside functions were followed too
    queue = [(root, True)]
    while queue:
        name, whole = queue.pop()
        if walked.get(name, False) or (name in walked and not whole):
            continue
        walked[name] = whole
        for imported, runs_whole in _imports(name, package_dir, whole=whole):
            queue.append((imported, runs_whole))
    return tuple(sorted(walked))


@memoized
def _imports(name: str, package_dir: Path, *, whole: bool) -> tuple[tuple[str, bool], ...]:
    """The peacemap modules ``name`` imports (with ``whole``: inside its functions too), each with
    whether it is imported itself (True) or only as a parent package of one (False); read once a
    process for every closure that meets it."""
    path = module_file(name, package_dir)
    assert path is not None  # every name queued was found first
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found: list[tuple[str, bool]] = [(parent, False) for parent in _parents(name)]
    for node in _import_nodes(tree, whole=whole):
        for imported in _named(node, name, is_package=path.name == "__init__.py"):
            if module_file(imported, package_dir) is not None:
                found.append((imported, True))
                found += [(parent, False) for parent in _parents(imported)]
    return tuple(found)


def _import_nodes(tree: ast.Module, *, whole: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of ``tree`` that run: at its top level (in its ``if`` and ``try``
    blocks and class bodies too) and, with ``whole``, inside its functions; never those under
    ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if whole:
                pending.extend(ast.iter_child_nodes(node))
        else:
            pending.extend(ast.iter_child_nodes(node))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _named(node: ast.Import | ast.ImportFrom, importer: str, *, is_package: bool) -> list[str]:
    """The modules an import statement of ``importer`` may name: ``import a.b`` names ``a.b``;
    ``from a import b`` names ``a`` and, if it is a module, ``a.b`` (checked by the caller)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: from the importer's package, one level up per dot after the first
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")]


def _parents(name: str) -> list[str]:
    """The packages above ``name``: ``a`` and ``a.b`` for ``a.b.c``."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def code_digest(roots: tuple[str, ...], package_dir: Path | None = None) -> str:
    """sha256 of the name and the source of every module in the import closure of ``roots``
    (:func:`import_closure`) in ``package_dir`` (default: :data:`PACKAGE_DIR`), in order of name:
    a change to any of them, a comment included, or a module moved, gives another digest.
    Computed once a process for each ``roots``."""
    return _code_digest(tuple(sorted(set(roots))), (package_dir or PACKAGE_DIR).resolve())


@memoized
def _code_digest(roots: tuple[str, ...], package_dir: Path) -> str:
    modules = sorted({module for root in roots for module in import_closure(root, package_dir)})
    digest = hashlib.sha256()
    for name in modules:
        path = module_file(name, package_dir)
        assert path is not None
        digest.update(name.encode() + b"\n" + path.read_bytes() + b"\n")
    return digest.hexdigest()
