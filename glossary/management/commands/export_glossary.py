"""manage.py export_glossary: write a syllabus's glossary as JSON (all fields) or CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary.models import Syllabus
from glossary.transfer import export_csv, export_json
from itilprep.task_progress import CommandProgress


class Command(BaseCommand):
    help = (
        "Export a syllabus's glossary as JSON (every field) or CSV (the simple columns). "
        "Progress goes to stderr (-v 0: none, -v 2: every concept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--syllabus", help="syllabus code (default: the only one)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, syllabus: str | None, format: str, output: Path | None, **options):
        syllabi = Syllabus.objects.all()
        if syllabus:
            syllabi = syllabi.filter(code=syllabus)
        found = list(syllabi[:2])
        if not found:
            raise CommandError(f"No syllabus {syllabus!r}." if syllabus else "No glossary yet.")
        if len(found) > 1:
            codes = ", ".join(Syllabus.objects.values_list("code", flat=True))
            raise CommandError(f"Several syllabi ({codes}); choose one with --syllabus.")
        progress = CommandProgress(self.stderr, options["verbosity"])
        text = (export_json if format == "json" else export_csv)(found[0], progress=progress)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
