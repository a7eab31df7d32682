"""Write output files atomically: to a temporary file beside the target, then rename."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from peacemap.layers.errors import PeacemapError

# Below this much free space (bytes) after a failed write, the disk is taken to be full: format
# libraries (GDAL, SQLite) report a full disk as some other failure ("no such table: gpkg_contents").
DISK_FULL_BYTES = 1 << 20


class OutputError(PeacemapError, OSError):
    """An output file cannot be written (folder missing or read-only, disk full, ...)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``target``.

    On any failure the temporary file is removed and ``target`` is left as it was. An OSError
    (and a format library's failure on a full disk) becomes :class:`OutputError`, one line
    naming ``target`` and the reason.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same extension as the target: format drivers (GDAL) check it.
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.part-", suffix=target.suffix, dir=target.parent)
    except OSError as error:
        raise OutputError(target, os_reason(error)) from error
    os.close(handle)
    tmp_path = Path(tmp_name)
    try:
        run_writer(write, tmp_path, shown_as=target)
        try:
            # mkstemp makes the file private (0600); give it the mode a plain open() would.
            os.chmod(tmp_path, 0o666 & ~_current_umask())
            os.replace(tmp_path, target)
        except OSError as error:
            raise OutputError(target, os_reason(error)) from error
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    return atomic_write(target, lambda path: path.write_text(text, encoding="utf-8"))


def run_writer(write: Callable[[Path], None], path: Path, *, shown_as: Path) -> None:
    """Call ``write(path)``; a failure to write becomes :class:`OutputError` naming ``shown_as``.

    ``path`` is where the file is written (a temporary name), ``shown_as`` the name the user
    knows. OSError gives its errno message; any other error is re-raised as it is (a bug) unless
    the disk is full, which GDAL and SQLite report as something else.
    """
    try:
        write(path)
    except OutputError as error:  # from a nested atomic_write: name the user's file
        raise OutputError(shown_as, error.reason) from error
    except PeacemapError:
        raise
    except OSError as error:
        raise OutputError(shown_as, os_reason(error)) from error
    except Exception as error:
        if _disk_full(path.parent):
            raise OutputError(shown_as, os.strerror(errno.ENOSPC)) from error
        raise


def os_reason(error: OSError) -> str:
    """The errno message of ``error`` ('No space left on device'), else its text, on one line."""
    reason = error.strerror or str(error) or type(error).__name__
    return " ".join(reason.split())


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < DISK_FULL_BYTES
    except OSError:
        return False


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
