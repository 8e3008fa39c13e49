"""The shape of every `<app>_upkeep` command: run the app's upkeep task once, or every few
minutes with --every (for a process manager), printing what it did."""

import time

from django.core.management.base import BaseCommand


class UpkeepCommand(BaseCommand):
    task = None  # the app's django-tasks task, returning {what: how many}

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N minutes")

    def handle(self, *args, every: float = 0, **options):
        while True:
            result = self.task.call()
            self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))
            if not every:
                return
            time.sleep(every * 60)
