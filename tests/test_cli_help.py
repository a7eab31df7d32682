"""Every command's --help lists examples; --version works."""

from importlib.metadata import version

import click
import pytest

from peacemap import __version__
from peacemap.cli.main import cli


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "peacemap")
def test_help_lists_examples(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:")[1]
    assert "peacemap " + " ".join(path) in examples


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_version_is_the_one_the_report_records(runner, plan28_report):
    result = runner.invoke(cli, ["--version"])
    assert result.stdout == f"peacemap, version {plan28_report['peacemap_version']}\n"
    assert plan28_report["peacemap_version"] == version("peacemap")  # the installed distribution's


def test_unknown_command_is_a_usage_error(runner):
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2


def test_format_choices_kept_light_match_the_library():
    # The commands spell out their format choices so that `peacemap --help` imports nothing heavy.
    from peacemap import pipeline
    from peacemap.cli import layers, map, report
    from peacemap.layers.report import export, render

    assert tuple(report.REPORT_FORMATS) == tuple(sorted(render.RENDERERS))
    assert tuple(layers.FORMATS) == tuple(export.FORMATS)
    assert tuple(map.FORMATS) == pipeline.MAP_FORMATS


def test_help_imports_no_geometry_library():
    import subprocess
    import sys

    code = (
        "import sys; sys.argv = ['peacemap', '--help']\nfrom peacemap.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('geopandas', 'shapely', 'pandas', 'folium', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"
