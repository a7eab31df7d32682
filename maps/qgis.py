"""QGIS layer styles for a plan's GeoPackage, from the one styling table (:mod:`peacemap.maps.style`):
QML and SLD in the ``layer_styles`` table, where QGIS itself keeps a GeoPackage's styles, so that
``layers.gpkg`` opens in QGIS with the maps' colours, hatching and legend labels: the zones by
status, with the land that changes hands hatched (given up) or outlined with a dashed line
(returned) by rules on their ``control`` and ``side_after``, as the maps mark them. A GeoPackage of
a plan's zones over time (``peacemap timeline --plan -o zones.gpkg``) gets the same zone rules
with temporal properties on its ``date`` field, for QGIS's temporal controller."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.plans.statuses import Rule, Side
from peacemap.layers.report.terms import status_text
from peacemap.maps.hromadas import OUTLINE as HROMADA_STYLE
from peacemap.maps.style import (
    CONTACT_FROZEN,
    CONTACT_OTHER,
    FROZEN_RULES,
    GIVEN_UP,
    OUTLINE,
    OVERLAY_STYLES,
    RETURNED,
    STATUS_STYLES,
    LineStyle,
    StatusStyle,
    overlay_label,
)

HROMADA_OUTLINE = str(HROMADA_STYLE["color"])
# QGIS's own table for styles stored in a GeoPackage (QgsOgrProviderUtils): the columns QGIS reads.
_LAYER_STYLES_TABLE = """
CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
  f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
  styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
  update_time DATETIME DEFAULT CURRENT_TIMESTAMP)
"""
MM_PER_PX = 0.26  # QGIS's default line width unit is mm; the maps' widths are CSS pixels


def _rgba(hex_colour: str, opacity: float = 1.0) -> str:
    """``#b2182b`` → ``178,24,43,255`` (QGIS's colour form)."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{round(255 * opacity)}"


def _options(**values: str) -> str:
    items = "".join(f'<Option name={quoteattr(k)} type="QString" value={quoteattr(v)}/>' for k, v in values.items())
    return f'<Option type="Map">{items}</Option>'


def _fill_symbol(name: str, style: StatusStyle) -> str:
    layers = [
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _options(
            color=_rgba(style.fill, style.fill_opacity),
            outline_color=_rgba(OUTLINE.colour),
            outline_width=f"{OUTLINE.width * MM_PER_PX:.2f}",
            outline_style="solid",
            style="solid",
        )
        + "</layer>"
    ]
    if style.hatch:
        line = (
            f'<symbol type="line" name="@{name}@1" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleLine" enabled="1" locked="0" pass="0">'
            + _options(line_color=_rgba(style.hatch_colour), line_width="0.5", line_style="solid")
            + "</layer></symbol>"
        )
        layers.append(
            '<layer class="LinePatternFill" enabled="1" locked="0" pass="0">' + _options(angle="45", distance="2", distance_unit="MM") + line + "</layer>"
        )
    return f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{"".join(layers)}</symbol>'


def _line_symbol(name: str, style: LineStyle) -> str:
    dash = {"use_custom_dash": "1", "customdash": ";".join(style.dash.split()), "customdash_unit": "Pixel"} if style.dash else {}
    return (
        f'<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        '<layer class="SimpleLine" enabled="1" locked="0" pass="0">'
        + _options(line_color=_rgba(style.colour), line_width=f"{style.width * MM_PER_PX:.2f}", line_style="solid", **dash)
        + "</layer></symbol>"
    )


def _qml(renderer: str) -> str:
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.34\" styleCategories=\"Symbology\">{renderer}</qgis>\n"


def _categorized(attribute: str, categories: list[tuple[str, str, str]]) -> str:
    """A categorized renderer on ``attribute``: (value, label, symbol XML named by its index)."""
    rows = "".join(
        f'<category render="true" value={quoteattr(value)} symbol="{i}" label={quoteattr(label)}/>' for i, (value, label, _) in enumerate(categories)
    )
    symbols = "".join(symbol for _, _, symbol in categories)
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attribute)} symbollevels="0" enableorderby="0" forceraster="0">'
        f"<categories>{rows}</categories><symbols>{symbols}</symbols></renderer-v2>"
    )


# Land that changes hands, as changes_hands (maps/prepare.py) finds it, written as QGIS and OGC
# filters on the zones' own columns: held by Ukraine and on the Russian side after the plan
# (given up: hatched), occupied and on the Ukrainian side after it (returned: dashed outline).
CHANGE_FILTERS = {
    GIVEN_UP: (("control", HELD), ("side_after", Side.RUSSIAN)),
    RETURNED: (("control", OCCUPIED), ("side_after", Side.UKRAINIAN)),
}


