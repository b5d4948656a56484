"""A shop whose orders look nothing like the demo shop's.

A UUID primary key, street and house number apart, the country as a German
name, the salutation as free text, amounts in cents and the dunning history as
a list on the purchase.
"""

import uuid

from django.db import models


class Purchase(models.Model):
    class State(models.TextChoices):
        OPEN = "offen", "offen"
        PAID = "bezahlt", "bezahlt"
        CANCELLED = "storniert", "storniert"
        COLLECTION = "inkasso", "Inkasso ist in Arbeit"

    class Payment(models.TextChoices):
        INVOICE = "rechnung", "Rechnung"
        PREPAYMENT = "vorkasse", "Vorkasse"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField("Belegnummer", max_length=30, unique=True)
    state = models.CharField(
        "Zustand", max_length=12, choices=State.choices, default=State.OPEN
    )
    payment = models.CharField(
        "Zahlart", max_length=12, choices=Payment.choices, default=Payment.INVOICE
    )
    placed_on = models.DateField("bestellt am")
    billed_on = models.DateField("Rechnung vom", null=True, blank=True)
    pay_until = models.DateField("zahlbar bis", null=True, blank=True)
    shipped_on = models.DateField("versandt am", null=True, blank=True)
    title = models.CharField("Anrede", max_length=40, blank=True)
    given_name = models.CharField("Vorname", max_length=80, blank=True)
    family_name = models.CharField("Nachname", max_length=80, blank=True)
    firm = models.CharField("Firma", max_length=120, blank=True)
    street = models.CharField("Straße", max_length=120, blank=True)
    house_number = models.CharField("Hausnummer", max_length=12, blank=True)
    zip_code = models.CharField("PLZ", max_length=10, blank=True)
    town = models.CharField("Ort", max_length=80, blank=True)
    country_name = models.CharField("Land", max_length=60, default="Deutschland")
    email = models.EmailField("E-Mail", blank=True)
    telephone = models.CharField("Telefon", max_length=40, blank=True)
    total_cents = models.IntegerField("Summe (Cent)")
    paid_cents = models.IntegerField("bezahlt (Cent)", default=0)
    # [{"stufe": "1. Mahnung", "versandt": "2026-10-01", "frist": "2026-10-15"}, …]
    dunning_history = models.JSONField("Mahnverlauf", default=list, blank=True)

    class Meta:
        verbose_name = "Kauf"
        verbose_name_plural = "Käufe"
        ordering = ["-placed_on"]

    def __str__(self):
        return self.reference


class PurchaseItem(models.Model):
    purchase = models.ForeignKey(
        Purchase, on_delete=models.CASCADE, related_name="items"
    )
    article = models.CharField("Artikel", max_length=120)
    count = models.PositiveIntegerField("Anzahl", default=1)
    is_service = models.BooleanField("Dienstleistung", default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.count} x {self.article}"
