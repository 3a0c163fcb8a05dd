"""Quality measures: the test-wise guessers, the structural checks, and the shipped bank."""

import pytest

from quiz.bank import build_question_bank
from quiz.models import Question
from quiz.quality import (
    GUESSERS,
    LONGEST,
    ODD_ONE_OUT,
    SHARED_WORDS,
    QuestionView,
    chance_of_key,
    content_words,
    guesses,
    quality_report,
    structural_problems,
    view_of_generated,
    view_of_row,
)

LIMIT = 0.35  # the ceiling; chance is 0.25


def view(options, *, key=0, stem="Which term is described by the following? A thing.", **kw):
    fields = {
        "label": "q",
        "style": "term",
        "stem": stem,
        "statements": (),
        "options": tuple(options),
        "key_flags": tuple(i == key for i in range(len(options))),
        "concept_terms": (),
    }
    fields.update(kw)
    return QuestionView(**fields)


def test_content_words_drop_stopwords_and_template_words_and_reduce_plurals():
    assert content_words("Which term is described by the following? The outcomes") == {"outcome"}
    assert content_words("Processes and the provider's services, e.g. 1 and 2") == {
        "process",
        "provider",
        "service",
        "1",
        "2",
    }


def test_longest_guesser_takes_the_first_of_the_longest():
    options = ["short", "a longer one", "tiny", "also longer"]
    assert guesses("stem", options)[LONGEST] == 1
    assert guesses("stem", ["same", "four", "xy"])[LONGEST] == 0


def test_shared_words_guesser_counts_content_words_in_common_with_the_stem():
    stem = "Which statement describes the service desk?"
    options = ["A plan for budgets", "The single point of contact for a service", "Desk work"]
    assert guesses(stem, options)[SHARED_WORDS] == 1
    # Nobody shares a word: the first option is the guess.
    assert guesses("Which one?", ["alpha", "beta", "gamma"])[SHARED_WORDS] == 0


def test_odd_one_out_guesser_takes_the_option_least_like_the_others():
    options = ["problem control", "error control", "problem identification", "major incident"]
    assert guesses("stem", options)[ODD_ONE_OUT] == 3
    # All equally unlike each other: a tie, so the first.
    assert guesses("stem", ["plan", "improve", "engage", "obtain"])[ODD_ONE_OUT] == 0


def test_chance_of_key_reflects_ties():
    chances = chance_of_key("stem", ["aaaa", "bbbb", "cc", "dd"], 0)
    assert chances[LONGEST] == 0.5
    assert chances[SHARED_WORDS] == 0.25
    assert chance_of_key("stem", ["aaaa", "bbbb", "cc", "dd"], 2)[LONGEST] == 0.0


def test_quality_report_counts_the_guessers_hits():
    views = [
        view(["the longest option", "b", "c", "d"], key=0),
        view(["a", "the longest option", "c", "d"], key=0),
    ]
    report = quality_report(views)
    assert report.questions == 2
    assert report.figures[LONGEST] == 0.5
    assert set(report.figures) == set(GUESSERS)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"key_flags": (True, True, False, False)}, "2 keys instead of 1"),
        ({"key_flags": (False,) * 4}, "0 keys instead of 1"),
        ({"options": ("a", "b", "c"), "key_flags": (True, False, False)}, "3 options"),
        ({"options": ("a", " ", "c", "d")}, "an empty option"),
        ({"options": ("Same", "same ", "c", "d")}, "two options with the same text"),
        ({"style": "list"}, "0 statements instead of 4"),
        ({"style": "missing_word"}, "exactly one blank"),
        (
            {
                "style": "definition",
                "concept_terms": ("Outcome",),
                "options": ("a", "b", "c", "Outcomes"),
            },
            "repeats the concept's name",
        ),
        (
            {
                "stem": "Which term is described by the following? An outcome.",
                "concept_terms": ("Outcome",),
            },
            "the stem names the key",
        ),
        (
            {"stem": "Which term is described by the following? Gamma rays."},
            "contains option 'Gamma'",
        ),
    ],
)
def test_structural_checks_catch_each_problem(changes, problem):
    sound = view(["Alpha", "Beta", "Gamma", "Delta"])
    assert structural_problems(sound) == []
    fields = {**sound.__dict__, **changes}
    problems = structural_problems(QuestionView(**fields))
    assert any(problem in found for found in problems), problems


@pytest.fixture
def shipped_bank(shipped_glossary):
    result = build_question_bank()
    questions = list(
        Question.objects.active().select_related("concept").prefetch_related("choices")
    )
    return result, questions


def test_shipped_bank_is_sound_and_beats_the_test_wise_guesser(shipped_bank):
    result, questions = shipped_bank
    stored = quality_report(view_of_row(question) for question in questions)
    generated = quality_report(view_of_generated(question) for question in result.questions)
    assert stored.problems == []
    assert generated.problems == []
    assert stored.questions == generated.questions == len(result.questions)
    assert stored.figures == generated.figures
    for name, share in stored.figures.items():
        assert share <= LIMIT, f"{GUESSERS[name]} picks the key on {share:.0%} of questions"


def test_shipped_bank_covers_every_style_and_learning_outcome(shipped_bank):
    _, questions = shipped_bank
    styles = {question.style for question in questions}
    assert styles == {"term", "definition", "missing_word", "list", "negative"}
    outcomes = {question.learning_outcome for question in questions}
    assert outcomes == {f"LO{n}" for n in range(1, 8)}
    negatives = sum(question.style == "negative" for question in questions)
    assert negatives <= 0.05 * len(questions)
    # Enough distinct concepts per outcome to sit a mock exam without repeating a slot.
    marks = {"LO1": 5, "LO2": 6, "LO3": 2, "LO4": 1, "LO5": 2, "LO6": 7, "LO7": 17}
    for outcome, count in marks.items():
        slots = {(q.concept_id, q.style) for q in questions if q.learning_outcome == outcome}
        assert len(slots) >= count
