"""Claims keep their warnings as codes, their invoice date, and a unique invoice.

- Warnings were stored as sentences in the language of whoever handed over;
  now they are problem codes with parameters, shown in the reader's language.
  An old sentence is kept as it was, as the parameter of the code "legacy".
- The invoice date lets a direct payment be checked against it (old claims
  have none, and are not checked).
- An invoice number is on at most one claim that is not withdrawn. A ledger
  that already has two must be corrected first: the migration says which.
"""

from django.db import migrations, models
from django.db.models import Count

import inkasso.validators

BATCH = 2000


def _convert(apps, convert):
    Claim = apps.get_model("inkasso", "Claim")
    batch = []
    for claim in Claim.objects.only("pk", "warnings").order_by("pk").iterator(BATCH):
        claim.warnings = [convert(value) for value in claim.warnings]
        batch.append(claim)
        if len(batch) == BATCH:
            Claim.objects.bulk_update(batch, ["warnings"])
            batch = []
    Claim.objects.bulk_update(batch, ["warnings"])


def sentences_to_codes(apps, schema_editor):
    _convert(
        apps,
        lambda value: {"code": "legacy", "params": {"text": value}}
        if isinstance(value, str)
        else value,
    )


def codes_to_sentences(apps, schema_editor):
    _convert(
        apps,
        lambda value: value["params"].get("text", value["code"])
        if isinstance(value, dict)
        else value,
    )


def refuse_duplicate_invoice_numbers(apps, schema_editor):
    Claim = apps.get_model("inkasso", "Claim")
    duplicates = list(
        Claim.objects.exclude(state="withdrawn")
        .values("invoice_number")
        .annotate(claims=Count("pk"))
        .filter(claims__gt=1)
        .values_list("invoice_number", flat=True)[:20]
    )
    if duplicates:
        raise RuntimeError(
            "These invoice numbers are on more than one open claim: "
            f"{', '.join(duplicates)}. Withdraw the wrong claims, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inkasso", "0003_direct_payment_reported_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="invoice_date",
            field=models.DateField(blank=True, null=True, verbose_name="invoice date"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="file_number",
            field=models.CharField(
                blank=True,
                help_text="Aktenzeichen, 11 digits, as mediafinanz reports it.",
                max_length=11,
                validators=[inkasso.validators.validate_file_number],
                verbose_name="mediafinanz file number",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="warnings",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The warnings of the checks, as codes with their values.",
                verbose_name="warnings",
            ),
        ),
        migrations.RunPython(sentences_to_codes, codes_to_sentences, elidable=True),
        migrations.RunPython(refuse_duplicate_invoice_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "withdrawn"), _negated=True),
                fields=("invoice_number",),
                name="inkasso_one_active_claim_per_invoice_number",
            ),
        ),
    ]
