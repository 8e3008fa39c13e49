"""Re-wrap data keys with the newest master key, or print a new master key."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindred.core.encryption import generate_master_key, master_keys, rewrap_all_data_keys


class Command(BaseCommand):
    help = (
        "Re-wrap every data key with the newest key in KINDRED_ENCRYPTION_KEYS. "
        "With --generate, print a new key entry to prepend to that setting instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Print a new 'keyid:base64key' entry and change nothing.",
        )
        parser.add_argument(
            "--key-id", default=None, help="Key id for --generate (default: k<timestamp>)."
        )

    def handle(self, *args, generate: bool, key_id: str | None, **options) -> None:
        if generate:
            # The entry is a secret: it goes to stdout for the operator, never to the log.
            self.stdout.write(generate_master_key(key_id))
            return
        try:
            newest = master_keys()[0].key_id
            changed = rewrap_all_data_keys()
        except ImproperlyConfigured as exc:
            # Keys re-wrapped before the failure stay re-wrapped; running again is safe.
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Re-wrapped {changed} data key(s) with master key {newest!r}.")
