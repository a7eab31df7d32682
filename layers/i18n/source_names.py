"""What the data sources are called, in the language being written: the registry's names,
attributions and licences (:mod:`peacemap.layers.sources.registry`, written in English), and the
label of a map of control (``DeepState snapshot 2025-11-20``, ``control file mine.geojson (sha256 …)``).

The registry and the readers of control maps write English; the outputs translate at the edge.
A registry text the catalogue has (context ``source``) is translated; names of organisations and
datasets with no Ukrainian form, and any text the catalogue lacks, stay as published. A control
map's label is translated where it has one of the shapes the readers write (a DeepState snapshot,
a control file, a map given in memory), its file names, layers and conditions kept as given; any
other label stays as it is.
"""

from __future__ import annotations

import re

from peacemap.layers.i18n.catalogue import gettext, pgettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.language import ENGLISH, current_language

_DATE = r"\d{4}-\d{2}-\d{2}"
_DEEPSTATE = re.compile(rf"^DeepState snapshot (?P<snapshot>{_DATE})(?: \(latest on or before (?P<requested>{_DATE})\))?(?P<rest>.*)$", re.S)
_FILE = re.compile(
    rf"^(?P<what>control file |in-memory control map)(?P<name>.*) \(sha256 (?P<sha>[0-9a-f]+)…\)"
    rf"(?P<held>, held area \(occupied: the rest of Ukraine\))?"
    rf"(?:, as of (?P<as_of>{_DATE}) \(date vouched for, not checked\))?$",
    re.S,
)
_FILE_PARTS = re.compile(r"^(?P<name>.*?)(?P<layer>, layer .*?)?(?P<where>, features where .*)?$", re.S)


def source_text(text: str) -> str:
    """A registry name, attribution or licence in the language being written (context ``source``)."""
    return pgettext("source", text) if text else text


def control_label_text(label: str) -> str:
    """The label of a map of control in the language being written: ``DeepState snapshot 2025-11-20``
    / ``знімок DeepState від 20 листопада 2025 р.``; a label of no known shape as it is."""
    if current_language() == ENGLISH:
        return label
    deepstate = _DEEPSTATE.match(label)
    if deepstate:
        text = gettext("DeepState snapshot of %(date)s") % {"date": iso_date_text(deepstate["snapshot"])}
        if deepstate["requested"]:
            text += " (" + gettext("latest on or before %(date)s") % {"date": iso_date_text(deepstate["requested"])} + ")"
        return text + deepstate["rest"]
    found = _FILE.match(label)
    if not found:
        return label
    if found["what"] == "control file ":
        parts = _FILE_PARTS.match(found["name"])
        assert parts is not None  # the pattern matches any text
        name = gettext("control file %(name)s") % {"name": parts["name"]}
        if parts["layer"]:
            name += ", " + gettext("layer %(layer)s") % {"layer": parts["layer"].removeprefix(", layer ")}
        if parts["where"]:
            name += ", " + gettext("features where %(condition)s") % {"condition": parts["where"].removeprefix(", features where ")}
    else:
        name = gettext("in-memory control map") + found["name"]
    text = f"{name} (sha256 {found['sha']}…)"
    if found["held"]:
        text += ", " + gettext("held area (occupied: the rest of Ukraine)")
    if found["as_of"]:
        text += ", " + gettext("as of %(date)s (date vouched for, not checked)") % {"date": iso_date_text(found["as_of"])}
    return text


def is_deepstate_label(text: str) -> bool:
    """Whether ``text`` is the label of a DeepState snapshot, in English or as
    :func:`control_label_text` writes it in the language being written."""
    local = gettext("DeepState snapshot of %(date)s").split("%(date)s")[0]
    return text.startswith("DeepState snapshot") or (bool(local) and text.startswith(local))


def control_attribution_text(attribution: str) -> str:
    """A map of control's attribution (``DeepStateMap, via …``, ``user-supplied control file x``)
    in the language being written."""
    if current_language() == ENGLISH:
        return attribution
    if attribution.startswith(_USER_FILE):
        return gettext("user-supplied control file %(name)s") % {"name": attribution.removeprefix(_USER_FILE)}
    if attribution == _USER_MEMORY:
        return gettext("user-supplied in-memory control map")
    return source_text(attribution)


_USER_FILE, _USER_MEMORY = "user-supplied control file ", "user-supplied in-memory control map"
