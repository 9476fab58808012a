"""A completed screening, and every per-substance result, can no longer be changed.

The service refuses first; these triggers make the database refuse too, so no
code path (admin, shell, a future bug) can rewrite a finished screening. A
correction is a new row. Deleting stays possible (erasure under UU 27/2022).
Both errors are raised as integrity errors.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION screening_refuse_completed_update() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'completed' THEN
            RAISE EXCEPTION 'screening % is completed and immutable; record a correction instead', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER screening_completed_immutable BEFORE UPDATE ON screening_screening
    FOR EACH ROW EXECUTE FUNCTION screening_refuse_completed_update();
    """,
    """
    CREATE OR REPLACE FUNCTION screening_refuse_result_update() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'screening results are immutable' USING ERRCODE = 'check_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER screening_result_immutable BEFORE UPDATE ON screening_substanceresult
    FOR EACH ROW EXECUTE FUNCTION screening_refuse_result_update();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS screening_completed_immutable ON screening_screening;",
    "DROP TRIGGER IF EXISTS screening_result_immutable ON screening_substanceresult;",
    "DROP FUNCTION IF EXISTS screening_refuse_completed_update();",
    "DROP FUNCTION IF EXISTS screening_refuse_result_update();",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER screening_completed_immutable BEFORE UPDATE ON screening_screening
    FOR EACH ROW WHEN OLD.status = 'completed'
    BEGIN SELECT RAISE(ABORT, 'screening is completed and immutable; record a correction instead'); END;
    """,
    """
    CREATE TRIGGER screening_result_immutable BEFORE UPDATE ON screening_substanceresult
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'screening results are immutable'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS screening_completed_immutable;",
    "DROP TRIGGER IF EXISTS screening_result_immutable;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)  # no parameters: "%" is plpgsql, not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_instruments_and_screenings"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
