"""A signed-in learner's progress: history and score trend, mastery, weak spots, readiness.

Every figure is aggregated in the database (one query each, whatever the history's size);
only a finished attempt counts, because responses are marked right or wrong when it ends.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Avg, Count, Expression, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast, Coalesce

from .attempts import attempt_start
from .charts import TrendChart, TrendPoint, trend_chart
from .models import Attempt, Blueprint, Question, Response
from .models.attempts import State
from .models.bank import Style
from .models.blueprints import (
    EXAM_MARKS,
    LEARNING_OUTCOME_TITLES,
    PASS_RATIO,
    Feedback,
    Kind,
    default_pass_mark,
)
from .scoring import percent_of
from .selection import NotEnoughQuestions

TREND_LIMIT = 20  # attempts drawn in the trend chart
READINESS_MOCKS = 3  # recent mock exams the readiness estimate averages
READY_MARGIN = 10  # percentage points above the pass mark that count as "likely to pass"
WEAK_MIN_ANSWERS = 2  # a concept answered once says little
WEAK_SPOT_CONCEPTS = 8  # the weakest concepts shown, and drawn by the review quiz
WEAK_SPOT_QUESTIONS = 10
WEAK_SPOT_MIN_QUESTIONS = 5
PASS_PERCENT = round(100 * PASS_RATIO)  # 65


class NotEnoughData(Exception):
    """Too little history for what was asked; the message says what to do, for the learner."""


def _percent() -> Expression:
    """An attempt's score as a percentage of its questions, computed by the database."""
    return Cast("score", FloatField()) * 100 / F("question_count")


def finished_attempts(user) -> QuerySet[Attempt]:
    """The learner's finished attempts, newest first, with their percentage and title (the
    class assignment's, or the quiz's)."""
    return (
        Attempt.objects.filter(user=user)
        .finished()
        .select_related("blueprint")
        .annotate(percent=_percent(), title=Coalesce("assignment__title", "blueprint__title"))
        .order_by("-finished_at", "-pk")
    )


def _answered_responses(user) -> QuerySet[Response]:
    """Responses the learner answered in finished attempts (so is_correct is set)."""
    return Response.objects.filter(
        attempt__user=user, choice__isnull=False, is_correct__isnull=False
    ).exclude(attempt__state=State.IN_PROGRESS)


# -- score trend -----------------------------------------------------------------------------


def score_trend(user, *, limit: int = TREND_LIMIT) -> list[TrendPoint]:
    """The learner's last `limit` finished attempts, oldest first (one query)."""
    rows = finished_attempts(user).values_list(
        "public_id",
        "finished_at",
        "title",
        "blueprint__kind",
        "score",
        "question_count",
        "passed",
        "percent",
    )[:limit]
    points = [
        TrendPoint(str(pid), finished, title, kind == Kind.MOCK, score or 0, count, bool(ok), pct)
        for pid, finished, title, kind, score, count, ok, pct in rows
    ]
    points.reverse()
    return points


def score_trend_chart(user) -> TrendChart:
    """The trend chart of the learner's last TREND_LIMIT finished attempts."""
    return trend_chart(score_trend(user), pass_percent=PASS_PERCENT)


# -- mastery and weak spots ------------------------------------------------------------------


@dataclass(frozen=True)
class MasteryRow:
    learning_outcome: str
    title: str
    correct: int
    answered: int

    @property
    def percent(self) -> int | None:
        return percent_of(self.correct, self.answered) if self.answered else None

    @property
    def level(self) -> str:
        """A word for the share, so colour is never the only signal."""
        percent = self.percent
        if percent is None:
            return "not yet answered"
        if percent >= PASS_PERCENT + READY_MARGIN:
            return "strong"
        return "fair" if percent >= PASS_PERCENT else "weak"


def mastery_by_outcome(user) -> list[MasteryRow]:
    """Share of correct answers per learning outcome; every outcome appears (one query)."""
    rows = (
        _answered_responses(user)
        .values("question__learning_outcome")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by()
    )
    found = {row["question__learning_outcome"]: row for row in rows}
    outcomes = [*EXAM_MARKS, *sorted(set(found) - set(EXAM_MARKS))]
    return [
        MasteryRow(
            outcome,
            LEARNING_OUTCOME_TITLES.get(outcome, ""),
            found.get(outcome, {}).get("correct", 0),
            found.get(outcome, {}).get("answered", 0),
        )
        for outcome in outcomes
    ]


@dataclass(frozen=True)
class WeakConcept:
    concept_id: int
    name: str
    slug: str
    section: str
    correct: int
    answered: int

    @property
    def percent(self) -> int:
        return percent_of(self.correct, self.answered)


def weakest_concepts(user, *, limit: int = WEAK_SPOT_CONCEPTS) -> list[WeakConcept]:
    """The concepts the learner gets wrong most often (one query).

    Only concepts answered at least WEAK_MIN_ANSWERS times with at least one wrong answer:
    a concept always answered right is not a weak spot, however few there are.
    """
    rows = (
        _answered_responses(user)
        .filter(question__concept__isnull=False)
        .values(
            "question__concept_id",
            "question__concept__name",
            "question__concept__slug",
            "question__concept__section__code",
        )
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .filter(answered__gte=WEAK_MIN_ANSWERS, correct__lt=F("answered"))
        .annotate(share=Cast("correct", FloatField()) / F("answered"))
        .order_by("share", "-answered", "question__concept__name")[:limit]
    )
    return [
        WeakConcept(
            row["question__concept_id"],
            row["question__concept__name"],
            row["question__concept__slug"],
            row["question__concept__section__code"] or "",
            row["correct"],
            row["answered"],
        )
        for row in rows
    ]


