"""Browser-test fixtures: the live server as base URL, and a watch on the console of every page."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, WebError


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def expected_console_errors() -> list[re.Pattern]:
    """Console errors a test provokes on purpose (a request it aborts); append patterns."""
    return []


@pytest.fixture
def new_context(new_context, expected_console_errors):
    """Every browser context of a test; the test fails on any console error or CSP violation.

    Chromium reports CSP violations, failed loads (a missing favicon) and htmx's own errors
    as console errors; uncaught exceptions arrive as web errors.
    """
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in expected_console_errors):
            return
        problems.append(f"console error on {message.page.url}: {message.text}")

    def on_web_error(error: WebError) -> None:
        problems.append(f"uncaught error on {error.page.url}: {error.error}")

    def create(**kwargs):
        context = new_context(**kwargs)
        context.on("console", on_console)
        context.on("weberror", on_web_error)
        return context

    yield create
    assert not problems, "\n".join(problems)


def mark_document(page: Page) -> None:
    """Set a marker on `window` that only survives if the page is never reloaded."""
    page.evaluate("window.sameDocument = true")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded"
