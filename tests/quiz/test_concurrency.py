"""Races with real threads on a real database (a SQLite file, or PostgreSQL in CI):
a double submit gives one score, concurrent saves lose nothing."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from quiz.attempts import AttemptClosed, attempt_record_answer, attempt_start, attempt_submit
from quiz.models import Attempt, Blueprint
from quiz.models.attempts import State
from quiz.models.blueprints import Kind
from tests.factories import question_bank

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def run_together(*calls):
    """Run the calls in threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def attempt():
    question_bank(12)
    blueprint = Blueprint.objects.create(
        kind=Kind.CUSTOM, title="Race", question_count=10, time_limit_minutes=30, pass_mark=7
    )
    return attempt_start(blueprint=blueprint, now=START, seed=7)


def test_double_submit_gives_one_score(attempt):
    for position in range(1, 11):
        attempt_record_answer(attempt=attempt, position=position, letter="A", now=START)
    expected = attempt.responses.filter(choice__is_key=True).count()
    times = [START + timedelta(minutes=m) for m in (5, 6, 7, 8)]
    results = run_together(
        *[
            lambda t=t: attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), now=t)
            for t in times
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    final = Attempt.objects.get(pk=attempt.pk)
    assert final.state == State.SUBMITTED
    assert final.score == expected
    assert final.finished_at in times
    assert {r.finished_at for r in results} == {final.finished_at}
    assert {r.score for r in results} == {expected}


def test_concurrent_saves_lose_nothing(attempt):
    letters = "ABCDABCDAB"
    results = run_together(
        *[
            lambda p=p: attempt_record_answer(
                attempt=attempt, position=p, letter=letters[p - 1], now=START
            )
            for p in range(1, 11)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    for response in attempt.responses.all():
        assert (
            response.choice_id
            == response.choice_order["ABCD".index(letters[response.position - 1])]
        )


def test_saves_racing_a_submit_never_change_the_score_afterwards(attempt):
    calls = [lambda: attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), now=START)]
    calls += [
        lambda p=p: attempt_record_answer(attempt=attempt, position=p, letter="B", now=START)
        for p in range(1, 8)
    ]
    results = run_together(*calls)
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(error, AttemptClosed) for error in errors), errors
    final = Attempt.objects.get(pk=attempt.pk)
    # whatever was saved before the submit won is scored; nothing after it was stored
    assert final.score == final.responses.filter(choice__is_key=True).count()
    assert final.responses.filter(is_correct__isnull=True).count() == 0
