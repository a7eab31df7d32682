"""Names vulture (``[tool.vulture]`` in pyproject.toml) takes for dead code but that are used where
it cannot see: by name from outside Python (templates, JSON keys, library protocols), by users of
the public API, or by the tests as the reference a production function is checked against.

Reviewed by hand: a name goes here only with the reason it is alive. Dead code is removed instead
(a helper reached only by its own tests is dead: maps/colour.py became tests/colour_checks.py and
writing.write_outputs tests/staged_writing.py). Syntax: a bare name marks a name used, ``_.name``
an attribute (vulture's whitelist convention; this file is never run or imported).
"""

# Python protocols, called by the interpreter or the standard library.
__getattr__  # PEP 562 lazy attributes of the package (peacemap/__init__.py)
__dir__  # PEP 562, lists the lazy attributes
_._value_  # Enum: the member's value, set in __new__ of Measure and ControlMeasure (layers/report/measures.py)
_.maxother  # reprlib.Repr limits, read by reprlib (api.py, layers/plans/model.py)
_.maxstring
_.maxdict
_.maxlevel
_.maxlist
_.text_factory  # sqlite3.Connection: how TEXT is returned (layers/sources/control_content.py)

# The public API (api.py): methods a user calls, and Jupyter's rich display.
_.to_frame
_.to_csv
_.to_json
_._repr_markdown_

# Attributes read by name by the Jinja templates of folium MacroElements ({{ this.features_js }}).
_.features_js
_.style_js
_.pane_js
_.attribution_js
_.interactive_js
_.casing_js
_.casing_extra_js
_.popup_foot_js
_.points_js
_.class_name_js
_.kind_js
_.circle_js
_.circle_class_js
_.options_js
_.base_layers_js
_.overlays_js
_.script_js
_.groups_js
_._id  # folium's element id, set so that ids are stable (maps/ids.py, maps/html/page.py; pinned, tests/test_folium_guard.py)

# Keys of the output contracts (TypedDicts in layers/report/contract.py, layers/report/figures.py,
# layers/population/statements.py): written to report.json and read as record["key"].
both_withdraw
both_withdraw_held_by_russia
both_withdraw_held_by_ukraine
by_control
ceded_beyond_line
ceded_demilitarised
ceded_to_russian_forces
change_365d_km2
claim
counted_on
dmz_days_at_30d_pace
dmz_days_at_365d_pace
dmz_days_at_90d_pace
dmz_pace
frozen_ukrainian_side
held_area_km2
in_figures
occupied_land_pct
only_a_km2
only_b_km2
plan_origin
plan_text_note  # issue 30: the report, compared plans and places say once where a plan is quoted in English
population_excludes
population_note
population_own
population_own_excludes
population_own_high
population_own_low
population_own_source
population_projection_2020
population_projection_source
population_with_projection
recognised_with_crimea_projection
russian_side
russian_side_de_facto
russian_side_de_jure
russian_side_frozen_de_facto
russian_side_not_addressed
russian_side_not_recognised
settlements_in_zone
share_of_area_in_zone_pct
share_of_area_pct
share_of_region_pct
share_of_ukraine_pct
statements_inside
threshold_km
ukraine_area_km2
under_russian_forces

# Fields of input files, parsed and kept in the model for API users though no output reads them.
territorial  # a plan provision's `territorial = true|false` (README, "Plan files")
channel  # curated statements' CSV columns (layers/sources/curated/README.md)
checked_url
summary_uk  # a plan file's Ukrainian summary and notes (issue 30, docs/reference/plan-files.md): checked when read;
notes_uk  # no output shows a plan's summary or notes in Ukrainian yet (`peacemap plans show` writes English)

# What the tests check production code against (a specification, an inverse, a measure), kept
# beside the code it describes so that the two change together.
CONTRACTS  # the contracts the README documents: tests/test_report_contract.py regenerates the README's text
contract_text
MIN_DELTA_E  # the palette's stated contrast (README "A palette for every reader"): tests/test_maps_palette.py
MIN_DELTA_L
MIN_CONTEXT_DELTA_E
decode_polyline  # inverse of maps.packing.encode_coords: the round trip is tested
displacement_m  # the simplification's error (geo/simplify.py): tests/test_geo_simplify.py, test_maps_static.py
relative_area_change
ground_length_km  # the scale bar's ground length: tests/test_maps_static.py
not_joined  # hromadas of table 6 without a territory: tests/test_population_territories.py, bench/hromada_territories.py
UKRAINE_OFFICIAL_AREA  # Ukrstat's area of Ukraine: tests/test_layers_regions.py checks the regions against it
RENDERERS  # the report's renderers: tests/test_cli_help.py checks cli/report.py's copy