def _qgis_filter(conditions: tuple[tuple[str, str], ...]) -> str:
    return " AND ".join(f"\"{field}\" = '{value}'" for field, value in conditions)


def _given_up_symbol(name: str) -> str:
    """The maps' hatch of land given up: dark diagonal lines on white ones, and a dark outline."""
    overlay = OVERLAY_STYLES[GIVEN_UP]
    layers = [
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _options(
            color="0,0,0,0", style="no", outline_color=_rgba(overlay.colour), outline_width=f"{overlay.outline_width * MM_PER_PX:.2f}", outline_style="solid"
        )
        + "</layer>",
    ]
    for index, (colour, width_mm) in enumerate(((overlay.casing, 1.1), (overlay.colour, 0.45))):
        line = (
            f'<symbol type="line" name="@{name}@{index + 1}" alpha="1" clip_to_extent="1" force_rhr="0">'
            '<layer class="SimpleLine" enabled="1" locked="0" pass="0">'
            + _options(line_color=_rgba(colour), line_width=f"{width_mm}", line_style="solid")
            + "</layer></symbol>"
        )
        layers.append(
            '<layer class="LinePatternFill" enabled="1" locked="0" pass="0">'
            + _options(angle="45", distance="2.4", distance_unit="MM", line_width=f"{width_mm}")
            + line
            + "</layer>"
        )
    return f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{"".join(layers)}</symbol>'


def _returned_symbol(name: str) -> str:
    """The maps' mark of land returned: a dashed outline on a white casing, no fill."""
    overlay = OVERLAY_STYLES[RETURNED]
    dash = ";".join((overlay.outline_dash or "5 3").split())
    layers = [
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _options(
            color="0,0,0,0",
            style="no",
            outline_color=_rgba(overlay.casing),
            outline_width=f"{(overlay.outline_width + 1.6) * MM_PER_PX:.2f}",
            outline_style="solid",
        )
        + "</layer>",
        '<layer class="SimpleLine" enabled="1" locked="0" pass="0">'
        + _options(
            line_color=_rgba(overlay.colour),
            line_width=f"{overlay.outline_width * MM_PER_PX:.2f}",
            line_style="solid",
            use_custom_dash="1",
            customdash=dash,
            customdash_unit="Pixel",
        )
        + "</layer>",
    ]
    return f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{"".join(layers)}</symbol>'


def zones_qml(day: dt.date | None = None) -> str:
    """QML of the ``zones`` layer, as the maps draw it: one fill per status (hatched where a status
    hatches), then, over it, land given up hatched and land returned outlined with a dashed line
    (rules on ``control`` and ``side_after``, labelled with the map's date ``day``)."""
    return _qml(_zones_renderer(overlay_label(GIVEN_UP, day), overlay_label(RETURNED, day)))


def _zones_renderer(given_up_label: str, returned_label: str) -> str:
    """The zones' rule renderer (:func:`zones_qml`), its two overlays labelled as given."""
    rules, symbols = [], []
    for index, (status, style) in enumerate(STATUS_STYLES.items()):
        rules.append(
            f'<rule key="status-{status}" filter={quoteattr(_qgis_filter((("status", status),)))} symbol="{index}" label={quoteattr(status_text(status))}/>'
        )
        symbols.append(_fill_symbol(str(index), style))
    for kind, symbol, label in ((GIVEN_UP, _given_up_symbol, given_up_label), (RETURNED, _returned_symbol, returned_label)):
        index = len(symbols)
        rules.append(f'<rule key="change-{kind}" filter={quoteattr(_qgis_filter(CHANGE_FILTERS[kind]))} symbol="{index}" label={quoteattr(label)}/>')
        symbols.append(symbol(str(index)))
    return (
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
        f'<rules key="root">{"".join(rules)}</rules><symbols>{"".join(symbols)}</symbols></renderer-v2>'
    )


def hromadas_qml() -> str:
    """QML of the ``hromadas`` layer: thin grey outlines, no fill, as on the HTML map."""
    symbol = (
        '<symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _options(color="0,0,0,0", style="no", outline_color=_rgba(HROMADA_OUTLINE), outline_width=f"{0.7 * MM_PER_PX:.2f}")
        + "</layer></symbol>"
    )
    return _qml(f'<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>{symbol}</symbols></renderer-v2>')


# The date words of the overlays' labels on a layer of zones over time: each row is of its own day.
ON_THE_DAY_SHOWN = N_("on the day shown")
# How long a row of zones over time is shown from its date: a day less one second. QGIS hands the
# temporal filter ("date" > frame start - duration) to the GeoPackage provider, which compares the
# stored text ('2025-11-19T00:00:00Z') with the literal ('2025-11-19T00:00:00') as text, so that
# with a whole day the day before shows too; one second less leaves it out (tests/test_qgis.py).
SHOWN_FOR_SECONDS = 86_399


