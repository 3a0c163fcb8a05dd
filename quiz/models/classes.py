"""Classes: an instructor's group of students, their join code, and assigned quizzes."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from .blueprints import Blueprint

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out in a classroom.
JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 10  # 10 x 5 bits = 50 bits, well past guessing


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What a student typed, as stored: upper case, no spaces or dashes, O->0, I/L->1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user) -> ClassroomQuerySet:
        return self.filter(instructors=user) if user.is_authenticated else self.none()

    def attended_by(self, user) -> ClassroomQuerySet:
        return self.filter(students=user) if user.is_authenticated else self.none()

    def active(self) -> ClassroomQuerySet:
        return self.filter(archived_at__isnull=True)


class Classroom(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    join_code_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this, the code no longer lets anyone join."
    )
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught")
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrollment", related_name="classes_attended"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classes:detail", args=[self.public_id])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def join_code_is_open(self, now: datetime) -> bool:
        if self.is_archived:
            return False
        return self.join_code_expires_at is None or now < self.join_code_expires_at


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "student__username"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="one_enrollment"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Counting(models.TextChoices):
    BEST = "best", "Best attempt"
    LAST = "last", "Last attempt"


# How to order a student's finished attempts so the one that counts comes first.
BEST_FIRST = ("-score", "started_at", "pk")  # highest score; the earlier one on a tie
LAST_FIRST = ("-started_at", "-pk")


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="assignments")
    title = models.CharField(max_length=120)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True)
    counts = models.CharField(max_length=4, choices=Counting.choices, default=Counting.BEST)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.classroom})"

    def is_open(self, now: datetime) -> bool:
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class JoinAttempt(models.Model):
    """Every try at a join code, so repeated wrong guesses can be throttled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.at:%Y-%m-%d %H:%M} ({'ok' if self.succeeded else 'wrong'})"
