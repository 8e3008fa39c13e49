"""Run office-hours upkeep once, or every few minutes with --every (for a process manager)."""

import time

from django.core.management.base import BaseCommand

from kindred.officehours.tasks import officehours_upkeep


class Command(BaseCommand):
    help = "Make slots for the coming weeks, send reminders, flag lapsed supporters' bookings."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N minutes")

    def handle(self, *args, every: float = 0, **options):
        while True:
            result = officehours_upkeep.call()
            self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))
            if not every:
                return
            time.sleep(every * 60)