def temporal_zones_qml(date_field: str = "date") -> str:
    """QML of a ``zones`` layer with one row per zone and day: the zones' rules (:func:`zones_qml`,
    the overlays labelled for the day shown), and temporal properties that show each row on the
    day in ``date_field`` (a date at 00:00 UTC) only (:data:`SHOWN_FOR_SECONDS` from it), so that QGIS's temporal controller steps
    through the days (a day without a snapshot shows none)."""
    temporal = (
        f'<temporal enabled="1" mode="1" limitMode="0" startField={quoteattr(date_field)} endField="" '
        f'startExpression="" endExpression="" durationField="" durationUnit="s" fixedDuration="{SHOWN_FOR_SECONDS}" accumulate="0">'
        "<fixedRange><start></start><end></end></fixedRange></temporal>"
    )
    renderer = _zones_renderer(*(overlay_label(kind, None, on=gettext(ON_THE_DAY_SHOWN)) for kind in (GIVEN_UP, RETURNED)))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f'<qgis version="3.34" styleCategories="Symbology|Temporal">{temporal}{renderer}</qgis>\n'
    )


def contact_line_qml() -> str:
    """QML of the ``contact_line`` layer: bold where the plan freezes the line, thin and dashed elsewhere."""
    rules: list[tuple[str, str, str]] = [(rule, gettext(CONTACT_FROZEN.label), _line_symbol(str(i), CONTACT_FROZEN)) for i, rule in enumerate(FROZEN_RULES)]
    others = [rule for rule in Rule if rule not in FROZEN_RULES]
    rules += [(rule, gettext(CONTACT_OTHER.label), _line_symbol(str(len(rules) + i), CONTACT_OTHER)) for i, rule in enumerate(others)]
    return _qml(_categorized("rule", rules))


def regions_qml() -> str:
    """QML of the ``regions`` layer: outlines only."""
    symbol = (
        '<symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _options(color="0,0,0,0", style="no", outline_color=_rgba(OUTLINE.colour), outline_width=f"{OUTLINE.width * MM_PER_PX:.2f}")
        + "</layer></symbol>"
    )
    return _qml(f'<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>{symbol}</symbols></renderer-v2>')


def _sld(layer: str, rules: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:se="http://www.opengis.net/se" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<NamedLayer><se:Name>{escape(layer)}</se:Name><UserStyle><se:Name>{escape(layer)}</se:Name>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>\n"
    )


def _sld_rule(label: str, attribute: str | None, value: str | None, symbolizer: str) -> str:
    where = (
        (
            f"<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>{escape(attribute)}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(value)}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
        )
        if attribute and value
        else ""
    )
    return f"<se:Rule><se:Name>{escape(label)}</se:Name>{where}{symbolizer}</se:Rule>"


