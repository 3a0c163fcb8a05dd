"""Attempts and responses: one learner sitting one quiz, and one row per question shown.

An attempt is a small state machine (in progress -> submitted, or in progress -> expired).
Every change to it is a conditional UPDATE guarded by its state, so a double submit, a second
tab or a late save cannot change a score (see quiz/attempts.py for the workflows).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from .bank import Choice, Question
from .blueprints import Blueprint


class State(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    EXPIRED = "expired", "Time ran out"


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> AttemptQuerySet:
        return self.filter(state=State.IN_PROGRESS)

    def finished(self) -> AttemptQuerySet:
        return self.exclude(state=State.IN_PROGRESS)

    def past_deadline(self, now: datetime) -> AttemptQuerySet:
        return self.in_progress().filter(deadline__lt=now)


class Attempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="attempts")
    # Set when the attempt was started from a class assignment.
    assignment = models.ForeignKey(
        "quiz.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    extra_time = models.BooleanField(default=False)
    question_count = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=1, help_text="Last question viewed")

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            # Rosters look up each student's attempts at one assignment.
            models.Index(fields=["user", "assignment"]),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint} ({self.get_state_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("quiz:attempt", args=[self.public_id])

    @property
    def is_in_progress(self) -> bool:
        return self.state == State.IN_PROGRESS

    @property
    def is_timed(self) -> bool:
        return self.deadline is not None

    @property
    def shows_feedback_per_question(self) -> bool:
        return self.blueprint.feedback == "immediate"

    def seconds_left(self, now: datetime) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def time_limit_seconds(self) -> int | None:
        if self.deadline is None:
            return None
        return int((self.deadline - self.started_at).total_seconds())

    @property
    def duration(self):
        end = self.finished_at
        return end - self.started_at if end else None


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    # The option ids in the order this learner sees them (shuffled once, at the start).
    choice_order = models.JSONField()
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_response_per_slot"),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"
