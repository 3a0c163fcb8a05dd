"""Instructors' reports: statistics against figures computed by hand, pages (plain and htmx),
CSV exports, and query budgets that do not grow with the class."""

import csv
import io
import math
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.attempts import attempt_record_answer, attempt_start, attempt_submit
from quiz.models import Attempt, Blueprint, Choice, Question
from quiz.reports import (
    AssignmentSummary,
    ItemStats,
    assignment_summary,
    correlation,
    item_analysis,
    mastery_by_outcome,
    mastery_by_section,
    median_of_histogram,
    rate_percent,
    roster_queryset,
    score_bands,
    sort_roster,
    spreadsheet_safe,
    statistics_attempts,
    student_attempts,
    weakest_concepts,
)
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    ConceptFactory,
    EnrollmentFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OPTIONS = ["The key", "Wrong one", "Wrong two", "Wrong three"]


def take(student, assignment, answers, *, start, minutes=10, submit=True):
    """One attempt at `assignment`. `answers` maps each question to "K" (the key), "1"-"3"
    (that wrong option) or "-" (left blank)."""
    attempt = attempt_start(blueprint=assignment.blueprint, user=student, now=start, seed=7)
    Attempt.objects.filter(pk=attempt.pk).update(assignment=assignment)
    attempt.assignment = assignment
    for question, mark in answers.items():
        if mark == "-":
            continue
        response = attempt.responses.get(question=question)
        text = OPTIONS[0 if mark == "K" else int(mark)]
        choice = Choice.objects.get(question=question, text=text)
        letter = "ABCD"[response.choice_order.index(choice.pk)]
        attempt_record_answer(attempt=attempt, position=response.position, letter=letter, now=start)
    if submit:
        attempt = attempt_submit(attempt=attempt, now=start + timedelta(minutes=minutes))
    return attempt


# The response matrix of the first attempts (K = right; 1, 2, 3 = that wrong option; - = blank)
#
#            Q1  Q2  Q3  Q4   score
#   s1       K   K   K   1    3
#   s2       K   K   1   K    3
#   s3       K   K   1   2    2
#   s4       K   3   2   K    2
#   s5       -   1   -   K    1
#
# s1 takes it again later and gets only Q1 right (score 1). s6 has an attempt in progress,
# s7 never started, and a former student (not enrolled) got everything right: neither of the
# last two changes a figure. Q1 and Q2 are in section 1.1 (LO1), Q3 and Q4 in 2.1 (LO2).
MATRIX = {
    "s1": "KKK1",
    "s2": "KK1K",
    "s3": "KK12",
    "s4": "K32K",
    "s5": "-1-K",
}
MINUTES = {"s1": 10, "s2": 20, "s3": 15, "s4": 12, "s5": 30}


@pytest.fixture
def course():
    lo1 = SectionFactory(code="1.1", title="Key concepts", learning_outcome="LO1", order=1)
    lo2 = SectionFactory(code="2.1", title="Principles", learning_outcome="LO2", order=2)
    questions = [
        QuestionFactory(concept=ConceptFactory(name=name, section=section), choices=OPTIONS)
        for name, section in [("Alpha", lo1), ("Bravo", lo1), ("Charlie", lo2), ("Delta", lo2)]
    ]
    instructor = UserFactory(username="teacher")
    classroom = ClassroomFactory(
        name="ITIL Foundation \u2013 Spring 2026", instructors=[instructor]
    )
    blueprint = Blueprint.objects.create(
        kind="custom", title="Four questions", question_count=4, pass_mark=3, feedback="end"
    )
    assignment = AssignmentFactory(classroom=classroom, blueprint=blueprint, title="Week 1")
    students = {}
    for index, name in enumerate(["s1", "s2", "s3", "s4", "s5", "s6", "s7"]):
        students[name] = UserFactory(username=name)
        EnrollmentFactory(classroom=classroom, student=students[name])
        if name in MATRIX:
            answers = dict(zip(questions, MATRIX[name], strict=True))
            start = START + timedelta(hours=index)
            take(students[name], assignment, answers, start=start, minutes=MINUTES[name])
    again = dict(zip(questions, "K111", strict=True))
    take(students["s1"], assignment, again, start=START + timedelta(days=1), minutes=5)
    take(students["s6"], assignment, {}, start=START, submit=False)
    former = UserFactory(username="former")
    take(former, assignment, dict.fromkeys(questions, "K"), start=START)
    return {
        "classroom": classroom,
        "assignment": assignment,
        "instructor": instructor,
        "questions": questions,
        "students": students,
    }


