"""Building the question bank: read the glossary, run the builder, sync the stored questions.

A stored question is never edited: a question whose content changed is retired and a new
one takes its slot (its signature), so past attempts keep showing what the learner saw.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from glossary.models import Concept, KeyPoint, split_aliases
from itilprep.task_progress import SILENT, Progress

from .builder import DEFAULT_SEED, ConceptData, GeneratedQuestion, build_questions
from .models import Choice, Question

# Questions stored per INSERT batch while saving: few enough statements, and a count to show.
SAVE_BATCH = 100


@dataclass
class BankSyncResult:
    created: int = 0
    kept: int = 0
    retired: int = 0
    # What the builder produced, in its order; the active bank holds exactly these.
    questions: list[GeneratedQuestion] = field(default_factory=list)

    @property
    def active(self) -> int:
        return self.created + self.kept

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.kept} kept, {self.retired} retired; "
            f"{self.active} active questions"
        )


def bank_snapshot() -> list[ConceptData]:
    """The whole glossary as the builder's plain dataclasses, in four queries."""
    points: dict[int, list[str]] = defaultdict(list)
    for concept_id, text in KeyPoint.objects.order_by("concept_id", "order", "id").values_list(
        "concept_id", "text"
    ):
        points[concept_id].append(text)
    related = _relations(Concept.related.through)
    confused = _relations(Concept.confused_with.through)
    rows = Concept.objects.order_by("id").values_list(
        "id",
        "name",
        "aliases",
        "definition",
        "section_id",
        "section__code",
        "section__learning_outcome",
        "section__syllabus__code",
        "part_of_id",
        "members_label",
        "autolink",
    )
    return [
        ConceptData(
            id=pk,
            name=name,
            aliases=tuple(split_aliases(aliases)),
            definition=definition,
            section_id=section_id,
            section_code=section_code,
            learning_outcome=learning_outcome,
            syllabus=syllabus,
            key_points=tuple(points[pk]),
            related=tuple(related[pk]),
            confused_with=tuple(confused[pk]),
            part_of=part_of,
            members_label=members_label,
            autolink=autolink,
        )
        for (
            pk,
            name,
            aliases,
            definition,
            section_id,
            section_code,
            learning_outcome,
            syllabus,
            part_of,
            members_label,
            autolink,
        ) in rows
    ]


def _relations(through) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    pairs = through.objects.order_by("from_concept_id", "to_concept_id").values_list(
        "from_concept_id", "to_concept_id"
    )
    for source, target in pairs:
        found[source].append(target)
    return found


def build_question_bank(
    *, seed: int = DEFAULT_SEED, now: datetime | None = None, progress: Progress = SILENT
) -> BankSyncResult:
    """Generate the bank from the glossary and sync the stored questions with it, atomically.

    An active question with the same signature and content hash is kept untouched; one whose
    hash differs is retired (`is_active=False`, `retired_at=now`) and a new one created; an
    active question whose slot is no longer generated is retired. Running it twice in a row
    creates nothing the second time.
    """
    now = now or timezone.now()
    # Built before the transaction opens, so the write lock (SQLite takes it at BEGIN) is
    # held only for the sync. Two builds at once cannot both store a slot: the unique
    # constraint on active signatures makes the later one fail, and a rerun keeps it all.
    concepts = bank_snapshot()
    progress.stage(f"Building questions for {len(concepts)} concepts…")
    questions = build_questions(concepts, seed=seed)
    wanted = {question.signature: question for question in questions}
    result = BankSyncResult(questions=questions)
    with transaction.atomic():
        active = Question.objects.active().values_list("id", "signature", "content_hash")
        stale, current = [], set()
        for pk, sig, content_hash in active:
            question = wanted.get(sig)
            if question is not None and question.content_hash == content_hash:
                current.add(sig)
            else:
                stale.append(pk)
        if stale:
            progress.stage(f"Retiring {len(stale)} changed or obsolete questions…")
            # Retiring flags a row; its content stays exactly as the learners saw it.
            Question.objects.filter(pk__in=stale).update(is_active=False, retired_at=now)
        new = [question for question in questions if question.signature not in current]
        if new:
            progress.stage(f"Saving {len(new)} questions…", len(new))
        for first in range(0, len(new), SAVE_BATCH):
            batch = new[first : first + SAVE_BATCH]
            _save(batch)
            for done, question in enumerate(batch, start=first + 1):
                progress.step(done, question.stem[:72])
    result.created, result.kept, result.retired = len(new), len(current), len(stale)
    return result


def _save(questions: list[GeneratedQuestion]) -> None:
    rows = Question.objects.bulk_create(
        Question(
            style=question.style,
            stem=question.stem,
            statements=list(question.statements),
            explanation=question.explanation,
            concept_id=question.concept_id,
            section_id=question.section_id,
            learning_outcome=question.learning_outcome,
            signature=question.signature,
            content_hash=question.content_hash,
        )
        for question in questions
    )
    Choice.objects.bulk_create(
        Choice(
            question=row,
            text=option.text,
            is_key=option.is_key,
            concept_id=option.concept_id,
            rationale=option.rationale,
            order=order,
        )
        for row, question in zip(rows, questions, strict=True)
        for order, option in enumerate(question.options, start=1)
    )
