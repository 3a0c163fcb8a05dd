"""factory-boy factories for the models under test."""

import factory
from django.contrib.auth.models import User
from django.utils.text import slugify

from glossary.models import Concept, KeyPoint, Section, Syllabus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("a-long-test-password")


class SyllabusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Syllabus
        django_get_or_create = ["code"]

    code = "itil4-foundation"
    name = "ITIL 4 Foundation"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["syllabus", "code"]

    syllabus = factory.SubFactory(SyllabusFactory)
    code = factory.Sequence(lambda n: f"2.{n + 1}")
    title = factory.Sequence(lambda n: f"Section title {n + 1}")
    learning_outcome = "LO1"
    order = factory.Sequence(lambda n: n + 1)


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"Concept number {n}")
    slug = factory.LazyAttribute(lambda concept: slugify(concept.name))
    definition = factory.Sequence(lambda n: f"A made-up definition for test entry {n}.")
    explanation = "A longer explanation that says why the entry matters and how it is examined."

    @factory.post_generation
    def key_points(self, create, extracted, **kwargs):
        if create:
            for order, text in enumerate(extracted or ["First point.", "Second point."]):
                KeyPoint.objects.create(concept=self, text=text, order=order)


class KeyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPoint

    concept = factory.SubFactory(ConceptFactory)
    text = factory.Sequence(lambda n: f"Key point {n}.")
