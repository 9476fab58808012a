"""The referral's unit is required, and indexed newest first per unit (see 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_referral_unit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="IBM unit",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["unit", "-created_at"], name="referral_unit_newest"),
        ),
    ]
