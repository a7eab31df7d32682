"""`peacemap map`: writes HTML and static maps; refuses an output it cannot tell the format of."""

from __future__ import annotations

import pytest

from peacemap.cli.main import cli


def test_map_html_and_svg(runner, tmp_path):
    html_path = tmp_path / "plan28.html"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", "2025-11-20", "-o", str(html_path)])
    assert result.exit_code == 0, result.output
    text = html_path.read_text(encoding="utf-8")
    assert "US 28-point peace plan" in text
    assert "<script src=" not in text
    svg_path = tmp_path / "plan28.svg"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", "2025-11-20", "-o", str(svg_path)])
    assert result.exit_code == 0, result.output
    svg = svg_path.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    # issue 18: region names and the legend as <text> elements, at most 1.5 MB
    assert len(svg.encode()) <= 1_500_000
    for text in (">Donetsk<", ">Luhansk<", ">Recognised as Russian (de facto)<", ">Under the plan<"):
        assert text in svg, text


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
    assert "--date" in result.output
    assert "'2025-13-01' is not a date" in result.output


def _no_population(zones):  # zones GeoDataFrame -> DataFrame
    import pandas as pd

    return pd.DataFrame(float("nan"), index=zones.index, columns=["population_2022", "population_2022_low", "population_2022_high"])


def test_map_size_in_pixels(runner, tmp_path, monkeypatch):
    """--size 900x1100px at --dpi 100 gives a 900 x 1100 PNG (portrait: legend below the map)."""
    import matplotlib.image as mpimg

    # Population is not under test: skip building its model (about 6 s); popups then omit it.
    monkeypatch.setattr("peacemap.layers.population.model.zone_population", _no_population)
    png = tmp_path / "tall.png"
    result = runner.invoke(cli, ["-q", "map", "--plan", "freeze", "--date", "2025-11-20", "--size", "900x1100px", "--dpi", "100", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert mpimg.imread(png).shape[:2] == (1100, 900)


def test_map_pdf_in_inches_reaches_the_pipeline(runner, tmp_path, monkeypatch):
    """-o map.pdf --size 8x6in asks the pipeline for a PDF of 8 x 6 inches (the PDF itself is
    tested in test_maps_static.py)."""
    calls = []
    monkeypatch.setattr("peacemap.pipeline.request_layers", lambda *args, **kwargs: _FakeLayers())
    monkeypatch.setattr("peacemap.pipeline.write_map", lambda layers, output, fmt, **kwargs: calls.append((output, fmt, kwargs)))
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--size", "8x6in", "-o", str(tmp_path / "map.pdf")])
    assert result.exit_code == 0, result.output
    ((output, fmt, kwargs),) = calls
    assert output.name == "map.pdf"
    assert fmt == "pdf"
    assert kwargs["size_in"] == (8.0, 6.0)


class _FakeLayers:
    class plan:  # stands in for a Plan
        id = "plan28"

    class control:  # stands in for a ControlSnapshot
        label = "DeepState snapshot 2025-11-20"


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("12x8", "must be WIDTHxHEIGHT with a unit, px or in"),
        ("12x8cm", "must be WIDTHxHEIGHT with a unit, px or in"),
        ("100x80in", "width must be 3 to 40 inches"),
        ("200x150px", "width must be 3 to 40 inches at 200 dpi, got 1 in"),
    ],
)
def test_map_refuses_a_bad_size(runner, tmp_path, size, message):
    out = tmp_path / "m.png"
    result = runner.invoke(cli, ["map", "--plan", "plan28", "--size", size, "-o", str(out)])
    assert result.exit_code == 2
    assert "--size" in result.output
    assert message in result.output
    assert not out.exists()