# -- roster and class figures ------------------------------------------------------------------


def test_roster_counts_the_best_attempt(course):
    rows = {row.student.username: row for row in roster_queryset(course["assignment"])}
    assert set(rows) == {"s1", "s2", "s3", "s4", "s5", "s6", "s7"}  # not the former student
    s1 = rows["s1"]
    assert (s1.attempts, s1.best_score, s1.last_score, s1.counted_score) == (2, 3, 1, 3)
    assert s1.counted_passed is True
    assert s1.status == "passed"
    assert s1.counted_time == timedelta(minutes=10)  # the time of the counted (first) attempt
    assert (rows["s5"].counted_score, rows["s5"].status) == (1, "failed")
    assert rows["s5"].counted_time == timedelta(minutes=30)
    assert (rows["s6"].attempts, rows["s6"].in_progress, rows["s6"].status) == (
        0,
        True,
        "in_progress",
    )
    assert (rows["s7"].attempts, rows["s7"].counted_score, rows["s7"].status) == (
        0,
        None,
        "not_started",
    )


def test_roster_counts_the_last_attempt_when_the_assignment_says_so(course):
    assignment = course["assignment"]
    assignment.counts = "last"
    assignment.save()
    s1 = next(r for r in roster_queryset(assignment) if r.student.username == "s1")
    assert (s1.best_score, s1.last_score, s1.counted_score, s1.status) == (3, 1, 1, "failed")
    assert s1.counted_time == timedelta(minutes=5)


def test_class_figures_best(course):
    summary = assignment_summary(course["assignment"])
    # Counted (best) scores 3, 3, 2, 2, 1: average 11 / 5 = 2.2; sorted 1 2 [2] 3 3, median 2;
    # 2 of 5 reach the pass mark of 3: pass rate 0.4. 7 students, 5 finished.
    assert (summary.students, summary.finished, summary.passed) == (7, 5, 2)
    assert summary.average == pytest.approx(2.2)
    assert summary.median == 2
    assert summary.pass_rate == pytest.approx(0.4)
    assert summary.histogram == {1: 1, 2: 2, 3: 2}
    assert (summary.average_percent, summary.median_percent, summary.pass_rate_percent) == (
        55,  # 2.2 / 4
        50,
        40,
    )


def test_percentages_round_halves_up_as_the_learners_result_does():
    # Two students scoring 2 and 3 of 4: average 2.5 / 4 = 62.5%, median 2.5, as the result
    # page shows a 62.5% score: 63% (Python's round() made it 62%).
    summary = AssignmentSummary(
        students=2,
        finished=2,
        passed=1,
        marks=5,
        average=2.5,
        median=2.5,
        question_count=4,
        pass_mark=3,
    )
    assert (summary.average_percent, summary.median_percent) == (63, 63)
    # 1 of 8 passing is 12.5%: 13%.
    assert rate_percent(1, 8) == 13
    # A pass rate reads 100% (or 0%) only when everyone (or no one) passed.
    assert [rate_percent(p, 200) for p in (0, 1, 199, 200)] == [0, 1, 99, 100]
    empty = AssignmentSummary(
        students=3,
        finished=0,
        passed=0,
        marks=0,
        average=None,
        median=None,
        question_count=4,
        pass_mark=3,
    )
    assert (empty.average_percent, empty.median_percent, empty.pass_rate_percent) == (None,) * 3


