"""The auto-link filter: whole words, longest term, first occurrence, never self or nested."""

import pytest

from glossary.linking import Linker
from tests.factories import ConceptFactory

pytestmark = pytest.mark.django_db


def linked_names(html: str) -> list[str]:
    """The link texts, in order."""
    import re

    return re.findall(r'<a href="/glossary/[^"]+/"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def concepts():
    return {
        "service": ConceptFactory(name="Service", autolink=True),
        "srm": ConceptFactory(name="Service relationship management", aliases="SRM"),
        "outcome": ConceptFactory(name="Outcome"),
        "value": ConceptFactory(name="Value", autolink=False),
        "sla": ConceptFactory(name="Service level agreement", aliases="SLA"),
    }


def test_links_whole_words_case_insensitively(concepts):
    html = Linker.for_concepts().link("Every OUTCOME counts, but outcomesque does not.")
    assert linked_names(html) == ["OUTCOME"]
    assert 'href="/glossary/outcome/"' in html


def test_longest_term_wins(concepts):
    html = Linker.for_concepts().link("Service relationship management builds on a service.")
    assert linked_names(html) == ["Service relationship management", "service"]


def test_aliases_link_to_their_concept(concepts):
    html = Linker.for_concepts().link("Agree an SLA first.")
    assert linked_names(html) == ["SLA"]
    assert f'href="{concepts["sla"].get_absolute_url()}"' in html


def test_only_first_occurrence_of_each_concept(concepts):
    html = Linker.for_concepts().link(
        "An outcome, another outcome, and SLA or service level agreement."
    )
    assert linked_names(html) == ["outcome", "SLA"]


def test_never_links_the_page_own_concept(concepts):
    html = Linker.for_concepts(exclude=concepts["outcome"]).link("An outcome needs a service.")
    assert linked_names(html) == ["service"]


def test_concepts_switched_off_never_link(concepts):
    assert linked_names(Linker.for_concepts().link("It creates value.")) == []


def test_plural_links_to_the_singular_term(concepts):
    assert linked_names(Linker.for_concepts().link("Good outcomes.")) == ["outcomes"]


def test_never_inside_an_existing_link_or_tag(concepts):
    from django.utils.safestring import mark_safe

    text = mark_safe('<a href="/x/">outcome here</a> then <span title="outcome">an outcome</span>')
    html = Linker.for_concepts().link(text)
    assert '<a href="/x/">outcome here</a>' in html
    assert 'title="outcome"' in html
    assert linked_names(html) == ["outcome"]


def test_text_is_escaped(concepts):
    html = Linker.for_concepts().link("<script>alert(1)</script> outcome")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_links_carry_the_hover_preview(concepts):
    html = Linker.for_concepts().link("An outcome.")
    assert 'data-hx-get="/glossary/outcome/preview/"' in html
    assert 'class="term-preview"' in html


def test_no_concepts_means_plain_escaped_text(db):
    assert str(Linker.for_concepts().link("a & b")) == "a &amp; b"


def test_each_preview_has_a_unique_id_the_link_points_to(concepts):
    import re

    linker = Linker.for_concepts()
    html = linker.link("An outcome and an SLA.") + linker.link("Another outcome.")
    ids = re.findall(r'aria-describedby="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 3
    for preview_id in ids:
        assert f'id="{preview_id}"' in html
