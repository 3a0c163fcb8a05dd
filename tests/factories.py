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


class QuestionFactory(factory.django.DjangoModelFactory):
    """A term question on a fresh concept, with four options (the first is the key)."""

    class Meta:
        model = "quiz.Question"
        skip_postgeneration_save = True

    style = "term"
    concept = factory.SubFactory(ConceptFactory)
    section = factory.LazyAttribute(lambda question: question.concept.section)
    learning_outcome = factory.LazyAttribute(lambda question: question.section.learning_outcome)
    stem = factory.Sequence(lambda n: f"Which term is described by the made-up text {n}?")
    explanation = "Because the made-up text describes it."
    signature = factory.Sequence(lambda n: f"signature-{n}")
    content_hash = factory.Sequence(lambda n: f"hash-{n}")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        from quiz.models import Choice

        texts = extracted or ["The key", "Wrong one", "Wrong two", "Wrong three"]
        for order, text in enumerate(texts):
            Choice.objects.create(
                question=self,
                text=text,
                is_key=order == 0,
                rationale="Correct." if order == 0 else f"{text} is not it.",
                order=order,
            )


def question_bank(count: int = 12, learning_outcome: str = "LO1") -> list:
    """Questions on `count` different concepts of one section."""
    section = SectionFactory(learning_outcome=learning_outcome)
    return [QuestionFactory(concept=ConceptFactory(section=section)) for _ in range(count)]


# -- classes (shared by issue 5's parts: classes, reports, progress) -------------------------


class ClassroomFactory(factory.django.DjangoModelFactory):
    """A class; pass `instructors=[user, ...]` to set who teaches it."""

    class Meta:
        model = "quiz.Classroom"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n + 1}")
    description = "A test class."

    @factory.post_generation
    def instructors(self, create, extracted, **kwargs):
        if create and extracted:
            self.instructors.set(extracted)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.Enrollment"

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """The class's mock exam unless `blueprint=` says otherwise; best attempt counts."""

    class Meta:
        model = "quiz.Assignment"

    classroom = factory.SubFactory(ClassroomFactory)
    blueprint = factory.LazyFunction(lambda: _mock_exam())
    title = factory.Sequence(lambda n: f"Assignment {n + 1}")
    counts = "best"


def _mock_exam():
    from quiz.models.blueprints import mock_exam

    return mock_exam()
