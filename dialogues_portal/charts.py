"""Server-side SVG charts: geometry computed here, drawn by templates/charts/*.html.

No JavaScript and no inline style (the Content-Security-Policy forbids both): colours come from
CSS classes. Every chart is drawn next to a table holding the same numbers.
"""

from dataclasses import dataclass, field

LABEL_WIDTH = 120
BAR_AREA = 240
VALUE_WIDTH = 100
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12
TOP = 8


@dataclass
class Bar:
    series: int
    value: object
    display: str
    x: int
    y: int
    width: int
    height: int = BAR_HEIGHT

    @property
    def text_x(self):
        return self.x + self.width + 6

    @property
    def text_y(self):
        return self.y + self.height - 4


@dataclass
class Group:
    label: str
    y: int
    label_y: int
    bars: list = field(default_factory=list)


@dataclass
class BarChart:
    title: str
    series: list  # names, one colour each
    groups: list
    width: int
    height: int
    table_headers: list
    table_rows: list  # [(label, [display, ...])]


def bar_chart(title, rows, series, display=str, row_label=""):
    """Horizontal bars: `rows` is [(label, [value per series])]; None values are left out (unknown)."""
    largest = max((value for _label, values in rows for value in values if value), default=0)
    groups, y = [], TOP
    for label, values in rows:
        group = Group(label=str(label), y=y, label_y=0)
        for index, value in enumerate(values):
            length = round(BAR_AREA * float(value) / float(largest)) if value and largest else 0
            group.bars.append(
                Bar(index, value, display(value), LABEL_WIDTH, y + index * (BAR_HEIGHT + BAR_GAP), max(length, 1))
            )
        span = len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        group.label_y = y + span // 2 + 5
        groups.append(group)
        y += span + GROUP_GAP
    return BarChart(
        title=title,
        series=list(series),
        groups=groups,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=max(y, 40),
        table_headers=[row_label, *series],
        table_rows=[(str(label), [display(value) for value in values]) for label, values in rows],
    )


@dataclass
class Cell:
    x: int
    y: int
    value: int
    level: int  # 0..4, a CSS class picks the shade


@dataclass
class HeatMap:
    title: str
    columns: list  # [(x, label)]
    rows: list  # [(label, y, [Cell])]
    width: int
    height: int
    cell: int


def heat_map(title, column_labels, rows, cell=36, label_width=250, header=110):
    """A grid of shaded cells: `rows` is [(label, [count per column])]."""
    largest = max((value for _label, values in rows for value in values), default=0)
    drawn = []
    for row_index, (label, values) in enumerate(rows):
        y = header + row_index * cell
        cells = [
            Cell(
                x=label_width + col * cell,
                y=y,
                value=value,
                level=0 if not value else 1 + min(3, (3 * (value - 1)) // max(largest - 1, 1)),
            )
            for col, value in enumerate(values)
        ]
        drawn.append((str(label), y, cells))
    return HeatMap(
        title=title,
        columns=[(label_width + col * cell + cell // 2, str(label)) for col, label in enumerate(column_labels)],
        rows=drawn,
        width=label_width + len(column_labels) * cell + 10,
        height=header + len(rows) * cell + 10,
        cell=cell,
    )
