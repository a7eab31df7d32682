"""Sweeps (`peacemap sweep`): every plan and option in one table, on any concurrent.futures.Executor;
a dask.distributed LocalCluster gives the same rows as the local process pool."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.plans.model import load_plan
from peacemap.layers.timeline.parallel import map_on, measure_days
from peacemap.layers.timeline.sweep import SWEEP_COLUMNS, plan_variants

TWO_WEEKS = (dt.date(2025, 11, 7), dt.date(2025, 11, 20))  # up to the day plan28 was handed over
# A day for each of a cluster's two workers (and of the local pool's); the cluster test computes
# every option set of two plans twice without the cache, so each day costs it about 8 s (the test: 33 s, against 170 s over two weeks).
TWO_DAYS = (dt.date(2025, 11, 19), dt.date(2025, 11, 20))


def square(value: int) -> int:
    return value * value


def test_any_executor_runs_the_work_in_order():
    with ThreadPoolExecutor(max_workers=3) as executor:
        assert map_on(executor, square, list(range(10))) == [n * n for n in range(10)]
        days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(7)]
        assert measure_days(dt.date.isoformat, days, executor=executor, days_per_worker=2) == [d.isoformat() for d in days]


def test_option_sets():
    plan = load_plan("plan28")
    assert [p.enabled_options for p in plan_variants(plan, "none")] == [()]
    assert [p.enabled_options for p in plan_variants(plan, "each")] == [(), ("21c-none",), ("21d-de-facto",)]
    assert [p.enabled_options for p in plan_variants(plan, "all")] == [(), ("21c-none",), ("21d-de-facto",), ("21c-none", "21d-de-facto")]


def test_a_sweep_row_is_the_plan_timeline_row(tmp_path):
    """One combination's rows are `timeline --plan`'s, with its options and source."""
    table = pipeline.sweep(["plan28"], TWO_WEEKS[1], TWO_WEEKS[1], options="each", workers=1)
    assert list(table.columns) == SWEEP_COLUMNS
    timeline = pipeline.plan_timeline("plan28", TWO_WEEKS[1], TWO_WEEKS[1], options=("21c-none",))
    from peacemap.layers.timeline.plan import plan_timeline_records

    mine = table[table["options"] == "21c-none"].drop(columns=["options", "source"]).reset_index(drop=True)
    expected = pd.DataFrame(plan_timeline_records(timeline))[mine.columns]
    pd.testing.assert_frame_equal(mine, expected)
    assert set(table["source"]) == {"deepstate"}


@pytest.mark.slow  # a minute: plan20's option zones are measured the report's way, on both engines
def test_a_dask_local_cluster_gives_the_local_pool_rows():
    distributed = pytest.importorskip("dask.distributed")
    plans = ["plan28", "plan20"]
    local = pipeline.sweep(plans, *TWO_DAYS, options="all", workers=2, use_cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        on_cluster = pipeline.sweep(plans, *TWO_DAYS, options="all", scheduler=cluster.scheduler_address, use_cache=False)
    assert len(local) == 8 * 2 * 7  # 4 option sets of each plan, 2 days, 7 measures
    pd.testing.assert_frame_equal(on_cluster, local)


def test_the_command_writes_parquet(runner, tmp_path):
    out = tmp_path / "sweep.parquet"
    result = runner.invoke(cli, ["-q", "sweep", "--plans", "plan28", "--from", "2025-11-20", "--to", "2025-11-20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert len(table) == 7
    assert set(table["plan"]) == {"plan28"}


def test_a_scheduler_needs_dask_or_says_how_to_install_it(runner, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ImportError, match=r"pip install 'peacemap\[dask\]'"):
        pipeline.sweep(["plan28"], TWO_WEEKS[1], TWO_WEEKS[1], scheduler="tcp://127.0.0.1:1")
