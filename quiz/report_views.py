"""Instructors' report pages on a class: overview and roster, one student, what the class gets
wrong, and CSV exports. Every view reads the class through `get_taught_classroom` (its
instructors, and staff read-only); everyone else gets a 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .access import get_taught_classroom
from .charts import BarSpec, bar_chart
from .models import Attempt, Enrollment
from .models.attempts import State
from .reports import (
    DISCRIMINATION_LOW,
    FACILITY_HIGH,
    FACILITY_LOW,
    ITEM_MIN_ANSWERS,
    ROSTER_SORTS,
    WEAK_MIN_ANSWERS,
    Status,
    assignment_summary,
    csv_lines,
    filter_roster,
    item_analysis,
    mastery_by_outcome,
    mastery_by_section,
    responses_csv_rows,
    responses_export_sizes,
    roster_csv_rows,
    roster_queryset,
    score_percent,
    sort_roster,
    statistics_attempts,
    student_attempts,
    weakest_concepts,
)

ALL = "all"
# Scores and times read best highest first; names and statuses from the top of the list.
DESCENDING_FIRST = {"attempts", "counted", "best", "last", "time"}


class ReportFilterForm(forms.Form):
    """The query string of the report pages; a bad value falls back to its default."""

    assignment = forms.ChoiceField(required=False, label="Assignment")
    status = forms.ChoiceField(
        required=False, label="Status", choices=[("", "Everyone"), *Status.CHOICES]
    )
    q = forms.CharField(required=False, max_length=100, label="Find a student")
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in ROSTER_SORTS for key in (name, f"-{name}")],
    )
    attempts = forms.ChoiceField(
        required=False,
        label="Attempts",
        choices=[("first", "Each student's first attempt"), (ALL, "Every attempt")],
    )

    def __init__(self, data, *, assignments, allow_all: bool = False):
        super().__init__(data)
        choices = [(str(a.pk), a.title) for a in assignments]
        if allow_all:
            choices.append((ALL, "All assignments"))
        self.fields["assignment"].choices = choices
        self.assignments = {str(a.pk): a for a in assignments}
        self.is_valid()

    def value(self, name: str, default=""):
        return self.cleaned_data.get(name) or default

    def chosen_assignment(self):
        """The chosen assignment, ALL, or the class's latest assignment by default."""
        chosen = self.value("assignment")
        if chosen == ALL:
            return ALL
        if chosen:
            return self.assignments[chosen]
        return next(iter(self.assignments.values()), None)

    @property
    def error_messages(self) -> list[str]:
        return [
            f"{self.fields[name].label or name}: {error} The default is shown instead."
            for name, errors in self.errors.items()
            for error in errors
        ]


def _assignments(classroom) -> list:
    return list(classroom.assignments.select_related("blueprint"))


def _query(**params) -> str:
    kept = {key: value for key, value in params.items() if value not in ("", None)}
    return f"?{urlencode(kept)}" if kept else "?"


@require_GET
@login_required
@vary_on_headers("HX-Request")
def overview(request, public_id):
    classroom = get_taught_classroom(request, public_id)
    assignments = _assignments(classroom)
    form = ReportFilterForm(request.GET, assignments=assignments)
    assignment = form.chosen_assignment()
    status, search, sort = form.value("status"), form.value("q"), form.value("sort", "name")
    context = {
        "classroom": classroom,
        "assignments": assignments,
        "assignment": assignment,
        "form": form,
        "status": status,
        "search": search,
        "sort": sort,
        "status_choices": Status.CHOICES,
    }
    if assignment is not None:
        rows = sort_roster(
            filter_roster(roster_queryset(assignment), status=status, search=search), sort
        )
        base = {"assignment": assignment.pk, "status": status, "q": search}
        rows = list(rows)
        for row in rows:  # as the student's own result page shows it
            row.counted_percent = score_percent(row.counted_score, row.counted_total)
        context.update(
            rows=rows,
            columns=_sort_columns(sort, base),
            base_query=_query(**base, sort=sort),
        )
        if not request.htmx:
            summary = assignment_summary(assignment)
            # The export links say how big each file is: a large class's runs to many rows.
            answers, all_answers = responses_export_sizes(classroom, assignment)
            context.update(
                summary=summary,
                chart=_distribution_chart(summary),
                export_rows={"answers": answers, "all_answers": all_answers},
            )
    template = "reports/overview.html#roster" if request.htmx else "reports/overview.html"
    return render(request, template, context)


