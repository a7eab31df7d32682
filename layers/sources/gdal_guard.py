"""GDAL set up to read one untrusted file: only the drivers of its declared format, no network.

GDAL picks a driver from a file's content, not from its name, and some of its drivers (OGR
VRT, GDALG, WFS...) read other files or URLs the content names. :func:`only_drivers` makes
GDAL pick among the drivers given and no other, and turns off what could reach beyond the bytes
handed to it, for as long as the read lasts:

* every other vector driver is unregistered (GDAL's ``GDAL_SKIP``, applied by registering the
  drivers again), and registered again afterwards, in GDAL's own order;
* ``/vsicurl/`` and the handlers built on it (``/vsis3/``, ``/vsigs/``, ``/vsicurl_streaming/``...)
  accept no file name (``CPL_VSIL_CURL_ALLOWED_FILENAME``), ``/vsistdin/`` reads an in-memory
  file that does not exist instead of standard input, and no directory is listed on open;
* SQLite (GeoPackage) refuses GDAL's SQL functions and virtual tables in a file's views and
  triggers, and loads no extension; no auxiliary ``.aux.xml`` file is read or written;
  LIBKML resolves no external style.

What stays possible is what the drivers do with the bytes themselves; which names inside a
file the allowed drivers would follow is checked before GDAL sees it (``control_json``,
``control_content``). Driver registration is process-wide: reads are serialised by a lock, and
another thread reading with pyogrio meanwhile sees only the allowed drivers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from peacemap.layers.errors import ControlFileError

# An in-memory name no file has: /vsicurl/ and /vsistdin/ are pointed at it.
_NO_FILE = "/vsimem/peacemap-no-such-file"
SAFE_CONFIG = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": _NO_FILE,
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".peacemap-no-such-extension",
    "CPL_VSISTDIN_FILE": _NO_FILE,
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW": "NO",
    "ALLOW_VIRTUAL_OGR_FROM_TRIGGER_AND_VIEW": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "OGR_SQLITE_LOAD_EXTENSIONS": "",
    "LIBKML_RESOLVE_STYLE": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
}
_SKIP = "GDAL_SKIP"

_lock = threading.RLock()
_depth = 0  # nested guards (a read that checks a condition on a copy of its fields)
_every_driver: tuple[str, ...] = ()  # the vector drivers registered before the outermost guard


@contextlib.contextmanager
def only_drivers(*drivers: str) -> Iterator[tuple[str, ...]]:
    """Let GDAL open vector data with ``drivers`` only (those of them it has), with the
    network and standard input turned off (:data:`SAFE_CONFIG`); everything is restored after.

    Yields
    ------
    tuple of str
        The drivers allowed, in the order given.

    Raises
    ------
    ControlFileError
        This GDAL has none of ``drivers``.
    """
    global _depth, _every_driver
    import pyogrio

    with _lock:
        outermost = _depth == 0
        if outermost:
            _every_driver = tuple(pyogrio.list_drivers())
            saved = {name: pyogrio.get_gdal_config_option(name) for name in SAFE_CONFIG}
        allowed = tuple(driver for driver in drivers if driver in _every_driver)
        if not allowed:
            raise ControlFileError(f"this GDAL ({pyogrio.__gdal_version_string__}) has no {' or '.join(drivers)} driver; peacemap needs it to read this file")
        previous_skip = pyogrio.get_gdal_config_option(_SKIP)
        _depth += 1
        try:
            if outermost:
                pyogrio.set_gdal_config_options(SAFE_CONFIG)
            _register(skip=[driver for driver in _every_driver if driver not in allowed])
            yield allowed
        finally:
            _depth -= 1
            _register(skip=list(_every_driver))  # none left: those registered next come in GDAL's order
            _register(skip=previous_skip)
            if outermost:
                pyogrio.set_gdal_config_options(saved)


def _register(*, skip: list[str] | str | None) -> None:
    """Register GDAL's drivers again with ``GDAL_SKIP`` set to ``skip``: those it names are
    unregistered, the others registered if they are not."""
    import pyogrio
    from pyogrio._ogr import _register_drivers  # GDALAllRegister(), which applies GDAL_SKIP

    value = ",".join(skip) if isinstance(skip, list) else skip
    pyogrio.set_gdal_config_options({_SKIP: value or None})
    _register_drivers()
