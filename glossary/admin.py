"""Admin for the glossary: search, filters and inline key points."""

from django.contrib import admin

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
