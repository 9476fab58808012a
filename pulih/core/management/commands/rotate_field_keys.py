from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from pulih.core.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of PULIH_FIELD_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            names = [f.column for f in fields]
            table = model._meta.db_table
            count = 0
            # Raw values: the field's converters would decrypt them on the way out.
            with transaction.atomic():
                for obj_pk, *tokens in _raw_rows(model, names):
                    new = [rotate(t) if t else t for t in tokens]
                    if new != tokens:
                        _write(model, table, names, obj_pk, new)
                        count += 1
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))


def _raw_rows(model: Any, columns: list[str]) -> list[list[Any]]:
    from django.db import connections

    connection = connections[model._default_manager.db]
    qn = connection.ops.quote_name
    pk = model._meta.pk.column
    sql = "SELECT {} FROM {}".format(  # noqa: S608 - identifiers come from model metadata
        ", ".join(qn(c) for c in [pk, *columns]), qn(model._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(row) for row in cursor.fetchall()]


def _write(model: Any, table: str, columns: list[str], pk_value: Any, values: list[Any]) -> None:
    from django.db import connections

    connection = connections[model._default_manager.db]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in columns)
    sql = f"UPDATE {qn(table)} SET {sets} WHERE {qn(model._meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, pk_value])
