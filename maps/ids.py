"""Element ids of a folium map made from its content, so that the same inputs write the same HTML.

folium (branca) gives every element a random id (``map_dc3a8e60…``), so a map kept under version
control shows a diff after every run. Here each element's id is a hash of the map's content and
the element's place in the tree: the same map gets the same ids, and two different maps embedded
in one page still get different ones.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from branca.element import Element


def content_id(*parts: str) -> str:
    """A 32-character hex id from ``parts`` (the map's data, title, options…)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()[:32]


def set_ids(root: Element, salt: str, *, keep: tuple[Element, ...] = ()) -> None:
    """Give ``root`` and every element below it an id made from ``salt`` (see :func:`content_id`)
    and the element's path in the tree (its position among its parent's children).

    Elements in ``keep`` keep the id they have (one already written into the page, such as a map
    whose name a legend's CSS uses: give it ``content_id(...)`` when it is made). Children are
    re-keyed under their new names, as ``add_child`` would have keyed them.
    """
    _renumber(root, content_id(salt), keep)


def _renumber(element: Element, element_id: str, keep: tuple[Element, ...]) -> None:
    if not any(element is kept for kept in keep):
        element._id = element_id  # noqa: SLF001 - folium's id, pinned and guarded (tests/test_folium_guard.py)
    children = list(element._children.values())  # noqa: SLF001 - branca's children, pinned and guarded
    element._children = OrderedDict()  # noqa: SLF001 - branca's children, pinned and guarded
    for index, child in enumerate(children):
        _renumber(child, content_id(element_id, str(index), type(child).__name__), keep)
        element._children[child.get_name()] = child  # noqa: SLF001 - branca's children, pinned and guarded
