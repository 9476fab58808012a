"""Trigram indexes for the region search on PostgreSQL.

The search matches a substring anywhere in a name (``LIKE '%kayu aro%'``),
which a B-tree cannot serve; a GIN trigram index can. SQLite scans the
83,763 villages fast enough and gets nothing here. Creating the ``pg_trgm``
extension needs a role allowed to create extensions (see README); without it
the search still works, only slower.
"""

from django.db import migrations

TABLES = ["regions_province", "regions_regency", "regions_district", "regions_village"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_name gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
