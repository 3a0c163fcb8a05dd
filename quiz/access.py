"""Who may see which attempt: its signed-in owner, or the browser session that started it.

Anonymous attempts are remembered in the session and move to the account when the learner
signs in or signs up (see `claim_session_attempts`, connected to `user_logged_in`).
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404

from .models import Attempt

SESSION_KEY = "quiz_attempts"


def owned_attempts(request):
    """The attempts the requester owns; anyone else's are invisible (404, never 403)."""
    if request.user.is_authenticated:
        return Attempt.objects.filter(user=request.user)
    return Attempt.objects.filter(user__isnull=True, public_id__in=session_attempt_ids(request))


def get_owned_attempt(request, public_id, queryset=None) -> Attempt:
    queryset = queryset if queryset is not None else Attempt.objects.all()
    attempt = queryset.filter(pk__in=owned_attempts(request).values("pk")).filter(
        public_id=public_id
    )
    found = attempt.select_related("blueprint").first()
    if found is None:
        raise Http404("No such attempt.")
    return found


def session_attempt_ids(request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def remember_attempt(request, attempt: Attempt) -> None:
    if not request.user.is_authenticated:
        # Keep the list short: a browser rarely has more than a few anonymous attempts.
        ids = [*session_attempt_ids(request), str(attempt.public_id)][-50:]
        request.session[SESSION_KEY] = ids


@receiver(user_logged_in)
def claim_session_attempts(sender, request, user, **kwargs) -> None:
    """Attempts made before signing in now belong to the account."""
    if request is None or not hasattr(request, "session"):
        return
    ids = session_attempt_ids(request)
    if ids:
        Attempt.objects.filter(user__isnull=True, public_id__in=ids).update(user=user)
        request.session.pop(SESSION_KEY, None)
