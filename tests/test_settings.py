"""peacemap's settings (layers/settings.py): read once from the environment and the command line,
handed to worker processes, and the loaders' memos forgotten when the data folder changes."""

import datetime as dt
import os

import pytest
from worker_measures import settings_seen

from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import cache, population_projections, registry
from peacemap.layers.timeline import parallel


def test_the_environment_gives_every_setting(tmp_path):
    chosen = settings.from_environment(
        {
            settings.DATA_DIR_ENV: str(tmp_path / "data"),
            settings.CACHE_HOME_ENV: str(tmp_path),
            settings.NO_CACHE_ENV: "1",
            settings.WORKERS_ENV: "3",
            settings.START_METHOD_ENV: "spawn",
        }
    )
    assert chosen == settings.Settings(data_dir=tmp_path / "data", cache_home=tmp_path, use_cache=False, workers=3, start_method="spawn")
    assert chosen.cache_dir == tmp_path / "peacemap"


def test_an_empty_environment_gives_the_defaults():
    chosen = settings.from_environment({})
    assert (chosen.data_dir, chosen.cache_home, chosen.use_cache, chosen.workers) == (None, None, True, None)
    assert chosen.start_method == settings.default_start_method()
    assert settings.from_environment({settings.NO_CACHE_ENV: "0"}).use_cache


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5", "٣"])
def test_a_workers_count_that_is_no_positive_whole_number_is_refused_in_one_line(value):
    with pytest.raises(settings.SettingsError) as error:
        settings.from_environment({settings.WORKERS_ENV: value})
    assert str(error.value) == f"PEACEMAP_WORKERS should be a whole number of processes, 1 or more, got {value!r}"


def test_the_global_no_cache_option_is_a_setting_not_an_environment_variable(runner):
    assert settings.current().use_cache
    result = runner.invoke(cli, ["--no-cache", "plans"])
    assert result.exit_code == 0, result.output
    assert not settings.current().use_cache
    assert not cache.enabled()
    assert settings.NO_CACHE_ENV not in os.environ


DAYS = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(4)]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_processes_get_the_parents_settings(setenv, method):
    # --no-cache sets no environment variable: a spawned worker is given the settings instead.
    setenv(settings.START_METHOD_ENV, method)
    with settings.changed(use_cache=False), cache.not_storing("control"):
        seen = parallel.measure_days(settings_seen, DAYS, workers=2)
    assert seen == [(False, ("control",))] * len(DAYS)


def test_the_workers_setting_caps_the_worker_processes(setenv):
    setenv(settings.WORKERS_ENV, "1")
    pids = set(parallel.measure_days(lambda day: os.getpid(), DAYS * 50))
    assert pids == {os.getpid()}  # one worker: the work is done here


def test_a_new_data_folder_is_read_after_a_first_call(setenv, tmp_path):
    # Issue 28: a loader kept what it read for the life of the process, so a data folder set after
    # the first call was never read. Here the new folder holds a damaged copy of the source, which
    # the next call must find (and refuse), not the figures read from the first folder.
    setenv(settings.NO_CACHE_ENV, "1")
    settings.clear_memo()
    assert set(population_projections.read_projections()) == {"UA-40", "UA-43"}
    source = registry.get_source(population_projections.PROJECTION_SOURCE)
    damaged = tmp_path / source.path
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"not the pinned workbook")
    setenv(settings.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataSourceError, match="fails its checksum"):
        population_projections.read_projections()


def test_clear_memo_forgets_every_registered_loader():
    calls = []

    @settings.memoized
    def loader() -> int:
        calls.append(1)
        return len(calls)

    assert loader() == loader() == 1
    settings.clear_memo()
    assert loader() == 2
