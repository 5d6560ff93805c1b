"""Ruled tables from a page's lines: pdfplumber's table finder, its three quadratic steps
done by lookups.

pdfplumber's TableFinder snaps and joins the ruling lines, copying each line's dict for
every move; then finds where lines cross by testing every vertical against every
horizontal, finds each cell by comparing sets of edge boxes rebuilt for every pair of
crossings, and groups cells into tables by sweeping the cell list until nothing moves. On a
page of ruled tables that took twice the PDFium text floor. Here lines are snapped and
joined with the same arithmetic on small dicts (`ruling_lines`), the crossings of a vertical
are looked up among the horizontals sorted by height, each crossing keeps the boxes of its
lines as sets built once, the points below and to the right of a crossing come from
per-column and per-row lists, and tables are the groups of cells sharing a corner. The
rules and the arithmetic are pdfplumber's, so the tables are the same, cell for cell.
"""

import bisect
from operator import itemgetter

from pdfplumber.table import Table, TableFinder, TableSettings

# The tops of the horizontals tested against a vertical are widened by this much, so that
# floating-point rounding never drops a crossing pdfplumber's own test would keep.
SLACK = 1e-6


class GridFinder(TableFinder):
    """pdfplumber's TableFinder (`.edges`, `.intersections`, `.cells`, `.tables`), with the
    crossings, cells and tables found by `crossings`, `grid_cells` and `cell_groups`.
    `.intersections` maps each crossing to (boxes of its verticals, boxes of its horizontals)."""

    def __init__(self, page, settings=None):
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = ruling_lines(page.edges, self.settings) if _lines_only(self.settings) else self.get_edges()
        self.intersections = crossings(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        )
        self.cells = grid_cells(self.intersections)
        self.tables = [Table(page, group) for group in cell_groups(self.cells)]


def _lines_only(settings):
    """Settings `ruling_lines` follows: lines both ways, no explicit vertical, explicit
    horizontals given as line dicts."""
    return (
        settings.vertical_strategy == settings.horizontal_strategy == "lines"
        and not settings.explicit_vertical_lines
        and all(
            isinstance(line, dict) and line.get("object_type") == "line"
            for line in settings.explicit_horizontal_lines or ()
        )
    )


def ruling_lines(edges, settings):
    """pdfplumber's `TableFinder.get_edges` for the lines strategy: the page's lines of at
    least the prefilter length and the explicit horizontals, snapped (each line moved to the
    mean position of its cluster), joined along each position, and kept when long enough.
    Lines are worked on as lists [x0, x1, top, bottom, width, height]."""
    prefilter = settings.edge_min_length_prefilter
    verticals = [_line(e) for e in edges if e["orientation"] == "v" and e["height"] >= prefilter]
    horizontals = [_line(e) for e in edges if e["orientation"] == "h" and e["width"] >= prefilter]
    horizontals += [_line(line) for line in settings.explicit_horizontal_lines or () if line["top"] == line["bottom"]]
    joined = [
        ("h", line)
        for _, group in _by_position(_snapped(horizontals, TOP, settings.snap_y_tolerance), TOP)
        for line in _joined(group, X0, settings.join_x_tolerance)
    ] + [
        ("v", line)
        for _, group in _by_position(_snapped(verticals, X0, settings.snap_x_tolerance), X0)
        for line in _joined(group, TOP, settings.join_y_tolerance)
    ]
    return [
        dict(zip(LINE_KEYS, (orientation, *line)))
        for orientation, line in joined
        if line[HEIGHT if orientation == "v" else WIDTH] >= settings.edge_min_length
    ]


X0, X1, TOP, BOTTOM, WIDTH, HEIGHT = range(6)
LINE_KEYS = ("orientation", "x0", "x1", "top", "bottom", "width", "height")


def _line(edge):
    return [edge["x0"], edge["x1"], edge["top"], edge["bottom"], edge["width"], edge["height"]]


def _snapped(lines, start, tolerance):
    """Lines whose `start` values chain within the tolerance moved, both ends (start and the
    index after it), to their mean: pdfplumber's `snap_objects`, with its order of lines
    (by cluster, then as given) and its float arithmetic."""
    if tolerance <= 0:
        return lines
    values = sorted({line[start] for line in lines})
    cluster, number = {}, -1
    for at, value in enumerate(values):
        if at == 0 or value > values[at - 1] + tolerance:
            number += 1
        cluster[value] = number
    groups = [[] for _ in range(number + 1)]
    for line in lines:
        groups[cluster[line[start]]].append(line)
    moved = []
    for group in groups:
        mean = sum(line[start] for line in group) / len(group)
        for line in group:
            shift = mean - line[start]
            line = line.copy()
            line[start] += shift
            line[start + 1] += shift
            moved.append(line)
    return moved


