"""Percentages of a result: halves round up, so a score shows one figure on every page."""

import re

import pytest

from quiz.attempts import OPTION_LETTERS
from quiz.models import Attempt, Choice
from quiz.scoring import percent_of
from tests.factories import UserFactory, question_bank

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [(1, 40, 3), (25, 40, 63), (27, 40, 68), (26, 40, 65), (1, 3, 33), (2, 3, 67), (0, 0, 0)],
)
def test_percentages_round_halves_up(part, whole, percent):
    assert percent_of(part, whole) == percent


def test_the_result_and_the_history_show_the_same_percentage_for_a_half(client):
    """1 of 8 is 12.5%: the result page said 12% (Python's round) and the history 13%."""
    question_bank(8)
    client.force_login(UserFactory())
    response = client.post("/quiz/custom/", {"question_count": 8, "feedback": "end"})
    attempt = Attempt.objects.get(public_id=response["Location"].split("/")[3])
    first = attempt.responses.get(position=1)
    key = Choice.objects.get(question_id=first.question_id, is_key=True)
    letter = OPTION_LETTERS[first.choice_order.index(key.pk)]
    client.post(f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 1, "answer": letter})
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")

    result = visible_text(client.get(f"/quiz/attempts/{attempt.public_id}/result/").text)
    history = visible_text(client.get("/progress/").text)

    assert "1 / 8 (13%)" in result
    assert "1 / 8 (13%)" in history


def visible_text(html: str) -> str:
    """The page's text as read: tags dropped, runs of white space as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
