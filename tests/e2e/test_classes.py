"""Browser test of a class: an instructor creates it and assigns a quiz in one browser, a
student joins with the code and takes the quiz in another, and the instructor sees the score
on the class page and in the roster, and exports it as CSV."""

import codecs
import csv
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from quiz import classes
from quiz.access import INSTRUCTORS_GROUP
from quiz.models import Assignment, Attempt
from tests.e2e.conftest import assert_same_document, mark_document
from tests.e2e.quiz_pages import ATTEMPT_URL, RESULT_URL, answer_and_wait_for_save, key_letter
from tests.factories import UserFactory, question_bank

PASSWORD = "a-long-test-password"
CLASS_URL = re.compile(r"/classes/[0-9a-f-]{36}/$")


@pytest.fixture(autouse=True)
def bank(transactional_db):
    """A small bank, committed so the live server's thread can read it."""
    return question_bank(12, "LO1")


@pytest.fixture
def instructor():
    user = UserFactory(username="trainer", first_name="Tess", last_name="Trainer")
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    return user


@pytest.fixture
def student():
    return UserFactory(username="sam")


def log_in(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/?next=/classes/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/classes/")
    return page


def test_instructor_creates_a_class_student_joins_and_takes_the_quiz_instructor_sees_score(
    new_context, instructor, student
):
    teacher = log_in(new_context(), "trainer")

    # The instructor creates a class and reads its code off the page.
    teacher.get_by_label("Class name").fill("ITIL Foundation, week of 1 March")
    teacher.get_by_role("button", name="Create the class").click()
    teacher.wait_for_url(CLASS_URL)
    expect(teacher.locator(".messages")).to_contain_text("created")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("ITIL Foundation, week of 1 March")
    code = teacher.locator(".join-code code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", code)
    expect(teacher.get_by_label("Join link")).to_have_value(
        re.compile(rf"/classes/join/{code.replace('-', '')}/$")
    )
    class_url = teacher.url

    # ... and assigns a short custom quiz.
    teacher.get_by_role("link", name="Assign a quiz").click()
    teacher.get_by_label("Title").fill("Week 1 check")
    teacher.get_by_role("radio", name=re.compile("^Custom quiz")).check()
    teacher.get_by_label("Number of questions").fill("5")
    teacher.get_by_label("Time limit in minutes").fill("10")
    teacher.get_by_label("Attempts allowed").fill("2")
    teacher.get_by_role("button", name="Assign", exact=True).click()
    teacher.wait_for_url(class_url)
    expect(teacher.locator(".messages")).to_have_text("“Week 1 check” assigned to the class.")
    expect(teacher.get_by_role("heading", name="Week 1 check")).to_be_visible()
    assignment = Assignment.objects.select_related("blueprint").get()
    assert (assignment.blueprint.kind, assignment.blueprint.owner) == ("custom", instructor)

    # In a second browser, the student joins with the code as they typed it.
    learner = log_in(new_context(), "sam")
    learner.get_by_label("Join code").fill(code.lower())
    learner.get_by_role("button", name="Join", exact=True).click()
    learner.wait_for_url(class_url)
    expect(learner.locator(".messages")).to_have_text(
        "You joined “ITIL Foundation, week of 1 March”."
    )
    expect(learner.get_by_text("Taught by Tess Trainer.")).to_be_visible()
    row = learner.get_by_role("row", name=re.compile("Week 1 check"))
    # The assignment's name heads the row; then when, attempts, status, score and actions.
    expect(row.get_by_role("cell").nth(2)).to_have_text("○ Not started")
    expect(row.get_by_role("cell").nth(1)).to_contain_text("0 of 2")

    # ... starts the assignment and answers four of five questions right.
    row.get_by_role("button", name="Start Week 1 check").click()
    learner.wait_for_url(ATTEMPT_URL)
    attempt = Attempt.objects.get()
    assert attempt.assignment == assignment
    for position in range(1, 6):
        letter = key_letter(attempt, position)
        if position == 5:
            letter = next(other for other in "ABCD" if other != letter)
        answer_and_wait_for_save(learner, letter)
        if position < 5:
            learner.get_by_role("link", name="Next", exact=True).click()
            learner.wait_for_url(re.compile(rf"\?n={position + 1}$"))
    learner.get_by_role("link", name="Review and submit").click()
    learner.get_by_role("button", name="Submit my answers").click()
    learner.wait_for_url(RESULT_URL)
    expect(learner.get_by_role("heading", level=1)).to_have_text("✓ Passed")

    # Back on the class page the assignment shows as passed, with one attempt left.
    learner.goto(class_url)
    row = learner.get_by_role("row", name=re.compile("Week 1 check"))
    expect(row.get_by_role("cell").nth(2)).to_have_text("✓ Passed")
    expect(row.get_by_role("cell").nth(3)).to_have_text("4 / 5")
    expect(row.get_by_role("button", name="Try again Week 1 check")).to_be_visible()

    # The instructor's page lists the student and the score...
    teacher.reload()
    students = teacher.get_by_role("table", name="Students of ITIL Foundation, week of 1 March")
    expect(students.get_by_role("row", name=re.compile(r"^sam\b"))).to_be_visible()
    results = teacher.get_by_role("table", name="Results for Week 1 check")
    result_row = results.get_by_role("row", name=re.compile(r"^sam\b"))
    expect(result_row.get_by_role("cell")).to_have_text(
        ["1", "4 / 5", re.compile(r"^4 / 5"), "4 / 5", "✓ Pass"]
    )
    # ... and so does the roster.
    teacher.get_by_role("link", name="Class report and roster").click()
    roster_row = teacher.get_by_role("row", name=re.compile(r"^sam\b"))
    expect(roster_row).to_contain_text("4 / 5")

    # ... and exports the roster as a CSV file, with sam's score.
    with teacher.expect_download() as download_info:
        teacher.get_by_role("link", name=re.compile(r"^Roster of “Week 1 check” \(CSV\)")).click()
    download = download_info.value
    today = timezone.localdate().isoformat()
    assert download.suggested_filename == (
        f"itil-foundation-week-of-1-march-roster-week-1-check-{today}.csv"
    )
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)  # so Excel reads it as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [row["username"] for row in rows] == ["sam"]
    assert {key: rows[0][key] for key in ("counted score", "questions", "passed")} == {
        "counted score": "4",
        "questions": "5",
        "passed": "yes",
    }

    # The instructor opens the same review the student saw.
    teacher.goto(class_url)
    teacher.get_by_role("link", name=re.compile("review sam's latest attempt")).click()
    teacher.wait_for_url(RESULT_URL)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("✓ Passed")


