"""Every kind of page the site has, with the data to show it: the table that the
accessibility (tests/e2e/test_accessibility.py) and HTML validity (tests/test_html_validity.py)
checks walk.

Add a page here and both checks cover it. The 400, 403 and 500 pages, which no URL of the site
shows on purpose, are reached through this module's own URLconf (URLCONF: the site's URLs plus
three that fail on purpose), which both checks use.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.db.models import Count
from django.urls import include, path, reverse
from django.utils import timezone

from glossary.models import Concept
from glossary.transfer import import_glossary, read_glossary
from quiz.attempts import (
    OPTION_LETTERS,
    attempt_record_answer,
    attempt_start,
    attempt_submit,
    attempt_toggle_flag,
)
from quiz.bank import build_question_bank
from quiz.classes import start_assignment_attempt
from quiz.management.commands import seed_demo
from quiz.models import Assignment, Attempt, Choice, Classroom
from quiz.models.blueprints import mock_exam, quick_practice
from tests.conftest import SHIPPED_GLOSSARY
from tests.factories import EnrollmentFactory, UserFactory

URLCONF = "tests.site_pages"


def refused(request):
    raise PermissionDenied("Shown on purpose by the page checks.")


def bad_request(request):
    raise SuspiciousOperation("Shown on purpose by the page checks.")


def broken(request):
    raise RuntimeError("Shown on purpose by the page checks.")


urlpatterns = [
    path("checks/400/", bad_request),
    path("checks/403/", refused),
    path("checks/500/", broken),
    path("", include("itilprep.urls")),
]


@dataclass(frozen=True)
class SiteData:
    learner: User  # on their own, with attempts in every state
    newcomer: User  # signed up, nothing done yet
    instructor: User  # teaches `classroom`
    student: User  # a student of `classroom`, with finished attempts at each assignment
    concept: Concept  # the concept with the most related and confused-with links
    exam: Attempt  # mock exam in progress: 1 right, 2 wrong, 3 flagged, the rest open
    practice: Attempt  # quick practice in progress: question 1 answered wrongly
    finished: Attempt  # submitted mock exam: right, wrong, unanswered and flagged answers
    classroom: Classroom  # seed_demo's class: 4 students with results, 1 in progress, 1 new
    assignment: Assignment  # the class's mock exam


def build_site_data() -> SiteData:
    """The shipped glossary, its question bank, a learner with attempts in every state, and
    seed_demo's class (a few students, so the reports have figures to show)."""
    import_glossary(read_glossary([SHIPPED_GLOSSARY]))
    build_question_bank()
    learner = UserFactory(username="learner")
    newcomer = UserFactory(username="newcomer")
    now = timezone.now()

    exam = attempt_start(blueprint=mock_exam(), user=learner, now=now, seed=1)
    answer(exam, 1, right=True)
    answer(exam, 2, right=False)
    attempt_toggle_flag(attempt=exam, position=3, now=now)

    practice = attempt_start(blueprint=quick_practice(), user=learner, now=now, seed=2)
    answer(practice, 1, right=False)

    finished = attempt_start(blueprint=mock_exam(), user=learner, now=now, seed=3)
    for position in range(1, 31):
        answer(finished, position, right=position % 3 != 0)
    attempt_toggle_flag(attempt=finished, position=2, now=now)
    attempt_toggle_flag(attempt=finished, position=35, now=now)
    attempt_submit(attempt=finished, now=now)

    call_command("seed_demo", students=4, attempts=4, stdout=io.StringIO())
    classroom = Classroom.objects.get(name=seed_demo.CLASS_NAME)
    assignment = classroom.assignments.get(title="Mock exam")
    # One student in the middle of the mock exam, one who has not started anything.
    busy = EnrollmentFactory(classroom=classroom, student=UserFactory(username="busy")).student
    start_assignment_attempt(assignment=assignment, user=busy, now=now)
    EnrollmentFactory(classroom=classroom, student=UserFactory(username="late-joiner"))

    concept = (
        Concept.objects.annotate(
            links=Count("related", distinct=True) + Count("confused_with", distinct=True)
        )
        .order_by("-links", "name")
        .first()
    )
    return SiteData(
        learner=learner,
        newcomer=newcomer,
        instructor=User.objects.get(username=seed_demo.INSTRUCTOR),
        student=User.objects.get(username=f"{seed_demo.STUDENT_PREFIX}001"),
        concept=concept,
        exam=exam,
        practice=practice,
        finished=finished,
        classroom=classroom,
        assignment=assignment,
    )


def answer(attempt: Attempt, position: int, *, right: bool) -> str:
    """Answer the question at `position` rightly or wrongly; returns the letter chosen."""
    order = attempt.responses.get(position=position).choice_order
    key = Choice.objects.get(pk__in=order, is_key=True).pk
    letter = next(
        letter for letter, pk in zip(OPTION_LETTERS, order, strict=False) if (pk == key) == right
    )
    attempt_record_answer(attempt=attempt, position=position, letter=letter, now=timezone.now())
    return letter


def question_url(attempt: Attempt, position: int) -> str:
    return f"{attempt.get_absolute_url()}?n={position}"


def class_url(name: str, *args) -> Callable[[SiteData], str]:
    """The URL `name` (classes: or reports:) of the demo class, with more arguments."""
    return lambda d: reverse(name, args=[d.classroom.public_id, *(a(d) for a in args)])


@dataclass(frozen=True)
class PageKind:
    name: str
    url: Callable[[SiteData], str]
    # Who visits: the name of a SiteData user ("learner", "student"...), or None: anonymous.
    user: str | None = None
    status: int = 200  # of the page finally shown
    # Then submit the page's form with these values (to see its error messages).
    submit: dict[str, str] | None = None
    # Or POST these values straight to the URL, as a form of another page (or an old copy of
    # one) does; with a valid CSRF token unless `csrf` is False.
    post: dict[str, str] | None = None
    csrf: bool = True


