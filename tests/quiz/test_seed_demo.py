"""manage.py seed_demo: the demo instructor, class and attempts; consistent, idempotent, fast."""

import time
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from quiz.access import INSTRUCTORS_GROUP, is_instructor
from quiz.bank import build_question_bank
from quiz.management.commands.seed_demo import DEMO_PASSWORD, INSTRUCTOR
from quiz.models import Assignment, Attempt, Blueprint, Choice, Classroom, Enrollment, Response
from quiz.models.attempts import State
from quiz.progress import readiness, weakest_concepts

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "classes": Classroom.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "assignments": Assignment.objects.count(),
        "blueprints": Blueprint.objects.count(),
        "attempts": sorted(Attempt.objects.values_list("public_id", "score", "finished_at")),
        "responses": Response.objects.count(),
    }


@pytest.fixture
def bank(shipped_glossary):
    build_question_bank()


def test_seed_demo_builds_a_consistent_class(bank, client):
    started = time.perf_counter()
    output = seed(students=5, attempts=4)
    seconds = time.perf_counter() - started

    assert seconds < 5, f"seed_demo --students 5 --attempts 4 took {seconds:.1f} s"
    instructor = User.objects.get(username=INSTRUCTOR)
    assert is_instructor(instructor)
    assert instructor.groups.filter(name=INSTRUCTORS_GROUP).exists()
    classroom = Classroom.objects.get()
    assert list(classroom.instructors.all()) == [instructor]
    students = list(classroom.students.order_by("username"))
    assert [s.username for s in students] == [f"demo-student-00{n}" for n in range(1, 6)]
    titles = set(classroom.assignments.values_list("blueprint__kind", flat=True))
    assert titles == {"mock", "custom"}
    assert Blueprint.objects.get(title="The seven practices in detail").owner == instructor

    attempts = Attempt.objects.all()
    assert attempts.count() == 20
    assert set(attempts.values_list("user__username", flat=True)) == {s.username for s in students}
    assert not attempts.filter(assignment__isnull=True).exists()
    assert not attempts.exclude(state__in=[State.SUBMITTED, State.EXPIRED]).exists()
    assert not attempts.filter(finished_at__lte=F("started_at")).exists()
    assert (
        not attempts.filter(assignment__classroom=classroom)
        .exclude(blueprint=F("assignment__blueprint"))
        .exists()
    )
    # scored as quiz.attempts scores: one response per question, each marked
    scored = attempts.annotate(
        rows=Count("responses"),
        right=Count("responses", filter=Q(responses__is_correct=True)),
        unmarked=Count("responses", filter=Q(responses__is_correct__isnull=True)),
    )
    for attempt in scored:
        assert attempt.rows == attempt.question_count == attempt.blueprint.question_count
        assert attempt.right == attempt.score
        assert attempt.unmarked == 0
        assert attempt.passed == (attempt.score >= attempt.pass_mark)
        assert attempt.finished_at <= attempt.deadline
    for response in Response.objects.select_related("choice"):
        options = set(
            Choice.objects.filter(question_id=response.question_id).values_list("pk", flat=True)
        )
        assert set(response.choice_order) == options
        assert response.is_correct == bool(response.choice and response.choice.is_key)
        assert response.choice_id is None or response.choice_id in options
    # students of different ability
    assert len(set(attempts.values_list("score", flat=True))) > 2

    assert f"password for each: {DEMO_PASSWORD}" in output
    assert f"instructor  {INSTRUCTOR}" in output
    assert "students    demo-student-001 ... demo-student-005" in output
    assert classroom.join_code in output
    assert User.objects.get(username="demo-student-003").check_password(DEMO_PASSWORD)

    # each student has two assignment checks and two mock exams to show on their page
    student = students[0]
    assert readiness(student).counted == 2
    assert weakest_concepts(student)
    client.force_login(student)
    html = client.get("/progress/").text
    assert "Exam readiness" in html
    assert "Mock exam" in html


def test_running_it_again_changes_nothing_and_growing_adds_only_what_is_missing(bank):
    first = seed(students=3, attempts=2)
    before = snapshot()
    second = seed(students=3, attempts=2)
    assert snapshot() == before
    assert "3 new students" in first
    assert "0 new students (3 in the class), 0 attempts created" in second

    kept = set(Attempt.objects.values_list("public_id", "score"))
    output = seed(students=4, attempts=3)
    assert "1 new student (4 in the class), 6 attempts created" in output
    assert Attempt.objects.count() == 12
    assert kept <= set(Attempt.objects.values_list("public_id", "score"))
    assert Enrollment.objects.count() == 4


def test_an_empty_bank_is_built_first(shipped_glossary):
    output = seed(students=1, attempts=1)
    assert "Question bank was empty; built it" in output
    assert Attempt.objects.count() == 1


def test_without_a_glossary_it_says_what_to_do(db):
    with pytest.raises(CommandError, match="import_glossary fixtures/itil4_foundation"):
        seed(students=1, attempts=1)
    assert not User.objects.exists()


@pytest.mark.parametrize(("option", "value"), [("students", 0), ("attempts", -1)])
def test_bad_numbers_are_refused(db, option, value):
    with pytest.raises(CommandError, match=f"--{option} must be between"):
        seed(**{option: value})
