"""Checks over the glossary the site ships with: complete, consistent, findable, our words."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from glossary.models import Concept, Section, split_aliases
from tests.conftest import ROOT, SHIPPED_GLOSSARY

pytestmark = pytest.mark.django_db

LEARNING_OUTCOMES = [f"LO{n}" for n in range(1, 8)]
MAX_DEFINITION = 170  # fits an answer option
OFFICIAL_WORDING = ROOT.parent / "shared" / "hooks" / "official-wording.sha1"


@pytest.fixture
def concepts(shipped_glossary):
    return list(
        Concept.objects.select_related("section").prefetch_related(
            "key_points", "related", "confused_with"
        )
    )


def test_covers_the_whole_syllabus(concepts):
    assert len(concepts) >= 120
    outcomes = {concept.section.learning_outcome for concept in concepts}
    assert outcomes == set(LEARNING_OUTCOMES)


def test_every_concept_is_complete(concepts):
    problems = []
    for concept in concepts:
        if not concept.definition or len(concept.definition) > MAX_DEFINITION:
            problems.append(f"{concept}: definition of {len(concept.definition)} characters")
        if len(concept.explanation) < 150:
            problems.append(f"{concept}: explanation too short")
        if len(concept.key_points.all()) < 2:
            problems.append(f"{concept}: fewer than two key points")
        if not concept.confused_with.all():
            problems.append(f"{concept}: no confused-with concept")
    assert problems == []


def test_definitions_never_contain_their_own_name(concepts):
    offenders = [
        concept.name
        for concept in concepts
        for term in [concept.name, *concept.alias_list]
        if re.search(rf"\b{re.escape(term.lower())}\b", concept.definition.lower())
    ]
    assert offenders == []


def test_names_and_aliases_are_unique(concepts):
    seen: dict[str, str] = {}
    clashes = []
    for concept in concepts:
        for term in [concept.name, *split_aliases(concept.aliases)]:
            if term.lower() in seen:
                clashes.append(f"{term} ({concept} and {seen[term.lower()]})")
            seen[term.lower()] = concept.name
    assert clashes == []


def test_every_relation_in_the_files_points_at_a_concept():
    documents = [json.loads(p.read_text()) for p in sorted(SHIPPED_GLOSSARY.glob("*.json"))]
    names = {c["name"] for d in documents for c in d.get("concepts", [])}
    dangling = [
        f"{c['name']} -> {other}"
        for d in documents
        for c in d.get("concepts", [])
        for other in [*c.get("related", []), *c.get("confused_with", [])]
        if other not in names
    ]
    assert dangling == []


def test_every_section_with_concepts_belongs_to_a_learning_outcome(shipped_glossary):
    assert set(Section.objects.values_list("learning_outcome", flat=True)) <= set(LEARNING_OUTCOMES)


def test_first_three_letters_of_any_name_or_alias_find_the_concept(concepts):
    """Typing three letters puts the concept among the first results: every name that
    starts with what was typed ranks before anything that merely contains it."""
    misses = []
    for concept in concepts:
        for term in [concept.name, *concept.alias_list]:
            typed = term[:3]
            results = list(Concept.objects.search(typed).values_list("name", flat=True))
            starting = sum(
                1
                for c in concepts
                if any(t.lower().startswith(typed.lower()) for t in [c.name, *c.alias_list])
                or any(
                    word.startswith(typed.lower()) for word in re.split(r"[\s/-]+", c.name.lower())
                )
            )
            if concept.name not in results[: max(starting, 10)]:
                misses.append(f"{term!r} via {typed!r}")
    assert misses == []


@pytest.mark.skipif(not OFFICIAL_WORDING.exists(), reason="no official-wording list beside repo")
def test_no_seven_word_run_of_the_official_wording():
    known = set(OFFICIAL_WORDING.read_text().split())
    hits = []
    for path in sorted(Path(ROOT / "fixtures").rglob("*.json")):
        words = re.findall(r"[a-z0-9]+", path.read_text().lower())
        for i in range(len(words) - 6):
            run = " ".join(words[i : i + 7])
            if hashlib.sha1(run.encode()).hexdigest()[:16] in known:
                hits.append(f"{path.name}: {run}")
    assert hits == []


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/glossary/", 3),
        ("/glossary/?q=management", 3),
        ("/glossary/incident/", 6),
        ("/", 2),
    ],
)
def test_pages_stay_in_budget_with_the_full_glossary(
    client, shipped_glossary, django_assert_max_num_queries, url, budget
):
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_glossary_stats_shows_every_learning_outcome(shipped_glossary):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("glossary_stats", stdout=out)
    text = out.getvalue()
    for outcome in LEARNING_OUTCOMES:
        assert re.search(rf"{outcome}\s+\d+", text)
    assert f"Total concepts: {Concept.objects.count()}" in text
