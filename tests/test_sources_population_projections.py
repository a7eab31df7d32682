"""OCHA COD-PS 2020 projections (layers.sources.population_projections): AR Crimea and Sevastopol.

Reference figures: the COD-PS adm1 sheet as the data mirror's README quotes it (AR Crimea
1,941,905; Sevastopol 391,460, projections for 1 January 2020).
"""

import pandas as pd
import pytest
from reference_figures import CRIMEA_PROJECTIONS

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import population_projections


def test_crimea_and_sevastopol_projections():
    assert population_projections.read_projections() == CRIMEA_PROJECTIONS


def _sheet(rows):
    return pd.DataFrame(rows, columns=["ADM1_PCODE", "ADM1_NAME", "T_TL"])


def test_a_missing_or_renamed_unit_is_refused():
    with pytest.raises(DataSourceError, match="expected one row UA85"):
        population_projections.parse_projections(_sheet([["UA01", "Autonomous Republic Crimea", 10]]))
    with pytest.raises(DataSourceError, match="expected one row UA01"):
        population_projections.parse_projections(_sheet([["UA01", "Kyiv", 10], ["UA85", "Sevastopol", 5]]))


def test_a_figure_that_is_not_a_whole_positive_number_is_refused():
    with pytest.raises(DataSourceError, match="UA85 T_TL should be a positive whole number"):
        population_projections.parse_projections(_sheet([["UA01", "Autonomous Republic Crimea", 10], ["UA85", "Sevastopol", "…"]]))
