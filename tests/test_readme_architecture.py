"""The README's Architecture section is made from the import-linter contracts (issue 28, "A picture
of the house"): it is the text docs/readme_architecture.py prints now, so a package added to the
contracts, reordered or redescribed shows in the README, and every module it names exists."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _generator():
    spec = importlib.util.spec_from_file_location("readme_architecture", ROOT / "docs" / "readme_architecture.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_section(start: str, end: str) -> str:
    begin = README.index(start)
    return README[begin : README.index(end, begin) + len(end)]


def test_the_readme_section_is_the_generated_one():
    generator = _generator()
    assert _readme_section(generator.START, generator.END) == generator.section()


def test_the_packages_are_the_layers_contract_in_its_order():
    # Read independently of the generator: the first "layers" contract of pyproject.toml.
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    top = next(contract for contract in contracts if contract["type"] == "layers")
    generator = _generator()
    section = _readme_section(generator.START, generator.END)
    named = re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)
    expected = [module.removeprefix("peacemap.").replace(".", "/") for module in top["layers"]]
    assert [name.removesuffix("/").removesuffix(".py") for name in named] == expected


def test_every_path_the_section_names_exists():
    generator = _generator()
    section = _readme_section(generator.START, generator.END)
    paths = [path for path in re.findall(r"`([\w/]+(?:\.py|/))`", section)]
    assert len(paths) >= 10
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == []
