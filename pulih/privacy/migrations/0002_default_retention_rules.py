"""Default retention rules: a configurable starting point, not legal advice.

The data protection officer changes them on the retention page; see
docs/privacy.md for why each default was chosen.
"""

from django.db import migrations

DEFAULTS = [
    (
        "identity",
        730,
        "anonymise",
        False,
        "Consent of the client (UU 27/2022 art. 20(2)(a)); kept two years after the record closes "
        "so a returning client can be recognised, erased earlier on request.",
    ),
    (
        "case_notes",
        730,
        "delete",
        False,
        "Consent of the client; free text is the data most likely to identify, so it goes with the identity.",
    ),
    (
        "care_record",
        1825,
        "anonymise",
        True,
        "Programme accountability: BNN rehabilitation reporting and evaluation of the IBM units "
        "(five years, configurable); only pseudonymous after the identity is gone.",
    ),
    (
        "outreach",
        365,
        "delete",
        False,
        "Legitimate task of counting outreach (UU 27/2022 art. 20(2)(e)); contacts that never led to "
        "a registration are not needed after the yearly evaluation.",
    ),
]


def create(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for data_class, days, action, holds, basis in DEFAULTS:
        RetentionRule.objects.get_or_create(
            data_class=data_class,
            defaults={"keep_for_days": days, "action": action, "holds_erasure": holds, "legal_basis": basis},
        )


def remove(apps, schema_editor):
    apps.get_model("privacy", "RetentionRule").objects.filter(
        data_class__in=[d[0] for d in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_request_register_and_retention")]

    operations = [migrations.RunPython(create, remove)]
