"""A learner's progress: trend, mastery, weak spots and readiness against hand-computed
values; the page (plain and htmx) and its query budget; the weak-spots review quiz."""

from datetime import UTC, datetime, timedelta

import pytest

from quiz.models import Attempt, Blueprint, Choice, Response
from quiz.models.attempts import State
from quiz.models.bank import Style
from quiz.models.blueprints import Feedback, Kind, default_pass_mark, mock_exam, quick_practice
from quiz.progress import (
    NotEnoughData,
    mastery_by_outcome,
    readiness,
    score_trend,
    start_weak_spot_review,
    weak_spot_concepts,
    weakest_concepts,
)
from tests.factories import (
    ConceptFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
    question_bank,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
DAY1 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def finish(user, questions, outcomes, *, at, blueprint=None, state=State.SUBMITTED) -> Attempt:
    """A finished attempt of `user`: outcomes[i] is True (right), False (wrong) or None
    (not answered) for questions[i], scored as quiz.attempts scores."""
    blueprint = blueprint or quick_practice()
    pass_mark = default_pass_mark(len(questions))
    score = sum(1 for outcome in outcomes if outcome)
    attempt = Attempt.objects.create(
        blueprint=blueprint,
        user=user,
        state=state,
        started_at=at - timedelta(minutes=10),
        finished_at=None if state == State.IN_PROGRESS else at,
        question_count=len(questions),
        pass_mark=pass_mark,
        score=None if state == State.IN_PROGRESS else score,
        passed=None if state == State.IN_PROGRESS else score >= pass_mark,
    )
    for position, (question, outcome) in enumerate(zip(questions, outcomes, strict=True), 1):
        choices = list(question.choices.order_by("order"))
        key = next(choice for choice in choices if choice.is_key)
        wrong = next(choice for choice in choices if not choice.is_key)
        chosen = None if outcome is None else key if outcome else wrong
        Response.objects.create(
            attempt=attempt,
            position=position,
            question=question,
            choice_order=[choice.pk for choice in choices],
            choice=chosen,
            answered_at=at if chosen else None,
            is_correct=None if state == State.IN_PROGRESS else bool(outcome),
        )
    return attempt


def mock_with_score(user, questions, score, *, at) -> Attempt:
    """A mock exam over `questions` (40 of them) with `score` right answers."""
    outcomes = [index < score for index in range(len(questions))]
    return finish(user, questions, outcomes, at=at, blueprint=mock_exam())


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def questions():
    """Ten questions on ten concepts of one LO1 section."""
    return question_bank(10)


@pytest.fixture
def forty():
    return question_bank(40)


# -- the figures -----------------------------------------------------------------------------


def test_score_trend_is_oldest_first_with_percentages(learner, questions):
    finish(learner, questions[:4], [True, True, False, False], at=DAY1 + timedelta(days=2))
    finish(learner, questions[:5], [True] * 5, at=DAY1 + timedelta(days=5))
    finish(learner, questions[:4], [True, False, False, False], at=DAY1)
    finish(learner, questions[:4], [True] * 4, at=DAY1, state=State.IN_PROGRESS)
    finish(UserFactory(), questions[:4], [False] * 4, at=DAY1)

    points = score_trend(learner)

    assert [(p.score, p.question_count, p.percent) for p in points] == [
        (1, 4, 25.0),
        (2, 4, 50.0),
        (5, 5, 100.0),
    ]
    assert [p.finished_at for p in points] == [DAY1, DAY1 + timedelta(days=2), DAY1 + timedelta(5)]
    assert [p.passed for p in points] == [False, False, True]
    assert score_trend(learner, limit=2)[0].percent == 50.0


def test_mastery_is_share_right_of_answered_responses_per_outcome(learner):
    lo1 = question_bank(4, learning_outcome="LO1")
    lo2 = question_bank(3, learning_outcome="LO2")
    finish(learner, [*lo1[:3], *lo2[:2]], [True, True, False, False, None], at=DAY1)
    finish(learner, [lo1[3], lo2[2]], [True, True], at=DAY1 + timedelta(days=1))
    # not counted: an attempt in progress, and someone else's
    finish(learner, lo2, [True] * 3, at=DAY1, state=State.IN_PROGRESS)
    finish(UserFactory(), lo2, [True] * 3, at=DAY1)

    rows = {row.learning_outcome: row for row in mastery_by_outcome(learner)}

    assert list(rows) == ["LO1", "LO2", "LO3", "LO4", "LO5", "LO6", "LO7"]
    assert (rows["LO1"].correct, rows["LO1"].answered, rows["LO1"].percent) == (3, 4, 75)
    # the unanswered LO2 question does not count: 1 right of 2 answered
    assert (rows["LO2"].correct, rows["LO2"].answered, rows["LO2"].percent) == (1, 2, 50)
    assert rows["LO1"].level == "strong"
    assert rows["LO2"].level == "weak"
    assert rows["LO3"].answered == 0
    assert rows["LO3"].percent is None
    assert rows["LO3"].level == "not yet answered"


def concept_questions(names_and_styles):
    """{name: [question, ...]}: questions in the given styles on fresh concepts."""
    section = SectionFactory(learning_outcome="LO1")
    found = {}
    for name, styles in names_and_styles.items():
        concept = ConceptFactory(section=section, name=name)
        found[name] = [QuestionFactory(concept=concept, style=style) for style in styles]
    return found


def test_weakest_concepts_need_two_answers_and_a_wrong_one(learner):
    bank = concept_questions(
        {name: ["term", "definition"] for name in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]}
    )
    a, b, c, d, e = (bank[name] for name in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"])
    # Alpha 1 of 4 right (25%), Bravo 0 of 2, Charlie answered once, Delta never wrong,
    # Echo 1 of 2 (50%).
    outcomes = [True, False, False, False, False, True, True, True, False]
    finish(learner, [*a, *b, c[0], *d, *e], outcomes, at=DAY1)
    finish(learner, [*a, b[0]], [False, False, False], at=DAY1 + timedelta(days=1))

    weakest = weakest_concepts(learner)

    assert [(w.name, w.correct, w.answered, w.percent) for w in weakest] == [
        ("Bravo", 0, 3, 0),
        ("Alpha", 1, 4, 25),
        ("Echo", 1, 2, 50),
    ]
    assert weakest[0].slug == "bravo"
    assert weak_spot_concepts(learner, 2) == [w.concept_id for w in weakest[:2]]
    assert weakest_concepts(UserFactory()) == []


def test_readiness_without_mock_exams_asks_for_one(learner, questions):
    finish(learner, questions, [True] * 10, at=DAY1)  # practice does not count
    estimate = readiness(learner)
    assert estimate.verdict == "unknown"
    assert estimate.mean_percent is None
    assert estimate.headline == "No estimate yet"
    assert "Take a mock exam" in estimate.explanation
    assert estimate.caveat == ""


def test_readiness_averages_the_last_three_mock_exams(learner, forty):
    # oldest first: 0/40 (ignored: only the last three count), 24, 28, 32 -> 60, 70, 80%
    for day, score in enumerate([0, 24, 28, 32]):
        mock_with_score(learner, forty, score, at=DAY1 + timedelta(days=day))
    custom = Blueprint.objects.create(
        kind=Kind.CUSTOM, title="Custom", question_count=40, pass_mark=26
    )
    finish(learner, forty, [False] * 40, at=DAY1 + timedelta(days=9), blueprint=custom)

    estimate = readiness(learner)

    assert (estimate.counted, estimate.total, estimate.passed) == (3, 4, 2)
    assert estimate.mean_percent == pytest.approx(70)
    assert estimate.verdict == "borderline"
    assert estimate.enough_data
    assert estimate.caveat == ""
    assert estimate.explanation.startswith(
        "Your last 3 mock exams average 70%, only 5 points above the 65% pass mark"
    )


@pytest.mark.parametrize(
    ("scores", "verdict", "headline", "words"),
    [
        ([30], "ready", "Likely to pass", "Your last mock exam scored 75%, comfortably above"),
        ([20, 22], "not_ready", "Not ready yet", "average 53%, 12 points below the 65%"),
        ([25, 26], "not_ready", "Not ready yet", "average 64%, 1 point below the 65%"),
        ([27, 26], "borderline", "Borderline", "average 66%, only 1 point above the 65%"),
        ([26, 26, 26], "borderline", "Borderline", "average 65%, exactly the 65% pass mark"),
        ([36, 34, 32], "ready", "Likely to pass", "average 85%, comfortably above"),
    ],
)
def test_readiness_verdicts(learner, forty, scores, verdict, headline, words):
    for day, score in enumerate(scores):
        mock_with_score(learner, forty, score, at=DAY1 + timedelta(days=day))
    estimate = readiness(learner)
    assert estimate.verdict == verdict
    assert estimate.headline == headline
    assert words in estimate.explanation
    if len(scores) < 3:
        exams = "mock exam" if len(scores) == 1 else "mock exams"
        assert estimate.caveat == (
            f"Based on only {len(scores)} {exams}: take at least 3 for a steadier estimate."
        )


# -- the page --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/progress/"
    response = client.post("/progress/weak-spots/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Blueprint.objects.count() == 0


def test_without_finished_quizzes_the_page_says_what_to_do(client, learner):
    client.force_login(learner)
    html = client.get("/progress/").text
    assert "No finished quizzes yet" in html
    assert 'href="/quiz/"' in html


def test_page_shows_readiness_trend_mastery_weak_spots_and_history(client, learner):
    bank = concept_questions({"Alpha": ["term", "definition"], "Bravo": ["term"]})
    finish(learner, [*bank["Alpha"], *bank["Bravo"]], [False, False, True], at=DAY1)
    forty = question_bank(40)
    mock_with_score(learner, forty, 30, at=DAY1 + timedelta(days=1))
    client.force_login(learner)

    html = client.get("/progress/").text

    assert "Likely to pass" in html
    assert "Based on only 1 mock exam" in html
    # an accessible chart, with a table of the same figures
    assert 'role="img"' in html
    assert 'aria-labelledby="trend-title trend-desc"' in html
    assert '<title id="trend-title">Your scores in your last 2 finished quizzes</title>' in html
    assert "From 33% (Quick practice, 1 Oct 2026) to 75% (Mock exam, 2 Oct 2026)" in html
    assert "<summary>The chart's figures as a table</summary>" in html
    assert '<td><span class="nowrap">30 / 40</span> (75%)</td>' in html  # the figure stays whole
    assert "style=" not in html
    # mastery, weak spots linked to the glossary, the review button, the history
    assert 'LO1 <span class="muted">Key concepts of service management</span>' in html
    assert '<a href="/glossary/alpha/">Alpha</a>' in html
    assert "0 of 2 right (0%)" in html
    assert "Bravo</a>" not in html
    assert 'action="/progress/weak-spots/"' in html
    assert "Review my weak spots" in html
    assert html.count("/result/") == 2


def test_page_without_weak_spots_offers_no_review(client, learner, questions):
    finish(learner, questions, [True] * 10, at=DAY1)
    client.force_login(learner)
    html = client.get("/progress/").text
    assert "No weak spots yet" in html
    assert "Review my weak spots" not in html
    assert "No estimate yet" in html


@pytest.mark.parametrize("finished", [3, 30])
def test_page_runs_a_fixed_number_of_queries(
    client, learner, questions, finished, django_assert_num_queries
):
    for day in range(finished):
        finish(learner, questions, [day % 2 == 0] * 10, at=DAY1 + timedelta(days=day))
    client.force_login(learner)
    # session, user, history count and page, trend, mastery, weak spots, readiness
    with django_assert_num_queries(8):
        response = client.get("/progress/")
    assert response.status_code == 200


def test_history_pages_plain_and_htmx(client, learner, questions):
    for day in range(23):
        finish(learner, questions[:5], [True] * 5, at=DAY1 + timedelta(days=day))
    client.force_login(learner)

    first = client.get("/progress/").text
    assert "Page 1 of 2 (23 quizzes)" in first
    assert 'href="?page=2#history"' in first
    assert 'data-hx-get="?page=2"' in first

    plain = client.get("/progress/?page=2")
    assert "<html" in plain.text
    assert "Page 2 of 2" in plain.text

    partial = client.get("/progress/?page=2", headers=HTMX)
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="history"')
    assert partial.text.count("/result/") == 3
    assert partial["Vary"]
    assert "HX-Request" in partial["Vary"]


# -- the weak-spots review -------------------------------------------------------------------


def weak_history(user, names, styles=("term", "definition", "missing_word")):
    """Concepts with a question in each style, every one answered wrong twice."""
    bank = concept_questions({name: list(styles) for name in names})
    questions = [question for name in names for question in bank[name][:2]]
    finish(user, questions, [False] * len(questions), at=DAY1)
    return bank


def test_weak_spots_quiz_draws_from_the_weakest_concepts(client, learner):
    bank = weak_history(learner, ["Alpha", "Bravo", "Charlie", "Delta"])
    unrelated = question_bank(20)  # the rest of the bank is not drawn from
    client.force_login(learner)

    response = client.post("/progress/weak-spots/")

    attempt = Attempt.objects.get(user=learner, state=State.IN_PROGRESS)
    assert response.status_code == 302
    assert response["Location"] == attempt.get_absolute_url()
    blueprint = attempt.blueprint
    assert (blueprint.kind, blueprint.owner, blueprint.title) == (
        Kind.CUSTOM,
        learner,
        "Review my weak spots",
    )
    assert blueprint.feedback == Feedback.IMMEDIATE
    assert blueprint.time_limit_minutes is None
    assert attempt.question_count == 10
    assert blueprint.pass_mark == 7
    drawn = set(attempt.responses.values_list("question__concept__name", flat=True))
    assert drawn == set(bank)
    assert not attempt.responses.filter(question__in=unrelated).exists()


def test_weak_spots_quiz_is_shorter_when_the_concepts_have_fewer_questions(learner):
    weak_history(learner, ["Alpha", "Bravo", "Charlie"], styles=("term", "definition"))
    attempt = start_weak_spot_review(user=learner, now=DAY1, seed=1)
    assert attempt.question_count == 6
    assert attempt.blueprint.question_count == 6


def test_weak_spots_take_at_most_one_not_question(learner):
    names = ["Alpha", "Bravo", "Charlie"]
    bank = weak_history(learner, names, styles=("term", "negative"))
    assert all(q.style in (Style.TERM, Style.NEGATIVE) for qs in bank.values() for q in qs)
    # 3 term slots and 3 NOT slots, but a short quiz takes one NOT question at most: 4 < 5
    with pytest.raises(NotEnoughData, match="only 4 questions"):
        start_weak_spot_review(user=learner, now=DAY1)


def test_weak_spots_with_no_history_explain_and_store_nothing(client, learner, questions):
    client.force_login(learner)
    response = client.post("/progress/weak-spots/", follow=True)
    assert response.redirect_chain == [("/progress/", 302)]
    assert "There is not enough to go on yet" in response.text
    assert Blueprint.objects.filter(kind=Kind.CUSTOM).count() == 0
    assert Attempt.objects.count() == 0


def test_weak_spots_with_too_few_questions_explain_and_store_nothing(client, learner):
    weak_history(learner, ["Alpha"])  # one concept: three questions
    client.force_login(learner)
    response = client.post("/progress/weak-spots/", follow=True)
    assert "Your weak spots have only 3 questions to draw from; a review needs 5." in response.text
    assert Blueprint.objects.filter(kind=Kind.CUSTOM).count() == 0
    assert Attempt.objects.filter(state=State.IN_PROGRESS).count() == 0


def test_weak_spots_need_a_post(client, learner):
    client.force_login(learner)
    assert client.get("/progress/weak-spots/").status_code == 405


def test_weak_spots_ignore_retired_questions(learner):
    bank = weak_history(learner, ["Alpha", "Bravo", "Charlie"])
    retired = [qs[2] for qs in bank.values()]
    for question in retired:
        question.is_active = False
        question.save()
    attempt = start_weak_spot_review(user=learner, now=DAY1, seed=3)
    assert attempt.question_count == 6
    assert not attempt.responses.filter(question__in=retired).exists()
    assert Choice.objects.filter(question__responses__attempt=attempt).count() == 24