PAGES = [
    PageKind("home", lambda d: reverse("home")),
    PageKind("home, signed in", lambda d: reverse("home"), user="learner"),
    PageKind("glossary index", lambda d: reverse("glossary:index")),
    PageKind(
        "glossary index, filtered", lambda d: reverse("glossary:index") + "?q=service&letter=S"
    ),
    PageKind("glossary index, no match", lambda d: reverse("glossary:index") + "?q=zzqx"),
    PageKind("concept", lambda d: d.concept.get_absolute_url()),
    # quiz
    PageKind("quiz home", lambda d: reverse("quiz:home")),
    PageKind("quiz home, with history", lambda d: reverse("quiz:home"), user="learner"),
    PageKind("custom quiz form", lambda d: reverse("quiz:custom")),
    PageKind(
        "custom quiz form, with errors",
        lambda d: reverse("quiz:custom"),
        submit={"question_count": "", "time_limit_minutes": "0"},
    ),
    PageKind("attempt, timed exam", lambda d: question_url(d.exam, 2), user="learner"),
    PageKind(
        "attempt, practice after an answer", lambda d: question_url(d.practice, 1), user="learner"
    ),
    PageKind(
        "submit summary", lambda d: reverse("quiz:submit", args=[d.exam.public_id]), user="learner"
    ),
    PageKind(
        "result and review",
        lambda d: reverse("quiz:result", args=[d.finished.public_id]),
        user="learner",
    ),
    PageKind(
        "attempt closed (flagging a submitted attempt)",
        lambda d: reverse("quiz:flag", args=[d.finished.public_id]),
        user="learner",
        post={"position": "1"},
        status=409,
    ),
    # progress
    PageKind("progress, with history", lambda d: reverse("progress:home"), user="learner"),
    PageKind("progress, nothing finished yet", lambda d: reverse("progress:home"), user="newcomer"),
    # classes, as a learner and a student
    PageKind("class list, learner in no class", lambda d: reverse("classes:list"), user="learner"),
    PageKind("class list, student", lambda d: reverse("classes:list"), user="student"),
    PageKind("class page, student", class_url("classes:detail"), user="student"),
    PageKind("join a class", lambda d: reverse("classes:join"), user="learner"),
    PageKind(
        "join a class, wrong code",
        lambda d: reverse("classes:join"),
        user="learner",
        submit={"code": "NOPE-NOPE-00"},
        status=404,
    ),
    PageKind(
        "join confirmation, from the join link",
        lambda d: reverse("classes:join_link", args=[d.classroom.join_code]),
        user="learner",
    ),
    # classes, as the instructor
    PageKind("class list, instructor", lambda d: reverse("classes:list"), user="instructor"),
    PageKind("new class", lambda d: reverse("classes:create"), user="instructor"),
    PageKind(
        "new class, with errors",
        lambda d: reverse("classes:create"),
        user="instructor",
        submit={"name": " "},
    ),
    PageKind("edit class", class_url("classes:edit"), user="instructor"),
    PageKind("class page, instructor", class_url("classes:detail"), user="instructor"),
    PageKind("new assignment", class_url("classes:assignment_create"), user="instructor"),
    PageKind(
        "new assignment, with errors",
        class_url("classes:assignment_create"),
        user="instructor",
        submit={
            "max_attempts": "0",
            "opens_at": "2026-12-02T09:00",
            "closes_at": "2026-12-01T09:00",
        },
    ),
    PageKind(
        "edit assignment",
        class_url("classes:assignment_edit", lambda d: d.assignment.pk),
        user="instructor",
    ),
    # reports
    PageKind("class report: scores and roster", class_url("reports:overview"), user="instructor"),
    PageKind(
        "class report: roster filtered, no match",
        lambda d: class_url("reports:overview")(d) + "?q=zzqx",
        user="instructor",
    ),
    PageKind(
        "class report: one student",
        class_url("reports:student", lambda d: d.student.pk),
        user="instructor",
    ),
    PageKind(
        "class report: what the class gets wrong",
        class_url("reports:questions"),
        user="instructor",
    ),
    PageKind(
        "class report: what the class gets wrong, all attempts at everything",
        lambda d: class_url("reports:questions")(d) + "?assignment=all&attempts=all",
        user="instructor",
    ),
    # accounts
    PageKind("sign-up", lambda d: reverse("signup")),
    PageKind(
        "sign-up, with errors",
        lambda d: reverse("signup"),
        submit={"username": "", "password1": "short", "password2": "different"},
    ),
    PageKind("log-in", lambda d: reverse("login")),
    PageKind(
        "log-in, with errors",
        lambda d: reverse("login"),
        submit={"username": "nobody", "password": "not-the-password"},
    ),
    PageKind("password reset", lambda d: reverse("password_reset")),
    PageKind("password reset, link sent", lambda d: reverse("password_reset_done")),
    PageKind(
        "password reset, bad link",
        lambda d: reverse("password_reset_confirm", args=["MQ", "set-password"]),
    ),
    PageKind("password change", lambda d: reverse("password_change"), user="learner"),
    # errors
    PageKind("400", lambda d: "/checks/400/", status=400),
    PageKind("403", lambda d: "/checks/403/", user="learner", status=403),
    PageKind(
        "403, form expired (no CSRF token)",
        lambda d: reverse("login"),
        post={"username": "learner", "password": "x"},
        csrf=False,
        status=403,
    ),
    PageKind("404", lambda d: "/no-such-page/", status=404),
    PageKind("500", lambda d: "/checks/500/", status=500),
]
