"""Browser tests of quizzes: timed attempts that survive reloads, keyboard use, the countdown
running out, the review, practice feedback with and without JavaScript, and failed saves."""

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from quiz.attempts import GRACE, OPTION_LETTERS
from quiz.models.attempts import State
from tests.e2e.conftest import assert_same_document, mark_document
from tests.e2e.quiz_pages import (
    RESULT_URL,
    SAVED,
    answer_and_wait_for_save,
    chosen_letter,
    figure,
    key_letter,
    navigator,
    option,
    question_link,
    radio,
    start_custom_quiz,
    start_quick_practice,
    tab_to,
    timer_seconds,
    wrong_letter,
)
from tests.factories import question_bank


@pytest.fixture(autouse=True)
def bank(transactional_db):
    """A bank over two learning outcomes, committed so the live server's thread can read it."""
    return question_bank(15, "LO1") + question_bank(10, "LO2")


# -- timed attempts ------------------------------------------------------------------------


def test_reloading_a_timed_quiz_keeps_answers_navigator_and_the_servers_countdown(page: Page):
    attempt = start_custom_quiz(page, minutes=2, count=5)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=2)
    timer = page.locator("#timer-value")
    expect(timer).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 of 5")
    first, second = key_letter(attempt, 1), wrong_letter(attempt, 2)

    answer_and_wait_for_save(page, first)
    expect(question_link(page, "1, answered")).to_have_class(re.compile(r"\bis-answered\b"))
    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_url(re.compile(r"\?n=2$"))

    # 45 seconds pass on the server (the live server runs in this process, so it sees them).
    with time_machine.travel(attempt.started_at + timedelta(seconds=45), tick=True):
        answer_and_wait_for_save(page, second)
        # The save's reply carries the server's remaining seconds: the countdown resyncs.
        expect(timer).to_have_text(re.compile(r"^1:[01]\d$"))

        page.reload()

        expect(page.get_by_role("heading", level=1)).to_have_text("Question 2 of 5")
        expect(radio(page, second)).to_be_checked()
        expect(page.locator("#question").get_by_role("radio", checked=True)).to_have_count(1)
        expect(page.locator("#save-status")).to_have_text(f"Your answer {second} is saved.")
        expect(navigator(page).get_by_role("heading")).to_have_text("Questions (2 of 5 answered)")
        for name in ["1, answered", "2, answered", "3, not answered", "5, not answered"]:
            expect(question_link(page, name)).to_be_visible()
        expect(question_link(page, "2, answered")).to_have_attribute("aria-current", "step")
        # Counting on from what the server says is left (~75 s), not from 2:00 again.
        server_left = int(page.locator("#timer").get_attribute("data-seconds-left"))
        assert 60 < server_left <= 75
        expect(timer).to_have_text(re.compile(r"^1:[01]\d$"))
        shown = timer.inner_text()
        expect(timer).not_to_have_text(shown)  # still ticking
        assert timer_seconds(page) < server_left

        question_link(page, "1, answered").click()
        page.wait_for_url(re.compile(r"\?n=1$"))
        expect(radio(page, first)).to_be_checked()
        expect(page.locator("#save-status")).to_have_text(f"Your answer {first} is saved.")

    assert chosen_letter(attempt, 1) == first
    assert chosen_letter(attempt, 2) == second
    assert [chosen_letter(attempt, n) for n in (3, 4, 5)] == [None, None, None]


# How many lines a result figure's value takes, its note ("(time ran out)") left out.
FIGURE_LINES_JS = """
(dd) => {
  const range = document.createRange();
  range.setStart(dd, 0);
  const note = dd.querySelector(".figure-note");
  if (note) range.setEndBefore(note); else range.setEnd(dd, dd.childNodes.length);
  const tops = [...range.getClientRects()].filter((r) => r.width > 1).map((r) => Math.round(r.top));
  return new Set(tops).size;
}
"""


def test_when_the_countdown_reaches_zero_the_attempt_is_submitted_and_the_result_shown(
    page: Page,
):
    page.clock.install()
    attempt = start_custom_quiz(page, minutes=1, count=5)
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    answer_and_wait_for_save(page, key_letter(attempt, 1))

    # The browser's countdown and the server's clock both reach the deadline.
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=True):
        page.clock.fast_forward("01:01")
        page.wait_for_url(RESULT_URL)

        expect(page.locator(".messages")).to_have_text("Time is up. Your answers were submitted.")
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Not passed yet"))
        expect(figure(page, "Score")).to_have_text("1 / 5 (20%)")
        expect(figure(page, "Time taken")).to_have_text("1 min 0 s (time ran out)")
        # A figure never breaks inside; its note has a line of its own.
        for dd in page.locator(".result__figures dd").all():
            assert dd.evaluate(FIGURE_LINES_JS) == 1, dd.inner_text()
        note = figure(page, "Time taken").locator(".figure-note").bounding_box()
        value = figure(page, "Time taken").bounding_box()
        assert note["y"] > value["y"] + 5

    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED
    assert attempt.finished_at == attempt.deadline
    assert attempt.score == 1


