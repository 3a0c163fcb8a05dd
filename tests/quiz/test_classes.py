"""Classes and assignments: the workflows, their rules (window, attempt limit, throttling),
and the class pages, plain and htmx."""

import math
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from quiz import classes
from quiz.access import INSTRUCTORS_GROUP
from quiz.attempts import attempt_record_answer, attempt_submit
from quiz.classes import (
    JOIN_MAX_WRONG,
    JOIN_WINDOW,
    ClassError,
    JoinRefused,
    QuizSettings,
    StartRefused,
    Status,
)
from quiz.models import Assignment, Attempt, Blueprint, Classroom, Enrollment, JoinAttempt
from quiz.models.attempts import State
from quiz.models.blueprints import Kind, mock_exam
from quiz.models.classes import JOIN_CODE_ALPHABET
from tests.factories import (
    ClassroomFactory,
    EnrollmentFactory,
    UserFactory,
    question_bank,
)
from tests.quiz.test_concurrency import run_together

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


# -- fixtures and helpers ------------------------------------------------------------------


def make_instructor(**kwargs):
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def bank():
    return question_bank(15, "LO1") + question_bank(10, "LO2")


@pytest.fixture
def teacher():
    return make_instructor(username="teacher")


@pytest.fixture
def classroom(teacher):
    return classes.classroom_create(name="ITIL Foundation, March", instructor=teacher)


@pytest.fixture
def student(classroom):
    return EnrollmentFactory(classroom=classroom, student=UserFactory(username="sam")).student


def custom_assignment(classroom, teacher, **kwargs) -> Assignment:
    quiz = kwargs.pop("quiz", QuizSettings(question_count=5, time_limit_minutes=10))
    return classes.assignment_create(
        classroom=classroom, created_by=teacher, title=kwargs.pop("title", "Week 1"), quiz=quiz,
        **kwargs,
    )  # fmt: skip


def finish(attempt: Attempt, *, right: int, now: datetime | None = None) -> Attempt:
    """Answer the first `right` questions correctly, the rest wrongly, and submit (a minute
    after the start unless `now` says otherwise)."""
    now = now or attempt.started_at + timedelta(minutes=1)
    for response in attempt.responses.select_related("question"):
        key = response.question.choices.get(is_key=True).pk
        wrong = next(c for c in response.choice_order if c != key)
        letter = "ABCD"[response.choice_order.index(key if response.position <= right else wrong)]
        attempt_record_answer(attempt=attempt, position=response.position, letter=letter, now=now)
    return attempt_submit(attempt=attempt, now=now)


def login(client, user):
    client.force_login(user)
    return client


# -- creating and running a class ----------------------------------------------------------


def test_create_a_class_with_an_unguessable_code(teacher):
    classroom = classes.classroom_create(
        name="Week course", description="Mon-Fri", instructor=teacher
    )
    assert list(classroom.instructors.all()) == [teacher]
    assert classroom.created_by == teacher
    assert len(classroom.join_code) * math.log2(len(JOIN_CODE_ALPHABET)) >= 40
    assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
    assert classroom.join_code_expires_at is None


def test_regenerating_the_code_retires_the_old_one(classroom):
    learner = UserFactory()
    old = classroom.join_code
    classes.classroom_regenerate_code(classroom=classroom, now=NOW, valid_for=timedelta(days=7))
    assert classroom.join_code != old
    assert classroom.join_code_expires_at == NOW + timedelta(days=7)
    with pytest.raises(JoinRefused, match="No class has the code"):
        classes.classroom_join(user=learner, code=old, now=NOW)
    joined, created = classes.classroom_join(user=learner, code=classroom.join_code, now=NOW)
    assert (joined, created) == (classroom, True)


def test_add_and_remove_co_instructors(classroom, teacher):
    colleague = make_instructor(username="Colleague")
    assert (
        classes.classroom_add_instructor(classroom=classroom, username=" colleague ") == colleague
    )
    assert set(classroom.instructors.all()) == {teacher, colleague}
    with pytest.raises(ClassError, match="already teaches"):
        classes.classroom_add_instructor(classroom=classroom, username="colleague")
    classes.classroom_remove_instructor(classroom=classroom, user=colleague)
    with pytest.raises(ClassError, match="at least one instructor"):
        classes.classroom_remove_instructor(classroom=classroom, user=teacher)
    assert list(classroom.instructors.all()) == [teacher]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no user called “nobody”"),
        ("plain", "plain is not an instructor. An administrator can grant the role"),
        ("sam", "sam is a student of this class"),
    ],
)
def test_co_instructor_must_be_an_instructor_outside_the_class(
    classroom, student, username, message
):
    UserFactory(username="plain")
    make_instructor(username="sam")  # the student also has the role
    with pytest.raises(ClassError, match=message):
        classes.classroom_add_instructor(classroom=classroom, username=username)
    assert classroom.instructors.count() == 1


