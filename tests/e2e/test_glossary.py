"""Browser tests of the glossary: live search, history, letter and section filters, previews."""

import re
from string import ascii_uppercase

import pytest
from playwright.sync_api import Locator, Page, expect

from glossary.models import Concept
from glossary.transfer import import_glossary, read_glossary
from tests.conftest import SHIPPED_GLOSSARY
from tests.e2e.conftest import assert_same_document, mark_document


@pytest.fixture(autouse=True)
def glossary(transactional_db):
    """The shipped glossary, committed so the live server's thread can read it."""
    import_glossary(read_glossary([SHIPPED_GLOSSARY]))


def url_with(**params: str):
    """A URL pattern requiring each query parameter to have exactly this value."""
    return re.compile(
        "".join(rf"(?=.*[?&]{name}={re.escape(v)}(&|$))" for name, v in params.items())
    )


def names_of_results(page: Page) -> list[str]:
    return page.locator("#results .concept-item__name").all_inner_texts()


def concepts(n: int) -> str:
    """How the result count names `n` concepts."""
    return f"{n} concept{'' if n == 1 else 's'}"


def matching(query: str) -> int:
    """How many concepts of the shipped glossary a search finds, read from the database."""
    return Concept.objects.search(query).count()


def test_typing_in_the_search_box_narrows_the_results_without_a_page_load(page: Page):
    page.goto("/glossary/")
    count = page.locator("#result-count")
    total = Concept.objects.count()
    expect(count).to_have_text(re.compile(rf"^\s*{total} concepts in \d+ sections\s*$"))
    mark_document(page)

    page.get_by_label("Search the glossary").press_sequentially("warranty")

    page.wait_for_url(url_with(q="warranty"))
    expect(count).to_have_text(f"{concepts(matching('warranty'))} matching “warranty”")
    assert matching("warranty") < total
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

    # One input event per search, so each search makes exactly one history entry.
    search.fill("incident")
    page.wait_for_url(url_with(q="incident"))
    expect(count).to_have_text(f"{concepts(matching('incident'))} matching “incident”")
    search.fill("change")
    page.wait_for_url(url_with(q="change"))
    expect(count).to_have_text(f"{concepts(matching('change'))} matching “change”")

    page.go_back()

    page.wait_for_url(url_with(q="incident"))
    expect(count).to_have_text(f"{concepts(matching('incident'))} matching “incident”")
    expect(search).to_have_value("incident")
    expect(page.locator("#results .concept-item__name").first).to_have_text("Incident")


def test_the_back_button_restores_the_filter_before_a_section_was_chosen(page: Page):
    in_problem_management = Concept.objects.search("incident").filter(section__code="5.2.8")
    page.goto("/glossary/")
    search = page.get_by_label("Search the glossary")
    section = page.get_by_label("Section")
    count = page.locator("#result-count")
    everywhere = f"{concepts(matching('incident'))} matching “incident”"

    search.fill("incident")
    page.wait_for_url(url_with(q="incident", section=""))
    expect(count).to_have_text(everywhere)
    section.select_option("5.2.8")
    page.wait_for_url(url_with(q="incident", section="5.2.8"))
    in_section = (
        f"{concepts(in_problem_management.count())} matching “incident” in 5.2.8 Problem management"
    )
    expect(count).to_have_text(in_section)

    page.go_back()

    page.wait_for_url(url_with(q="incident", section=""))
    expect(count).to_have_text(everywhere)
    expect(search).to_have_value("incident")
    expect(section).to_have_value("")

    page.go_forward()

    page.wait_for_url(url_with(q="incident", section="5.2.8"))
    expect(count).to_have_text(in_section)
    expect(section).to_have_value("5.2.8")


def test_a_letter_link_and_the_section_select_filter_in_place(page: Page):
    starting_with_w = Concept.objects.starting_with("W")
    in_problem_management = Concept.objects.filter(section__code="5.2.8")
    page.goto("/glossary/")
    count = page.locator("#result-count")
    letters = page.get_by_role("navigation", name="Filter by first letter")
    mark_document(page)

    letters.get_by_role("link", name="W", exact=True).click()

    page.wait_for_url(url_with(letter="W"))
    expect(count).to_have_text(f"{concepts(starting_with_w.count())} starting with W")
    assert sorted(names_of_results(page)) == sorted(c.name for c in starting_with_w)
    expect(letters.get_by_role("link", name="W", exact=True)).to_have_attribute(
        "aria-current", "true"
    )

    # The section filter keeps the letter: the letter field outside the results is updated.
    page.get_by_label("Section").select_option("5.2.8")

    page.wait_for_url(url_with(section="5.2.8", letter="W"))
    both = starting_with_w.filter(section__code="5.2.8")
    expect(count).to_have_text(
        f"{concepts(both.count())} in 5.2.8 Problem management starting with W"
    )
    assert names_of_results(page) == [c.name for c in both.order_by("name")]

    letters.get_by_role("link", name="All", exact=True).click()

    page.wait_for_url(url_with(section="5.2.8"))
    expect(count).to_have_text(
        f"{concepts(in_problem_management.count())} in 5.2.8 Problem management"
    )
    assert "letter=W" not in page.url
    assert_same_document(page)


def test_letters_without_concepts_are_not_links(page: Page):
    unused = next(c for c in ascii_uppercase if not Concept.objects.starting_with(c).exists())
    page.goto("/glossary/")
    letters = page.get_by_role("navigation", name="Filter by first letter")
    expect(letters.get_by_role("link", name="W", exact=True)).to_be_visible()
    expect(letters.get_by_role("link", name=unused, exact=True)).to_have_count(0)
    expect(letters.get_by_text(unused, exact=True)).to_have_attribute("aria-disabled", "true")


