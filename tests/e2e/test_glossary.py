"""Browser tests of the glossary: live search, history, letter and section filters, previews."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, WebError, expect

from glossary.models import Concept
from glossary.transfer import import_glossary, read_glossary
from tests.conftest import SHIPPED_GLOSSARY


@pytest.fixture(autouse=True)
def glossary(transactional_db):
    """The shipped glossary, committed so the live server's thread can read it."""
    import_glossary(read_glossary([SHIPPED_GLOSSARY]))


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def new_context(new_context):
    """Every browser context of a test; the test fails on any console error or CSP violation.

    Chromium reports CSP violations, failed loads (a missing favicon) and htmx's own errors
    as console errors; uncaught exceptions arrive as web errors.
    """
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
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


def url_with(**params: str):
    """A URL pattern requiring each query parameter to have exactly this value."""
    return re.compile(
        "".join(rf"(?=.*[?&]{name}={re.escape(v)}(&|$))" for name, v in params.items())
    )


def names_of_results(page: Page) -> list[str]:
    return page.locator("#results .concept-item__name").all_inner_texts()


def test_typing_in_the_search_box_narrows_the_results_without_a_page_load(page: Page):
    page.goto("/glossary/")
    count = page.locator("#result-count")
    expect(count).to_have_text(re.compile(r"^\s*123 concepts in \d+ sections\s*$"))
    mark_document(page)

    page.get_by_label("Search the glossary").press_sequentially("warranty")

    page.wait_for_url(url_with(q="warranty"))
    expect(count).to_have_text("2 concepts matching “warranty”")
    expect(page.locator("#results .concept-item__name").first).to_have_text("Warranty")
    expect(page).to_have_title("“warranty” in the glossary · ITIL Prep")
    assert_same_document(page)
    # The search box keeps its focus and its text while the results change under it.
    expect(page.get_by_label("Search the glossary")).to_be_focused()
    expect(page.get_by_label("Search the glossary")).to_have_value("warranty")


def test_a_search_that_matches_nothing_says_so(page: Page):
    page.goto("/glossary/")
    mark_document(page)

    page.get_by_label("Search the glossary").press_sequentially("zzqx")

    expect(page.locator("#result-count")).to_have_text("0 concepts matching “zzqx”")
    expect(page.get_by_role("heading", name="No concept matches")).to_be_visible()
    assert_same_document(page)


def test_the_back_button_restores_the_previous_search(page: Page):
    page.goto("/glossary/")
    search = page.get_by_label("Search the glossary")
    count = page.locator("#result-count")

    search.press_sequentially("incident")
    page.wait_for_url(url_with(q="incident"))
    expect(count).to_have_text("20 concepts matching “incident”")
    search.fill("")
    search.press_sequentially("change")
    page.wait_for_url(url_with(q="change"))
    expect(count).to_have_text("35 concepts matching “change”")

    page.go_back()

    page.wait_for_url(url_with(q="incident"))
    expect(count).to_have_text("20 concepts matching “incident”")
    expect(search).to_have_value("incident")
    expect(page.locator("#results .concept-item__name").first).to_have_text("Incident")


def test_the_back_button_restores_the_filter_before_a_section_was_chosen(page: Page):
    page.goto("/glossary/")
    search = page.get_by_label("Search the glossary")
    section = page.get_by_label("Section")
    count = page.locator("#result-count")

    search.press_sequentially("incident")
    page.wait_for_url(url_with(q="incident", section=""))
    expect(count).to_have_text("20 concepts matching “incident”")
    section.select_option("5.2.8")
    page.wait_for_url(url_with(q="incident", section="5.2.8"))
    expect(count).to_have_text("5 concepts matching “incident” in 5.2.8 Problem management")

    page.go_back()

    page.wait_for_url(url_with(q="incident", section=""))
    expect(count).to_have_text("20 concepts matching “incident”")
    expect(search).to_have_value("incident")
    expect(section).to_have_value("")

    page.go_forward()

    page.wait_for_url(url_with(q="incident", section="5.2.8"))
    expect(count).to_have_text("5 concepts matching “incident” in 5.2.8 Problem management")
    expect(section).to_have_value("5.2.8")


