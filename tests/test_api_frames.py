"""The Python API's frames (issue 25, item 8): one date type in every frame, population as
nullable Int64 everywhere, and each plan's text date.

Reference facts: Russia's demand was stated in President Putin's speech of 2024-06-14 (the plan
file's source); DeepState has no snapshot on 2025-11-26 (a gap in the data mirror's daily
series); AR Crimea and Sevastopol have no figure in the official 2022 table.
"""

import datetime as dt

import peacemap

PEOPLE = ["population_2022", "population_2022_low", "population_2022_high"]


def test_plans_give_each_plans_text_date_and_say_when_there_is_none():
    # Before: russia-max was given 2024-07-08, the date its line is drawn on, not its text's.
    plans = peacemap.plans().set_index("id")
    assert plans.at["russia-max", "text_date"] == dt.date(2024, 6, 14)
    assert plans.at["russia-max", "date"] == dt.date(2024, 7, 8)
    assert plans.at["plan28", "text_date"] == dt.date(2025, 11, 20)
    assert plans.at["plan28", "has_text"]
    assert plans.at["freeze", "text_date"] is None
    assert not plans.at["freeze", "has_text"]


def test_the_timelines_give_dates_as_dates():
    # Before: timeline() gave datetime.date, plan_timeline() ISO strings.
    occupied = peacemap.timeline("2025-11-25", "2025-11-27", ["UA-14"])
    plan = peacemap.plan_timeline("plan28", "2025-11-25", "2025-11-27")
    for frame in (occupied, plan):
        assert {type(day) for day in frame["date"]} == {dt.date}
    assert set(plan["date"]) == {dt.date(2025, 11, 25), dt.date(2025, 11, 26), dt.date(2025, 11, 27)}


def test_population_is_nullable_int64_in_every_frame():
    # Before: int64 in plan_timeline(), float64 once a gap day was in range, Float64 in to_frame().
    with_gap = peacemap.plan_timeline("plan28", "2025-11-25", "2025-11-27")
    without_gap = peacemap.plan_timeline("plan28", "2025-11-27", "2025-11-27")
    frame = peacemap.report("plan28", "2025-11-20").to_frame()
    for table in (with_gap, without_gap, frame):
        assert all(str(table[column].dtype) == "Int64" for column in PEOPLE), table.dtypes
    gap = with_gap[with_gap["date"] == dt.date(2025, 11, 26)]
    assert (gap["status"] == "gap").all()
    assert gap["population_2022"].isna().all()
    crimea = frame[frame["region"] == "UA-43"]
    assert crimea["population_2022"].isna().all()
    donetsk = frame[(frame["region"] == "UA-14")]
    assert int(donetsk["population_2022"].sum()) == 4_059_372  # official total, table 1
