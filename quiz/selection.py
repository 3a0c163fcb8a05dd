"""Drawing the questions of a new attempt from the active bank, by blueprint.

One query loads the candidates' (id, concept, style, learning outcome); the draw itself is a
pure function of those rows and a seed, so it is fast (well under 50 ms for a mock exam) and
testable without a database.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from .models import Blueprint, Question
from .models.bank import Style
from .models.blueprints import EXAM_MARKS


@dataclass(frozen=True)
class Candidate:
    id: int
    concept_id: int | None
    style: str
    learning_outcome: str


class NotEnoughQuestions(Exception):
    """The bank holds fewer suitable questions than the blueprint asks for."""


def max_negative(count: int) -> int:
    """The exam uses "NOT" questions sparingly: about one in twenty."""
    return max(1, count // 20)


def candidates_for(
    blueprint: Blueprint, *, concept_ids: list[int] | None = None
) -> list[Candidate]:
    questions = Question.objects.active()
    if blueprint.learning_outcomes:
        questions = questions.filter(learning_outcome__in=blueprint.learning_outcomes)
    section_ids = [section.pk for section in blueprint.sections.all()] if blueprint.pk else []
    if section_ids:
        questions = questions.filter(section_id__in=section_ids)
    if concept_ids is not None:
        questions = questions.filter(concept_id__in=concept_ids)
    rows = questions.values_list("id", "concept_id", "style", "learning_outcome")
    return [Candidate(*row) for row in rows]


def draw(
    candidates: list[Candidate],
    count: int,
    *,
    rng: random.Random,
    quotas: dict[str, int] | None = None,
) -> list[int]:
    """Question ids for one attempt, in the order they will be asked.

    Never two questions on the same concept in the same style; a concept repeats (in another
    style) only when the pool runs short. With `quotas`, each learning outcome gets its share
    first (the exam's marks table), and any shortfall is filled from the rest.
    """
    pool = sorted(candidates, key=lambda c: c.id)
    rng.shuffle(pool)
    chosen: list[Candidate] = []
    chosen_ids: set[int] = set()
    used_slots: set[tuple[int | None, str]] = set()
    concept_uses: dict[int | None, int] = defaultdict(int)
    negatives = 0
    limit_negative = max_negative(count)

    def take(predicate, wanted: int, *, allow_repeat: bool) -> None:
        nonlocal negatives
        for candidate in pool:
            if wanted <= 0:
                return
            if candidate.id in chosen_ids or not predicate(candidate):
                continue
            slot = (candidate.concept_id, candidate.style)
            if slot in used_slots:
                continue
            if concept_uses[candidate.concept_id] and not allow_repeat:
                continue
            if candidate.style == Style.NEGATIVE and negatives >= limit_negative:
                continue
            chosen.append(candidate)
            chosen_ids.add(candidate.id)
            used_slots.add(slot)
            concept_uses[candidate.concept_id] += 1
            negatives += candidate.style == Style.NEGATIVE
            wanted -= 1

    def fill(predicate, wanted: int) -> None:
        before = len(chosen)
        take(predicate, wanted, allow_repeat=False)
        take(predicate, wanted - (len(chosen) - before), allow_repeat=True)

    if quotas:
        for outcome, share in quotas.items():
            fill(lambda c, outcome=outcome: c.learning_outcome == outcome, share)
    fill(lambda c: True, count - len(chosen))
    if len(chosen) < count:
        raise NotEnoughQuestions(
            f"Only {len(chosen)} suitable questions are available; {count} are needed."
        )
    rng.shuffle(chosen)
    return [candidate.id for candidate in chosen]


def quotas_for(blueprint: Blueprint) -> dict[str, int] | None:
    return dict(EXAM_MARKS) if blueprint.follows_exam_marks else None
