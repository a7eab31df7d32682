"""Shared fixtures: the real data, read once per test session through the registry; the tests'
own cache folder, apart from the user's; the markers every test gets from what it uses; and
Hypothesis's profiles (``dev`` by default, ``ci`` where CI is set)."""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from peacemap.layers import settings as peacemap_settings

TESTS_DIR = Path(__file__).resolve().parent

# --- the tests' own cache ------------------------------------------------------------------------
# peacemap keeps its results under $XDG_CACHE_HOME/peacemap (layers.sources.registry.cache_dir). The
# tests point it at a folder of their own, kept between runs inside this checkout's .pytest_cache
# (so that a second run is warm) and never the user's: a test run neither reads stale entries from
# the user's cache nor leaves its own there. Set when pytest starts, before the test modules are
# imported, and inherited by every subprocess a test starts.
TEST_CACHE_NAME = "peacemap-cache"
_user_cache_env: str | None = None


# The tests choose how workers start where it matters (tests/test_processes.py,
# tests/test_spawn_outputs.py); a PEACEMAP_START_METHOD in the user's environment is set aside.
START_METHOD_ENV = "PEACEMAP_START_METHOD"
_set_aside: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    cache = getattr(config, "cache", None)  # None under -p no:cacheprovider: a folder for this run only
    folder = cache.mkdir(TEST_CACHE_NAME) if cache is not None else Path(tempfile.mkdtemp(prefix=f"{TEST_CACHE_NAME}-"))
    config.stash[_TEST_CACHE] = (folder, cache is None)
    _set_aside.update({name: os.environ.get(name) for name in ("XDG_CACHE_HOME", START_METHOD_ENV)})
    os.environ["XDG_CACHE_HOME"] = str(folder)
    os.environ.pop(START_METHOD_ENV, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, temporary = config.stash.get(_TEST_CACHE, (None, False))
    if folder is None:
        return
    for name, value in _set_aside.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if temporary:
        shutil.rmtree(folder, ignore_errors=True)


_TEST_CACHE = pytest.StashKey[tuple[Path, bool]]()


@pytest.fixture(autouse=True, scope="session")
def test_cache(pytestconfig: pytest.Config):
    """The tests' XDG_CACHE_HOME (see above), for the whole session: a test that sets its own
    (monkeypatch.setenv) gets this one back after it."""
    folder, _ = pytestconfig.stash[_TEST_CACHE]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


# --- peacemap's settings ---------------------------------------------------------------------------
# peacemap reads its settings (data folder, cache folder, --no-cache, workers, start method) once
# (peacemap.layers.settings). A test that changes the environment reads them again (setenv below);
# after every test they are read from the session's environment again, and the loaders' memos of
# another data or cache folder are forgotten (clear_memo, called by settings.install).


@pytest.fixture(autouse=True)
def session_settings():
    """After each test, the settings of the session's environment (a test may have changed them)."""
    yield
    peacemap_settings.reload()


@pytest.fixture
def setenv(monkeypatch):
    """``setenv(NAME, value)`` sets an environment variable for one test (None: unsets it) and reads
    peacemap's settings again, as a new process would."""

    def set_env(name: str, value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
        peacemap_settings.reload()

    return set_env


# --- Hypothesis ----------------------------------------------------------------------------------
# dev: few examples, for a quick local run; ci (CI set, as .ci/run has it): more. Neither has a
# deadline: a shared, loaded machine makes any per-example time limit flaky (a parser that hangs
# is caught by its own test's alarm). HYPOTHESIS_PROFILE picks one by name.
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


# --- markers -------------------------------------------------------------------------------------
# Registered in pyproject.toml (--strict-markers). Given here from what a test uses, so that a new
# test is marked without anyone having to remember: `browser` for a test that drives Chromium
# (the chromium fixture, playwright), `subprocess` for one that starts a process through the
# subprocess module (peacemap's command line, python -c), directly or through a helper or fixture
# of the tests; `data` for one that may read the real data (../shared/data): every test but those
# of DATA_FREE_MODULES, unless it uses a fixture of the real data; `slow` for the tests of
# SLOW_TESTS, measured slow (a test may also say @pytest.mark.slow itself).

# Modules whose tests run without the data folder but for those that use a fixture of the real
# data (checked: the suite run in a copy of the checkout with no ../shared/data and an empty cache).
# A module not named here is taken to need the data throughout.
DATA_FREE_MODULES = frozenset(
    {
        "test_architecture",
        "test_browser",
        "test_browser_sizes",
        "test_cli_help",
        "test_cli_robustness",
        "test_control_split",
        "test_control_split_properties",
        "test_geo_area",
        "test_geo_land",
        "test_geo_population",
        "test_geo_simplify",
        "test_headline",
        "test_layers_regions",
        "test_maps_changes",
        "test_maps_control_compare",
        "test_maps_hromadas",
        "test_maps_html",
        "test_maps_packing",
        "test_maps_palette",
        "test_maps_places",
        "test_maps_qgis",
        "test_maps_static",
        "test_maps_style",
        "test_maps_timeline",
        "test_plan_fuzz",
        "test_plan_options",
        "test_plans",
        "test_population_model",
        "test_population_territories",
        "test_processes",
        "test_report_contract",
        "test_report_control_compare",
        "test_sources_control_formats",
        "test_sources_control_fuzz",
        "test_statuses",
        "test_tiling",
        "test_timeline_cache",
        "test_writing",
        "test_zones",
        "test_i18n",
        "test_i18n_catalogue",
        "test_i18n_fonts",
        "test_plans_uk",
        "test_i18n_writing",
    }
)
# Modules whose fixtures alone take seconds (a build in another process, a year of timeline, the
# frames of an animation, plans on many dates), measured as below.
SLOW_MODULES = frozenset(
    {
        "test_animation",
        "test_build",
        "test_cli_control",
        "test_compare",
        "test_countries",
        "test_headline",
        "test_maps_control_compare",
        "test_maps_facts",
        "test_maps_static",
        "test_places",
        "test_report_control_compare",
        "test_timeline_table",
        "test_untrusted_text",
        "test_i18n_outputs",
    }
)
# Tests measured slow: 0.4 s or more each (setup and call, all parameters), warm, on the 2-core
# machine under a load of about 5 (pytest -m "not slow and not browser" --durations=0; measured
# again with -n 2 at a load of 5-10 once issues 24-28 and 31 had added their tests). Left out of the fast
# subset; the full suite runs them. By module, then test function.
SLOW_TESTS: dict[str, set[str]] = {
    "test_animation_cache": {"test_the_map_is_the_same_cold_and_from_the_cached_frames"},
    "test_api": {
        "test_an_in_memory_map_is_checked_as_a_control_file",
        "test_control_takes_the_occupied_territory_in_memory",
        "test_one_option_id_is_one_option",
        "test_one_region_code_is_one_region",
        "test_report_frame_has_one_row_per_region_and_status",
        "test_the_examples_run",
        "test_zones_are_epsg_4326_and_the_dmz_is_the_reports",
    },
    "test_api_frames": {"test_population_is_nullable_int64_in_every_frame", "test_the_timelines_give_dates_as_dates"},
    "test_cache_keys": {
        "test_editing_any_module_of_a_kinds_closure_changes_its_key",
        "test_every_cache_kind_is_keyed_by_a_module_closure",
        "test_no_hand_kept_list_of_modules_remains",
        "test_the_closure_holds_every_module_importing_the_root_loads",
        "test_the_closures_hold_what_hand_kept_lists_missed",
    },
    "test_cli_data": {
        "test_update_on_2026_12_07_takes_in_the_snapshots_after_the_trimmed_catalogue",
        "test_update_reports_a_refused_file_and_exits_1",
        "test_update_without_network_says_so_in_one_line_and_exits_1",
    },
    "test_cli_errors": {"test_bad_control_files", "test_geopackage_without_crs_is_refused", "test_source_failing_its_hash"},
    "test_cli_help": {"test_help_imports_no_geometry_library"},
    "test_cli_map": {"test_map_html_and_svg", "test_map_size_in_pixels"},
    "test_cli_messages": {"test_quiet_leaves_the_error_alone", "test_without_quiet_the_warning_and_the_download_are_said"},
    "test_cli_outputs": {
        "test_a_pipe_whose_reader_has_gone_ends_quietly",
        "test_build_with_standard_output_closed_writes_its_files_and_says_the_headline_is_lost",
        "test_compare_and_places_dash_write_to_standard_output",
        "test_help_to_a_full_device_is_one_line",
        "test_report_dash_writes_to_standard_output",
        "test_report_to_a_full_device_is_one_line",
        "test_report_with_standard_output_closed_fails_in_one_line",
        "test_timeline_dash_writes_csv_or_json_to_standard_output",
    },
    "test_cli_robustness": {
        "test_a_background_writer_stops_with_its_parent",
        "test_non_utf8_terminal",
        "test_signal_while_writing",
        "test_timeline_workers_stop_with_their_parent",
    },
    "test_control_cells": {
        "test_a_sequence_updates_only_what_changed_and_stays_exact",
        "test_each_rule_across_grid_lines_matches_the_report",
        "test_grid_size_does_not_change_real_figures",
        "test_random_sequences_match_the_report",
        "test_saved_cells_read_back_the_same",
    },
    "test_control_split": {"test_contact_line_avoids_coast_and_state_border", "test_zones_tile_every_region"},
    "test_control_split_properties": {"test_any_cut_tiles_each_region", "test_held_and_occupied_partition_the_country"},
    "test_export": {
        "test_every_layer_keys_its_rows_by_region_and_regions_carry_official_areas",
        "test_geojson_is_named_after_the_file_not_the_temporary_one",
        "test_geojson_is_rfc7946",
        "test_geopackage_has_three_layers_with_metadata",
        "test_layers_command_writes_the_file",
        "test_the_hromada_layer_names_its_sources",
        "test_the_layers_file_has_the_hromada_territories",
        "test_zones_carry_population_adding_up_to_the_reports_totals",
        "test_zones_carry_side_after_and_recognition_in_every_format",
    },
    "test_geo_simplify": {
        "test_cleaning_real_zones_moves_no_measurable_area",
        "test_real_zones_keep_their_geodesic_area",
        "test_real_zones_move_less_than_100_m",
        "test_real_zones_stay_a_tiling",
    },
    "test_html_pages": {"test_no_output_says_today_where_a_date_belongs", "test_the_maps_keep_their_size_budget"},
    "test_layers_regions": {"test_regions_are_valid_and_do_not_overlap"},
    "test_map_frames": {"test_each_frame_has_its_date_and_its_fact_box", "test_frames_folder_mp4_and_gif"},
    "test_maps_changes": {"test_given_up_land_holds_the_cities_the_plans_name", "test_html_maps_show_the_overlay", "test_png_maps_show_the_overlay"},
    "test_maps_charts": {
        "test_every_chart_has_units_and_three_date_ticks",
        "test_no_axis_starts_above_zero_without_a_break",
        "test_the_figures_have_units_date_ticks_and_breaks",
    },
    "test_maps_hromadas": {
        "test_no_layer_without_territories",
        "test_only_the_regions_the_plan_changes_are_drawn",
        "test_the_layer_is_listed_but_off_when_the_map_opens",
        "test_the_tooltip_names_the_hromada_its_people_and_zones",
    },
    "test_maps_html": {
        "test_cdn_map_links_leaflet_only",
        "test_population_shown_only_when_present",
        "test_self_contained_map_is_at_most_1_mb",
        "test_self_contained_map_links_nothing",
        "test_text_from_a_plan_file_is_escaped",
    },
    "test_maps_qgis": {
        "test_contact_line_is_bold_where_frozen",
        "test_every_layer_has_a_default_style",
        "test_the_same_layers_give_the_same_file",
        "test_zone_fills_are_the_maps_colours",
    },
    "test_plan_fuzz": {
        "test_broken_documents_are_refused_in_one_line_or_sound",
        "test_broken_plan_files_are_refused_in_one_line_or_sound",
        "test_deep_nesting_is_refused_in_one_line",
        "test_raw_toml_values_in_any_field",
        "test_valid_plans_load_and_keep_their_values",
    },
    "test_plan_options": {
        "test_default_plan20_has_no_dmz",
        "test_option_zone_stays_in_its_region_and_keeps_the_tiling",
        "test_overlapping_option_zones_give_the_land_the_later_ones_status",
        "test_ten_options_of_fifty_discs_are_measured_once_and_fast",
    },
    "test_plan_provenance": {"test_a_user_file_with_a_shipped_id_is_marked_in_every_output"},
    "test_plans": {"test_control_characters_are_refused_in_every_string"},
    "test_population_model": {
        "test_crimea_and_sevastopol_are_not_available",
        "test_every_hromada_is_spread_over_its_real_territory",
        "test_most_of_donetsk_oblast_is_in_occupied_zone",
        "test_split_zones_add_up_to_the_official_totals",
        "test_territory_error_is_measured_on_the_hromadas_with_a_known_area",
    },
    "test_population_own": {
        "test_a_hromada_table_of_table_6_gives_the_2022_figures_back",
        "test_a_points_file_is_read_as_a_control_file_is",
        "test_a_raster_of_the_territories_gives_zone_sums_within_1_percent",
        "test_a_raster_with_a_nan_or_negative_cell_is_refused",
        "test_a_settlement_table_counts_each_town_at_its_point",
        "test_a_table_by_name_and_oblast_in_xlsx",
        "test_an_unknown_hromada_code_or_koatuu_or_a_partial_region_is_refused",
        "test_half_the_people_of_donetsk_halves_its_figures_and_bands",
        "test_points_built_from_the_reports_placement_give_its_figures_back_exactly",
        "test_report_compare_places_and_layers_take_it",
        "test_the_api_takes_it",
    },
    "test_population_placement": {"test_centres_lie_in_or_near_their_region"},
    "test_population_statements": {"test_plan20_donetsk_band_gets_the_towns_not_the_oblast_figure", "test_plan28_from_2026_02_05_gives_187000"},
    "test_population_tables": {
        "test_cities_and_towns_add_up_to_the_official_urban_population",
        "test_kyiv_city_is_its_own_city_and_crimea_has_none",
        "test_the_dmz_cities_are_read_with_their_official_population",
    },
    "test_population_territories": {"test_a_hromada_without_a_polygon_falls_back_and_a_stray_polygon_is_shared"},
    "test_processes": {
        "test_a_measure_a_worker_cannot_load_fails_in_the_parent_instead_of_hanging",
        "test_spawned_workers_without_pdeathsig_stop_with_their_parent",
        "test_workers_measure_in_order_under_each_start_method",
        "test_workers_start_with_ctrl_c_held",
    },
    "test_qgis": {
        "test_every_layer_opens_with_its_default_style",
        "test_qgis_renders_the_layers",
        "test_the_temporal_controller_shows_one_day_of_zones_over_time",
        "test_zone_classes_carry_the_maps_colours",
    },
    "test_readme_figures": {
        "test_the_comparison_paragraph_gives_compares_figures",
        "test_the_control_comparison_paragraph_gives_its_figures",
        "test_the_headline_table_is_report_json",
        "test_the_jump_at_pokrovsk_is_the_reports",
        "test_the_map_sizes_are_the_maps",
        "test_the_places_rows_that_add_up",
        "test_the_plan_over_time_table_gives_each_days_figures",
        "test_the_table_maker_writes_each_measure_with_land_by_the_reports_formatters",
    },
    "test_report": {"test_report_command_json"},
    "test_report_outputs": {
        "test_control_compare_says_1_january_2022",
        "test_every_headline_figure_is_rebuilt_from_compare_csv",
        "test_every_headline_figure_is_rebuilt_from_the_places_csv",
        "test_latest_prints_the_snapshots_date_and_its_age_once",
        "test_md_json_and_csv_give_the_same_figure_under_the_same_label",
        "test_no_label_appears_with_two_different_numbers",
        "test_no_text_output_says_today_where_a_date_belongs",
        "test_the_comparison_and_places_carry_the_age_of_latest",
        "test_the_report_names_pokrovsk_on_the_line_the_day_before",
    },
    "test_report_statements": {
        "test_a_statement_never_enters_a_total",
        "test_a_zone_that_is_only_part_of_the_held_land_lists_its_towns_instead",
        "test_compare_gives_the_statements_beside_its_figures",
        "test_on_the_snapshot_of_2026_02_05_or_later_it_is_187000",
        "test_the_dmz_carries_the_donetsk_administrations_figure_in_json",
        "test_the_dmz_line_gives_the_statement_beside_the_2022_figure_in_md_terminal_and_csv",
        "test_with_claims_every_output_labels_them",
        "test_with_claims_on_the_command_line",
    },
    "test_settings": {"test_a_new_data_folder_is_read_after_a_first_call", "test_worker_processes_get_the_parents_settings"},
    "test_sources_boundaries": {"test_both_sources_give_the_same_27_units", "test_natural_earth_codes_point_at_the_right_units"},
    "test_sources_cache": {
        "test_another_zones_population_copied_in_place_is_rebuilt",
        "test_crimea_projections_from_the_cache_equal_the_files_even_after_damage",
        "test_map_context_from_the_cache_equals_a_fresh_one_even_after_damage",
        "test_the_control_split_of_another_date_copied_in_place_is_rebuilt",
        "test_two_builds_on_an_empty_cache_damage_and_warm_runs_give_the_same_outputs",
        "test_zone_population_from_the_cache_equals_the_models_even_after_damage",
    },
    "test_sources_control_file": {
        "test_a_held_area_file_is_refused_with_the_hint_from_the_cli",
        "test_a_held_area_file_read_as_held_gives_deepstates_report",
        "test_a_held_file_that_leaves_almost_nothing_occupied_is_refused",
        "test_a_polygon_in_the_sea_is_one_line_from_the_cli",
        "test_a_polygon_off_ukraines_land_is_refused",
        "test_a_polygon_over_less_than_1000_km2_of_land_is_refused_unless_meant",
        "test_control_layer_reaches_the_control_file_from_the_cli",
        "test_resolve_control_takes_the_layer_with_the_file",
        "test_several_layers_without_control_layer_is_one_line_from_the_cli",
    },
    "test_sources_control_formats": {
        "test_a_bare_shapefile_is_named_with_its_parts_and_their_sha256",
        "test_a_damaged_file_is_read_or_refused_in_one_line",
        "test_a_zip_whose_dbf_inflates_far_beyond_its_declared_size_is_refused_in_little_memory",
        "test_an_invalid_condition_from_the_cli_is_one_line",
        "test_an_invalid_condition_is_one_line_naming_it_and_the_fields",
        "test_control_where_reaches_the_report_and_its_sources",
        "test_every_format_gives_deepstates_figures",
        "test_like_is_case_sensitive_in_ogr_sql_and_not_in_sqlite",
        "test_report_with_each_format_equals_deepstates",
        "test_the_fixture_covers_every_format_and_case",
        "test_without_the_condition_every_category_counts",
    },
    "test_sources_control_fuzz": {"test_any_control_file_is_read_or_refused_in_one_line", "test_polygons_over_ukraine_are_read_as_their_union"},
    "test_sources_control_hostile": {
        "test_each_probe_is_refused_in_one_line_from_the_cli",
        "test_no_file_but_the_one_named_is_opened",
        "test_no_read_of_standard_input_inside_the_guard",
        "test_no_request_from_gdal_inside_the_guard",
        "test_the_server_sees_requests",
    },
    "test_sources_control_json": {"test_the_fixture_topology_with_one_arc_index_bumped_is_refused"},
    "test_sources_control_where": {
        "test_a_statement_end_or_comment_after_a_condition_is_always_refused",
        "test_a_subquery_anywhere_is_always_refused",
        "test_any_text_is_checked_or_refused_with_a_one_line_reason",
        "test_every_condition_of_the_grammar_passes",
    },
    "test_sources_hromadas": {"test_every_polygon_is_read_with_a_region_code"},
    "test_sources_registry": {"test_download_with_wrong_hash_is_refused", "test_missing_file_is_downloaded_into_the_cache_and_checked"},
    "test_sources_updates": {
        "test_a_day_missing_from_the_daily_files_is_taken_from_the_unified_archive",
        "test_a_day_the_archive_holds_twice_with_different_polygons_is_refused",
        "test_a_file_over_the_size_cap_is_refused",
        "test_a_file_recorded_once_is_not_taken_in_again_with_other_bytes",
        "test_a_gap_day_answers_404_and_is_passed_over",
        "test_a_server_error_stops_the_run_and_the_next_run_resumes",
        "test_a_silent_upstream_gets_a_hint_about_its_url",
        "test_a_tampered_file_is_refused_in_one_line_and_fetched_again_by_the_next_update",
        "test_a_transfer_that_breaks_off_stops_the_run_keeping_what_came_before",
        "test_a_truncated_file_is_refused_and_the_others_are_taken_in",
        "test_check_counts_new_daily_files_and_downloads_nothing",
        "test_new_snapshots_are_taken_in_with_their_pinned_hashes_and_become_latest",
        "test_no_network_stops_at_once_and_the_pinned_snapshots_still_work",
    },
    "test_suite_isolation": {"test_a_test_run_leaves_the_user_cache_untouched"},
    "test_sweep": {"test_a_sweep_row_is_the_plan_timeline_row", "test_the_command_writes_parquet"},
    "test_template_injection": {
        "test_animated_map_shows_template_syntax_verbatim",
        "test_cli_map_of_a_hostile_plan_file_shows_its_text",
        "test_comparison_map_shows_template_syntax_verbatim",
        "test_csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text",
        "test_escaping_alone_keeps_every_jinja_marker_out",
        "test_fact_box_and_readings_show_untrusted_text_verbatim",
        "test_map_html_shows_template_syntax_verbatim",
        "test_only_verbatim_elements_carry_text",
        "test_static_map_shows_dollar_signs_verbatim",
    },
    "test_tiling": {"test_random_rectangles_always_tile_the_region"},
    "test_timeline_cache": {
        "test_a_damaged_cells_file_is_rebuilt",
        "test_a_damaged_series_file_is_ignored_and_rebuilt",
        "test_another_plans_figures_copied_in_place_are_ignored",
    },
    "test_timeline_plan": {
        "test_days_without_a_snapshot_are_gaps_with_no_figures",
        "test_each_snapshot_gives_the_report_headline",
        "test_the_dmz_was_larger_in_july",
    },
    "test_timeline_plan_cells": {
        "test_every_measure_on_sampled_days_equals_the_report",
        "test_measure_plan_equals_the_slow_path_including_days_it_hands_over",
        "test_people_by_an_enclave_on_the_border_equal_the_report_issue_31",
    },
    "test_timeline_series": {"test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not", "test_progress_is_told_up_to_the_total"},
    "test_timeline_statements": {"test_the_charts_show_the_statements_as_points"},
    "test_timeline_zones": {"test_one_feature_per_zone_and_day_as_the_report_makes_them", "test_the_parquet_file_is_geoparquet_1_1_with_a_bbox_covering"},
    "test_vocabulary": {"test_no_module_outside_the_vocabulary_keeps_a_label_table"},
}
# The fixtures of the real data (this file's).
DATA_FIXTURES = frozenset(
    {
        "regions",
        "centres",
        "territories",
        "settlements",
        "model",
        "zone_population_memo",
        "control_layers_on",
        "control_layers_20251120",
        "plan28_layers",
        "plan28_report",
        "plan28_map_layers",
        "plan28_static_figure",
        "control_format_files",
        "control_comparisons",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        reached = _reached(item)
        if "chromium" in item.fixturenames or "browser" in reached:
            item.add_marker(pytest.mark.browser)
        if "subprocess" in reached:
            item.add_marker(pytest.mark.subprocess)
        if item.path.stem not in DATA_FREE_MODULES or DATA_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.data)
        if item.path.stem in SLOW_MODULES or getattr(item, "originalname", item.name) in SLOW_TESTS.get(item.path.stem, ()):
            item.add_marker(pytest.mark.slow)


def _reached(item: pytest.Item) -> set[str]:
    """What the test function and its fixtures reach, following the functions and classes of the
    tests: ``subprocess`` (the subprocess module) and ``browser`` (playwright)."""
    functions = [getattr(item, "function", None)]
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is not None:
        functions += [definition.func for definitions in fixture_info.name2fixturedefs.values() for definition in definitions]
    return set().union(*(_reached_from(function) for function in functions))


_REACHED_MODULES = {"subprocess": "subprocess", "playwright": "browser"}
_reached_by_code: dict = {}  # code object -> what it reaches (an empty set while being followed: recursion)


def _reached_from(value: object) -> frozenset[str]:
    code = getattr(value, "__code__", None)
    if code is None or not _of_the_tests(value):
        return frozenset()
    if code not in _reached_by_code:
        _reached_by_code[code] = frozenset()
        _reached_by_code[code] = _follow(code, getattr(value, "__globals__", {}))
    return _reached_by_code[code]


def _follow(code, namespace: dict) -> frozenset[str]:  # a code object
    reached: set[str] = set()
    for name in _names(code):
        if name.split(".")[0] in _REACHED_MODULES:  # imported inside the function, or under its own name
            reached.add(_REACHED_MODULES[name.split(".")[0]])
        found = namespace.get(name)
        if found is None:
            continue
        module = found.__name__ if inspect.ismodule(found) else getattr(found, "__module__", None) or ""
        if module.split(".")[0] in _REACHED_MODULES:
            reached.add(_REACHED_MODULES[module.split(".")[0]])
        elif inspect.isclass(found) and _of_the_tests(found):
            for member in vars(found).values():
                reached |= _reached_from(member)
        else:
            reached |= _reached_from(found)
    return frozenset(reached)


def _names(code) -> set[str]:  # a code object
    """The global names a code object and those nested in it (lambdas, inner functions) use."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if inspect.iscode(constant):
            names |= _names(constant)
    return names


@functools.cache
def _module_of_the_tests(module_name: str) -> bool:
    module = sys.modules.get(module_name)
    source = getattr(module, "__file__", None)
    return source is not None and Path(source).resolve().is_relative_to(TESTS_DIR)


def _of_the_tests(value: object) -> bool:
    """Whether ``value`` (a function or class) is defined in a module of the tests."""
    module_name = getattr(value, "__module__", None)
    return isinstance(module_name, str) and _module_of_the_tests(module_name)


CHROMIUM = os.environ.get("PEACEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RENDER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def regions():
    """Region land polygons built from the real sources (geoBoundaries, Natural Earth, DeepState)."""
    from peacemap.layers.regions import load_regions

    return load_regions()


@pytest.fixture(scope="session")
def centres():
    """Every hromada of the official 2022 table placed on the map (EPSG:4326)."""
    from peacemap.layers.population.placement import hromada_centres

    return hromada_centres()


@pytest.fixture(scope="session")
def territories(centres, regions):
    """Hromada territories: the OPORA polygons joined to table 6, tiling every region (the same
    object the registry's model uses, built once per process)."""
    from peacemap.layers.population.territories import hromada_territories

    return hromada_territories()


@pytest.fixture(scope="session")
def settlements(territories):
    """The cities and towns of table 5, located and given to their hromadas."""
    from peacemap.layers.population.settlements import located_settlements

    return located_settlements()


@pytest.fixture(scope="session")
def model(territories, settlements):
    """The 2022 population model built from the real sources (the one ``zone_population`` uses
    by default, so that it is built once per test session)."""
    from peacemap.layers.population.model import population_model

    return population_model()


@pytest.fixture(scope="session")
def zone_population_memo():
    """The real 2022 population model, each region's zones estimated once per session
    (layers.report.figures.RegionPopulationMemo: the same figures, computed once)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo

    return RegionPopulationMemo(zone_population)


@pytest.fixture(scope="session")
def control_layers_on(regions):
    """A function: DeepState's held and occupied land of every region on a date (YYYY-MM-DD),
    built once per date and shared by every plan drawn on it."""
    import datetime as dt

    from peacemap.layers.plans.apply import build_control_layers
    from peacemap.layers.sources.deepstate import deepstate_control

    built = {}

    def control_layers(day: str):
        if day not in built:
            built[day] = build_control_layers(deepstate_control(dt.date.fromisoformat(day)), regions=regions)
        return built[day]

    return control_layers


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def peacemap_logging():
    """The "peacemap" logger unconfigured at the start of every test: a command run in this process
    (by an earlier test, or by a module's fixture) configures it, and ``-q`` leaves errors only,
    which would hide the warnings a test looks for."""
    import logging

    logger = logging.getLogger("peacemap")
    logger.setLevel(logging.NOTSET)
    logger.handlers[:] = []
    logger.propagate = True


@pytest.fixture(scope="session")
def control_layers_20251120(regions):
    """Held and occupied land of every region on DeepState's 2025-11-20 snapshot (any plan applies to it)."""
    import datetime as dt

    from peacemap.layers.plans.apply import build_control_layers
    from peacemap.layers.sources.deepstate import deepstate_control

    return build_control_layers(deepstate_control(dt.date(2025, 11, 20)), regions=regions)


@pytest.fixture(scope="session")
def plan28_layers(control_layers_20251120):
    """The 28-point plan's layers on 2025-11-20 (the day it was handed to Kyiv), DeepState control."""
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan

    return apply_plan(load_plan("plan28"), control_layers_20251120)


@pytest.fixture(scope="session")
def plan28_report(plan28_layers):
    """The report of the 28-point plan on 2025-11-20, with the real population model."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report

    return build_report(plan28_layers, zone_population)


@pytest.fixture(scope="session")
def plan28_map_layers(plan28_layers):
    """plan28_layers simplified for drawing, with the hromada territories (as the pipeline adds them)."""
    from peacemap.maps.prepare import prepare_map_layers
    from peacemap.pipeline import with_hromadas

    return prepare_map_layers(with_hromadas(plan28_layers))


@pytest.fixture(scope="session")
def plan28_static_figure(plan28_map_layers):
    """The static plan28 map (matplotlib Figure, default size)."""
    from peacemap.maps.static import static_map

    return static_map(plan28_map_layers)


def _require_browser():
    problem = ""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problem = f"chromium not found at {CHROMIUM}: install it with 'apt-get install -y chromium'"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing: pip install -e '.[test]'"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run: {problem}")
        pytest.skip(problem)


def _only_files(route, report):  # playwright Route
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        report["network_requests"].append(route.request.url)
        route.abort()


@pytest.fixture(scope="session")
def chromium():
    """Open an HTML file in Debian's headless Chromium (driven by playwright) with the network
    off, wait for the map's zones to draw, run ``probe(page, report)``, take a screenshot.

    Returns a function ``(html_path, profile_dir, probe) -> report`` where the report holds
    ``console_errors``, ``page_errors``, ``network_requests``, ``screenshot`` and what the
    probe added. Fails under CI (CI=true) and skips elsewhere if chromium is missing.
    """
    _require_browser()
    from playwright.sync_api import sync_playwright

    def render(html_path, profile_dir, probe):
        report = {"console_errors": [], "page_errors": [], "network_requests": []}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile_dir),
                executable_path=CHROMIUM,
                args=CHROMIUM_FLAGS,
                headless=True,
                offline=True,
                viewport={"width": 1200, "height": 800},
            )
            try:
                context.route("**/*", lambda route: _only_files(route, report))
                page = context.new_page()
                page.on("console", lambda m: m.type == "error" and report["console_errors"].append(m.text))
                page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
                page.goto(Path(html_path).as_uri())
                page.wait_for_selector(".leaflet-peacemap-zones-pane path", state="attached", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(500)
                probe(page, report)
                report["screenshot"] = page.screenshot()
            finally:
                context.close()
        return report

    return render


# --- control maps in every format (issue 14) ------------------------------------------------------
# Built from DeepState's snapshot of 2025-11-20 (the registry's pinned copy) with pyogrio: no
# third-party control map is ever committed. Analysts' files hold several categories of area
# (assessed control, claimed areas, recent advances) and layers of points and lines besides.

CONTROL_DATE = "2025-11-20"
ASSESSED = "Assessed Russian control"
# Boxes over land Ukraine held on 2025-11-20 (lon/lat): a file's other categories, which must not
# count as occupied when --control-where picks the assessed control.
CLAIMED_BOX = (35.05, 47.80, 35.25, 47.90)  # Zaporizhzhia city
ADVANCE_BOX = (37.55, 48.55, 37.65, 48.62)  # west of Kostiantynivka, held


@pytest.fixture(scope="session")
def control_format_files(tmp_path_factory):
    """DeepState's snapshot of 2025-11-20 written in every format ``--control`` reads.

    Returns ``{case: (path, options)}``, ``options`` being the ``layer`` and ``where`` keyword
    arguments that pick the occupied land (``{}`` for a file that holds nothing else). Simple
    cases (one layer, one feature): ``kmz`` (as GDAL's LIBKML writes a KMZ: doc.kml linking
    layers/*.kml), ``zip-3857`` (a shapefile in EPSG:3857 inside a folder of a .zip), ``shp``
    (bare, with its sidecars), ``fgb``, ``topojson``, ``kml``. Analysts' cases (categories and
    other layers): ``zip-3857-categories``, ``gpkg-layers`` (EPSG:3857), ``geojson-legacy-crs``
    (EPSG:3857, the legacy ``crs`` member), ``kmz-folders`` (one doc.kml with two folders, as
    Google Earth writes one), ``topojson-layers``.
    """
    import datetime as dt
    import json
    import warnings
    import zipfile

    import geopandas as gpd
    import pandas as pd
    import shapely

    from peacemap.layers.sources import registry

    folder = tmp_path_factory.mktemp("control-formats")
    snapshot = registry.fetch(registry.deepstate_source(dt.date.fromisoformat(CONTROL_DATE)))
    occupied = gpd.read_file(snapshot)[["geometry"]]
    occupied.insert(0, "category", ASSESSED)
    extra = gpd.GeoDataFrame(
        {"category": ["Claimed Russian control", "Russian advances"]}, geometry=[shapely.box(*CLAIMED_BOX), shapely.box(*ADVANCE_BOX)], crs=4326
    )
    areas = gpd.GeoDataFrame(pd.concat([occupied, extra], ignore_index=True), crs=4326)
    towns = gpd.GeoDataFrame({"name": ["Kramatorsk", "Sloviansk"]}, geometry=[shapely.Point(37.56, 48.74), shapely.Point(37.61, 48.85)], crs=4326)
    front = gpd.GeoDataFrame({"name": ["front"]}, geometry=[occupied.geometry.iloc[0].boundary], crs=4326)
    where = {"where": f"category = '{ASSESSED}'"}
    cases = {}

    def zipped(name, members):
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, source in members.items():
                archive.write(source, member) if isinstance(source, Path) else archive.writestr(member, source)
        return path

    def shapefile(frame, stem):
        frame.to_file(folder / f"{stem}.shp")
        return {suffix: folder / f"{stem}{suffix}" for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on field types and KML's fixed CRS
        occupied.to_file(folder / "occupied.kmz", driver="LIBKML", layer="occupied")
        cases["kmz"] = (folder / "occupied.kmz", {})
        parts = shapefile(occupied.to_crs(3857), "occupied-3857")
        cases["zip-3857"] = (zipped("occupied-3857.zip", {f"Control map {CONTROL_DATE}/occupied{s}": p for s, p in parts.items()}), {})
        shapefile(occupied, "occupied")
        cases["shp"] = (folder / "occupied.shp", {})
        occupied.to_file(folder / "occupied.fgb")
        cases["fgb"] = (folder / "occupied.fgb", {})
        (folder / "occupied.topojson").write_text(json.dumps(_topology({"occupied": occupied})))
        cases["topojson"] = (folder / "occupied.topojson", {})
        occupied.to_file(folder / "occupied.kml", driver="KML")
        cases["kml"] = (folder / "occupied.kml", {})

        members = {f"areas{s}": p for s, p in shapefile(areas.to_crs(3857), "areas").items()}
        members.update({f"towns{s}": p for s, p in shapefile(towns.to_crs(3857), "towns").items()})
        members["__MACOSX/._areas.shp"] = b"\x00\x05\x16\x07 macOS resource fork"
        members["README.txt"] = "Assessed control, claimed areas and recent advances."
        cases["zip-3857-categories"] = (zipped("analysts-3857.zip", members), {"layer": "areas", **where})
        for name, frame in (("areas", areas), ("towns", towns), ("front", front)):
            frame.to_crs(3857).to_file(folder / "layers.gpkg", layer=name)
        cases["gpkg-layers"] = (folder / "layers.gpkg", {"layer": "areas", **where})
        areas.to_crs(3857).to_file(folder / "legacy-crs.geojson")
        cases["geojson-legacy-crs"] = (folder / "legacy-crs.geojson", where)
        areas.to_file(folder / "doc.kml", driver="KML", layer="areas")
        towns.to_file(folder / "doc.kml", driver="KML", layer="towns", mode="a")
        cases["kmz-folders"] = (zipped("folders.kmz", {"doc.kml": folder / "doc.kml"}), {"layer": "areas", **where})
        (folder / "layers.topojson").write_text(json.dumps(_topology({"areas": areas, "towns": towns})))
        cases["topojson-layers"] = (folder / "layers.topojson", {"layer": "areas", **where})
    return cases


def _topology(objects):
    """A TopoJSON topology of ``objects`` (name -> GeoDataFrame in EPSG:4326): each polygon ring
    one arc, coordinates as they are (no quantization); points as points."""
    import shapely

    arcs: list = []
    topology = {"type": "Topology", "objects": {}, "arcs": arcs}

    def ring_arcs(polygon):
        indices = []
        for ring in [polygon.exterior, *polygon.interiors]:
            arcs.append([list(xy) for xy in ring.coords])
            indices.append([len(arcs) - 1])
        return indices

    for name, frame in objects.items():
        geometries = []
        for row in frame.to_dict("records"):
            geometry = row.pop("geometry")
            if geometry.geom_type == "Point":
                shape = {"type": "Point", "coordinates": [geometry.x, geometry.y]}
            else:
                shape = {"type": "MultiPolygon", "arcs": [ring_arcs(p) for p in shapely.get_parts(geometry)]}
            geometries.append({**shape, "properties": row})
        topology["objects"][name] = {"type": "GeometryCollection", "geometries": geometries}
    return topology


@pytest.fixture(scope="session")
def control_comparisons(regions, control_format_files):
    """DeepState's 2025-11-20 snapshot (A) compared with the same polygon read from the zipped
    shapefile in EPSG:3857 (B), the other way round, and with itself; the 28-point plan,
    areas only (no population model). Keys: ``ab``, ``ba``, ``aa``."""
    import datetime as dt

    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.report.control_compare import compare_controls
    from peacemap.layers.sources.control_file import read_control_file
    from peacemap.layers.sources.deepstate import deepstate_control

    deepstate = deepstate_control(dt.date.fromisoformat(CONTROL_DATE))
    path, options = control_format_files["zip-3857"]
    converted = read_control_file(path, as_of=dt.date.fromisoformat(CONTROL_DATE), **options)
    plan = load_plan("plan28")
    return {
        "ab": compare_controls(plan, deepstate, converted, None, regions=regions, date=CONTROL_DATE),
        "ba": compare_controls(plan, converted, deepstate, None, regions=regions, date=CONTROL_DATE),
        "aa": compare_controls(plan, deepstate, deepstate, None, regions=regions, date=CONTROL_DATE),
    }


@pytest.fixture(autouse=True, scope="session")
def _pinned_snapshots_only(tmp_path_factory):
    """The tests see the snapshots the release pins, not those `peacemap data update` may have
    taken into the user cache (an empty folder of recorded snapshots, in this process)."""
    from peacemap.layers.sources import registry

    empty = tmp_path_factory.mktemp("recorded-snapshots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "recorded_dir", lambda: empty)
        registry.reload()
        yield
    registry.reload()
