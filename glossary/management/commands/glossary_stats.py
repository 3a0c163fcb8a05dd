"""manage.py glossary_stats: concepts per learning outcome and section, so gaps show."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from glossary.models import Section


class Command(BaseCommand):
    help = "Print how many concepts each learning outcome and section holds."

    def handle(self, *args, **options):
        sections = Section.objects.select_related("syllabus").annotate(count=Count("concepts"))
        by_outcome: dict[tuple[str, str], int] = {}
        current = None
        for section in sections:
            if section.syllabus.name != current:
                current = section.syllabus.name
                self.stdout.write(f"\n{current}\n")
            key = (current, section.learning_outcome)
            by_outcome[key] = by_outcome.get(key, 0) + section.count
            marker = "" if section.count else "   <- no concepts"
            self.stdout.write(f"  {section.code:<8} {section.title:<58} {section.count:>4}{marker}")
        self.stdout.write("\nBy learning outcome:")
        for (syllabus, outcome), count in sorted(by_outcome.items()):
            self.stdout.write(f"  {syllabus} {outcome:<5} {count:>4}")
        self.stdout.write(f"\nTotal concepts: {sum(by_outcome.values())}")
