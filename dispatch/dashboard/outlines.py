"""A plain village map from our own registry, for when the map tiles cannot load.

The registry knows each village's centre, not its boundary. The outline drawn is the
Voronoi cell of each centre — every point of the commune belongs to the village whose
centre is nearest — clipped to the commune's shape: the convex hull of the centres,
widened by a margin so the outer villages get an area too. It is a sketch of who lives
where, not a cadastral map, and it needs no tile server, no network and no library.

Pure geometry on a local flat projection (x = longitude × cos(latitude), y = latitude):
within a commune (a few km) the distortion is negligible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]

# How far the commune's outline reaches beyond its outermost village centres (km).
MARGIN_KM = 1.2
KM_PER_DEGREE = 111.32


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """Counter-clockwise hull (Andrew's monotone chain); fewer than 3 points as given."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _widened(points: Sequence[Point], margin: float) -> list[Point]:
    """The hull of `points` grown by `margin`: each point becomes an octagon around it
    (so one or two villages still get a shape) and the hull of all those is taken."""
    ring = [
        (math.cos(k * math.pi / 4) * margin, math.sin(k * math.pi / 4) * margin)
        for k in range(8)
    ]
    return convex_hull([(x + dx, y + dy) for x, y in points for dx, dy in ring])


def _clip(polygon: list[Point], a: Point, b: Point) -> list[Point]:
    """The part of `polygon` nearer to `a` than to `b` (Sutherland–Hodgman, one edge)."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    nx, ny = b[0] - a[0], b[1] - a[1]

    def side(p: Point) -> float:  # < 0: on a's side of the bisector
        return (p[0] - mx) * nx + (p[1] - my) * ny

    out: list[Point] = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        s_cur, s_prev = side(current), side(previous)
        if s_cur <= 0:
            if s_prev > 0:
                t = s_prev / (s_prev - s_cur)
                out.append(
                    (
                        previous[0] + t * (current[0] - previous[0]),
                        previous[1] + t * (current[1] - previous[1]),
                    )
                )
            out.append(current)
        elif s_prev <= 0:
            t = s_prev / (s_prev - s_cur)
            out.append(
                (
                    previous[0] + t * (current[0] - previous[0]),
                    previous[1] + t * (current[1] - previous[1]),
                )
            )
    return out


def village_cells(centres: Sequence[tuple[float, float]]) -> list[list[list[float]]]:
    """For each (lat, lng) centre, its outline as a ring of [lat, lng] (same order).

    Centres at the same spot share one cell (the first gets it, the others an empty
    ring). O(n²) half-plane clips: a commune's few dozen villages take milliseconds.
    """
    if not centres:
        return []
    lat0 = sum(lat for lat, _lng in centres) / len(centres)
    scale = math.cos(math.radians(lat0))
    flat = [(lng * scale, lat) for lat, lng in centres]
    boundary = _widened(flat, MARGIN_KM / KM_PER_DEGREE)
    cells = []
    for i, a in enumerate(flat):
        cell = list(boundary)
        for j, b in enumerate(flat):
            if not cell:
                break
            if j == i:
                continue
            if b == a:
                if j < i:
                    cell = []
                continue
            cell = _clip(cell, a, b)
        cells.append([[round(y, 6), round(x / scale, 6)] for x, y in cell])
    return cells
