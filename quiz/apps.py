"""App configuration for quizzes."""

from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import access  # noqa: F401  (connects the sign-in signal)
