"""Three of the ledger's nine indexes go (ingest pays for every index; these serve no query):

- partner_id alone: `learning_partner_day` (partner_id, occurred_on) and the client-id constraint
  (partner_id, client_record_id) both lead with it;
- reversal_of_id: the partial unique index `learning_record_reversed_once` (reversal_of_id WHERE NOT NULL)
  answers every lookup by it (an equality never matches NULL);
- recorded_by_id: no query reads by it; deleting a user scans the ledger once to clear it.

Only the indexes are dropped: the foreign keys stay as they are. Django's own AlterField would drop and re-add
each foreign key (re-validating the table) and also drop `learning_record_reversed_once` with the plain index.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "learning_learningrecord"
INDEXES = {
    "partner_id": "learning_learningrecord_partner_id_6a0e056c",
    "reversal_of_id": "learning_learningrecord_reversal_of_id_93343271",
    "recorded_by_id": "learning_learningrecord_recorded_by_id_2de79096",
}


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_move_ce_to_certifications"),
        ("partners", "0002_profile_customer_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}")'
                )
                for column, name in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="learningrecord",
                    name="partner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="learning_records",
                        to="partners.partner",
                    ),
                ),
                migrations.AlterField(
                    model_name="learningrecord",
                    name="recorded_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="learningrecord",
                    name="reversal_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reversals",
                        to="learning.learningrecord",
                    ),
                ),
            ],
        ),
    ]
