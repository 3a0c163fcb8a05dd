"""Instructors' reports on a class: rosters, class figures, mastery and item analysis, in SQL.

Every figure is computed by the database (correlated subqueries, `Count`, `Avg`, `Sum` over
`Case`/`When`); Python only turns a handful of aggregate rows into the numbers shown, so each
report costs a fixed number of queries whatever the size of the class.

Which attempts count:
- the roster and the class figures use each student's *counted* attempt for an assignment:
  the best (highest score, the earliest of equals) or the last (latest started), as the
  assignment says. Only finished attempts (submitted or expired) count.
- the statistics (mastery, weakest concepts, item analysis) use each student's first finished
  attempt per assignment by default (a second attempt at questions already seen says less
  about the question), or every finished attempt.
- only the class's current students count: someone who left the class leaves its reports.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, DenseRank, Lower, NullIf, RowNumber

from .models import Assignment, Attempt, Choice, Classroom, Enrollment, Response
from .models.attempts import State
from .models.blueprints import LEARNING_OUTCOME_TITLES
from .models.classes import BEST_FIRST, LAST_FIRST, Counting
from .progress import WEAK_MIN_ANSWERS
from .scoring import percent_of

# Moodle's usual ranges: outside them an item is worth a second look.
FACILITY_LOW = 0.3
FACILITY_HIGH = 0.9
DISCRIMINATION_LOW = 0.2
# Below this many answers a question's figures are noise (one answer makes facility 0 or 1):
# it is not flagged, and the page says there are too few answers to judge it.
ITEM_MIN_ANSWERS = 5


class Status:
    PASSED = "passed"
    FAILED = "failed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    CHOICES = [
        (PASSED, "Passed"),
        (FAILED, "Not passed"),
        (IN_PROGRESS, "In progress"),
        (NOT_STARTED, "Not started"),
    ]
    LABELS = dict(CHOICES)


# Roster sort keys (a leading "-" reverses) and the expressions they order by.
ROSTER_SORTS = {
    "name": "Name",
    "attempts": "Attempts",
    "counted": "Counted score",
    "best": "Best score",
    "last": "Last score",
    "time": "Time taken",
    "status": "Status",
}
_STATUS_RANK = Case(
    When(status=Status.PASSED, then=Value(0)),
    When(status=Status.FAILED, then=Value(1)),
    When(status=Status.IN_PROGRESS, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _duration():
    return F("finished_at") - F("started_at")


def _counted_order(assignment: Assignment) -> tuple[str, ...]:
    return LAST_FIRST if assignment.counts == Counting.LAST else BEST_FIRST


def _class_students(classroom: Classroom):
    return Enrollment.objects.filter(classroom=classroom).values("student_id")


# -- roster and class figures ------------------------------------------------------------------


def roster_queryset(assignment: Assignment) -> QuerySet[Enrollment]:
    """The class's enrollments, each annotated with its student's results on `assignment`.

    Annotations: attempts (finished), in_progress, best_score, last_score, and for the counted
    attempt counted_id, counted_public_id, counted_score, counted_total, counted_passed,
    counted_time; status is passed, failed, in_progress or not_started.
    """
    attempts = Attempt.objects.filter(assignment=assignment, user=OuterRef("student_id"))
    finished = attempts.exclude(state=State.IN_PROGRESS)
    counted = finished.order_by(*_counted_order(assignment))

    def counted_value(name, output_field=None):
        return Subquery(counted.values(name)[:1], output_field=output_field)

    finished_count = finished.order_by().values("user_id").annotate(n=Count("pk")).values("n")[:1]
    return (
        Enrollment.objects.filter(classroom_id=assignment.classroom_id)
        .select_related("student")
        .annotate(
            attempts=Coalesce(Subquery(finished_count, output_field=IntegerField()), 0),
            in_progress=Exists(attempts.filter(state=State.IN_PROGRESS)),
            best_score=Subquery(finished.order_by("-score").values("score")[:1]),
            last_score=Subquery(finished.order_by(*LAST_FIRST).values("score")[:1]),
            counted_id=counted_value("pk"),
            counted_public_id=counted_value("public_id"),
            counted_score=counted_value("score"),
            counted_total=counted_value("question_count"),
            counted_passed=counted_value("passed"),
            counted_time=Subquery(
                counted.annotate(taken=_duration()).values("taken")[:1],
                output_field=DurationField(),
            ),
        )
        .annotate(
            status=Case(
                When(counted_passed=True, then=Value(Status.PASSED)),
                When(counted_passed=False, then=Value(Status.FAILED)),
                When(in_progress=True, then=Value(Status.IN_PROGRESS)),
                default=Value(Status.NOT_STARTED),
                output_field=CharField(),
            )
        )
    )


def filter_roster(rows: QuerySet, *, status: str = "", search: str = "") -> QuerySet:
    if status:
        rows = rows.filter(status=status)
    search = " ".join(search.split())
    if search:
        rows = rows.filter(
            Q(student__username__icontains=search)
            | Q(student__first_name__icontains=search)
            | Q(student__last_name__icontains=search)
        )
    return rows


def sort_roster(rows: QuerySet, sort: str = "name") -> QuerySet:
    """Order by a ROSTER_SORTS key ("-" reverses); students without a score go last."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    by_name = [Lower("student__last_name"), Lower("student__first_name"), "student__username"]
    if key == "name" or key not in ROSTER_SORTS:
        return rows.order_by(*[_direction(e, descending) for e in by_name])
    expression = {
        "attempts": F("attempts"),
        "counted": F("counted_score"),
        "best": F("best_score"),
        "last": F("last_score"),
        "time": F("counted_time"),
        "status": _STATUS_RANK,
    }[key]
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return rows.order_by(ordered, *by_name)