def test_coming_back_after_the_deadline_lands_on_the_result_of_the_expired_attempt(page: Page):
    attempt = start_custom_quiz(page, minutes=1, count=5)
    answer_and_wait_for_save(page, key_letter(attempt, 1))

    # The tab slept through the deadline and the grace period; the server expires it.
    with time_machine.travel(attempt.deadline + GRACE + timedelta(seconds=5), tick=True):
        page.reload()
        page.wait_for_url(RESULT_URL)
        expect(figure(page, "Time taken")).to_have_text("1 min 0 s (time ran out)")
        # A figure never breaks inside; its note has a line of its own.
        for dd in page.locator(".result__figures dd").all():
            assert dd.evaluate(FIGURE_LINES_JS) == 1, dd.inner_text()
        note = figure(page, "Time taken").locator(".figure-note").bounding_box()
        value = figure(page, "Time taken").bounding_box()
        assert note["y"] > value["y"] + 5

    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED
    assert attempt.score == 1


# -- keyboard ------------------------------------------------------------------------------


def test_the_whole_quiz_with_the_keyboard_only_choose_flag_navigate_submit(page: Page):
    attempt = start_custom_quiz(page, minutes=None)
    expect(page.locator("#timer")).to_have_count(0)
    status = page.locator("#save-status")

    # Tab into the radio group (the first option), then arrow keys choose and autosave.
    tab_to(page, radio(page, "A"))
    page.keyboard.press("ArrowDown")
    expect(radio(page, "B")).to_be_checked()
    expect(status).to_have_text(re.compile(SAVED.format("B")))
    page.keyboard.press("ArrowDown")
    expect(radio(page, "C")).to_be_checked()
    expect(status).to_have_text(re.compile(SAVED.format("C")))
    expect(question_link(page, "1, answered")).to_be_visible()
    assert chosen_letter(attempt, 1) == "C"

    flag = page.locator("#flag-form").get_by_role("button")
    expect(flag).to_have_attribute("aria-pressed", "false")
    tab_to(page, flag)
    page.keyboard.press("Enter")

    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(flag).to_have_text(re.compile("Flagged for review"))
    expect(question_link(page, "1, answered, flagged")).to_have_class(re.compile(r"is-flagged"))
    # The swapped-in toggle keeps the focus, so Space can undo it straight away.
    expect(flag).to_be_focused()
    page.keyboard.press("Space")

    expect(flag).to_have_attribute("aria-pressed", "false")
    expect(flag).to_have_text(re.compile("Flag for review"))
    expect(question_link(page, "1, answered")).to_be_visible()
    expect(flag).to_be_focused()
    assert not attempt.responses.get(position=1).flagged

    # Navigate: Next, then back to question 1 through the navigator.
    tab_to(page, page.get_by_role("link", name="Next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Question 2"))).to_be_visible()
    tab_to(page, radio(page, "A"))
    page.keyboard.press("Space")
    expect(status).to_have_text(re.compile(SAVED.format("A")))
    tab_to(page, question_link(page, "1, answered"))
    page.keyboard.press("Enter")
    expect(radio(page, "C")).to_be_checked()

    # Submit: the review page, then its button, land on the result.
    tab_to(page, page.get_by_role("link", name="Review and submit"))
    page.keyboard.press("Enter")
    submit = page.get_by_role("button", name="Submit my answers")
    tab_to(page, submit)
    page.keyboard.press("Enter")
    page.wait_for_url(RESULT_URL)
    expect(figure(page, "Answered")).to_have_text(re.compile(r"^2 of 5"))


def test_a_key_pressed_the_moment_the_flag_toggle_comes_back_still_goes_through_htmx(
    page: Page,
):
    """The swapped-in toggle takes the focus at once; a key pressed straight away must not
    submit its form without htmx (a page load that loses the focus), as it did while htmx
    wired up new content only when it settled, 20 ms after the swap."""
    start_custom_quiz(page, minutes=None)
    mark_document(page)
    flag = page.locator("#flag-form").get_by_role("button")
    flag.focus()
    # As a quick keyboard user: press the new button in the first task after it has the focus.
    page.evaluate(
        """() => document.addEventListener("focusin", (event) => {
            if (event.target.id === "flag-button" && !document.body.dataset.pressedAgain) {
                document.body.dataset.pressedAgain = "yes";
                setTimeout(() => event.target.click(), 0);
            }
        })"""
    )
    page.keyboard.press("Enter")
    # The first toggle came back, and the button was pressed again.
    expect(page.locator("body")).to_have_attribute("data-pressed-again", "yes")

    expect(flag).to_have_attribute("aria-pressed", "false")  # the second one too
    expect(question_link(page, "1, not answered")).to_be_visible()
    expect(flag).to_be_focused()
    assert_same_document(page)