def test_remove_student_and_leave(classroom, student):
    other = EnrollmentFactory(classroom=classroom).student
    classes.classroom_remove_student(classroom=classroom, student=student)
    with pytest.raises(ClassError, match="not a student"):
        classes.classroom_remove_student(classroom=classroom, student=student)
    classes.classroom_leave(classroom=classroom, student=other)
    assert not Enrollment.objects.exists()


def test_archive_closes_the_code_and_restore_reopens_it(classroom):
    classes.classroom_archive(classroom=classroom, now=NOW)
    assert classroom.archived_at == NOW
    with pytest.raises(JoinRefused, match="has been archived") as refused:
        classes.classroom_join(user=UserFactory(), code=classroom.join_code, now=NOW)
    assert refused.value.reason == "archived"
    classes.classroom_restore(classroom=classroom)
    assert classroom.archived_at is None


# -- joining ---------------------------------------------------------------------------------


def test_join_accepts_the_code_as_people_type_it(classroom):
    learner = UserFactory()
    code = classroom.join_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} ".replace("0", "o").replace("1", "l")
    assert classes.classroom_join(user=learner, code=typed, now=NOW) == (classroom, True)
    assert classes.classroom_join(user=learner, code=code, now=NOW) == (classroom, False)
    assert Enrollment.objects.filter(student=learner).count() == 1


def test_join_refuses_an_expired_code_and_the_classes_own_instructor(classroom, teacher):
    with pytest.raises(JoinRefused, match="You teach"):
        classes.classroom_join(user=teacher, code=classroom.join_code, now=NOW)
    classes.classroom_regenerate_code(classroom=classroom, now=NOW, valid_for=timedelta(days=1))
    with pytest.raises(JoinRefused, match=re.escape("has expired. Ask your instructor")) as refused:
        classes.classroom_join(
            user=UserFactory(), code=classroom.join_code, now=NOW + timedelta(days=1)
        )
    assert refused.value.reason == "expired"


def test_join_is_throttled_after_too_many_wrong_codes(classroom):
    guesser, bystander = UserFactory(), UserFactory()
    for n in range(JOIN_MAX_WRONG):
        with pytest.raises(JoinRefused, match="No class has the code"):
            classes.classroom_join(user=guesser, code=f"WRONG{n}", now=NOW + timedelta(seconds=n))
    # Now even the right code is refused, so guessing cannot go on.
    with pytest.raises(
        JoinRefused, match=re.escape("Too many wrong codes. Wait 14 minutes")
    ) as refused:
        classes.classroom_join(
            user=guesser, code=classroom.join_code, now=NOW + timedelta(minutes=1)
        )
    assert refused.value.reason == "throttled"
    assert not Enrollment.objects.exists()
    # Others are not affected, and the window passes.
    classes.classroom_join(user=bystander, code=classroom.join_code, now=NOW)
    later = NOW + JOIN_WINDOW + timedelta(seconds=1)
    assert classes.classroom_join(user=guesser, code=classroom.join_code, now=later)[1]
    # Refused tries while blocked are not recorded: the block does not keep extending.
    assert JoinAttempt.objects.filter(user=guesser, succeeded=False).count() == JOIN_MAX_WRONG


def test_right_codes_do_not_count_towards_the_throttle(classroom):
    learner = UserFactory()
    for _ in range(JOIN_MAX_WRONG + 2):
        classes.classroom_join(user=learner, code=classroom.join_code, now=NOW)
    assert classes.join_wait(user=learner, now=NOW) is None


# -- assignments -----------------------------------------------------------------------------


def test_assign_a_custom_quiz_makes_a_blueprint_owned_by_the_instructor(bank, classroom, teacher):
    section = bank[0].section
    quiz = QuizSettings(
        question_count=8, learning_outcomes=["LO1"], sections=[section], time_limit_minutes=12
    )
    assignment = custom_assignment(classroom, teacher, quiz=quiz, max_attempts=2, counts="last")
    blueprint = assignment.blueprint
    assert blueprint.kind == Kind.CUSTOM
    assert blueprint.owner == teacher
    assert blueprint.title == "Week 1"
    assert (blueprint.question_count, blueprint.time_limit_minutes) == (8, 12)
    assert blueprint.pass_mark == 6  # 65% of 8, rounded up
    assert blueprint.learning_outcomes == ["LO1"]
    assert list(blueprint.sections.all()) == [section]
    assert (assignment.max_attempts, assignment.counts) == (2, "last")


