"""Make polygons tile a region: clip them to it, give each overlap one owner, and fill its gaps.

Territories drawn by one source (hromadas) and a region drawn by another (its land) never match
exactly: the territories stick out past the coast and the region's borders, overlap their
neighbours by slivers, and leave land uncovered (slivers along borders, and whole water bodies
such as reservoirs and lagoons that the region keeps as inland water). :func:`tile_region`
turns them into a tiling of the region:

1. each polygon is clipped to the region, and the borders of all of them and of the region cut
   it into faces;
2. a face inside several polygons (an overlap) goes to the one listed first;
3. land no polygon covers comes in connected pieces (groups of faces). A piece that touches
   territories goes to the one it shares the longest border with; a large piece (over
   ``split_km2``) that touches several is divided among them by nearness, each point going to
   the territory it is closest to (a lake shared by its shores); a piece that touches none (an
   island) goes to the nearest territory.

All geometries are lon/lat degrees (EPSG:4326). Distances for the nearness split are taken
in a local equirectangular frame (longitude scaled by the cosine of the piece's latitude),
an affine map, so the dividing lines stay straight lines in degrees; areas for the threshold
are approximate (spherical, km²).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.clean import clean_polygon

# Pieces of uncovered land larger than this (km²) touching several territories are divided
# among them by nearness instead of going whole to one (the Kakhovka reservoir's part in
# Zaporizhzhia oblast is about 985 km²; slivers along borders are under 1 km²).
SPLIT_KM2 = 5.0
# Spacing (km) of the points along a piece's border that carry the nearness split.
SPLIT_SPACING_KM = 0.5
KM_PER_DEGREE = 111.32  # length of one degree of latitude (and of longitude at the equator), km
# Points of a piece's border farther than this from every territory (degrees, about 1 m) lie on
# the region's own edge, not on a territory: they do not vote in the nearness split.
ON_BORDER_DEG = 1e-5
# Of the border points of a split that share a cell of this grid (degrees, about 1 cm), one is
# kept for the Voronoi diagram: points a rounding error apart (1e-14°) make GEOS fail with a
# side location conflict.
SPLIT_GRID_DECIMALS = 7


def tile_region(polygons: np.ndarray | list, region: BaseGeometry, *, split_km2: float = SPLIT_KM2) -> np.ndarray:
    """Territories that tile ``region``, one per input polygon (see the module docstring).

    Parameters
    ----------
    polygons
        (Multi)polygons in lon/lat degrees (EPSG:4326), in order of precedence (the first keeps
        an overlap). None or empty entries are allowed and stay empty unless land is given to them.
    region
        The (multi)polygon to tile, lon/lat degrees.
    split_km2
        Uncovered pieces larger than this (approximate km²) are divided by nearness.

    Returns
    -------
    ndarray of geometries
        Shape (n,), valid (multi)polygons (possibly empty) in the input's order. Together they
        cover ``region`` and do not overlap (up to floating-point noise).
    """
    polygons = np.asarray(polygons, dtype=object)
    if len(polygons) == 0:
        raise ValueError("'polygons' should hold at least one polygon, got none")
    region = clean_polygon(region)
    clipped = clip_to(polygons, region)
    if all(piece.is_empty for piece in clipped):
        raise ValueError("'polygons' do not meet 'region'; are they in the same CRS (EPSG:4326)?")
    faces, owner = faces_of(clipped, region)
    return _territories(faces, owner, len(clipped), split_km2)


def clip_to(polygons: np.ndarray, region: BaseGeometry) -> np.ndarray:
    """Each polygon ∩ ``region``, valid and polygonal (empty where a polygon misses it)."""
    shapely.prepare(region)
    present = np.array([p is not None and not p.is_empty for p in polygons], dtype=bool)
    clipped = np.array([shapely.MultiPolygon()] * len(polygons), dtype=object)
    inside = np.zeros(len(polygons), dtype=bool)
    inside[present] = shapely.contains_properly(region, polygons[present])
    clipped[inside] = polygons[inside]
    cut = present & ~inside
    clipped[cut] = shapely.intersection(polygons[cut], region)
    return np.array([clean_polygon(p) for p in clipped], dtype=object)


def faces_of(polygons: np.ndarray, region: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """The faces into which the polygons' and the region's borders cut the region, and the owner
    of each face: the first polygon holding it, or -1 where none does (uncovered land).

    The borders are noded once (a union of their lines), so the faces share their edges exactly
    and any set of them can be merged by a coverage union.
    """
    borders = [shapely.boundary(p) for p in polygons if not p.is_empty]
    lines = shapely.union_all(np.array([*borders, shapely.boundary(region)], dtype=object))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    anchors = shapely.point_on_surface(faces)
    shapely.prepare(region)
    keep = shapely.covers(region, anchors)  # faces in the region's holes are not its land
    faces, anchors = faces[keep], anchors[keep]
    owner = np.full(len(faces), len(polygons), dtype=int)
    face_index, polygon_index = shapely.STRtree(polygons).query(anchors, predicate="covered_by")
    np.minimum.at(owner, face_index, polygon_index)
    owner[owner == len(polygons)] = -1
    return faces, owner


def approximate_km2(geometries: np.ndarray) -> np.ndarray:
    """Area (km², spherical approximation at each geometry's centre latitude) of lon/lat polygons."""
    latitudes = shapely.get_y(shapely.centroid(geometries))
    return shapely.area(geometries) * KM_PER_DEGREE**2 * np.cos(np.radians(latitudes))


def _territories(faces: np.ndarray, owner: np.ndarray, n: int, split_km2: float) -> np.ndarray:
    """Merge the faces into territories, giving the uncovered ones out (see :func:`tile_region`)."""
    owned = np.array([_union_of(faces[owner == i]) for i in range(n)], dtype=object)
    gap_faces = np.flatnonzero(owner < 0)
    extra: list[list[BaseGeometry]] = [[] for _ in range(n)]  # parts of split pieces (not faces)
    if len(gap_faces):
        groups = _connected(faces[gap_faces])
        pieces = np.array([_union_of(faces[gap_faces[group]]) for group in groups], dtype=object)
        for index, targets in enumerate(_give_out(pieces, owned, split_km2)):
            if len(targets) == 1 and targets[0][1] is None:
                owner[gap_faces[groups[index]]] = targets[0][0]
            else:
                for target, part in targets:
                    extra[target].append(part)
    result = np.empty(n, dtype=object)
    for i in range(n):
        merged = _union_of(faces[owner == i])
        result[i] = clean_polygon(shapely.union_all([merged, *extra[i]]) if extra[i] else merged)
    return result


def _union_of(faces: np.ndarray) -> BaseGeometry:
    """Faces merged (they share edges exactly: a coverage union); empty for none."""
    if len(faces) == 0:
        return shapely.MultiPolygon()
    return faces[0] if len(faces) == 1 else shapely.coverage_union_all(faces)


def _connected(faces: np.ndarray) -> list[np.ndarray]:
    """Groups of faces that share an edge or a corner (connected pieces of uncovered land)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    left, right = shapely.STRtree(faces).query(faces, predicate="intersects")
    graph = coo_array((np.ones(len(left)), (left, right)), shape=(len(faces), len(faces)))
    count, label = connected_components(graph, directed=False)
    order = np.argsort(label, kind="stable")
    return np.split(order, np.cumsum(np.bincount(label, minlength=count))[:-1])


def _give_out(pieces: np.ndarray, owned: np.ndarray, split_km2: float) -> list[list[tuple[int, BaseGeometry | None]]]:
    """Who gets each uncovered piece: the territory it shares the longest border with; several,
    by nearness, if it is large; the nearest one if it touches none. Each entry lists (territory,
    part) pairs, the part None where the whole piece goes to one territory."""
    tree = shapely.STRtree(owned)
    piece_index, owner_index = tree.query(pieces, predicate="intersects")
    counts = np.bincount(piece_index, minlength=len(pieces))
    several = counts[piece_index] > 1  # only then do border lengths matter
    lengths = np.ones(len(piece_index))
    lengths[several] = shapely.length(shapely.intersection(shapely.boundary(pieces[piece_index[several]]), owned[owner_index[several]]))
    large = approximate_km2(pieces) > split_km2
    targets = []
    for index in range(len(pieces)):
        mine = piece_index == index
        touching, border = owner_index[mine][lengths[mine] > 0], lengths[mine][lengths[mine] > 0]
        if len(touching) == 0:
            targets.append([(int(tree.query_nearest(pieces[index], all_matches=False)[0]), None)])
        elif len(touching) > 1 and large[index]:
            targets.append(split_by_nearness(pieces[index], owned, touching))
        else:
            targets.append([(int(touching[np.argmax(border)]), None)])
    return targets


def split_by_nearness(piece: BaseGeometry, territories: np.ndarray, candidates: np.ndarray) -> list[tuple[int, BaseGeometry]]:
    """Divide ``piece`` among ``territories[candidates]``: each point to the closest of them.

    Closeness is measured to the points of the piece's border that lie on each territory (spaced
    :data:`SPLIT_SPACING_KM`), in a local equirectangular frame; the division is their Voronoi
    diagram, merged by territory. Returns (territory index, part) pairs; the parts tile ``piece``.
    """
    scale = math.cos(math.radians(piece.centroid.y))
    to_local = lambda xy: xy * np.array([scale, 1.0])  # noqa: E731 - an affine map, kept beside its inverse
    from_local = lambda xy: xy / np.array([scale, 1.0])  # noqa: E731
    border = shapely.segmentize(shapely.boundary(piece), SPLIT_SPACING_KM / KM_PER_DEGREE)
    coordinates = shapely.get_coordinates(border)
    _, kept = np.unique(np.round(coordinates, SPLIT_GRID_DECIMALS), axis=0, return_index=True)
    points = np.unique(coordinates[kept], axis=0)  # one point of each grid cell, unmoved
    xmin, ymin, xmax, ymax = piece.bounds
    margin = 10 * ON_BORDER_DEG
    near = np.array([shapely.clip_by_rect(territories[c], xmin - margin, ymin - margin, xmax + margin, ymax + margin) for c in candidates], dtype=object)
    distances = shapely.distance(shapely.points(points)[:, None], near[None, :])
    label = np.argmin(distances, axis=1)
    voting = distances[np.arange(len(points)), label] <= ON_BORDER_DEG
    points, label = points[voting], label[voting]
    if len(np.unique(label)) < 2:
        best = candidates[np.bincount(label, minlength=len(candidates)).argmax()] if len(label) else candidates[0]
        return [(int(best), piece)]
    local = shapely.multipoints(to_local(points))
    envelope = shapely.buffer(shapely.envelope(shapely.transform(piece, to_local)), 0.1)
    cells = shapely.get_parts(shapely.voronoi_polygons(local, extend_to=envelope, ordered=True))
    parts = []
    for which in np.unique(label):
        zone = shapely.transform(shapely.union_all(cells[label == which]), from_local)
        part = clean_polygon(shapely.intersection(piece, zone))
        if not part.is_empty:
            parts.append((int(candidates[which]), part))
    return parts
