"""Blueprints: what a quiz draws (how many questions, from where), its timing and pass mark."""

from __future__ import annotations

import math

from django.conf import settings
from django.db import models

from glossary.models import Section

# Marks per learning outcome in the real ITIL 4 Foundation exam (40 questions).
EXAM_MARKS = {"LO1": 5, "LO2": 6, "LO3": 2, "LO4": 1, "LO5": 2, "LO6": 7, "LO7": 17}
EXAM_QUESTIONS = 40
EXAM_MINUTES = 60
EXAM_PASS_MARK = 26
EXTRA_TIME_FACTOR = 1.25  # candidates sitting in a second language get 25% more time
PASS_RATIO = EXAM_PASS_MARK / EXAM_QUESTIONS

LEARNING_OUTCOME_TITLES = {
    "LO1": "Key concepts of service management",
    "LO2": "The seven guiding principles",
    "LO3": "The four dimensions",
    "LO4": "The service value system",
    "LO5": "The service value chain",
    "LO6": "Purpose of the practices and their terms",
    "LO7": "Seven practices in detail",
}


class Kind(models.TextChoices):
    MOCK = "mock", "Mock exam"
    PRACTICE = "practice", "Quick practice"
    CUSTOM = "custom", "Custom quiz"


class Feedback(models.TextChoices):
    AT_END = "end", "Exam mode: answers and explanations after submitting"
    IMMEDIATE = "immediate", "Practice mode: feedback after each answer"


class Blueprint(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Built-in blueprints have a code ("mock-exam", "quick-practice"); custom ones don't.
    code = models.SlugField(max_length=40, unique=True, null=True, blank=True)
    title = models.CharField(max_length=120)
    question_count = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField()
    feedback = models.CharField(max_length=10, choices=Feedback.choices, default=Feedback.AT_END)
    # Empty means the whole syllabus; the mock exam follows EXAM_MARKS instead.
    learning_outcomes = models.JSONField(default=list, blank=True)
    sections = models.ManyToManyField(Section, blank=True, related_name="+")
    follows_exam_marks = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_timed(self) -> bool:
        return self.time_limit_minutes is not None

    def time_limit_seconds(self, *, extra_time: bool = False) -> int | None:
        if self.time_limit_minutes is None:
            return None
        factor = EXTRA_TIME_FACTOR if extra_time else 1
        return round(self.time_limit_minutes * 60 * factor)


def default_pass_mark(question_count: int) -> int:
    """The exam's 65%, rounded up, for any number of questions."""
    return math.ceil(question_count * PASS_RATIO - 1e-9)


def mock_exam() -> Blueprint:
    blueprint, _ = Blueprint.objects.get_or_create(
        code="mock-exam",
        defaults={
            "kind": Kind.MOCK,
            "title": "Mock exam",
            "question_count": EXAM_QUESTIONS,
            "time_limit_minutes": EXAM_MINUTES,
            "pass_mark": EXAM_PASS_MARK,
            "feedback": Feedback.AT_END,
            "follows_exam_marks": True,
        },
    )
    return blueprint


def quick_practice() -> Blueprint:
    blueprint, _ = Blueprint.objects.get_or_create(
        code="quick-practice",
        defaults={
            "kind": Kind.PRACTICE,
            "title": "Quick practice",
            "question_count": 10,
            "time_limit_minutes": None,
            "pass_mark": default_pass_mark(10),
            "feedback": Feedback.IMMEDIATE,
        },
    )
    return blueprint
