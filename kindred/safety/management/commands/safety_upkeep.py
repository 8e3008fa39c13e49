"""Run safety upkeep once, or every minute or so with --every (pages are due in 15 minutes)."""

import time

from django.core.management.base import BaseCommand

from kindred.safety.tasks import safety_upkeep


class Command(BaseCommand):
    help = "Re-page advisors who did not acknowledge in time, and resend failed page emails."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N minutes")

    def handle(self, *args, every: float = 0, **options):
        while True:
            result = safety_upkeep.call()
            self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))
            if not every:
                return
            time.sleep(every * 60)
