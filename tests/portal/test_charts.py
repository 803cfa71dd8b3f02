"""The charts' geometry (dialogues_portal/charts.py) and the per-year figures behind them."""

import datetime
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dialogues_portal import charts, statistics
from funding.aggregates import YearAmount
from tests.factories import make_country, make_round, make_seminar


def test_every_year_fills_the_years_between_with_empty_values():
    rows = [(2005, [1, 0]), (2008, [2, 3]), (None, [4, 0])]
    assert charts.every_year(rows, 0) == [
        (2005, [1, 0]),
        (2006, [0, 0]),
        (2007, [0, 0]),
        (2008, [2, 3]),
        (None, [4, 0]),  # the unknown year stays last
    ]
    assert charts.every_year([], 0) == []


def test_contribution_by_year_shows_empty_years_as_a_dash_not_as_zero():
    chart = charts.contribution_by_year(
        "Known", [YearAmount(2009, Decimal(100)), YearAmount(2011, Decimal(50)), YearAmount(None, Decimal(7))]
    )
    assert [label for label, _values in chart.table_rows] == ["2009", "2010", "2011", "unknown year"]
    assert [values for _label, values in chart.table_rows] == [["€100"], ["—"], ["€50"], ["€7"]]


def test_a_bar_chart_fits_a_phone_and_its_columns_hold_their_longest_text():
    chart = charts.bar_chart("Title", [("Kyrgyz Republic", [Decimal(14860000)]), ("Tajikistan", [None])], ["EU"])
    assert chart.width == charts.CHART_WIDTH  # drawn at 12 px on a 390 px screen, never scaled down
    longest = charts.text_width("Kyrgyz Republic")
    assert chart.label_x >= longest  # the labels end at label_x, so the longest starts at 0 or later
    bar = chart.groups[0].bars[0]
    assert bar.text_x + charts.text_width(bar.display) <= chart.width  # the value is not cut at the right


def test_a_bar_chart_draws_a_bar_per_value_and_escapes_its_texts():
    chart = charts.bar_chart(
        "Title", [("<b>Draft</b> & co", [Decimal(2000), None])], ["A", "B"], display=lambda v: f"<{v}>"
    )
    drawing = str(chart.drawing)
    first, second = chart.groups[0].bars
    assert drawing.count("<rect ") == 1  # the empty value gets its text only
    assert f'<rect x="{first.x}" y="{first.y}" width="{first.width}" height="16" class="series-0"></rect>' in drawing
    assert f'<text x="{second.x + 4}" y="{second.text_y}" class="chart-value">&lt;None&gt;</text>' in drawing
    assert "&lt;b&gt;Draft&lt;/b&gt; &amp; co</text>" in drawing
    assert "<b>" not in drawing


def test_a_tall_chart_s_coordinates_are_not_localised():
    rows = [(year, [Decimal(1000 + year)]) for year in range(1950, 2026)]  # taller than 1,000 units
    chart = charts.bar_chart("Title", rows, ["EU"])
    assert chart.height > 1000
    with translation.override("ru"):
        html = render_to_string("charts/bar_chart.html", {"chart": chart, "id": "c"})
    last_bar = chart.groups[-1].bars[0]
    assert f'y="{last_bar.y}"' in html  # digits only: no thousands separator, no decimal comma
    assert re.search(r'\s(x|y|width|height)="[^"]*[^\d"][^"]*"', html.split("<svg", 1)[1].split("</svg>")[0]) is None


def test_a_long_heat_map_label_wraps_and_its_row_grows_to_hold_it():
    name = "Conditions of detention, access to prisoners and enforced disappearances"
    heat = charts.heat_map("Attention", ["KZ", "KG"], [(name, [1, 2]), ("Rule of law", [3, 0])])
    long_row, short_row = heat.rows
    assert " ".join(line for _y, line in long_row.lines) == name
    assert all(charts.text_width(line) <= heat.label_x for _y, line in long_row.lines)
    assert len(long_row.lines) > 1 and len(short_row.lines) == 1
    assert short_row.y - long_row.y >= len(long_row.lines) * charts.LINE_HEIGHT  # rows do not overlap
    assert heat.rows[0].y == 26 and heat.column_label_y < heat.rows[0].y  # no blank band above the grid


def test_activity_per_year_counts_the_undated_records_apart(db):
    country = make_country()
    make_round(country=country, held_on=datetime.date(2005, 5, 1))
    make_round(country=country, held_on=None, held_on_precision="", sequence_number=3)
    make_seminar(countries=[country], held_on=datetime.date(2008, 6, 1))
    make_seminar(countries=[country], held_on=None, held_on_precision="")
    activity = statistics.activity_per_year()
    assert activity.years == [(2005, 1, 0), (2008, 0, 1)]
    assert (activity.undated_rounds, activity.undated_seminars) == (1, 1)


def test_home_activity_chart_runs_on_through_empty_years_and_says_what_it_leaves_out(client, db):
    country = make_country()
    make_round(country=country, held_on=datetime.date(2005, 5, 1))
    make_seminar(countries=[country], held_on=datetime.date(2008, 6, 1))
    make_seminar(countries=[country], held_on=None, held_on_precision="")
    html = client.get(reverse("home")).content.decode()
    chart = html[html.index("Dialogue rounds and seminars per year") :]
    for year in (2005, 2006, 2007, 2008):
        assert f'<th scope="row">{year}</th>' in chart
    assert "1 seminar without a date is not shown." in chart
    assert "dialogue round without a date" not in chart  # none is undated


def test_timeline_entries_hold_plain_strings_to_be_cached(db):
    # a lazy string unpickled from the cache builds a class each time: 80 µs an entry of a timeline
    dialogue_round = make_round(make_country("KZ", slug="kazakhstan"), held_on=datetime.date(2010, 6, 1))
    with translation.override("ru"):
        (entry,) = statistics.round_entries([dialogue_round])
    assert type(entry.kind_label) is str and type(entry.note) is str and type(entry.title) is str
    assert entry.kind_label != "Dialogue round"  # in the language it was made in
