"""peacemap's own JavaScript and CSS, kept as package files (``*.js``, ``*.css`` beside this module)
so that a linter reads them (``.ci/lint-web``), loaded with :mod:`importlib.resources`.

The files hold no data. A constant a file needs (a width, a colour) is written in it as a marker,
``__NAME__`` (an identifier in JavaScript, an identifier token in CSS, so the file still parses),
and filled in here: in scripts always as a JavaScript literal (:func:`peacemap.maps.escape.js_literal`),
in styles only if it is a number or a plain CSS value. Text from plan, control or population files
never reaches these files: it goes into the pages' data, escaped where the pages are built.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from peacemap.maps.escape import js_literal

MARKER = re.compile(r"__([A-Z][A-Z0-9_]*?)__")
# A plain CSS value: numbers, units, colours, font lists; no character that ends a declaration,
# a block or the <style> element.
CSS_VALUE = re.compile(r'^[\w\s#%.,()"+-]*$')


@cache
def _text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _filled(name: str, values: dict[str, str]) -> str:
    text = _text(name)
    wanted = set(MARKER.findall(text))
    given = {key.upper() for key in values}
    if wanted != given:
        raise ValueError(f"'values' for {name} should name {sorted(wanted) or 'nothing'}, got {sorted(given) or 'nothing'}")
    return MARKER.sub(lambda match: values[match.group(1).lower()], text)


def script(name: str, **values: object) -> str:
    """The script ``name`` (a file of this package) with each marker ``__KEY__`` replaced by
    ``values[key]`` written as a JavaScript literal."""
    return _filled(name, {key: js_literal(value) for key, value in values.items()})


def style(name: str, **values: object) -> str:
    """The stylesheet ``name`` (a file of this package) with each marker ``__KEY__`` replaced by
    ``values[key]``, a number or a plain CSS value (ValueError otherwise)."""
    for key, value in values.items():
        if isinstance(value, bool) or not (isinstance(value, int | float) or (isinstance(value, str) and CSS_VALUE.match(value))):
            raise ValueError(f"'{key}' should be a number or a plain CSS value, got {value!r}")
    return _filled(name, {key: str(value) for key, value in values.items()})
