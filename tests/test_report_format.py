"""How a figure's left-out regions are written: by the names a reader knows, never by ISO codes
(a printed "excl. UA-40, UA-43" means nothing to a reader of a newspaper)."""

from __future__ import annotations

from peacemap.layers.report.format import own_people_text, people_text


def test_the_regions_a_figure_leaves_out_are_named():
    figures = {"population_2022": 7_412_496, "population_2022_low": 7_363_937, "population_2022_high": 7_436_072, "population_excludes": ["UA-40", "UA-43"]}
    text = people_text(figures)
    assert text.endswith(", excl. AR Crimea and Sevastopol (not available)")
    assert "UA-" not in text


def test_one_region_or_several_read_as_a_list():
    assert people_text({"population_2022": 1, "population_excludes": ["UA-43"]}).endswith("excl. AR Crimea (not available)")
    text = own_people_text({"population_own": 5, "population_own_excludes": ["UA-65", "UA-40", "UA-43"]})
    assert text.endswith("excl. AR Crimea and Sevastopol, Kherson (not covered)")
