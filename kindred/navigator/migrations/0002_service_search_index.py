"""Full-text search on SQLite: an FTS5 index of services, kept in step by triggers.

PostgreSQL needs nothing here: search uses its built-in full-text search.
"""

from django.db import migrations

from kindred.navigator import search_index


def create(apps, schema_editor):
    search_index.ensure(schema_editor.connection)


def remove(apps, schema_editor):
    search_index.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("navigator", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
