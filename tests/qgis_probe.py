"""Open a peacemap GeoPackage in QGIS itself, headless, and report what QGIS sees (JSON on stdout).

Run by tests/test_qgis.py under the system's Python, where Debian's ``python3-qgis`` lives (not
the project's virtual environment), with ``QT_QPA_PLATFORM=offscreen``:

    python3 tests/qgis_probe.py layers.gpkg rendered.png
    python3 tests/qgis_probe.py --temporal zones.gpkg 2025-11-20

For each layer: whether it is valid, whether its default style (from the GeoPackage's
``layer_styles`` table) loads, and its renderer's type; for the zones, each rule's filter, its
symbol's colour and the classes of its symbol layers. Then the layers are rendered, with their
styles, to ``rendered.png`` (900 x 700 px, over the zones' extent). With ``--temporal``, for the
``zones`` of a GeoPackage of zones over time: whether its style and temporal properties load, and
the dates of the features QGIS draws when the temporal controller shows the given day (the
layer's temporal filter, run by the data provider as a rendering job runs it). Imports only QGIS
and the standard library.
"""

from __future__ import annotations

import json
import sys

LAYERS = ("zones", "contact_line", "regions", "hromadas")


def probe(gpkg: str, png: str) -> dict:
    """What QGIS (already started) makes of ``gpkg``; renders it to ``png``."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    report: dict = {"layers": {}}
    layers = {}
    for name in LAYERS:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        message, loaded = layer.loadDefaultStyle()
        entry = {
            "valid": layer.isValid(),
            "style_loaded": bool(loaded),
            "message": message,
            "renderer": layer.renderer().type() if layer.renderer() else None,
            "features": layer.featureCount(),
        }
        if name == "zones" and entry["renderer"] == "RuleRenderer":
            entry["rules"] = [
                {
                    "filter": rule.filterExpression(),
                    "label": rule.label(),
                    "colour": rule.symbol().color().name(),
                    "layers": [symbol_layer.layerType() for symbol_layer in rule.symbol().symbolLayers()],
                }
                for rule in layer.renderer().rootRule().children()
            ]
        report["layers"][name] = entry
        layers[name] = layer
    settings = QgsMapSettings()
    settings.setLayers([layers["contact_line"], layers["regions"], layers["zones"]])  # top first
    settings.setDestinationCrs(layers["zones"].crs())
    settings.setExtent(layers["zones"].extent())
    settings.setOutputSize(QSize(900, 700))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    report["rendered"] = bool(job.renderedImage().save(png, "PNG"))
    return report


def probe_temporal(gpkg: str, day: str) -> dict:
    """What QGIS shows of the ``zones`` of ``gpkg`` on ``day`` (YYYY-MM-DD): the controller's frame
    of one day, [day 00:00, next day 00:00)."""
    from qgis.core import QgsDateTimeRange, QgsFeatureRequest, QgsVectorLayer, QgsVectorLayerTemporalContext
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    layer = QgsVectorLayer(f"{gpkg}|layername=zones", "zones", "ogr")
    message, loaded = layer.loadDefaultStyle()
    temporal = layer.temporalProperties()
    start = QDateTime(QDate.fromString(day, "yyyy-MM-dd"), QTime(0, 0))
    frame = QgsDateTimeRange(start, start.addDays(1), True, False)
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    shown = temporal.createFilterString(context, frame)
    request = QgsFeatureRequest().setFilterExpression(shown)
    dates = sorted({feature["date"].toString("yyyy-MM-dd") for feature in layer.getFeatures(request)})
    return {
        "valid": layer.isValid(),
        "style_loaded": bool(loaded),
        "message": message,
        "temporal": temporal.isActive(),
        "renderer": layer.renderer().type() if layer.renderer() else None,
        "filter": shown,
        "dates_shown": dates,
    }


def main() -> None:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    # probe's layers are gone before QGIS exits
    report = probe_temporal(sys.argv[2], sys.argv[3]) if sys.argv[1] == "--temporal" else probe(sys.argv[1], sys.argv[2])
    print(json.dumps(report), flush=True)
    app.exitQgis()


if __name__ == "__main__":
    main()
