"""Write output files atomically: one file to a temporary name beside it, then renamed; a set of files
into a staging folder inside the output folder, then moved out together."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from peacemap.layers import interrupts
from peacemap.layers.errors import PeacemapError

logger = logging.getLogger(__name__)

# Below this much free space (bytes) after a failed write, the disk is taken to be full: format
# libraries (GDAL, SQLite) report a full disk as some other failure ("no such table: gpkg_contents").
DISK_FULL_BYTES = 1 << 20


class OutputError(PeacemapError, OSError):
    """An output file cannot be written (folder missing or read-only, disk full, ...)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def atomic_write(target: Path, write: Callable[[Path], object]) -> Path:
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


def run_writer(write: Callable[[Path], object], path: Path, *, shown_as: Path) -> None:
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


STAGING_PREFIX = ".peacemap-staging-"


def write_outputs(out_dir: Path, writers: dict[str, Callable[[Path], object]]) -> list[Path]:
    """Write every output into a temporary folder inside ``out_dir``, then move them out of it.

    ``writers`` maps a file name to a function writing that file at the given path. The
    temporary folder sits inside ``out_dir`` so that moving the files is a rename on one
    filesystem, even when ``out_dir`` is a mount point (a container volume). If any writer fails
    (or the user interrupts), nothing is moved and the temporary folder is removed, so
    ``out_dir`` never holds a partial set of files. A failure to write (disk full, ...) is an
    :class:`~peacemap.layers.writing.OutputError` naming the file in ``out_dir``.
    """
    out_dir = Path(out_dir)
    ensure_output_dir(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as error:
        raise _folder_error(out_dir, error) from error
    try:
        for name, write in writers.items():
            logger.info("writing %s", name)
            run_writer(write, staging / name, shown_as=out_dir / name)
        with interrupts.deferred(outputs_kept=True):  # all the files or none
            moved = [_move(staging / name, out_dir / name) for name in writers]
            shutil.rmtree(staging, ignore_errors=True)
        return moved
    except BaseException:
        with interrupts.deferred():  # a second Ctrl-C must not leave the folder half-removed
            shutil.rmtree(staging, ignore_errors=True)
        raise


def _move(source: Path, target: Path) -> Path:
    try:
        os.replace(source, target)
    except OSError as error:
        raise OutputError(target, os_reason(error)) from error
    return target


def ensure_output_dir(out_dir: Path) -> list[Path]:
    """Create ``out_dir`` (and missing parents) and check that files can be made in it.

    Called before any work, so that a folder that cannot be written is refused at once.
    Returns the folders it created, outermost first (see :func:`output_dir`). Raises
    PeacemapError naming ``out_dir`` and the reason.
    """
    out_dir = Path(out_dir)
    missing = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()][::-1]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # Make a file for real: os.access() can say yes where creating fails (root squashed on
        # NFS, immutable folders, SELinux).
        with tempfile.TemporaryFile(prefix=STAGING_PREFIX, dir=out_dir):
            pass
    except OSError as error:
        raise _folder_error(out_dir, error) from error
    return missing


@contextmanager
def output_dir(out_dir: Path) -> Iterator[Path]:
    """Create and check ``out_dir`` (:func:`ensure_output_dir`); if the block fails, remove the
    folders it created, when they are still empty, so a failed run leaves nothing behind."""
    created = ensure_output_dir(out_dir)
    try:
        yield Path(out_dir)
    except BaseException:
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:  # not empty, or not ours to remove
                break
        raise


def _folder_error(out_dir: Path, error: OSError) -> PeacemapError:
    culprit = f" ({error.filename})" if error.filename and Path(error.filename) != out_dir else ""
    return PeacemapError(f"cannot write to output folder {out_dir}: {os_reason(error)}{culprit}; choose another with --out")
