"""The question bank: questions generated from the glossary, and their options.

A question is never edited once stored: when its source in the glossary changes, the
builder retires it and stores a new one, so past attempts keep showing what was asked.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from glossary.models import Concept, Section


class Style(models.TextChoices):
    TERM = "term", "Which term is described"
    DEFINITION = "definition", "Which statement describes"
    MISSING_WORD = "missing_word", "Missing word"
    LIST = "list", "Which two statements"
    NEGATIVE = "negative", "Which is NOT"


class QuestionQuerySet(models.QuerySet):
    def active(self) -> QuestionQuerySet:
        return self.filter(is_active=True)


class Question(models.Model):
    style = models.CharField(max_length=20, choices=Style.choices)
    stem = models.TextField()
    # Numbered statements of a list question, shown under the stem.
    statements = models.JSONField(default=list, blank=True)
    explanation = models.TextField(help_text="Why the key is right; shown in the review.")
    concept = models.ForeignKey(
        Concept, null=True, on_delete=models.SET_NULL, related_name="questions"
    )
    section = models.ForeignKey(Section, null=True, on_delete=models.SET_NULL, related_name="+")
    learning_outcome = models.CharField(max_length=10, db_index=True)
    # The slot this question fills (style, concept, variant); stable across rebuilds.
    signature = models.CharField(max_length=64)
    # A hash of everything the learner sees; a different hash means a new question.
    content_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signature"], condition=Q(is_active=True), name="one_active_per_signature"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "learning_outcome"])]

    def __str__(self) -> str:
        return self.stem[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField()
    is_key = models.BooleanField(default=False)
    concept = models.ForeignKey(
        Concept, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rationale = models.TextField(help_text="One line: why this option is right or wrong.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_key=True), name="one_key_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.text