def test_class_figures_last(course):
    assignment = course["assignment"]
    assignment.counts = "last"
    assignment.save()
    summary = assignment_summary(assignment)
    # Counted (last) scores 1, 3, 2, 2, 1: average 9 / 5 = 1.8; sorted 1 1 [2] 2 3, median 2;
    # only s2 passes: pass rate 1 / 5 = 0.2.
    assert summary.average == pytest.approx(1.8)
    assert summary.median == 2
    assert summary.pass_rate == pytest.approx(0.2)
    assert summary.histogram == {1: 2, 2: 2, 3: 1}


def test_median_of_a_histogram():
    assert median_of_histogram({}) is None
    assert median_of_histogram({7: 1}) == 7
    assert median_of_histogram({1: 1, 2: 1, 3: 1, 4: 1}) == 2.5  # (2 + 3) / 2
    assert median_of_histogram({0: 3, 10: 1}) == 0  # 0 0 [0] 10 -> (0 + 0) / 2
    assert median_of_histogram({20: 2, 30: 2}) == 25


def test_score_bands_start_at_the_pass_mark():
    # A 4-question quiz: a bar per score.
    bands = score_bands({1: 1, 2: 2, 3: 2}, 4, 3)
    assert [(b.label, b.students, b.passing) for b in bands] == [
        ("0", 0, False),
        ("1", 1, False),
        ("2", 2, False),
        ("3", 2, True),
        ("4", 0, True),
    ]
    # The mock exam: 41 possible scores in bars 4 wide (ceil(41 / 12)), one starting at 26.
    bands = score_bands({25: 1, 26: 2, 40: 1}, 40, 26)
    assert [b.label.replace("\u2013", "-") for b in bands] == [
        "0-1", "2-5", "6-9", "10-13", "14-17", "18-21", "22-25", "26-29", "30-33", "34-37",
        "38-40",
    ]  # fmt: skip
    assert [b.students for b in bands if b.students] == [1, 2, 1]
    assert [b.passing for b in bands].index(True) == 7


def test_sorting_the_roster(course):
    rows = roster_queryset(course["assignment"])
    names = [r.student.username for r in sort_roster(rows, "-counted")]
    # Highest counted score first, students without one last; ties by name.
    assert names == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    names = [r.student.username for r in sort_roster(rows, "time")]
    assert names[:5] == ["s1", "s4", "s3", "s2", "s5"]  # 10, 12, 15, 20, 30 minutes
    names = [r.student.username for r in sort_roster(rows, "-name")]
    assert names == ["s7", "s6", "s5", "s4", "s3", "s2", "s1"]
    names = [r.student.username for r in sort_roster(rows, "status")]
    assert names == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]


# -- statistics ---------------------------------------------------------------------------------


def by_question(course, items):
    index = {q.pk: f"Q{n}" for n, q in enumerate(course["questions"], start=1)}
    return {index[item.question_id]: item for item in items}


