"""Handovers record when the retention ended and their personal data was deleted."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inkasso", "0004_claim_invoice_number_and_problem_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="handover",
            name="purged_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When the retention ended and the file and the debtors' "
                    "personal data were deleted."
                ),
                null=True,
                verbose_name="personal data deleted at",
            ),
        ),
    ]
