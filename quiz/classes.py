"""Class workflows: create and run a class, join it with a code, assign quizzes, start them.

Each workflow is a keyword-only function that views call; a refusal the user should read
(a wrong code, a closed assignment) raises `ClassError` with the message to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, TextChoices
from django.utils import formats, timezone

from glossary.models import Section

from .access import is_instructor
from .attempts import attempt_expire_if_due, attempt_start
from .models import Assignment, Attempt, Blueprint, Classroom, Enrollment, JoinAttempt
from .models.attempts import State
from .models.blueprints import Feedback, Kind, default_pass_mark, mock_exam
from .models.classes import (
    BEST_FIRST,
    LAST_FIRST,
    Counting,
    new_join_code,
    normalise_join_code,
)
from .reports import rate_percent
from .scoring import percent_of
from .selection import NotEnoughQuestions, candidates_for, draw, quotas_for

# Joining is throttled per user: this many wrong codes within the window blocks further tries.
JOIN_MAX_WRONG = 10
JOIN_WINDOW = timedelta(minutes=15)


class ClassError(Exception):
    """A class action that was refused; the message says why and what to do, for the user."""


class JoinRefused(ClassError):
    """The code did not let this user join; `reason` is one of JoinRefused.REASONS."""

    REASONS = ("unknown", "expired", "archived", "teaches", "throttled")

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class StartRefused(ClassError):
    """The assignment cannot be started now (window, attempt limit, archived class)."""


def _when(moment: datetime) -> str:
    """A time as the pages show it: in the site's time zone."""
    return formats.date_format(timezone.localtime(moment), "j M Y, H:i")


# -- classes -----------------------------------------------------------------------------


def classroom_create(*, name: str, description: str = "", instructor) -> Classroom:
    """A new class taught by `instructor`, with a fresh join code that never expires."""
    with transaction.atomic():
        classroom = Classroom.objects.create(
            name=name, description=description, created_by=instructor
        )
        classroom.instructors.add(instructor)
    return classroom


def classroom_update(*, classroom: Classroom, name: str, description: str) -> Classroom:
    classroom.name, classroom.description = name, description
    classroom.save(update_fields=["name", "description"])
    return classroom


def classroom_regenerate_code(
    *, classroom: Classroom, now: datetime, valid_for: timedelta | None = None
) -> Classroom:
    """A new join code (the old one stops working at once), optionally expiring."""
    for _ in range(5):
        code = new_join_code()
        try:
            with transaction.atomic():
                Classroom.objects.filter(pk=classroom.pk).update(
                    join_code=code,
                    join_code_expires_at=now + valid_for if valid_for else None,
                )
        except IntegrityError:  # pragma: no cover - 50 random bits colliding
            continue
        classroom.refresh_from_db(fields=["join_code", "join_code_expires_at"])
        return classroom
    raise ClassError("Could not make a new code; please try again.")  # pragma: no cover


def classroom_add_instructor(*, classroom: Classroom, username: str):
    """Make the instructor called `username` a co-instructor; returns that user."""
    username = username.strip()
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise ClassError(f"There is no user called “{username}”. Check the spelling.")
    if not is_instructor(user):
        raise ClassError(
            f"{user.username} is not an instructor. An administrator can grant the role "
            f"(manage.py make_instructor {user.username})."
        )
    if classroom.instructors.filter(pk=user.pk).exists():
        raise ClassError(f"{user.username} already teaches this class.")
    if classroom.enrollments.filter(student=user).exists():
        raise ClassError(f"{user.username} is a student of this class; remove them first.")
    classroom.instructors.add(user)
    return user


def classroom_remove_instructor(*, classroom: Classroom, user) -> None:
    """Take `user` off the class's instructors; a class always keeps at least one."""
    with transaction.atomic():
        if not classroom.instructors.filter(pk=user.pk).exists():
            raise ClassError(f"{user.username} does not teach this class.")
        if classroom.instructors.count() <= 1:
            raise ClassError("A class needs at least one instructor: add another one first.")
        classroom.instructors.remove(user)


