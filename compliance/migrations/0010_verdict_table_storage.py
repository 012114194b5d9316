"""PostgreSQL storage settings of the verdict table (README, "Production"): room on each page for the nightly
updates to stay on the page (HOT, no index entry), and autovacuum after 2 % of the rows changed, not 20 %."""

from django.db import migrations

TABLE = "compliance_credentialverdict"
SETTINGS = "fillfactor = 90, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05"


def apply(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({SETTINGS})")


def revert(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0009_verdict_indexes_trimmed")]

    operations = [migrations.RunPython(apply, revert)]