# -- how the attempt page looks --------------------------------------------------------------


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG) of a computed "rgb(r, g, b)" colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def style(locator: Locator, prop: str, pseudo: str | None = None) -> str:
    return locator.evaluate(
        "(el, [prop, pseudo]) => getComputedStyle(el, pseudo).getPropertyValue(prop)",
        [prop, pseudo],
    )


def test_the_navigator_shows_flags_plainly_and_its_key_looks_like_its_cells(page: Page):
    attempt = start_custom_quiz(page, minutes=None)
    answer_and_wait_for_save(page, key_letter(attempt, 1))
    question_link(page, "2, not answered").click()
    page.locator("#flag-button").click()

    answered = question_link(page, "1, answered")
    flagged = question_link(page, "2, not answered, flagged")
    plain = question_link(page, "3, not answered")
    expect(flagged).to_be_visible()
    # The flag is a badge big enough to see, and the cell's frame changes too (not colour only).
    badge = flagged.locator(".navigator__flag").bounding_box()
    assert badge["width"] >= 16
    assert badge["height"] >= 16
    width = "border-top-width"
    assert float(style(flagged, width)[:-2]) > float(style(plain, width)[:-2])

    # Each sample of the key is drawn like the cells it explains.
    legend = navigator(page).locator(".navigator__legend")
    answered_sample = legend.locator(".is-answered")
    flagged_sample = legend.locator(".is-flagged")
    for prop in ["background-color", "border-top-color"]:
        assert style(answered_sample, prop) == style(answered, prop)
        assert style(flagged_sample, prop) == style(flagged, prop)
    assert style(answered_sample, "background-color", "::after") == style(
        answered, "background-color", "::after"
    )
    expect(flagged_sample.locator(".navigator__flag")).to_be_visible()


def test_on_a_phone_review_and_submit_comes_before_the_question_cells(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    start_custom_quiz(page, minutes=None, count=25)
    finish = page.get_by_role("link", name="Review and submit")
    first_cell = question_link(page, "1, not answered")
    assert finish.bounding_box()["y"] < first_cell.bounding_box()["y"]
    # The keyboard meets them in the same order, after the question's own controls.
    tab_to(page, page.get_by_role("link", name="Next", exact=True))
    tab_to(page, finish, limit=3)


def test_in_the_dark_an_unchosen_option_circle_stands_out_from_its_box(page: Page):
    page.emulate_media(color_scheme="dark")
    start_custom_quiz(page, minutes=None)
    circle = radio(page, "B")
    box = option(page, "B")
    assert contrast(style(circle, "border-top-color"), style(box, "background-color")) >= 3


# -- submitting and the review -------------------------------------------------------------


def test_the_result_reviews_each_answer_with_the_key_rationales_and_concept(page: Page):
    attempt = start_custom_quiz(page, minutes=None, count=5)
    right, wrong = key_letter(attempt, 1), wrong_letter(attempt, 2)
    answer_and_wait_for_save(page, right)
    page.get_by_role("link", name="Next", exact=True).click()
    answer_and_wait_for_save(page, wrong)
    page.get_by_role("link", name="Next", exact=True).click()
    page.get_by_role("button", name="Flag for review").click()
    expect(question_link(page, "3, not answered, flagged")).to_be_visible()

    page.get_by_role("link", name="Review and submit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit")
    summary = page.locator(".summary")
    expect(summary.locator("p").first).to_have_text(
        "You have answered 2 of 5 questions; 3 unanswered, 1 flagged for review."
    )
    not_answered = summary.locator(".position-list").first
    expect(not_answered.get_by_role("link")).to_have_text(
        ["Question 3", "Question 4", "Question 5"]
    )
    expect(summary.locator(".position-list").last.get_by_role("link")).to_have_text(["Question 3"])

    page.get_by_role("button", name="Submit my answers").click()

    page.wait_for_url(RESULT_URL)
    expect(page.locator(".messages")).to_have_text("Your answers were submitted.")
    expect(page.get_by_role("heading", level=1)).to_have_text("✗ Not passed yet")
    expect(figure(page, "Score")).to_have_text("1 / 5 (20%)")
    expect(figure(page, "Pass mark")).to_have_text("4 / 5")
    expect(figure(page, "Answered")).to_have_text("2 of 5")

    items = page.locator(".review-item")
    expect(items).to_have_count(5)
    first, second, third = items.nth(0), items.nth(1), items.nth(2)
    expect(first.get_by_role("heading")).to_have_text("Question 1: ✓ correct")
    expect(second.get_by_role("heading")).to_have_text("Question 2: ✗ incorrect")
    expect(third.get_by_role("heading")).to_have_text("Question 3: ○ not answered ⚑ flagged")
    # Not answered is neutral, not the red of a wrong answer.
    incorrect, unanswered = second.locator(".verdict"), third.locator(".verdict")
    assert style(unanswered, "color") != style(incorrect, "color")
    assert style(third, "border-left-color") != style(second, "border-left-color")

    def review_option(item: Locator, letter: str) -> Locator:
        return item.locator(".review-option").nth(OPTION_LETTERS.index(letter))

    right_option = review_option(first, right)
    expect(right_option).to_contain_text("✓ correct answer")
    expect(right_option).to_contain_text("your answer")
    expect(second.get_by_text("your answer", exact=True)).to_have_count(1)
    expect(review_option(second, wrong).locator(".tag")).to_have_text(["your answer"])
    expect(review_option(second, key_letter(attempt, 2)).locator(".tag")).to_have_text(
        ["✓ correct answer"]
    )
    expect(third.get_by_text("your answer", exact=True)).to_have_count(0)

    # Every option of every question, in the order the learner saw them, with its rationale.
    for position, item in enumerate(items.all(), start=1):
        response = attempt.responses.select_related("question__concept").get(position=position)
        by_id = {choice.pk: choice for choice in response.question.choices.all()}
        shown = [by_id[choice_id] for choice_id in response.choice_order]
        expect(item.locator(".review-option__text")).to_contain_text([c.text for c in shown])
        expect(item.locator(".review-option__why")).to_have_text([c.rationale for c in shown])
        expect(item.locator(".question__stem")).to_have_text(response.question.stem)

    concept = attempt.responses.get(position=2).question.concept
    second.get_by_role("link", name=f"Read about {concept.name}").click()
    page.wait_for_url(f"**{concept.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(concept.name)

    attempt.refresh_from_db()
    assert attempt.state == State.SUBMITTED
    assert attempt.score == 1
    assert attempt.passed is False


# -- practice mode -------------------------------------------------------------------------


def test_on_a_phone_the_breakdown_keeps_each_outcome_to_two_lines(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    attempt = start_custom_quiz(page, minutes=None, count=10)
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(RESULT_URL)

    rows = page.get_by_role("table", name="Correct answers by learning outcome").locator("tbody tr")
    expect(rows).to_have_count(2)  # the bank's LO1 and LO2
    for row in rows.all():
        name = row.get_by_role("rowheader")
        line = float(style(name, "line-height")[:-2])
        assert name.evaluate("th => th.clientHeight") <= 2 * line + 20, name.inner_text()
        # The count and its share side by side, the bar under them.
        figures = row.locator(".share__figures").bounding_box()
        assert figures["height"] < 1.5 * line
        assert row.locator("meter").bounding_box()["y"] >= figures["y"] + figures["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert attempt.question_count == 10


def test_quick_practice_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    attempt = start_quick_practice(page)
    assert attempt.question_count == 10
    feedback = page.locator("#feedback")

    for position in range(1, 11):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {position} of 10")
        key = key_letter(attempt, position)
        # All right but the last one.
        letter = key if position < 10 else wrong_letter(attempt, position)
        expect(feedback).to_have_count(0)
        option(page, letter).click()
        expect(radio(page, letter)).to_be_checked()

        page.get_by_role("button", name="Check answer").click()

        verdict = "✓ Correct." if letter == key else f"✗ Not quite: the answer is {key}."
        expect(feedback.locator(".feedback__verdict")).to_have_text(verdict)
        expect(option(page, key).locator(".option__mark")).to_have_text("✓ correct answer")
        if letter != key:
            expect(option(page, letter).locator(".option__mark")).to_have_text(
                "✗ your answer, incorrect"
            )
        expect(feedback.locator(".rationales li")).to_have_count(4)
        expect(radio(page, letter)).to_be_checked()
        expect(radio(page, letter)).to_be_disabled()
        expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
        if position < 10:
            page.get_by_role("link", name="Next", exact=True).click()

    expect(page.get_by_role("link", name="Next", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Review and submit").click()
    expect(page.locator(".summary p").first).to_have_text(
        "You have answered 10 of 10 questions; 0 unanswered, 0 flagged for review."
    )
    page.get_by_role("button", name="Submit my answers").click()

    page.wait_for_url(RESULT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("✓ Passed")
    expect(figure(page, "Score")).to_have_text("9 / 10 (90%)")
    expect(page.locator(".review-item")).to_have_count(10)


def test_practice_feedback_appears_in_place_and_marks_the_key_with_text(page: Page):
    attempt = start_quick_practice(page)
    mark_document(page)
    key, wrong = key_letter(attempt, 1), wrong_letter(attempt, 1)
    expect(page.get_by_role("button", name="Check answer")).to_be_hidden()

    option(page, wrong).click()

    feedback = page.locator("#feedback")
    expect(feedback.locator(".feedback__verdict")).to_have_text(
        f"✗ Not quite: the answer is {key}."
    )
    expect(feedback).to_be_focused()
    expect(option(page, key).locator(".option__mark")).to_have_text("✓ correct answer")
    expect(option(page, key).locator(".option__mark")).to_be_visible()
    expect(option(page, wrong).locator(".option__mark")).to_have_text("✗ your answer, incorrect")
    # Colour backs up the marks: the chosen wrong option is red like the verdict, not "selected".
    danger = feedback.locator(".feedback__verdict").evaluate("e => getComputedStyle(e).color")
    expect(option(page, wrong)).to_have_css("border-top-color", danger)
    for other in set(OPTION_LETTERS) - {key, wrong}:
        expect(option(page, other).locator(".option__mark")).to_have_count(0)
    expect(feedback.locator(".rationales li")).to_have_count(4)
    expect(page.locator("#question").get_by_role("radio", disabled=False)).to_have_count(0)
    assert_same_document(page)
    assert chosen_letter(attempt, 1) == wrong

    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_url(re.compile(r"\?n=2$"))
    key = key_letter(attempt, 2)
    option(page, key).click()
    expect(feedback.locator(".feedback__verdict")).to_have_text("✓ Correct.")
    expect(option(page, key).locator(".option__mark")).to_have_text("✓ correct answer")
    success = feedback.locator(".feedback__verdict").evaluate("e => getComputedStyle(e).color")
    expect(option(page, key)).to_have_css("border-top-color", success)
    expect(question_link(page, "2, answered")).to_be_visible()


# -- failed saves --------------------------------------------------------------------------


def test_a_failed_save_shows_a_warning_and_is_retried(page: Page, expected_console_errors):
    # The aborted request is this test's doing: htmx and Chromium report it on the console.
    expected_console_errors.extend(
        [re.compile(r"^htmx:(sendError|afterRequest)\b"), re.compile(r"net::ERR_FAILED")]
    )
    page.clock.install()
    attempt = start_custom_quiz(page, minutes=None)
    letter = key_letter(attempt, 1)
    page.route("**/answer/", lambda route: route.abort(), times=1)
    status = page.locator("#save-status")

    option(page, letter).click()

    expect(status).to_have_text(
        "Your last answer is not saved yet: the connection failed. Retrying…"
    )
    expect(status).to_have_class(re.compile(r"\bsave-status--error\b"))
    expect(status).to_be_visible()
    assert chosen_letter(attempt, 1) is None

    with page.expect_response("**/answer/") as retried:
        page.clock.fast_forward(2000)

    assert retried.value.ok
    expect(status).to_have_text(re.compile(SAVED.format(letter)))
    expect(status).not_to_have_class(re.compile(r"\bsave-status--error\b"))
    assert chosen_letter(attempt, 1) == letter
    page.reload()
    expect(radio(page, letter)).to_be_checked()


def test_an_answer_after_the_deadline_and_grace_is_refused_with_a_message(
    page: Page, expected_console_errors
):
    # The refusal is a 409 with HX-Redirect (pinned in tests/quiz/test_attempt_views.py);
    # Chromium logs every 4xx reply on the console.
    expected_console_errors.append(
        re.compile(r"^Failed to load resource: the server responded with a status of 409\b")
    )
    attempt = start_custom_quiz(page, minutes=1, count=5)

    with time_machine.travel(attempt.deadline + GRACE + timedelta(seconds=1), tick=True):
        option(page, key_letter(attempt, 1)).click()

        page.wait_for_url(RESULT_URL)
        expect(page.locator(".messages")).to_have_text(
            "Time is up: this answer arrived after the end of the attempt and was not saved."
        )

    attempt.refresh_from_db()
    assert attempt.state == State.EXPIRED
    assert chosen_letter(attempt, 1) is None