def weak_spot_concepts(user, limit: int = WEAK_SPOT_CONCEPTS) -> list[int]:
    """Ids of the learner's weakest concepts, weakest first, for a review quiz."""
    return [concept.concept_id for concept in weakest_concepts(user, limit=limit)]


def _drawable_count(concept_ids: list[int]) -> int:
    """How many questions a draw can take from these concepts: one per (concept, style)
    slot, and at most one "NOT" question (quiz.selection's rules for a short quiz)."""
    slots = (
        Question.objects.active()
        .filter(concept_id__in=concept_ids)
        .values_list("concept_id", "style")
        .distinct()
    )
    styles = [style for _, style in slots]
    negatives = sum(1 for style in styles if style == Style.NEGATIVE)
    return len(styles) - negatives + min(negatives, 1)


def start_weak_spot_review(*, user, now: datetime, seed: int | None = None) -> Attempt:
    """Start a practice quiz (feedback after each answer) drawn from the weakest concepts.

    The quiz's blueprint is a custom one owned by the learner. Raises NotEnoughData, and
    stores nothing, when the history has no weak spots or too few questions on them.
    """
    concept_ids = weak_spot_concepts(user)
    if not concept_ids:
        raise NotEnoughData(
            "There is not enough to go on yet: weak spots are concepts you have answered at "
            f"least {WEAK_MIN_ANSWERS} times and got wrong at least once. Finish a quiz or "
            "two, then try again."
        )
    available = _drawable_count(concept_ids)
    if available < WEAK_SPOT_MIN_QUESTIONS:
        raise NotEnoughData(
            f"Your weak spots have only {available} questions to draw from; a review needs "
            f"{WEAK_SPOT_MIN_QUESTIONS}. Finish another quiz so more concepts can be picked."
        )
    count = min(WEAK_SPOT_QUESTIONS, available)
    try:
        with transaction.atomic():
            blueprint = Blueprint.objects.create(
                kind=Kind.CUSTOM,
                title="Review my weak spots",
                question_count=count,
                time_limit_minutes=None,
                pass_mark=default_pass_mark(count),
                feedback=Feedback.IMMEDIATE,
                owner=user,
            )
            return attempt_start(
                blueprint=blueprint, user=user, now=now, seed=seed, concept_ids=concept_ids
            )
    except NotEnoughQuestions as error:
        raise NotEnoughData(f"{error} Finish another quiz, then try again.") from error


# -- readiness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """An estimate of the learner's chance in the exam from their recent mock exams."""

    counted: int  # mock exams averaged (at most READINESS_MOCKS)
    total: int  # all finished mock exams
    passed: int  # of those counted
    mean_percent: float | None
    pass_percent: int = PASS_PERCENT

    @property
    def verdict(self) -> str:
        if self.mean_percent is None:
            return "unknown"
        if self.mean_percent >= self.pass_percent + READY_MARGIN:
            return "ready"
        return "borderline" if self.mean_percent >= self.pass_percent else "not_ready"

    @property
    def enough_data(self) -> bool:
        return self.counted >= READINESS_MOCKS

    @property
    def headline(self) -> str:
        return {
            "unknown": "No estimate yet",
            "ready": "Likely to pass",
            "borderline": "Borderline",
            "not_ready": "Not ready yet",
        }[self.verdict]

    @property
    def explanation(self) -> str:
        if self.mean_percent is None:
            return (
                "Take a mock exam under exam conditions (40 questions, 60 minutes): the "
                "estimate is based on your recent mock exams."
            )
        mean = math.floor(self.mean_percent + 0.5)  # as the page's floatformat rounds
        if self.counted == 1:
            lead = f"Your last mock exam scored {mean}%"
        else:
            lead = f"Your last {self.counted} mock exams average {mean}%"
        gap = abs(mean - self.pass_percent)
        mark = f"the {self.pass_percent}% pass mark"
        if self.verdict == "ready":
            return f"{lead}, comfortably above {mark}."
        if self.verdict == "borderline":
            points = "point" if gap == 1 else "points"
            where = f"exactly {mark}" if gap == 0 else f"only {gap} {points} above {mark}"
            return (
                f"{lead}, {where}: one bad day could tip it. Review your weak spots below, "
                "then take another mock exam."
            )
        points = "point" if gap == 1 else "points"
        return (
            f"{lead}, {gap} {points} below {mark}. Work on your weakest learning outcomes and "
            "concepts below, then take another mock exam."
        )

    @property
    def caveat(self) -> str:
        if self.mean_percent is None or self.enough_data:
            return ""
        exams = "mock exam" if self.counted == 1 else "mock exams"
        return (
            f"Based on only {self.counted} {exams}: take at least {READINESS_MOCKS} for a "
            "steadier estimate."
        )


def readiness(user) -> Readiness:
    """Average the last READINESS_MOCKS finished mock exams against the pass mark (one query)."""
    mocks = Attempt.objects.filter(user=user, blueprint__kind=Kind.MOCK).finished()
    recent = Q(pk__in=mocks.order_by("-finished_at", "-pk").values("pk")[:READINESS_MOCKS])
    figures = mocks.aggregate(
        total=Count("pk"),
        counted=Count("pk", filter=recent),
        passed=Count("pk", filter=recent & Q(passed=True)),
        mean=Avg(_percent(), filter=recent),
    )
    return Readiness(
        counted=figures["counted"],
        total=figures["total"],
        passed=figures["passed"],
        mean_percent=figures["mean"],
    )
