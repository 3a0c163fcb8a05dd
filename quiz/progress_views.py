"""A learner's progress page (placeholder until the progress work lands)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def progress(request):
    return render(request, "quiz/placeholder.html", {"title": "Progress"})
