"""Print a new personal API token for a person, for operators and scripts."""

from django.core.management.base import BaseCommand, CommandError

from kindred.accounts.models import User
from kindred.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for the account with this contact email and print it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Created by an operator")

    def handle(self, *args, **options):
        user = User.objects.filter(email=options["email"].strip().lower()).first()
        if user is None:
            raise CommandError("No account uses that contact email.")
        _, raw = create_api_token(user=user, name=options["name"], strong=True)
        self.stdout.write(raw)
