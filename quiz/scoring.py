"""Results of a finished attempt: the breakdown by learning outcome and section, in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Attempt, Response
from .models.blueprints import LEARNING_OUTCOME_TITLES


def percent_of(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, halves rounded up (1 of 40 is 3%).

    Python's round() sends halves to the even neighbour (2.5 to 2) while the templates'
    floatformat rounds them up, so one attempt showed 2% on its result and 3% in the history.
    """
    return (200 * part + whole) // (2 * whole) if whole else 0


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return percent_of(self.correct, self.total)


def breakdown_by_outcome(attempt: Attempt) -> list[BreakdownRow]:
    rows = (
        Response.objects.filter(attempt=attempt)
        .values("question__learning_outcome")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("question__learning_outcome")
    )
    return [
        BreakdownRow(
            row["question__learning_outcome"],
            LEARNING_OUTCOME_TITLES.get(row["question__learning_outcome"], ""),
            row["correct"],
            row["total"],
        )
        for row in rows
    ]


def breakdown_by_section(attempt: Attempt) -> list[BreakdownRow]:
    rows = (
        Response.objects.filter(attempt=attempt)
        .values("question__section__code", "question__section__title", "question__section__order")
        .annotate(total=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("question__section__order")
    )
    return [
        BreakdownRow(
            row["question__section__code"] or "-",
            row["question__section__title"] or "",
            row["correct"],
            row["total"],
        )
        for row in rows
    ]
