"""Every command's --help lists examples; --version works."""

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
    assert result.exit_code == 0 and __version__ in result.stdout


def test_unknown_command_is_a_usage_error(runner):
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