def test_item_analysis_by_hand(course):
    attempts = statistics_attempts(course["classroom"], course["assignment"])
    assert attempts.count() == 5  # first attempts of s1-s5 only
    items = by_question(course, item_analysis(attempts))
    # Facility = right answers / answers.
    assert items["Q1"].facility == pytest.approx(4 / 5)
    assert items["Q2"].facility == pytest.approx(3 / 5)
    assert items["Q3"].facility == pytest.approx(1 / 5)
    assert items["Q4"].facility == pytest.approx(3 / 5)
    # Discrimination r = (nΣxy - ΣxΣy) / sqrt((nΣx² - (Σx)²)(nΣy² - (Σy)²)),
    # x = the item's mark, y = the attempt's score minus x (scores 3, 3, 2, 2, 1), n = 5.
    #
    # Q1: x = 1 1 1 1 0, y = 2 2 1 1 1. Σx = 4, Σy = 7, Σxy = 6, Σx² = 4, Σy² = 11.
    #     (30 - 28) / sqrt((20 - 16)(55 - 49)) = 2 / sqrt(24) = 0.408
    assert items["Q1"].discrimination == pytest.approx(2 / math.sqrt(24))
    # Q2: x = 1 1 1 0 0, y = 2 2 1 2 1. Σx = 3, Σy = 8, Σxy = 5, Σy² = 14.
    #     (25 - 24) / sqrt((15 - 9)(70 - 64)) = 1 / 6 = 0.167
    assert items["Q2"].discrimination == pytest.approx(1 / 6)
    # Q3: x = 1 0 0 0 0, y = 2 3 2 2 1. Σx = 1, Σy = 10, Σxy = 2, Σy² = 22.
    #     (10 - 10) / sqrt((5 - 1)(110 - 100)) = 0
    assert items["Q3"].discrimination == pytest.approx(0)
    # Q4: x = 0 1 0 1 1, y = 3 2 2 1 0. Σx = 3, Σy = 8, Σxy = 3, Σy² = 18.
    #     (15 - 24) / sqrt((15 - 9)(90 - 64)) = -9 / sqrt(156) = -0.721
    assert items["Q4"].discrimination == pytest.approx(-9 / math.sqrt(156))
    # Flags: Q1 is fine; Q2 discriminates weakly (0.167 < 0.2); Q3 is hard (0.2 < 0.3) and
    # does not discriminate; Q4 discriminates the wrong way.
    assert items["Q1"].flags == []
    assert items["Q2"].flags == ["Weak discrimination: below 0.20"]
    assert items["Q3"].flags == ["Hard: facility below 0.30", "Weak discrimination: below 0.20"]
    assert items["Q4"].flags == ["Negative discrimination: weaker students do better on it"]
    # Hardest first.
    assert [item.facility for item in item_analysis(attempts)] == sorted(
        item.facility for item in items.values()
    )


def test_option_counts(course):
    items = by_question(course, item_analysis(statistics_attempts(course["classroom"])))
    q3 = items["Q3"]
    # Q3 column: K 1 1 2 -  -> the key once, "Wrong one" twice, "Wrong two" once, one blank.
    assert [(o.text, o.is_key, o.chosen) for o in q3.options] == [
        ("The key", True, 1),
        ("Wrong one", False, 2),
        ("Wrong two", False, 1),
        ("Wrong three", False, 0),
    ]
    assert [o.letter for o in q3.options] == ["A", "B", "C", "D"]
    assert (q3.n, q3.correct, q3.unanswered) == (5, 1, 1)
    assert items["Q1"].unanswered == 1


def test_item_analysis_over_all_attempts(course):
    attempts = statistics_attempts(course["classroom"], course["assignment"], all_attempts=True)
    assert attempts.count() == 6  # s1's second attempt joins
    items = by_question(course, item_analysis(attempts))
    q1, q2 = items["Q1"], items["Q2"]
    # s1's second attempt (score 1): Q1 right, so x = 1 and y = 0.
    # x = 1 1 1 1 0 1, y = 2 2 1 1 1 0. n = 6, Σx = 5, Σy = 7, Σxy = 6, Σy² = 11.
    # (36 - 35) / sqrt((30 - 25)(66 - 49)) = 1 / sqrt(85) = 0.108: now flagged.
    assert q1.facility == pytest.approx(5 / 6)
    assert q1.discrimination == pytest.approx(1 / math.sqrt(85))
    assert q1.flags == ["Weak discrimination: below 0.20"]
    # Q2 wrong in that attempt, so x = 0 and y = 1.
    # x = 1 1 1 0 0 0, y = 2 2 1 2 1 1. Σx = 3, Σy = 9, Σxy = 5, Σy² = 15.
    # (30 - 27) / sqrt((18 - 9)(90 - 81)) = 3 / 9 = 0.333: no longer flagged.
    assert q2.facility == pytest.approx(3 / 6)
    assert q2.discrimination == pytest.approx(1 / 3)
    assert q2.flags == []


