"""Hromada centres placed on the map (KSE coordinates, GeoNames) with their urban and rural population."""

import shapely

from peacemap.layers.population import placement
from peacemap.layers.sources import population_tables as tables

# Ukraine's total on 1 January 2022, table 1 of the State Statistics Service collection.
UKRAINE_TOTAL = 41_167_335


def test_every_hromada_is_placed_and_no_population_is_dropped(centres):
    counts = centres["placement"].value_counts()
    assert placement.UNPLACED not in counts
    assert counts.sum() == 1470
    assert centres["population"].sum() == UKRAINE_TOTAL
    assert counts[placement.PLACED_GEONAMES] == 1  # Kyiv city, absent from the KSE file


def test_kyiv_city_is_placed_in_kyiv(centres):
    kyiv = centres[centres["region"] == "UA-30"].geometry.iloc[0]
    assert kyiv.distance(shapely.Point(30.52, 50.45)) < 0.05  # degrees, about 4 km


def test_urban_population_adds_up_to_the_official_urban_figure(centres):
    # The urban split comes from KSE's urban shares; table 1's urban column is independent of it.
    official = tables.read_region_totals()["urban"].dropna()
    assert (centres.groupby("region")["urban"].sum().reindex(official.index) == official).all()
    assert (centres["urban"] + centres["rural"] == centres["population"]).all()


def test_kse_centres_agree_with_geonames(centres):
    offsets = centres["geonames_offset_km"].dropna()
    assert len(offsets) > 1400  # most centres have a GeoNames settlement of the same name
    assert offsets.median() < 1.0


def test_centres_lie_in_or_near_their_region(centres, regions):
    by_code = regions.set_index("code").geometry
    for row in centres.itertuples():
        # 0.05° (about 4-5 km): coastal centres may sit just off a coarse coastline.
        assert by_code[row.region].distance(row.geometry) < 0.05, row.name_uk


def test_luhansk_centre_is_corrected_to_the_city(centres):
    luhansk = centres[centres["name_uk"] == "Луганська міська ТГ"].iloc[0]
    assert luhansk["placement"] == placement.PLACED_KSE_CORRECTED
    assert luhansk.geometry.distance(shapely.Point(39.31, 48.57)) < 0.05


# --- territories and zones ---------------------------------------------------------------------


def test_table_6_agrees_with_the_kse_populations():
    # KSE compiled its 2022 populations from the same publication; each hromada must agree.
    joined = placement.match_kse(tables.read_hromada_population(), tables.read_kse_hromadas())
    in_kse = joined["kse_total"].notna()
    assert in_kse.sum() == 1469
    assert (joined.loc[in_kse, "kse_total"] == joined.loc[in_kse, "population"]).all()
