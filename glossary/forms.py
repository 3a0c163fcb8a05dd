"""The glossary's filter form: search text, section and first letter, all optional."""

from django import forms

from .models import Section


class GlossaryFilterForm(forms.Form):
    q = forms.CharField(label="Search the glossary", required=False, max_length=100, strip=True)
    section = forms.ChoiceField(label="Section", required=False)
    letter = forms.RegexField(
        label="First letter",
        required=False,
        regex=r"^[A-Za-z]$",
        error_messages={"invalid": "Choose a single letter from A to Z."},
    )

    def __init__(self, *args, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.code: section for section in sections}
        self.fields["section"].choices = [("", "All sections")] + [
            (s.code, f"{s.code} {s.title}") for s in sections
        ]
        self.fields["section"].error_messages["invalid_choice"] = (
            "There is no section %(value)s; choose one from the list."
        )

    def filters(self) -> tuple[str, Section | None, str]:
        """The valid filters; an invalid field counts as not given (its error is shown)."""
        data = self.cleaned_data if self.is_bound else {}
        query = data.get("q", "") if "q" not in self.errors else ""
        section = (
            self.sections.get(data.get("section", "")) if "section" not in self.errors else None
        )
        letter = (data.get("letter") or "").upper() if "letter" not in self.errors else ""
        return query, section, letter