def linked_concept(link: Locator) -> Concept:
    """The concept an auto-linked term points to (/glossary/<slug>/)."""
    slug = link.get_attribute("href").strip("/").split("/")[-1]
    return Concept.objects.select_related("section").get(slug=slug)


def test_hovering_a_linked_term_previews_its_definition(page: Page):
    page.goto("/glossary/problem/")
    term = page.locator(".definition .term").first
    link = term.get_by_role("link")
    other = linked_concept(link)
    preview = term.locator(".term-preview")
    expect(preview).to_be_hidden()

    with page.expect_response(f"**/glossary/{other.slug}/preview/") as response:
        link.hover()

    assert response.value.ok
    expect(preview).to_be_visible()
    expect(preview.locator(".term-preview__name")).to_have_text(other.name)
    expect(preview.locator(".term-preview__definition")).to_have_text(other.definition)
    expect(preview.locator(".term-preview__section")).to_have_text(f"Section {other.section.code}")

    page.mouse.move(0, 0)
    expect(preview).to_be_hidden()


def test_focusing_a_linked_term_with_the_keyboard_previews_its_definition(page: Page):
    page.goto("/glossary/problem/")
    term = page.locator(".definition .term").first
    link = term.get_by_role("link")
    other = linked_concept(link)
    preview = term.locator(".term-preview")

    # Tab through the page, as a keyboard user would, until the term has the focus.
    with page.expect_response(f"**/glossary/{other.slug}/preview/"):
        for _ in range(40):
            page.keyboard.press("Tab")
            if link.evaluate("link => link === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the linked term")

    expect(preview).to_be_visible()
    expect(preview.locator(".term-preview__definition")).to_have_text(other.definition)

    page.keyboard.press("Tab")
    expect(preview).to_be_hidden()


@pytest.mark.parametrize("width", [390, 800])
def test_every_preview_fits_on_a_narrow_screen(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/glossary/problem/")
    terms = page.locator(".term")
    expect(terms.first).to_be_visible()

    for term in terms.all():
        term.get_by_role("link").focus()
        preview = term.locator(".term-preview")
        expect(preview).to_be_visible()
        box = preview.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width, term.get_by_role("link").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_preview_in_the_definition_lines_up_with_its_text_not_its_border(page: Page):
    page.goto("/glossary/problem/")
    definition = page.locator(".definition")
    term = definition.locator(".term").first
    term.get_by_role("link").hover()
    preview = term.locator(".term-preview")
    expect(preview).to_be_visible()
    text_left = definition.evaluate(
        "el => el.getBoundingClientRect().left + el.clientLeft"
        " + parseFloat(getComputedStyle(el).paddingLeft)"
    )
    assert preview.bounding_box()["x"] == pytest.approx(text_left, abs=1)


def test_the_letters_fit_one_row_on_a_desktop(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/glossary/")
    letters = page.locator(".letters li")
    expect(letters).to_have_count(27)
    tops = {round(box["y"]) for box in (li.bounding_box() for li in letters.all())}
    assert len(tops) == 1


@pytest.mark.parametrize("width", [360, 390])
def test_a_section_heading_does_not_break_a_hyphenated_word(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/glossary/")
    heading = page.get_by_role("heading", name=re.compile("Value and value co-creation"))
    # The rectangles of the text "co-creation": one line gives one rectangle.
    lines = heading.evaluate(
        """h => {
          const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf("co-creation");
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + "co-creation".length);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          }
        }"""
    )
    assert lines == 1


def test_on_a_phone_a_breadcrumb_line_starts_with_a_name_not_a_separator(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/glossary/problem/")
    trail = page.get_by_role("navigation", name="Breadcrumb")
    left = trail.locator("ol").bounding_box()["x"]
    items = trail.locator("li").all()
    starts = [item for item in items if abs(item.bounding_box()["x"] - left) < 1]
    assert len(starts) > 1  # the trail wraps at this width
    for item in starts:
        assert item.get_by_role("link").bounding_box()["x"] == pytest.approx(left, abs=1)


def test_the_preview_url_without_htmx_leads_to_the_concept_page(page: Page):
    page.goto("/glossary/incident/preview/")
    page.wait_for_url("**/glossary/incident/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident")


def test_without_javascript_the_search_form_and_letter_links_filter(new_context):
    in_problem_management = Concept.objects.filter(section__code="5.2.8")
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/glossary/")
    count = page.locator("#result-count")
    search = page.get_by_label("Search the glossary")

    search.fill("warranty")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(url_with(q="warranty"))
    expect(count).to_have_text(f"{concepts(matching('warranty'))} matching “warranty”")
    expect(search).to_have_value("warranty")
    expect(page.locator("#results .concept-item__name").first).to_have_text("Warranty")

    search.fill("")
    page.get_by_label("Section").select_option("5.2.8")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(url_with(q="", section="5.2.8"))
    expect(count).to_have_text(
        f"{concepts(in_problem_management.count())} in 5.2.8 Problem management"
    )

    letters = page.get_by_role("navigation", name="Filter by first letter")
    letters.get_by_role("link", name="W", exact=True).click()

    page.wait_for_url(url_with(section="5.2.8", letter="W"))
    both = in_problem_management.starting_with("W").order_by("name")
    expect(count).to_have_text(
        f"{concepts(both.count())} in 5.2.8 Problem management starting with W"
    )
    assert names_of_results(page) == [c.name for c in both]

    page.goto("/glossary/")
    letters.get_by_role("link", name="S", exact=True).click()

    page.wait_for_url(url_with(letter="S"))
    expect(count).to_have_text(
        f"{concepts(Concept.objects.starting_with('S').count())} starting with S"
    )
    expect(letters.get_by_role("link", name="S", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
