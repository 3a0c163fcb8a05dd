"""Forms of the class pages: a class, joining, the join code, co-instructors, assignments."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django import forms
from django.utils import timezone

from .classes import QuizSettings
from .forms import learning_outcomes_field, sections_field
from .models import Assignment, Classroom
from .models.blueprints import Feedback, Kind
from .models.classes import Counting

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name", "description"]
        labels = {"name": "Class name"}
        help_texts = {"description": "Optional: dates, venue, what the course covers."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the class a name.")
        return name


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=40,
        help_text="The code your instructor gave you, for example 7K2M-9QXA-3B.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class JoinCodeForm(forms.Form):
    VALID_FOR = {"": None, "1": timedelta(days=1), "7": timedelta(days=7), "28": timedelta(days=28)}

    valid_for = forms.ChoiceField(
        label="New code valid for",
        required=False,
        choices=[("", "Until replaced"), ("1", "1 day"), ("7", "1 week"), ("28", "4 weeks")],
    )

    def duration(self) -> timedelta | None:
        return self.VALID_FOR[self.cleaned_data.get("valid_for") or ""]


class InstructorForm(forms.Form):
    username = forms.CharField(
        label="Username of the co-instructor",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AssignmentForm(forms.Form):
    MOCK, CUSTOM = "mock", "custom"
    CUSTOM_FIELDS = (
        "question_count",
        "learning_outcomes",
        "sections",
        "time_limit_minutes",
        "pass_mark",
        "feedback",
    )
    SCHEDULE_FIELDS = ("opens_at", "closes_at", "max_attempts", "counts")

    title = forms.CharField(
        label="Title",
        max_length=120,
        required=False,
        help_text="What students see, for example “Week 2: guiding principles”. "
        "Left blank, the quiz's name is used.",
    )
    quiz = forms.ChoiceField(
        label="Quiz",
        choices=[
            (MOCK, "Mock exam: 40 questions like the real exam, 60 minutes, pass mark 26"),
            (CUSTOM, "Custom quiz: choose the questions, time limit and pass mark below"),
        ],
        initial=MOCK,
        widget=forms.RadioSelect,
    )
    question_count = forms.IntegerField(
        label="Number of questions",
        min_value=5,
        max_value=40,
        required=False,
        initial=10,
    )
    learning_outcomes = learning_outcomes_field()
    sections = sections_field(size=6)
    time_limit_minutes = forms.IntegerField(
        label="Time limit in minutes",
        required=False,
        min_value=1,
        max_value=180,
        help_text="Leave blank for an untimed quiz. The real exam allows 1.5 minutes a question.",
    )
    pass_mark = forms.IntegerField(
        label="Pass mark",
        required=False,
        min_value=1,
        max_value=40,
        help_text="Correct answers needed to pass. Blank means 65%, as in the exam.",
    )
    feedback = forms.ChoiceField(
        label="Feedback",
        required=False,
        choices=Feedback.choices,
        initial=Feedback.AT_END,
        widget=forms.RadioSelect,
    )
    opens_at = forms.DateTimeField(label="Opens", required=False, widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label="Closes", required=False, widget=DATETIME_INPUT)
    max_attempts = forms.IntegerField(
        label="Attempts allowed",
        required=False,
        min_value=1,
        max_value=50,
        help_text="Blank: as many as a student likes.",
    )
    counts = forms.ChoiceField(
        label="Which attempt counts",
        choices=Counting.choices,
        initial=Counting.BEST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # datetime-local inputs carry no zone: say which one the times are read in.
        zone = timezone.get_current_timezone_name()
        for name, blank in (("opens_at", "open now"), ("closes_at", "never closes")):
            self.fields[name].help_text = f"Time in {zone}. Blank: {blank}."

    @classmethod
    def for_assignment(cls, assignment: Assignment, data=None) -> AssignmentForm:
        blueprint = assignment.blueprint
        initial = {
            "title": assignment.title,
            "quiz": cls.CUSTOM if blueprint.kind == Kind.CUSTOM else cls.MOCK,
            "opens_at": assignment.opens_at,
            "closes_at": assignment.closes_at,
            "max_attempts": assignment.max_attempts,
            "counts": assignment.counts,
        }
        if blueprint.kind == Kind.CUSTOM:
            initial.update(
                question_count=blueprint.question_count,
                learning_outcomes=blueprint.learning_outcomes,
                sections=list(blueprint.sections.all()),
                time_limit_minutes=blueprint.time_limit_minutes,
                pass_mark=blueprint.pass_mark,
                feedback=blueprint.feedback,
            )
        return cls(data, initial=initial)

    def fieldsets(self) -> list[tuple[str, str, SimpleNamespace]]:
        """(legend, CSS class, fields) for each part of the form; the fields look enough like
        a form for _form_fields.html to render them (errors of the whole form come first)."""
        parts = [
            ("What to assign", "", ("title", "quiz")),
            ("Custom quiz", "custom-fields", self.CUSTOM_FIELDS),
            ("When, and how often", "", self.SCHEDULE_FIELDS),
        ]
        return [
            (
                legend,
                css_class,
                SimpleNamespace(
                    visible_fields=[self[name] for name in names],
                    hidden_fields=[],
                    non_field_errors=[],
                ),
            )
            for legend, css_class, names in parts
        ]

    def clean(self):
        data = super().clean()
        if data.get("quiz") != self.CUSTOM:
            # The custom quiz's settings are ignored for the mock exam, and so are their errors.
            for name in self.CUSTOM_FIELDS:
                self.errors.pop(name, None)
        if data.get("quiz") == self.CUSTOM:
            count = data.get("question_count")
            if count is None and "question_count" not in self.errors:
                self.add_error("question_count", "Say how many questions the quiz has.")
            pass_mark = data.get("pass_mark")
            if count and pass_mark and pass_mark > count:
                self.add_error(
                    "pass_mark", f"The pass mark cannot be more than the {count} questions."
                )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The closing time must be after the opening time.")
        return data

    def quiz_settings(self) -> QuizSettings | None:
        data = self.cleaned_data
        if data["quiz"] != self.CUSTOM:
            return None
        return QuizSettings(
            question_count=data["question_count"],
            learning_outcomes=list(data["learning_outcomes"]),
            sections=list(data["sections"]),
            time_limit_minutes=data["time_limit_minutes"],
            pass_mark=data["pass_mark"],
            feedback=data["feedback"] or Feedback.AT_END,
        )

    def assignment_title(self) -> str:
        data = self.cleaned_data
        if data["title"].strip():
            return data["title"].strip()
        if data["quiz"] == self.CUSTOM:
            return f"Custom quiz ({data['question_count']} questions)"
        return "Mock exam"

    def workflow_kwargs(self) -> dict:
        """The cleaned form as keyword arguments of assignment_create/assignment_update."""
        data = self.cleaned_data
        return {
            "title": self.assignment_title(),
            "quiz": self.quiz_settings(),
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "max_attempts": data["max_attempts"],
            "counts": data["counts"],
        }