def _sort_columns(sort: str, base: dict) -> list[dict]:
    """Each sortable column: its label, the link that sorts by it, and its aria-sort."""
    columns = []
    for key, label in ROSTER_SORTS.items():
        if sort == key:
            state, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = "", f"-{key}" if key in DESCENDING_FIRST else key
        columns.append(
            {"key": key, "label": label, "state": state, "url": _query(**base, sort=next_sort)}
        )
    return columns


def _distribution_chart(summary):
    bands = summary.bands()
    specs = []
    for band in bands:
        students = f"{band.students} student{'' if band.students == 1 else 's'}"
        verdict = "pass" if band.passing else "below the pass mark"
        specs.append(
            BarSpec(
                label=band.label,
                short_label=str(band.low),
                value=band.students,
                kind="pass" if band.passing else "fail",
                title=f"Score {band.label}: {students} ({verdict})",
            )
        )
    first_passing = next((i for i, band in enumerate(bands) if band.passing), None)
    return {
        "bands": bands,
        "svg": bar_chart(
            specs, marker_before=first_passing, marker_label=f"Pass mark {summary.pass_mark}"
        ),
    }


@require_GET
@login_required
def student(request, public_id, student_id: int):
    classroom = get_taught_classroom(request, public_id)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("student"), classroom=classroom, student_id=student_id
    )
    attempts = list(student_attempts(classroom, enrollment.student))
    finished = Attempt.objects.filter(user_id=student_id, assignment__classroom=classroom).exclude(
        state=State.IN_PROGRESS
    )
    context = {
        "classroom": classroom,
        "student": enrollment.student,
        "enrollment": enrollment,
        "attempts": attempts,
        "by_outcome": mastery_by_outcome(finished),
    }
    return render(request, "reports/student.html", context)


@require_GET
@login_required
def questions(request, public_id):
    classroom = get_taught_classroom(request, public_id)
    assignments = _assignments(classroom)
    form = ReportFilterForm(request.GET, assignments=assignments, allow_all=True)
    assignment = form.chosen_assignment()
    all_attempts = form.value("attempts") == ALL
    context = {
        "classroom": classroom,
        "assignments": assignments,
        "assignment": assignment,
        "form": form,
        "all_attempts": all_attempts,
        "limits": {
            "facility_low": FACILITY_LOW,
            "facility_high": FACILITY_HIGH,
            "discrimination_low": DISCRIMINATION_LOW,
            "item_min_answers": ITEM_MIN_ANSWERS,
            "weak_min_answers": WEAK_MIN_ANSWERS,
        },
    }
    if assignment is not None:
        attempts = statistics_attempts(
            classroom, None if assignment == ALL else assignment, all_attempts=all_attempts
        )
        items = item_analysis(attempts)
        context.update(
            attempt_count=attempts.count(),
            by_outcome=mastery_by_outcome(attempts),
            by_section=mastery_by_section(attempts),
            weakest=weakest_concepts(attempts),
            items=items,
            flagged_count=sum(1 for item in items if item.flagged),
            too_few_count=sum(1 for item in items if item.too_few_answers),
        )
    return render(request, "reports/questions.html", context)


def _filename(classroom, kind: str, *parts: str) -> str:
    name = "-".join([slugify(classroom.name) or "class", kind, *filter(None, map(slugify, parts))])
    return f"{name}-{timezone.localdate().isoformat()}.csv"


def _csv_headers(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


@require_GET
@login_required
def roster_csv(request, public_id):
    classroom = get_taught_classroom(request, public_id)
    assignments = _assignments(classroom)
    form = ReportFilterForm(request.GET, assignments=assignments)
    if form.errors or not assignments:
        raise Http404("No such assignment in this class.")
    assignment = form.chosen_assignment()
    assignment.classroom = classroom
    lines = csv_lines(roster_csv_rows(assignment))
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    return _csv_headers(response, _filename(classroom, "roster", assignment.title))


@require_GET
@login_required
def responses_csv(request, public_id):
    classroom = get_taught_classroom(request, public_id)
    assignments = _assignments(classroom)
    form = ReportFilterForm(request.GET, assignments=assignments, allow_all=True)
    if form.errors:
        raise Http404("No such assignment in this class.")
    chosen = form.value("assignment", ALL)
    assignment = None if chosen == ALL else form.assignments[chosen]
    lines = csv_lines(responses_csv_rows(classroom, assignment))
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    title = assignment.title if assignment else "all"
    return _csv_headers(response, _filename(classroom, "responses", title))


def _with_bom(lines):
    yield BOM
    yield from lines
