"""The dunning ledger: every reminder and Mahnung sent, and the dunning stops.

Kept apart from the handover ledger in ``models.py`` and imported there, so
that Django finds the models in ``inkasso.models``.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .conf import app_settings

#: The checksum of no bytes: a letter recorded without a copy of itself, such
#: as the letters a shop recorded before django-inkasso sent them.
NO_COPY = hashlib.sha256(b"").hexdigest()


def level_name(level: int) -> str:
    """Return the name of a dunning level as the installation calls it."""
    levels = app_settings.DUNNING_LEVELS
    if 0 <= level < len(levels):
        return str(levels[level]["name"])
    return _("Level %(level)s") % {"level": level}


class Letter(models.Model):
    """One reminder or Mahnung to the debtor of an order, with its exact bytes.

    Recorded before it goes out (``pending``), then marked ``sent`` when the
    e-mail backend accepted it or the postal letter was printed, or
    ``failed`` with the reason; a failed letter is tried again as a new
    record. The PDF is never edited: a later download is byte-identical.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        POST = "post", _("Post")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey(
        app_settings.ORDER_MODEL_FOR_RELATION,
        on_delete=models.PROTECT,
        related_name="inkasso_letters",
        verbose_name=_("order"),
    )
    level = models.PositiveSmallIntegerField(_("level"))
    is_mahnung = models.BooleanField(
        _("real Mahnung"),
        help_text=_("A payment reminder is not a Mahnung; the handover counts these."),
    )
    sent_on = models.DateField(_("sent on"))
    deadline = models.DateField(_("payment deadline"))
    fee = models.DecimalField(
        _("dunning fee"), max_digits=8, decimal_places=2, default=0
    )
    amount = models.DecimalField(
        _("open amount asked"), max_digits=14, decimal_places=2
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    email = models.EmailField(_("sent to"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("Empty: sent by the command inkasso_remind."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"), help_text=_("The letter as plain text."))
    pdf = models.BinaryField(_("letter (PDF)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    failure_reason = models.TextField(_("reason of the failure"), blank=True)

    class Meta:
        verbose_name = _("dunning letter")
        verbose_name_plural = _("dunning letters")
        ordering = ["order", "level", "created_at"]
        constraints = [
            # At most one letter per order and level goes out; a failed one
            # leaves room for the next try.
            models.UniqueConstraint(
                fields=["order", "level"],
                condition=~Q(status="failed"),
                name="inkasso_one_letter_per_order_and_level",
            )
        ]
        indexes = [
            models.Index(
                fields=["order", "status", "level"], name="inkasso_letter_by_order"
            )
        ]
        permissions = [
            ("send_reminders", _("Can send payment reminders and dunning letters"))
        ]

    def __str__(self):
        return f"{self.level_name} ({self.sent_on:%d.%m.%Y})"

    @property
    def level_name(self) -> str:
        return level_name(self.level)

    @property
    def filename(self) -> str:
        return f"letter-{self.pk:06d}-{self.sent_on:%Y%m%d}.pdf"

    @property
    def download_name(self) -> str:
        """The attachment's name: the level and the order, e.g. 1-Mahnung-B-1.pdf."""
        from django.utils import translation
        from django.utils.text import slugify

        with translation.override(self.language or None):
            name = slugify(self.level_name) or "letter"
        return f"{name}-{self.order_id}.pdf"

    @property
    def has_copy(self) -> bool:
        """False for a letter recorded without its PDF (one the shop sent itself)."""
        return self.sha256 != NO_COPY

    def set_pdf(self, data: bytes) -> None:
        self.pdf = data
        self.sha256 = hashlib.sha256(data).hexdigest()


class DunningStop(models.Model):
    """A Mahnsperre: the order gets no letters and is not handed over."""

    class Reason(models.TextChoices):
        DISPUTED = "disputed", _("Claim disputed")
        PAYMENT_PLAN = "payment_plan", _("Payment plan agreed")
        OTHER = "other", _("Other")

    order = models.ForeignKey(
        app_settings.ORDER_MODEL_FOR_RELATION,
        on_delete=models.PROTECT,
        related_name="inkasso_dunning_stops",
        verbose_name=_("order"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("stopped at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stopped by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        verbose_name = _("dunning stop")
        verbose_name_plural = _("dunning stops")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(lifted_at__isnull=True),
                name="inkasso_one_active_dunning_stop_per_order",
            )
        ]

    def __str__(self):
        return str(self.get_reason_display())

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
