"""Print how well the Voronoi territories approximate the hromadas' true areas (KSE ``square``).

Run: ``.venv/bin/python bench/hromada_territories.py``. Territories are Voronoi cells of the
hromada centres clipped to the region's land polygon; areas in km² (equal-area projection).
"""

from __future__ import annotations

import logging

import numpy as np

from peacemap.layers.population.model import population_model

FOCUS = ("UA-14", "UA-09", "UA-23", "UA-65")


def main() -> None:
    model = population_model()
    table = model.territories
    known = table[table["kse_km2"].notna()]
    error = known["relative_error"]
    print(f"sites with a known KSE area: {len(known)} of {len(table)} "
          f"({int((table['hromadas'].str.count(';') > 0).sum())} sites shared by several hromadas)")
    print(f"median |cell/KSE - 1|: {error.abs().median():.1%}  (the model's territory error)")
    print(f"median cell/KSE - 1:   {error.median():+.1%}")
    q1, q3 = np.percentile(error.abs(), [25, 75])
    print(f"|error| quartiles:     {q1:.1%} .. {q3:.1%}; within ±50%: {(error.abs() <= 0.5).mean():.1%}")
    weighted = np.average(error.abs(), weights=known["kse_km2"])
    print(f"area-weighted mean |error|: {weighted:.1%}")
    print("\nregion  sites  median|err|  cells km²  KSE km² (known)")
    for code, rows in table.groupby("region"):
        sub = rows[rows["kse_km2"].notna()]
        median = f"{sub['relative_error'].abs().median():.1%}" if len(sub) else "n/a"
        mark = " *" if code in FOCUS else ""
        print(f"{code}  {len(rows):5d}  {median:>11}  {rows['cell_km2'].sum():9.0f}  {sub['kse_km2'].sum():9.0f}{mark}")
    print("\nplacement:", model.centres["placement"].value_counts().to_dict())
    offsets = model.centres["geonames_offset_km"].dropna()
    print(f"KSE centre vs GeoNames settlement of the same name: median {offsets.median():.2f} km over {len(offsets)}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
