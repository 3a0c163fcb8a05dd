"""Class pages: the class list, a class for its instructors and for its students, joining
with a code or a link, and assignments.

Views stay thin: they check who may do what through quiz/access.py, call the workflows in
quiz/classes.py, and pick the page or, for htmx, the partial to render.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from . import classes
from .access import (
    CLASS_ROLE_INSTRUCTOR,
    CLASS_ROLE_STUDENT,
    get_class_assignment,
    get_classroom_for_role,
    get_taught_classroom,
    is_instructor,
)
from .class_forms import AssignmentForm, ClassroomForm, InstructorForm, JoinCodeForm, JoinForm
from .models import Assignment, Attempt, Classroom, Enrollment
from .models.attempts import State
from .models.classes import Counting

DETAIL = "classes/detail_instructor.html"
# How a refused join shows: an unknown code is "not found", a throttled user "too many".
JOIN_REFUSAL_STATUS = {"unknown": 404, "throttled": 429}


def _get_student_classroom(request, public_id) -> Classroom:
    classroom, role = get_classroom_for_role(request, public_id)
    if role != CLASS_ROLE_STUDENT:
        raise Http404("No such class.")
    return classroom


# -- the class list ------------------------------------------------------------------------


@require_GET
@login_required
def class_list(request):
    return render(request, "classes/list.html", _list_context(request))


def _list_context(request, **extra) -> dict:
    user = request.user
    teaching = is_instructor(user)
    taught = []
    if teaching:
        taught = list(
            Classroom.objects.taught_by(user).annotate(
                student_count=Count("enrollments", distinct=True),
                assignment_count=Count("assignments", distinct=True),
            )
        )
    for classroom in taught:
        classroom.code_display = _grouped(classroom.join_code)
    attended = list(Classroom.objects.attended_by(user).order_by("name", "pk"))
    rows = classes.student_assignments(
        assignments=Assignment.objects.filter(classroom__in=[c.pk for c in attended]),
        user=user,
        now=timezone.now(),
    )
    by_class = {pk: list(group) for pk, group in groupby(rows, lambda r: r.assignment.classroom_id)}
    context = {
        "is_instructor": teaching,
        "taught": [c for c in taught if not c.is_archived],
        "taught_archived": [c for c in taught if c.is_archived],
        "attended": [(c, by_class.get(c.pk, [])) for c in attended],
        "create_form": ClassroomForm(),
        "join_form": JoinForm(),
    }
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
@login_required
def class_create(request):
    if not is_instructor(request.user):
        raise Http404("Only instructors can create classes.")
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = classes.classroom_create(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            instructor=request.user,
        )
        messages.success(request, f"Class “{classroom.name}” created. Share its join code.")
        return redirect(classroom)
    return render(request, "classes/class_form.html", {"form": form, "classroom": None})


# -- joining -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def join(request):
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            classroom, joined = classes.classroom_join(
                user=request.user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except classes.JoinRefused as refusal:
            form.add_error("code", str(refusal))
            status = JOIN_REFUSAL_STATUS.get(refusal.reason, 200)
        else:
            return _joined(request, classroom, joined)
    return render(request, "classes/join.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def join_link(request, code: str):
    """A shared link: GET shows which class it is, the button POSTs to join it."""
    now = timezone.now()
    try:
        if request.method == "POST":
            classroom, joined = classes.classroom_join(user=request.user, code=code, now=now)
            return _joined(request, classroom, joined)
        classroom = classes.classroom_for_code(user=request.user, code=code, now=now)
    except classes.JoinRefused as refusal:
        form = JoinForm(initial={"code": code[:40]})
        status = JOIN_REFUSAL_STATUS.get(refusal.reason, 200)
        context = {"form": form, "refusal": str(refusal)}
        return render(request, "classes/join.html", context, status=status)
    if Enrollment.objects.filter(classroom=classroom, student=request.user).exists():
        messages.info(request, f"You are already a student of “{classroom.name}”.")
        return redirect(classroom)
    instructors = classroom.instructors.order_by("username")
    context = {"classroom": classroom, "code": code, "instructors": instructors}
    return render(request, "classes/join_confirm.html", context)


def _joined(request, classroom: Classroom, joined: bool):
    if joined:
        messages.success(request, f"You joined “{classroom.name}”.")
    else:
        messages.info(request, f"You are already a student of “{classroom.name}”.")
    return redirect(classroom)


@require_POST
@login_required
def leave(request, public_id):
    classroom = _get_student_classroom(request, public_id)
    classes.classroom_leave(classroom=classroom, student=request.user)
    messages.success(request, f"You left “{classroom.name}”.")
    return redirect("classes:list")


# -- one class -----------------------------------------------------------------------------


@require_GET
@login_required
def class_detail(request, public_id):
    classroom, role = get_classroom_for_role(request, public_id)
    if role == CLASS_ROLE_STUDENT:
        return _student_page(request, classroom)
    can_manage = role == CLASS_ROLE_INSTRUCTOR
    return render(request, DETAIL, _instructor_context(request, classroom, can_manage=can_manage))


def _student_page(request, classroom: Classroom):
    rows = classes.student_assignments(
        assignments=Assignment.objects.filter(classroom=classroom),
        user=request.user,
        now=timezone.now(),
    )
    context = {
        "classroom": classroom,
        "assignments": rows,
        "instructors": list(classroom.instructors.order_by("username")),
    }
    return render(request, "classes/detail_student.html", context)


def _instructor_context(
    request, classroom: Classroom, *, can_manage: bool, partial: str | None = None, **extra
) -> dict:
    """Everything the instructor's page shows; querysets stay lazy and the results are only
    gathered for the whole page, so an htmx partial runs just the queries it needs."""
    join_path = reverse("classes:join_link", args=[classroom.join_code])
    context = {
        "classroom": classroom,
        "can_manage": can_manage,
        "now": timezone.now(),
        "join_url": request.build_absolute_uri(join_path),
        "code_display": _grouped(classroom.join_code),
        "code_form": JoinCodeForm(),
        "instructor_form": InstructorForm(),
        "instructors": classroom.instructors.order_by("username"),
        "enrollments": classroom.enrollments.select_related("student").order_by(
            "student__username"
        ),
    }
    if partial is None:
        context["enrollments"] = list(context["enrollments"])  # counted for the summaries
        context["assignments"] = _assignments_with_results(
            classroom, students=len(context["enrollments"])
        )
    context.update(extra)
    return context


def _grouped(code: str) -> str:
    """A join code in groups of four, easier to read out: 7K2M-9QXA-3B."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _assignments_with_results(classroom: Classroom, *, students: int) -> list[Assignment]:
    """The class's assignments, each with `results`: one row per student who tried it
    (attempts, best, last and counted score, pass), and `summary`, the line above the table
    (`students` is the class's size). Two queries whatever the class size."""
    assignments = list(
        classroom.assignments.select_related("blueprint").annotate(
            attempt_count=Count("attempts", filter=Q(attempts__user__isnull=False))
        )
    )
    finished = (
        Attempt.objects.filter(assignment_id=OuterRef("assignment_id"), user_id=OuterRef("user_id"))
        .finished()
        .exclude(score__isnull=True)
    )
    best, last = finished.order_by(*classes.BEST_FIRST), finished.order_by(*classes.LAST_FIRST)
    rows = (
        Attempt.objects.filter(
            assignment__classroom=classroom,
            user__in=classroom.enrollments.values("student_id"),
        )
        .values("assignment_id", "user_id", "user__username", "user__first_name", "user__last_name")
        .annotate(
            attempts=Count("pk"),
            in_progress=Count("pk", filter=Q(state=State.IN_PROGRESS)),
            best=Subquery(best.values("score")[:1]),
            best_passed=Subquery(best.values("passed")[:1]),
            last=Subquery(last.values("score")[:1]),
            last_passed=Subquery(last.values("passed")[:1]),
            last_id=Subquery(last.values("public_id")[:1]),
        )
        .order_by("assignment_id", "user__username")
    )
    counts_last = {a.pk for a in assignments if a.counts == Counting.LAST}
    by_assignment: dict[int, list[dict]] = {}
    for row in rows:
        row["name"] = f"{row['user__first_name']} {row['user__last_name']}".strip()
        if row["assignment_id"] in counts_last:
            row["counted"], row["passed"] = row["last"], row["last_passed"]
        else:
            row["counted"], row["passed"] = row["best"], row["best_passed"]
        by_assignment.setdefault(row["assignment_id"], []).append(row)
    for assignment in assignments:
        assignment.results = by_assignment.get(assignment.pk, [])
        assignment.summary = classes.ResultsSummary.of(
            assignment.results, students=students, questions=assignment.blueprint.question_count
        )
        # A long table starts folded: the summary line says enough to scan a big class.
        assignment.results_open = len(assignment.results) <= classes.RESULTS_SHOWN_OPEN
    return assignments


