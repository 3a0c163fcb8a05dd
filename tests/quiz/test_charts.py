"""Chart geometry (quiz/charts.py): x in percent of the plot, y in pixels, hand-computed."""

from datetime import UTC, datetime

from quiz.charts import BarSpec, TrendPoint, bar_chart, nice_step, trend_chart

DAY1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_nice_steps_are_round_numbers():
    assert [nice_step(n) for n in (0, 5, 7, 12, 40, 130)] == [1, 1, 2, 5, 10, 50]


def test_bar_chart_geometry():
    chart = bar_chart(
        [BarSpec("0", 0), BarSpec("1", 2), BarSpec("2", 4, kind="pass")],
        height=240,
        marker_before=2,
        marker_label="Pass mark 2",
    )
    # Plot: y from 40 (4 students) to 208 (none); three slots of a third of the width, each
    # bar 85% of its slot and centred in it.
    assert [bar.height for bar in chart.bars] == [0, 84, 168]
    assert chart.bars[2].y == 40
    assert [bar.x for bar in chart.bars] == [2.5, 35.83, 69.17]
    assert chart.bars[0].width == 28.33
    assert chart.bars[1].centre == 50
    assert chart.marker_x == 66.67
    assert chart.marker_label == "Pass mark 2"
    assert [(tick.value, tick.y, tick.label) for tick in chart.ticks][::2] == [
        (0, 208, "0"),
        (2, 124, "2"),
        (4, 40, "4"),
    ]


def test_a_bar_keeps_its_label_on_a_phone_unless_given_a_shorter_one():
    chart = bar_chart([BarSpec("0", 1), BarSpec("14\u201317", 2, short_label="14")])
    assert [(bar.label, bar.short_label) for bar in chart.bars] == [
        ("0", "0"),
        ("14\u201317", "14"),
    ]


def test_bar_chart_marker_only_between_bars():
    specs = [BarSpec("0", 1), BarSpec("1", 1)]
    assert bar_chart(specs, marker_before=0, marker_label="x").marker_x is None
    assert bar_chart(specs, marker_before=2, marker_label="x").marker_label == ""
    assert bar_chart([]).bars == []


def point(percent: float) -> TrendPoint:
    return TrendPoint("id", DAY1, "Quiz", False, 0, 10, percent >= 65, percent)


def test_trend_chart_places_points_on_a_percent_scale():
    chart = trend_chart([point(0), point(50), point(100)], pass_percent=65, height=240)
    # y: 212 px for 0% up to 16 px for 100%; x spread over the whole width.
    assert [(m.x, m.y) for m in chart.markers] == [(0, 212), (50, 114), (100, 16)]
    assert [(s.x1, s.y1, s.x2, s.y2) for s in chart.segments] == [
        (0, 212, 50, 114),
        (50, 114, 100, 16),
    ]
    assert chart.pass_y == round(212 - 196 * 0.65, 1)
    assert (chart.ticks[0].y, chart.ticks[0].label) == (212, "0%")
    assert (chart.ticks[-1].y, chart.ticks[-1].label) == (16, "100%")
    assert (chart.first.percent, chart.last.percent) == (0, 100)


def test_a_single_point_sits_in_the_middle_and_none_draws_nothing():
    single = trend_chart([point(80)], pass_percent=65)
    assert [m.x for m in single.markers] == [50]
    assert single.segments == []
    empty = trend_chart([], pass_percent=65)
    assert (empty.markers, empty.first, empty.last) == ([], None, None)
