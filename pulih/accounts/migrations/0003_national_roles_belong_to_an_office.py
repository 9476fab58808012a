"""Data-protection officers and administrators belong to an office, like every other user.

Existing ones without an office are placed in the national office (BNN RI),
which is created when the database has none yet. 0004 adds the constraint back,
in its own transaction (PostgreSQL refuses to alter a table while the deferred
foreign-key checks of this update are pending).
"""

from typing import Any

from django.db import migrations, models


def place_national_roles(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    Office = apps.get_model("organisations", "Office")
    homeless = User.objects.filter(role__in=["dpo", "admin"], office__isnull=True)
    if not homeless.exists():
        return
    national = Office.objects.filter(kind="ri").order_by("pk").first()
    if national is None:
        national = Office.objects.create(name="BNN RI", kind="ri")
    homeless.update(office=national)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_and_security_stamp"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="user",
            name="user_role_membership",
        ),
        migrations.RunPython(place_national_roles, migrations.RunPython.noop),
    ]