def test_the_instructor_page_changes_in_place_with_htmx(new_context, instructor, student):
    """A new code, a co-instructor refused then added, a student removed: all without a
    reload, and the same document throughout."""
    classroom = classes.classroom_create(name="Evening course", instructor=instructor)
    classroom.enrollments.create(student=student)
    colleague = UserFactory(username="colleague")
    colleague.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    page = log_in(new_context(), "trainer")
    page.goto(classroom.get_absolute_url())
    mark_document(page)
    old = page.locator(".join-code code").inner_text()

    page.get_by_label("New code valid for").select_option(label="1 week")
    page.get_by_role("button", name="Make a new code").click()
    expect(page.locator("#join-code")).to_contain_text("New join code made")
    expect(page.locator(".join-code code")).not_to_have_text(old)
    classroom.refresh_from_db()
    expect(page.locator(".join-code code")).to_have_text(
        "-".join(classroom.join_code[i : i + 4] for i in (0, 4, 8))
    )
    expect(page.locator("#join-code")).to_contain_text("Valid until")
    expect(page.get_by_label("Join link")).to_have_value(
        re.compile(rf"/classes/join/{classroom.join_code}/$")
    )

    username = page.get_by_label("Username of the co-instructor")
    username.fill("nobody")
    page.get_by_role("button", name="Add a co-instructor").click()
    expect(page.locator("#instructors [role=alert]")).to_have_text(
        "There is no user called “nobody”. Check the spelling."
    )
    page.get_by_label("Username of the co-instructor").fill("colleague")
    page.get_by_role("button", name="Add a co-instructor").click()
    expect(page.locator("#instructors [role=status]")).to_have_text(
        "colleague now teaches this class too."
    )
    expect(page.locator("#instructors .people li")).to_have_count(2)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove sam").click()
    expect(page.locator("#students [role=status]")).to_have_text("sam was removed from the class.")
    expect(page.locator("#students")).to_contain_text("No students yet")
    assert_same_document(page)
    assert not classroom.enrollments.exists()
    assert set(classroom.instructors.values_list("username", flat=True)) == {"trainer", "colleague"}
