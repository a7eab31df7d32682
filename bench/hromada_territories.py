"""Print how well the hromada territories match the hromadas' true areas (KSE ``square``), how
the join of the OPORA polygons to table 6 went, and how many towns of table 5 were located.

Run: ``.venv/bin/python bench/hromada_territories.py``. Territories are the OPORA polygons
clipped to the region's land and made to tile it (README, "Population"); areas geodesic km².
For comparison it also prints the error of the Voronoi cells the model used before (and still
uses for a hromada that cannot be joined). Target (issue 12): median error at most 3%.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from peacemap.layers.population.model import build_population_model
from peacemap.layers.population.placement import hromada_centres
from peacemap.layers.population.settlements import NOT_LOCATED, located_settlements
from peacemap.layers.population.territories import JOINED_BY_CLOSE_NAME, build_territories
from peacemap.layers.regions import load_regions
from peacemap.layers.sources.hromadas import read_opora_hromadas

FOCUS = ("UA-14", "UA-09", "UA-23", "UA-65")
TARGET = 0.03


def main() -> None:
    centres, regions, opora = hromada_centres(), load_regions(), read_opora_hromadas()
    start = time.process_time()
    territories = build_territories(centres, opora, regions)
    print(f"territories built in {time.process_time() - start:.1f} s of CPU")
    frame = territories.frame
    hromadas = frame[frame.index >= 0]
    known = hromadas[hromadas["kse_km2"].notna()]
    error = known["area_km2"] / known["kse_km2"] - 1
    print(f"\nhromadas with a KSE area: {len(known)} of {len(hromadas)}")
    print(f"median |territory/KSE - 1|: {error.abs().median():.2%}  (target at most {TARGET:.0%}: {'met' if error.abs().median() <= TARGET else 'NOT met'})")
    q1, q3, p90 = np.percentile(error.abs(), [25, 75, 90])
    print(f"median signed error:        {error.median():+.2%}; |error| quartiles {q1:.2%} .. {q3:.2%}, 90th percentile {p90:.1%}")
    print("largest errors (water the tiling gave to a shore hromada, or land the source gives it that KSE does not):")
    for index in error.abs().sort_values().index[-6:][::-1]:
        row = hromadas.loc[index]
        print(f"  {row['region']} {row['name_uk']}: {row['area_km2']:,.1f} km² against {row['kse_km2']:,.1f} ({error[index]:+.0%})")
    _by_region(hromadas, error)
    _join(territories)
    _voronoi(centres, regions)
    _towns()


def _by_region(hromadas, error) -> None:  # noqa: ANN001
    print("\nregion  hromadas  median|err|  territories km²  KSE km² (known)")
    for code, rows in hromadas.groupby("region"):
        mine = error.reindex(rows.index).dropna()
        median = f"{mine.abs().median():.2%}" if len(mine) else "n/a"
        mark = " *" if code in FOCUS else ""
        print(f"{code}  {len(rows):8d}  {median:>11}  {rows['area_km2'].sum():15,.0f}  {rows['kse_km2'].sum():15,.0f}{mark}")


def _join(territories) -> None:  # noqa: ANN001
    frame = territories.frame
    print("\njoin of the OPORA polygons to table 6:", frame["joined"].value_counts().to_dict())
    for row in frame[frame["joined"] == JOINED_BY_CLOSE_NAME].itertuples():
        print(f"  by close name: {row.name_uk} ({row.region}), OPORA polygon {row.opora_id}")
    not_joined = territories.not_joined
    print(f"hromadas that could not be joined (Voronoi fallback): {len(not_joined)}")
    for row in not_joined.itertuples():
        print(f"  {row.region} {row.raion_uk}: {row.name_uk}")
    print(f"OPORA polygons matching no hromada (land given to neighbours): {len(territories.unmatched_polygons)}")
    for row in territories.unmatched_polygons.itertuples():
        print(f"  {row.region}: {row.name_uk} (id {row.opora_id})")


def _voronoi(centres, regions) -> None:  # noqa: ANN001
    voronoi = build_population_model(centres, regions).territories
    known = voronoi[voronoi["kse_km2"].notna()]
    print(f"\nfor comparison, Voronoi cells of the centres: median |cell/KSE - 1| {known['relative_error'].abs().median():.1%} over {len(known)} hromadas")


def _towns() -> None:
    towns = located_settlements()
    print("\ncities and towns of table 5:", towns["located"].value_counts().to_dict())
    missing = towns[towns["located"] == NOT_LOCATED]
    print(
        f"not located: {len(missing)}, {missing['population'].sum():,.0f} people "
        f"({missing['population'].sum() / towns['population'].sum():.2%} of the urban population); largest:"
    )
    for row in missing.sort_values("population").tail(8).itertuples():
        print(f"  {row.region} {row.raion_uk}: {row.name_uk} {row.population:,.0f}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
