"""Email coordinators the service entries not reviewed for 12 months (run it weekly)."""

from django.core.management.base import BaseCommand

from kindred.navigator import services


class Command(BaseCommand):
    help = "Email each organisation's coordinators the directory entries due for review."

    def handle(self, *args, **options):
        sent = services.send_review_reminders()
        self.stdout.write(f"Sent reminders to the coordinators of {sent} organisation(s).")
