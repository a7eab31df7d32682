"""Unreadable sources and unknown source ids are one-line DataSourceErrors (issue 20, item 8).

The suite runs as root, for whom every file is readable, so a file without read permission is
simulated by making ``open`` (or ``Path.is_file``) raise PermissionError as the kernel would.
"""

import errno
from pathlib import Path

import pytest

from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.errors import DataSourceError, PeacemapError
from peacemap.layers.sources import registry

SOURCE_ID = "admin1-naturalearth"


@pytest.fixture
def unreadable(setenv, monkeypatch):
    """Every source file looks unreadable: opening it raises EACCES; nothing is verified yet."""

    def forbidden(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(registry, "open", forbidden, raising=False)  # shadows the builtin in registry
    monkeypatch.setattr(registry, "_verified", {})
    setenv(settings.DATA_DIR_ENV, None)


def test_an_unreadable_source_is_a_one_line_data_source_error(unreadable):
    source = registry.get_source(SOURCE_ID)
    with pytest.raises(DataSourceError) as info:
        registry.fetch(source)
    message = str(info.value)
    assert "\n" not in message
    assert str(registry.repository_data_dir() / source.path) in message
    assert "Permission denied" in message
    assert "readable" in message


def test_a_folder_that_cannot_be_searched_is_a_data_source_error(monkeypatch):
    real_is_file = Path.is_file

    def is_file(path):
        if path.name == Path(registry.get_source(SOURCE_ID).path).name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_is_file(path)

    monkeypatch.setattr(Path, "is_file", is_file)
    with pytest.raises(DataSourceError, match=r"cannot be read .Permission denied"):
        registry.locate(registry.get_source(SOURCE_ID))


@pytest.fixture
def fresh_regions(setenv, monkeypatch):
    """Forget region land read earlier in this process, and leave the disk cache alone, so that
    the command reads the sources."""
    setenv(settings.NO_CACHE_ENV, "1")
    settings.clear_memo()
    yield
    settings.clear_memo()


def test_the_cli_reports_an_unreadable_source_in_one_line(runner, unreadable, fresh_regions):
    result = runner.invoke(cli, ["-q", "regions"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "cannot be read" in result.stderr, result.stderr


def test_data_status_marks_an_unreadable_source(runner, unreadable):
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith(SOURCE_ID))
    assert "UNREADABLE" in line
    assert "CHECKSUM" not in line


def test_an_unknown_source_id_is_a_data_source_error():
    with pytest.raises(PeacemapError) as info:
        registry.fetch("no-such-source")
    assert isinstance(info.value, DataSourceError)
    assert isinstance(info.value, KeyError)  # KeyError as before
    message = str(info.value)
    assert message.startswith("unknown source id 'no-such-source'; known: ")
    assert "\n" not in message
