"""The event feed's commit order (PostgreSQL only): `compliance_event.txid` holds the id of the transaction that
wrote the row, filled by the column's default on every INSERT (ORM, bulk_create, COPY), so no writer sets it.

The column is not a field of core.Event: Django never writes it and SQLite (one writer at a time, ids in commit
order) has none. integrations.selectors.event_feed serves only rows whose transaction is older than every writing
transaction still running in the reader's snapshot, in (txid, id) order, so two transactions committing out of id
order are never skipped. The
events already recorded get the migration's own transaction id (their order is their id order).
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE compliance_event ADD COLUMN txid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)",
    "CREATE INDEX compliance_event_txid_id ON compliance_event (txid, id)",
]
BACKWARD = ["DROP INDEX compliance_event_txid_id", "ALTER TABLE compliance_event DROP COLUMN txid"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_event_indexes_trimmed")]

    operations = [migrations.RunPython(forward, backward)]
