"""The access table: every class, assignment, report and export URL, for every role.

Each cell is the status that role gets: 200, 302 (a change done, or to the login page for
anonymous visitors), or 404. Never 403: a stranger must not learn that a class exists. Staff
may read any class and its reports but not change them (404 on changes).

Rows name their URL and say how to fill its arguments from the world below, so a new page
is one more line. REPORT_URLS are part B's (quiz/report_urls.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from quiz import classes
from quiz.access import INSTRUCTORS_GROUP
from quiz.attempts import attempt_submit
from quiz.classes import QuizSettings
from tests.factories import EnrollmentFactory, UserFactory, question_bank

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "learner",  # signed in, in no class
    "student",  # a student of the class
    "other_student",  # a student of another class
    "instructor",  # teaches the class
    "other_instructor",  # teaches another class
    "staff",  # is_staff: reads any class, changes none
)


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[[SimpleNamespace], dict]
    statuses: tuple[int, ...]  # in the order of ROLES
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})

    def __post_init__(self):
        assert len(self.statuses) == len(ROLES), self.name


def CLASS(w):  # the URL arguments, named like the columns of a table
    return {"public_id": w.classroom.public_id}


def ASSIGNMENT(w):
    return {"public_id": w.classroom.public_id, "assignment_id": w.assignment.pk}


def CODE(w):
    return {"code": w.classroom.join_code}


def NOTHING(w):
    return {}


# What each role gets.           anon learner student other_s instr other_i staff
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
READ = (302, 404, 404, 404, 200, 404, 200)  # instructors' pages: staff may read
MANAGE = (302, 404, 404, 404, 302, 404, 404)  # changes: only the class's instructors
MANAGE_PAGE = (302, 404, 404, 404, 200, 404, 404)  # change forms
MEMBERS = (302, 404, 200, 404, 200, 404, 200)  # the class page
STUDENT_ONLY = (302, 404, 302, 404, 404, 404, 404)
NOBODY = (302, 404, 404, 404, 404, 404, 404)

REPORT_URLS = [
    Row("reports:overview", CLASS, READ),
    Row("reports:student", lambda w: {**CLASS(w), "student_id": w.student.pk}, READ),
    Row("reports:questions", CLASS, READ),
    Row("reports:roster_csv", CLASS, READ),
    Row("reports:responses_csv", CLASS, READ),
]

CLASS_URLS = [
    Row("classes:list", NOTHING, SIGNED_IN),
    Row("classes:create", NOTHING, (302, 404, 404, 404, 200, 200, 404)),
    Row(
        "classes:create",
        NOTHING,
        (302, 404, 404, 404, 302, 302, 404),
        method="post",
        data=lambda w: {"name": "A new class"},
    ),
    Row("classes:detail", CLASS, MEMBERS),
    Row("classes:detail", lambda w: {"public_id": uuid.uuid4()}, NOBODY),
    Row("classes:edit", CLASS, MANAGE_PAGE),
    Row(
        "classes:edit",
        CLASS,
        MANAGE,
        method="post",
        data=lambda w: {"name": "Renamed", "description": ""},
    ),
    Row("classes:regenerate_code", CLASS, MANAGE, method="post"),
    Row(
        "classes:add_instructor",
        CLASS,
        MANAGE,
        method="post",
        data=lambda w: {"username": w.other_instructor.username},
    ),
    Row(
        "classes:remove_instructor",
        lambda w: {**CLASS(w), "user_id": w.co_instructor.pk},
        MANAGE,
        method="post",
    ),
    Row(
        "classes:remove_student",
        lambda w: {**CLASS(w), "user_id": w.student.pk},
        MANAGE,
        method="post",
    ),
    Row("classes:archive", CLASS, MANAGE, method="post"),
    Row("classes:restore", CLASS, MANAGE, method="post"),
    Row("classes:leave", CLASS, STUDENT_ONLY, method="post"),
]

JOIN_URLS = [
    Row("classes:join", NOTHING, SIGNED_IN),
    # Joining works for anyone with the code, except the class's own instructor (told why).
    Row(
        "classes:join",
        NOTHING,
        (302, 302, 302, 302, 200, 302, 302),
        method="post",
        data=lambda w: {"code": w.classroom.join_code},
    ),
    # The link's page: the student is already in (sent to the class), others see the class.
    Row("classes:join_link", CODE, (302, 200, 302, 200, 200, 200, 200)),
    Row("classes:join_link", CODE, (302, 302, 302, 302, 200, 302, 302), method="post"),
    Row("classes:join_link", lambda w: {"code": "ZZZZZZZZZZ"}, NOBODY),
]

ASSIGNMENT_URLS = [
    Row("classes:assignment_create", CLASS, MANAGE_PAGE),
    Row(
        "classes:assignment_create",
        CLASS,
        MANAGE,
        method="post",
        data=lambda w: {"quiz": "custom", "question_count": "5", "counts": "best"},
    ),
    Row("classes:assignment_edit", ASSIGNMENT, MANAGE_PAGE),
    Row(
        "classes:assignment_edit",
        ASSIGNMENT,
        MANAGE,
        method="post",
        data=lambda w: {"quiz": "custom", "question_count": "6", "counts": "last"},
    ),
    Row("classes:assignment_start", ASSIGNMENT, STUDENT_ONLY, method="post"),
    # An assignment of another class, through this class's URL: nobody.
    Row(
        "classes:assignment_edit",
        lambda w: {**CLASS(w), "assignment_id": w.other_assignment.pk},
        NOBODY,
    ),
    Row(
        "classes:assignment_start",
        lambda w: {**CLASS(w), "assignment_id": w.other_assignment.pk},
        NOBODY,
        method="post",
    ),
    # A student's attempt at an assignment: its owner, the class's instructors and staff.
    Row(
        "quiz:result",
        lambda w: {"public_id": w.attempt.public_id},
        (404, 404, 200, 404, 200, 404, 200),
    ),
]

TABLE = CLASS_URLS + JOIN_URLS + ASSIGNMENT_URLS + REPORT_URLS


def make_instructor(username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    return user


@pytest.fixture
def world():
    """Two classes, each with an instructor, a student and an assignment; a finished attempt."""
    question_bank(8)
    w = SimpleNamespace()
    w.instructor = make_instructor("instructor")
    w.co_instructor = make_instructor("co_instructor")
    w.other_instructor = make_instructor("other_instructor")
    w.learner = UserFactory(username="learner")
    w.student = UserFactory(username="student")
    w.other_student = UserFactory(username="other_student")
    w.staff = UserFactory(username="staff", is_staff=True)
    w.classroom = classes.classroom_create(name="Class", instructor=w.instructor)
    w.classroom.instructors.add(w.co_instructor)
    w.other_classroom = classes.classroom_create(name="Other", instructor=w.other_instructor)
    EnrollmentFactory(classroom=w.classroom, student=w.student)
    EnrollmentFactory(classroom=w.other_classroom, student=w.other_student)
    quiz = QuizSettings(question_count=5)
    w.assignment = classes.assignment_create(
        classroom=w.classroom, created_by=w.instructor, title="Quiz", quiz=quiz
    )
    w.other_assignment = classes.assignment_create(
        classroom=w.other_classroom, created_by=w.other_instructor, title="Quiz", quiz=quiz
    )
    now = timezone.now()
    w.attempt = attempt_submit(
        attempt=classes.start_assignment_attempt(assignment=w.assignment, user=w.student, now=now),
        now=now,
    )
    return w


def _cells():
    for row in TABLE:
        for role, status in zip(ROLES, row.statuses, strict=True):
            yield pytest.param(row, role, status, id=f"{row.method} {row.name} as {role}")


@pytest.mark.parametrize(("row", "role", "status"), list(_cells()))
def test_access_table(client, world, row, role, status):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = reverse(row.name, kwargs=row.kwargs(world))
    response = getattr(client, row.method)(url, row.data(world))
    assert response.status_code == status, f"{row.method.upper()} {url} as {role}"
    assert response.status_code != 403
    if role == "anonymous" and status == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_class_and_report_url_is_in_the_table():
    """A new URL in classes or reports must get a row (and so a decision per role)."""
    from quiz import class_urls, report_urls

    named = {f"classes:{p.name}" for p in class_urls.urlpatterns}
    named |= {f"reports:{p.name}" for p in report_urls.urlpatterns}
    assert named <= {row.name for row in TABLE}


def test_a_hidden_class_looks_like_a_missing_one(client, world):
    """A class that does not exist and one you may not see answer exactly alike."""
    client.force_login(world.learner)
    ids = [uuid.uuid4(), world.classroom.public_id]
    missing, hidden = (client.get(reverse("classes:detail", args=[id_])) for id_ in ids)
    assert missing.status_code == hidden.status_code == 404
    # Only the per-request tokens and the address itself differ.
    varying = re.compile(rb'"x-csrftoken": "[^"]*"|value="[^"]*"|nonce="[^"]*"|[0-9a-f-]{36}')
    assert varying.sub(b"", missing.content) == varying.sub(b"", hidden.content)