def _sld_fill(style: StatusStyle) -> str:
    return (
        f'<se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">{style.fill}</se:SvgParameter>'
        f'<se:SvgParameter name="fill-opacity">{style.fill_opacity}</se:SvgParameter></se:Fill>'
        f'<se:Stroke><se:SvgParameter name="stroke">{OUTLINE.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{OUTLINE.width}</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    )


def _sld_line(style: LineStyle) -> str:
    dash = f'<se:SvgParameter name="stroke-dasharray">{style.dash}</se:SvgParameter>' if style.dash else ""
    return (
        f'<se:LineSymbolizer><se:Stroke><se:SvgParameter name="stroke">{style.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{style.width}</se:SvgParameter>{dash}</se:Stroke></se:LineSymbolizer>'
    )


def _sld_filter(conditions: tuple[tuple[str, str], ...]) -> str:
    tests = "".join(
        f"<ogc:PropertyIsEqualTo><ogc:PropertyName>{escape(field)}</ogc:PropertyName><ogc:Literal>{escape(value)}</ogc:Literal></ogc:PropertyIsEqualTo>"
        for field, value in conditions
    )
    return f"<ogc:Filter>{'<ogc:And>' + tests + '</ogc:And>' if len(conditions) > 1 else tests}</ogc:Filter>"


def _sld_given_up() -> str:
    overlay = OVERLAY_STYLES[GIVEN_UP]
    hatch = (
        f"<se:Fill><se:GraphicFill><se:Graphic><se:Mark><se:WellKnownName>horline</se:WellKnownName>"
        f'<se:Stroke><se:SvgParameter name="stroke">{overlay.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">1.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>9</se:Size>'
        f"<se:Rotation><ogc:Literal>45</ogc:Literal></se:Rotation></se:Graphic></se:GraphicFill></se:Fill>"
    )
    return (
        f'<se:PolygonSymbolizer>{hatch}<se:Stroke><se:SvgParameter name="stroke">{overlay.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{overlay.outline_width}</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    )


def _sld_returned() -> str:
    overlay = OVERLAY_STYLES[RETURNED]
    return (
        f'<se:PolygonSymbolizer><se:Stroke><se:SvgParameter name="stroke">{overlay.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{overlay.outline_width}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-dasharray">{overlay.outline_dash or ""}</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    )


def zones_sld(day: dt.date | None = None, *, on: str | None = None) -> str:
    """SLD 1.1 of the ``zones`` layer: one rule per status, then land given up (hatched) and land
    returned (dashed outline), as :func:`zones_qml`; labelled with ``day``, or with ``on`` as the
    words for the date (:func:`peacemap.maps.style.overlay_label`)."""
    rules = [_sld_rule(status_text(status), "status", status, _sld_fill(style)) for status, style in STATUS_STYLES.items()]
    for kind, symbolizer in ((GIVEN_UP, _sld_given_up), (RETURNED, _sld_returned)):
        rules.append(f"<se:Rule><se:Name>{escape(overlay_label(kind, day, on=on))}</se:Name>{_sld_filter(CHANGE_FILTERS[kind])}{symbolizer()}</se:Rule>")
    return _sld("zones", rules)


def hromadas_sld() -> str:
    """SLD 1.1 of the ``hromadas`` layer (outlines)."""
    symbolizer = (
        f'<se:PolygonSymbolizer><se:Stroke><se:SvgParameter name="stroke">{HROMADA_OUTLINE}</se:SvgParameter>'
        '<se:SvgParameter name="stroke-width">0.7</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    )
    return _sld("hromadas", [_sld_rule(gettext("Hromada (territorial community)"), None, None, symbolizer)])


def contact_line_sld() -> str:
    """SLD 1.1 of the ``contact_line`` layer."""
    rules = [_sld_rule(gettext(CONTACT_FROZEN.label), "rule", rule, _sld_line(CONTACT_FROZEN)) for rule in FROZEN_RULES]
    rules += [_sld_rule(gettext(CONTACT_OTHER.label), "rule", rule, _sld_line(CONTACT_OTHER)) for rule in Rule if rule not in FROZEN_RULES]
    return _sld("contact_line", rules)


def regions_sld() -> str:
    """SLD 1.1 of the ``regions`` layer (outlines)."""
    symbolizer = (
        f'<se:PolygonSymbolizer><se:Stroke><se:SvgParameter name="stroke">{OUTLINE.colour}</se:SvgParameter>'
        f'<se:SvgParameter name="stroke-width">{OUTLINE.width}</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
    )
    return _sld("regions", [_sld_rule(gettext(OUTLINE.label), None, None, symbolizer)])


def layer_styles(day: dt.date | None) -> dict[str, tuple[str, str]]:
    """Layer name -> (QML, SLD) of every layer a plan's GeoPackage holds; ``day`` is the map's date
    (the legend of the zones names it)."""
    return {
        "zones": (zones_qml(day), zones_sld(day)),
        "contact_line": (contact_line_qml(), contact_line_sld()),
        "regions": (regions_qml(), regions_sld()),
        "hromadas": (hromadas_qml(), hromadas_sld()),
    }


def zones_over_time_styles() -> dict[str, tuple[str, str]]:
    """Layer name -> (QML, SLD) of a GeoPackage of a plan's zones over time (``peacemap timeline
    --plan -o zones.gpkg``): the zones' rules with QGIS's temporal properties on ``date``."""
    return {"zones": (temporal_zones_qml(), zones_sld(on=gettext(ON_THE_DAY_SHOWN)))}


def add_layer_styles(gpkg: Path, *, update_time: str, day: dt.date | None = None, styles: Mapping[str, tuple[str, str]] | None = None) -> None:
    """Store the default QGIS style of each of the plan's layers in ``gpkg``'s ``layer_styles`` table.

    ``update_time`` (ISO 8601, UTC) is written as the styles' time, so that the same inputs give
    the same file (QGIS would write the current time); ``day`` is the date of the map of control.
    ``styles`` maps a layer to its (QML, SLD) (default: :func:`layer_styles` of ``day``); layers
    the file does not hold are skipped.
    """
    with sqlite3.connect(gpkg) as db:
        db.execute(_LAYER_STYLES_TABLE)
        db.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, last_change) VALUES (?, ?, ?, ?)",
            ("layer_styles", "attributes", "layer_styles", update_time),
        )
        for layer, (qml, sld) in (layer_styles(day) if styles is None else styles).items():
            geometry = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
            if geometry is None:
                continue
            db.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer,))
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                ("", "", layer, geometry[0], layer, qml, sld, "peacemap: the maps' styles (maps/style.py)", "", "", update_time),
            )
    db.close()
