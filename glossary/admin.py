"""Admin for the glossary: search, filters, inline key points and the glossary import page."""

from django.contrib import admin
from django.urls import path

from .admin_import import can_import_glossary, import_glossary_view
from .models import Concept, KeyPoint, Section, Syllabus


@admin.register(Syllabus)
class SyllabusAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "learning_outcome", "syllabus", "order"]
    list_filter = ["syllabus", "learning_outcome"]
    search_fields = ["code", "title"]
    ordering = ["syllabus", "order"]


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 1


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "section", "autolink"]
    list_filter = ["section__syllabus", "section__learning_outcome", "section", "autolink"]
    search_fields = ["name", "aliases", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related", "confused_with"]
    list_select_related = ["section"]
    inlines = [KeyPointInline]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_glossary_view(request, self))
        return [path("import/", view, name="glossary_concept_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # The list's object tools offer the import to whoever may run it.
        extra_context = {
            **(extra_context or {}),
            "can_import_glossary": can_import_glossary(request.user),
        }
        return super().changelist_view(request, extra_context)
