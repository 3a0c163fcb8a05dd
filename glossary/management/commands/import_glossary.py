"""manage.py import_glossary PATH...: validate glossary files, then import them atomically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.transfer import GlossaryFileError, import_glossary, read_glossary


class Command(BaseCommand):
    help = (
        "Import glossary files (.json, .csv, or a directory of .json files). Every problem "
        "is reported, one line each, and nothing is imported unless there are none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], **options):
        try:
            result = import_glossary(read_glossary(paths))
        except GlossaryFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            ) from None
        self.stdout.write(f"Glossary imported: {result}.")
