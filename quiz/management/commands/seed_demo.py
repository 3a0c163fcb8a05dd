"""manage.py seed_demo [--students N] [--attempts N]: a demo instructor, class and attempts.

Students of different ability answer the real question bank: each has an ability, each
question a difficulty, and a student answers a question correctly with a probability from
the two (and a quarter for a lucky guess), getting a little better with every attempt. The
attempts are built in bulk and scored as quiz.attempts would score them. Everything has a
fixed name or id (attempts a deterministic public_id), so a second run creates nothing.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import permutations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from itilprep.task_progress import CommandProgress
from quiz.access import INSTRUCTORS_GROUP
from quiz.bank import build_question_bank
from quiz.models import Assignment, Attempt, Blueprint, Choice, Classroom, Enrollment, Question
from quiz.models import Response as QuizResponse
from quiz.models.attempts import State
from quiz.models.bank import Style
from quiz.models.blueprints import Feedback, Kind, default_pass_mark, mock_exam
from quiz.models.classes import Counting
from quiz.selection import candidates_for, draw, quotas_for

DEMO_PASSWORD = "itil-demo-password"
INSTRUCTOR = "demo-instructor"
STUDENT_PREFIX = "demo-student-"
CLASS_NAME = "ITIL 4 Foundation: demo class"
# Ids derived from this namespace are the same on every run and every machine.
NAMESPACE = uuid.UUID("5c0f2a4e-7d1b-4f59-9a53-2f4f1b9c6d10")
WEEKS = 6  # attempts are spread over the weeks before the run
CHUNK = 50  # students built and stored per transaction
# Question sets drawn per assignment (by quiz.selection's rules) that attempts pick from:
# drawing afresh for each of 10,000 attempts would take longer than everything else.
DRAWS = 60

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Brown",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zimmer",
]


@dataclass(frozen=True)
class Plan:
    """One demo assignment: its title, blueprint, and how long students take (minutes)."""

    title: str
    blueprint: Blueprint
    minutes: float
    counts: str


@dataclass(frozen=True)
class Item:
    """What the simulation needs to know about one active question."""

    key_id: int
    orders: list  # every order the options can be shown in, ready for the database
    wrong_ids: list[int]
    wrong_weights: list[float]
    difficulty: float


RESPONSE_COLUMNS = (
    "attempt",
    "position",
    "question",
    "choice_order",
    "choice",
    "flagged",
    "answered_at",
    "is_correct",
)


ORDER_ENCODER = QuizResponse._meta.get_field("choice_order").encoder


def insert_responses(rows) -> None:
    """Store response rows given in RESPONSE_COLUMNS order (choice_order already adapted with
    `connection.ops.adapt_json_value`): COPY on PostgreSQL, 100-row INSERTs elsewhere.

    bulk_create builds a model instance for each row and prepares every value through its
    field; for the 290,000 responses of `--students 500 --attempts 20` that was most of the
    run (and psycopg's client-side parameter merging most of the rest on PostgreSQL), so
    responses go in as plain rows, their values adapted as Django adapts them.
    """
    ops = connection.ops
    columns = [QuizResponse._meta.get_field(name).column for name in RESPONSE_COLUMNS]
    limit = connection.features.max_query_params
    per_insert = min(100, limit // len(columns)) if limit else 100
    one_row = "({})".format(", ".join(["%s"] * len(columns)))

    def statement(count: int) -> str:
        return "INSERT INTO {} ({}) VALUES {}".format(
            ops.quote_name(QuizResponse._meta.db_table),
            ", ".join(ops.quote_name(column) for column in columns),
            ", ".join([one_row] * count),
        )

    def values(row) -> tuple:
        attempt_id, position, question, order, choice, flagged, answered, correct = row
        answered = ops.adapt_datetimefield_value(answered)
        return (attempt_id, position, question, order, choice, flagged, answered, correct)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = ops.quote_name(QuizResponse._meta.db_table)
            names = ", ".join(ops.quote_name(column) for column in columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return
        full = statement(per_insert)
        params, count = [], 0
        for row in rows:
            params += values(row)
            count += 1
            if count == per_insert:
                cursor.execute(full, params)
                params, count = [], 0
        if count:
            cursor.execute(statement(count), params)


class Command(BaseCommand):
    help = (
        "Create a demo instructor and a class of students with plausible attempts on the real "
        "question bank (built first if empty). Safe to run again: nothing is created twice. "
        "Progress goes to stderr (-v 0: none, -v 2: every student)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=25, help="default 25")
        parser.add_argument(
            "--attempts", type=int, default=4, help="finished attempts per student (default 4)"
        )

    def handle(self, *args, students: int, attempts: int, **options):
        if not 1 <= students <= 5000:
            raise CommandError("--students must be between 1 and 5000.")
        if not 0 <= attempts <= 200:
            raise CommandError("--attempts must be between 0 and 200.")
        started = time.perf_counter()
        now = timezone.now()
        progress = CommandProgress(self.stderr, options["verbosity"])
        self.ensure_bank(progress)
        progress.stage(f"Setting up the demo class and {students} students…")
        with transaction.atomic():
            classroom, plans = self.setup(now)
            learners, new_learners = self.ensure_students(classroom, students, now)
        created = 0
        progress.stage(
            f"Simulating {attempts} attempt{'s' if attempts != 1 else ''} for each of "
            f"{len(learners)} students…",
            len(learners),
        )
        for first in range(0, len(learners), CHUNK):
            chunk = learners[first : first + CHUNK]
            with transaction.atomic():
                created += self.seed_attempts(chunk, plans, attempts, now)
            # Counted per chunk: that is when a chunk's attempts are stored.
            for done, learner in enumerate(chunk, start=first + 1):
                progress.step(done, learner.username)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Demo data ready in {seconds:.2f} s: {new_learners} new "
            f"student{'' if new_learners == 1 else 's'} "
            f"({len(learners)} in the class), {created} attempts created."
        )
        last = learners[-1].username
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo logins (password for each: {DEMO_PASSWORD})")
            + f"\n  instructor  {INSTRUCTOR}"
            + f"\n  students    {learners[0].username}"
            + (f" ... {last}" if last != learners[0].username else "")
            + f'\n  class       "{classroom.name}", join code {classroom.join_code}'
        )

    def ensure_bank(self, progress: CommandProgress) -> None:
        if Question.objects.active().exists():
            return
        result = build_question_bank(progress=progress)
        self.stdout.write(f"Question bank was empty; built it: {result}.")
        if not result.active:
            raise CommandError(
                "The question bank is empty because the glossary is: run "
                "`manage.py import_glossary fixtures/itil4_foundation` first."
            )

    # -- the instructor, the class, its assignments -------------------------------------------

    def setup(self, now: datetime) -> tuple:
        User = get_user_model()
        instructor = User.objects.filter(username=INSTRUCTOR).first()
        if instructor is None:
            instructor = User.objects.create(
                username=INSTRUCTOR,
                first_name="Dana",
                last_name="Trainer",
                email=f"{INSTRUCTOR}@example.com",
                password=self.password_hash(),
            )
        instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
        classroom, _ = Classroom.objects.get_or_create(
            public_id=uuid.uuid5(NAMESPACE, "classroom"),
            defaults={
                "name": CLASS_NAME,
                "description": "A demo class of students preparing for the exam.",
                "created_by": instructor,
            },
        )
        classroom.instructors.add(instructor)
        opens = now - timedelta(weeks=WEEKS, days=1)
        principles = self.custom_blueprint(
            instructor, "Guiding principles and the value chain", ["LO2", "LO4", "LO5"], 15, 20
        )
        practices = self.custom_blueprint(
            instructor, "The seven practices in detail", ["LO6", "LO7"], 20, 30
        )
        wanted = {
            "principles": Plan("Week 2 check: principles", principles, 14, Counting.LAST),
            "practices": Plan("Week 4 check: practices", practices, 22, Counting.LAST),
            "mock": Plan("Mock exam", mock_exam(), 44, Counting.BEST),
        }
        for plan in wanted.values():
            Assignment.objects.get_or_create(
                classroom=classroom,
                title=plan.title,
                defaults={
                    "blueprint": plan.blueprint,
                    "opens_at": opens,
                    "counts": plan.counts,
                    "created_by": instructor,
                },
            )
        assignments = {a.title: a for a in classroom.assignments.all()}
        # Each plan with its assignment row, by key: "principles", "practices", "mock".
        return classroom, {key: (plan, assignments[plan.title]) for key, plan in wanted.items()}

    def custom_blueprint(self, owner, title, outcomes, count, minutes) -> Blueprint:
        blueprint, _ = Blueprint.objects.get_or_create(
            kind=Kind.CUSTOM,
            owner=owner,
            title=title,
            defaults={
                "question_count": count,
                "time_limit_minutes": minutes,
                "pass_mark": default_pass_mark(count),
                "feedback": Feedback.AT_END,
                "learning_outcomes": outcomes,
            },
        )
        return blueprint

    def password_hash(self) -> str:
        """One hash for every demo account, made once: hashing 500 would take minutes."""
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def ensure_students(self, classroom, count: int, now: datetime) -> tuple[list, int]:
        User = get_user_model()
        names = [f"{STUDENT_PREFIX}{n:03d}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        joined = now - timedelta(weeks=WEEKS, days=2)
        User.objects.bulk_create(
            User(
                username=name,
                first_name=FIRST_NAMES[(n - 1) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(7 * (n - 1) + (n - 1) // len(LAST_NAMES)) % len(LAST_NAMES)],
                email=f"{name}@example.com",
                password=self.password_hash(),
                date_joined=joined,
            )
            for n, name in enumerate(names, start=1)
            if name not in existing
        )
        learners = list(User.objects.filter(username__in=names).order_by("username"))
        enrolled = set(
            Enrollment.objects.filter(classroom=classroom).values_list("student_id", flat=True)
        )
        new = Enrollment.objects.bulk_create(
            Enrollment(classroom=classroom, student=learner)
            for learner in learners
            if learner.pk not in enrolled
        )
        # joined_at is auto_now_add; the demo class started before its first attempts.
        Enrollment.objects.filter(pk__in=[e.pk for e in new]).update(joined_at=joined)
        return learners, len(names) - len(existing)

    # -- attempts ----------------------------------------------------------------------------

    def seed_attempts(self, learners, plans, per_student: int, now: datetime) -> int:
        wanted = {
            uuid.uuid5(NAMESPACE, f"{learner.username}/{k}"): (learner, k)
            for learner in learners
            for k in range(per_student)
        }
        there = set(
            Attempt.objects.filter(public_id__in=list(wanted)).values_list("public_id", flat=True)
        )
        missing = [(pid, *wanted[pid]) for pid in wanted if pid not in there]
        if not missing:
            return 0
        bank = self.bank(plans)
        attempts, answers = [], []
        for public_id, learner, k in missing:
            attempt, responses = self.simulate(public_id, learner, k, per_student, plans, bank, now)
            attempts.append(attempt)
            answers.append(responses)
        Attempt.objects.bulk_create(attempts)
        if attempts and attempts[0].pk is None:
            # Backends that cannot return ids from a bulk insert: look them up by public id.
            ids = dict(
                Attempt.objects.filter(public_id__in=[a.public_id for a in attempts]).values_list(
                    "public_id", "pk"
                )
            )
            for attempt in attempts:
                attempt.pk = ids[attempt.public_id]
        insert_responses(
            (attempt.pk, *response)
            for attempt, responses in zip(attempts, answers, strict=True)
            for response in responses
        )
        return len(attempts)

    def bank(self, plans) -> tuple[dict, dict[int, Item]]:
        """Candidates per assignment and every active question's options (cached per run)."""
        cached = getattr(self, "_bank", None)
        if cached is not None:
            return cached
        sets: dict[str, list[list[int]]] = {}
        for key, (plan, _) in plans.items():
            candidates = candidates_for(plan.blueprint)
            count, quotas = plan.blueprint.question_count, quotas_for(plan.blueprint)
            sets[key] = [
                draw(candidates, count, rng=random.Random(f"draw/{key}/{n}"), quotas=quotas)
                for n in range(DRAWS)
            ]
        options: dict[int, list[tuple[int, bool]]] = {}
        rows = Choice.objects.filter(question__is_active=True).order_by("question_id", "id")
        for choice_id, question_id, is_key in rows.values_list("id", "question_id", "is_key"):
            options.setdefault(question_id, []).append((choice_id, is_key))
        styles = dict(Question.objects.active().values_list("id", "style"))
        signatures = dict(Question.objects.active().values_list("id", "signature"))
        items = {}
        for question_id, choices in options.items():
            rng = random.Random(f"question/{signatures[question_id]}")
            wrong = [cid for cid, is_key in choices if not is_key]
            harder = 0.4 if styles[question_id] in (Style.LIST, Style.NEGATIVE) else 0.0
            items[question_id] = Item(
                key_id=next(cid for cid, is_key in choices if is_key),
                orders=[
                    connection.ops.adapt_json_value(list(order), ORDER_ENCODER)
                    for order in permutations(cid for cid, _ in choices)
                ],
                wrong_ids=wrong,
                # Some distractors tempt more than others, as in a real item analysis.
                wrong_weights=[rng.uniform(0.1, 1.0) ** 2 for _ in wrong],
                difficulty=rng.gauss(0, 0.9) + harder,
            )
        self._bank = (sets, items)
        return self._bank

    def simulate(self, public_id, learner, k: int, per_student: int, plans, bank, now):
        """One finished attempt of `learner` (their k-th), unsaved, and its responses' rows."""
        sets, items = bank
        rng = random.Random(f"{learner.username}/{k}")
        # The learner's own dice decide their ability; the attempt's, its details.
        ability = max(-2.5, min(2.5, random.Random(learner.username).gauss(0, 1)))
        key = ("principles", "practices", "mock", "mock")[k % 4]
        plan, assignment = plans[key]
        blueprint = plan.blueprint
        question_ids = sets[key][int(rng.random() * DRAWS)]
        span = timedelta(weeks=WEEKS) - timedelta(days=1)
        started = now - timedelta(weeks=WEEKS) + span * (k + rng.uniform(0.1, 0.8)) / per_student
        limit = blueprint.time_limit_seconds()
        deadline = started + timedelta(seconds=limit) if limit else None
        minutes = max(3.0, rng.gauss(plan.minutes, plan.minutes / 5))
        finished = started + timedelta(minutes=minutes)
        state = State.SUBMITTED
        if deadline and finished >= deadline:
            finished, state = deadline, State.EXPIRED
        learning = 0.06 * k  # a little better with every attempt
        pace = (finished - started) / len(question_ids)
        responses, score = [], 0
        for position, question_id in enumerate(question_ids, start=1):
            item = items[question_id]
            skill = 1.7 * (ability + learning - item.difficulty + 0.35)
            answered = rng.random() >= 0.015
            if not answered:
                choice_id = None
            elif rng.random() < 0.25 + 0.75 / (1 + math.exp(-skill)):
                choice_id = item.key_id
            else:
                choice_id = rng.choices(item.wrong_ids, weights=item.wrong_weights)[0]
            correct = choice_id == item.key_id
            score += correct
            responses.append(
                (
                    position,
                    question_id,
                    item.orders[int(rng.random() * len(item.orders))],
                    choice_id,
                    rng.random() < 0.05,
                    started + pace * (position - 0.5) if answered else None,
                    correct,
                )
            )
        attempt = Attempt(
            public_id=public_id,
            blueprint=blueprint,
            assignment=assignment,
            user=learner,
            state=state,
            started_at=started,
            deadline=deadline,
            finished_at=finished,
            question_count=len(question_ids),
            pass_mark=blueprint.pass_mark,
            score=score,
            passed=score >= blueprint.pass_mark,
            position=len(question_ids),
        )
        return attempt, responses
