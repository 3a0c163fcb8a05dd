"""The admin's "Import glossary" page: upload files, validate all, import, rebuild the bank."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .models import Concept
from .transfer import GlossaryFileError, import_glossary, parse_glossary

MAX_FILE_BYTES = 5 * 1024 * 1024  # the shipped glossary is about 180 kB in all
IMPORT_PERMISSIONS = ("glossary.add_concept", "glossary.change_concept")


def can_import_glossary(user) -> bool:
    """An import creates and rewrites concepts: it takes both permissions (and staff)."""
    return user.is_active and user.is_staff and user.has_perms(IMPORT_PERMISSIONS)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class GlossaryFilesField(forms.FileField):
    """One or more uploaded files; cleans to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json,.csv"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        files = list(data) if isinstance(data, list | tuple) else [data]
        # No file at all cleans None, which raises the field's "required" error.
        return [clean_one(file, initial) for file in files or [None]]


class GlossaryUploadForm(forms.Form):
    files = GlossaryFilesField(
        label="Glossary files",
        help_text=(
            "One or more .json or .csv files in the glossary format (docs/glossary-format.md). "
            "Every file is checked first: if anything is wrong, nothing is imported."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        too_big = [file.name for file in files if file.size > MAX_FILE_BYTES]
        if too_big:
            raise forms.ValidationError(
                f"{', '.join(too_big)}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                "split the glossary into several files."
            )
        return files


def import_glossary_view(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """Show the upload form; on a good upload import, rebuild the bank and go to the list."""
    if not can_import_glossary(request.user):
        raise PermissionDenied
    problems: list[str] = []
    posted = request.method == "POST"
    form = GlossaryUploadForm(request.POST, request.FILES) if posted else GlossaryUploadForm()
    if posted and form.is_valid():
        files = [(file.name, file.read()) for file in form.cleaned_data["files"]]
        try:
            result = import_glossary(parse_glossary(files))
        except GlossaryFileError as error:
            problems = error.problems
        else:
            text = f"Glossary imported: {result}."
            if result.changed:
                # As the command does: the bank follows the glossary (changed questions are
                # retired and replaced, so past attempts keep what learners saw).
                from quiz.bank import build_question_bank

                text += f" Question bank rebuilt: {build_question_bank()}."
            else:
                text += " Nothing changed, so the question bank was left as it was."
            messages.success(request, text)
            return redirect("admin:glossary_concept_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Concept._meta,
        "title": "Import glossary",
        "form": form,
        "problems": problems,
    }
    return TemplateResponse(request, "admin/glossary/concept/import_glossary.html", context)
