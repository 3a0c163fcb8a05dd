"""Glossary pages, plain and htmx, with their query budgets."""

import pytest

from tests.factories import ConceptFactory, SectionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def glossary():
    values = SectionFactory(code="2.1", title="Value and value co-creation", order=1)
    outcomes = SectionFactory(code="2.5.1", title="Outcomes", order=2)
    output = ConceptFactory(name="Output", section=outcomes, definition="A thing produced.")
    outcome = ConceptFactory(
        name="Outcome",
        section=outcomes,
        definition="A result a stakeholder gets with the help of one or more outputs.",
        explanation="An outcome is enabled by outputs; value follows.",
        key_points=["Outputs enable outcomes.", "Consumers care about outcomes."],
    )
    outcome.confused_with.add(output)
    value = ConceptFactory(name="Value", section=values, autolink=False)
    outcome.related.add(value)
    return {"output": output, "outcome": outcome, "value": value, "outcomes": outcomes}


def test_index_lists_every_concept_grouped_by_section(client, glossary):
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.text
    assert "3 concepts in 2 sections" in html
    assert html.index("Value and value co-creation") < html.index("Outcomes <span")
    assert "A thing produced." in html
    assert "<html" in html


def test_index_search_ranks_and_counts(client, glossary):
    response = client.get("/glossary/", {"q": "out"})
    html = response.text
    assert "2 concepts matching “out”" in html
    assert html.index(">Outcome<") > html.index(">Output<")  # shorter name first in a tie


def test_index_htmx_returns_only_the_results(client, glossary):
    response = client.get("/glossary/", {"q": "outc"}, headers=HTMX)
    html = response.text
    assert "<html" not in html
    assert '<div id="results"' in html
    assert 'class="site-header"' not in html
    assert "<title>“outc” in the glossary · ITIL Prep</title>" in html  # htmx retitles the tab
    assert "1 concept matching “outc”" in html
    assert 'id="letter-field"' in html
    assert 'data-hx-swap-oob="true"' in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_filters_by_section_and_letter(client, glossary):
    html = client.get("/glossary/", {"section": "2.5.1", "letter": "o"}).text
    assert "2 concepts in 2.5.1 Outcomes starting with O" in html
    assert ">Value<" not in html


def test_empty_state_helps(client, glossary):
    html = client.get("/glossary/", {"q": "nothing like this"}).text
    assert "0 concepts matching" in html
    assert "No concept matches" in html
    assert "show every concept" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"section": "9.9"}, "There is no section 9.9; choose one from the list."),
        ({"letter": "ab"}, "Choose a single letter from A to Z."),
        ({"q": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_filters_get_a_message_and_are_ignored(client, glossary, params, message):
    html = client.get("/glossary/", params).text
    assert message in html
    assert "3 concepts" in html


def test_concept_page(client, glossary):
    html = client.get("/glossary/outcome/").text
    assert "<h1>Outcome</h1>" in html
    assert "A result a stakeholder gets" in html
    assert "Consumers care about outcomes." in html
    assert "Often confused with" in html
    assert 'href="/glossary/output/"' in html
    assert "Related concepts" in html
    assert 'href="/glossary/value/"' in html
    assert "section 2.5.1" in html
    # auto-linking: outputs link to Output; the page's own name never links to itself
    assert '<a href="/glossary/output/" aria-describedby="term-preview-' in html
    assert '<a href="/glossary/outcome/" aria-describedby' not in html


def test_concept_page_previous_and_next_in_section(client, glossary):
    html = client.get("/glossary/outcome/").text  # Outcome sorts before Output
    assert 'rel="prev"' not in html
    assert 'href="/glossary/output/" rel="next"' in html
    html = client.get("/glossary/output/").text
    assert 'href="/glossary/outcome/" rel="prev"' in html
    assert 'rel="next"' not in html


def test_unknown_concept_is_404(client, db):
    assert client.get("/glossary/no-such-thing/").status_code == 404


def test_preview_htmx_and_plain(client, glossary):
    response = client.get("/glossary/output/preview/", headers=HTMX)
    assert response.status_code == 200
    assert "A thing produced." in response.text
    assert "<html" not in response.text
    response = client.get("/glossary/output/preview/")
    assert response.status_code == 302
    assert response["Location"] == "/glossary/output/"


def test_only_get_is_allowed(client, glossary):
    assert client.post("/glossary/").status_code == 405


def test_pages_send_a_strict_csp(client, glossary):
    csp = client.get("/glossary/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/glossary/", 3),
        ("/glossary/?q=service", 3),
        ("/glossary/?section=2.5.1&letter=O", 3),
        ("/glossary/{slug}/", 6),
        ("/glossary/{slug}/preview/", 1),
    ],
)
def test_query_budget_does_not_grow_with_the_glossary(
    client, django_assert_max_num_queries, url, budget
):
    section = SectionFactory(code="2.5.1")
    for count in (3, 40):
        ConceptFactory.create_batch(count, section=section)
        for concept in section.concepts.all()[:5]:
            concept.related.add(*section.concepts.all()[:4])
            concept.confused_with.add(*section.concepts.all()[5:8])
        headers = HTMX if "preview" in url else {}
        slug = section.concepts.earliest("pk").slug
        with django_assert_max_num_queries(budget):
            assert client.get(url.format(slug=slug), headers=headers).status_code == 200
