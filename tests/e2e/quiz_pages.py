"""The quiz pages as a browser test sees them: their URLs, the attempt behind a page, and
the locators and actions the quiz tests and the journeys share."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from quiz.attempts import OPTION_LETTERS
from quiz.models import Attempt, Choice

ATTEMPT_URL = re.compile(r"/quiz/attempts/[0-9a-f-]{36}/(\?n=\d+)?$")
RESULT_URL = re.compile(r"/quiz/attempts/[0-9a-f-]{36}/result/$")
SAVED = "Answer {} saved"


def start_custom_quiz(page: Page, *, minutes: int | None = 2, count: int = 5) -> Attempt:
    """Fill in the custom quiz form as a learner does: exam mode, timed unless minutes=None."""
    page.goto("/quiz/custom/")
    page.get_by_label("Number of questions").fill(str(count))
    page.get_by_label("Exam mode").check()
    if minutes is not None:
        page.get_by_role("checkbox", name="Timed").check()
        page.get_by_label("Time limit in minutes").fill(str(minutes))
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(ATTEMPT_URL)
    return current_attempt(page)


def start_quick_practice(page: Page) -> Attempt:
    page.goto("/quiz/")
    page.get_by_role("button", name="Start quick practice").click()
    page.wait_for_url(ATTEMPT_URL)
    return current_attempt(page)


def current_attempt(page: Page) -> Attempt:
    public_id = re.search(r"/attempts/([0-9a-f-]{36})/", page.url).group(1)
    return Attempt.objects.select_related("blueprint").get(public_id=public_id)


def key_letter(attempt: Attempt, position: int) -> str:
    """The letter under which this attempt shows the key of its question at `position`."""
    response = attempt.responses.get(position=position)
    key = Choice.objects.get(question_id=response.question_id, is_key=True)
    return OPTION_LETTERS[response.choice_order.index(key.pk)]


def wrong_letter(attempt: Attempt, position: int) -> str:
    return next(letter for letter in "ABCD" if letter != key_letter(attempt, position))


def chosen_letter(attempt: Attempt, position: int) -> str | None:
    """The letter the database holds as the learner's answer at `position`."""
    response = attempt.responses.get(position=position)
    if response.choice_id is None:
        return None
    return OPTION_LETTERS[response.choice_order.index(response.choice_id)]


def option(page: Page, letter: str) -> Locator:
    """The option labelled `letter` (its label, holding the radio, the text and any mark)."""
    return page.locator("#question .option").nth(OPTION_LETTERS.index(letter))


def radio(page: Page, letter: str) -> Locator:
    return page.locator("#question").get_by_role("radio").nth(OPTION_LETTERS.index(letter))


def navigator(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Questions")


def question_link(page: Page, name: str) -> Locator:
    """A navigator entry by its accessible name: "2, answered", "3, not answered, flagged".

    Chromium puts a space before the visually hidden ", answered": "2 , answered".
    """
    pattern = r"\s*,\s*".join(re.escape(part) for part in name.split(", "))
    return navigator(page).get_by_role("link", name=re.compile(f"^{pattern}$"))


def answer_and_wait_for_save(page: Page, letter: str) -> None:
    option(page, letter).click()
    expect(page.locator("#save-status")).to_have_text(re.compile(SAVED.format(letter)))


def figure(page: Page, name: str) -> Locator:
    """A figure of the result ("Score", "Time taken"): the value next to its term."""
    term = page.locator("dt").get_by_text(name, exact=True)
    return page.locator(".result__figures > div").filter(has=term).locator("dd")


def timer_seconds(page: Page) -> int:
    minutes, seconds = page.locator("#timer-value").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 40) -> None:
    """Press Tab (or `key`) until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{key} never reached {target}")
