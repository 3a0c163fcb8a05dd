"""Search ranking and the glossary's queryset filters."""

import pytest

from glossary.models import Concept
from tests.factories import ConceptFactory, SectionFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [concept.name for concept in queryset]


def test_exact_then_prefix_then_word_then_alias_then_text():
    ConceptFactory(name="Mentions it", definition="Text that talks about warranty terms.")
    ConceptFactory(name="Assurance", aliases="Warranty cover")
    ConceptFactory(name="Service warranty")
    ConceptFactory(name="Warranty period")
    ConceptFactory(name="Warranty")
    assert names(Concept.objects.search("warranty")) == [
        "Warranty",
        "Warranty period",
        "Service warranty",
        "Assurance",
        "Mentions it",
    ]


def test_search_is_case_insensitive_and_trims_spaces():
    ConceptFactory(name="Known error")
    assert names(Concept.objects.search("  KNOWN   error ")) == ["Known error"]


def test_alias_abbreviation_finds_the_concept():
    ConceptFactory(name="Service level agreement", aliases="SLA; Agreed service level")
    ConceptFactory(name="Slack", definition="Spare time in a plan.")
    assert names(Concept.objects.search("sla"))[:2] == ["Slack", "Service level agreement"]
    assert names(Concept.objects.search("agreed")) == ["Service level agreement"]


def test_shorter_names_break_ties_within_a_rank():
    ConceptFactory(name="Service request management")
    ConceptFactory(name="Service request")
    ConceptFactory(name="Service")
    assert names(Concept.objects.search("serv")) == [
        "Service",
        "Service request",
        "Service request management",
    ]


def test_no_match_is_empty():
    ConceptFactory(name="Incident")
    assert names(Concept.objects.search("zzz")) == []


def test_filters_by_section_and_letter():
    first, second = SectionFactory(code="2.1"), SectionFactory(code="2.2")
    ConceptFactory(name="Value", section=first)
    ConceptFactory(name="Utility", section=second)
    ConceptFactory(name="Warranty", section=second)
    assert names(Concept.objects.in_section(second)) == ["Utility", "Warranty"]
    assert names(Concept.objects.starting_with("u")) == ["Utility"]
    assert names(Concept.objects.in_section(first).starting_with("u")) == []
