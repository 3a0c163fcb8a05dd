"""Progress of build_question_bank and seed_demo on stderr; it costs the build no query."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itilprep.task_progress import CommandProgress
from quiz.bank import build_question_bank
from quiz.models import Question
from tests.quiz.test_bank import glossary  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def run(command: str, *args: str, verbosity: int = 1) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, verbosity=verbosity)
    return out.getvalue(), err.getvalue()


def test_build_prints_its_stages_on_stderr(glossary):  # noqa: F811
    out, err = run("build_question_bank")

    created = Question.objects.count()
    assert f"{created} created, 0 kept, 0 retired; {created} active questions." in out
    assert err.splitlines() == [
        "Building questions for 7 concepts…",
        f"Saving {created} questions…",
    ]

    glossary["incident"].definition = "An unplanned break in a service, or a drop in its quality."
    glossary["incident"].save()
    out, err = run("build_question_bank")
    lines = err.splitlines()
    assert lines[0] == "Building questions for 7 concepts…"
    assert lines[1].startswith("Retiring ")
    assert lines[1].endswith(" changed or obsolete questions…")
    assert lines[2].startswith("Saving ")


def test_build_with_verbosity_2_lists_every_question_saved_and_0_prints_nothing(glossary):  # noqa: F811
    out, err = run("build_question_bank", verbosity=2)
    stems = list(Question.objects.order_by("id").values_list("stem", flat=True))
    listed = err.splitlines()[2:]
    assert len(listed) == len(stems)
    assert listed[0] == f"  1/{len(stems)} {stems[0][:72]}".rstrip()

    Question.objects.all().delete()
    out, err = run("build_question_bank", verbosity=0)
    assert err == ""
    assert out.startswith("Question bank built in ")


def test_progress_adds_no_query_to_the_build(glossary):  # noqa: F811
    # Two builds from an empty bank, one reporting every question: the same queries.
    reporter = CommandProgress(OutputWrapper(StringIO()), verbosity=2)
    with CaptureQueriesContext(connection) as reported:
        build_question_bank(progress=reporter)
    Question.objects.all().delete()
    with CaptureQueriesContext(connection) as silent:
        build_question_bank()
    assert len(reported) == len(silent)


def test_seed_demo_reports_its_stages(shipped_glossary):
    out, err = run("seed_demo", "--students", "3", "--attempts", "1")

    assert out.splitlines()[0].startswith("Question bank was empty; built it: ")
    lines = err.splitlines()
    assert lines[0].startswith("Building questions for ")
    assert lines[1].startswith("Saving ")
    assert lines[2:] == [
        "Setting up the demo class and 3 students…",
        "Simulating 1 attempt for each of 3 students…",
    ]