def test_correlation_edge_cases_and_easy_items():
    assert correlation(1, 1, 2, 2, 1, 4) is None  # one attempt
    assert correlation(3, 3, 4, 4, 3, 6) is None  # everyone right: x does not vary
    easy = ItemStats(1, "", "LO1", "", "", "", n=10, correct=10, unanswered=0, discrimination=None)
    assert easy.flags == ["Easy: facility above 0.90"]
    fine = ItemStats(1, "", "LO1", "", "", "", n=10, correct=9, unanswered=0, discrimination=0.2)
    assert fine.flags == []  # 0.9 and 0.2 are inside the usual ranges


def test_a_question_answered_too_few_times_is_not_judged():
    # Four answers, all wrong and discriminating the wrong way: noise, not a finding.
    few = ItemStats(1, "", "LO1", "", "", "", n=4, correct=0, unanswered=0, discrimination=-0.5)
    assert few.too_few_answers
    assert few.flags == []
    five = ItemStats(1, "", "LO1", "", "", "", n=5, correct=0, unanswered=0, discrimination=None)
    assert not five.too_few_answers
    assert five.flags == ["Hard: facility below 0.30"]


def test_questions_answered_too_few_times_are_not_judged(course):
    # s1's two attempts alone answer every question twice: nothing is judged or flagged.
    items = item_analysis(Attempt.objects.filter(user=course["students"]["s1"]))
    assert [(item.n, item.too_few_answers, item.flags) for item in items] == [(2, True, [])] * 4


def test_weakest_concepts_need_two_answers_and_a_wrong_one(course):
    s1, s5 = course["students"]["s1"], course["students"]["s5"]
    # One attempt answers each concept once: too little to call anything weak.
    assert weakest_concepts(Attempt.objects.filter(user=s5)) == []
    # s1's two attempts (KKK1, then K111): Alpha right twice is no weak spot; Delta 0 of 2,
    # then Bravo and Charlie 1 of 2 (by name).
    weakest = weakest_concepts(Attempt.objects.filter(user=s1))
    assert [(m.key, m.correct, m.total) for m in weakest] == [
        ("Delta", 0, 2),
        ("Bravo", 1, 2),
        ("Charlie", 1, 2),
    ]


def test_mastery_and_weakest_concepts(course):
    attempts = statistics_attempts(course["classroom"])
    # LO1 = Q1 + Q2 = 4 + 3 = 7 of 10; LO2 = Q3 + Q4 = 1 + 3 = 4 of 10.
    outcomes = [(m.key, m.correct, m.total) for m in mastery_by_outcome(attempts)]
    assert outcomes == [("LO1", 7, 10), ("LO2", 4, 10)]
    sections = [(m.key, m.title, m.correct, m.total) for m in mastery_by_section(attempts)]
    assert sections == [("1.1", "Key concepts", 7, 10), ("2.1", "Principles", 4, 10)]
    # Charlie (Q3) 1/5, then Bravo and Delta at 3/5 (by name), then Alpha 4/5.
    weakest = [(m.key, m.slug, m.correct) for m in weakest_concepts(attempts)]
    assert weakest == [
        ("Charlie", "charlie", 1),
        ("Bravo", "bravo", 3),
        ("Delta", "delta", 3),
        ("Alpha", "alpha", 4),
    ]
    assert [m.key for m in weakest_concepts(attempts, limit=1)] == ["Charlie"]