def _manage_reply(request, classroom: Classroom, partial: str, **extra):
    """After a change: the changed part for htmx, otherwise back to the class page."""
    if request.htmx:
        context = _instructor_context(request, classroom, can_manage=True, partial=partial, **extra)
        return render(request, f"{DETAIL}#{partial}", context)
    for level, text in (("success", extra.get("notice")), ("error", extra.get("problem"))):
        if text:
            getattr(messages, level)(request, text)
    return redirect(classroom)


@require_http_methods(["GET", "POST"])
@login_required
def class_edit(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    form = ClassroomForm(request.POST or None, instance=classroom)
    if request.method == "POST" and form.is_valid():
        classes.classroom_update(
            classroom=classroom,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, "Class details saved.")
        return redirect(classroom)
    return render(request, "classes/class_form.html", {"form": form, "classroom": classroom})


@require_POST
@login_required
def regenerate_code(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    form = JoinCodeForm(request.POST)
    if not form.is_valid():
        return _manage_reply(request, classroom, "join_code", code_form=form, problem=_errors(form))
    classes.classroom_regenerate_code(
        classroom=classroom, now=timezone.now(), valid_for=form.duration()
    )
    notice = "New join code made: the old code and link no longer work."
    return _manage_reply(request, classroom, "join_code", notice=notice)


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@require_POST
@login_required
def add_instructor(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    form = InstructorForm(request.POST)
    if form.is_valid():
        try:
            user = classes.classroom_add_instructor(
                classroom=classroom, username=form.cleaned_data["username"]
            )
        except classes.ClassError as problem:
            form.add_error("username", str(problem))
        else:
            notice = f"{user.username} now teaches this class too."
            return _manage_reply(request, classroom, "instructors", notice=notice)
    return _manage_reply(
        request, classroom, "instructors", instructor_form=form, problem=_errors(form)
    )


def _class_member(queryset, user_id: int):
    user = queryset.filter(pk=user_id).first()
    if user is None:
        raise Http404("No such person in this class.")
    return user


@require_POST
@login_required
def remove_instructor(request, public_id, user_id: int):
    classroom = get_taught_classroom(request, public_id, manage=True)
    user = _class_member(classroom.instructors.all(), user_id)
    try:
        classes.classroom_remove_instructor(classroom=classroom, user=user)
    except classes.ClassError as problem:
        return _manage_reply(request, classroom, "instructors", problem=str(problem))
    if user == request.user:
        messages.success(request, f"You no longer teach “{classroom.name}”.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("classes:list"))
        return redirect("classes:list")
    notice = f"{user.username} no longer teaches this class."
    return _manage_reply(request, classroom, "instructors", notice=notice)


@require_POST
@login_required
def remove_student(request, public_id, user_id: int):
    classroom = get_taught_classroom(request, public_id, manage=True)
    student = _class_member(
        get_user_model().objects.filter(enrollments__classroom=classroom), user_id
    )
    classes.classroom_remove_student(classroom=classroom, student=student)
    notice = f"{student.username} was removed from the class."
    return _manage_reply(request, classroom, "students", notice=notice)


@require_POST
@login_required
def archive(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    classes.classroom_archive(classroom=classroom, now=timezone.now())
    messages.success(
        request,
        "Class archived: its code no longer works and its assignments are closed. "
        "You can restore it at any time.",
    )
    return redirect(classroom)


@require_POST
@login_required
def restore(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    classes.classroom_restore(classroom=classroom)
    messages.success(request, "Class restored: its code works again.")
    return redirect(classroom)


# -- assignments -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def assignment_create(request, public_id):
    classroom = get_taught_classroom(request, public_id, manage=True)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = classes.assignment_create(
                classroom=classroom, created_by=request.user, **form.workflow_kwargs()
            )
        except classes.ClassError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"“{assignment.title}” assigned to the class.")
            return redirect(classroom)
    context = {"form": form, "classroom": classroom, "assignment": None}
    return render(request, "classes/assignment_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def assignment_edit(request, public_id, assignment_id: int):
    classroom = get_taught_classroom(request, public_id, manage=True)
    assignment = get_class_assignment(classroom, assignment_id)
    form = AssignmentForm.for_assignment(assignment, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classes.assignment_update(
                assignment=assignment, changed_by=request.user, **form.workflow_kwargs()
            )
        except classes.ClassError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"“{assignment.title}” saved.")
            return redirect(classroom)
    context = {"form": form, "classroom": classroom, "assignment": assignment}
    return render(request, "classes/assignment_form.html", context)


@require_POST
@login_required
def assignment_start(request, public_id, assignment_id: int):
    classroom = _get_student_classroom(request, public_id)
    assignment = get_class_assignment(classroom, assignment_id)
    try:
        attempt = classes.start_assignment_attempt(
            assignment=assignment, user=request.user, now=timezone.now()
        )
    except classes.StartRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(classroom)
    return redirect(attempt)
