"""The legend of an HTML map drawn from :func:`peacemap.maps.legend.legend_entries`: an SVG swatch
per entry (hatches as SVG patterns, which also fill the map's hatched paths) in the legend box of
:mod:`peacemap.maps.layout`."""

from __future__ import annotations

from collections.abc import Iterable

from peacemap.layers.i18n.catalogue import gettext
from peacemap.maps.escape import esc
from peacemap.maps.layout import legend_box
from peacemap.maps.legend import LEGEND_TITLE, LegendEntry


def legend_html(entries: Iterable[LegendEntry], map_name: str, *, caveat: str | None = None) -> str:
    """The legend box of ``entries`` (:func:`peacemap.maps.legend.legend_entries`) on the map named
    ``map_name``, and ``caveat`` (the readings' line, on a map without a fact box) in its note. A
    hatched entry's SVG pattern also fills the map's paths of its status or change."""
    patterns, rows = [], []
    for entry in entries:
        if entry.kind == "status":
            fill = entry.fill
            if entry.hatch:
                pattern_id = f"{map_name}-hatch-{entry.key}"
                patterns.append(_hatch_pattern(pattern_id, entry.fill, entry.hatch_colour))
                patterns.append(f"<style>#{map_name} path.peacemap-status-{entry.key} {{ fill: url(#{pattern_id}); }}</style>")
                fill = f"url(#{pattern_id})"
            swatch = f'<svg width="22" height="14"><rect width="22" height="14" fill="{fill}" stroke="{entry.edge}" stroke-width="1"/></svg>'
        elif entry.kind == "change" and entry.hatch:
            pattern_id = f"{map_name}-change-{entry.key}"
            patterns.append(_cased_hatch_pattern(pattern_id, entry.hatch_colour, entry.casing))
            patterns.append(f"<style>#{map_name} path.peacemap-change-{entry.key} {{ fill: url(#{pattern_id}); }}</style>")
            swatch = (
                f'<svg width="22" height="14"><rect width="22" height="14" fill="{entry.fill}"/><rect width="22" height="14" '
                f'fill="url(#{pattern_id})" stroke="{entry.edge}" stroke-width="2"/></svg>'
            )
        elif entry.kind == "change":
            swatch = (
                f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" fill="none" stroke="{entry.edge}" '
                f'stroke-width="{entry.width}" stroke-dasharray="{entry.dash or ""}"/></svg>'
            )
        elif entry.kind == "line":
            dash = f' stroke-dasharray="{entry.dash}"' if entry.dash else ""
            swatch = f'<svg width="22" height="14"><line x1="0" y1="7" x2="22" y2="7" stroke="{entry.edge}" stroke-width="{entry.width}"{dash}/></svg>'
        else:
            swatch = f'<svg width="22" height="14"><circle cx="11" cy="7" r="4" fill="{entry.fill}" stroke="{entry.edge}"/></svg>'
        rows.append(f"{swatch} {esc(entry.full_label)}")
    pattern_defs = "".join(p for p in patterns if p.startswith("<pattern"))
    defs = f'<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>{pattern_defs}</defs></svg>'
    styles = "".join(p for p in patterns if p.startswith("<style"))
    note = (f"{esc(caveat)} " if caveat else "") + esc(gettext("Sources: bottom right."))
    return defs + styles + legend_box(esc(gettext(LEGEND_TITLE)), rows, note=note)


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
