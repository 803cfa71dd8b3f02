"""Server-side SVG charts: geometry computed here, drawn by templates/charts/*.html.

No JavaScript and no inline style (the Content-Security-Policy forbids both): colours come from
CSS classes. Every chart is drawn next to a table holding the same numbers. Text is 12 px in the
drawing's own units, and a bar chart is no wider than a phone's column (CHART_WIDTH), so that it is
never scaled below 12 px on a 390 px screen; the widths of its texts are estimated (CHAR_WIDTH, on
the wide side) so that no label is cut.
"""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dialogues.templatetags.portal import eur

CHART_WIDTH = 356  # a 390 px screen less the page's 1rem margins
CHAR_WIDTH = 7.6  # the widest common sans-serif (DejaVu Sans) averages about 7.2 px a character at 12 px
MIN_BAR_AREA = 60  # below it a chart grows wider than CHART_WIDTH (and is scaled down on a phone)
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12
TOP = 8
LINE_HEIGHT = 15


def text_width(text):
    """An estimate of a 12 px text's width, on the wide side."""
    return round(len(str(text)) * CHAR_WIDTH)


def every_year(rows, empty):
    """`rows` [(year, values)], oldest first, with every year from the first to the last: a year
    without a row gets `empty` values, so that the chart's year axis runs on without gaps. Rows
    whose year is None (unknown) stay at the end."""
    dated = {year: values for year, values in rows if year is not None}
    undated = [(year, values) for year, values in rows if year is None]
    if not dated:
        return undated
    width = len(next(iter(dated.values())))
    filled = [(year, dated.get(year, [empty] * width)) for year in range(min(dated), max(dated) + 1)]
    return filled + undated


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
    label_x: int
    note: str = ""  # what the chart leaves out, said under it

    @property
    def drawing(self):
        """The SVG elements of the bars and their labels. Written here, not by a template loop: the
        template localised each of a chart's hundreds of coordinates in turn (Django formats every
        number it renders), a third of the time of a page of charts."""
        parts = []
        for group in self.groups:
            parts.append(
                f'<text x="{self.label_x}" y="{group.label_y}" text-anchor="end" class="chart-label">'
                f"{escape(group.label)}</text>"
            )
            for bar in group.bars:
                if bar.value:
                    parts.append(
                        f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}"'
                        f' class="series-{bar.series}"></rect>'
                    )
                text_x = bar.text_x if bar.value else bar.x + 4
                parts.append(f'<text x="{text_x}" y="{bar.text_y}" class="chart-value">{escape(bar.display)}</text>')
        return mark_safe("\n".join(parts))  # every text in it is escaped

    @property
    def table_body(self):
        """The rows of the table of the chart's numbers, written here as the drawing is."""
        rows = (
            f'<tr><th scope="row">{escape(label)}</th>'
            + "".join(f'<td class="number">{escape(value)}</td>' for value in values)
            + "</tr>"
            for label, values in self.table_rows
        )
        return mark_safe("\n".join(rows))  # every text in it is escaped


def bar_chart(title, rows, series, display=str, row_label="", note=""):
    """Horizontal bars: `rows` is [(label, [value per series])]; a value that is None or 0 gets no
    bar, only its displayed value. The labels' and values' columns are as wide as their longest
    text; the bars take the rest of CHART_WIDTH."""
    largest = max((value for _label, values in rows for value in values if value), default=0)
    shown = [[display(value) for value in values] for _label, values in rows]  # once: a page has hundreds
    label_width = max((text_width(label) for label, _values in rows), default=0) + 12
    value_width = max((text_width(text) for texts in shown for text in texts), default=0) + 10
    bar_area = max(CHART_WIDTH - label_width - value_width, MIN_BAR_AREA)
    groups, y = [], TOP
    for (label, values), texts in zip(rows, shown, strict=True):
        group = Group(label=str(label), y=y, label_y=0)
        for index, (value, text) in enumerate(zip(values, texts, strict=True)):
            length = round(bar_area * float(value) / float(largest)) if value and largest else 0
            group.bars.append(Bar(index, value, text, label_width, y + index * (BAR_HEIGHT + BAR_GAP), max(length, 1)))
        span = len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        group.label_y = y + span // 2 + 5
        groups.append(group)
        y += span + GROUP_GAP
    return BarChart(
        title=title,
        series=list(series),
        groups=groups,
        width=max(label_width + bar_area + value_width, CHART_WIDTH),
        height=max(y, 40),
        table_headers=[row_label, *series],
        table_rows=[(str(label), texts) for (label, _values), texts in zip(rows, shown, strict=True)],
        label_x=label_width - 8,
        note=note,
    )


@dataclass
class Cell:
    x: int
    y: int
    value: int
    level: int  # 0..4, a CSS class picks the shade
    size: int

    @property
    def side(self):
        return self.size - 2  # a 2 px gap between cells

    @property
    def text_x(self):
        return self.x + self.side // 2

    @property
    def text_y(self):
        return self.y + self.side // 2 + 4


@dataclass
class HeatRow:
    label: str
    y: int
    lines: list  # [(y, text)]: the label, wrapped so that it is never cut
    cells: list


@dataclass
class HeatMap:
    title: str
    columns: list  # [(x, label)]
    rows: list  # [HeatRow]
    width: int
    height: int
    cell: int
    column_label_y: int
    label_x: int


def heat_map(title, column_labels, rows, cell=34, label_chars=22, header=26):
    """A grid of shaded cells: `rows` is [(label, [count per column])]. A label longer than
    `label_chars` wraps onto further lines and its row grows to hold them; the label column is as
    wide as its longest line."""
    largest = max((value for _label, values in rows for value in values), default=0)
    wrapped = [(str(label), textwrap.wrap(str(label), label_chars) or [""], values) for label, values in rows]
    label_width = max((text_width(line) for _label, lines, _values in wrapped for line in lines), default=0) + 12
    drawn, y = [], header
    for label, lines, values in wrapped:
        height = max(cell, len(lines) * LINE_HEIGHT + 6)
        first_line = y + (height - len(lines) * LINE_HEIGHT) // 2 + 11
        cells = [
            Cell(
                x=label_width + col * cell,
                y=y + (height - cell) // 2,
                value=value,
                level=0 if not value else 1 + min(3, (3 * (value - 1)) // max(largest - 1, 1)),
                size=cell,
            )
            for col, value in enumerate(values)
        ]
        drawn.append(
            HeatRow(label, y, [(first_line + index * LINE_HEIGHT, line) for index, line in enumerate(lines)], cells)
        )
        y += height
    return HeatMap(
        title=title,
        columns=[(label_width + col * cell + cell // 2, str(label)) for col, label in enumerate(column_labels)],
        rows=drawn,
        width=label_width + len(column_labels) * cell + 4,
        height=y + 4,
        cell=cell,
        column_label_y=header - 8,
        label_x=label_width - 8,
    )


def contribution_by_year(title, by_year):
    """Known contribution per year (funding.aggregates' by_year), on a continuous year axis: a year
    in which no project with a stated amount starts shows a dash, not €0 (nothing is known of it)."""
    rows = every_year([(row.year, [row.amount]) for row in by_year], None)
    return bar_chart(
        title,
        [(_("unknown year") if year is None else year, values) for year, values in rows],
        [_("EU contribution")],
        display=lambda amount: "—" if amount is None else eur(amount),  # by_year's sums are never None
        row_label=_("Year"),
    )