def test_assign_the_mock_exam_shares_its_blueprint(classroom, teacher, shipped_glossary):
    from quiz.bank import build_question_bank

    build_question_bank()
    assignment = classes.assignment_create(
        classroom=classroom, created_by=teacher, title="Mock", quiz=None
    )
    assert assignment.blueprint == mock_exam()


@pytest.mark.parametrize(
    ("quiz", "window", "message"),
    [
        (None, {}, "The question bank needs building"),
        (QuizSettings(question_count=30), {}, "Only 25 suitable questions are available"),
        (QuizSettings(question_count=5, pass_mark=6), {}, "pass mark cannot be more"),
        (
            QuizSettings(question_count=5),
            {"opens_at": NOW, "closes_at": NOW},
            "closing time must be after the opening time",
        ),
    ],
)
def test_an_impossible_assignment_changes_nothing(bank, classroom, teacher, quiz, window, message):
    blueprints = Blueprint.objects.count()
    with pytest.raises(ClassError, match=message):
        classes.assignment_create(
            classroom=classroom, created_by=teacher, title="X", quiz=quiz, **window
        )
    assert not Assignment.objects.exists()
    assert Blueprint.objects.filter(kind=Kind.CUSTOM).count() == 0
    assert Blueprint.objects.count() <= blueprints + 1  # at most the shared mock exam


def test_editing_an_unused_quiz_changes_it_in_place(bank, classroom, teacher):
    assignment = custom_assignment(classroom, teacher)
    blueprint = assignment.blueprint
    classes.assignment_update(
        assignment=assignment, changed_by=teacher, title="Week 1 again",
        quiz=QuizSettings(question_count=6), closes_at=NOW,
    )  # fmt: skip
    blueprint.refresh_from_db()
    assert assignment.blueprint == blueprint
    assert (blueprint.question_count, blueprint.time_limit_minutes, blueprint.title) == (
        6,
        None,
        "Week 1 again",
    )
    assert assignment.closes_at == NOW


def test_editing_a_quiz_students_sat_keeps_their_attempts_on_the_old_one(
    bank, classroom, teacher, student
):
    assignment = custom_assignment(classroom, teacher)
    old = assignment.blueprint
    attempt = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    classes.assignment_update(
        assignment=assignment, changed_by=teacher, title="Week 1",
        quiz=QuizSettings(question_count=7),
    )  # fmt: skip
    assert assignment.blueprint != old
    assert assignment.blueprint.question_count == 7
    old.refresh_from_db()
    assert old.question_count == 5
    attempt.refresh_from_db()
    assert attempt.blueprint == old
    assert attempt.assignment == assignment
    # the same settings again keep the blueprint
    current = assignment.blueprint
    classes.assignment_update(
        assignment=assignment, changed_by=teacher, title="Renamed",
        quiz=QuizSettings(question_count=7),
    )  # fmt: skip
    assert assignment.blueprint == current
    current.refresh_from_db()
    assert current.title == "Renamed"


# -- a student's status and starting an attempt ----------------------------------------------


def test_status_goes_from_not_started_to_in_progress_to_failed_to_passed(
    bank, classroom, teacher, student
):
    assignment = custom_assignment(classroom, teacher)  # 5 questions, pass mark 4
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert (status.status, status.attempts_used, status.can_start) == (Status.NOT_STARTED, 0, True)
    attempt = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    assert attempt.assignment == assignment
    assert attempt.user == student
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert status.status == Status.IN_PROGRESS
    assert status.open_attempt_id == attempt.public_id
    finish(attempt, right=3)
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert (status.status, status.counted_score) == (Status.FAILED, 3)
    assert status.last_attempt_id == attempt.public_id
    second = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    finish(second, right=5, now=NOW + timedelta(minutes=5))
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert (status.status, status.counted_score, status.attempts_used) == (Status.PASSED, 5, 2)


def test_best_or_last_attempt_counts(bank, classroom, teacher, student):
    best = custom_assignment(classroom, teacher, title="Best")
    last = custom_assignment(classroom, teacher, title="Last", counts="last")
    for assignment in (best, last):
        first = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
        finish(first, right=5, now=NOW)
        second = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
        finish(second, right=2, now=NOW + timedelta(minutes=1))
    rows = classes.student_assignments(
        assignments=Assignment.objects.filter(classroom=classroom), user=student, now=NOW
    )
    by_title = {row.assignment.title: row for row in rows}
    assert (by_title["Best"].status, by_title["Best"].counted_score) == (Status.PASSED, 5)
    assert (by_title["Last"].status, by_title["Last"].counted_score) == (Status.FAILED, 2)


