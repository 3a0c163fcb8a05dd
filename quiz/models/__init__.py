"""Quiz models: the question bank, blueprints, attempts and responses, classes."""

from .attempts import Attempt, Response
from .bank import Choice, Question
from .blueprints import Blueprint
from .classes import Assignment, Classroom, Enrollment, JoinAttempt

__all__ = [
    "Assignment",
    "Attempt",
    "Blueprint",
    "Choice",
    "Classroom",
    "Enrollment",
    "JoinAttempt",
    "Question",
    "Response",
]
