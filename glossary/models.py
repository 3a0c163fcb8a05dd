"""Syllabus, Section, Concept and KeyPoint: the glossary the whole site is built from."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse

ALIAS_SEPARATOR = ";"


class Syllabus(models.Model):
    """An exam syllabus (ITIL 4 Foundation now); sections belong to one."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "syllabi"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A numbered part of a syllabus ("2.5.4 Utility and warranty") and its learning outcome."""

    syllabus = models.ForeignKey(Syllabus, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20, help_text="Section number, e.g. 2.5.4")
    title = models.CharField(max_length=200)
    learning_outcome = models.CharField(max_length=10, help_text="e.g. LO1")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["syllabus", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["syllabus", "code"], name="unique_section_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ConceptQuerySet(models.QuerySet):
    def in_section(self, section: Section | None) -> ConceptQuerySet:
        return self.filter(section=section) if section else self

    def starting_with(self, letter: str) -> ConceptQuerySet:
        return self.filter(name__istartswith=letter) if letter else self

    def search(self, query: str) -> ConceptQuerySet:
        """Concepts matching `query`, best first: the name, then aliases, then the text.

        An exact or prefix match of the name ranks first, then a word inside the name,
        then an alias, then the definition and explanation; shorter names break ties.
        """
        query = " ".join(query.split())
        if not query:
            return self
        sep = ALIAS_SEPARATOR
        name_word = Q(name__icontains=f" {query}") | Q(name__icontains=f"-{query}")
        alias_prefix = Q(aliases__istartswith=query) | Q(aliases__icontains=f"{sep} {query}")
        rank = Case(
            When(name__iexact=query, then=Value(0)),
            When(name__istartswith=query, then=Value(1)),
            When(name_word, then=Value(2)),
            When(alias_prefix, then=Value(3)),
            When(Q(name__icontains=query) | Q(aliases__icontains=query), then=Value(4)),
            When(definition__icontains=query, then=Value(5)),
            default=Value(6),
            output_field=IntegerField(),
        )
        matches = (
            Q(name__icontains=query)
            | Q(aliases__icontains=query)
            | Q(definition__icontains=query)
            | Q(explanation__icontains=query)
        )
        return (
            self.filter(matches)
            .annotate(search_rank=rank, name_length=models.functions.Length("name"))
            .order_by("search_rank", "name_length", "name")
        )


class Concept(models.Model):
    """One glossary entry: a term of the syllabus, explained in our own words."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="concepts")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other names and abbreviations, separated by ';'"
    )
    definition = models.TextField(help_text="One sentence, short enough to be an answer option.")
    explanation = models.TextField()
    autolink = models.BooleanField(
        default=True,
        help_text="Link this term where it appears in other texts. Turn off for common "
        "words (value, service, user) that would link everywhere.",
    )
    # Sets the syllabus defines (the seven guiding principles, the six value chain
    # activities...): a member points at the concept naming the set, which says how
    # questions refer to its members. Quiz "Which is NOT ..." questions are built from them.
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The set this concept is one of, e.g. Guiding principle.",
    )
    members_label = models.CharField(
        max_length=120,
        blank=True,
        help_text='How questions name the members of this set, e.g. "the seven guiding '
        'principles".',
    )
    related = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    confused_with = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="confused_by"
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="unique_concept_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("glossary:concept", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


def split_aliases(text: str) -> list[str]:
    return [alias.strip() for alias in text.split(ALIAS_SEPARATOR) if alias.strip()]


def join_aliases(aliases: list[str]) -> str:
    return f"{ALIAS_SEPARATOR} ".join(alias.strip() for alias in aliases if alias.strip())


class KeyPoint(models.Model):
    """A short, self-contained statement about a concept; quiz list questions use them."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="key_points")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["concept", "order", "id"]

    def __str__(self) -> str:
        return self.text
