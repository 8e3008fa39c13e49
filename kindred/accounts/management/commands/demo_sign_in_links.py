"""Print how to sign in as each demo role (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from kindred.accounts.management.commands.seed_demo import DEMO_PEOPLE, DEMO_TOTP_SECRET
from kindred.accounts.views import demo_sign_in_token


class Command(BaseCommand):
    help = "Print one-step sign-in links for the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        base = f"http://{options['host']}:{options['port']}"
        if not settings.KINDRED_DEMO_SIGN_IN:
            self.stdout.write(
                "Demo sign-in links are off (production). Sign in with an email code."
            )
            return
        self.stdout.write("\nKindred is starting at " + base + "/\n")
        self.stdout.write("Sign in as a demo role by opening its link (development only):\n")
        for email, _name, role in DEMO_PEOPLE:
            url = base + reverse("demo_sign_in", args=[demo_sign_in_token(email)])
            self.stdout.write(f"  {role.label:<12} {email:<26} {url}")
        self.stdout.write(
            "\nOr sign in the real way at " + base + "/accounts/login/ with a demo email: the code "
            "is printed in this terminal (emails go to the console).\n"
            f"Privileged roles then ask for an authenticator code: add the secret "
            f"{DEMO_TOTP_SECRET} to any authenticator app.\n"
        )
