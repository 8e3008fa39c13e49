"""Run peer-support upkeep once, or every few minutes with --every (for a process manager)."""

import time

from django.core.management.base import BaseCommand

from kindred.support.tasks import support_upkeep


class Command(BaseCommand):
    help = "Expire offers, match waiting requests and apply retention."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N minutes")

    def handle(self, *args, every: float = 0, **options):
        while True:
            result = support_upkeep.call()
            self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))
            if not every:
                return
            time.sleep(every * 60)
