"""manage.py build_question_bank [--seed N] [--report]: sync the question bank with the glossary."""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from itilprep.task_progress import CommandProgress
from quiz.bank import build_question_bank
from quiz.builder import DEFAULT_SEED
from quiz.models import Question
from quiz.models.bank import Style
from quiz.quality import GUESSERS, quality_report, view_of_row


class Command(BaseCommand):
    help = (
        "Build the quiz question bank from the glossary: keep unchanged questions, retire "
        "changed or obsolete ones and create their replacements. Safe to run again. "
        "Progress goes to stderr (-v 0: none, -v 2: every question saved)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}"
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help="also print questions per style and learning outcome, the test-wise "
            "guesser figures and any structural problem of the active bank",
        )

    def handle(self, *args, seed: int, report: bool, **options):
        started = time.perf_counter()
        progress = CommandProgress(self.stderr, options["verbosity"])
        result = build_question_bank(seed=seed, progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Question bank built in {seconds:.2f} s: {result}.")
        if report and self.report():
            raise CommandError("the question bank has structural problems (listed above)")

    def report(self) -> int:
        """Print the report on the active bank; return the number of structural problems."""
        questions = list(
            Question.objects.active().select_related("concept").prefetch_related("choices")
        )
        views = [view_of_row(question) for question in questions]
        styles = Counter(view.style for view in views)
        outcomes = Counter(view.learning_outcome for view in views)
        self.stdout.write(f"\nActive questions: {len(views)}")
        self.stdout.write("By style:")
        for style in Style:
            self.stdout.write(f"  {style.label:<26} {styles.get(style.value, 0):>5}")
        self.stdout.write("By learning outcome:")
        for outcome, count in sorted(outcomes.items()):
            self.stdout.write(f"  {outcome:<26} {count:>5}")
        quality = quality_report(views)
        self.stdout.write("Test-wise guesser, share of questions where it picks the key")
        self.stdout.write("(chance is 25%, the limit 35%):")
        for name, label in GUESSERS.items():
            self.stdout.write(f"  {label:<34} {quality.figures[name]:>6.1%}")
        if quality.problems:
            self.stdout.write(f"Structural problems ({len(quality.problems)}):")
            for problem in quality.problems:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write("Structural problems: none")
        return len(quality.problems)
