"""Exceptions raised by peacemap: each message is one line saying what is wrong and what to do."""


class PeacemapError(Exception):
    """Base class: a failure the user can act on (bad input, missing data). The CLI exits with 1."""


class DataSourceError(PeacemapError, OSError):
    """A source file is missing, cannot be downloaded, or fails its sha256 check."""


class SnapshotDateError(PeacemapError, ValueError):
    """A requested date lies outside the range of available control snapshots."""


class PlanError(PeacemapError, ValueError):
    """A plan file is missing, malformed, or refers to something unknown."""


class ControlFileError(PeacemapError, ValueError):
    """A user-supplied control polygon file cannot be used."""


class ArgumentError(PeacemapError, TypeError, ValueError):
    """An argument of the Python API is not what it should be (its type or its value); a TypeError
    and a ValueError too, so that code catching either keeps working."""


class StatementsError(PeacemapError, ValueError):
    """The table of official statements has a malformed row, or a statement names land that is not there."""


class PopulationFileError(PeacemapError, ValueError):
    """A user-supplied population file (``--population``) cannot be used."""


class LanguageError(PeacemapError, ValueError):
    """An output language (``--lang``, ``lang=``, ``PEACEMAP_LANG``) that peacemap does not write."""
