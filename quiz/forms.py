"""Forms to start quizzes: the mock exam's options and the custom quiz builder."""

from django import forms

from glossary.models import Section

from .models.blueprints import EXAM_MARKS, LEARNING_OUTCOME_TITLES, Feedback


def learning_outcomes_field() -> forms.MultipleChoiceField:
    """Ticks for the exam's learning outcomes (custom quizzes and assignments)."""
    return forms.MultipleChoiceField(
        label="Learning outcomes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(lo, f"{lo} {LEARNING_OUTCOME_TITLES[lo]}") for lo in EXAM_MARKS],
        help_text="Leave all unticked for the whole syllabus.",
    )


def sections_field(*, size: int) -> forms.ModelMultipleChoiceField:
    """A choice of the syllabus sections that hold concepts."""
    return forms.ModelMultipleChoiceField(
        label="Sections",
        required=False,
        queryset=Section.objects.filter(concepts__isnull=False).distinct(),
        widget=forms.SelectMultiple(attrs={"size": size}),
        help_text="Optional: only these sections (hold Ctrl or Cmd to choose several).",
    )


class MockExamForm(forms.Form):
    extra_time = forms.BooleanField(
        required=False,
        label="25% extra time (75 minutes), as granted when sitting the exam in a second language",
    )


class CustomQuizForm(forms.Form):
    question_count = forms.IntegerField(
        label="Number of questions", min_value=5, max_value=40, initial=20
    )
    learning_outcomes = learning_outcomes_field()
    sections = sections_field(size=8)
    feedback = forms.ChoiceField(
        label="Feedback",
        choices=Feedback.choices,
        initial=Feedback.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    timed = forms.BooleanField(label="Timed", required=False)
    time_limit_minutes = forms.IntegerField(
        label="Time limit in minutes",
        required=False,
        min_value=1,
        max_value=180,
        help_text="The real exam allows 1.5 minutes a question.",
    )

    def clean(self):
        data = super().clean()
        if data.get("timed") and not data.get("time_limit_minutes"):
            self.add_error("time_limit_minutes", "Give a time limit for a timed quiz.")
        if not data.get("timed"):
            data["time_limit_minutes"] = None
        return data
