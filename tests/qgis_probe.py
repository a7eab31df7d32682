"""Open a peacemap GeoPackage in QGIS itself, headless, and report what QGIS sees (JSON on stdout).

Run by tests/test_qgis.py under the system's Python, where Debian's ``python3-qgis`` lives (not
the project's virtual environment), with ``QT_QPA_PLATFORM=offscreen``:

    python3 tests/qgis_probe.py layers.gpkg rendered.png

For each layer: whether it is valid, whether its default style (from the GeoPackage's
``layer_styles`` table) loads, and its renderer's type; for the zones, each rule's filter, its
symbol's colour and the classes of its symbol layers. Then the layers are rendered, with their
styles, to ``rendered.png`` (900 x 700 px, over the zones' extent). Imports only QGIS and the
standard library.
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
        entry = {"valid": layer.isValid(), "style_loaded": bool(loaded), "message": message,
                 "renderer": layer.renderer().type() if layer.renderer() else None, "features": layer.featureCount()}
        if name == "zones" and entry["renderer"] == "RuleRenderer":
            entry["rules"] = [{"filter": rule.filterExpression(), "label": rule.label(), "colour": rule.symbol().color().name(),
                               "layers": [symbol_layer.layerType() for symbol_layer in rule.symbol().symbolLayers()]}
                              for rule in layer.renderer().rootRule().children()]
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


def main() -> None:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    report = probe(sys.argv[1], sys.argv[2])  # its layers are gone before QGIS exits
    print(json.dumps(report), flush=True)
    app.exitQgis()


if __name__ == "__main__":
    main()
