"""Quiz pages: choose a quiz, take it one question at a time, submit, read the result.

Views stay thin: they parse input, call the workflows in quiz/attempts.py, and pick the page
or, for htmx, the partial to render.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .access import get_owned_attempt, get_viewable_attempt, owned_attempts, remember_attempt
from .attempts import (
    OPTION_LETTERS,
    AttemptClosed,
    InvalidAnswer,
    attempt_expire_if_due,
    attempt_record_answer,
    attempt_start,
    attempt_submit,
    attempt_toggle_flag,
)
from .forms import CustomQuizForm, MockExamForm
from .models import Blueprint, Choice, Response
from .models.blueprints import Kind, default_pass_mark, mock_exam, quick_practice
from .scoring import breakdown_by_outcome, breakdown_by_section, percent_of
from .selection import NotEnoughQuestions


@require_GET
def quiz_home(request):
    attempts = owned_attempts(request).select_related("blueprint")
    context = {
        "mock_form": MockExamForm(),
        "in_progress": list(attempts.in_progress()[:5]),
        "finished": list(attempts.finished()[:10]),
    }
    return render(request, "quiz/home.html", context)


@require_POST
def start(request, kind: str):
    if kind == Kind.MOCK:
        form = MockExamForm(request.POST)
        extra_time = form.is_valid() and form.cleaned_data["extra_time"]
        blueprint = mock_exam()
    elif kind == Kind.PRACTICE:
        blueprint, extra_time = quick_practice(), False
    else:
        return HttpResponseBadRequest("Unknown kind of quiz.")
    try:
        attempt = _begin(request, blueprint, extra_time=extra_time)
    except NotEnoughQuestions as error:
        messages.error(request, f"{error} The question bank needs building.")
        return redirect("quiz:home")
    return redirect(attempt)


@require_http_methods(["GET", "POST"])
def custom(request):
    form = CustomQuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        blueprint = Blueprint.objects.create(
            kind=Kind.CUSTOM,
            title="Custom quiz",
            question_count=data["question_count"],
            time_limit_minutes=data["time_limit_minutes"],
            pass_mark=default_pass_mark(data["question_count"]),
            feedback=data["feedback"],
            learning_outcomes=data["learning_outcomes"],
            owner=request.user if request.user.is_authenticated else None,
        )
        blueprint.sections.set(data["sections"])
        try:
            return redirect(_begin(request, blueprint))
        except NotEnoughQuestions as error:
            blueprint.delete()
            form.add_error(None, f"{error} Choose fewer questions or more of the syllabus.")
    return render(request, "quiz/custom.html", {"form": form})


def _begin(request, blueprint: Blueprint, *, extra_time: bool = False):
    attempt = attempt_start(
        blueprint=blueprint, user=request.user, now=timezone.now(), extra_time=extra_time
    )
    remember_attempt(request, attempt)
    return attempt


def _position(request, attempt) -> int | None:
    raw = request.POST.get("position") if request.method == "POST" else request.GET.get("n")
    if raw is None:
        return attempt.position
    try:
        position = int(raw)
    except ValueError:
        return None
    return position if 1 <= position <= attempt.question_count else None


@require_GET
def attempt_page(request, public_id):
    attempt = attempt_expire_if_due(
        attempt=get_owned_attempt(request, public_id), now=timezone.now()
    )
    if not attempt.is_in_progress:
        return redirect("quiz:result", public_id=attempt.public_id)
    position = _position(request, attempt)
    if position is None:
        return HttpResponseBadRequest("There is no such question in this attempt.")
    return render(request, "quiz/attempt.html", _question_context(attempt, position))


def _question_context(attempt, position: int, **extra) -> dict:
    responses = list(attempt.responses.only("position", "choice_id", "flagged", "question_id"))
    current = next(r for r in responses if r.position == position)
    question = (
        type(current.question)
        .objects.select_related("concept")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.all()))
        .get(pk=current.question_id)
    )
    by_id = {choice.pk: choice for choice in question.choices.all()}
    options = [
        (letter, by_id[choice_id])
        for letter, choice_id in zip(OPTION_LETTERS, current.choice_order, strict=False)
    ]
    selected = next((letter for letter, c in options if c.pk == current.choice_id), None)
    show_feedback = attempt.shows_feedback_per_question and current.choice_id is not None
    answered = sum(1 for r in responses if r.choice_id)
    return {
        "attempt": attempt,
        "responses": responses,
        "current": current,
        "question": question,
        "options": options,
        "selected": selected,
        "show_feedback": show_feedback,
        "position": position,
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < attempt.question_count else None,
        "answered_count": answered,
        "seconds_left": attempt.seconds_left(timezone.now()),
        **extra,
    }


def _closed(request, attempt, message: str):
    if request.htmx:
        # htmx follows to the result, which shows the reason among the messages.
        messages.error(request, message)
        response = HttpResponseClientRedirect(reverse("quiz:result", args=[attempt.public_id]))
        response.status_code = 409
        return response
    return render(request, "quiz/closed.html", {"attempt": attempt, "message": message}, status=409)


def _already_answered(request, attempt, position: int):
    """A second answer to a practice question (another tab, the back button): the attempt is
    still open, so back to that question, which shows the first answer and its feedback."""
    messages.info(
        request, "You had already answered this question: your first answer stands, unchanged."
    )
    url = _question_url(attempt, position)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
def answer(request, public_id):
    attempt = get_owned_attempt(request, public_id)
    position = _position(request, attempt)
    if position is None or "position" not in request.POST:
        return HttpResponseBadRequest("There is no such question in this attempt.")
    letter = request.POST.get("answer", "")
    now = timezone.now()
    if not letter:
        # A plain "next" without choosing anything: just move on.
        return redirect(_question_url(attempt, min(position + 1, attempt.question_count)))
    try:
        attempt_record_answer(attempt=attempt, position=position, letter=letter, now=now)
    except InvalidAnswer as error:
        return HttpResponseBadRequest(str(error))
    except AttemptClosed as error:
        # A closed attempt is no longer in progress (attempt_record_answer expires it when due);
        # one still in progress refused the answer because practice keeps the first one.
        if attempt.is_in_progress:
            return _already_answered(request, attempt, position)
        return _closed(request, attempt, str(error))
    if request.htmx:
        context = _question_context(attempt, position, saved_at=now, oob="save_status")
        partial = "question" if attempt.shows_feedback_per_question else "save_status"
        return render(request, f"quiz/attempt.html#{partial}", context)
    if attempt.shows_feedback_per_question:
        return redirect(_question_url(attempt, position))
    return redirect(_question_url(attempt, min(position + 1, attempt.question_count)))


@require_POST
def flag(request, public_id):
    attempt = get_owned_attempt(request, public_id)
    position = _position(request, attempt)
    if position is None or "position" not in request.POST:
        return HttpResponseBadRequest("There is no such question in this attempt.")
    try:
        attempt_toggle_flag(attempt=attempt, position=position, now=timezone.now())
    except AttemptClosed as error:
        return _closed(request, attempt, str(error))
    if request.htmx:
        context = _question_context(attempt, position, oob="flag")
        return render(request, "quiz/attempt.html#flag", context)
    return redirect(_question_url(attempt, position))


def _question_url(attempt, position: int) -> str:
    return f"{attempt.get_absolute_url()}?n={position}"


@require_http_methods(["GET", "POST"])
def submit(request, public_id):
    attempt = attempt_expire_if_due(
        attempt=get_owned_attempt(request, public_id), now=timezone.now()
    )
    if request.method == "POST":
        if attempt.is_in_progress:
            attempt = attempt_submit(attempt=attempt, now=timezone.now())
            if request.POST.get("reason") == "timeout":
                messages.info(request, "Time is up. Your answers were submitted.")
            else:
                messages.success(request, "Your answers were submitted.")
        return redirect("quiz:result", public_id=attempt.public_id)
    if not attempt.is_in_progress:
        return redirect("quiz:result", public_id=attempt.public_id)
    responses = list(attempt.responses.only("position", "choice_id", "flagged"))
    context = {
        "attempt": attempt,
        "responses": responses,
        "unanswered": [r.position for r in responses if r.choice_id is None],
        "answered": sum(1 for r in responses if r.choice_id is not None),
        "flagged": [r.position for r in responses if r.flagged],
        "seconds_left": attempt.seconds_left(timezone.now()),
    }
    return render(request, "quiz/submit.html", context)


@require_GET
def result(request, public_id):
    attempt = attempt_expire_if_due(
        attempt=get_viewable_attempt(request, public_id), now=timezone.now()
    )
    if attempt.is_in_progress:
        return redirect(attempt)
    responses = list(
        Response.objects.filter(attempt=attempt)
        .select_related("question__concept", "choice")
        .prefetch_related("question__choices__concept")
    )
    for response in responses:
        by_id = {choice.pk: choice for choice in response.question.choices.all()}
        response.options = [
            (letter, by_id[choice_id])
            for letter, choice_id in zip(OPTION_LETTERS, response.choice_order, strict=False)
        ]
    counts = Response.objects.filter(attempt=attempt).aggregate(
        answered=Count("pk", filter=Q(choice__isnull=False)),
        flagged=Count("pk", filter=Q(flagged=True)),
    )
    context = {
        "attempt": attempt,
        "responses": responses,
        "by_outcome": breakdown_by_outcome(attempt),
        "by_section": breakdown_by_section(attempt),
        "percent": percent_of(attempt.score or 0, attempt.question_count),
        **counts,
    }
    return render(request, "quiz/result.html", context)