def test_the_window_is_enforced_with_clear_messages(bank, classroom, teacher, student):
    opens, closes = NOW + timedelta(days=1), NOW + timedelta(days=1, minutes=5)
    assignment = custom_assignment(classroom, teacher, opens_at=opens, closes_at=closes)
    with time_machine.travel(NOW, tick=False):
        status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
        assert status.status == Status.NOT_STARTED
        assert status.refusal == "This assignment opens on 29 Nov 2026, 09:00."
        with pytest.raises(StartRefused, match="opens on 29 Nov 2026, 09:00"):
            classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    with time_machine.travel(opens, tick=False):
        attempt = classes.start_assignment_attempt(assignment=assignment, user=student, now=opens)
        assert attempt.assignment == assignment
    # An attempt started inside the window may be resumed after it closes.
    resumed = classes.start_assignment_attempt(
        assignment=assignment, user=student, now=closes + timedelta(seconds=1)
    )
    assert resumed == attempt
    finish(attempt, right=1, now=opens + timedelta(minutes=6))
    with pytest.raises(StartRefused, match="closed on 29 Nov 2026, 09:05"):
        classes.start_assignment_attempt(assignment=assignment, user=student, now=closes)
    assert Attempt.objects.count() == 1


def test_a_missed_assignment_is_closed(bank, classroom, teacher, student):
    assignment = custom_assignment(classroom, teacher, closes_at=NOW)
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert status.status == Status.CLOSED
    assert not status.can_start


def test_attempts_beyond_the_limit_are_refused(bank, classroom, teacher, student):
    assignment = custom_assignment(classroom, teacher, max_attempts=1)
    attempt = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    # A second click while the attempt runs resumes it rather than using another attempt.
    assert classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW) == attempt
    finish(attempt, right=2)
    with pytest.raises(
        StartRefused, match=re.escape("You have used your attempt at this assignment.")
    ):
        classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert (status.status, status.attempts_left) == (Status.FAILED, 0)
    assert status.refusal == "You have used your attempt at this assignment."


