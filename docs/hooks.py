"""mkdocs hooks for the site (mkdocs.yml): let mkdocstrings find the package.

The repository root is the package ``peacemap`` (package-dir in pyproject.toml), installed in
development mode through an import hook. Started as ``.venv/bin/mkdocs``, Python puts the
script's folder first on ``sys.path``; that folder holds the ``peacemap`` command script, which
griffe (mkdocstrings' reader) would take for the package and then find no ``peacemap.api`` in it.
"""

from __future__ import annotations

import sys
from pathlib import Path


def on_startup(command: str, dirty: bool) -> None:
    """Leave out of ``sys.path`` every folder where ``peacemap`` is a file, not the package."""
    sys.path[:] = [entry for entry in sys.path if not (Path(entry or ".") / "peacemap").is_file()]
