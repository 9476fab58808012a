"""Every role outside a unit belongs to an office, in the database too (see 0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_national_roles_belong_to_an_office"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role__in", ["agent", "coordinator"]), ("unit__isnull", False)),
                    models.Q(
                        ("office__isnull", False),
                        ("role__in", ["supervisor", "office_staff", "partner", "dpo", "admin"]),
                        ("unit__isnull", True),
                    ),
                    ("role", ""),
                    _connector="OR",
                ),
                name="user_role_membership",
            ),
        ),
    ]