def _by_position(lines, position):
    """(position, its lines in the order given), by position ascending."""
    groups = {}
    for line in lines:
        groups.setdefault(line[position], []).append(line)
    return sorted(groups.items())


def _joined(lines, start, tolerance):
    """Lines along one position joined where they overlap or lie within the tolerance
    (pdfplumber's `join_edge_group`): start is X0 or TOP, the end and the length follow."""
    end, length = start + 1, WIDTH if start == X0 else HEIGHT
    lines = sorted(lines, key=lambda line: line[start])
    joined = [lines[0]]
    for line in lines[1:]:
        last = joined[-1]
        if line[start] <= last[end] + tolerance:
            if line[end] > last[end]:
                extended = last.copy()
                extended[length] = last[length] + (line[end] - last[end])
                extended[end] = line[end]
                joined[-1] = extended
        else:
            joined.append(line)
    return joined


def box(edge):
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def crossings(edges, x_tolerance=1, y_tolerance=1):
    """{(x, top): (set of vertical boxes, set of horizontal boxes)} where a vertical and a
    horizontal meet within the tolerances (pdfplumber's `edges_to_intersections`)."""
    horizontals = sorted((edge for edge in edges if edge["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [edge["top"] for edge in horizontals]
    boxes = [box(edge) for edge in horizontals]
    found = {}
    for vertical in edges:
        if vertical["orientation"] != "v":
            continue
        x, top, bottom = vertical["x0"], vertical["top"], vertical["bottom"]
        first = bisect.bisect_left(tops, top - y_tolerance - SLACK)
        last = bisect.bisect_right(tops, bottom + y_tolerance + SLACK)
        for at in range(first, last):
            horizontal = horizontals[at]
            if (
                top <= horizontal["top"] + y_tolerance
                and bottom >= horizontal["top"] - y_tolerance
                and horizontal["x0"] - x_tolerance <= x <= horizontal["x1"] + x_tolerance
            ):
                point = (x, horizontal["top"])
                if point not in found:
                    found[point] = (set(), set())
                found[point][0].add(box(vertical))
                found[point][1].add(boxes[at])
    return found


def grid_cells(found):
    """The smallest cell each crossing is the top-left corner of, as (x0, top, x1, bottom):
    the nearest crossing below it on a shared vertical and to its right on a shared
    horizontal whose bottom-right crossing closes the box (pdfplumber's
    `intersections_to_cells`). Most cells close with the first crossing tried each way."""
    column_ys, row_xs = {}, {}
    for x, y in sorted(found):  # by x, then y: each list ascends
        column_ys.setdefault(x, []).append(y)
        row_xs.setdefault(y, []).append(x)
    place_in_row = {(x, y): at for y, xs in row_xs.items() for at, x in enumerate(xs)}
    cells = []
    for x, ys in column_ys.items():
        for at, y in enumerate(ys):
            cell = _smallest_cell(found, x, y, ys[at + 1 :], row_xs[y][place_in_row[(x, y)] + 1 :])
            if cell:
                cells.append(cell)
    return cells


def _smallest_cell(found, x, y, ys_below, xs_right):
    verticals, horizontals = found[(x, y)]
    right = None  # the crossings to the right on a shared horizontal, found when first needed
    for by in ys_below:
        below_verticals, below_horizontals = found[(x, by)]
        if verticals.isdisjoint(below_verticals):
            continue
        if right is None:
            right = [rx for rx in xs_right if not horizontals.isdisjoint(found[(rx, y)][1])]
        for rx in right:
            corner = found.get((rx, by))
            if (
                corner is not None
                and not corner[0].isdisjoint(found[(rx, y)][0])
                and not corner[1].isdisjoint(below_horizontals)
            ):
                return (x, y, rx, by)
    return None


def cell_groups(cells):
    """Cells grouped into tables: those sharing a corner, directly or through others, top to
    bottom by each table's top-left corner; a group of one cell is no table (pdfplumber's
    `cells_to_tables`)."""
    parent = {}

    def root(point):
        while parent.setdefault(point, point) != point:
            parent[point] = parent[parent[point]]
            point = parent[point]
        return point

    for x0, top, x1, bottom in cells:
        first = root((x0, top))
        for corner in ((x0, bottom), (x1, top), (x1, bottom)):
            parent[root(corner)] = first
    groups = {}
    for cell in cells:
        groups.setdefault(root((cell[0], cell[1])), []).append(cell)
    ordered = sorted(groups.values(), key=lambda group: min((cell[1], cell[0]) for cell in group))
    return [group for group in ordered if len(group) > 1]