def _direction(expression, descending: bool):
    expression = F(expression) if isinstance(expression, str) else expression
    return expression.desc() if descending else expression.asc()


def counted_attempts(assignment: Assignment) -> QuerySet[Attempt]:
    """Each current student's counted attempt for `assignment` (none for who has none)."""
    return Attempt.objects.filter(pk__in=roster_queryset(assignment).values("counted_id"))


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    students: int
    passing: bool

    @property
    def label(self) -> str:
        return (
            str(self.low) if self.low == self.high else f"{self.low}\u2013{self.high}"
        )  # an en dash


@dataclass(frozen=True)
class AssignmentSummary:
    """The class's figures for one assignment, over each student's counted attempt."""

    students: int
    finished: int
    passed: int
    marks: int  # the sum of the counted scores
    average: float | None
    median: float | None
    question_count: int
    pass_mark: int
    histogram: dict[int, int] = field(default_factory=dict)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.finished if self.finished else None

    @property
    def average_percent(self) -> int | None:
        if not self.finished or not self.question_count:
            return None
        return percent_of(self.marks, self.finished * self.question_count)

    @property
    def median_percent(self) -> int | None:
        if self.median is None or not self.question_count:
            return None
        # A median is a whole or half mark: doubled, both sides are whole numbers.
        return percent_of(round(2 * self.median), 2 * self.question_count)

    @property
    def pass_rate_percent(self) -> int | None:
        return None if not self.finished else rate_percent(self.passed, self.finished)

    @property
    def not_finished(self) -> int:
        return self.students - self.finished

    def bands(self, max_bars: int = 12) -> list[Band]:
        return score_bands(self.histogram, self.question_count, self.pass_mark, max_bars=max_bars)


def rate_percent(part: int, whole: int) -> int:
    """A share of people as a whole percentage that never rounds to 0% or 100% unless it is:
    199 of 200 students passing reads 99%, not an "everyone passed" 100%."""
    percent = percent_of(part, whole)
    if 0 < part < whole:
        return min(99, max(1, percent))
    return percent


def score_percent(score: int | None, total: int | None) -> int | None:
    """A score as the learner's result page shows it (halves rounded up); None without one."""
    return None if score is None or not total else percent_of(score, total)


