"""Read lines on stdin and print one JSON assessment per line (for evaluation)."""

import json
import sys

from django.core.management.base import BaseCommand

from kindred.safety.risk import assess


class Command(BaseCommand):
    help = 'Assess each line of standard input; print {"level": ..., "reasons": [...]} per line.'
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        for line in stdin:
            self.stdout.write(json.dumps(assess(line.rstrip("\n")).as_dict()))
