import csv

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import contract
from .conf import app_settings
from .validators import validate_file_number


class Handover(models.Model):
    """One file handed to mediafinanz: who, when, from where, and its exact bytes.

    Recorded once, never edited: a later download is byte-identical, until the
    retention ends and the purge deletes the file (:mod:`inkasso.purge`).
    """

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin action")
        ORDER_PAGE = "order_page", _("Order page")
        COMMAND = "command", _("Management command")

    created_at = models.DateTimeField(_("handed over at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    encoding = models.CharField(_("encoding"), max_length=20)
    header_row = models.BooleanField(_("header row"), default=True)
    row_count = models.PositiveIntegerField(_("claims"), default=0)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    purged_at = models.DateTimeField(
        _("personal data deleted at"),
        null=True,
        blank=True,
        help_text=_(
            "When the retention ended and the file and the debtors' personal "
            "data were deleted."
        ),
    )

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "hand_over",
                _("Can hand over claims to mediafinanz and download handover files"),
            )
        ]

    def __str__(self):
        return _("Handover %(number)s") % {"number": self.pk}

    @property
    def filename(self) -> str:
        created = timezone.localtime(self.created_at)
        return f"mediafinanz-{self.pk:06d}-{created:%Y%m%d-%H%M}.csv"


class HandoverFilePart(models.Model):
    """A piece of a handover file; parts keep memory flat for 100,000 claims."""

    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="file_parts"
    )
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["handover", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "index"], name="inkasso_unique_file_part"
            )
        ]

    def __str__(self):
        return f"{self.handover_id}/{self.index}"


class Claim(models.Model):
    """An order as it was handed over: the 18 values and what happened since."""

    class State(models.TextChoices):
        OPEN = "open", _("With mediafinanz")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    handover = models.ForeignKey(
        Handover,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("handover"),
    )
    order = models.ForeignKey(
        app_settings.ORDER_MODEL_FOR_RELATION,
        on_delete=models.PROTECT,
        related_name="inkasso_claims",
        verbose_name=_("order"),
    )
    row_number = models.PositiveIntegerField(_("row"))
    invoice_number = models.CharField(
        _("invoice number"), max_length=contract.MAX_INVOICE_NUMBER
    )
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    line = models.TextField(
        _("line as handed over"),
        help_text=_("The claim's line in the handover file, without its line end."),
    )
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        blank=True,
        help_text=_("The warnings of the checks, as codes with their values."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OPEN
    )
    file_number = models.CharField(
        _("mediafinanz file number"),
        max_length=11,
        blank=True,
        validators=[validate_file_number],
        help_text=_("Aktenzeichen, 11 digits, as mediafinanz reports it."),
    )
    file_number_recorded_at = models.DateTimeField(null=True, blank=True)
    file_number_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["handover", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=~Q(state="withdrawn"),
                name="inkasso_one_active_claim_per_order",
            ),
            models.UniqueConstraint(
                fields=["invoice_number"],
                condition=~Q(state="withdrawn"),
                name="inkasso_one_active_claim_per_invoice_number",
            ),
        ]

    def __str__(self):
        return self.invoice_number

    @property
    def values(self) -> list[str]:
        """Return the 18 values of the claim's line, as handed over."""
        return next(csv.reader([self.line], dialect=contract.HandoverDialect))

    @property
    def problems(self) -> list:
        """Return the warnings of the claim as :class:`inkasso.rules.Problem`."""
        from .rules import Problem

        return [Problem.from_json(value) for value in self.warnings]


class DirectPayment(models.Model):
    """Money the debtor paid to the shop after the handover; mediafinanz must know."""

    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        related_name="direct_payments",
        verbose_name=_("claim"),
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reported_at = models.DateTimeField(
        _("reported to mediafinanz at"), null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        verbose_name = _("direct payment")
        verbose_name_plural = _("direct payments")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.amount} ({self.received_on:%d.%m.%Y})"


# The dunning ledger lives in its own module; Django finds its models here.
from .dunning_models import DunningStop, Letter  # noqa: E402, F401
