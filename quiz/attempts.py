"""Attempt workflows: start, answer, flag, submit, and expire when time runs out.

Every state change is a conditional UPDATE (`... WHERE state = 'in_progress' AND deadline
...`) inside a transaction, so it works the same on SQLite (where select_for_update does
nothing) and PostgreSQL: a double submit, a second tab or a save that arrives too late cannot
change a score.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from .models import Attempt, Blueprint, Choice, Response
from .models.attempts import State
from .selection import candidates_for, draw, quotas_for

# Saves that left the browser before the deadline may arrive a little after it.
GRACE = timedelta(seconds=getattr(settings, "QUIZ_GRACE_SECONDS", 15))
OPTION_LETTERS = "ABCD"


class AttemptClosed(Exception):
    """The attempt no longer accepts changes; the message says why, for the learner."""


class InvalidAnswer(Exception):
    """The posted answer does not belong to this attempt."""


def attempt_start(
    *,
    blueprint: Blueprint,
    user=None,
    now: datetime,
    extra_time: bool = False,
    seed: int | None = None,
    concept_ids: list[int] | None = None,
) -> Attempt:
    """Draw the questions, fix the order of every question's options, and fix the deadline."""
    rng = random.Random(seed)
    question_ids = draw(
        candidates_for(blueprint, concept_ids=concept_ids),
        blueprint.question_count,
        rng=rng,
        quotas=quotas_for(blueprint),
    )
    choices: dict[int, list[int]] = {}
    for choice_id, question_id in Choice.objects.filter(question_id__in=question_ids).values_list(
        "id", "question_id"
    ):
        choices.setdefault(question_id, []).append(choice_id)
    limit = blueprint.time_limit_seconds(extra_time=extra_time)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            blueprint=blueprint,
            user=user if user is not None and user.is_authenticated else None,
            started_at=now,
            deadline=now + timedelta(seconds=limit) if limit else None,
            extra_time=extra_time and limit is not None,
            question_count=len(question_ids),
            pass_mark=blueprint.pass_mark,
        )
        Response.objects.bulk_create(
            Response(
                attempt=attempt,
                position=position,
                question_id=question_id,
                choice_order=rng.sample(sorted(choices[question_id]), len(choices[question_id])),
            )
            for position, question_id in enumerate(question_ids, start=1)
        )
    return attempt


def _open_for_writes(now: datetime) -> Q:
    """Attempts that still accept answers at `now` (in progress, deadline plus grace)."""
    return Q(state=State.IN_PROGRESS) & (Q(deadline__isnull=True) | Q(deadline__gte=now - GRACE))


def _closed_reason(attempt: Attempt, now: datetime) -> str:
    attempt.refresh_from_db()
    if attempt.state == State.IN_PROGRESS:
        attempt_expire_if_due(attempt=attempt, now=now)
        return "Time is up: this answer arrived after the end of the attempt and was not saved."
    if attempt.state == State.EXPIRED:
        return "Time ran out for this attempt, so answers can no longer be changed."
    return "This attempt has been submitted, so answers can no longer be changed."


def attempt_record_answer(
    *, attempt: Attempt, position: int, letter: str, now: datetime
) -> Response:
    """Save the option the learner chose at `position` (A-D in the order they saw)."""
    response = attempt.responses.filter(position=position).first()
    options = OPTION_LETTERS[: len(response.choice_order)] if response else ""
    if len(letter) != 1 or letter not in options:
        raise InvalidAnswer("That answer does not belong to this attempt.")
    choice_id = response.choice_order[OPTION_LETTERS.index(letter)]
    responses = Response.objects.filter(pk=response.pk)
    if attempt.shows_feedback_per_question:
        # Practice mode shows the key after an answer, so the first answer is final.
        responses = responses.filter(choice__isnull=True)
    with transaction.atomic():
        saved = _lock_if_open(attempt, now) and responses.update(
            choice_id=choice_id, answered_at=now
        )
        if saved:
            Attempt.objects.filter(pk=attempt.pk).update(position=position)
    if not saved:
        if attempt.shows_feedback_per_question and attempt.is_in_progress:
            response.refresh_from_db()
            if response.choice_id is not None:
                raise AttemptClosed("You have already answered this question.")
        raise AttemptClosed(_closed_reason(attempt, now))
    response.choice_id, response.answered_at = choice_id, now
    return response


def attempt_toggle_flag(*, attempt: Attempt, position: int, now: datetime) -> Response:
    response = attempt.responses.filter(position=position).first()
    if response is None:
        raise InvalidAnswer("There is no such question in this attempt.")
    with transaction.atomic():
        saved = _lock_if_open(attempt, now) and Response.objects.filter(
            pk=response.pk, flagged=response.flagged
        ).update(flagged=not response.flagged)
    if not saved:
        raise AttemptClosed(_closed_reason(attempt, now))
    response.flagged = not response.flagged
    return response


def attempt_submit(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finish the attempt and score it, once: a second submit changes nothing."""
    # At or after the deadline (a timer's own submit, or a late click) the time ran out.
    late = attempt.deadline is not None and now >= attempt.deadline
    with transaction.atomic():
        if late:
            _finish(attempt, state=State.EXPIRED, finished_at=attempt.deadline)
        else:
            _finish(attempt, state=State.SUBMITTED, finished_at=now)
    attempt.refresh_from_db()
    return attempt


def attempt_expire_if_due(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finalise an attempt whose time (and grace) has run out; its finish time is the deadline."""
    if attempt.is_in_progress and attempt.deadline and now > attempt.deadline + GRACE:
        with transaction.atomic():
            _finish(attempt, state=State.EXPIRED, finished_at=attempt.deadline)
        attempt.refresh_from_db()
    return attempt


def close_expired_attempts(*, now: datetime) -> int:
    """Finalise every attempt past its deadline and grace; returns how many were closed."""
    closed = 0
    for attempt in Attempt.objects.past_deadline(now - GRACE).only("pk", "deadline", "state"):
        with transaction.atomic():
            closed += _finish(attempt, state=State.EXPIRED, finished_at=attempt.deadline)
    return closed


def _lock_if_open(attempt: Attempt, now: datetime) -> bool:
    """Inside a transaction: lock the attempt's row if it still takes answers.

    Writers lock the attempt first, then its responses, as submitting does, so a save racing
    a submit waits for it instead of deadlocking. (SQLite's IMMEDIATE transactions already
    serialise writers; FOR UPDATE is ignored there.)
    """
    open_attempt = Attempt.objects.select_for_update().filter(_open_for_writes(now), pk=attempt.pk)
    return bool(list(open_attempt.values_list("pk", flat=True)))


def _finish(attempt: Attempt, *, state: str, finished_at: datetime) -> bool:
    """Move an in-progress attempt to `state` and score it; False if it was already finished.

    Must run inside a transaction: the guarded UPDATE and the scoring commit together.
    """
    won = Attempt.objects.filter(pk=attempt.pk, state=State.IN_PROGRESS).update(
        state=state, finished_at=finished_at
    )
    if not won:
        return False
    key = Choice.objects.filter(pk=OuterRef("choice_id"), is_key=True)
    Response.objects.filter(attempt_id=attempt.pk).update(is_correct=Exists(key))
    score = Response.objects.filter(attempt_id=attempt.pk, is_correct=True).count()
    pass_mark = Attempt.objects.values_list("pass_mark", flat=True).get(pk=attempt.pk)
    Attempt.objects.filter(pk=attempt.pk).update(score=score, passed=score >= pass_mark)
    return True
