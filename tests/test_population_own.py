"""A population of the user's own (``--population``, issue 27): round trips on the real data, a
raster, every command that takes it, and the hostile files.

Reference figures: the round trips give back the report's own 1 January 2022 figures (the
official table 6, State Statistics Service of Ukraine, written by the test as a hromada table; and
the report's placement of it written as points), as issue 27's acceptance asks. The raster is
rasterised by the test from the OPORA hromada territories and their official counts, each hromada's
people spread evenly over its land; its reference is that same even spread measured on each zone
exactly (geodesic areas of the zone's part of every territory), computed here independently.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.errors import PopulationFileError
from peacemap.layers.population.request import PopulationRequest
from peacemap.layers.report.measures import Measure
from peacemap.layers.sources import population_file

DAY = dt.date(2025, 11, 20)
COUNTED = dt.date(2022, 1, 1)
FIGURES = ("population_2022", "population_2022_low", "population_2022_high")


@pytest.fixture(scope="module")
def table6_csv(tmp_path_factory):
    """Table 6 (real data) written as a hromada table by KATOTTH code."""
    from peacemap.layers.population.own import hromada_katotth
    from peacemap.layers.sources.population_tables import read_hromada_population

    hromadas, codes = read_hromada_population(), hromada_katotth()
    assert codes.notna().all()
    assert codes.is_unique
    path = tmp_path_factory.mktemp("own") / "table6.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["katotth", "population"])
        for index, row in hromadas.iterrows():
            writer.writerow([codes[index], int(row["population"])])
    return path


@pytest.fixture(scope="module")
def official():
    return pipeline.plan_report("plan28", DAY).report


def _own(report, measure):
    figures = report["headline"][measure]
    return figures["population_own"], figures["population_own_low"], figures["population_own_high"]


def test_a_hromada_table_of_table_6_gives_the_2022_figures_back(table6_csv, official):
    report = pipeline.plan_report("plan28", DAY, population=PopulationRequest(table6_csv, COUNTED, "table 6 again")).report
    for measure in Measure:
        figures = report["headline"][measure]
        assert _own(report, measure) == tuple(figures[key] for key in FIGURES), measure  # the same model: bands too
        assert figures["population_own_excludes"] == figures["population_excludes"]
    for region, again in zip(official["regions"], report["regions"]):
        for zone, zone_again in zip(region["zones"], again["zones"]):
            for part, part_again in zip(zone["by_control"], zone_again["by_control"]):
                assert part_again["population_own"] == part["population_2022"], (region["code"], zone["status"], part["control"])
    source = report["population_own_source"]
    assert (source["kind"], source["label"], source["date"]) == ("hromada table", "table 6 again", "2022-01-01")
    assert source["sha256"] == hashlib.sha256(table6_csv.read_bytes()).hexdigest()
    assert source["total"] == 41_167_335
    assert "UA-43" not in source["regions"]
    assert len(source["regions"]) == 25  # table 1


def test_a_table_by_name_and_oblast_in_xlsx(tmp_path, official):
    import openpyxl

    from peacemap.layers.sources.population_tables import read_hromada_population

    hromadas = read_hromada_population()
    donetsk = hromadas[hromadas["region"] == "UA-14"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Hromada", "Oblast", "Raion", "Population"])
    for row in donetsk.itertuples():
        sheet.append([row.name_uk, "Донецька область", row.raion_uk, int(row.population)])
    workbook.save(tmp_path / "donetsk.xlsx")
    report = pipeline.plan_report("plan28", DAY, population=PopulationRequest(tmp_path / "donetsk.xlsx", COUNTED)).report
    assert report["population_own_source"]["regions"] == ["UA-14"]
    assert report["population_own_source"]["label"] == "donetsk.xlsx"
    dmz = report["headline"][Measure.CEDED_DEMILITARISED]
    assert dmz["population_own"] == dmz["population_2022"] == official["headline"][Measure.CEDED_DEMILITARISED]["population_2022"]
    # a measure over regions the file does not cover names them
    assert "UA-09" in report["headline"][Measure.CEDED]["population_own_excludes"]


def test_points_built_from_the_reports_placement_give_its_figures_back_exactly(tmp_path, official, model, territories):
    from peacemap.layers.population.model import hromada_population
    from peacemap.layers.report.places import zones_by_piece

    layers = pipeline.plan_report("plan28", DAY).layers
    zones = zones_by_piece(layers)
    people = hromada_population(zones, model)
    frame = territories.frame
    points, counts = [], []
    for row in people.itertuples(index=False):
        piece = shapely.intersection(zones.geometry.loc[row.zone], frame.geometry.loc[row.hromada])
        if row.population_2022 and not piece.is_empty:
            points.append(piece.representative_point())
            counts.append(int(row.population_2022))
    # every person of the 25 regions with an official figure placed once
    assert sum(counts) == sum(r["population_2022"] for r in official["regions"] if not r["combined"] and r["population_2022"])
    gpd.GeoDataFrame({"count": counts}, geometry=points, crs=4326).to_file(tmp_path / "people.geojson", driver="GeoJSON")
    report = pipeline.plan_report("plan28", DAY, population=PopulationRequest(tmp_path / "people.geojson", COUNTED, "points")).report
    for measure in Measure:
        value = report["headline"][measure]["population_2022"]
        assert _own(report, measure) == (value, value, value), measure  # exact sums: no band
    assert report["population_own_source"]["band"] == "none: exact sums"


def _rasterised_territories(territories, region: str, cell_m: float, path: Path, *, crs: str | None = "EPSG:3035") -> None:
    """The region's hromadas' official counts spread evenly over their territories, rasterised on
    ``cell_m`` cells of an equal-area CRS (EPSG:3035), counts per cell."""
    import rasterio
    from rasterio.features import rasterize
    from rasterio.transform import from_origin

    frame = territories.frame
    mine = frame[(frame["region"] == region) & (frame.index >= 0)].to_crs(3035)
    density = mine["population"].to_numpy(float) / mine.geometry.area.to_numpy()  # persons per m², EPSG:3035 areas
    west, south, east, north = mine.total_bounds
    west, north = west - 5 * cell_m, north + 5 * cell_m
    width, height = int((east - west) / cell_m) + 10, int((north - south) / cell_m) + 10
    transform = from_origin(west, north, cell_m, cell_m)
    values = rasterize(zip(mine.geometry.values, density * cell_m * cell_m), out_shape=(height, width), transform=transform, fill=0.0, dtype="float64")
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float64", crs=crs, transform=transform, nodata=None) as dataset:
        dataset.write(values, 1)


def test_a_raster_of_the_territories_gives_zone_sums_within_1_percent(tmp_path, territories):
    from peacemap.geo.area import geodesic_area_km2

    _rasterised_territories(territories, "UA-14", 1000.0, tmp_path / "donetsk.tif")
    result = pipeline.plan_report("plan28", DAY, population=PopulationRequest(tmp_path / "donetsk.tif", COUNTED, "raster"))
    report, layers = result.report, result.layers
    assert report["population_own_source"]["regions"] == ["UA-14"]
    assert report["population_own_source"]["crs"] == "EPSG:3035"
    frame = territories.frame
    mine = frame[(frame["region"] == "UA-14") & (frame.index >= 0)]
    for status in ("dmz", "recognised_de_facto"):
        zone = shapely.union_all(layers.zones[(layers.zones["region"] == "UA-14") & (layers.zones["status"] == status)].geometry.values)
        expected = sum(
            row.population * geodesic_area_km2(shapely.intersection(zone, row.geometry)) / row.area_km2
            for row in mine.itertuples()
            if shapely.intersects(zone, row.geometry)
        )
        [donetsk] = [r for r in report["regions"] if r["code"] == "UA-14"]
        [entry] = [z for z in donetsk["zones"] if z["status"] == status]
        assert entry["population_own"] == pytest.approx(expected, rel=0.01), status
        assert entry["population_own_low"] == entry["population_own"] == entry["population_own_high"]
    assert donetsk["population_own"] == pytest.approx(mine["population"].sum(), rel=0.01)


# --- every command ---------------------------------------------------------------------------------


def test_report_compare_places_and_layers_take_it(runner, tmp_path, table6_csv):
    flags = ["--population", str(table6_csv), "--population-label", "Table six", "--population-date", "2022-01-01"]
    result = runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--date", "2025-11-20", "--format", "json", "-o", str(tmp_path / "r.json"), *flags])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["headline"]["ceded_demilitarised"]["population_own"] == 682_909
    assert {
        "id": "population-own",
        "name": "Table six: user-supplied population file table6.csv",
        "sha256": hashlib.sha256(table6_csv.read_bytes()).hexdigest(),
        "date": "2022-01-01",
    } in document["sources"]
    markdown = runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--date", "2025-11-20", *flags]).output
    assert "| Table six (2022-01-01, user-supplied) |" in markdown
    rows = list(csv.DictReader(runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--date", "2025-11-20", "--format", "csv", *flags]).output.splitlines()))
    assert all(row["population_own"] == row["population_2022"] and row["population_own_label"] == "Table six" for row in rows)
    compared = runner.invoke(cli, ["-q", "compare", "plan28", "eu-counter", "--date", "2025-11-20", "--format", "csv", *flags])
    assert compared.exit_code == 0, compared.output
    everywhere = [row for row in csv.DictReader(compared.output.splitlines()) if row["region"] == "all"]
    assert all(row["russian_side_population_own"] == row["russian_side_population_2022"] for row in everywhere)
    places = runner.invoke(cli, ["-q", "places", "--plan", "plan28", "--date", "2025-11-20", "--status", "dmz", "--format", "csv", *flags])
    hromadas = [row for row in csv.DictReader(places.output.splitlines()) if row["level"] == "hromada"]
    assert hromadas
    assert all(row["population_own"] == row["population_2022"] for row in hromadas)
    layers = runner.invoke(cli, ["-q", "layers", "--plan", "plan28", "--date", "2025-11-20", "-o", str(tmp_path / "z.gpkg"), *flags])
    assert layers.exit_code == 0, layers.output
    zones = gpd.read_file(tmp_path / "z.gpkg", layer="zones")
    assert int(zones.loc[zones["status"] == "dmz", "population_own"].sum()) == 682_909
    assert (
        pyogrio.read_info(tmp_path / "z.gpkg", layer="zones")["layer_metadata"]["population_own_sha256"] == hashlib.sha256(table6_csv.read_bytes()).hexdigest()
    )


def test_the_api_takes_it(table6_csv):
    import peacemap

    report = peacemap.report("plan28", "2025-11-20", population=table6_csv, population_date="2022-01-01")
    assert report.to_dict()["headline"]["ceded_demilitarised"]["population_own"] == 682_909
    zones = peacemap.plan_layers("plan28", "2025-11-20", population=str(table6_csv), population_date=dt.date(2022, 1, 1)).zones
    assert str(zones["population_own"].dtype) == "Int64"
    assert int(zones.loc[zones["status"] == "dmz", "population_own"].sum()) == 682_909
    with pytest.raises(peacemap.PeacemapError, match="'population_date' should be"):
        peacemap.report("plan28", "2025-11-20", population=table6_csv)


# --- hostile files: one line each, nothing written ----------------------------------------------


def _refusal(runner, tmp_path, path: Path, *extra: str) -> str:
    out = tmp_path / "never.json"
    result = runner.invoke(
        cli,
        [
            "-q",
            "report",
            "--plan",
            "plan28",
            "--date",
            "2025-11-20",
            "--format",
            "json",
            "-o",
            str(out),
            "--population",
            str(path),
            "--population-date",
            "2025-01-01",
            *extra,
        ],
    )
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_nan_or_negative_count_is_refused(runner, tmp_path):
    assert "line 2: 'population' should be a count of people" in _refusal(
        runner, tmp_path, _write(tmp_path / "nan.csv", "katotth,population\nUA14020010000088496,nan\n")
    )
    assert "line 3: 'population' should be a count of people, a finite number of at least 0, got '-5'" in _refusal(
        runner, tmp_path, _write(tmp_path / "negative.csv", "katotth,population\nUA14020010000088496,10\nUA14020010000088496,-5\n")
    )
    points = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"count": None}, "geometry": {"type": "Point", "coordinates": [37.6, 48.7]}}],
    }
    assert "'count' should be a count of people" in _refusal(runner, tmp_path, _write(tmp_path / "nan.geojson", json.dumps(points)))


def test_a_raster_with_a_nan_or_negative_cell_is_refused(runner, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    for name, value in (("nan.tif", np.nan), ("negative.tif", -1.0)):
        values = np.ones((4, 4))
        values[1, 2] = value
        with rasterio.open(
            tmp_path / name, "w", driver="GTiff", width=4, height=4, count=1, dtype="float64", crs="EPSG:4326", transform=from_origin(37.0, 49.0, 0.1, 0.1)
        ) as dataset:
            dataset.write(values, 1)
        assert "has cells whose count is not a finite number of at least 0" in _refusal(runner, tmp_path, tmp_path / name)


def test_no_crs_is_refused(runner, tmp_path):
    frame = gpd.GeoDataFrame({"population": [10]}, geometry=[shapely.Point(37.6, 48.7)], crs=None)
    frame.to_file(tmp_path / "points.gpkg", driver="GPKG")
    assert "declares no CRS" in _refusal(runner, tmp_path, tmp_path / "points.gpkg")


def test_a_raster_in_another_crs_without_a_declaration_is_refused(runner, tmp_path, territories):
    # Counts on a Web Mercator grid (EPSG:3857 metres) whose file does not say so.
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(
        tmp_path / "mercator.tif", "w", driver="GTiff", width=8, height=8, count=1, dtype="float32", transform=from_origin(4_150_000, 6_250_000, 5000, 5000)
    ) as dataset:
        dataset.write(np.ones((8, 8), dtype="float32"), 1)
    assert "declares no CRS; expected a GeoTIFF whose CRS is set" in _refusal(runner, tmp_path, tmp_path / "mercator.tif")


def test_an_unknown_hromada_code_or_koatuu_or_a_partial_region_is_refused(runner, tmp_path):
    assert "KATOTTH UA14999999999999999 is no hromada of the official table 6" in _refusal(
        runner, tmp_path, _write(tmp_path / "unknown.csv", "katotth,population\nUA14999999999999999,10\n")
    )
    assert "KOATUU codes cannot be joined" in _refusal(runner, tmp_path, _write(tmp_path / "koatuu.csv", "koatuu,population\n1410100000,10\n"))
    partial = _refusal(runner, tmp_path, _write(tmp_path / "part.csv", "katotth,population\nUA14020010000088496,10\n"))
    assert re.search(r"gives 1 of the \d+ hromadas of UA-14; expected every hromada of a region it covers", partial)


def test_a_file_over_the_size_cap_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(population_file, "MAX_TABLE_BYTES", 100)
    line = _refusal(runner, tmp_path, _write(tmp_path / "big.csv", "katotth,population\n" + "UA14020010000088496,10\n" * 10))
    assert "is 249 bytes; expected at most 100 bytes" in line


def test_gdal_reads_a_raster_with_the_geotiff_driver_alone(tmp_path, runner):
    vrt = (
        '<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>'
        "<SourceFilename>/etc/passwd</SourceFilename></SimpleSource></VRTRasterBand></VRTDataset>"
    )
    assert "is not a GeoTIFF" in _refusal(runner, tmp_path, _write(tmp_path / "other.tif", vrt))
    with pytest.raises(PopulationFileError, match="cannot be read as a GeoTIFF"):
        population_file.read_population_file(_write(tmp_path / "broken.tif", "II*\x00broken"))


def test_a_label_with_control_characters_or_a_date_without_a_file_is_a_usage_error(runner, tmp_path, table6_csv):
    result = runner.invoke(cli, ["report", "--population", str(table6_csv), "--population-date", "2022-01-01", "--population-label", "bad\x1b[31m"])
    assert result.exit_code == 2
    assert "--population-label" in result.output
    assert runner.invoke(cli, ["report", "--population-date", "2022-01-01"]).exit_code == 2
    assert runner.invoke(cli, ["report", "--population", str(table6_csv)]).exit_code == 2


def test_a_failed_build_writes_nothing(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["build", "--out", str(out), "--population", str(_write(tmp_path / "bad.csv", "katotth,population\nx,1\n")), "--population-date", "2025-01-01"]
    )
    assert result.exit_code == 1
    assert "should be a KATOTTH code" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_half_the_people_of_donetsk_halves_its_figures_and_bands(tmp_path, official):
    from peacemap.layers.population.own import hromada_katotth
    from peacemap.layers.sources.population_tables import read_hromada_population

    hromadas, codes = read_hromada_population(), hromada_katotth()
    donetsk = hromadas[hromadas["region"] == "UA-14"]
    _write(tmp_path / "half.csv", "katotth,population\n" + "".join(f"{codes[i]},{row.population / 2}\n" for i, row in donetsk.iterrows()))
    report = pipeline.plan_report("plan28", DAY, population=PopulationRequest(tmp_path / "half.csv", COUNTED)).report
    for measure in (Measure.CEDED_DEMILITARISED, Measure.RUSSIAN_SIDE_DE_FACTO):
        region = next(r for r in official["regions"] if r["code"] == "UA-14")["headline"][measure]
        value, low, high = (
            next(r for r in report["regions"] if r["code"] == "UA-14")["headline"][measure][key]
            for key in ("population_own", "population_own_low", "population_own_high")
        )
        assert abs(value - region["population_2022"] / 2) <= 1, measure
        assert abs(low - region["population_2022_low"] / 2) <= 1, measure
        assert abs(high - region["population_2022_high"] / 2) <= 1
        assert low <= value <= high
    # the parts of every measure add up to it, as the official figures' do
    for measure in Measure:
        if measure.parts:
            assert sum(report["headline"][part]["population_own"] for part in measure.parts) == report["headline"][measure]["population_own"]


def test_a_settlement_table_counts_each_town_at_its_point(tmp_path):
    _write(tmp_path / "towns.csv", "settlement,oblast,population\nКраматорськ,UA-14,150000\nSloviansk,Donetsk,100000\nПокровськ,Донецька,1200\n")
    report = pipeline.plan_report("plan28", DAY, population=PopulationRequest(tmp_path / "towns.csv", COUNTED)).report
    assert report["population_own_source"]["regions"] == ["UA-14"]
    assert report["population_own_source"]["kind"] == "settlement table"
    # Kramatorsk and Sloviansk lie in the DMZ; Pokrovsk's point lay in the occupied part on 2025-11-20
    assert _own(report, Measure.CEDED_DEMILITARISED) == (250_000, 250_000, 250_000)
    assert report["headline"][Measure.RUSSIAN_SIDE]["population_own"] == 251_200


def test_no_side_car_file_is_read(runner, tmp_path):
    # A CRS beside the raster (an .aux.xml, as GDAL's PAM writes one) would give it a CRS if GDAL read it.
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(
        tmp_path / "bare.tif", "w", driver="GTiff", width=4, height=4, count=1, dtype="float32", transform=from_origin(37.0, 49.0, 0.1, 0.1)
    ) as dataset:
        dataset.write(np.ones((4, 4), dtype="float32"), 1)
    _write(tmp_path / "bare.tif.aux.xml", '<PAMDataset><SRS dataAxisToSRSAxisMapping="2,1">EPSG:4326</SRS></PAMDataset>')
    with rasterio.open(tmp_path / "bare.tif") as dataset:
        assert dataset.crs is not None  # GDAL, given the path, reads the side-car
    assert "declares no CRS" in _refusal(runner, tmp_path, tmp_path / "bare.tif")


@pytest.mark.parametrize("probe", ["vrt.geojson", "gdalg-sql.gpkg", "vrt-vsicurl.geojson", "gdalg-fifo.geojson", "crs-link.geojson"])
def test_a_points_file_is_read_as_a_control_file_is(tmp_path, probe):
    # Issue 24's hostile files given as a population of points: the points go through the control
    # files' one reader, so each is refused in one line, reading nothing else and making no request.
    from hostile_controls import RequestLog, write_probes

    from peacemap.layers.sources.population_file import read_population_file

    with RequestLog().running() as server:
        path = write_probes(tmp_path, server.url)[probe]
        with pytest.raises(PopulationFileError, match=r"^population file .*") as refused:
            read_population_file(path)
    assert "\n" not in str(refused.value)
    assert "control file" not in str(refused.value)
    assert server.paths == []
