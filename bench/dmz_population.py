"""Print the 1 January 2022 population of the 28-point plan's DMZ on 2025-11-20, its band, where
the band comes from, and how the figure moved from the Voronoi model to the real territories.

Run: ``.venv/bin/python bench/dmz_population.py [--plan plan28] [--date 2025-11-20]``.
Target (issue 12): a band narrower than the Voronoi model's 52,616 persons (661,497 – 714,113
around 672,338).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import time

import numpy as np
import pandas as pd
import shapely

from peacemap.geo.population import allocate
from peacemap.geo.projections import to_metric
from peacemap.layers.plans.apply import build_plan_layers
from peacemap.layers.plans.model import load_plan
from peacemap.layers.population import model as population
from peacemap.layers.population.placement import hromada_centres
from peacemap.layers.population.settlements import located_settlements, village_points
from peacemap.layers.population.territories import hromada_territories
from peacemap.layers.regions import DONETSK, load_regions
from peacemap.layers.report.places import zones_by_status
from peacemap.layers.sources.deepstate import deepstate_control

VORONOI_BAND = 714_113 - 661_497  # the band of the Voronoi model (README before issue 12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2025, 11, 20))
    args = parser.parse_args()
    layers = build_plan_layers(load_plan(args.plan), deepstate_control(args.date))
    zones = zones_by_status(layers)
    zones = zones[zones["region"] == DONETSK]
    dmz = zones.index[zones["status"] == "dmz"]
    centres, regions = hromada_centres(), load_regions()
    towns = located_settlements()
    towns = towns[towns["hromada"] >= 0]
    start = time.process_time()
    models = {
        "Voronoi cells, urban people at the centre (before)*": population.build_population_model(centres, regions),
        "real territories, urban people at the centre": population.build_population_model(centres, regions, territories=hromada_territories()),
        "real territories, towns at their points (now)": population.population_model(),
    }
    print(f"models built in {time.process_time() - start:.1f} s of CPU")
    area = layers.zones.loc[layers.zones["status"] == "dmz", "area_km2"].sum()
    print(f"\nDMZ of {args.plan} on {layers.control.label}: {area:,.0f} km²")
    for label, model in models.items():
        figures = population.zone_population(zones, model).loc[dmz].iloc[0]
        low, high = int(figures["population_2022_low"]), int(figures["population_2022_high"])
        print(f"  {label:52s} {int(figures['population_2022']):>9,} ({low:,} – {high:,}; band {high - low:,})")
    now = population.zone_population(zones, models["real territories, towns at their points (now)"]).loc[dmz].iloc[0]
    width = int(now["population_2022_high"] - now["population_2022_low"])
    print("  * the figure before issue 12; its band computed as bands are now (the old band, 661,497 – 714,113, came from")
    print("    three allocations widened by the cells' 32.6% area error)")
    print(f"band now {width:,} persons against {VORONOI_BAND:,} before: target {'met' if width < VORONOI_BAND else 'NOT met'}")
    _changes(zones, dmz[0], models)
    _band(zones, dmz[0], models["real territories, towns at their points (now)"])
    _density(zones, dmz[0], centres, regions, towns)


def _rows(zones: pd.DataFrame, zone: object, model: population.PopulationModel) -> pd.DataFrame:
    """Each Donetsk hromada's people in ``zone``: central, low, high."""
    allocation = allocate(np.asarray(shapely.make_valid(to_metric(zones.geometry.to_numpy())), dtype=object), model.regions[DONETSK])
    column = list(zones.index).index(zone)
    names = model.centres.loc[model.hromadas[DONETSK], "name_uk"].to_numpy()
    return pd.DataFrame({"central": allocation.central[:, column], "low": allocation.low[:, column], "high": allocation.high[:, column]}, index=names)


def _changes(zones: pd.DataFrame, zone: object, models: dict) -> None:
    steps = [_rows(zones, zone, model)["central"] for model in models.values()]
    table = pd.DataFrame({"before": steps[0], "territories": steps[1] - steps[0], "towns": steps[2] - steps[1], "now": steps[2]})
    print(
        f"\nthe change, step by step: real territories {table['territories'].sum():+,.0f}, towns at their points "
        f"{table['towns'].sum():+,.0f}; by hromada (persons):"
    )
    print(f"  {'hromada':38s} {'before':>9s} {'territories':>12s} {'towns':>9s} {'now':>9s}")
    moved = table[(table["territories"].abs() + table["towns"].abs()) > 200]
    for name, row in moved.reindex(moved["now"].sub(moved["before"]).abs().sort_values(ascending=False).index).iterrows():
        print(f"  {name:38s} {row['before']:9,.0f} {row['territories']:+12,.0f} {row['towns']:+9,.0f} {row['now']:9,.0f}")


def _band(zones: pd.DataFrame, zone: object, model: population.PopulationModel) -> None:
    rows = _rows(zones, zone, model)
    rows["width"] = rows["high"] - rows["low"]
    print("\nwhere the band comes from (hromadas the DMZ's edge cuts; persons):")
    for name, row in rows[rows["width"] > 100].sort_values("width", ascending=False).iterrows():
        print(f"  {name:38s} {row['central']:>9,.0f}  {row['low']:>9,.0f} – {row['high']:<9,.0f} width {row['width']:,.0f}")


def _density(zones: pd.DataFrame, zone: object, centres, regions, towns) -> None:  # noqa: ANN001
    print("\nband against the assumed density of a town's footprint (persons per km²):")
    kept = population.FOOTPRINT_DENSITY_PER_KM2
    try:
        for density in (1_000.0, 1_500.0, 3_000.0):
            population.FOOTPRINT_DENSITY_PER_KM2 = density
            model = population.build_population_model(centres, regions, territories=hromada_territories(), settlements=towns, villages=village_points())
            figures = population.zone_population(zones, model).loc[zone]
            low, high = int(figures["population_2022_low"]), int(figures["population_2022_high"])
            print(f"  {density:7,.0f}: {low:,} – {high:,} (band {high - low:,})")
    finally:
        population.FOOTPRINT_DENSITY_PER_KM2 = kept


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
