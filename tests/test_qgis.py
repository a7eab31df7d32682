"""layers.gpkg in QGIS itself (issue 26, "In real QGIS"): QGIS, headless, opens every layer of
the 28-point plan's GeoPackage of 2025-11-20, loads its default style from the file, finds the
zones in the maps' colours with the land changing hands hatched, and renders a map that is not
blank.

QGIS is Debian's ``python3-qgis`` (``apt-get install -y python3-qgis``; ``.ci/run`` installs it),
which runs under the system's ``/usr/bin/python3``, not the project's virtual environment: the
test runs tests/qgis_probe.py there, with ``QT_QPA_PLATFORM=offscreen``. Without it the test is
skipped, except under CI (CI=true), where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

SYSTEM_PYTHON = os.environ.get("PEACEMAP_QGIS_PYTHON", "/usr/bin/python3")
PROBE = Path(__file__).with_name("qgis_probe.py")
QGIS_TIMEOUT_S = 300


def _require_qgis() -> None:
    try:
        found = (
            subprocess.run(
                [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        found = False
    if not found:
        problem = f"QGIS's Python bindings are not importable by {SYSTEM_PYTHON}: install them with 'apt-get install -y python3-qgis'"
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def qgis_view(plan28_layers, tmp_path_factory):
    """What QGIS reports about layers.gpkg, and the PNG it rendered."""
    _require_qgis()
    from peacemap import pipeline

    folder = tmp_path_factory.mktemp("qgis")
    gpkg = pipeline.write_layers(plan28_layers, folder / "layers.gpkg")
    png = folder / "rendered.png"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(folder)}
    process = subprocess.run(
        [SYSTEM_PYTHON, str(PROBE), str(gpkg), str(png)], capture_output=True, text=True, timeout=QGIS_TIMEOUT_S, env=environment, cwd=folder
    )
    assert process.returncode == 0, process.stderr[-2000:]
    report = json.loads(process.stdout.strip().splitlines()[-1])
    report["png"] = png
    return report


@pytest.mark.parametrize("layer", ["zones", "contact_line", "regions", "hromadas"])
def test_every_layer_opens_with_its_default_style(qgis_view, layer):
    entry = qgis_view["layers"][layer]
    assert entry["valid"]
    assert entry["features"] > 0
    assert entry["style_loaded"], entry["message"]
    expected = {"zones": "RuleRenderer", "contact_line": "categorizedSymbol", "regions": "singleSymbol", "hromadas": "singleSymbol"}
    assert entry["renderer"] == expected[layer]


def test_zone_classes_carry_the_maps_colours(qgis_view):
    from peacemap.maps.style import STATUS_STYLES

    rules = {rule["filter"]: rule for rule in qgis_view["layers"]["zones"]["rules"]}
    for status, style in STATUS_STYLES.items():
        rule = rules[f"\"status\" = '{status}'"]
        assert rule["colour"] == style.fill.lower(), status
        assert rule["label"] == style.label, status


def test_land_changing_hands_is_hatched(qgis_view):
    rules = {rule["filter"]: rule for rule in qgis_view["layers"]["zones"]["rules"]}
    given_up = rules["\"control\" = 'held' AND \"side_after\" = 'russian'"]
    assert given_up["layers"].count("LinePatternFill") == 2  # dark lines on white ones, as on the maps
    assert given_up["label"] == "Held by Ukraine on 20 Nov 2025, Russian side under the plan"
    returned = rules["\"control\" = 'occupied' AND \"side_after\" = 'ukrainian'"]
    assert "SimpleLine" in returned["layers"]


def test_qgis_renders_the_layers(qgis_view):
    assert qgis_view["rendered"]
    image = mpimg.imread(qgis_view["png"], format="png")[:, :, :3]
    colours = {tuple(c) for c in (image.reshape(-1, 3) * 255).astype(np.uint8)}
    assert image.shape[:2] == (700, 900)
    assert image.std() > 0.05
    assert len(colours) > 50  # not blank: fills, hatching, lines
    from colour_checks import blend

    from peacemap.maps.style import STATUS_STYLES

    style = STATUS_STYLES["dmz"]
    dmz = blend(style.fill, "#ffffff", style.fill_opacity)  # drawn at its opacity over the white background
    shown = (image * 255).astype(int)
    near = (np.abs(shown - np.array([int(dmz[i : i + 2], 16) for i in (1, 3, 5)])) <= 8).all(axis=2).mean()
    assert near > 0.0005  # the demilitarised zone's violet shows between the hatch lines


def test_the_temporal_controller_shows_one_day_of_zones_over_time(tmp_path):
    """Issue 31: ``timeline --plan -o zones.gpkg`` opens in QGIS's temporal controller, each row
    shown on its own day. QGIS hands the layer's temporal filter to the GeoPackage provider, which
    compared the stored text '2025-11-19T00:00:00Z' with '2025-11-19T00:00:00' as text: a
    duration of exactly one day showed the day before too, every zone drawn twice."""
    _require_qgis()
    from peacemap import pipeline

    gpkg = pipeline.write_plan_zones(pipeline.plan_zones("plan28", "2025-11-19", "2025-11-20", workers=1), tmp_path / "zones.gpkg")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    process = subprocess.run(
        [SYSTEM_PYTHON, str(PROBE), "--temporal", str(gpkg), "2025-11-20"],
        capture_output=True,
        text=True,
        timeout=QGIS_TIMEOUT_S,
        env=environment,
        cwd=tmp_path,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    seen = json.loads(process.stdout.strip().splitlines()[-1])
    assert seen["valid"], seen
    assert seen["style_loaded"], seen
    assert seen["temporal"], seen
    assert seen["renderer"] == "RuleRenderer", seen
    assert seen["dates_shown"] == ["2025-11-20"], seen["filter"]
