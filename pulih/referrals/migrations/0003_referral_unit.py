"""Each referral carries its client's unit, so a scoped referral list reads one index.

The column is filled from the client here (a client never changes unit); 0004
makes it required and indexes it, in its own transaction (PostgreSQL refuses to
alter a table with the fill's deferred foreign-key checks still pending).
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "UPDATE referrals_referral SET unit_id = "
    "(SELECT c.unit_id FROM clients_client c WHERE c.id = referrals_referral.client_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_client_journey"),
        ("organisations", "0001_initial"),
        ("referrals", "0002_referrals_with_state_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="IBM unit",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
