"""A learner's progress page, and the one-click review of their weak spots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from .progress import (
    PASS_PERCENT,
    READINESS_MOCKS,
    WEAK_MIN_ANSWERS,
    WEAK_SPOT_QUESTIONS,
    NotEnoughData,
    finished_attempts,
    mastery_by_outcome,
    readiness,
    score_trend_chart,
    start_weak_spot_review,
    weakest_concepts,
)

HISTORY_PAGE_SIZE = 20


@require_GET
@login_required
@vary_on_headers("HX-Request")
def progress(request):
    history = Paginator(finished_attempts(request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if request.htmx:
        return render(request, "progress/home.html#history", {"history": history})
    context = {
        "history": history,
        "chart": score_trend_chart(request.user),
        "mastery": mastery_by_outcome(request.user),
        "weakest": weakest_concepts(request.user),
        "readiness": readiness(request.user),
        "pass_percent": PASS_PERCENT,
        "readiness_mocks": READINESS_MOCKS,
        "weak_min_answers": WEAK_MIN_ANSWERS,
        "weak_spot_questions": WEAK_SPOT_QUESTIONS,
    }
    return render(request, "progress/home.html", context)


@require_POST
@login_required
def weak_spots(request):
    try:
        attempt = start_weak_spot_review(user=request.user, now=timezone.now())
    except NotEnoughData as error:
        messages.error(request, str(error))
        return redirect("progress:home")
    return redirect(attempt)
