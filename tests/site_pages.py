"""Every kind of page the site has, with the data to show it: the table that the
accessibility (tests/e2e/test_accessibility.py) and HTML validity (tests/test_html_validity.py)
checks walk.

Add a page here and both checks cover it. Still to add, as their parts land (issue 6):
TODO: classes: class list (learner and instructor), new/edit class form, class page for the
      instructor and for a student, join page and join confirmation, assignment form.
TODO: reports: class report overview, one student's report, item analysis.
TODO: progress: the learner's progress page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count
from django.urls import reverse
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
from quiz.models import Attempt, Choice
from quiz.models.blueprints import mock_exam, quick_practice
from tests.conftest import SHIPPED_GLOSSARY
from tests.factories import UserFactory


@dataclass(frozen=True)
class SiteData:
    learner: User
    concept: Concept  # the concept with the most related and confused-with links
    exam: Attempt  # mock exam in progress: 1 right, 2 wrong, 3 flagged, the rest open
    practice: Attempt  # quick practice in progress: question 1 answered wrongly
    finished: Attempt  # submitted mock exam: right, wrong, unanswered and flagged answers


def build_site_data() -> SiteData:
    """The shipped glossary, its question bank, and a learner with attempts in every state."""
    import_glossary(read_glossary([SHIPPED_GLOSSARY]))
    build_question_bank()
    learner = UserFactory(username="learner")
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

    concept = (
        Concept.objects.annotate(
            links=Count("related", distinct=True) + Count("confused_with", distinct=True)
        )
        .order_by("-links", "name")
        .first()
    )
    return SiteData(learner, concept, exam, practice, finished)


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


@dataclass(frozen=True)
class PageKind:
    name: str
    url: Callable[[SiteData], str]
    signed_in: bool = False  # as `SiteData.learner`, who owns the attempts
    status: int = 200
    # Then submit the page's form with these values (to see its error messages).
    submit: dict[str, str] | None = None


PAGES = [
    PageKind("home", lambda d: reverse("home")),
    PageKind("home, signed in", lambda d: reverse("home"), signed_in=True),
    PageKind("glossary index", lambda d: reverse("glossary:index")),
    PageKind(
        "glossary index, filtered", lambda d: reverse("glossary:index") + "?q=service&letter=S"
    ),
    PageKind("glossary index, no match", lambda d: reverse("glossary:index") + "?q=zzqx"),
    PageKind("concept", lambda d: d.concept.get_absolute_url()),
    PageKind("quiz home, with history", lambda d: reverse("quiz:home"), signed_in=True),
    PageKind("custom quiz form", lambda d: reverse("quiz:custom")),
    PageKind(
        "custom quiz form, with errors",
        lambda d: reverse("quiz:custom"),
        submit={"question_count": "", "time_limit_minutes": "0"},
    ),
    PageKind("attempt, timed exam", lambda d: question_url(d.exam, 2), signed_in=True),
    PageKind(
        "attempt, practice after an answer",
        lambda d: question_url(d.practice, 1),
        signed_in=True,
    ),
    PageKind(
        "submit summary", lambda d: reverse("quiz:submit", args=[d.exam.public_id]), signed_in=True
    ),
    PageKind(
        "result and review",
        lambda d: reverse("quiz:result", args=[d.finished.public_id]),
        signed_in=True,
    ),
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
    PageKind("password change", lambda d: reverse("password_change"), signed_in=True),
    PageKind("404", lambda d: "/no-such-page/", status=404),
]
