"""Building and syncing the stored question bank, and the build_question_bank command."""

import time
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from glossary.models import Concept, KeyPoint
from quiz.bank import bank_snapshot, build_question_bank
from quiz.builder import build_questions
from quiz.models import Choice, Question
from tests.factories import ConceptFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def glossary():
    """Six concepts over two sections, confused in pairs, one set of three members."""
    practice = SectionFactory(code="5.2", learning_outcome="LO7")
    other = SectionFactory(code="5.3", learning_outcome="LO7")
    incident = ConceptFactory(
        section=practice,
        name="Incident",
        definition="An unplanned interruption or drop in the quality of a running service.",
        key_points=[
            "An incident should be logged so it can be tracked and analysed.",
            "Incidents are resolved by restoring normal service as quickly as possible.",
        ],
    )
    problem = ConceptFactory(
        section=practice,
        name="Problem",
        definition="The cause, or potential cause, behind one or more disruptions to a service.",
        key_points=[
            "A problem is managed until its cause is removed for good.",
            "Problems are prioritized according to the risk they pose.",
        ],
    )
    request = ConceptFactory(
        section=practice,
        name="Service request",
        definition="An ask from a user for something routine and agreed, like a password reset.",
    )
    phases = ConceptFactory(
        section=other,
        name="Problem phases",
        definition="The three stages that problem handling passes through, from spotting to fix.",
        members_label="the three phases of problem management",
    )
    members = [
        ConceptFactory(
            section=other,
            name=name,
            definition=f"The stage of problem handling that deals with {task}.",
            part_of=phases,
        )
        for name, task in [
            ("Problem identification", "spotting and recording new causes of disruption"),
            ("Problem control", "analysing recorded causes and documenting workarounds"),
            ("Error control", "managing known errors and seeking permanent fixes"),
        ]
    ]
    incident.confused_with.set([problem, request])
    problem.confused_with.set([incident, members[0]])
    request.confused_with.set([incident])
    for member in members:
        member.confused_with.set([m for m in members if m != member])
    members[0].related.set([request])
    return {"incident": incident, "problem": problem, "request": request, "phases": phases}


def test_snapshot_reads_the_whole_glossary_in_four_queries(glossary, django_assert_num_queries):
    with django_assert_num_queries(4):
        snapshot = bank_snapshot()
    by_name = {c.name: c for c in snapshot}
    incident = by_name["Incident"]
    assert incident.section_code == "5.2"
    assert incident.learning_outcome == "LO7"
    assert incident.syllabus == "itil4-foundation"
    assert incident.key_points[0].startswith("An incident should be logged")
    assert set(incident.confused_with) == {glossary["problem"].pk, glossary["request"].pk}
    assert by_name["Problem control"].part_of == glossary["phases"].pk
    assert by_name["Problem phases"].members_label == "the three phases of problem management"


def test_build_stores_every_generated_question_with_its_options(glossary):
    result = build_question_bank(now=NOW)
    assert result.created == len(result.questions) > 0
    assert (result.kept, result.retired) == (0, 0)
    stored = {q.signature: q for q in Question.objects.prefetch_related("choices")}
    assert len(stored) == result.created
    for generated in result.questions:
        row = stored[generated.signature]
        assert row.is_active
        assert (row.style, row.stem, row.explanation) == (
            generated.style,
            generated.stem,
            generated.explanation,
        )
        assert row.statements == list(generated.statements)
        assert row.concept_id == generated.concept_id
        assert row.section_id == generated.section_id
        assert row.learning_outcome == generated.learning_outcome
        assert row.content_hash == generated.content_hash
        choices = sorted(row.choices.all(), key=lambda choice: choice.order)
        assert [(c.text, c.is_key, c.concept_id, c.rationale) for c in choices] == [
            (o.text, o.is_key, o.concept_id, o.rationale) for o in generated.options
        ]


def test_a_second_build_changes_nothing(glossary, django_assert_max_num_queries):
    first = build_question_bank(now=NOW)
    before = list(Question.objects.values_list("id", "content_hash", "created_at"))
    with django_assert_max_num_queries(8):
        second = build_question_bank(now=NOW)
    assert (second.created, second.kept, second.retired) == (0, first.created, 0)
    assert list(Question.objects.values_list("id", "content_hash", "created_at")) == before