def test_student_attempts_are_numbered_and_the_counted_one_marked(course):
    attempts = list(student_attempts(course["classroom"], course["students"]["s1"]))
    assert [(a.number, a.score, a.is_counted) for a in attempts] == [(1, 3, True), (2, 1, False)]
    assignment = course["assignment"]
    assignment.counts = "last"
    assignment.save()
    attempts = list(student_attempts(course["classroom"], course["students"]["s1"]))
    assert [(a.number, a.is_counted) for a in attempts] == [(1, False), (2, True)]


# -- pages --------------------------------------------------------------------------------------


def overview_url(course, query=""):
    return f"/classes/{course['classroom'].public_id}/reports/{query}"


def test_overview_page(client, course):
    client.force_login(course["instructor"])
    html = client.get(overview_url(course)).text
    assert '<p class="eyebrow">ITIL Foundation \u2013 Spring 2026</p>' in html
    assert "<h1>Scores and roster</h1>" in html
    # The tabs are links marked current; the assignment is picked in a labelled list.
    assert 'aria-current="page">Scores and roster</a>' in html
    assert '<label for="id_assignment">Assignment</label>' in html
    assert "<strong>5</strong> of 7 students" in html
    assert "<strong>2.2</strong> / 4 (55%)" in html  # average
    assert "<strong>2</strong> / 4 (50%)" in html  # median
    assert "<strong>40%</strong> (2 of 5)" in html  # pass rate
    # The chart: an accessible SVG with a title, a description and a table fallback.
    assert 'role="img"' in html
    assert '<title id="distribution-title">Score distribution of Week 1</title>' in html
    assert "<desc id=" in html
    assert "Score 3: 2 students (pass)" in html
    assert "The distribution as a table" in html
    assert "style=" not in html
    # Sortable column headings are real links.
    assert 'href="?assignment=' in html
    assert "sort=-counted" in html
    # Each row links to the student's page and to the review of the counted attempt.
    s1 = course["students"]["s1"]
    assert f"/reports/students/{s1.pk}/" in html
    counted = Attempt.objects.filter(user=s1).order_by("started_at").first()
    assert f"/quiz/attempts/{counted.public_id}/result/" in html


def test_roster_shows_real_names_with_the_username_below(client, course):
    s1 = course["students"]["s1"]
    s1.first_name, s1.last_name = "Ada", "Byron"
    s1.save()
    client.force_login(course["instructor"])
    html = client.get(overview_url(course)).text
    link = f'<a href="/classes/{course["classroom"].public_id}/reports/students/{s1.pk}/">'
    assert f'{link}Ada Byron</a> <span class="student-name__username">s1</span>' in html
    assert ">s2</a></th>" in html  # no name: the username alone
    assert '<td class="nowrap">3 / 4 <span class="muted">(75%)</span></td>' in html


def test_roster_filter_and_sort_plain_and_htmx(client, course):
    client.force_login(course["instructor"])
    pk = course["assignment"].pk
    query = f"?assignment={pk}&status=failed&sort=-time"
    plain = client.get(overview_url(course, query))
    assert "<h1>" in plain.text
    partial = client.get(overview_url(course, query), headers=HTMX)
    assert "<h1>" not in partial.text
    assert 'id="roster"' in partial.text
    assert 'id="sort-field" value="-time" data-hx-swap-oob="true"' in partial.text
    for response in (plain, partial):
        html = response.text
        order = [html.index(f">{name}</a>") for name in ("s5", "s3", "s4")]  # 30, 15, 12 min
        assert order == sorted(order)
        assert ">s1</a>" not in html
        assert ">s2</a>" not in html
        assert 'aria-sort="descending"' in html
        assert "3 students shown (filtered)" in html
    searched = client.get(overview_url(course, f"?assignment={pk}&q=S6"), headers=HTMX).text
    assert ">s6</a>" in searched
    assert ">s5</a>" not in searched


def test_bad_filters_fall_back_with_a_message(client, course):
    client.force_login(course["instructor"])
    html = client.get(overview_url(course, "?sort=shoe-size&status=bored&assignment=999")).text
    assert "Select a valid choice" in html
    assert "The default is shown instead." in html
    assert "7 students" in html  # the latest assignment, everyone, by name


