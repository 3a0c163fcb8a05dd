"""Quiz pages, plain and htmx: taking an attempt, security of the key, results, budgets."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from quiz.models import Attempt, Blueprint, Choice
from quiz.models.attempts import State
from tests.factories import UserFactory, question_bank

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank():
    return question_bank(15)


def start_custom(client, *, count=5, timed=True, feedback="end") -> Attempt:
    data = {"question_count": count, "feedback": feedback}
    if timed:
        data.update(timed="on", time_limit_minutes=10)
    response = client.post("/quiz/custom/", data)
    assert response.status_code == 302, response.content
    return Attempt.objects.get(public_id=response["Location"].split("/")[3])


def key_letter(attempt, position):
    response = attempt.responses.get(position=position)
    key = Choice.objects.get(question=response.question, is_key=True)
    return "ABCD"[response.choice_order.index(key.pk)]


def test_quiz_home_offers_the_three_quizzes(client, bank):
    html = client.get("/quiz/").text
    assert "Start the mock exam" in html
    assert "Start quick practice" in html
    assert "Build a custom quiz" in html


def test_start_quick_practice_and_see_the_first_question(client, bank):
    response = client.post("/quiz/start/practice/", follow=True)
    assert response.status_code == 200
    assert "Question 1" in response.text
    attempt = Attempt.objects.get()
    assert attempt.user is None
    assert attempt.question_count == 10


def test_unknown_quiz_kind_is_a_bad_request(client, bank):
    assert client.post("/quiz/start/nonsense/").status_code == 400


def test_empty_bank_gets_a_clear_message(client, db):
    response = client.post("/quiz/start/practice/", follow=True)
    assert "question bank needs building" in response.text


def test_custom_quiz_form_validates(client, bank):
    response = client.post("/quiz/custom/", {"question_count": 3, "feedback": "end"})
    assert "Ensure this value is greater than or equal to 5" in response.text
    response = client.post("/quiz/custom/", {"question_count": 5, "feedback": "end", "timed": "on"})
    assert "Give a time limit for a timed quiz." in response.text
    response = client.post("/quiz/custom/", {"question_count": 40, "feedback": "end"})
    assert "Only 15 suitable questions" in response.text
    assert Attempt.objects.count() == 0
    assert Blueprint.objects.count() == 0


def test_exam_mode_page_never_carries_the_key(client, bank):
    attempt = start_custom(client)
    for position in range(1, attempt.question_count + 1):
        html = client.get(f"{attempt.get_absolute_url()}?n={position}").text
        question = attempt.responses.get(position=position).question
        for choice in question.choices.all():
            assert choice.text in html
            assert choice.rationale not in html
        assert question.explanation not in html
        assert "is_key" not in html
        assert "correct answer" not in html
        # options are posted as letters, never as choice ids
        assert not re.search(r'name="answer" value="\d', html)


def test_htmx_save_replies_with_status_and_remaining_seconds(client, bank):
    with time_machine.travel(START, tick=False):
        attempt = start_custom(client)
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        response = client.post(
            f"/quiz/attempts/{attempt.public_id}/answer/",
            {"position": 1, "answer": "B"},
            headers=HTMX,
        )
    html = response.text
    assert response.status_code == 200
    assert 'id="save-status"' in html
    assert 'data-seconds-left="480"' in html
    assert "Answer B saved" in html
    assert 'id="navigator"' in html
    assert 'data-hx-swap-oob="true"' in html
    assert "is-answered" in html
    rationales = Choice.objects.filter(question__responses__attempt=attempt)
    assert not any(choice.rationale in html for choice in rationales)


def test_plain_post_saves_and_moves_to_the_next_question(client, bank):
    attempt = start_custom(client)
    response = client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 2, "answer": "C"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?n=3")
    response = attempt.responses.get(position=2)
    assert response.choice_id == response.choice_order[2]


def test_reload_shows_saved_answers_and_resumes_at_last_question(client, bank):
    attempt = start_custom(client)
    client.post(f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 3, "answer": "D"})
    html = client.get(attempt.get_absolute_url()).text
    assert "Question 3" in html
    assert re.search(r'value="D"\s+checked', html)


def test_practice_mode_shows_feedback_after_each_answer(client, bank):
    attempt = start_custom(client, timed=False, feedback="immediate")
    letter = key_letter(attempt, 1)
    response = client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/",
        {"position": 1, "answer": letter},
        headers=HTMX,
    )
    html = response.text
    assert "✓ Correct." in html
    question = attempt.responses.get(position=1).question
    for choice in question.choices.all():
        assert choice.rationale in html
    # the next question still hides its key
    html = client.get(f"{attempt.get_absolute_url()}?n=2").text
    assert "Correct." not in html


def test_flag_toggles_plain_and_htmx(client, bank):
    attempt = start_custom(client)
    url = f"/quiz/attempts/{attempt.public_id}/flag/"
    response = client.post(url, {"position": 2}, headers=HTMX)
    assert 'aria-pressed="true"' in response.text
    assert "is-flagged" in response.text
    assert client.post(url, {"position": 2}).status_code == 302
    assert attempt.responses.get(position=2).flagged is False


@pytest.mark.parametrize(
    "data",
    [
        {"position": "x", "answer": "A"},
        {"position": 99, "answer": "A"},
        {"position": 1, "answer": "Z"},
        {"answer": "A"},
        {"position": 1, "answer": "12"},
    ],
)
def test_tampered_input_is_a_4xx_and_changes_nothing(client, bank, data):
    attempt = start_custom(client)
    response = client.post(f"/quiz/attempts/{attempt.public_id}/answer/", data)
    assert 400 <= response.status_code < 500
    assert not attempt.responses.filter(choice__isnull=False).exists()


def test_someone_elses_attempt_is_404(client, bank):
    attempt = start_custom(client)
    stranger = Client()
    for url in ("", "submit/", "result/"):
        assert stranger.get(f"/quiz/attempts/{attempt.public_id}/{url}").status_code == 404
    response = stranger.post(
        f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 1, "answer": "A"}
    )
    assert response.status_code == 404
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert signed_in.get(attempt.get_absolute_url()).status_code == 404
    assert not attempt.responses.filter(choice__isnull=False).exists()


def test_post_to_a_finished_attempt_is_refused(client, bank):
    attempt = start_custom(client)
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")
    response = client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 1, "answer": "A"}
    )
    assert response.status_code == 409
    assert response.text.count("has been submitted") == 1  # said once, not also as a message
    response = client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 1, "answer": "A"}, headers=HTMX
    )
    assert response.status_code == 409
    assert response["HX-Redirect"] == f"/quiz/attempts/{attempt.public_id}/result/"
    assert not attempt.responses.filter(choice__isnull=False).exists()


def test_a_closed_attempts_reason_after_htmx_shows_once_on_the_result(client, bank):
    attempt = start_custom(client)
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")
    client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/", {"position": 1, "answer": "A"}, headers=HTMX
    )
    html = client.get(f"/quiz/attempts/{attempt.public_id}/result/").text
    assert html.count("has been submitted, so answers can no longer be changed") == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_a_second_answer_to_a_practice_question_goes_back_to_it_unchanged(client, bank, htmx):
    attempt = start_custom(client, timed=False, feedback="immediate")
    first = key_letter(attempt, 1)
    other = next(letter for letter in "ABCD" if letter != first)
    url = f"/quiz/attempts/{attempt.public_id}/answer/"
    client.post(url, {"position": 1, "answer": first})

    response = client.post(url, {"position": 1, "answer": other}, headers=HTMX if htmx else {})

    question_url = f"{attempt.get_absolute_url()}?n=1"
    if htmx:
        assert response["HX-Redirect"] == question_url
    else:
        assert response.status_code == 302
        assert response["Location"] == question_url
    html = client.get(question_url).text
    assert "your first answer stands, unchanged" in html
    assert "✓ Correct." in html
    assert "This attempt is closed" not in html
    response = attempt.responses.get(position=1)
    assert "ABCD"[response.choice_order.index(response.choice_id)] == first
    attempt.refresh_from_db()
    assert attempt.state == State.IN_PROGRESS


def test_summary_lists_unanswered_and_flagged_then_submit_scores(client, bank):
    attempt = start_custom(client)
    client.post(
        f"/quiz/attempts/{attempt.public_id}/answer/",
        {"position": 1, "answer": key_letter(attempt, 1)},
    )
    client.post(f"/quiz/attempts/{attempt.public_id}/flag/", {"position": 4})
    html = client.get(f"/quiz/attempts/{attempt.public_id}/submit/").text
    assert "<strong>1</strong> of 5 questions" in html
    assert "Question 2" in html
    assert "Flagged for review" in html
    response = client.post(f"/quiz/attempts/{attempt.public_id}/submit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/quiz/attempts/{attempt.public_id}/result/"
    html = response.text
    assert "1</strong> / 5" in html
    assert "Not passed yet" in html
    assert "Review your answers" in html
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert attempt.state == State.SUBMITTED


def test_result_review_teaches(client, bank):
    attempt = start_custom(client)
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")
    html = client.get(f"/quiz/attempts/{attempt.public_id}/result/").text
    for response in attempt.responses.all():
        for choice in response.question.choices.all():
            assert choice.rationale in html
        assert f'href="{response.question.concept.get_absolute_url()}"' in html
    assert "LO1" in html
    assert "✓ correct answer" in html


def test_result_of_an_attempt_in_progress_goes_back_to_it(client, bank):
    attempt = start_custom(client)
    response = client.get(f"/quiz/attempts/{attempt.public_id}/result/")
    assert response["Location"] == attempt.get_absolute_url()


def test_expired_attempt_is_finalised_on_the_next_request(client, bank):
    with time_machine.travel(START, tick=False):
        attempt = start_custom(client)
        client.post(
            f"/quiz/attempts/{attempt.public_id}/answer/",
            {"position": 1, "answer": key_letter(attempt, 1)},
        )
    with time_machine.travel(START + timedelta(minutes=11), tick=False):
        response = client.get(attempt.get_absolute_url())
    assert response["Location"].endswith("/result/")
    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED
    assert attempt.finished_at == START + timedelta(minutes=10)
    assert attempt.score == 1


def test_anonymous_attempt_moves_to_the_account_on_sign_up(client, bank):
    attempt = start_custom(client)
    client.post(
        "/accounts/signup/",
        {"username": "kim", "password1": "Sturdy-pass-77", "password2": "Sturdy-pass-77"},
    )
    attempt.refresh_from_db()
    assert attempt.user.username == "kim"
    assert client.get(attempt.get_absolute_url()).status_code == 200


def test_anonymous_attempt_moves_to_the_account_on_log_in(client, bank):
    UserFactory(username="lee")
    attempt = start_custom(client)
    client.post("/accounts/login/", {"username": "lee", "password": "a-long-test-password"})
    attempt.refresh_from_db()
    assert attempt.user.username == "lee"
    html = client.get("/quiz/").text
    assert attempt.get_absolute_url() in html


def test_signed_in_learner_sees_past_attempts(client, bank):
    client.force_login(UserFactory())
    attempt = start_custom(client)
    client.post(f"/quiz/attempts/{attempt.public_id}/submit/")
    html = client.get("/quiz/").text
    assert "Your recent results" in html
    assert f"/quiz/attempts/{attempt.public_id}/result/" in html


@pytest.mark.parametrize("count", [5, 15])
def test_query_budgets_do_not_grow_with_the_attempt(client, django_assert_max_num_queries, count):
    question_bank(20)
    attempt = start_custom(client, count=count)
    url = attempt.get_absolute_url()
    with django_assert_max_num_queries(7):
        client.get(f"{url}?n=2")
    with django_assert_max_num_queries(13):
        client.post(f"{url}answer/", {"position": 2, "answer": "A"}, headers=HTMX)
    with django_assert_max_num_queries(12):
        client.post(f"{url}flag/", {"position": 2}, headers=HTMX)
    with django_assert_max_num_queries(4):
        client.get(f"{url}submit/")
    with django_assert_max_num_queries(11):
        client.post(f"{url}submit/")
    with django_assert_max_num_queries(8):
        client.get(f"{url}result/")
