"""Print the README's Architecture section from the import-linter contracts, so that the picture of
the house is the one `lint-imports` enforces.

    .venv/bin/python docs/readme_architecture.py

prints the Markdown that goes between the README's ``<!-- architecture -->`` markers: the packages
in the order of the first ``layers`` contract of ``pyproject.toml`` (each may import only those
below it), each with the first sentence of its own docstring; the order inside ``layers/`` from the
second; and where each concept lives. tests/test_readme_architecture.py checks that the README's
section is this text, and that every module it names exists.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- architecture: made by docs/readme_architecture.py -->", "<!-- /architecture -->"

# Where each concept lives (paths from the repository root). Each path is checked to exist.
CONCEPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "the vocabulary (statuses, kinds, sides, recognitions, rules; headline measures and their labels)",
        ("layers/plans/statuses.py", "layers/report/measures.py"),
    ),
    ("a request (plan, options, date, control, population), normalised once", ("pipeline/request.py",)),
    ("the writers of every output, one registry by file suffix", ("pipeline/outputs.py",)),
    (
        "the cache and its keys (the computing module's import closure, library versions, input digests)",
        ("layers/sources/cache.py", "layers/sources/closure.py"),
    ),
    ("the settings (data and cache folders, cache on/off, workers), read once", ("layers/settings.py",)),
    ("the pinned sources (URL, sha256, licence of every file)", ("layers/sources/registry.py",)),
    ("untrusted control files, read as themselves", ("layers/sources/control_file.py",)),
    ("the report's typed contract (the JSON of `peacemap report`)", ("layers/report/contract.py",)),
    ("frame dates of timelines and animations", ("layers/timeline/schedule.py",)),
    ("the languages (the gettext catalogue; the vocabulary's labels in the language being written)", ("layers/i18n/", "layers/report/terms.py")),
    ("errors in one line, atomic writing", ("layers/errors.py", "layers/writing.py")),
)


def contracts(pyproject: Path = ROOT / "pyproject.toml") -> list[dict]:
    """The import-linter contracts of ``pyproject``, in their order."""
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def module_path(module: str) -> Path:
    """The file of ``module`` (``peacemap.x.y``): a package's ``__init__.py`` or a module's ``.py``."""
    relative = Path(*module.split(".")[1:])
    package = ROOT / relative / "__init__.py"
    return package if package.exists() else (ROOT / relative).with_suffix(".py")


def summary(path: Path) -> str:
    """The first sentence of the docstring of the module at ``path``, on one line."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = " ".join(docstring.split("\n\n")[0].split())
    return first.split(": ")[0].rstrip(".") if len(first) > 110 else first.rstrip(".")


def display(path: Path) -> str:
    """``path`` as the README names it: a package as its folder, a module as its file."""
    relative = path.relative_to(ROOT)
    return f"{relative.parent}/" if relative.name == "__init__.py" else str(relative)


def section() -> str:
    """The README's Architecture section (Markdown, between its markers)."""
    top, inner = (contract for contract in contracts() if contract["type"] == "layers")
    rows = [f"| `{display(module_path(module))}` | {summary(module_path(module))} |" for module in top["layers"]]
    container = inner["containers"][0].split(".")[-1]
    order = " → ".join(", ".join(f"`{name.strip()}`" for name in layer.split("|")) for layer in inner["layers"])
    concepts = [f"- {concept}: {', '.join(f'`{path}`' for path in paths)}" for concept, paths in CONCEPTS]
    return "\n".join(
        [
            START,
            "Imports go one way, down this table; `lint-imports` enforces it (`pyproject.toml`), and a",
            "command imports only the api, the pipeline and the light option and error modules.",
            "",
            "| package | what it holds |",
            "| --- | --- |",
            *rows,
            "",
            f"Inside `{container}/`, the same one way: {order}.",
            "",
            "Where each concept lives:",
            "",
            *concepts,
            END,
        ]
    )


if __name__ == "__main__":
    if len(sys.argv) != 1:
        sys.exit("usage: python docs/readme_architecture.py")
    print(section())
