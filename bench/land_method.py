"""Bench: region land areas (land + inland water, no sea) against official areas, and where the gaps are.

Prints, for every unit with an official area (State Statistics Service of Ukraine):

1. the first reading, geoBoundaries ∩ (Natural Earth land ∪ DeepState), the previous method
   (Natural Earth pieces under 20 km² dropped, 3 km closing; with the current sea-edge rule,
   which changes no unit below, only inland units on land borders) and the current method
   (``peacemap.layers.regions.build_regions``), in km² and % off the official area;
2. a sweep of the method's two parameters, the closing radius (``strait_half_width_m``) and
   the coast-mismatch half-width (``mismatch_half_width_m``);
3. the gap decomposition, in km², for Kherson, AR Crimea and Sevastopol.

Run from the repository root: ``.venv/bin/python bench/land_method.py`` (about 40 s).
Areas are geodesic km² on WGS84; polygons drawn here are lon/lat (EPSG:4326).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.clean import clean_polygon
from peacemap.geo.land import (
    DEFAULT_MISMATCH_HALF_WIDTH_M,
    DEFAULT_STRAIT_HALF_WIDTH_M,
    land_with_inland_water,
    merge_land,
)
from peacemap.layers.regions import (
    CRIMEA,
    CRIMEA_WITH_SEVASTOPOL,
    KHERSON,
    LAND_MASK_SNAPSHOT,
    OFFICIAL_AREAS,
    SEVASTOPOL,
    UKRAINE_OFFICIAL_AREA,
    build_regions,
)
from peacemap.layers.sources import boundaries, deepstate

UNITS = ("UA-14", "UA-09", "UA-23", CRIMEA, SEVASTOPOL, KHERSON)
STRAIT_SWEEP_M = (0, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 10_000)
MISMATCH_SWEEP_M = (0, 500, 1_000, 1_500, 2_000, 3_000, 5_000)

# Water bodies on Kherson's coast, as polygons drawn (lon/lat) around the water as the
# sources draw it: the seaward sides run along the spits and across the mouths, the other
# sides over land, so that polygon ∩ water is the water body. Drawn by eye on plots of
# the merged land at 0.05° grid; their edges are good to about 1 km.
KHERSON_WATER_BODIES = {
    # Dnipro-Buh estuary east of the Kinburn strait, with the Dnipro delta channels.
    "Dnipro-Buh estuary and Dnipro delta": Polygon(
        [
            (31.45, 46.60),
            (31.53, 46.575),
            (31.65, 46.53),
            (31.85, 46.51),
            (32.0, 46.485),
            (32.3, 46.47),
            (32.6, 46.45),
            (33.0, 46.55),
            (33.0, 46.8),
            (31.45, 46.8),
        ]
    ),
    # Between the Kinburn peninsula and the Yahorlyk Kut; mouth from the Kinburn spit's tip south.
    "Yahorlyk bay": Polygon([(31.78, 46.372), (31.70, 46.45), (31.70, 46.50), (32.05, 46.49), (32.05, 46.36), (31.95, 46.33), (31.78, 46.33)]),
    # Between the Tendra spit and the mainland; mouths at both ends of the spit.
    "Tendra bay": Polygon(
        [
            (31.53, 46.37),
            (31.545, 46.30),
            (31.60, 46.245),
            (31.70, 46.215),
            (31.90, 46.19),
            (32.08, 46.165),
            (32.19, 46.18),
            (32.15, 46.30),
            (31.90, 46.31),
            (31.73, 46.31),
        ]
    ),
    # Between Dzharylhach island and the mainland; mouth from the island's eastern end north.
    "Dzharylhach bay": Polygon(
        [(32.50, 46.08), (32.55, 46.067), (32.70, 46.04), (32.80, 46.027), (32.90, 46.022), (33.06, 46.012), (33.10, 46.13), (33.10, 46.20), (32.50, 46.20)]
    ),
}


def main() -> None:
    """Print the comparison, the sweep and the gap decomposition."""
    units = boundaries.read_geoboundaries()
    coarse = shapely.union_all(boundaries.read_naturalearth().geometry.values)
    fine = clean_polygon(deepstate.read_snapshot(LAND_MASK_SNAPSHOT))
    unit_geoms = dict(zip(units["code"], units.geometry.values))
    territory = shapely.union_all(units.geometry.values)

    started = time.perf_counter()
    regions = build_regions(units, boundaries.read_naturalearth(), fine)
    build_s = time.perf_counter() - started
    method = dict(zip(regions["code"], regions["area_km2"]))
    first = _per_unit(unit_geoms, clean_polygon(shapely.union_all([coarse, fine])))
    previous = _per_unit(unit_geoms, land_with_inland_water(territory, _previous_merge(coarse, fine), strait_half_width_m=3_000))

    print(f"Land method, DeepState snapshot {LAND_MASK_SNAPSHOT} as fine land; build_regions took {build_s:.1f} s")
    print(f"(closing radius {DEFAULT_STRAIT_HALF_WIDTH_M / 1000:g} km, coast mismatch half-width {DEFAULT_MISMATCH_HALF_WIDTH_M / 1000:g} km)\n")
    _print_comparison({"first reading": first, "previous": previous, "method": method})
    _print_sweeps(unit_geoms, territory, coarse, fine)
    land = merge_land(coarse, fine)
    region_geoms = dict(zip(regions["code"], regions.geometry.values))
    _print_kherson_gap(unit_geoms[KHERSON], region_geoms[KHERSON], land)
    _print_crimea_gap(unit_geoms, region_geoms, coarse, fine, method, dict(zip(*_naturalearth_units())))


def _per_unit(unit_geoms: dict[str, BaseGeometry], keep: BaseGeometry) -> dict[str, float]:
    areas = {code: geodesic_area_km2(geom.intersection(keep)) for code, geom in unit_geoms.items()}
    areas[CRIMEA_WITH_SEVASTOPOL] = areas[CRIMEA] + areas[SEVASTOPOL]
    return areas


def _previous_merge(coarse: BaseGeometry, fine: BaseGeometry, sliver_max_km2: float = 20.0) -> BaseGeometry:
    """The previous land merge: Natural Earth pieces beside DeepState dropped when under 20 km²."""
    remainder = clean_polygon(clean_polygon(coarse).difference(fine))
    kept = [part for part in shapely.get_parts(remainder) if geodesic_area_km2(part) >= sliver_max_km2]
    return clean_polygon(shapely.union_all([fine, *kept]))


def _deviation_pct(code: str, area_km2: float) -> float:
    return 100.0 * (area_km2 / OFFICIAL_AREAS[code].km2 - 1.0)


def _print_comparison(readings: dict[str, dict[str, float]]) -> None:
    header = f"{'unit':<13}{'official':>9}" + "".join(f"{name:>24}" for name in readings)
    print(header)
    for code in (*UNITS, CRIMEA_WITH_SEVASTOPOL):
        cells = "".join(f"{areas[code]:>14,.0f} {_deviation_pct(code, areas[code]):>+8.2f}%" for areas in readings.values())
        print(f"{code:<13}{OFFICIAL_AREAS[code].km2:>9,.0f}{cells}")
    official = UKRAINE_OFFICIAL_AREA.km2
    totals = [sum(km2 for code, km2 in areas.items() if code != CRIMEA_WITH_SEVASTOPOL) for areas in readings.values()]
    print(f"{'Ukraine':<13}{official:>9,.0f}" + "".join(f"{total:>14,.0f} {100 * (total / official - 1):>+8.2f}%" for total in totals))
    print()


def _print_sweeps(unit_geoms: dict[str, BaseGeometry], territory: BaseGeometry, coarse: BaseGeometry, fine: BaseGeometry) -> None:
    print("Sweep, % off official (other parameter at its default):")
    print(f"{'parameter':<28}" + "".join(f"{code:>9}" for code in UNITS) + f"{'seconds':>9}")
    default_land = merge_land(coarse, fine)
    for strait_m in STRAIT_SWEEP_M:
        _print_sweep_row(
            f"closing radius {strait_m / 1000:g} km",
            unit_geoms,
            functools.partial(land_with_inland_water, territory, default_land, strait_half_width_m=strait_m),
            extra_s=0.0,
        )
    for mismatch_m in MISMATCH_SWEEP_M:
        started = time.perf_counter()
        land = merge_land(coarse, fine, mismatch_half_width_m=mismatch_m)
        merge_s = time.perf_counter() - started
        _print_sweep_row(
            f"mismatch half-width {mismatch_m / 1000:g} km", unit_geoms, functools.partial(land_with_inland_water, territory, land), extra_s=merge_s
        )
    print()


def _print_sweep_row(label: str, unit_geoms: dict[str, BaseGeometry], run: Callable[[], BaseGeometry], *, extra_s: float) -> None:
    started = time.perf_counter()
    keep = run()
    seconds = time.perf_counter() - started + extra_s
    areas = _per_unit(unit_geoms, keep)
    print(f"{label:<28}" + "".join(f"{_deviation_pct(code, areas[code]):>+8.2f}%" for code in UNITS) + f"{seconds:>9.1f}")


def _print_kherson_gap(kherson: BaseGeometry, region: BaseGeometry, land: BaseGeometry) -> None:
    area = geodesic_area_km2
    water = clean_polygon(kherson.difference(land))
    official = OFFICIAL_AREAS[KHERSON].km2
    gap = official - area(region)
    print(f"Kherson UA-65: official {official:,.0f}, method {area(region):,.0f}, missing {gap:,.0f} km²")
    print(f"  land in the unit (Syvash part, Kakhovka reservoir part: land in both sources) {area(kherson.intersection(land)):>8,.0f}")
    print(f"  water in the unit (territorial sea included)                                 {area(water):>8,.0f}")
    print(f"  {'water body':<38}{'in unit':>9}{'kept':>9}{'as sea':>9}")
    removed = {}
    for name, outline in KHERSON_WATER_BODIES.items():
        body = water.intersection(outline)
        total, kept = area(body), area(body.intersection(region))
        removed[name] = total - kept
        print(f"  {name:<38}{total:>9,.0f}{kept:>9,.0f}{total - kept:>9,.0f}")
    named = shapely.union_all(list(KHERSON_WATER_BODIES.values()))
    print(f"  {'other inland water kept':<38}{'':>9}{area(region.difference(land).difference(named)):>9,.0f}")
    print(f"  {'open sea (Karkinit bay, Black Sea)':<38}{'':>9}{'':>9}{area(water.difference(region).difference(named)):>9,.0f}")
    bays = sum(removed.values())
    print(f"  {'boundary: NE land of other units in this unit':<56}{_boundary_disagreement(KHERSON)[0]:>9,.0f}")
    print(f"  {'boundary: NE land of this unit in other units':<56}{_boundary_disagreement(KHERSON)[1]:>9,.0f}")
    print(
        f"  with all named water bodies counted: {area(region) + bays:,.0f} km² "
        f"({100 * ((area(region) + bays) / official - 1):+.2f}%); unexplained {gap - bays:,.0f} km²\n"
    )


def _boundary_disagreement(code: str) -> tuple[float, float]:
    """Natural Earth land that geoBoundaries puts in ``code`` but NE in another unit, and the reverse (km²)."""
    gb = dict(zip(*_geoboundaries_units()))
    ne = dict(zip(*_naturalearth_units()))
    gained = sum(geodesic_area_km2(gb[code].intersection(ne[other])) for other in ne if other != code)
    lost = sum(geodesic_area_km2(gb[other].intersection(ne[code])) for other in gb if other != code)
    return gained, lost


def _geoboundaries_units() -> tuple[list[str], list[BaseGeometry]]:
    frame = boundaries.read_geoboundaries()
    return list(frame["code"]), list(frame.geometry.values)


def _naturalearth_units() -> tuple[list[str], list[BaseGeometry]]:
    frame = boundaries.read_naturalearth()
    return list(frame["code"]), list(frame.geometry.values)


def _print_crimea_gap(
    unit_geoms: dict[str, BaseGeometry],
    region_geoms: dict[str, BaseGeometry],
    coarse: BaseGeometry,
    fine: BaseGeometry,
    method: dict[str, float],
    ne_units: dict[str, BaseGeometry],
) -> None:
    area = geodesic_area_km2
    pair = (CRIMEA, SEVASTOPOL)
    print("Crimea and Sevastopol, km²:")
    print(f"  {'':<50}{'AR Crimea':>10}{'Sevastopol':>11}{'together':>10}")
    rows = {
        "official": [OFFICIAL_AREAS[c].km2 for c in pair],
        "method": [method[c] for c in pair],
        "DeepState land in the geoBoundaries unit": [area(unit_geoms[c].intersection(fine)) for c in pair],
        "Natural Earth land in the geoBoundaries unit": [area(unit_geoms[c].intersection(coarse)) for c in pair],
        "method outside DeepState (inland water)": [area(region_geoms[c].difference(fine)) for c in pair],
        "Natural Earth's own unit (its land and boundary)": [area(ne_units[c]) for c in pair],
    }
    for label, (crimea, sevastopol) in rows.items():
        print(f"  {label:<50}{crimea:>10,.0f}{sevastopol:>11,.0f}{crimea + sevastopol:>10,.0f}")
    for code in pair:
        gained, lost = _boundary_disagreement(code)
        print(f"  {code}: NE land of other units in the geoBoundaries unit {gained:,.0f}, NE land of the unit outside it {lost:,.0f}")
    print("  Where geoBoundaries and Natural Earth draw the unit boundaries apart (NE land in the other unit):")
    for left, right in ((SEVASTOPOL, CRIMEA), (CRIMEA, SEVASTOPOL), (CRIMEA, KHERSON), (KHERSON, CRIMEA)):
        overlap = area(unit_geoms[left].intersection(ne_units[right]))
        print(f"    geoBoundaries {left} ∩ Natural Earth {right}: {overlap:,.0f}")
    print()


if __name__ == "__main__":
    main()
