"""Glossary pages: the index with search and filters, a concept page and a hover preview."""

from string import ascii_uppercase

from django.db.models import Prefetch
from django.db.models.functions import Substr, Upper
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .forms import GlossaryFilterForm
from .linking import Linker
from .models import Concept, Section


@require_GET
@vary_on_headers("HX-Request")
def index(request):
    sections = list(Section.objects.select_related("syllabus"))
    form = GlossaryFilterForm(request.GET or None, sections=sections)
    if form.is_bound:
        form.is_valid()
    query, section, letter = form.filters()
    concepts = list(
        Concept.objects.in_section(section)
        .starting_with(letter)
        .search(query)
        .select_related("section")
        .only("name", "slug", "definition", "section__code", "section__title")
    )
    groups = []
    if not query:
        by_section: dict[int, list[Concept]] = {}
        for concept in concepts:
            by_section.setdefault(concept.section_id, []).append(concept)
        groups = [
            (s, sorted(by_section[s.pk], key=lambda c: c.name.lower()))
            for s in sections
            if s.pk in by_section
        ]
    initials = set(
        Concept.objects.annotate(initial=Upper(Substr("name", 1, 1)))
        .values_list("initial", flat=True)
        .distinct()
    )
    context = {
        "form": form,
        "query": query,
        "section": section,
        "letter": letter,
        "concepts": concepts,
        "groups": groups,
        "letters": [(c, c in initials) for c in ascii_uppercase],
        "filtered": bool(query or section or letter),
    }
    template = "glossary/index.html#results" if request.htmx else "glossary/index.html"
    return render(request, template, context)


@require_GET
def concept_detail(request, slug: str):
    brief = Concept.objects.only("name", "slug", "definition")
    concept = get_object_or_404(
        Concept.objects.select_related("section__syllabus").prefetch_related(
            "key_points",
            Prefetch("related", queryset=brief.order_by("name")),
            Prefetch("confused_with", queryset=brief.order_by("name")),
        ),
        slug=slug,
    )
    siblings = list(
        Concept.objects.filter(section=concept.section_id).order_by("name").only("name", "slug")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == concept.pk)
    context = {
        "concept": concept,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "linker": Linker.for_concepts(exclude=concept),
    }
    return render(request, "glossary/concept.html", context)


@require_GET
@vary_on_headers("HX-Request")
def concept_preview(request, slug: str):
    """A concept's definition for the hover preview; without htmx, the concept page."""
    concept = get_object_or_404(
        Concept.objects.select_related("section").only(
            "name", "slug", "definition", "section__code", "section__title"
        ),
        slug=slug,
    )
    if not request.htmx:
        return redirect(concept)
    return render(request, "glossary/concept.html#preview", {"concept": concept})
