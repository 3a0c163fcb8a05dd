"""axe-core finds no accessibility violation on any kind of page, in light and dark mode,
on a wide screen and on a phone.

The pages come from tests/site_pages.py (add new kinds of page there); a few states only a
browser reaches (htmx swaps, an open term preview, the message after submitting) are added
here. axe-core (npm package, `make test` installs it) is loaded into every page as an init
script, which the page's Content-Security-Policy does not govern: no `bypass_csp` is needed,
so the console check of tests/e2e/conftest.py still fails the test on any CSP violation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.page_visits import CSRF_TOKEN, session_cookie, visit
from tests.site_pages import (
    PAGES,
    URLCONF,
    SiteData,
    build_site_data,
    question_url,
)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe's default rules (WCAG 2.0 to 2.2, A and AA, and best practices) plus WCAG 2.2's target
# size (2.5.8, AA), which axe leaves off by default.
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}
WIDTHS = {"wide": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


@dataclass(frozen=True)
class BrowserState:
    """A state of a page that only acting on it in the browser reaches."""

    name: str
    url: Callable[[SiteData], str]
    act: Callable[[Page], None]
    user: str | None = "learner"  # as in PageKind


def search_in_place(page: Page) -> None:
    page.get_by_label("Search the glossary").fill("incident")
    expect(page.locator("#result-count")).to_contain_text("matching “incident”")


def answer_in_place(page: Page) -> None:
    page.locator("#question .option").first.click()
    expect(page.locator("#feedback")).to_be_focused()


def flag_in_place(page: Page) -> None:
    button = page.locator("#flag-form").get_by_role("button")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def open_a_term_preview(page: Page) -> None:
    page.locator("main .term > a").first.focus()
    expect(page.locator(".term:focus-within .term-preview")).not_to_be_empty()


def filter_the_roster_in_place(page: Page) -> None:
    page.get_by_label("Find a student").fill("demo")
    expect(page.locator("#roster-count")).to_have_text("4 students shown (filtered)")


def submit_and_see_the_message(page: Page) -> None:
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator(".messages")).to_have_text("Your answers were submitted.")


# In this order: the last one submits the exam attempt the others use.
BROWSER_STATES = [
    BrowserState(
        "class report, roster filtered in place (htmx)",
        lambda d: reverse("reports:overview", args=[d.classroom.public_id]),
        filter_the_roster_in_place,
        user="instructor",
    ),
    BrowserState(
        "glossary, searched in place (htmx)",
        lambda d: reverse("glossary:index"),
        search_in_place,
        user=None,
    ),
    BrowserState(
        "practice, answered in place (htmx)", lambda d: question_url(d.practice, 2), answer_in_place
    ),
    BrowserState(
        "timed exam, flagged in place (htmx)", lambda d: question_url(d.exam, 5), flag_in_place
    ),
    BrowserState(
        "concept, term preview open",
        lambda d: d.concept.get_absolute_url(),
        open_a_term_preview,
        user=None,
    ),
    BrowserState(
        "result with a message, after submitting",
        lambda d: reverse("quiz:submit", args=[d.exam.public_id]),
        submit_and_see_the_message,
    ),
]


@pytest.fixture
def axe_source() -> str:
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    problem = f"{AXE.relative_to(ROOT)} is missing (npm ci, which `make test` runs)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}: CI must run the accessibility check.", pytrace=False)
    pytest.skip(problem)


def violations_at_each_width(page: Page) -> dict[str, list[dict]]:
    found = {}
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        violations = page.evaluate(
            "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
        )
        if violations:
            found[width] = violations
    return found


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:160]}")
            lines.append("        " + node.get("failureSummary", "").replace("\n", "\n        "))
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_axe_violations_on_any_kind_of_page(
    axe_source,
    new_context,
    live_server,
    transactional_db,
    settings,
    expected_console_errors,
    color_scheme,
):
    settings.ROOT_URLCONF = URLCONF  # with the pages that fail on purpose (400, 403, 500)
    data = build_site_data()  # once for all pages: importing the glossary takes seconds
    pages: dict[str | None, Page] = {}

    def page_for(user: str | None) -> Page:
        """One browser context per visitor (anonymous, learner, instructor...), kept open."""
        if user not in pages:
            context = new_context(color_scheme=color_scheme)
            context.add_init_script(script=axe_source)
            cookies = [{"name": settings.CSRF_COOKIE_NAME, "value": CSRF_TOKEN}]
            if user:
                cookies.append(session_cookie(getattr(data, user)))
            context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
            pages[user] = context.new_page()
        return pages[user]

    report: list[str] = []

    def check(name: str, page: Page) -> None:
        path = page.url.removeprefix(live_server.url)
        for width, violations in violations_at_each_width(page).items():
            report.append(f"{name}, {width} ({path}):\n{describe(violations)}")

    for kind in PAGES:
        page = page_for(kind.user)
        visit(page, kind, data, expected_console_errors)
        check(kind.name, page)
    for state in BROWSER_STATES:
        page = page_for(state.user)
        page.set_viewport_size(WIDTHS["wide"])
        page.goto(state.url(data))
        state.act(page)
        check(state.name, page)

    assert not report, f"axe-core found violations in {color_scheme} mode:\n\n" + "\n\n".join(
        report
    )
