"""Who may read a class's reports: every report URL for every role (200, 302 to log in, 404).

Never 403: a stranger must not learn that a class, a student or an attempt exists. Staff may
read any class's reports. The same roles as tests/quiz/test_class_access.py (part A's table).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from quiz.access import INSTRUCTORS_GROUP
from quiz.attempts import attempt_start, attempt_submit
from quiz.models import Attempt, Blueprint
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EnrollmentFactory,
    UserFactory,
    question_bank,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

ROLES = (
    "anonymous",
    "learner",  # signed in, in no class
    "student",  # a student of the class
    "other_student",  # a student of another class
    "instructor",  # teaches the class
    "other_instructor",  # teaches another class
    "staff",  # is_staff: reads any class's reports
)
# What each role gets.  anon learner student other_s instr other_i staff
READ = (302, 404, 404, 404, 200, 404, 200)
NOBODY = (302, 404, 404, 404, 404, 404, 404)


def of_class(w):
    return {"public_id": w.classroom.public_id}


TABLE = [
    ("reports:overview", of_class, "", READ),
    ("reports:overview", of_class, "?status=failed&sort=-counted", READ),
    ("reports:student", lambda w: {**of_class(w), "student_id": w.student.pk}, "", READ),
    ("reports:questions", of_class, "", READ),
    ("reports:questions", of_class, "?attempts=all&assignment=all", READ),
    ("reports:roster_csv", of_class, "", READ),
    ("reports:responses_csv", of_class, "", READ),
    ("reports:responses_csv", of_class, "?assignment=all", READ),
    # Another class's student through this class's URL: nobody, not even its instructor.
    ("reports:student", lambda w: {**of_class(w), "student_id": w.other_student.pk}, "", NOBODY),
    # A class that does not exist.
    ("reports:overview", lambda w: {"public_id": uuid.uuid4()}, "", NOBODY),
    ("reports:roster_csv", lambda w: {"public_id": uuid.uuid4()}, "", NOBODY),
    # Another class's assignment in the query string of this class's export.
    ("reports:roster_csv", of_class, "?assignment={w.other_assignment.pk}", NOBODY),
    ("reports:responses_csv", of_class, "?assignment={w.other_assignment.pk}", NOBODY),
    # The review a report links to: its owner, the class's instructors and staff. Result
    # pages also serve anonymous attempts (by session), so a stranger gets 404, not a login.
    (
        "quiz:result",
        lambda w: {"public_id": w.attempt.public_id},
        "",
        (404, 404, 200, 404, 200, 404, 200),
    ),
    (
        "quiz:result",
        lambda w: {"public_id": w.other_attempt.public_id},
        "",
        (404, 404, 404, 200, 404, 200, 200),
    ),
]


def make_instructor(username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    return user


def finished_attempt(student, assignment) -> Attempt:
    attempt = attempt_start(blueprint=assignment.blueprint, user=student, now=NOW, seed=1)
    Attempt.objects.filter(pk=attempt.pk).update(assignment=assignment)
    return attempt_submit(attempt=attempt, now=NOW + timedelta(minutes=5))


@pytest.fixture
def world():
    """Two classes, each with an instructor, a student, an assignment and a finished attempt."""
    question_bank(8)
    blueprint = Blueprint.objects.create(
        kind="custom", title="Five", question_count=5, pass_mark=4, feedback="end"
    )
    w = SimpleNamespace()
    w.instructor = make_instructor("instructor")
    w.other_instructor = make_instructor("other_instructor")
    w.learner = UserFactory(username="learner")
    w.student = UserFactory(username="student")
    w.other_student = UserFactory(username="other_student")
    w.staff = UserFactory(username="staff", is_staff=True)
    w.classroom = ClassroomFactory(name="Class", instructors=[w.instructor])
    w.other_classroom = ClassroomFactory(name="Other", instructors=[w.other_instructor])
    EnrollmentFactory(classroom=w.classroom, student=w.student)
    EnrollmentFactory(classroom=w.other_classroom, student=w.other_student)
    w.assignment = AssignmentFactory(classroom=w.classroom, blueprint=blueprint)
    w.other_assignment = AssignmentFactory(classroom=w.other_classroom, blueprint=blueprint)
    w.attempt = finished_attempt(w.student, w.assignment)
    w.other_attempt = finished_attempt(w.other_student, w.other_assignment)
    return w


def _cells():
    for name, kwargs, query, statuses in TABLE:
        assert len(statuses) == len(ROLES), name
        for role, status in zip(ROLES, statuses, strict=True):
            label = f"{name}{query.split('=')[0] if query else ''} as {role}"
            yield pytest.param(name, kwargs, query, role, status, id=label)


@pytest.mark.parametrize(("name", "kwargs", "query", "role", "status"), list(_cells()))
def test_report_access_table(client, world, name, kwargs, query, role, status):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = reverse(name, kwargs=kwargs(world)) + query.format(w=world)
    response = client.get(url)
    assert response.status_code == status, f"GET {url} as {role}"
    assert response.status_code != 403
    if status == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")
    if status == 200 and name.endswith("_csv"):
        assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_every_report_url_is_in_the_table():
    from quiz import report_urls

    named = {f"reports:{pattern.name}" for pattern in report_urls.urlpatterns}
    assert named <= {name for name, *_ in TABLE}


def test_a_hidden_class_and_a_missing_one_answer_alike(client, world):
    client.force_login(world.other_instructor)
    missing = client.get(reverse("reports:overview", args=[uuid.uuid4()]))
    hidden = client.get(reverse("reports:overview", args=[world.classroom.public_id]))
    assert missing.status_code == hidden.status_code == 404
    # Alike but for the CSRF token and the CSP nonce, new on every response.
    assert unmasked(missing.text) == unmasked(hidden.text)


def unmasked(html: str) -> str:
    return re.sub(r'("x-csrftoken": |nonce=|name="csrfmiddlewaretoken" value=)"[^"]*"', "", html)


def test_staff_reads_but_a_former_student_leaves_the_reports(client, world):
    """A student who left the class is no longer reported on (404 on their page)."""
    world.classroom.enrollments.filter(student=world.student).delete()
    client.force_login(world.staff)
    url = reverse("reports:student", args=[world.classroom.public_id, world.student.pk])
    assert client.get(url).status_code == 404
    overview = client.get(reverse("reports:overview", args=[world.classroom.public_id]))
    assert ">student</a>" not in overview.text
