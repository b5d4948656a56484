"""The forms of the inkasso admin pages; their rules live in validators and services."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import services, validators
from .conf import app_settings
from .models import DirectPayment

ENCODINGS = [
    ("cp1252", _("CSV, Windows-1252 (mediafinanz default)")),
    ("utf-8-sig", _("CSV, UTF-8 with BOM")),
]


class HandoverForm(forms.Form):
    encoding = forms.ChoiceField(label=_("File format"), choices=ENCODINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encoding"].initial = app_settings.ENCODING


class DirectPaymentForm(forms.ModelForm):
    above_remaining = forms.BooleanField(
        label=_("above the open amount: confirmed"),
        required=False,
        help_text=_("Tick it if the debtor really paid more than is still open."),
    )

    class Meta:
        model = DirectPayment
        fields = ["received_on", "amount"]
        # A German clerk types 25,50.
        localized_fields = ["amount"]

    def clean(self):
        cleaned_data = super().clean()
        amount = cleaned_data.get("amount")
        claim = self.instance.claim if self.instance.claim_id else None
        if claim is not None and amount and not cleaned_data.get("above_remaining"):
            remaining = services.remaining_amount(claim)
            if amount > remaining:
                raise forms.ValidationError(
                    _(
                        "The payment is above the %(remaining)s EUR still open on "
                        "the claim. Tick “above the open amount: confirmed” if it "
                        "is right."
                    ),
                    params={
                        "remaining": formats.number_format(remaining, 2, use_l10n=True)
                    },
                )
        return cleaned_data

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None:
            validators.validate_payment_amount(amount)
        return amount

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on:
            validators.validate_payment_date(
                received_on,
                today=timezone.localdate(),
                invoice_date=getattr(self.instance.claim, "invoice_date", None)
                if self.instance.claim_id
                else None,
            )
        return received_on


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the claim is taken back from mediafinanz."),
    )
