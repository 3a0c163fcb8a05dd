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


# -- classes ---------------------------------------------------------------------------------

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user) -> bool:
    """Instructors are the members of the Instructors group (admin or `make_instructor`)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_instructor", None)
    if cached is None:
        cached = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
        user._is_instructor = cached
    return cached


def get_taught_classroom(request, public_id, *, manage: bool = False):
    """A class the requester teaches. Staff may also read any class (not change it).

    Anyone else gets a 404, never a 403 that would confirm the class exists.
    """
    from .models import Classroom

    user = request.user
    if not user.is_authenticated:
        raise Http404("No such class.")
    classrooms = Classroom.objects.all()
    if not (user.is_staff and not manage):
        classrooms = classrooms.taught_by(user)
    classroom = classrooms.filter(public_id=public_id).first()
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def get_attended_classroom(request, public_id):
    """A class the requester is a student of."""
    from .models import Classroom

    classroom = Classroom.objects.attended_by(request.user).filter(public_id=public_id).first()
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def viewable_attempts(request):
    """Attempts the requester may read: their own, those made for assignments of classes
    they teach, and (staff) every class attempt."""
    user = request.user
    own = owned_attempts(request)
    if not user.is_authenticated:
        return own
    if user.is_staff:
        return Attempt.objects.filter(pk__in=own.values("pk")) | Attempt.objects.filter(
            assignment__isnull=False
        )
    return Attempt.objects.filter(pk__in=own.values("pk")) | Attempt.objects.filter(
        assignment__classroom__instructors=user
    )


def get_viewable_attempt(request, public_id) -> Attempt:
    attempt = (
        viewable_attempts(request)
        .filter(public_id=public_id)
        .select_related("blueprint", "user")
        .distinct()
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


# -- classes: added by part A (class pages and assignments) ----------------------------------

CLASS_ROLE_INSTRUCTOR = "instructor"  # teaches it: may read and change
CLASS_ROLE_STAFF = "staff"  # site staff who do not teach it: may read, not change
CLASS_ROLE_STUDENT = "student"


def get_classroom_for_role(request, public_id):
    """A class and the requester's role in it: instructor, student, or staff (read-only).

    Teaching wins over attending, attending over staff reading. Anyone else gets a 404.
    """
    from django.db.models import Exists, OuterRef

    from .models import Classroom, Enrollment

    user = request.user
    if not user.is_authenticated:
        raise Http404("No such class.")
    classroom = (
        Classroom.objects.filter(public_id=public_id)
        .annotate(
            requester_teaches=Exists(
                Classroom.instructors.through.objects.filter(
                    classroom_id=OuterRef("pk"), user_id=user.pk
                )
            ),
            requester_attends=Exists(
                Enrollment.objects.filter(classroom_id=OuterRef("pk"), student_id=user.pk)
            ),
        )
        .first()
    )
    if classroom is None:
        raise Http404("No such class.")
    if classroom.requester_teaches:
        return classroom, CLASS_ROLE_INSTRUCTOR
    if classroom.requester_attends:
        return classroom, CLASS_ROLE_STUDENT
    if user.is_staff:
        return classroom, CLASS_ROLE_STAFF
    raise Http404("No such class.")


def get_class_assignment(classroom, assignment_id):
    """An assignment of `classroom` (already checked by the caller), or a 404."""
    from .models import Assignment

    assignment = (
        Assignment.objects.filter(classroom=classroom, pk=assignment_id)
        .select_related("blueprint")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    assignment.classroom = classroom
    return assignment
