"""manage.py close_expired_attempts: finalise attempts whose time ran out (for cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz.attempts import close_expired_attempts


class Command(BaseCommand):
    help = "Submit and score every attempt past its deadline; running it again changes nothing."

    def handle(self, *args, **options):
        closed = close_expired_attempts(now=timezone.now())
        self.stdout.write(f"Closed {closed} expired attempt{'s' if closed != 1 else ''}.")
