"""Timeline charts (maps/charts/timeline.py): each region's y-axis fits its own range."""

import pandas as pd
import pytest

from peacemap.maps.charts.timeline import fitted_range


@pytest.mark.parametrize(
    ("values", "within"),
    [
        ([20_000.0, 20_100.0, 20_400.0], (19_900.0, 20_500.0)),  # a few hundred km² of a large region
        ([0.0, 35.0, 180.0], (0.0, 200.0)),  # from nothing: the axis starts at 0
        ([904.05, 904.05], (900.0, 910.0)),  # a flat line still gets a readable range
    ],
)
def test_the_axis_fits_the_data(values, within):
    low, high = fitted_range(pd.Series(values))
    assert within[0] <= low <= min(values)
    assert max(values) < high <= within[1]


def test_gaps_are_ignored_and_an_empty_series_gets_a_range():
    assert fitted_range(pd.Series([float("nan"), 10.0, 20.0])) == fitted_range(pd.Series([10.0, 20.0]))
    assert fitted_range(pd.Series([float("nan")])) == (0.0, 1.0)