def classroom_remove_student(*, classroom: Classroom, student) -> None:
    """Take a student out of the class. Their past attempts stay in the class's records."""
    deleted, _ = Enrollment.objects.filter(classroom=classroom, student=student).delete()
    if not deleted:
        raise ClassError(f"{student.username} is not a student of this class.")


def classroom_archive(*, classroom: Classroom, now: datetime) -> Classroom:
    """Close the class: the code stops working and assignments can no longer be started."""
    Classroom.objects.filter(pk=classroom.pk, archived_at__isnull=True).update(archived_at=now)
    classroom.refresh_from_db(fields=["archived_at"])
    return classroom


def classroom_restore(*, classroom: Classroom) -> Classroom:
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=None)
    classroom.refresh_from_db(fields=["archived_at"])
    return classroom


# -- joining and leaving -----------------------------------------------------------------


def join_wait(*, user, now: datetime) -> timedelta | None:
    """How long `user` must wait before trying another code, or None if they may try now."""
    wrong = JoinAttempt.objects.filter(user=user, succeeded=False, at__gt=now - JOIN_WINDOW)
    recent = list(wrong.order_by("-at").values_list("at", flat=True)[:JOIN_MAX_WRONG])
    if len(recent) < JOIN_MAX_WRONG:
        return None
    # The oldest of the last JOIN_MAX_WRONG wrong tries leaves the window first.
    return recent[-1] + JOIN_WINDOW - now


def classroom_for_code(*, user, code: str, now: datetime) -> Classroom:
    """The class `code` lets `user` join now, or JoinRefused saying why.

    Every try is recorded, and a user with too many wrong codes in JOIN_WINDOW is refused
    even a right one until the window has passed, so codes cannot be guessed (by the form
    or by trying join links).
    """
    wait = join_wait(user=user, now=now)
    if wait is not None:
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        raise JoinRefused(
            f"Too many wrong codes. Wait {minutes} minute{'s' if minutes != 1 else ''} "
            "before trying again, and check the code with your instructor.",
            reason="throttled",
        )
    normalised = normalise_join_code(code)
    classroom = Classroom.objects.filter(join_code=normalised).first() if normalised else None
    refusal = None
    if classroom is None:
        shown = code.strip()[:40]
        refusal = JoinRefused(
            f"No class has the code “{shown}”. Check it with your instructor: codes use the "
            "digits 0-9 and the letters A-Z without I, L, O and U.",
            reason="unknown",
        )
    elif classroom.is_archived:
        refusal = JoinRefused(
            f"The class “{classroom.name}” has been archived and takes no new students.",
            reason="archived",
        )
    elif not classroom.join_code_is_open(now):
        refusal = JoinRefused(
            f"The code for “{classroom.name}” has expired. Ask your instructor for a new one.",
            reason="expired",
        )
    elif classroom.instructors.filter(pk=user.pk).exists():
        refusal = JoinRefused(
            f"You teach “{classroom.name}”, so you cannot join it as a student.",
            reason="teaches",
        )
    JoinAttempt.objects.create(user=user, at=now, succeeded=refusal is None)
    if refusal:
        raise refusal
    return classroom


def classroom_join(*, user, code: str, now: datetime) -> tuple[Classroom, bool]:
    """Join the class whose code is `code`; returns (class, whether the user newly joined)."""
    classroom = classroom_for_code(user=user, code=code, now=now)
    _, created = Enrollment.objects.get_or_create(classroom=classroom, student=user)
    return classroom, created


def classroom_leave(*, classroom: Classroom, student) -> None:
    """Leave a class. Attempts already made stay in the class's records."""
    Enrollment.objects.filter(classroom=classroom, student=student).delete()


