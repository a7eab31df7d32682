"""`peacemap map`: writes HTML and static maps; refuses an output it cannot tell the format of."""

from __future__ import annotations

from peacemap.cli.main import cli


def test_map_html_and_svg(runner, tmp_path):
    html_path = tmp_path / "plan28.html"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", "2025-11-20", "-o", str(html_path)])
    assert result.exit_code == 0, result.output
    text = html_path.read_text(encoding="utf-8")
    assert "US 28-point peace plan" in text and "<script src=" not in text
    svg_path = tmp_path / "plan28.svg"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", "2025-11-20", "-o", str(svg_path)])
    assert result.exit_code == 0, result.output
    assert svg_path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_map_refuses_unknown_extension(runner, tmp_path):
    result = runner.invoke(cli, ["map", "--plan", "plan28", "-o", str(tmp_path / "map.gif")])
    assert result.exit_code == 2
    assert "cannot tell the format" in result.output
    assert not (tmp_path / "map.gif").exists()


def test_map_unknown_plan_is_one_line_error(runner, tmp_path):
    result = runner.invoke(cli, ["map", "--plan", "plan99", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert "unknown plan 'plan99'" in result.output


def test_map_help_has_examples(runner):
    result = runner.invoke(cli, ["map", "--help"])
    assert result.exit_code == 0
    assert "peacemap map --plan plan28 --date 2025-11-20 -o plan28.html" in result.output


def test_map_bad_date_names_the_option(runner, tmp_path):
    result = runner.invoke(cli, ["map", "--date", "2025-13-01", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 2
    assert "--date" in result.output and "'2025-13-01' is not a date" in result.output
