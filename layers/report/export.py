"""Write plan layers to GeoPackage or GeoJSON (RFC 7946), with source and date in the metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from peacemap.layers.errors import PeacemapError
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.writing import atomic_write

FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON"}


# Columns of the ``hromadas`` layer (issue 12), in this order.
HROMADA_LAYER_COLUMNS = ["region", "raion", "hromada", "hromada_en", "population_2022", "area_km2", "geometry"]
# Every layer keys its rows by region with the same two columns (issue 26: the regions layer said
# ``code`` and ``name``).
REGION_KEY, REGION_NAME = "region", "region_name"
POPULATION_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")


def layer_frames(layers: PlanLayers) -> dict[str, gpd.GeoDataFrame]:
    """The output layers: ``zones`` (with their population on 1 January 2022 and its band when
    the layers carry them), ``contact_line``, ``regions`` (the units' outlines with their land area
    and official area, and the official area's source) and, when the layers carry them,
    ``hromadas`` (the hromada territories). Every layer keys its rows by ``region`` (ISO 3166-2)."""
    frames = {"zones": _zones_frame(layers.zones), "contact_line": layers.contact_line, "regions": regions_frame(layers.regions)}
    if layers.hromadas is not None:
        frames["hromadas"] = layers.hromadas[HROMADA_LAYER_COLUMNS]
    return {name: named_regions(frame) for name, frame in frames.items()}


def named_regions(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with its regions named in the language being written (``region_name``; as they
    are in English)."""
    if REGION_NAME not in frame or current_language() == ENGLISH:
        return frame
    return frame.assign(**{REGION_NAME: [region_label(code, name) for code, name in zip(frame[REGION_KEY], frame[REGION_NAME], strict=True)]})


def regions_frame(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``regions`` layer: the 27 units (the combined Crimea row left out), keyed like the other
    layers, with the source of their official areas."""
    from peacemap.layers.regions import OFFICIAL_AREAS

    units = regions[regions["code"].str.fullmatch(r"UA-\d\d")].rename(columns={"code": REGION_KEY, "name": REGION_NAME})
    sources = units[REGION_KEY].map(lambda code: gettext(OFFICIAL_AREAS[code].source) if code in OFFICIAL_AREAS else None)
    return units.assign(official_area_source=sources)[
        [REGION_KEY, REGION_NAME, "area_km2", "official_area_km2", "official_area_source", "deviation_pct", "geometry"]
    ]


def _zones_frame(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``zones`` layer: its population columns as whole persons (empty where there is no
    official figure: AR Crimea and Sevastopol), when the zones carry them."""
    if not set(POPULATION_COLUMNS) <= set(zones.columns):
        return zones
    return zones.assign(**{column: zones[column].round().astype("Int64") for column in POPULATION_COLUMNS})


def _layer_notes(*names: str) -> dict[str, str]:
    """Metadata of the named layers beyond the plan's: the sources of the hromada territories."""
    if "hromadas" not in names:
        return {}
    from peacemap.layers.report.places import hromada_sources_note

    return {"hromadas_sources": hromada_sources_note()}


def write_layers(layers: PlanLayers, path: Path, *, finish: Callable[[Path], None] | None = None, metadata: dict[str, str] | None = None) -> Path:
    """Write ``layers`` to ``path`` (.gpkg: one layer each; .geojson: one RFC 7946 collection).

    ``finish`` is called on the written file before it takes its name (to add QGIS styles to a
    GeoPackage, say); ``metadata`` adds to the plan's facts in the file's metadata. The file is written to a temporary name and renamed, so a failure leaves
    nothing behind. The same layers give the same bytes: GeoPackage timestamps are the control
    date (see :func:`layers_date`), not the time of writing.
    """
    path = Path(path)
    driver = FORMATS.get(path.suffix.lower())
    if driver is None:
        raise PeacemapError(f"output {path}: unknown extension {path.suffix!r}; expected .gpkg or .geojson")
    writer = _write_geopackage if driver == "GPKG" else _write_geojson

    def write(tmp: Path) -> None:
        writer(layers, tmp, name=path.stem, extra=metadata or {})
        if finish is not None:
            finish(tmp)

    return atomic_write(path, write)


def layers_date(layers: PlanLayers) -> str:
    """The time written into a GeoPackage (ISO 8601, UTC): midnight of the control date (or the
    plan's date), so that the file does not change with the time it is written."""
    day = layers.control.as_of or layers.plan.date
    return f"{day.isoformat()}T00:00:00.000Z"


@contextmanager
def _gdal_current_date(timestamp: str) -> Iterator[None]:
    """GDAL writes ``timestamp`` instead of the current time (OGR_CURRENT_DATE), then the option is restored."""
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": timestamp})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _write_geopackage(layers: PlanLayers, tmp: Path, *, name: str, extra: dict[str, str]) -> None:  # layers are named
    metadata = {**layers.metadata(), **extra}
    tmp.unlink()  # GDAL creates the GeoPackage itself
    with _gdal_current_date(layers_date(layers)):
        for index, (layer, frame) in enumerate(layer_frames(layers).items()):
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=layer,
                driver="GPKG",
                append=index > 0,
                metadata={**metadata, "layer": layer, **_layer_notes(layer)},
                dataset_metadata=metadata if index == 0 else None,
            )


def _write_geojson(layers: PlanLayers, tmp: Path, *, name: str, extra: dict[str, str]) -> None:
    frames = [frame.assign(layer=name) for name, frame in layer_frames(layers).items()]
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    combined.insert(0, "layer", combined.pop("layer"))
    import json

    tmp.unlink()
    pyogrio.write_dataframe(
        combined,
        tmp,
        layer=name,  # the collection's "name": the file's own, not the temporary file's
        driver="GeoJSON",
        layer_options={
            "RFC7946": "YES",  # EPSG:4326, right-hand winding, 7 decimals
            "FOREIGN_MEMBERS_COLLECTION": json.dumps({"peacemap": {**layers.metadata(), **extra, **_layer_notes(*layer_frames(layers))}}),
        },
    )


def write_zones_table(table: gpd.GeoDataFrame, path: Path, *, metadata: dict[str, str], update_time: str, finish: Callable[[Path], None] | None = None) -> Path:
    """Write a table of zones over time (one row per zone and day, a ``date`` column) to ``path``:
    a GeoPackage with one layer, ``zones``, or GeoParquet 1.1 (``.parquet``) with a bbox covering
    column, so that readers can skip row groups by extent.

    ``metadata`` goes into the GeoPackage's metadata, or under the Parquet file's ``peacemap``
    key (JSON); ``update_time`` (ISO 8601, UTC) is the GeoPackage's timestamp, so that the same
    table gives the same bytes. ``finish`` is called on the written file before it takes its name.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gpkg", ".parquet"):
        raise PeacemapError(f"output {path}: unknown extension {path.suffix!r}; expected .gpkg or .parquet")

    def write(tmp: Path) -> None:
        if suffix == ".gpkg":
            tmp.unlink()  # GDAL creates the GeoPackage itself
            with _gdal_current_date(update_time):
                pyogrio.write_dataframe(table, tmp, layer="zones", driver="GPKG", metadata={**metadata, "layer": "zones"}, dataset_metadata=metadata)
        else:
            _write_geoparquet(table, tmp, metadata)
        if finish is not None:
            finish(tmp)

    return atomic_write(path, write)


def _write_geoparquet(table: gpd.GeoDataFrame, tmp: Path, metadata: dict[str, str]) -> None:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise PeacemapError("writing .parquet needs pyarrow: pip install 'peacemap[parquet]'") from None
    import json

    table.to_parquet(tmp, index=False, schema_version="1.1.0", write_covering_bbox=True)
    arrow = parquet.read_table(tmp)
    extra = {b"peacemap": json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()}
    parquet.write_table(arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **extra}), tmp)