def assignment_summary(assignment: Assignment) -> AssignmentSummary:
    """Average, median, pass rate and score distribution of the counted attempts (2 queries).

    The counted attempts are grouped by score and result, at most two rows per possible
    score; the totals come from those rows. (Whether an attempt passed is stored with it: the
    pass mark may have changed since.)
    """
    groups = (
        counted_attempts(assignment)
        .order_by()
        .values_list("score", "passed")
        .annotate(n=Count("pk"))
        .values_list("score", "passed", "n")
    )
    histogram: dict[int, int] = {}
    finished = passed = marks = 0
    for score, did_pass, n in groups:
        histogram[score] = histogram.get(score, 0) + n
        finished += n
        passed += n if did_pass else 0
        marks += score * n
    students = Enrollment.objects.filter(classroom_id=assignment.classroom_id).count()
    return AssignmentSummary(
        students=students,
        finished=finished,
        passed=passed,
        marks=marks,
        average=marks / finished if finished else None,
        median=median_of_histogram(histogram),
        question_count=assignment.blueprint.question_count,
        pass_mark=assignment.blueprint.pass_mark,
        histogram=histogram,
    )


def median_of_histogram(histogram: dict[int, int]) -> float | None:
    """The median of the values a {value: how many} histogram describes.

    SQLite has no median; the database groups the scores (at most one row per possible
    score), and the middle is found by walking those few rows.
    """
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the two middle ranks (equal when odd)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return sum(found) / 2


def score_bands(
    histogram: dict[int, int], question_count: int, pass_mark: int, *, max_bars: int = 12
) -> list[Band]:
    """Score ranges for the distribution chart, one of which starts at the pass mark.

    A short quiz gets a bar per score; a long one groups scores so there are at most about
    `max_bars` bars, aligned so no bar mixes passing and failing scores.
    """
    width = max(1, math.ceil((question_count + 1) / max_bars))
    starts = {0}
    start = min(pass_mark, question_count)
    while start > 0:
        starts.add(start)
        start -= width
    start = pass_mark + width
    while start <= question_count:
        starts.add(start)
        start += width
    ordered = sorted(starts)
    bands = []
    for index, low in enumerate(ordered):
        high = ordered[index + 1] - 1 if index + 1 < len(ordered) else question_count
        students = sum(n for score, n in histogram.items() if low <= score <= high)
        bands.append(Band(low, high, students, passing=low >= pass_mark))
    return bands


# -- statistics: mastery, weakest concepts, item analysis ----------------------------------------


def statistics_attempts(
    classroom: Classroom, assignment: Assignment | None = None, *, all_attempts: bool = False
) -> QuerySet[Attempt]:
    """The finished attempts the statistics use: first ones per student and assignment by
    default (as Moodle), or all. Limited to one assignment if given, else the whole class."""
    attempts = Attempt.objects.exclude(state=State.IN_PROGRESS).filter(
        assignment__classroom=classroom, user_id__in=_class_students(classroom)
    )
    if assignment is not None:
        attempts = attempts.filter(assignment=assignment)
    if not all_attempts:
        # Numbered in one pass (a window), not looked up per attempt (a correlated subquery).
        first = attempts.annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("user_id"), F("assignment_id")],
                order_by=[F("started_at").asc(), F("pk").asc()],
            )
        ).filter(number=1)
        attempts = Attempt.objects.filter(pk__in=first.values("pk"))
    return attempts


@dataclass(frozen=True)
class Mastery:
    key: str
    title: str
    correct: int
    total: int
    slug: str = ""

    @property
    def label(self) -> str:  # as the quiz result's rows name it (templates/_outcome_breakdown.html)
        return self.key

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return percent_of(self.correct, self.total)


def _correct():
    return Count("pk", filter=Q(is_correct=True))


def mastery_by_outcome(attempts: QuerySet[Attempt]) -> list[Mastery]:
    rows = (
        Response.objects.filter(attempt__in=attempts)
        .values("question__learning_outcome")
        .annotate(total=Count("pk"), correct=_correct())
        .order_by("question__learning_outcome")
    )
    return [
        Mastery(
            key=row["question__learning_outcome"],
            title=LEARNING_OUTCOME_TITLES.get(row["question__learning_outcome"], ""),
            correct=row["correct"],
            total=row["total"],
        )
        for row in rows
    ]