def test_a_letter_link_and_the_section_select_filter_in_place(page: Page):
    page.goto("/glossary/")
    count = page.locator("#result-count")
    letters = page.get_by_role("navigation", name="Filter by first letter")
    mark_document(page)

    letters.get_by_role("link", name="W", exact=True).click()

    page.wait_for_url(url_with(letter="W"))
    expect(count).to_have_text("6 concepts starting with W")
    names = names_of_results(page)
    assert len(names) == 6
    assert all(name.startswith("W") for name in names), names
    expect(letters.get_by_role("link", name="W", exact=True)).to_have_attribute(
        "aria-current", "true"
    )

    # The section filter keeps the letter: the letter field outside the results is updated.
    page.get_by_label("Section").select_option("5.2.8")

    page.wait_for_url(url_with(section="5.2.8", letter="W"))
    expect(count).to_have_text("1 concept in 5.2.8 Problem management starting with W")
    assert names_of_results(page) == ["Workaround"]

    letters.get_by_role("link", name="All", exact=True).click()

    page.wait_for_url(url_with(section="5.2.8"))
    expect(count).to_have_text("7 concepts in 5.2.8 Problem management")
    assert "letter=W" not in page.url
    assert_same_document(page)


def test_letters_without_concepts_are_not_links(page: Page):
    page.goto("/glossary/")
    letters = page.get_by_role("navigation", name="Filter by first letter")
    expect(letters.get_by_role("link", name="W", exact=True)).to_be_visible()
    expect(letters.get_by_role("link", name="Z", exact=True)).to_have_count(0)
    expect(letters.get_by_text("Z", exact=True)).to_have_attribute("aria-disabled", "true")


def test_hovering_a_linked_term_previews_its_definition(page: Page):
    incident = Concept.objects.get(slug="incident")
    page.goto("/glossary/problem/")
    term = page.locator(".definition .term").filter(has_text="incidents")
    preview = term.locator(".term-preview")
    expect(preview).to_be_hidden()

    with page.expect_response("**/glossary/incident/preview/") as response:
        term.get_by_role("link", name="incidents").hover()

    assert response.value.ok
    expect(preview).to_be_visible()
    expect(preview.locator(".term-preview__name")).to_have_text("Incident")
    expect(preview.locator(".term-preview__definition")).to_have_text(incident.definition)
    expect(preview).to_contain_text("Section 5.2.5")

    page.mouse.move(0, 0)
    expect(preview).to_be_hidden()


def test_focusing_a_linked_term_with_the_keyboard_previews_its_definition(page: Page):
    incident = Concept.objects.get(slug="incident")
    page.goto("/glossary/problem/")
    link = page.locator(".definition .term").get_by_role("link", name="incidents")
    preview = page.locator(".definition .term-preview")

    # Tab through the page, as a keyboard user would, until the term has the focus.
    with page.expect_response("**/glossary/incident/preview/"):
        for _ in range(40):
            page.keyboard.press("Tab")
            if link.evaluate("link => link === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the linked term")

    expect(preview).to_be_visible()
    expect(preview.locator(".term-preview__definition")).to_have_text(incident.definition)

    page.keyboard.press("Tab")
    expect(preview).to_be_hidden()


def test_the_preview_url_without_htmx_leads_to_the_concept_page(page: Page):
    page.goto("/glossary/incident/preview/")
    page.wait_for_url("**/glossary/incident/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident")


def test_without_javascript_the_search_form_and_letter_links_filter(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/glossary/")
    count = page.locator("#result-count")

    page.get_by_label("Search the glossary").fill("warranty")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(url_with(q="warranty"))
    expect(count).to_have_text("2 concepts matching “warranty”")
    expect(page.get_by_label("Search the glossary")).to_have_value("warranty")

    page.get_by_label("Search the glossary").fill("")
    page.get_by_label("Section").select_option("5.2.8")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(url_with(q="", section="5.2.8"))
    expect(count).to_have_text("7 concepts in 5.2.8 Problem management")

    letters = page.get_by_role("navigation", name="Filter by first letter")
    letters.get_by_role("link", name="W", exact=True).click()

    page.wait_for_url(url_with(section="5.2.8", letter="W"))
    expect(count).to_have_text("1 concept in 5.2.8 Problem management starting with W")
    assert names_of_results(page) == ["Workaround"]

    page.goto("/glossary/")
    letters.get_by_role("link", name="S", exact=True).click()

    page.wait_for_url(url_with(letter="S"))
    expect(count).to_have_text("29 concepts starting with S")
