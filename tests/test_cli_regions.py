"""`peacemap regions` output contract."""

import json

from peacemap.cli.main import cli

KEYS = {"code", "name", "area_km2", "official_area_km2", "deviation_pct"}
SIX_UNITS = {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}


def test_json_lists_objects_with_the_contract_keys(runner):
    result = runner.invoke(cli, ["-q", "regions", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert all(set(row) >= KEYS for row in rows)
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) >= SIX_UNITS
    assert sum(row["official_area_km2"] is not None for code, row in by_code.items() if "+" not in code) == 27  # issue 26
    for code in SIX_UNITS:
        row = by_code[code]
        # area_km2 is rounded to 0.1 km², deviation_pct to 0.01 %.
        assert abs(row["deviation_pct"] - 100 * (row["area_km2"] / row["official_area_km2"] - 1)) < 0.02


def test_csv_and_table_formats(runner):
    csv_out = runner.invoke(cli, ["-q", "regions", "--format", "csv"])
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0] == "code,name,area_km2,official_area_km2,deviation_pct"
    table = runner.invoke(cli, ["regions"])
    assert table.exit_code == 0
    assert "Donetsk" in table.stdout
    assert "State Statistics Service of Ukraine" in table.stderr


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(cli, ["regions", "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr
