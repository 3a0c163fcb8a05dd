"""Whole journeys through the site in a real browser, each from a fresh browser context on the
shipped glossary and the question bank built from it: a newcomer's first visit, an anonymous
mock exam that runs out of time and is kept by signing up, the site without JavaScript, and
the glossary and an attempt on a phone. The instructor's journey is in test_classes.py."""

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import Page, expect

from glossary.models import Concept
from glossary.transfer import import_glossary, read_glossary
from quiz.bank import build_question_bank
from quiz.models import Attempt
from quiz.models.attempts import State
from tests.conftest import SHIPPED_GLOSSARY
from tests.e2e.quiz_pages import (
    ATTEMPT_URL,
    RESULT_URL,
    answer_and_wait_for_save,
    current_attempt,
    figure,
    key_letter,
    navigator,
    option,
    question_link,
    radio,
    wrong_letter,
)

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(autouse=True)
def shipped_content(transactional_db):
    """The shipped glossary and its question bank, as `make run` sets them up; committed so
    the live server's thread can read them."""
    import_glossary(read_glossary([SHIPPED_GLOSSARY]))
    build_question_bank()


# -- helpers -------------------------------------------------------------------------------


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("document.documentElement.clientWidth")
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px in a {viewport}px screen"


def answer_practice_question(page: Page, attempt: Attempt, position: int, *, right: bool):
    """Choose an answer in a practice quiz and read the feedback it gives at once.

    With JavaScript the choice alone checks it; without, the "Check answer" button does.
    """
    key = key_letter(attempt, position)
    letter = key if right else wrong_letter(attempt, position)
    expect(heading(page)).to_have_text(f"Question {position} of {attempt.question_count}")
    option(page, letter).click()
    check = page.get_by_role("button", name="Check answer")
    if check.is_visible():
        check.click()
    feedback = page.locator("#feedback")
    verdict = "✓ Correct." if right else f"✗ Not quite: the answer is {key}."
    expect(feedback.locator(".feedback__verdict")).to_have_text(verdict)
    expect(option(page, key).locator(".option__mark")).to_have_text("✓ correct answer")
    expect(feedback.locator(".rationales li")).to_have_count(4)
    expect(radio(page, letter)).to_be_checked()


def take_quick_practice(page: Page, *, wrong: set[int]) -> Attempt:
    """From any page: the Quizzes link, the quick practice, every question answered (wrongly
    at the positions in `wrong`), submitted; returns on the result page."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Quizzes").click()
    page.get_by_role("button", name="Start quick practice").click()
    page.wait_for_url(ATTEMPT_URL)
    attempt = current_attempt(page)
    assert attempt.question_count == 10
    for position in range(1, 11):
        answer_practice_question(page, attempt, position, right=position not in wrong)
        if position < 10:
            page.get_by_role("link", name="Next", exact=True).click()
            page.wait_for_url(re.compile(rf"\?n={position + 1}$"))
    page.get_by_role("link", name="Review and submit").click()
    expect(page.locator(".summary p").first).to_have_text(
        "You have answered 10 of 10 questions; 0 unanswered, 0 flagged for review."
    )
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(RESULT_URL)
    return attempt


def open_concept_from_results(page: Page, name: str) -> None:
    page.locator("#results").get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**{Concept.objects.get(name=name).get_absolute_url()}")
    expect(heading(page)).to_have_text(name)


# -- 1. a newcomer -------------------------------------------------------------------------


def test_newcomer_looks_up_a_concept_follows_a_confusion_and_takes_the_quick_practice(
    new_context,
):
    page = new_context().new_page()
    page.goto("/")
    expect(heading(page)).to_have_text("Prepare for the ITIL 4 Foundation exam")

    # The home page's search box leads into the glossary, where typing searches again live.
    page.get_by_label("Look up a concept").fill("service")
    page.get_by_label("Look up a concept").press("Enter")
    page.wait_for_url(re.compile(r"/glossary/\?q=service$"))
    count = page.locator("#result-count")
    expect(count).to_have_text(
        f"{Concept.objects.search('service').count()} concepts matching “service”"
    )
    search = page.get_by_label("Search the glossary")
    expect(search).to_have_value("service")
    search.fill("")
    search.press_sequentially("incident")
    expect(count).to_have_text(
        f"{Concept.objects.search('incident').count()} concepts matching “incident”"
    )
    expect(page.locator("#results .concept-item__name").first).to_have_text("Incident")
    open_concept_from_results(page, "Incident")

    # "Often confused with" leads to the concept that the exam pits against this one.
    confused = page.get_by_role("region", name="Often confused with")
    expect(confused.get_by_role("link")).to_contain_text(["Problem"])
    confused.get_by_role("link", name="Problem", exact=True).click()
    page.wait_for_url("**/glossary/problem/")
    expect(heading(page)).to_have_text("Problem")
    expect(page.get_by_role("region", name="Often confused with")).to_be_visible()

    # Eight right and two wrong, with the feedback after each answer.
    attempt = take_quick_practice(page, wrong={3, 7})

    expect(page.locator(".messages")).to_have_text("Your answers were submitted.")
    expect(heading(page)).to_have_text("✓ Passed")
    expect(figure(page, "Score")).to_have_text("8 / 10 (80%)")
    expect(figure(page, "Pass mark")).to_have_text("7 / 10")
    expect(page.locator(".review-item")).to_have_count(10)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.passed) == (State.SUBMITTED, 8, True)


# -- 2. an anonymous mock exam, kept by signing up ----------------------------------------


def test_anonymous_mock_exam_survives_a_reload_runs_out_of_time_and_joins_the_new_account(
    new_context,
):
    context = new_context()
    context.clock.install()
    page = context.new_page()
    page.goto("/quiz/")
    page.get_by_role("button", name="Start the mock exam").click()
    page.wait_for_url(ATTEMPT_URL)
    attempt = current_attempt(page)
    assert attempt.question_count == 40
    assert attempt.deadline - attempt.started_at == timedelta(minutes=60)
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^(60:00|59:[0-5]\d)$"))

    def go_next(position: int) -> None:
        page.get_by_role("link", name="Next", exact=True).click()
        page.wait_for_url(re.compile(rf"\?n={position}$"))

    def flag() -> None:
        page.locator("#flag-form").get_by_role("button").click()
        expect(page.locator("#flag-form").get_by_role("button")).to_have_attribute(
            "aria-pressed", "true"
        )

    # 1 right, 2 wrong and flagged, 3 right, 4 flagged but not answered, 6 to 8 right.
    answer_and_wait_for_save(page, key_letter(attempt, 1))
    go_next(2)
    answer_and_wait_for_save(page, wrong_letter(attempt, 2))
    flag()
    go_next(3)
    answer_and_wait_for_save(page, key_letter(attempt, 3))
    question_link(page, "4, not answered").click()
    page.wait_for_url(re.compile(r"\?n=4$"))
    flag()
    question_link(page, "6, not answered").click()
    page.wait_for_url(re.compile(r"\?n=6$"))
    answer_and_wait_for_save(page, key_letter(attempt, 6))
    go_next(7)
    answer_and_wait_for_save(page, key_letter(attempt, 7))
    go_next(8)
    eighth = key_letter(attempt, 8)
    answer_and_wait_for_save(page, eighth)

    page.reload()

    expect(heading(page)).to_have_text("Question 8 of 40")
    expect(radio(page, eighth)).to_be_checked()
    expect(navigator(page).get_by_role("heading")).to_have_text("Questions (6 of 40 answered)")
    for name in ["2, answered, flagged", "4, not answered, flagged", "5, not answered"]:
        expect(question_link(page, name)).to_be_visible()
    question_link(page, "2, answered, flagged").click()
    page.wait_for_url(re.compile(r"\?n=2$"))
    expect(radio(page, wrong_letter(attempt, 2))).to_be_checked()
    expect(page.locator("#flag-form").get_by_role("button")).to_have_text(
        re.compile("Flagged for review")
    )

    # The hour passes in the browser and on the server: the page submits itself.
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=True):
        page.clock.fast_forward("01:00:01")
        page.wait_for_url(RESULT_URL)

        expect(page.locator(".messages")).to_have_text("Time is up. Your answers were submitted.")
        expect(heading(page)).to_have_text(re.compile("Not passed yet"))
        expect(figure(page, "Score")).to_have_text("5 / 40 (13%)")
        expect(figure(page, "Time taken")).to_have_text("1 h 0 min (time ran out)")

        # The review gives the key and every option's rationale.
        items = page.locator(".review-item")
        expect(items).to_have_count(40)
        expect(items.nth(0).get_by_role("heading")).to_have_text("Question 1: ✓ correct")
        expect(items.nth(1).get_by_role("heading")).to_have_text(
            "Question 2: ✗ incorrect ⚑ flagged"
        )
        expect(items.nth(3).get_by_role("heading")).to_have_text(
            "Question 4: ○ not answered ⚑ flagged"
        )
        second = items.nth(1)
        expect(second.locator(".tag", has_text="✓ correct answer")).to_be_visible()
        expect(second.locator(".tag", has_text="your answer")).to_be_visible()
        expect(second.locator(".review-option__why")).to_have_count(4)
        for why in second.locator(".review-option__why").all():
            expect(why).to_be_visible()
            expect(why).not_to_be_empty()

        # Signing up from the result keeps the attempt: it is in the new account's history,
        # with the same figures (5 of 40 is 12.5%: both pages round the half up).
        page.get_by_role("main").get_by_role("link", name="Sign up").click()
        page.get_by_label("Username").fill("newcomer")
        page.get_by_label("Password", exact=True).fill("a-long-test-password")
        page.get_by_label("Password confirmation").fill("a-long-test-password")
        page.get_by_role("button", name="Sign up").click()

        page.wait_for_url(RESULT_URL)
        expect(page.locator(".messages")).to_have_text("Welcome, newcomer. Your account is ready.")
        expect(figure(page, "Score")).to_have_text("5 / 40 (13%)")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
        history = page.get_by_role("table", name=re.compile("Your finished quizzes"))
        row = history.get_by_role("row").filter(has=page.get_by_role("link", name="Mock exam"))
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell")).to_contain_text(
            [re.compile("Mock exam"), re.compile(r"\(time ran out\)"), "5 / 40 (13%)", "✗ Not yet"]
        )

    attempt.refresh_from_db()
    assert attempt.user.username == "newcomer"
    assert (attempt.state, attempt.score) == (State.EXPIRED, 5)


# -- 4. without JavaScript -----------------------------------------------------------------


def test_without_javascript_a_glossary_search_and_a_whole_quick_practice_work(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/glossary/")
    search = page.get_by_label("Search the glossary")

    search.fill("service level")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(re.compile(r"\?q=service\+level"))
    expect(page.locator("#result-count")).to_have_text(
        f"{Concept.objects.search('service level').count()} concepts matching “service level”"
    )
    expect(search).to_have_value("service level")
    open_concept_from_results(page, "Service level")
    expect(page.get_by_role("region", name="Key points")).to_be_visible()

    # One right answer short of full marks; each "Check answer" reloads with the feedback.
    take_quick_practice(page, wrong={10})

    expect(heading(page)).to_have_text("✓ Passed")
    expect(figure(page, "Score")).to_have_text("9 / 10 (90%)")
    expect(page.locator(".review-item")).to_have_count(10)


# -- 5. on a phone -------------------------------------------------------------------------


def test_on_a_phone_the_glossary_and_a_mock_exam_work_by_touch_without_sideways_scrolling(
    new_context,
):
    page = new_context(**PHONE).new_page()
    page.goto("/glossary/")
    assert_no_horizontal_scroll(page)

    search = page.get_by_label("Search the glossary")
    search.tap()
    search.press_sequentially("problem")
    expect(page.locator("#result-count")).to_have_text(
        f"{Concept.objects.search('problem').count()} concepts matching “problem”"
    )
    assert_no_horizontal_scroll(page)
    page.locator("#results").get_by_role("link", name="Problem", exact=True).tap()
    page.wait_for_url("**/glossary/problem/")
    expect(heading(page)).to_have_text("Problem")
    assert_no_horizontal_scroll(page)

    # A linked term in the definition shows its preview when it has the focus, on screen.
    term = page.locator(".term").first
    term.get_by_role("link").focus()
    preview = term.locator(".term-preview")
    expect(preview).to_be_visible()
    expect(preview.locator(".term-preview__definition")).not_to_be_empty()
    box = preview.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert_no_horizontal_scroll(page)

    page.goto("/quiz/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Start the mock exam").tap()
    page.wait_for_url(ATTEMPT_URL)
    attempt = current_attempt(page)
    assert_no_horizontal_scroll(page)

    option(page, key_letter(attempt, 1)).tap()
    expect(page.locator("#save-status")).to_have_text(
        re.compile(f"Answer {key_letter(attempt, 1)} saved")
    )
    question_link(page, "1, answered").wait_for()
    question_link(page, "40, not answered").tap()
    page.wait_for_url(re.compile(r"\?n=40$"))
    expect(heading(page)).to_have_text("Question 40 of 40")
    assert_no_horizontal_scroll(page)
    option(page, wrong_letter(attempt, 40)).tap()
    expect(question_link(page, "40, answered")).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Review and submit").tap()
    expect(page.locator(".summary p").first).to_have_text(
        "You have answered 2 of 40 questions; 38 unanswered, 0 flagged for review."
    )
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Submit my answers").tap()

    page.wait_for_url(RESULT_URL)
    expect(figure(page, "Score")).to_have_text("1 / 40 (3%)")
    assert_no_horizontal_scroll(page)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == (State.SUBMITTED, 1)
