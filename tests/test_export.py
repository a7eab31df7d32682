"""Writing plan layers: GeoPackage layers and RFC 7946 GeoJSON, readable back, with metadata."""

import json
import re

import geopandas as gpd
import pyogrio
import pytest
import shapely
from reference_figures import OFFICIAL_TOTALS, UKRAINE_TOTAL

from peacemap.cli.main import cli
from peacemap.layers.report.export import write_layers


def test_geopackage_has_three_layers_with_metadata(plan28_layers, tmp_path):
    path = write_layers(plan28_layers, tmp_path / "plan.gpkg")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.gpkg"]  # no temporary file left
    assert {name for name, _ in pyogrio.list_layers(path)} == {"zones", "contact_line", "regions"}
    zones = gpd.read_file(path, layer="zones")
    assert len(zones) == len(plan28_layers.zones)
    assert zones.crs.equals(4326)
    meta = pyogrio.read_info(path, layer="zones")["layer_metadata"]
    assert meta["control_date"] == "2025-11-20"
    assert "DeepState" in meta["attribution"]
    assert "geoBoundaries" in meta["attribution"]


def test_geojson_is_rfc7946(plan28_layers, tmp_path):
    path = write_layers(plan28_layers, tmp_path / "plan.geojson")
    document = json.loads(path.read_text())
    assert "crs" not in document  # RFC 7946: always WGS84 lon/lat, no crs member
    assert document["peacemap"]["plan"] == "plan28"
    frame = gpd.read_file(path)
    assert set(frame["layer"]) == {"zones", "contact_line", "regions"}
    for feature in document["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw  # right-hand rule: exterior counter-clockwise
                assert all(not ring.is_ccw for ring in polygon.interiors)


def test_layers_command_writes_the_file(runner, tmp_path):
    out = tmp_path / "z.geojson"
    result = runner.invoke(cli, ["layers", "--plan", "plan28", "--date", "2025-11-20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert gpd.read_file(out).crs.equals(4326)


def test_layers_command_rejects_an_unknown_extension(runner, tmp_path):
    result = runner.invoke(cli, ["layers", "-o", str(tmp_path / "z.shp")])
    assert result.exit_code == 2
    assert ".gpkg or .geojson" in result.stderr


def test_geojson_is_named_after_the_file_not_the_temporary_one(plan28_layers, tmp_path):
    # Issue 17: the collection's name was the temporary file's (".x.part-bvw1tt1f").
    document = json.loads(write_layers(plan28_layers, tmp_path / "x.geojson").read_text())
    assert document["name"] == "x"


def test_zones_carry_side_after_and_recognition_in_every_format(plan28_layers, tmp_path):
    for name in ("plan.gpkg", "plan.geojson"):
        path = write_layers(plan28_layers, tmp_path / name)
        zones = gpd.read_file(path, layer="zones") if name.endswith(".gpkg") else gpd.read_file(path).query("layer == 'zones'")
        assert {"side_after", "recognition", "recognised_by"} <= set(zones.columns), name
        kherson = zones[(zones["region"] == "UA-65") & (zones["control"] == "occupied")]
        assert set(kherson["recognition"]) == {"de_facto"}
        assert set(kherson["side_after"]) == {"russian"}
    meta = pyogrio.read_info(tmp_path / "plan.gpkg", layer="zones")["layer_metadata"]
    assert len(meta["control_sha256"]) == 64


def test_the_layers_file_has_the_hromada_territories(plan28_layers, territories, tmp_path):
    # Issue 12 acceptance: a `hromadas` layer whose territories tile each region (areas within
    # 0.1%) and whose populations add up to the official totals exactly.
    from peacemap import pipeline

    path = pipeline.write_layers(plan28_layers, tmp_path / "plan.gpkg")
    # layer_styles: the QGIS styles of the layers (maps/qgis.py), a table, not a layer
    assert {name for name, _ in pyogrio.list_layers(path)} == {"zones", "contact_line", "regions", "hromadas", "layer_styles"}
    hromadas = gpd.read_file(path, layer="hromadas")
    assert list(hromadas.columns) == ["region", "raion", "hromada", "hromada_en", "population_2022", "area_km2", "geometry"]
    assert hromadas.crs.equals(4326)
    assert len(hromadas) == 1472
    people = hromadas.groupby("region")["population_2022"].sum()
    assert {code: people[code] for code in OFFICIAL_TOTALS} == OFFICIAL_TOTALS
    assert people.sum() == UKRAINE_TOTAL
    assert hromadas.loc[hromadas["region"].isin(["UA-43", "UA-40"]), "population_2022"].isna().all()
    regions = gpd.read_file(path, layer="regions").set_index("region")["area_km2"]
    areas = hromadas.groupby("region")["area_km2"].sum()
    assert ((areas / regions[areas.index] - 1).abs() < 0.001).all()


def test_the_hromada_layer_names_its_sources(plan28_layers, tmp_path):
    from peacemap import pipeline

    path = pipeline.write_layers(plan28_layers, tmp_path / "plan.gpkg")
    note = pyogrio.read_info(path, layer="hromadas")["layer_metadata"]["hromadas_sources"]
    assert "OPORA" in note
    assert "CC BY 4.0" in note
    assert "State Statistics Service of Ukraine" in note


@pytest.fixture(scope="module")
def plan28_gpkg(plan28_layers, tmp_path_factory):
    """`peacemap layers` for plan28 on 2025-11-20, as `build` writes layers.gpkg."""
    from peacemap import pipeline

    return pipeline.write_layers(plan28_layers, tmp_path_factory.mktemp("gpkg") / "layers.gpkg")


def test_zones_carry_population_adding_up_to_the_reports_totals(plan28_gpkg, plan28_report):
    """Issue 26: the zones layer had no population. Its zones now carry the people on 1 January
    2022 (and the band) that the report counts: by status, they add up to the report's totals."""
    zones = gpd.read_file(plan28_gpkg, layer="zones")
    assert {"population_2022", "population_2022_low", "population_2022_high"} <= set(zones.columns)
    known = zones[zones["population_2022"].notna()]
    assert (known["population_2022_low"] <= known["population_2022"]).all()
    assert (known["population_2022"] <= known["population_2022_high"]).all()
    assert zones.loc[zones["region"].isin(["UA-43", "UA-40"]), "population_2022"].isna().all()  # no official 2022 figure
    by_status = known.groupby("status")["population_2022"].sum()
    for status, totals in plan28_report["totals"].items():
        assert by_status.get(status, 0) == (totals["population_2022"] or 0), status
    assert known["population_2022"].sum() == UKRAINE_TOTAL


def test_every_layer_keys_its_rows_by_region_and_regions_carry_official_areas(plan28_gpkg):
    """Issue 26: the region key was ``code`` in the regions layer and ``region`` in the others;
    official areas were filled for 6 of the 27 units."""
    for layer in ("zones", "contact_line", "regions", "hromadas"):
        columns = pyogrio.read_info(plan28_gpkg, layer=layer)["fields"]
        assert "region" in columns, layer
        assert "code" not in columns, layer
    regions = gpd.read_file(plan28_gpkg, layer="regions")
    assert len(regions) == 27
    assert regions["official_area_km2"].notna().all()
    assert regions["official_area_km2"].sum() == 603_628  # the official area of Ukraine
    assert regions["official_area_source"].str.startswith("State Statistics Service of Ukraine").all()


def test_layers_help_lists_every_layer_written(plan28_gpkg, runner):
    help_text = runner.invoke(cli, ["layers", "--help"]).output
    written = {name for name, geometry in pyogrio.list_layers(plan28_gpkg) if geometry}
    assert written == {"zones", "contact_line", "regions", "hromadas"}
    for name in written:
        assert re.search(rf"\b{name}\b", help_text), name
