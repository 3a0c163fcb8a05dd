"""manage.py make_instructor USERNAME...: give users the instructor role (or take it away)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from quiz.access import INSTRUCTORS_GROUP


class Command(BaseCommand):
    help = (
        "Add users to the Instructors group, so they can create classes and assign quizzes. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")
        parser.add_argument(
            "--remove", action="store_true", help="take the instructor role away instead"
        )

    def handle(self, *args, usernames: list[str], remove: bool = False, **options):
        users = get_user_model().objects
        found = {user.username: user for user in users.filter(username__in=usernames)}
        unknown = [name for name in usernames if name not in found]
        if unknown:
            names = ", ".join(f"“{name}”" for name in unknown)
            raise CommandError(
                f"No user called {names}; nothing was changed. Users sign up on the site, "
                "or use manage.py createsuperuser."
            )
        group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
        for name in usernames:
            user = found[name]
            member = user.groups.filter(pk=group.pk).exists()
            if remove:
                user.groups.remove(group)
                verb = "is no longer" if member else "was not"
            else:
                user.groups.add(group)
                verb = "was already" if member else "is now"
            self.stdout.write(f"{name} {verb} an instructor.")