def test_student_page_opens_the_same_review(client, course):
    client.force_login(course["instructor"])
    s1 = course["students"]["s1"]
    html = client.get(overview_url(course, f"students/{s1.pk}/")).text
    assert "<h1>s1</h1>" in html
    assert "✓ counted" in html
    attempts = Attempt.objects.filter(user=s1).order_by("started_at")
    for attempt in attempts:
        url = f"/quiz/attempts/{attempt.public_id}/result/"
        assert url in html
        review = client.get(url)
        assert review.status_code == 200
        assert "Review your answers" in review.text
    # s6's attempt in progress is listed, without a review link.
    s6 = course["students"]["s6"]
    html = client.get(overview_url(course, f"students/{s6.pk}/")).text
    assert "In progress" in html
    assert "/result/" not in html


def test_questions_page(client, course):
    client.force_login(course["instructor"])
    html = client.get(overview_url(course, "questions/")).text
    assert "Based on 5 finished attempts" in html
    assert "first attempt" in html
    assert 'href="/glossary/charlie/"' in html
    assert "1 of 5 answers correct (20%)" in html
    assert html.count('class="item item--flagged"') == 3
    assert "⚠</span> <strong>Check:</strong> Hard: facility below 0.30" in html
    assert "<td>-0.72</td>" in html  # Q4's discrimination
    html = client.get(overview_url(course, "questions/?attempts=all&assignment=all")).text
    assert "Based on 6 finished attempts at every assignment" in html
    # Q1 joins the flagged items and Q2 leaves them (see test_item_analysis_over_all_attempts).
    assert html.count('class="item item--flagged"') == 3
    assert "<td>0.11</td>" in html
    assert "<td>0.33</td>" in html


# -- CSV ----------------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_spreadsheet_safe():
    assert [spreadsheet_safe(v) for v in ("=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\r=x")] == [
        "'=1+1",
        "'+44",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\r=x",
    ]
    assert [spreadsheet_safe(v) for v in ("Ann", 3, None, "a=b", "")] == ["Ann", "3", "", "a=b", ""]


def test_roster_csv(client, course):
    s7 = course["students"]["s7"]
    s7.first_name, s7.last_name, s7.username = '=HYPERLINK("http://x")', "+1", "@mallory"
    s7.save()
    client.force_login(course["instructor"])
    response = client.get(overview_url(course, f"roster.csv?assignment={course['assignment'].pk}"))
    assert re.fullmatch(
        r'attachment; filename="itil-foundation-spring-2026-roster-week-1-\d{4}-\d\d-\d\d\.csv"',
        response["Content-Disposition"],
    )
    rows = read_csv(response)
    assert rows[0][:3] == ["class", "assignment", "username"]
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["s1"][6:] == ["Passed", "2", "3", "4", "75", "3", "1", "yes", "600"]
    assert by_name["s5"][6:] == ["Not passed", "1", "1", "4", "25", "1", "1", "no", "1800"]
    assert by_name["s6"][6:8] == ["In progress", "0"]
    mallory = by_name["'@mallory"]
    assert mallory[3:5] == ['\'=HYPERLINK("http://x")', "'+1"]
    assert mallory[6:9] == ["Not started", "0", ""]


def test_csv_filename_has_the_class_and_the_date(client, course):
    client.force_login(course["instructor"])
    with time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)):
        response = client.get(overview_url(course, "roster.csv"))
        assert response["Content-Disposition"] == (
            'attachment; filename="itil-foundation-spring-2026-roster-week-1-2026-11-28.csv"'
        )
        response = client.get(overview_url(course, "responses.csv"))
        assert response["Content-Disposition"] == (
            'attachment; filename="itil-foundation-spring-2026-responses-all-2026-11-28.csv"'
        )


