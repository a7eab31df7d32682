"""The legend of an HTML map drawn from :func:`peacemap.maps.legend.legend_entries`: an SVG swatch
per entry (hatches as SVG patterns, which also fill the map's hatched paths) in the legend box of
:mod:`peacemap.maps.layout`."""

from __future__ import annotations

from peacemap.maps.escape import esc
from peacemap.maps.html.layers import map_day
from peacemap.maps.layout import legend_box
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import (
    GIVEN_UP,
    OUTLINE,
    OVERLAY_STYLES,
    PLACE_COLOUR,
    STATUS_STYLES,
    contact_legend,
    overlay_label,
)


def legend_html(map_layers: MapLayers, map_name: str, *, on: str | None = None, caveat: str | None = None) -> str:
    """The legend of what ``map_layers`` show: statuses, land changing hands (labelled with the
    map's date, or with ``on``: "on the frame's date"), lines of contact, places; and ``caveat``
    (the readings' line, on a map without a fact box) in its note."""
    present = set(map_layers.zones["status"])
    patterns, rows = [], []
    for status, style in STATUS_STYLES.items():
        if status not in present:
            continue
        fill = style.fill
        if style.hatch:
            pattern_id = f"{map_name}-hatch-{status}"
            patterns.append(_hatch_pattern(pattern_id, style.fill, style.hatch_colour))
            patterns.append(f"<style>#{map_name} path.peacemap-status-{status} {{ fill: url(#{pattern_id}); }}</style>")
            fill = f"url(#{pattern_id})"
        swatch = f'<svg width="22" height="14"><rect width="22" height="14" fill="{fill}" stroke="{OUTLINE.colour}" stroke-width="1"/></svg>'
        rows.append(f"{swatch} {esc(style.label)}")
    for kind in map_layers.changes["kind"]:
        overlay = OVERLAY_STYLES[kind]
        if kind == GIVEN_UP:
            pattern_id = f"{map_name}-change-{kind}"
            patterns.append(_cased_hatch_pattern(pattern_id, overlay.colour, overlay.casing))
            patterns.append(f"<style>#{map_name} path.peacemap-change-{kind} {{ fill: url(#{pattern_id}); }}</style>")
            swatch = (f'<svg width="22" height="14"><rect width="22" height="14" fill="#d9d9d9"/><rect width="22" height="14" fill="url(#{pattern_id})" '
                      f'stroke="{overlay.colour}" stroke-width="2"/></svg>')
        else:
            swatch = (f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" fill="none" stroke="{overlay.colour}" '
                      f'stroke-width="{overlay.outline_width}" stroke-dasharray="{overlay.outline_dash or ""}"/></svg>')
        rows.append(f"{swatch} {esc(overlay_label(kind, map_day(map_layers), on=on))}")
    for line in contact_legend(map_layers.contact_line["rule"]):
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        swatch = f'<svg width="22" height="14"><line x1="0" y1="7" x2="22" y2="7" stroke="{line.colour}" stroke-width="{line.width}"{dash}/></svg>'
        rows.append(f"{swatch} {esc(line.label)}")
    dot = f'<svg width="22" height="14"><circle cx="11" cy="7" r="4" fill="{PLACE_COLOUR}" stroke="#fff"/></svg>'
    rows.append(f"{dot} City, town or site (largest towns of the land changing hands first)")
    pattern_defs = "".join(p for p in patterns if p.startswith("<pattern"))
    defs = f'<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>{pattern_defs}</defs></svg>'
    styles = "".join(p for p in patterns if p.startswith("<style"))
    note = (f"{esc(caveat)} " if caveat else "") + "Sources: bottom right."
    return defs + styles + legend_box("Under the plan", rows, note=note)


def _cased_hatch_pattern(pattern_id: str, colour: str, casing: str) -> str:
    """Diagonal lines in ``colour`` on wider lines of ``casing``, over a transparent background."""
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="9" stroke="{casing}" stroke-width="4.5"/>'
        f'<line x1="0" y1="0" x2="0" y2="9" stroke="{colour}" stroke-width="1.8"/></pattern>'
    )


def _hatch_pattern(pattern_id: str, background: str, colour: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{background}"/><line x1="0" y1="0" x2="0" y2="8" stroke="{colour}" stroke-width="3"/></pattern>'
    )
