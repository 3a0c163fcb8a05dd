"""Attempt workflows: start, answer, flag, submit, expiry, and the grace period."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from quiz.attempts import (
    GRACE,
    AttemptClosed,
    InvalidAnswer,
    attempt_expire_if_due,
    attempt_record_answer,
    attempt_start,
    attempt_submit,
    attempt_toggle_flag,
    close_expired_attempts,
)
from quiz.models import Blueprint, Choice
from quiz.models.attempts import State
from quiz.models.blueprints import Kind, mock_exam, quick_practice
from tests.factories import QuestionFactory, question_bank

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def timed_quiz(count: int = 5, minutes: int = 10) -> Blueprint:
    question_bank(count + 3)
    return Blueprint.objects.create(
        kind=Kind.CUSTOM,
        title="Timed",
        question_count=count,
        time_limit_minutes=minutes,
        pass_mark=3,
    )


def key_letter(attempt, position: int) -> str:
    response = attempt.responses.get(position=position)
    key = Choice.objects.get(question=response.question, is_key=True)
    return "ABCD"[response.choice_order.index(key.pk)]


def wrong_letter(attempt, position: int) -> str:
    return next(letter for letter in "ABCD" if letter != key_letter(attempt, position))


def test_start_fixes_deadline_questions_and_option_order():
    blueprint = timed_quiz(count=5, minutes=10)
    attempt = attempt_start(blueprint=blueprint, now=START, seed=1)
    assert attempt.deadline == START + timedelta(minutes=10)
    responses = list(attempt.responses.all())
    assert [r.position for r in responses] == [1, 2, 3, 4, 5]
    assert len({r.question.concept_id for r in responses}) == 5
    for response in responses:
        assert sorted(response.choice_order) == sorted(
            response.question.choices.values_list("pk", flat=True)
        )


def test_option_order_is_shuffled_per_attempt():
    blueprint = timed_quiz(count=8)
    orders = [
        [
            tuple(r.choice_order)
            for r in attempt_start(blueprint=blueprint, now=START, seed=s).responses.order_by(
                "question_id"
            )
        ]
        for s in (1, 2)
    ]
    assert orders[0] != orders[1]


def test_extra_time_adds_a_quarter():
    question_bank(45)
    for lo in ("LO2", "LO3", "LO4", "LO5", "LO6", "LO7"):
        question_bank(20, learning_outcome=lo)
    attempt = attempt_start(blueprint=mock_exam(), now=START, extra_time=True)
    assert attempt.deadline == START + timedelta(minutes=75)
    assert attempt.question_count == 40
    assert attempt.pass_mark == 26


def test_mock_exam_follows_the_marks_table():
    for lo, count in {
        "LO1": 8,
        "LO2": 8,
        "LO3": 4,
        "LO4": 3,
        "LO5": 4,
        "LO6": 9,
        "LO7": 20,
    }.items():
        question_bank(count, learning_outcome=lo)
    attempt = attempt_start(blueprint=mock_exam(), now=START, seed=3)
    drawn = {}
    for response in attempt.responses.select_related("question"):
        drawn[response.question.learning_outcome] = (
            drawn.get(response.question.learning_outcome, 0) + 1
        )
    assert drawn == {"LO1": 5, "LO2": 6, "LO3": 2, "LO4": 1, "LO5": 2, "LO6": 7, "LO7": 17}


def test_answer_is_saved_and_can_be_changed_in_exam_mode():
    attempt = attempt_start(blueprint=timed_quiz(), now=START, seed=1)
    attempt_record_answer(attempt=attempt, position=2, letter="A", now=START)
    response = attempt_record_answer(attempt=attempt, position=2, letter="C", now=START)
    assert response.choice_id == response.choice_order[2]
    attempt.refresh_from_db()
    assert attempt.position == 2


def test_practice_mode_first_answer_is_final():
    question_bank(12)
    attempt = attempt_start(blueprint=quick_practice(), now=START, seed=1)
    attempt_record_answer(attempt=attempt, position=1, letter="B", now=START)
    with pytest.raises(AttemptClosed, match="already answered"):
        attempt_record_answer(attempt=attempt, position=1, letter="C", now=START)
    assert (
        attempt.responses.get(position=1).choice_id
        == attempt.responses.get(position=1).choice_order[1]
    )


@pytest.mark.parametrize(("position", "letter"), [(0, "A"), (6, "A"), (1, "E"), (1, ""), (1, "a")])
def test_tampered_answers_are_refused_and_change_nothing(position, letter):
    attempt = attempt_start(blueprint=timed_quiz(), now=START, seed=1)
    with pytest.raises(InvalidAnswer):
        attempt_record_answer(attempt=attempt, position=position, letter=letter, now=START)
    assert not attempt.responses.filter(choice__isnull=False).exists()


def test_save_inside_the_grace_period_is_kept_and_outside_is_refused():
    attempt = attempt_start(blueprint=timed_quiz(minutes=10), now=START, seed=1)
    just_inside = attempt.deadline + GRACE
    attempt_record_answer(attempt=attempt, position=1, letter="A", now=just_inside)
    just_outside = just_inside + timedelta(microseconds=1)
    with pytest.raises(AttemptClosed, match="Time is up"):
        attempt_record_answer(attempt=attempt, position=2, letter="A", now=just_outside)
    assert attempt.responses.get(position=2).choice_id is None
    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED  # the late save finalised it
    assert attempt.finished_at == attempt.deadline


def test_submit_scores_once():
    attempt = attempt_start(blueprint=timed_quiz(count=5), now=START, seed=1)
    for position in (1, 2, 3):
        attempt_record_answer(
            attempt=attempt, position=position, letter=key_letter(attempt, position), now=START
        )
    attempt_record_answer(attempt=attempt, position=4, letter=wrong_letter(attempt, 4), now=START)
    finished = attempt_submit(attempt=attempt, now=START + timedelta(minutes=3))
    assert finished.state == State.SUBMITTED
    assert finished.score == 3
    assert finished.passed is True
    assert finished.finished_at == START + timedelta(minutes=3)
    assert list(finished.responses.values_list("is_correct", flat=True)) == [
        True,
        True,
        True,
        False,
        False,
    ]
    again = attempt_submit(attempt=attempt, now=START + timedelta(minutes=4))
    assert again.finished_at == START + timedelta(minutes=3)
    assert again.score == 3


def test_finished_attempt_refuses_answers_and_flags():
    attempt = attempt_start(blueprint=timed_quiz(), now=START, seed=1)
    attempt_submit(attempt=attempt, now=START)
    with pytest.raises(AttemptClosed, match="submitted"):
        attempt_record_answer(attempt=attempt, position=1, letter="A", now=START)
    with pytest.raises(AttemptClosed):
        attempt_toggle_flag(attempt=attempt, position=1, now=START)
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_flag_toggles():
    attempt = attempt_start(blueprint=timed_quiz(), now=START, seed=1)
    assert attempt_toggle_flag(attempt=attempt, position=3, now=START).flagged is True
    assert attempt_toggle_flag(attempt=attempt, position=3, now=START).flagged is False


def test_late_submit_counts_as_expiry_at_the_deadline():
    attempt = attempt_start(blueprint=timed_quiz(minutes=10), now=START, seed=1)
    attempt_record_answer(attempt=attempt, position=1, letter=key_letter(attempt, 1), now=START)
    finished = attempt_submit(attempt=attempt, now=attempt.deadline + GRACE + timedelta(seconds=1))
    assert finished.state == State.EXPIRED
    assert finished.finished_at == attempt.deadline
    assert finished.score == 1


def test_expiry_happens_only_after_the_grace_period():
    attempt = attempt_start(blueprint=timed_quiz(minutes=10), now=START, seed=1)
    assert attempt_expire_if_due(attempt=attempt, now=attempt.deadline + GRACE).is_in_progress
    expired = attempt_expire_if_due(attempt=attempt, now=attempt.deadline + GRACE * 2)
    assert expired.state == State.EXPIRED
    assert expired.score == 0


def test_close_expired_attempts_is_idempotent():
    blueprint = timed_quiz(minutes=10)
    late = attempt_start(blueprint=blueprint, now=START, seed=1)
    attempt_start(blueprint=blueprint, now=START + timedelta(minutes=9), seed=2)
    untimed = Blueprint.objects.create(kind=Kind.CUSTOM, title="U", question_count=3, pass_mark=2)
    attempt_start(blueprint=untimed, now=START, seed=3)
    later = START + timedelta(minutes=11)
    assert close_expired_attempts(now=later) == 1
    assert close_expired_attempts(now=later) == 0
    late.refresh_from_db()
    assert late.state == State.EXPIRED
    assert late.finished_at == late.deadline


def test_untimed_attempt_never_expires():
    question_bank(12)
    attempt = attempt_start(blueprint=quick_practice(), now=START, seed=1)
    assert attempt.deadline is None
    attempt_record_answer(attempt=attempt, position=1, letter="A", now=START + timedelta(days=30))


def test_no_two_questions_on_one_concept_in_one_style():
    shared = QuestionFactory().concept
    QuestionFactory(concept=shared)  # same concept, same style
    question_bank(6)
    blueprint = Blueprint.objects.create(kind=Kind.CUSTOM, title="C", question_count=7, pass_mark=5)
    for seed in range(5):
        attempt = attempt_start(blueprint=blueprint, now=START, seed=seed)
        slots = list(attempt.responses.values_list("question__concept_id", "question__style"))
        assert len(slots) == len(set(slots))


def test_not_enough_questions_is_reported():
    from quiz.selection import NotEnoughQuestions

    question_bank(3)
    blueprint = Blueprint.objects.create(kind=Kind.CUSTOM, title="C", question_count=5, pass_mark=4)
    with pytest.raises(NotEnoughQuestions, match="Only 3"):
        attempt_start(blueprint=blueprint, now=START)


def test_close_expired_attempts_command(capsys):
    from django.core.management import call_command

    attempt = attempt_start(blueprint=timed_quiz(minutes=10), now=START, seed=1)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        call_command("close_expired_attempts")
        call_command("close_expired_attempts")
    assert capsys.readouterr().out.splitlines() == [
        "Closed 1 expired attempt.",
        "Closed 0 expired attempts.",
    ]
    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED


def test_submit_at_the_deadline_within_the_grace_is_an_expiry_scored_at_the_deadline():
    attempt = attempt_start(blueprint=timed_quiz(minutes=10), now=START, seed=1)
    attempt_record_answer(
        attempt=attempt, position=1, letter=key_letter(attempt, 1), now=attempt.deadline
    )
    finished = attempt_submit(attempt=attempt, now=attempt.deadline + GRACE / 2)
    assert finished.state == State.EXPIRED
    assert finished.finished_at == attempt.deadline
    assert finished.score == 1


def test_a_mock_exam_from_the_shipped_bank(shipped_glossary):
    """The real bank covers the marks table; a mock exam is assembled in well under 50 ms
    (median of five, measured around attempt_start: one query for the candidates, one for
    the options, two inserts)."""
    from statistics import median
    from time import perf_counter

    from quiz.bank import build_question_bank

    build_question_bank()
    blueprint = mock_exam()
    timings = []
    for seed in range(5):
        began = perf_counter()
        attempt = attempt_start(blueprint=blueprint, now=START, seed=seed)
        timings.append(perf_counter() - began)
        outcomes = list(attempt.responses.values_list("question__learning_outcome", flat=True))
        assert {lo: outcomes.count(lo) for lo in set(outcomes)} == {
            "LO1": 5,
            "LO2": 6,
            "LO3": 2,
            "LO4": 1,
            "LO5": 2,
            "LO6": 7,
            "LO7": 17,
        }
        concepts_styles = list(
            attempt.responses.values_list("question__concept_id", "question__style")
        )
        assert len(set(concepts_styles)) == 40
    print(f"mock exam assembled in {1000 * median(timings):.1f} ms (median of 5)")
    assert median(timings) < 0.05