def test_responses_csv(client, course):
    client.force_login(course["instructor"])
    response = client.get(
        overview_url(course, f"responses.csv?assignment={course['assignment'].pk}")
    )
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:5] == ["assignment", "username", "first name", "last name", "attempt"]
    # 6 finished attempts by current students x 4 questions; not s6's open one or the former
    # student's.
    assert len(body) == 24
    assert {row[1] for row in body} == {"s1", "s2", "s3", "s4", "s5"}
    column = {name: header.index(name) for name in header}
    s5_q3 = next(row for row in body if row[1] == "s5" and row[column["concept"]] == "Charlie")
    assert s5_q3[column["answer given"]] == ""
    assert s5_q3[column["correct answer"]] == "The key"
    assert s5_q3[column["correct"]] == "no"
    assert s5_q3[column["learning outcome"]] == "LO2"
    s1_attempts = {row[column["attempt"]] for row in body if row[1] == "s1"}
    assert s1_attempts == {"1", "2"}
    assert client.get(overview_url(course, "responses.csv?assignment=nope")).status_code == 404


def test_export_links_say_how_many_rows_each_file_has(client, course):
    client.force_login(course["instructor"])
    html = client.get(overview_url(course)).text
    pk = course["assignment"].pk
    links = {
        f"roster.csv?assignment={pk}": "Roster of “Week 1” (CSV): 7 rows, one per student",
        f"responses.csv?assignment={pk}": "Every answer to “Week 1” (CSV): 24 rows, one per answer",
        "responses.csv?assignment=all": "Every answer to every assignment (CSV): 24 rows",
    }
    for query, label in links.items():
        assert label in html
        # Both files stream, so a large class's download starts at once; and the label is right.
        response = client.get(overview_url(course, query))
        assert response.streaming
        assert len(read_csv(response)) - 1 == int(re.search(r": (\d+) rows", label)[1])


# -- query budgets ------------------------------------------------------------------------------


def build_class(size: int):
    Question.objects.update(is_active=False)  # the quiz draws exactly these four questions
    section = SectionFactory(learning_outcome="LO1")
    questions = [QuestionFactory(concept=ConceptFactory(section=section)) for _ in range(4)]
    instructor = UserFactory(username=f"teacher{size}")
    classroom = ClassroomFactory(instructors=[instructor])
    blueprint = Blueprint.objects.create(
        kind="custom", title="Four", question_count=4, pass_mark=3, feedback="end"
    )
    assignment = AssignmentFactory(classroom=classroom, blueprint=blueprint)
    for n in range(size):
        student = UserFactory(username=f"budget{size}-{n}")
        EnrollmentFactory(classroom=classroom, student=student)
        marks = "".join("K" if (n + q) % 3 else "1" for q in range(4))
        take(student, assignment, dict(zip(questions, marks, strict=True)), start=START)
        if n % 4 == 0:
            take(student, assignment, dict.fromkeys(questions, "K"), start=START + timedelta(1))
    return classroom, instructor, assignment, student


def count_queries(client, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


BUDGETS = {
    "reports/": 8,
    "reports/?status=passed&sort=-counted#htmx": 5,
    "reports/students/{student}/": 6,
    "reports/questions/": 11,
    "reports/roster.csv": 5,
    "reports/responses.csv": 5,
}


def test_query_budgets_stay_fixed_as_the_class_grows(client, django_assert_max_num_queries):
    counts = {}
    for size in (5, 40):
        classroom, instructor, _, student = build_class(size)
        client.force_login(instructor)
        for path, budget in BUDGETS.items():
            url = f"/classes/{classroom.public_id}/" + path.format(student=student.pk)
            headers = HTMX if url.endswith("#htmx") else {}
            url = url.removesuffix("#htmx")
            with django_assert_max_num_queries(budget):
                counts[size, path] = count_queries(client, url, headers=headers)
    for path in BUDGETS:
        assert counts[5, path] == counts[40, path], path
