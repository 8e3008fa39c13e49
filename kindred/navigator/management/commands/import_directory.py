"""Staff: load national services from a YAML or CSV file (every row checked first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kindred.navigator import services
from kindred.navigator.directory_files import DirectoryFileError


class Command(BaseCommand):
    help = "Import national services (and crisis lines) from a YAML or CSV directory file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            result = services.import_national_services(
                content=path.read_bytes(), filename=path.name
            )
        except FileNotFoundError:
            raise CommandError(f"No file at {path}") from None
        except DirectoryFileError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {e}" for e in error.errors)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {result.created} new and {result.updated} updated.")
        )
