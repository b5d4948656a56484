"""The forms of the inkasso admin pages; their rules live in validators and services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import contract, display, services, validators
from .conf import app_settings
from .dunning_models import Letter
from .models import Claim, DirectPayment

ENCODINGS = [
    ("cp1252", _("CSV, Windows-1252 (mediafinanz default)")),
    ("utf-8-sig", _("CSV, UTF-8 with BOM")),
]


class HandoverForm(forms.Form):
    encoding = forms.ChoiceField(label=_("File format"), choices=ENCODINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encoding"].initial = app_settings.ENCODING


class FileNumberField(forms.CharField):
    """A file number as pasted: ``123 4567-890/1`` is ``12345678901``.

    Wider than the 11 digits, so that a pasted number with spaces is not cut
    by the browser; the 11-digit rule is the validator's.
    """

    def __init__(self, **kwargs):
        kwargs.update(max_length=40, required=False)
        super().__init__(**kwargs)
        self.widget.attrs.update(size=14, autocomplete="off", inputmode="numeric")

    def to_python(self, value):
        return contract.normalize_file_number(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validators.validate_file_number(value)


class ClaimFileNumberForm(forms.ModelForm):
    """The file number of a claim, on its page and in the claims list."""

    file_number = FileNumberField(
        label=_("mediafinanz file number"),
        help_text=_(
            "Aktenzeichen, 11 digits, as mediafinanz reports it; spaces, dashes "
            "and slashes are left out."
        ),
    )

    class Meta:
        model = Claim
        fields = ["file_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file_number")
        if field is not None and self.instance.state != Claim.State.OPEN:
            # A withdrawn claim keeps the file number it had.
            field.disabled = True

    def clean_file_number(self):
        file_number = self.cleaned_data["file_number"]
        if not file_number and self.instance.file_number:
            raise forms.ValidationError(
                _(
                    "A recorded file number cannot be removed; enter the right "
                    "one instead."
                ),
                code="file_number_removed",
            )
        return file_number


class DirectPaymentForm(forms.ModelForm):
    """A payment the debtor made to the shop, on the claim's page.

    ``for_claim`` makes the form of one claim, whose labels name the amount
    still open.
    """

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

    @classmethod
    def for_claim(cls, claim):
        """Return the form class of ``claim``: its labels name what is still open."""
        remaining = display.money(services.remaining_amount(claim))
        confirmation = forms.BooleanField(
            label=_("More than the %(remaining)s still open: confirmed")
            % {"remaining": remaining},
            required=False,
            help_text=_(
                "Tick it only if the debtor really paid more than the "
                "%(remaining)s still open."
            )
            % {"remaining": remaining},
        )
        # A tabular inline without the change permission takes its column
        # headers from Meta, not from the fields.
        meta = type(
            "Meta",
            (cls.Meta,),
            {
                "labels": {"above_remaining": confirmation.label},
                "help_texts": {"above_remaining": confirmation.help_text},
            },
        )
        return type(
            cls.__name__, (cls,), {"above_remaining": confirmation, "Meta": meta}
        )

    def clean(self):
        cleaned_data = super().clean()
        amount = cleaned_data.get("amount")
        claim = self.instance.claim if self.instance.claim_id else None
        if claim is not None and amount and not cleaned_data.get("above_remaining"):
            remaining = services.remaining_amount(claim)
            if amount > remaining:
                raise forms.ValidationError(
                    _(
                        "The payment of %(amount)s is more than the %(remaining)s "
                        "still open on claim %(claim)s. If the debtor really paid "
                        "that much, tick “More than the %(remaining)s still open: "
                        "confirmed” and save again; otherwise correct the amount."
                    ),
                    params={
                        "amount": display.money(amount),
                        "remaining": display.money(remaining),
                        "claim": claim,
                    },
                    code="above_remaining",
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


class SendForm(forms.Form):
    """The channel of the letters the clerk confirms.

    The preview names the letters for one channel (``previewed_channel``, set
    by the page, not by the select): letters go out only by the channel the
    clerk saw them for. A changed channel shows the preview again.
    """

    channel = forms.ChoiceField(label=_("Send by"), choices=Letter.Channel.choices)
    previewed_channel = forms.ChoiceField(
        choices=Letter.Channel.choices, widget=forms.HiddenInput, required=False
    )

    def confirmed(self) -> bool:
        """Whether the clerk confirmed the letters as the preview showed them."""
        return (
            "confirm" in self.data
            and self.is_valid()
            and self.cleaned_data["channel"] == self.cleaned_data["previewed_channel"]
        )
