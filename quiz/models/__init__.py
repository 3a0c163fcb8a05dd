"""Quiz models: the question bank, quiz blueprints, attempts and their responses."""

from .attempts import Attempt, Response
from .bank import Choice, Question
from .blueprints import Blueprint

__all__ = ["Attempt", "Blueprint", "Choice", "Question", "Response"]