def mastery_by_section(attempts: QuerySet[Attempt]) -> list[Mastery]:
    rows = (
        Response.objects.filter(attempt__in=attempts)
        .values("question__section__code", "question__section__title", "question__section__order")
        .annotate(total=Count("pk"), correct=_correct())
        .order_by("question__section__order", "question__section__code")
    )
    return [
        Mastery(
            key=row["question__section__code"] or "-",
            title=row["question__section__title"] or "",
            correct=row["correct"],
            total=row["total"],
        )
        for row in rows
    ]


def weakest_concepts(attempts: QuerySet[Attempt], *, limit: int = 10) -> list[Mastery]:
    """The concepts with the lowest share of correct answers (most answers first on ties).

    As on a learner's progress page, only concepts answered at least WEAK_MIN_ANSWERS times
    and got wrong at least once: "0 of 1" is one slip, not a weak spot.
    """
    rows = (
        Response.objects.filter(attempt__in=attempts, question__concept__isnull=False)
        .values("question__concept__name", "question__concept__slug")
        .annotate(total=Count("pk"), correct=_correct())
        .filter(total__gte=WEAK_MIN_ANSWERS, correct__lt=F("total"))
        .annotate(share=Cast("correct", FloatField()) / Cast("total", FloatField()))
        .order_by("share", "-total", "question__concept__name")[:limit]
    )
    return [
        Mastery(
            key=row["question__concept__name"],
            title="",
            correct=row["correct"],
            total=row["total"],
            slug=row["question__concept__slug"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class OptionCount:
    letter: str
    text: str
    is_key: bool
    chosen: int


@dataclass
class ItemStats:
    """One question's statistics over the attempts that were asked it."""

    question_id: int
    stem: str
    learning_outcome: str
    section_code: str
    concept_name: str
    concept_slug: str
    n: int
    correct: int
    unanswered: int
    discrimination: float | None
    options: list[OptionCount] = field(default_factory=list)

    @property
    def facility(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def too_few_answers(self) -> bool:
        return self.n < ITEM_MIN_ANSWERS

    @property
    def flags(self) -> list[str]:
        """Why the item deserves a second look, in words (empty when it looks fine or when
        too few answered it to tell)."""
        if self.too_few_answers:
            return []
        found = []
        if self.facility < FACILITY_LOW:
            found.append(f"Hard: facility below {FACILITY_LOW:.2f}")
        if self.facility > FACILITY_HIGH:
            found.append(f"Easy: facility above {FACILITY_HIGH:.2f}")
        if self.discrimination is not None and self.discrimination < 0:
            found.append("Negative discrimination: weaker students do better on it")
        elif self.discrimination is not None and self.discrimination < DISCRIMINATION_LOW:
            found.append(f"Weak discrimination: below {DISCRIMINATION_LOW:.2f}")
        return found

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def correlation(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """Pearson's r from sums; None when either side does not vary (or n < 2)."""
    if n < 2:
        return None
    spread_x = n * sxx - sx * sx
    spread_y = n * syy - sy * sy
    # Float sums of exact values can leave a hair's breadth above or below zero.
    if spread_x <= 1e-9 or spread_y <= 1e-9:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread_x * spread_y)


def item_analysis(attempts: QuerySet[Attempt]) -> list[ItemStats]:
    """Facility, discrimination and option counts of every question asked (3 queries),
    hardest first, then those answered too few times to judge.

    Discrimination is Moodle's: the correlation between the item score x (1 right, 0 not)
    and the rest-of-test score y (the attempt's score without this item), over the attempts
    that were asked the item. y is taken as a share of the attempt's other questions, so
    quizzes of different lengths can be pooled; within one quiz, dividing by the same number
    leaves the correlation unchanged, so it equals Moodle's figure on raw marks.
    """
    score = Cast("attempt__score", FloatField())
    others = Cast(NullIf(F("attempt__question_count") - 1, 0), FloatField())
    x = Case(When(is_correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    y = Case(
        When(is_correct=True, then=(score - Value(1.0)) / others),
        default=score / others,
        output_field=FloatField(),
    )
    rows = (
        Response.objects.filter(attempt__in=attempts)
        .values(
            "question_id",
            "question__stem",
            "question__learning_outcome",
            "question__section__code",
            "question__concept__name",
            "question__concept__slug",
        )
        .annotate(
            n=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            unanswered=Count("pk", filter=Q(choice__isnull=True)),
            sx=Sum(x),
            sy=Sum(y),
            sxy=Sum(Case(When(is_correct=True, then=y), default=Value(0.0))),
            syy=Sum(y * y, output_field=FloatField()),
        )
        .order_by("question_id")
    )
    items = {
        row["question_id"]: ItemStats(
            question_id=row["question_id"],
            stem=row["question__stem"],
            learning_outcome=row["question__learning_outcome"],
            section_code=row["question__section__code"] or "",
            concept_name=row["question__concept__name"] or "",
            concept_slug=row["question__concept__slug"] or "",
            n=row["n"],
            correct=row["correct"],
            unanswered=row["unanswered"],
            # x is 0 or 1, so the sum of x squared is the sum of x.
            discrimination=correlation(
                row["n"],
                row["sx"],
                row["sy"] or 0.0,
                row["sxy"] or 0.0,
                row["sx"],
                row["syy"] or 0.0,
            ),
        )
        for row in rows
    }
    chosen = dict(
        Response.objects.filter(attempt__in=attempts, choice__isnull=False)
        .values("choice_id")
        .annotate(n=Count("pk"))
        .values_list("choice_id", "n")
    )
    choices = (
        Choice.objects.filter(question_id__in=list(items))
        .order_by("question_id", "order", "pk")
        .values_list("pk", "question_id", "text", "is_key")
    )
    for pk, question_id, text, is_key in choices:
        options = items[question_id].options
        # Lettered in the bank's order, for this table only: each learner saw them shuffled.
        letter = chr(ord("A") + len(options))
        options.append(OptionCount(letter, text, is_key, chosen.get(pk, 0)))
    # Hardest first; questions too rarely answered to judge go last, whatever their facility.
    return sorted(
        items.values(), key=lambda item: (item.too_few_answers, item.facility, item.question_id)
    )


# -- one student ----------------------------------------------------------------------------------


def student_attempts(classroom: Classroom, student) -> QuerySet[Attempt]:
    """Every attempt `student` made for the class's assignments, oldest first per assignment,
    annotated with its number (1, 2, ...) and whether it is the one that counts."""
    siblings = Attempt.objects.filter(
        user_id=OuterRef("user_id"), assignment_id=OuterRef("assignment_id")
    )
    finished = siblings.exclude(state=State.IN_PROGRESS)
    best = finished.order_by(*BEST_FIRST).values("pk")[:1]
    last = finished.order_by(*LAST_FIRST).values("pk")[:1]
    return (
        Attempt.objects.filter(user=student, assignment__classroom=classroom)
        .select_related("assignment", "blueprint")
        .annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("assignment_id")],
                order_by=[F("started_at").asc(), F("pk").asc()],
            ),
            best_id=Subquery(best),
            last_id=Subquery(last),
        )
        .annotate(
            is_counted=Case(
                When(assignment__counts=Counting.LAST, pk=F("last_id"), then=Value(True)),
                When(~Q(assignment__counts=Counting.LAST) & Q(pk=F("best_id")), then=Value(True)),
                default=Value(False),
            )
        )
        .order_by("-assignment__created_at", "assignment_id", "started_at", "pk")
    )


# -- CSV exports ---------------------------------------------------------------------------------

# A cell a spreadsheet would read as a formula (or that starts with a tab or carriage return,
# which some programs strip before looking) gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Rows as CSV text, one line at a time, every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else str(int(value.total_seconds()))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


ROSTER_HEADER = [
    "class",
    "assignment",
    "username",
    "first name",
    "last name",
    "email",
    "status",
    "attempts",
    "counted score",
    "questions",
    "counted percent",
    "best score",
    "last score",
    "passed",
    "time taken (seconds)",
]


def roster_csv_rows(assignment: Assignment) -> Iterator[list]:
    """A row per student of the class (one query, streamed)."""
    yield ROSTER_HEADER
    for row in sort_roster(roster_queryset(assignment), "name").iterator(chunk_size=2000):
        student = row.student
        yield [
            assignment.classroom.name,
            assignment.title,
            student.username,
            student.first_name,
            student.last_name,
            student.email,
            Status.LABELS[row.status],
            row.attempts,
            row.counted_score,
            row.counted_total,
            score_percent(row.counted_score, row.counted_total),
            row.best_score,
            row.last_score,
            _yes_no(row.counted_passed),
            _seconds(row.counted_time),
        ]


RESPONSES_HEADER = [
    "assignment",
    "username",
    "first name",
    "last name",
    "attempt",
    "attempt id",
    "state",
    "started at",
    "finished at",
    "score",
    "questions",
    "passed",
    "position",
    "question id",
    "learning outcome",
    "section",
    "concept",
    "question",
    "answer given",
    "correct answer",
    "correct",
    "flagged",
    "answered at",
]


RESPONSES_COLUMNS = [
    "attempt__assignment__title",
    "attempt__user__username",
    "attempt__user__first_name",
    "attempt__user__last_name",
    "attempt_number",
    "attempt__public_id",
    "attempt__state",
    "attempt__started_at",
    "attempt__finished_at",
    "attempt__score",
    "attempt__question_count",
    "attempt__passed",
    "position",
    "question_id",
    "question__learning_outcome",
    "question__section__code",
    "question__concept__name",
    "question__stem",
    "choice__text",
    "key_text",
    "is_correct",
    "flagged",
    "answered_at",
]


def responses_csv_rows(
    classroom: Classroom, assignment: Assignment | None = None
) -> Iterator[list]:
    """Every response of every finished attempt by the class's students (one query, streamed)."""
    yield RESPONSES_HEADER
    for row in responses_export(classroom, assignment).iterator(chunk_size=2000):
        row = list(row)
        for index in (7, 8, 22):  # times in ISO 8601, which spreadsheets read
            row[index] = row[index].isoformat() if row[index] else ""
        for index in (11, 20, 21):
            row[index] = _yes_no(row[index])
        yield row


def responses_export_sizes(classroom: Classroom, assignment: Assignment) -> tuple[int, int]:
    """How many rows the responses CSV has for `assignment` and for every assignment (one
    query): each finished attempt has a response, so a row, per question."""
    rows = statistics_attempts(classroom, all_attempts=True).aggregate(
        assignment=Coalesce(Sum("question_count", filter=Q(assignment=assignment)), 0),
        every=Coalesce(Sum("question_count"), 0),
    )
    return rows["assignment"], rows["every"]


def responses_export(classroom: Classroom, assignment: Assignment | None = None) -> QuerySet:
    """The rows of the responses CSV, as tuples in RESPONSES_COLUMNS order."""
    attempts = statistics_attempts(classroom, assignment, all_attempts=True)
    # The attempt's number among the student's finished attempts at the assignment (1, 2...):
    # all of one attempt's rows share its start, so a dense rank over them counts attempts.
    # Partitioned and ordered like the rows themselves, so the database sorts once.
    attempt_number = Window(
        DenseRank(),
        partition_by=[F("attempt__assignment_id"), F("attempt__user__username")],
        order_by=[F("attempt__started_at").asc(), F("attempt_id").asc()],
    )
    return (
        Response.objects.filter(attempt__in=attempts)
        # A join, not a subquery per row: the key of each question.
        .alias(
            key=FilteredRelation("question__choices", condition=Q(question__choices__is_key=True))
        )
        .annotate(attempt_number=attempt_number, key_text=F("key__text"))
        .order_by(
            "attempt__assignment_id",
            "attempt__user__username",
            "attempt__started_at",
            "attempt_id",
            "position",
        )
        .values_list(*RESPONSES_COLUMNS)
    )
