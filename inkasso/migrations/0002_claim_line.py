"""Keep a claim's row as its line of the file instead of a JSON list.

The line is what was handed over, byte for byte once encoded, and writing it
costs nothing: the file's writer has it already. The JSON list cost a fifth of
a large handover's time.
"""

import csv
import io

from django.db import migrations, models

BATCH = 2000


def _line(values: list[str]) -> str:
    text = io.StringIO()
    csv.writer(
        text, delimiter=";", quotechar='"', lineterminator="\r\n", strict=True
    ).writerow(values)
    return text.getvalue()[:-2]


def values_to_lines(apps, schema_editor):
    Claim = apps.get_model("inkasso", "Claim")
    claims = Claim.objects.only("pk", "values").order_by("pk")
    batch = []
    for claim in claims.iterator(chunk_size=BATCH):
        claim.line = _line(claim.values)
        batch.append(claim)
        if len(batch) == BATCH:
            Claim.objects.bulk_update(batch, ["line"])
            batch = []
    Claim.objects.bulk_update(batch, ["line"])


def lines_to_values(apps, schema_editor):
    Claim = apps.get_model("inkasso", "Claim")
    claims = Claim.objects.only("pk", "line").order_by("pk")
    batch = []
    for claim in claims.iterator(chunk_size=BATCH):
        claim.values = next(
            csv.reader([claim.line], delimiter=";", quotechar='"', strict=True)
        )
        batch.append(claim)
        if len(batch) == BATCH:
            Claim.objects.bulk_update(batch, ["values"])
            batch = []
    Claim.objects.bulk_update(batch, ["values"])


class Migration(migrations.Migration):
    dependencies = [
        ("inkasso", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="line",
            field=models.TextField(
                default="",
                help_text="The claim's line in the handover file, without its line end.",
                verbose_name="line as handed over",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="claim",
            name="values",
            field=models.JSONField(null=True, verbose_name="values as handed over"),
        ),
        migrations.RunPython(values_to_lines, lines_to_values, elidable=True),
        migrations.RemoveField(
            model_name="claim",
            name="values",
        ),
    ]