def test_a_changed_concept_retires_and_replaces_its_questions(glossary):
    build_question_bank(now=NOW)
    incident = glossary["incident"]
    old = Question.objects.get(style="term", concept=incident)
    old_stem, old_choices = old.stem, list(old.choices.values_list("text", flat=True))
    old_definition = incident.definition
    incident.definition = "Something unplanned that stops a service working or makes it worse."
    incident.save()

    result = build_question_bank(now=NOW)

    assert result.created == result.retired > 0
    old.refresh_from_db()
    assert not old.is_active
    assert old.retired_at == NOW
    # The retired question still reads exactly as the learners saw it.
    assert old.stem == old_stem
    assert list(old.choices.values_list("text", flat=True)) == old_choices
    new = Question.objects.active().get(signature=old.signature)
    assert new.pk != old.pk
    assert incident.definition in new.stem
    # Every question that showed the old definition was replaced; others were kept.
    assert result.kept > 0
    for question in Question.objects.active().prefetch_related("choices"):
        texts = [question.stem, question.explanation]
        texts += [text for c in question.choices.all() for text in (c.text, c.rationale)]
        assert not any(old_definition.lower() in text.lower() for text in texts)


def test_a_slot_no_longer_generated_is_retired(glossary):
    build_question_bank(now=NOW)
    incident = glossary["incident"]
    KeyPoint.objects.filter(concept=incident).delete()
    build_question_bank(now=NOW)
    assert not Question.objects.active().filter(concept=incident, style="missing_word").exists()
    assert Question.objects.filter(concept=incident, style="missing_word", is_active=False)

    Concept.objects.filter(pk=glossary["request"].pk).delete()
    result = build_question_bank(now=NOW)
    assert result.retired > 0
    assert not Question.objects.active().filter(concept__isnull=True).exists()
    signatures = list(Question.objects.active().values_list("signature", flat=True))
    assert len(signatures) == len(set(signatures))


def test_the_seed_changes_the_options_not_the_slots(glossary):
    first = build_question_bank(seed=1, now=NOW)
    second = build_question_bank(seed=2, now=NOW)
    assert {q.signature for q in first.questions} == {q.signature for q in second.questions}
    assert second.created == second.retired
    assert Question.objects.active().count() == len(second.questions)


def test_negative_questions_are_about_the_set(glossary):
    # Enough other questions that the set's few "NOT" questions fit in the 5% share.
    for n in range(12):
        ConceptFactory(
            section=glossary["incident"].section,
            name=f"Support topic {n}",
            definition=f"A made-up support subject, number {n}, kept for this test only.",
        )
    build_question_bank(now=NOW)
    negative = Question.objects.active().filter(style="negative").first()
    assert negative is not None
    assert negative.concept == glossary["phases"]
    assert (
        negative.stem
        == "Which of the following is NOT one of the three phases of problem management?"
    )
    key = negative.choices.get(is_key=True)
    assert key.text not in {"Problem identification", "Problem control", "Error control"}


def test_bank_builder_output_matches_the_pure_builder(glossary):
    result = build_question_bank(seed=9, now=NOW)
    assert result.questions == build_questions(bank_snapshot(), seed=9)


def test_shipped_glossary_builds_in_under_five_seconds(shipped_glossary):
    started = time.perf_counter()
    result = build_question_bank()
    elapsed = time.perf_counter() - started
    assert result.created > 300
    assert elapsed < 5, f"building the bank took {elapsed:.2f} s"
    again = build_question_bank()
    assert (again.created, again.retired) == (0, 0)


def test_command_prints_the_counts_and_the_report(glossary):
    out = StringIO()
    call_command("build_question_bank", "--report", stdout=out)
    text = out.getvalue()
    created = Question.objects.count()
    assert f"{created} created, 0 kept, 0 retired; {created} active questions." in text
    assert "Which term is described" in text
    assert "LO7" in text
    assert "longest option" in text
    assert "%" in text
    assert "Structural problems: none" in text

    out = StringIO()
    call_command("build_question_bank", "--seed", "4", stdout=out)
    assert f"0 created, {created} kept, 0 retired" in out.getvalue()


def test_command_fails_loudly_on_a_broken_bank(glossary):
    build_question_bank()
    # Corrupt a stored question (as a faulty manual edit would): two keys.
    question = Question.objects.active().first()
    Choice.objects.filter(question=question).update(is_key=False)
    out = StringIO()
    with pytest.raises(CommandError, match="structural problems"):
        call_command("build_question_bank", "--report", stdout=out)
    assert "0 keys instead of 1" in out.getvalue()
