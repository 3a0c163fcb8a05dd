"""manage.py import_glossary PATH...: validate glossary files, then import them atomically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.transfer import GlossaryFileError, import_glossary, read_glossary
from itilprep.task_progress import CommandProgress


class Command(BaseCommand):
    help = (
        "Import glossary files (.json, .csv, or a directory of .json files). Every problem "
        "is reported, one line each, and nothing is imported unless there are none. "
        "Progress goes to stderr (-v 0: none, -v 2: every file, concept and question)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--no-rebuild",
            action="store_true",
            help="don't rebuild the question bank after a change",
        )

    def handle(self, *args, paths: list[Path], no_rebuild: bool = False, **options):
        progress = CommandProgress(self.stderr, options["verbosity"])
        try:
            result = import_glossary(read_glossary(paths, progress=progress), progress=progress)
        except GlossaryFileError as error:
            progress.end()
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            ) from None
        self.stdout.write(f"Glossary imported: {result}.")
        if result.changed and not no_rebuild:
            # The bank is built from the glossary: keep it in step (idempotent, retires
            # questions whose source changed).
            from quiz.bank import build_question_bank

            bank = build_question_bank(progress=progress)
            self.stdout.write(f"Question bank rebuilt: {bank}.")