# -- assignments -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSettings:
    """What a custom assignment draws; None stands for the mock exam."""

    question_count: int
    learning_outcomes: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    time_limit_minutes: int | None = None
    pass_mark: int | None = None
    feedback: str = Feedback.AT_END

    @property
    def effective_pass_mark(self) -> int:
        return self.pass_mark or default_pass_mark(self.question_count)

    def matches(self, blueprint: Blueprint) -> bool:
        return (
            blueprint.kind == Kind.CUSTOM
            and blueprint.question_count == self.question_count
            and sorted(blueprint.learning_outcomes) == sorted(self.learning_outcomes)
            and {s.pk for s in blueprint.sections.all()} == {s.pk for s in self.sections}
            and blueprint.time_limit_minutes == self.time_limit_minutes
            and blueprint.pass_mark == self.effective_pass_mark
            and blueprint.feedback == self.feedback
        )

    @classmethod
    def of(cls, blueprint: Blueprint) -> QuizSettings | None:
        if blueprint.kind != Kind.CUSTOM:
            return None
        return cls(
            question_count=blueprint.question_count,
            learning_outcomes=list(blueprint.learning_outcomes),
            sections=list(blueprint.sections.all()),
            time_limit_minutes=blueprint.time_limit_minutes,
            pass_mark=blueprint.pass_mark,
            feedback=blueprint.feedback,
        )


def _check_drawable(blueprint: Blueprint) -> None:
    """Refuse a quiz the question bank cannot fill, before any student meets the problem."""
    try:
        draw(
            candidates_for(blueprint),
            blueprint.question_count,
            rng=random.Random(0),
            quotas=quotas_for(blueprint),
        )
    except NotEnoughQuestions as error:
        if blueprint.follows_exam_marks:
            raise ClassError(f"{error} The question bank needs building.") from None
        raise ClassError(
            f"{error} Choose fewer questions, or more learning outcomes or sections."
        ) from None


def _custom_blueprint(*, quiz: QuizSettings, title: str, owner) -> Blueprint:
    blueprint = Blueprint.objects.create(
        kind=Kind.CUSTOM,
        title=title,
        question_count=quiz.question_count,
        time_limit_minutes=quiz.time_limit_minutes,
        pass_mark=quiz.effective_pass_mark,
        feedback=quiz.feedback,
        learning_outcomes=list(quiz.learning_outcomes),
        owner=owner,
    )
    blueprint.sections.set(quiz.sections)
    return blueprint


