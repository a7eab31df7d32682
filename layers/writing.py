"""Write output files atomically: one file to a temporary name beside it, then renamed; a set of files
into a staging folder inside the output folder (a slow one by a forked process, meanwhile, where
workers are forked), then moved out together."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from peacemap.layers import interrupts, processes
from peacemap.layers.errors import PeacemapError

logger = logging.getLogger(__name__)

# Below this much free space (bytes) after a failed write, the disk is taken to be full: format
# libraries (GDAL, SQLite) report a full disk as some other failure ("no such table: gpkg_contents").
DISK_FULL_BYTES = 1 << 20


# A path longer than this (characters) is shortened in messages, so that an error stays one short
# line even for a path of thousands of bytes (the system refuses paths over 4,096 bytes anyway).
SHOWN_PATH_CHARS = 160


class OutputError(PeacemapError, OSError):
    """An output file cannot be written (folder missing or read-only, disk full, not a regular file, ...)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot write {shown_path(path)}: {reason}")
        self.path = Path(path)
        self.reason = reason


def shown_path(path: Path | str) -> str:
    """``path`` as messages show it: whole, or its start and end with the number of characters
    left out between them when it is longer than :data:`SHOWN_PATH_CHARS`."""
    text = str(path)
    if len(text) <= SHOWN_PATH_CHARS:
        return text
    head, tail = text[: SHOWN_PATH_CHARS // 2], text[-SHOWN_PATH_CHARS // 4 :]
    return f"{head}[... {len(text) - len(head) - len(tail):,} characters ...]{tail}"


def check_replaceable(target: Path) -> None:
    """Raise :class:`OutputError` if ``target`` exists and is not a regular file once links are
    followed (a device such as ``/dev/null``, a FIFO, a socket, a folder), or if it is a link to a
    process's file descriptor (``/dev/stdout`` is a link to ``/proc/self/fd/1``).

    Writing replaces the target by renaming a new file onto it, which would turn a device into a
    plain file (as root, ``/dev/null`` itself), and replace ``/dev/stdout`` itself while nothing
    reaches standard output. A missing target, or a link to nowhere, is fine: the new file takes
    its place (a link is replaced, never written through, so nothing is written outside its folder).
    """
    try:
        mode = os.stat(target).st_mode
        descriptor = _descriptor_link(Path(target))
    except (FileNotFoundError, NotADirectoryError):  # nothing there (a folder on the way may be a file: said when writing)
        return
    except OSError as error:
        raise OutputError(target, os_reason(error)) from error
    if descriptor is not None:
        raise OutputError(
            target, f"it is a link to a file descriptor ({descriptor}), not a regular file; peacemap writes only files (use -o - for standard output)"
        )
    if not stat.S_ISREG(mode):
        raise OutputError(target, f"it is {_file_kind(mode)}, not a regular file; peacemap writes only files (name another one)")


_MAX_LINK_HOPS = 40  # as the kernel's limit on nested links (ELOOP)


def _descriptor_link(path: Path) -> str | None:
    """The first path that ``path`` or a link it leads through names inside ``/proc`` (a process's
    file descriptors: ``/proc/self/fd/1``, ``/dev/fd/1``), or None."""
    for _ in range(_MAX_LINK_HOPS):
        if Path(os.path.realpath(path.parent)).parts[1:2] == ("proc",):
            return str(path)
        if not path.is_symlink():
            return None
        path = path.parent / os.readlink(path)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((kind for test, kind in kinds if test(mode)), "a special file")


def atomic_write(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``target``.

    On any failure the temporary file is removed and ``target`` is left as it was. An OSError
    (and a format library's failure on a full disk) becomes :class:`OutputError`, one line
    naming ``target`` and the reason; so does a ``target`` that is not a regular file
    (:func:`check_replaceable`), checked before writing and again before the rename.
    """
    target = Path(target)
    check_replaceable(target)
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
        check_replaceable(target)  # again: it may have been made a device while the file was written
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


class StagedOutputs:
    """Files written into a staging folder inside ``out_dir``, moved out together when the
    :func:`staged_outputs` block ends (see there)."""

    def __init__(self, out_dir: Path, staging: Path) -> None:
        self.out_dir, self.staging = out_dir, staging
        self.names: list[str] = []  # every file, in the order it was begun
        self._writers: dict[str, Callable[[Path], object]] = {}
        self._forked: dict[str, int] = {}  # process id of each background writer not yet waited for

    def write(self, name: str, write: Callable[[Path], object]) -> None:
        """Write file ``name`` now, with ``write(path)``."""
        self._add(name, write)
        logger.info("writing %s", name)
        run_writer(write, self.staging / name, shown_as=self.out_dir / name)

    def start(self, name: str, write: Callable[[Path], object]) -> None:
        """Begin writing file ``name`` in a forked process, while this one goes on, so that a slow
        writer (the static map) runs on a second core. ``write`` must write only its file. If it
        fails, it is run again here when the block ends, so its failure is reported as any other.

        Where workers are not forked (:func:`peacemap.layers.processes.start_method`: spawn on macOS
        and Windows, or as ``PEACEMAP_START_METHOD`` says), the file is written now, in turn: a
        spawned writer would have to import the libraries and get ``write``'s data by pickling.
        """
        if processes.start_method() != "fork":
            self.write(name, write)
            return
        self._add(name, write)
        logger.info("writing %s in the background", name)
        self._forked[name] = _fork_writer(write, self.staging / name)

    def _add(self, name: str, write: Callable[[Path], object]) -> None:
        if name in self._writers:
            raise ValueError(f"'name' must be a file not yet written, got {name!r} twice")
        check_replaceable(self.out_dir / name)
        self.names.append(name)
        self._writers[name] = write

    def wait(self) -> None:
        """Wait for the background writers; write here any that failed."""
        for name in list(self._forked):
            written = _succeeded(self._forked[name])
            del self._forked[name]  # waited for: nothing left to stop
            if not written:
                logger.info("writing %s again (its background process failed)", name)
                (self.staging / name).unlink(missing_ok=True)
                run_writer(self._writers[name], self.staging / name, shown_as=self.out_dir / name)

    def stop(self) -> None:
        """Kill the background writers not yet waited for, and wait for them: none writes on."""
        for pid in self._forked.values():
            _stop(pid)
        self._forked.clear()


@contextmanager
def staged_outputs(out_dir: Path) -> Iterator[StagedOutputs]:
    """A set of output files written into a temporary folder inside ``out_dir`` (with
    :meth:`StagedOutputs.write` and :meth:`StagedOutputs.start`), moved out of it together when
    the block ends.

    The temporary folder sits inside ``out_dir`` so that moving the files is a rename on one
    filesystem, even when ``out_dir`` is a mount point (a container volume). If any writer fails,
    the block raises (or the user interrupts), nothing is moved: the background writers are
    stopped and the temporary folder is removed, so ``out_dir`` never holds a partial set of
    files. A failure to write (disk full, ...) is an :class:`~peacemap.layers.writing.OutputError`
    naming the file in ``out_dir``.
    """
    out_dir = Path(out_dir)
    ensure_output_dir(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as error:
        raise _folder_error(out_dir, error) from error
    outputs = StagedOutputs(out_dir, staging)
    try:
        yield outputs
        outputs.wait()
        for name in outputs.names:  # checked again: all the files or none
            check_replaceable(out_dir / name)
        with interrupts.deferred(outputs_kept=True):  # all the files or none
            for name in outputs.names:
                _move(staging / name, out_dir / name)
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        with interrupts.deferred():  # a second Ctrl-C must not leave the folder half-removed
            outputs.stop()
            shutil.rmtree(staging, ignore_errors=True)
        raise


def _fork_writer(write: Callable[[Path], object], path: Path) -> int:
    """Run ``write(path)`` in a forked process; returns its id. It exits 0 if the file was written."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None: the stream was closed when Python started
            stream.flush()  # else the child would hold a copy of what is not yet written
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        interrupts.as_child_of(parent)  # the parent stops this one (SIGKILL) on Ctrl-C
        write(path)
        code = 0
    except BaseException as error:  # the parent writes the file again and reports the failure
        logger.debug("background writer of %s failed: %r", path.name, error)
    finally:
        os._exit(code)  # never back into the parent's code: no cleanup, no flushing of its buffers


def _succeeded(pid: int) -> bool:
    """Wait for the background writer ``pid``; True if it exited 0."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _stop(pid: int) -> None:
    """Kill the background writer ``pid`` and wait for it (nothing if it is gone)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


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
    try:
        # exists() raises for a name the system cannot look up (over 4,096 bytes)
        missing = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()][::-1]
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
    culprit = f" ({shown_path(error.filename)})" if error.filename and Path(error.filename) != out_dir else ""
    return PeacemapError(f"cannot write to output folder {shown_path(out_dir)}: {os_reason(error)}{culprit}; choose another with --out")