@pytest.mark.django_db(transaction=True)
def test_clicks_at_the_same_instant_start_one_attempt(bank, classroom, teacher, student):
    """Real threads on a real database: the enrollment row is locked (SQLite's IMMEDIATE
    transactions serialise writers), so the later clicks resume the first one's attempt."""
    assignment = custom_assignment(classroom, teacher, max_attempts=3)
    results = run_together(
        *[
            lambda: classes.start_assignment_attempt(
                assignment=Assignment.objects.get(pk=assignment.pk), user=student, now=NOW
            )
            for _ in range(4)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Attempt.objects.count() == 1
    assert {r.pk for r in results} == {Attempt.objects.get().pk}


def test_a_timed_out_attempt_is_finished_before_a_new_one_starts(bank, classroom, teacher, student):
    assignment = custom_assignment(classroom, teacher, max_attempts=2)
    first = classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    later = NOW + timedelta(minutes=11)
    second = classes.start_assignment_attempt(assignment=assignment, user=student, now=later)
    first.refresh_from_db()
    assert first.state == State.EXPIRED
    assert second != first


def test_only_students_of_an_open_class_can_start(bank, classroom, teacher, student):
    assignment = custom_assignment(classroom, teacher)
    with pytest.raises(StartRefused, match="Only students of this class"):
        classes.start_assignment_attempt(assignment=assignment, user=UserFactory(), now=NOW)
    classes.classroom_archive(classroom=classroom, now=NOW)
    assignment.refresh_from_db()
    with pytest.raises(StartRefused, match="archived"):
        classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW)
    status = classes.assignment_status(assignment=assignment, user=student, now=NOW)
    assert status.status == Status.CLOSED


# -- pages: the class list ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/classes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/classes/")


def test_instructor_list_shows_taught_classes_and_the_create_form(client, classroom, teacher):
    EnrollmentFactory(classroom=classroom)
    archived = classes.classroom_create(name="Old course", instructor=teacher)
    classes.classroom_archive(classroom=archived, now=NOW)
    html = login(client, teacher).get("/classes/").text
    assert "Classes you teach" in html
    assert classroom.name in html
    code = classroom.join_code
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in html
    assert "Archived classes (1)" in html
    assert "Create a class" in html
    # An instructor in no class as a student gets a link to join one, not the whole section.
    assert "Classes you attend" not in html
    assert 'href="/classes/join/">join it with its code' in html


def test_learner_list_shows_classes_with_assignments_status_and_join_form(
    client, bank, classroom, teacher, student
):
    assignment = custom_assignment(classroom, teacher)
    html = login(client, student).get("/classes/").text
    assert "Create a class" not in html
    assert "Your classes" in html
    assert classroom.name in html
    assert assignment.title in html
    assert "Not started" in html
    assert f"/classes/{classroom.public_id}/assignments/{assignment.pk}/start/" in html
    assert 'name="code"' in html


def test_create_a_class_through_the_form(client, teacher):
    login(client, teacher)
    response = client.post("/classes/new/", {"name": "  ", "description": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text or "Give the class a name." in response.text
    assert not Classroom.objects.exists()
    response = client.post("/classes/new/", {"name": "Spring course", "description": "Room 4"})
    classroom = Classroom.objects.get()
    assert response.status_code == 302
    assert response["Location"] == classroom.get_absolute_url()
    assert list(classroom.instructors.all()) == [teacher]
    page = client.get(response["Location"]).text
    assert "Class “Spring course” created." in page


def test_edit_a_class(client, classroom, teacher):
    login(client, teacher)
    response = client.post(
        f"/classes/{classroom.public_id}/edit/", {"name": "Renamed", "description": "New"}
    )
    assert response.status_code == 302
    classroom.refresh_from_db()
    assert (classroom.name, classroom.description) == ("Renamed", "New")


def test_learners_cannot_create_classes(client):
    login(client, UserFactory())
    assert client.post("/classes/new/", {"name": "Mine"}).status_code == 404
    assert not Classroom.objects.exists()


# -- pages: joining ----------------------------------------------------------------------------


def test_join_with_the_code_form(client, classroom):
    learner = UserFactory()
    login(client, learner)
    response = client.post("/classes/join/", {"code": classroom.join_code.lower()}, follow=True)
    assert response.redirect_chain[-1][0] == classroom.get_absolute_url()
    assert f"You joined “{classroom.name}”." in response.text
    assert classroom.students.filter(pk=learner.pk).exists()


def test_wrong_codes_get_a_clear_message_then_are_throttled(client, classroom):
    login(client, UserFactory())
    for _ in range(JOIN_MAX_WRONG):
        response = client.post("/classes/join/", {"code": "NOPE-NOPE"})
        assert response.status_code == 404
        assert "No class has the code “NOPE-NOPE”" in response.text
    response = client.post("/classes/join/", {"code": classroom.join_code})
    assert response.status_code == 429
    assert "Too many wrong codes. Wait 15 minutes" in response.text
    assert not Enrollment.objects.exists()
    response = client.post("/classes/join/", {"code": ""})
    assert "This field is required." in response.text


def test_join_link_confirms_then_joins(client, classroom, teacher):
    learner = UserFactory()
    login(client, learner)
    url = f"/classes/join/{classroom.join_code}/"
    page = client.get(url)
    assert page.status_code == 200
    assert f"Join “{classroom.name}”?" in page.text
    assert "teacher" in page.text
    assert not Enrollment.objects.exists()  # a GET never joins
    response = client.post(url)
    assert response.status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student=learner).exists()
    # Following the link again goes straight to the class.
    response = client.get(url, follow=True)
    assert "You are already a student of" in response.text


def test_join_links_that_do_not_work_say_why(client, classroom):
    login(client, UserFactory())
    response = client.get("/classes/join/ZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "No class has the code “ZZZZZZZZZZ”" in response.text
    classes.classroom_archive(classroom=classroom, now=NOW)
    response = client.get(f"/classes/join/{classroom.join_code}/")
    assert "has been archived and takes no new students" in response.text
    assert client.post(f"/classes/join/{classroom.join_code}/").status_code == 200
    assert not Enrollment.objects.exists()


def test_guessing_join_links_is_throttled_too(client, classroom):
    login(client, UserFactory())
    for n in range(JOIN_MAX_WRONG):
        assert client.get(f"/classes/join/WRONG{n}/").status_code == 404
    assert client.get(f"/classes/join/{classroom.join_code}/").status_code == 429


def test_leave_a_class(client, classroom, student):
    login(client, student)
    response = client.post(f"/classes/{classroom.public_id}/leave/", follow=True)
    assert f"You left “{classroom.name}”." in response.text
    assert not Enrollment.objects.exists()
    assert client.get(classroom.get_absolute_url()).status_code == 404


# -- pages: the class for its instructors ------------------------------------------------------


def test_instructor_page_shows_code_link_people_and_results(
    client, bank, classroom, teacher, student
):
    assignment = custom_assignment(classroom, teacher)
    finish(classes.start_assignment_attempt(assignment=assignment, user=student, now=NOW), right=4)
    html = login(client, teacher).get(classroom.get_absolute_url()).text
    code = classroom.join_code
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in html
    assert f"http://testserver/classes/join/{code}/" in html
    assert "Make a new code" in html
    assert "sam" in html
    assert 'Remove<span class="visually-hidden"> sam' in html
    assert "Add a co-instructor" in html
    assert f"Results for {assignment.title}" in html
    assert "<strong>4 / 5</strong>" in html
    assert "✓ Pass" in html
    assert "Archive the class" in html


def test_instructor_page_sums_up_each_assignment_and_names_students(
    client, bank, classroom, teacher, student, monkeypatch
):
    student.first_name, student.last_name = "Sam", "Lee"
    student.save()
    kim = EnrollmentFactory(classroom=classroom, student=UserFactory(username="kim")).student
    EnrollmentFactory(classroom=classroom)  # has not tried it
    assignment = custom_assignment(classroom, teacher)  # 5 questions, pass mark 4
    for learner, right in ((student, 4), (kim, 2)):
        attempt = classes.start_assignment_attempt(assignment=assignment, user=learner, now=NOW)
        finish(attempt, right=right)
    html = login(client, teacher).get(classroom.get_absolute_url()).text
    # 2 of 3 finished; (4 + 2) / 2 = 3 of 5 on average, 60%; 1 of the 2 passed.
    assert '<strong class="nowrap">2 of 3</strong> students finished' in html
    assert 'average <strong class="nowrap">3.0 / 5 (60%)</strong>' in html
    assert 'pass rate <strong class="nowrap">50%</strong>' in html
    # The real name first, the username under it; the username alone when there is no name.
    assert 'Sam Lee <span class="student-name__username">sam</span>' in html
    assert '<th scope="row">kim</th>' in html
    # A short table shows; a long one starts folded behind its summary line.
    assert '<details class="results-details" open>' in html
    monkeypatch.setattr(classes, "RESULTS_SHOWN_OPEN", 1)
    html = client.get(classroom.get_absolute_url()).text
    assert '<details class="results-details">' in html


def test_staff_may_read_a_class_but_not_change_it(client, bank, classroom, teacher):
    staff = UserFactory(is_staff=True)
    login(client, staff)
    html = client.get(classroom.get_absolute_url()).text
    assert "as site staff: you can read it but not change it" in html
    assert "Make a new code" not in html
    assert "Archive the class" not in html
    assert "Assign a quiz" not in html
    assert client.post(f"/classes/{classroom.public_id}/archive/").status_code == 404
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_regenerate_code_plain_and_htmx(client, classroom, teacher):
    login(client, teacher)
    url = f"/classes/{classroom.public_id}/code/"
    old = classroom.join_code
    response = client.post(url, {"valid_for": "7"}, follow=True)
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert classroom.join_code_expires_at is not None
    assert "New join code made" in response.text
    assert "<html" in response.text
    previous = classroom.join_code
    response = client.post(url, {"valid_for": ""}, headers=HTMX)
    classroom.refresh_from_db()
    assert classroom.join_code not in (old, previous)
    assert classroom.join_code_expires_at is None
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="join-code"')
    assert classroom.join_code in response.text
    assert "New join code made" in response.text
    response = client.post(url, {"valid_for": "1000"}, headers=HTMX)
    assert "Select a valid choice" in response.text
    classroom.refresh_from_db()
    assert classroom.join_code_expires_at is None


def test_add_co_instructor_plain_and_htmx(client, classroom, teacher):
    make_instructor(username="colleague")
    login(client, teacher)
    url = f"/classes/{classroom.public_id}/instructors/"
    response = client.post(url, {"username": "nobody"}, headers=HTMX)
    assert response.text.lstrip().startswith('<div id="instructors"')
    assert "There is no user called “nobody”" in response.text
    assert 'value="nobody"' in response.text
    response = client.post(url, {"username": "colleague"}, headers=HTMX)
    assert "colleague now teaches this class too." in response.text
    assert classroom.instructors.count() == 2
    response = client.post(url, {"username": "colleague"}, follow=True)
    assert "colleague already teaches this class." in response.text


def test_remove_co_instructor_and_yourself(client, classroom, teacher):
    colleague = make_instructor(username="colleague")
    classroom.instructors.add(colleague)
    login(client, teacher)
    response = client.post(
        f"/classes/{classroom.public_id}/instructors/{colleague.pk}/remove/", headers=HTMX
    )
    assert "colleague no longer teaches this class." in response.text
    response = client.post(
        f"/classes/{classroom.public_id}/instructors/{teacher.pk}/remove/", headers=HTMX
    )
    assert "A class needs at least one instructor" in response.text
    classroom.instructors.add(colleague)
    response = client.post(
        f"/classes/{classroom.public_id}/instructors/{teacher.pk}/remove/", headers=HTMX
    )
    assert response["HX-Redirect"] == "/classes/"
    assert list(classroom.instructors.all()) == [colleague]
    stranger = UserFactory()
    url = f"/classes/{classroom.public_id}/instructors/{stranger.pk}/remove/"
    login(client, colleague)
    assert client.post(url).status_code == 404


def test_remove_student_plain_and_htmx(client, classroom, teacher, student):
    other = EnrollmentFactory(classroom=classroom, student=UserFactory(username="kim")).student
    login(client, teacher)
    response = client.post(
        f"/classes/{classroom.public_id}/students/{student.pk}/remove/", headers=HTMX
    )
    assert response.text.lstrip().startswith('<div id="students"')
    assert "sam was removed from the class." in response.text
    assert "kim" in response.text
    response = client.post(f"/classes/{classroom.public_id}/students/{other.pk}/remove/")
    assert response.status_code == 302
    assert not Enrollment.objects.exists()
    # someone not in the class: 404, nothing changes
    assert (
        client.post(f"/classes/{classroom.public_id}/students/{student.pk}/remove/").status_code
        == 404
    )


def test_archive_and_restore(client, classroom, teacher):
    login(client, teacher)
    response = client.post(f"/classes/{classroom.public_id}/archive/", follow=True)
    assert "Class archived" in response.text
    assert "Restore the class" in response.text
    assert "this code does not work" in response.text
    client.post(f"/classes/{classroom.public_id}/restore/")
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_create_a_custom_assignment_through_the_form(client, bank, classroom, teacher):
    login(client, teacher)
    url = f"/classes/{classroom.public_id}/assignments/new/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Mock exam: 40 questions" in page.text
    section = bank[0].section
    data = {
        "title": "Week 1 check",
        "quiz": "custom",
        "question_count": "6",
        "learning_outcomes": ["LO1"],
        "sections": [section.pk],
        "time_limit_minutes": "9",
        "pass_mark": "",
        "feedback": "end",
        "opens_at": "2026-11-28T09:00",
        "closes_at": "2026-12-05T17:00",
        "max_attempts": "3",
        "counts": "best",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.title == "Week 1 check"
    assert assignment.opens_at == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert assignment.closes_at == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert assignment.max_attempts == 3
    blueprint = assignment.blueprint
    assert (blueprint.kind, blueprint.owner, blueprint.question_count) == ("custom", teacher, 6)
    assert (blueprint.pass_mark, blueprint.time_limit_minutes) == (4, 9)
    assert list(blueprint.sections.all()) == [section]
    # The edit form shows what was saved.
    edit = client.get(f"/classes/{classroom.public_id}/assignments/{assignment.pk}/edit/").text
    assert 'value="Week 1 check"' in edit
    assert 'value="2026-11-28T09:00"' in edit
    assert re.search(r'value="custom"[^>]*checked', edit)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quiz": "custom", "question_count": ""}, "Say how many questions the quiz has."),
        ({"quiz": "custom", "question_count": "4"}, "greater than or equal to 5"),
        ({"quiz": "custom", "question_count": "41"}, "less than or equal to 40"),
        ({"quiz": "custom", "question_count": "5", "pass_mark": "6"}, "cannot be more than"),
        ({"quiz": "custom", "question_count": "30"}, "Only 25 suitable questions"),
        ({"quiz": "mock"}, "The question bank needs building."),
        ({"closes_at": "2026-11-27T09:00"}, "closing time must be after the opening time"),
        ({"opens_at": "yesterday"}, "Enter a valid date/time."),
        ({"max_attempts": "0"}, "greater than or equal to 1"),
        ({"counts": "worst"}, "Select a valid choice"),
        ({"quiz": "both"}, "Select a valid choice"),
    ],
)
def test_bad_assignment_input_changes_nothing(client, bank, classroom, teacher, change, message):
    login(client, teacher)
    data = {
        "title": "T", "quiz": "custom", "question_count": "5", "feedback": "end",
        "opens_at": "2026-11-28T09:00", "counts": "best",
    }  # fmt: skip
    response = client.post(f"/classes/{classroom.public_id}/assignments/new/", {**data, **change})
    assert response.status_code == 200
    assert message in response.text
    assert not Assignment.objects.exists()
    assert not Blueprint.objects.filter(kind=Kind.CUSTOM).exists()


def test_edit_an_assignment_through_the_form(client, bank, classroom, teacher):
    assignment = custom_assignment(classroom, teacher)
    login(client, teacher)
    url = f"/classes/{classroom.public_id}/assignments/{assignment.pk}/edit/"
    data = {"title": "", "quiz": "custom", "question_count": "7", "counts": "last"}
    response = client.post(url, data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.title == "Custom quiz (7 questions)"
    assert assignment.counts == "last"
    assert assignment.blueprint.question_count == 7
    other = ClassroomFactory(instructors=[teacher])
    assert (
        client.get(f"/classes/{other.public_id}/assignments/{assignment.pk}/edit/").status_code
        == 404
    )


# -- pages: the class for its students ---------------------------------------------------------


def test_student_page_starts_resumes_and_shows_the_result(
    client, bank, classroom, teacher, student
):
    assignment = custom_assignment(classroom, teacher)
    login(client, student)
    page = client.get(classroom.get_absolute_url()).text
    assert "Taught by teacher" in page
    assert "Not started" in page
    assert "Leave ITIL Foundation, March" in page
    assert "Make a new code" not in page
    assert classroom.join_code not in page
    start = f"/classes/{classroom.public_id}/assignments/{assignment.pk}/start/"
    response = client.post(start)
    attempt = Attempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.assignment == assignment
    page = client.get(classroom.get_absolute_url()).text
    assert "In progress" in page
    assert f'href="/quiz/attempts/{attempt.public_id}/"' in page
    assert client.post(start)["Location"] == attempt.get_absolute_url()
    finish(attempt, right=5)
    result = client.get(f"/quiz/attempts/{attempt.public_id}/result/")
    assert result.status_code == 200
    assert "Week 1" in result.text
    page = client.get(classroom.get_absolute_url()).text
    assert "Passed" in page
    assert "5 / 5" in page
    assert f"/quiz/attempts/{attempt.public_id}/result/" in page


def test_a_refused_start_explains_why(client, bank, classroom, teacher, student):
    assignment = custom_assignment(classroom, teacher, opens_at=NOW + timedelta(days=1))
    login(client, student)
    with time_machine.travel(NOW, tick=False):
        page = client.get(classroom.get_absolute_url()).text
        assert "This assignment opens on 29 Nov 2026, 09:00." in page
        response = client.post(
            f"/classes/{classroom.public_id}/assignments/{assignment.pk}/start/", follow=True
        )
    assert "This assignment opens on 29 Nov 2026, 09:00." in response.text
    assert not Attempt.objects.exists()


# -- query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_class_pages_run_a_fixed_number_of_queries(
    client, bank, classroom, teacher, django_assert_max_num_queries, size
):
    assignments = [
        custom_assignment(classroom, teacher, title=f"A{n}") for n in range(size // 4 + 1)
    ]
    students = [EnrollmentFactory(classroom=classroom).student for _ in range(size)]
    for n, learner in enumerate(students):
        for assignment in assignments:
            attempt = classes.start_assignment_attempt(assignment=assignment, user=learner, now=NOW)
            if n % 2:
                finish(attempt, right=n % 6)
    for _ in range(size // 4):
        ClassroomFactory(instructors=[teacher])
    login(client, teacher)
    with django_assert_max_num_queries(7):
        assert client.get(classroom.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/classes/").status_code == 200
    with django_assert_max_num_queries(7):
        client.post(f"/classes/{classroom.public_id}/code/", headers=HTMX)
    login(client, students[-1])
    with django_assert_max_num_queries(5):
        assert client.get(classroom.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/classes/").status_code == 200


# -- manage.py make_instructor -----------------------------------------------------------------


def test_make_instructor_grants_the_role_idempotently(capsys):
    user = UserFactory(username="trainer")
    call_command("make_instructor", "trainer")
    call_command("make_instructor", "trainer")
    out = capsys.readouterr().out
    assert "trainer is now an instructor." in out
    assert "trainer was already an instructor." in out
    assert user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    call_command("make_instructor", "trainer", "--remove")
    assert not user.groups.filter(name=INSTRUCTORS_GROUP).exists()


def test_make_instructor_names_unknown_users_and_changes_nothing():
    UserFactory(username="trainer")
    with pytest.raises(
        CommandError, match=re.escape("No user called “ghost”; nothing was changed.")
    ):
        call_command("make_instructor", "trainer", "ghost")
    assert not Group.objects.filter(user__username="trainer").exists()