def _check_assignment(
    opens_at: datetime | None, closes_at: datetime | None, quiz: QuizSettings | None
) -> None:
    """What creating and changing an assignment both refuse, before anything is written."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise ClassError("The closing time must be after the opening time.")
    if quiz is not None and quiz.effective_pass_mark > quiz.question_count:
        raise ClassError("The pass mark cannot be more than the number of questions.")


def assignment_create(
    *,
    classroom: Classroom,
    created_by,
    title: str,
    quiz: QuizSettings | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_attempts: int | None = None,
    counts: str = Counting.BEST,
) -> Assignment:
    """Assign the mock exam (`quiz=None`) or a custom quiz, which gets its own blueprint."""
    _check_assignment(opens_at, closes_at, quiz)
    with transaction.atomic():
        if quiz is None:
            blueprint = mock_exam()
        else:
            blueprint = _custom_blueprint(quiz=quiz, title=title, owner=created_by)
        _check_drawable(blueprint)
        return Assignment.objects.create(
            classroom=classroom,
            blueprint=blueprint,
            title=title,
            opens_at=opens_at,
            closes_at=closes_at,
            max_attempts=max_attempts,
            counts=counts,
            created_by=created_by,
        )


def assignment_update(
    *,
    assignment: Assignment,
    changed_by,
    title: str,
    quiz: QuizSettings | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_attempts: int | None = None,
    counts: str = Counting.BEST,
) -> Assignment:
    """Change an assignment. A changed quiz that students already sat gets a new blueprint,
    so past attempts keep the questions and pass mark they were taken with."""
    _check_assignment(opens_at, closes_at, quiz)
    current = assignment.blueprint
    with transaction.atomic():
        if quiz is None:
            blueprint = mock_exam()
        elif quiz.matches(current):
            blueprint = current
            if blueprint.title != title:
                Blueprint.objects.filter(pk=blueprint.pk).update(title=title)
        elif (
            current.kind == Kind.CUSTOM
            and not current.attempts.exists()
            and not current.assignments.exclude(pk=assignment.pk).exists()
        ):
            blueprint = current
            blueprint.title = title
            blueprint.question_count = quiz.question_count
            blueprint.time_limit_minutes = quiz.time_limit_minutes
            blueprint.pass_mark = quiz.effective_pass_mark
            blueprint.feedback = quiz.feedback
            blueprint.learning_outcomes = list(quiz.learning_outcomes)
            blueprint.save()
            blueprint.sections.set(quiz.sections)
            _check_drawable(blueprint)
        else:
            blueprint = _custom_blueprint(quiz=quiz, title=title, owner=changed_by)
            _check_drawable(blueprint)
        assignment.blueprint = blueprint
        assignment.title = title
        assignment.opens_at, assignment.closes_at = opens_at, closes_at
        assignment.max_attempts = max_attempts
        assignment.counts = counts
        assignment.save()
    return assignment


# -- a student's view of an assignment ---------------------------------------------------


class Status(TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class StudentAssignment:
    """One assignment as one student sees it: status, counted score, whether they may start."""

    assignment: Assignment
    status: Status
    attempts_used: int
    counted_score: int | None
    open_attempt_id: object | None  # the public id of an attempt to resume
    last_attempt_id: object | None  # the public id of the latest finished attempt
    refusal: str | None  # why a new attempt cannot start now, or None

    @property
    def can_start(self) -> bool:
        return self.refusal is None

    @property
    def attempts_left(self) -> int | None:
        limit = self.assignment.max_attempts
        return None if limit is None else max(0, limit - self.attempts_used)


# The counted attempt, as the class reports pick it (quiz/reports.py): the best is the highest
# score (the earliest of equals), the last is the latest started.


def with_student_figures(assignments: QuerySet, user) -> QuerySet:
    """Annotate assignments with one student's figures, in one query whatever their number:
    attempts used, the best and the last finished attempt (score, pass, public id), and the
    attempt in progress if any."""
    finished = (
        Attempt.objects.filter(assignment=OuterRef("pk"), user=user)
        .finished()
        .exclude(score__isnull=True)
    )
    best, last = finished.order_by(*BEST_FIRST), finished.order_by(*LAST_FIRST)
    open_attempts = Attempt.objects.filter(
        assignment=OuterRef("pk"), user=user, state=State.IN_PROGRESS
    ).order_by("-started_at", "-pk")
    return assignments.annotate(
        attempts_used=Count("attempts", filter=Q(attempts__user=user)),
        best_score=Subquery(best.values("score")[:1]),
        best_passed=Subquery(best.values("passed")[:1]),
        last_score=Subquery(last.values("score")[:1]),
        last_passed=Subquery(last.values("passed")[:1]),
        last_attempt_id=Subquery(last.values("public_id")[:1]),
        open_attempt_id=Subquery(open_attempts.values("public_id")[:1]),
    )


def _refusal(assignment: Assignment, *, attempts_used: int, now: datetime) -> str | None:
    if assignment.classroom.is_archived:
        return "This class has been archived, so its assignments are closed."
    if assignment.opens_at and now < assignment.opens_at:
        return f"This assignment opens on {_when(assignment.opens_at)}."
    if assignment.closes_at and now >= assignment.closes_at:
        return f"This assignment closed on {_when(assignment.closes_at)}."
    limit = assignment.max_attempts
    if limit is not None and attempts_used >= limit:
        plural = "attempt" if limit == 1 else f"{limit} attempts"
        return f"You have used your {plural} at this assignment."
    return None


def _student_view(assignment: Assignment, now: datetime) -> StudentAssignment:
    """From an assignment annotated by `with_student_figures`."""
    if assignment.counts == Counting.LAST:
        counted, passed = assignment.last_score, assignment.last_passed
    else:
        counted, passed = assignment.best_score, assignment.best_passed
    refusal = _refusal(assignment, attempts_used=assignment.attempts_used, now=now)
    if assignment.open_attempt_id:
        status = Status.IN_PROGRESS
        refusal = None  # resuming is always allowed: the attempt has its own deadline
    elif counted is not None:
        status = Status.PASSED if passed else Status.FAILED
    elif refusal and not (assignment.opens_at and now < assignment.opens_at):
        status = Status.CLOSED
    else:
        status = Status.NOT_STARTED
    return StudentAssignment(
        assignment=assignment,
        status=status,
        attempts_used=assignment.attempts_used,
        counted_score=counted,
        open_attempt_id=assignment.open_attempt_id,
        last_attempt_id=assignment.last_attempt_id,
        refusal=refusal,
    )


def student_assignments(*, assignments: QuerySet, user, now: datetime) -> list[StudentAssignment]:
    """Every assignment in `assignments` as `user` sees it, in one query."""
    rows = with_student_figures(
        assignments.select_related("classroom", "blueprint"), user
    ).order_by("classroom__name", "classroom_id", "-created_at", "pk")
    return [_student_view(assignment, now) for assignment in rows]


def assignment_status(*, assignment: Assignment, user, now: datetime) -> StudentAssignment:
    """One assignment as `user` sees it: status (not started, in progress, passed, failed,
    closed), counted score, attempts used, and why a new attempt would be refused."""
    return student_assignments(
        assignments=Assignment.objects.filter(pk=assignment.pk), user=user, now=now
    )[0]


def start_assignment_attempt(
    *, assignment: Assignment, user, now: datetime, extra_time: bool = False
) -> Attempt:
    """Start an attempt at `assignment`, or return the one in progress to resume.

    Refused (StartRefused, with the reason) outside the window, beyond the attempt limit, in
    an archived class, or for someone who is not a student of the class.
    """
    with transaction.atomic():
        # Lock the enrollment so two clicks at once cannot both pass the attempt limit.
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(classroom_id=assignment.classroom_id, student=user)
            .first()
        )
        if enrollment is None:
            raise StartRefused("Only students of this class can take its assignments.")
        for open_attempt in Attempt.objects.filter(
            assignment=assignment, user=user, state=State.IN_PROGRESS
        ).order_by("-started_at"):
            if attempt_expire_if_due(attempt=open_attempt, now=now).is_in_progress:
                return open_attempt
        used = Attempt.objects.filter(assignment=assignment, user=user).count()
        refusal = _refusal(assignment, attempts_used=used, now=now)
        if refusal:
            raise StartRefused(refusal)
        try:
            attempt = attempt_start(
                blueprint=assignment.blueprint, user=user, now=now, extra_time=extra_time
            )
        except NotEnoughQuestions as error:
            raise StartRefused(
                f"{error} Please tell your instructor: the question bank needs building."
            ) from None
        attempt.assignment = assignment
        attempt.save(update_fields=["assignment"])
    return attempt


# -- the class page's summary of an assignment's results ---------------------------------------

RESULTS_SHOWN_OPEN = 10  # more rows than this and an assignment's results table starts folded


@dataclass(frozen=True)
class ResultsSummary:
    """One assignment's line on the class page, over each student's counted attempt."""

    students: int
    finished: int
    passed: int
    marks: int
    questions: int

    @classmethod
    def of(cls, rows: list[dict], *, students: int, questions: int) -> ResultsSummary:
        counted = [row for row in rows if row["counted"] is not None]
        return cls(
            students=students,
            finished=len(counted),
            passed=sum(1 for row in counted if row["passed"]),
            marks=sum(row["counted"] for row in counted),
            questions=questions,
        )

    @property
    def average(self) -> float | None:
        return self.marks / self.finished if self.finished else None

    @property
    def average_percent(self) -> int | None:
        if not self.finished or not self.questions:
            return None
        return percent_of(self.marks, self.finished * self.questions)

    @property
    def pass_rate_percent(self) -> int | None:
        return rate_percent(self.passed, self.finished) if self.finished else None
